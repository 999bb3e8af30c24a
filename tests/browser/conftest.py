"""Browser-test fixtures: a real hub served over HTTP on 127.0.0.1 and one
shared headless Chromium per test session (so per xdist worker).

Every test under tests/browser/ is marked ``browser``. Use the fixtures:

- ``live_server``: ``.url`` (e.g. ``http://127.0.0.1:41234``), ``.app`` (the
  Flask app, for ``with live_server.app.app_context(): ...`` set-up) and
  ``.url_for(path)``. The whole curated catalogue is imported.
- ``browser``: the session's Playwright ``Browser`` (Debian's /usr/bin/chromium).
- ``page``: a fresh ``Page`` in a new browser context per test (own cookies),
  whose ``base_url`` is the live server, so ``page.goto("/en/")`` works.
- ``axe_check``: ``axe_check(page)`` runs axe-core on the page and fails the
  test on any serious or critical violation, listing each one readably.

When Chromium is missing the browser tests FAIL when run as root or in CI
(``make test`` installs it there, so its absence is a broken build), and are
skipped with a visible reason only for a developer who is not root.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic",
    # Stop Chromium's background look-ups of outside hosts (there is no network).
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
#: axe impacts that fail a test.
BLOCKING_IMPACTS = ("serious", "critical")
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, even if someone forgets the mark."""
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _chromium_missing_action() -> None:
    """Fail loudly where Chromium must exist; skip visibly where it may not."""
    if os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    message = (f"{CHROMIUM} is not installed, so the browser tests cannot run. "
               "Install it with `make system-deps` (as root: apt-get install chromium).")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root or os.environ.get("CI"):
        pytest.fail("BROWSER TESTS CANNOT RUN: " + message, pytrace=False)
    pytest.skip("not root and no Chromium: " + message)


# -- the live server ---------------------------------------------------------
@dataclass
class LiveServer:
    app: object
    url: str

    def url_for(self, path: str) -> str:
        return self.url + (path if path.startswith("/") else "/" + path)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The hub with the curated catalogue, served by Werkzeug in a thread on a free port."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from hub import create_app

    data_dir = tmp_path_factory.mktemp("live-hub")
    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(data_dir), "SECRET_KEY": "browser-secret",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        from hub.services import indexing, resources
        report = resources.import_catalogue_once()
        assert report is not None and not report.rejected, report.rejected
        indexing.ensure_index_fresh()
        from hub.extensions import db
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-hub", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        from hub.extensions import db
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        app.extensions["hub.index"].close()
        shutil.rmtree(data_dir, ignore_errors=True)


# -- the browser -------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (about 0.3 s to launch)."""
    _chromium_missing_action()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser context per test: its own cookies, storage and downloads."""
    ctx = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="en-CA",
                              viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


# -- accessibility -----------------------------------------------------------
def format_violations(violations: list[dict]) -> str:
    """axe's violations as text a person can act on: rule, impact, help, where."""
    lines = []
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v.get('id')}: {v.get('help')} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:8]:
            target = ", ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v.get("nodes", [])) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@functools.cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def run_axe(page) -> dict:
    """Run axe-core (shipped inside the axe-playwright-python wheel) on the page."""
    return _axe().run(page).response


def axe_check(page) -> dict:
    """Fail on serious or critical axe violations; return the full axe result."""
    result = run_axe(page)
    violations = result.get("violations", [])
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    minor = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    if minor:
        print(f"axe: minor violations on {page.url}:\n{format_violations(minor)}")
    if blocking:
        pytest.fail(f"axe: {len(blocking)} serious/critical violation(s) on {page.url}:\n"
                    f"{format_violations(blocking)}", pytrace=False)
    return result


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    """The ``axe_check(page)`` helper as a fixture, so tests need no import."""
    return axe_check
