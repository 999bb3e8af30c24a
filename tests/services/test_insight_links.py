"""The link checker, against a local HTTP server on 127.0.0.1 only."""
from __future__ import annotations

import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from hub.extensions import db
from hub.models import LinkCheck
from hub.services import links


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):  # keep the test output clean
        pass

    def _answer(self, body: bool) -> None:
        server = self.server
        with server.lock:
            server.hits.append((self.command, self.path, time.monotonic(), self.headers.get("User-Agent")))
            server.active += 1
            server.peak = max(server.peak, server.active)
        try:
            path = self.path.split("?", 1)[0]
            if path == "/slow":
                time.sleep(server.slow_seconds)
            if path in ("/ok", "/slow", "/final", "/page"):
                code, headers = 200, {}
            elif path == "/moved":
                code, headers = 301, {"Location": "/final"}
            elif path == "/chain":
                code, headers = 302, {"Location": "/moved"}
            elif path == "/missing":
                code, headers = 404, {}
            elif path == "/error":
                code, headers = 500, {}
            elif path == "/no-head":
                code, headers = (405, {}) if self.command == "HEAD" else (200, {})
            else:
                code, headers = 404, {}
            payload = b"<html><body>hello</body></html>"
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up on the slow path: that is the point
        finally:
            with server.lock:
                server.active -= 1

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.hits, server.lock, server.active, server.peak, server.slow_seconds = [], threading.Lock(), 0, 0, 1.5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def check(url, **kw):
    return links.check_url(url, timeout=kw.pop("timeout", 0.5), allow_private=True, **kw)


def test_each_case_of_the_local_server(local_server):
    base = local_server.base
    ok = check(f"{base}/ok")
    assert (ok.outcome, ok.status, ok.final_status) == ("ok", 200, 200)
    moved = check(f"{base}/moved")
    assert (moved.outcome, moved.status, moved.final_status, moved.final_url) == (
        "redirect", 301, 200, f"{base}/final")
    chain = check(f"{base}/chain")
    assert (chain.outcome, chain.status, chain.final_url) == ("redirect", 302, f"{base}/final")
    missing = check(f"{base}/missing")
    assert (missing.outcome, missing.final_status) == ("broken", 404)
    error = check(f"{base}/error")
    assert (error.outcome, error.final_status) == ("broken", 500)
    slow = check(f"{base}/slow", timeout=0.3)
    assert (slow.outcome, slow.error, slow.status) == ("error", "timed out", None)


def test_head_first_then_get_only_when_head_fails(local_server):
    base = local_server.base
    assert check(f"{base}/ok").outcome == "ok"
    assert check(f"{base}/no-head").outcome == "ok"
    check(f"{base}/missing")
    seen = [(method, path) for method, path, _, _ in local_server.hits]
    assert seen == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head"),
                    ("HEAD", "/missing"), ("GET", "/missing")]
    assert {ua for *_, ua in local_server.hits} == {links.USER_AGENT}


def test_redirects_keep_the_head_method(local_server):
    check(f"{local_server.base}/moved")
    assert [(m, p) for m, p, _, _ in local_server.hits] == [("HEAD", "/moved"), ("HEAD", "/final")]


def test_only_http_and_https_links_are_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the checker")
    for url in (secret.as_uri(), "ftp://example.org/file", "data:text/plain,hello"):
        result = links.check_url(url, timeout=0.5, allow_private=True)
        assert result.outcome == "skipped" and "only http and https" in result.error, url


def test_private_addresses_are_refused_unless_allowed(local_server):
    result = links.check_url(f"{local_server.base}/ok", timeout=0.5)
    assert result.outcome == "skipped" and "private address" in result.error
    assert local_server.hits == []


def test_one_host_is_asked_one_request_at_a_time_with_a_pause(local_server):
    urls = [f"{local_server.base}/page?n={i}" for i in range(5)]
    results = links.check_many(urls, workers=4, delay=0.15, timeout=1, allow_private=True)
    assert {r.outcome for r in results.values()} == {"ok"} and len(results) == 5
    times = sorted(t for _, _, t, _ in local_server.hits)
    assert local_server.peak == 1
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.14


def test_links_are_found_in_the_url_and_the_body():
    html = ('<p><a href="https://a.example/x#part">a</a> <a href="mailto:x@y.z">m</a> '
            '<a href="/relative">r</a> <a href="https://a.example/x">again</a> <a href="http://b.example/">b</a></p>')
    assert links.links_in_html(html) == ["https://a.example/x", "http://b.example/"]


@pytest.fixture
def checker_app(app):
    app.config.update(LINK_CHECK_ALLOW_PRIVATE=True, LINK_CHECK_DELAY=0.0, LINK_CHECK_TIMEOUT=0.4)
    return app


def test_check_links_command_records_every_verdict(checker_app, runner, client, make_resource, make_user,
                                                   login_as, local_server):
    base = local_server.base
    make_resource(slug="alive", url=f"{base}/ok",
                  body=f"See [the moved page]({base}/moved) and [the gone one]({base}/missing).\n")
    make_resource(slug="troubled", url=f"{base}/error", body=f"[slow]({base}/slow) and [ok]({base}/ok)\n")
    make_resource(slug="no-links", url=None)

    result = runner.invoke(args=["hub", "check-links", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "checked 5 links on 1 hosts" in result.output
    assert "ok 1, redirected 1, broken 2, unreachable 1, skipped 0" in result.output
    assert f"broken   {base}/missing HTTP 404" in result.output

    checks = {(c.resource.slug, c.url): c for c in db.session.scalars(select(LinkCheck))}
    assert {k: (c.outcome, c.source) for k, c in checks.items()} == {
        ("alive", f"{base}/ok"): ("ok", "url"),
        ("alive", f"{base}/moved"): ("redirect", "body"),
        ("alive", f"{base}/missing"): ("broken", "body"),
        ("troubled", f"{base}/error"): ("broken", "url"),
        ("troubled", f"{base}/slow"): ("error", "body"),
        ("troubled", f"{base}/ok"): ("ok", "body"),
    }
    assert checks[("alive", f"{base}/moved")].final_url == f"{base}/final"
    assert sum(1 for m, p, *_ in local_server.hits if p == "/ok") == 1  # each URL checked once

    login_as(make_user(role="editor"))
    page = client.get("/en/editor/insight/links").get_data(as_text=True)
    assert f"{base}/missing" in page and f"{base}/final" in page and "timed out" in page
    assert "Links checked on" in client.get("/en/resources/alive").get_data(as_text=True)
    assert "Links checked on" not in client.get("/en/resources/no-links").get_data(as_text=True)

    # A link taken out of a resource is forgotten at the next check.
    make_resource(slug="alive", url=f"{base}/ok", body="No more links.\n")
    assert runner.invoke(args=["hub", "check-links"]).exit_code == 0
    assert {c.url for c in db.session.scalars(select(LinkCheck).join(LinkCheck.resource))
            if c.resource.slug == "alive"} == {f"{base}/ok"}


def test_check_links_refuses_private_addresses_by_default(app, runner, make_resource, local_server):
    make_resource(slug="inside", url=f"{local_server.base}/ok")
    result = runner.invoke(args=["hub", "check-links", "--delay", "0"])
    assert "skipped 1" in result.output and local_server.hits == []
    [row] = db.session.scalars(select(LinkCheck)).all()
    assert row.outcome == "skipped"  # recorded as not checked, not as broken
