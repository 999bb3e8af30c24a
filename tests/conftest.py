"""Shared fixtures: a real app on a temporary HUB_DATA_DIR with a real
database and a real Whoosh index; factories that go through the services.

Both engines: every test under ``PG_PATHS`` that uses ``app`` or
``catalogue_app`` runs twice, ``[sqlite]`` and ``[postgresql]``. The
PostgreSQL variant runs against a throwaway cluster (tests/pg.py) that the
first test needing it starts, once per run, and the run stops. Where
PostgreSQL cannot be run, each PostgreSQL variant FAILS with the reason; it
never passes silently. ``HUB_TEST_ENGINES=sqlite`` leaves them out on
purpose (quick local runs; `make test` ignores it) and says so in the summary.
``HUB_TEST_PG_URL`` points the variants at an existing server instead.
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from hub import create_app
from tests import pg

#: Where the PostgreSQL variants run: the tests that reach the database.
#: tests/content and tests/security are pure, except the throttle's database
#: storage, the hostile-content families and the attacks on HTTP (hosts,
#: sessions, rate limits, slow clients); tests/browser drive a live server on
#: SQLite (its pages are already covered on both engines through tests/views).
PG_PATHS = ("tests/services/", "tests/views/", "tests/api/", "tests/search/", "tests/ops/",
            "tests/security/test_throttle.py", "tests/test_migrations.py", "tests/test_cli.py",
            "tests/security/test_markdown_bombs.py", "tests/security/test_zip_bombs.py",
            "tests/security/test_control_characters.py", "tests/security/test_unicode_forms.py",
            "tests/security/test_hostile_fields.py", "tests/security/test_host_header.py",
            "tests/security/test_sessions.py", "tests/security/test_rate_limits.py",
            "tests/security/test_slow_clients.py", "tests/security/test_headers_private.py",
            "tests/security/test_forms_origin.py", "tests/security/test_visibility.py")
ENGINES = ("sqlite", "postgresql")
_RUN_DIR = "HUB_TEST_RUN_DIR"
_RUN_PID = "HUB_TEST_RUN_PID"

PASSWORD = "correct horse battery staple"


def resource_text(**fields) -> str:
    """A valid resource file, with any field overridden (None removes it)."""
    meta = {
        "title": "Hiring Without Bias",
        "type": "toolkit",
        "summary": "Practices for employers in small municipalities.",
        "racism_types": "[anti-black, systemic]",
        "audiences": "[employers, lip-staff]",
        "topics": "[hiring, workplace policy]",
        "language": "en",
        "organization": "Calgary Local Immigration Partnership",
        "published": "2022-03-15",
        "region": "ab",
    }
    body = fields.pop("body", "## Why\n\nBecause fairness matters.\n")
    meta.update(fields)
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


def engines() -> tuple[str, ...]:
    wanted = os.environ.get("HUB_TEST_ENGINES", "").replace(",", " ").split()
    return tuple(e for e in ENGINES if e in wanted) if wanted else ENGINES


# -- the run's PostgreSQL ------------------------------------------------------------
def pytest_configure(config):
    if hasattr(config, "workerinput") or os.environ.get(_RUN_DIR):
        return  # an xdist worker: the controller prepared the run folder
    os.environ[_RUN_DIR] = tempfile.mkdtemp(prefix="hub-pytest-")
    os.environ[_RUN_PID] = str(os.getpid())
    config._hub_run_dir = os.environ[_RUN_DIR]


def pytest_unconfigure(config):
    run_dir = getattr(config, "_hub_run_dir", None)
    if run_dir:
        pg.stop_shared_cluster(run_dir)
        shutil.rmtree(run_dir, ignore_errors=True)
        os.environ.pop(_RUN_DIR, None)


def pytest_terminal_summary(terminalreporter, config):
    run_dir = getattr(config, "_hub_run_dir", None)
    if "postgresql" not in engines():
        terminalreporter.write_line(
            f"PostgreSQL variants NOT run (HUB_TEST_ENGINES={os.environ.get('HUB_TEST_ENGINES')}): "
            "this run checked SQLite only.", red=True, bold=True)
    elif run_dir and (Path(run_dir) / "error").exists():
        terminalreporter.write_line("PostgreSQL could not be started, so every [postgresql] test failed: "
                                    + (Path(run_dir) / "error").read_text(), red=True, bold=True)


def _in_pg_paths(path: Path) -> bool:
    try:
        rel = path.resolve().relative_to(Path(__file__).resolve().parent.parent).as_posix()
    except ValueError:
        return False
    return rel.startswith(PG_PATHS)


def pytest_generate_tests(metafunc):
    if "db_engine" in metafunc.fixturenames and _in_pg_paths(Path(str(metafunc.definition.path))):
        metafunc.parametrize("db_engine", engines(), indirect=True, scope="module")


@pytest.fixture(scope="module")
def db_engine(request) -> str:
    """"sqlite" or "postgresql"; tests outside PG_PATHS get SQLite alone."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A URL for the run's cluster (maintenance database); fails loudly when
    PostgreSQL cannot be run here."""
    given = os.environ.get("HUB_TEST_PG_URL")
    if given:
        return given
    try:
        return pg.shared_cluster_url(os.environ[_RUN_DIR], int(os.environ[_RUN_PID]))
    except pg.PostgresUnavailable as exc:
        reason = str(exc)
    pytest.fail(f"PostgreSQL tests cannot run here: {reason}", pytrace=False)


_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_names = itertools.count(1)


@pytest.fixture(scope="session")
def _pg_template(pg_server_url, tmp_path_factory) -> str:
    """The worker's migrated database, built once per run: every test's
    database is a copy of it, so each starts from exactly what the migrations
    make without running them again (they cost most of a PostgreSQL test)."""
    name = f"hub_{os.getpid()}_{_worker}_template"
    url = pg.create_database(pg_server_url, name)
    _dispose(_make_app(tmp_path_factory.mktemp("pg-template"), SQLALCHEMY_DATABASE_URI=url))
    yield name
    pg.drop_database(pg_server_url, name)


@pytest.fixture(scope="session")
def _pg_test_database(pg_server_url, _pg_template) -> str:
    """The name each of this worker's tests gets its copy under."""
    name = f"hub_{os.getpid()}_{_worker}"
    yield name
    pg.drop_database(pg_server_url, name)


@pytest.fixture
def fresh_database(db_engine, tmp_path, request):
    """A factory of empty databases on the test's engine (for a second app,
    e.g. a restore target); dropped after the test."""
    made: list[tuple[str, str]] = []

    def make() -> str:
        n = next(_names)
        if db_engine == "sqlite":
            return f"sqlite:///{tmp_path / f'extra-{n}.sqlite3'}"
        server = request.getfixturevalue("pg_server_url")
        name = f"hub_{os.getpid()}_{_worker}_x{n}"
        made.append((server, name))
        return pg.create_database(server, name)

    yield make
    for server, name in made:
        pg.drop_database(server, name)


def _database_overrides(db_engine: str, request) -> dict:
    """A freshly migrated database for one function-scoped app: SQLite gets a
    copy of the process's template file inside HUB_DATA_DIR (``_make_app``);
    PostgreSQL gets a new database copied from the worker's template (the
    last test's copy, and any session still open on it, is dropped first)."""
    if db_engine != "postgresql":
        return {}
    server = request.getfixturevalue("pg_server_url")
    template = request.getfixturevalue("_pg_template")
    return {"SQLALCHEMY_DATABASE_URI": pg.create_database(
        server, request.getfixturevalue("_pg_test_database"), template=template)}


def _dispose(app) -> None:
    from hub.extensions import db
    from hub.services.users import wait_for_password_resets

    wait_for_password_resets()  # answered off the request: done before the database goes
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["hub.index"].close()


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request gets its own ``g``, as in production.

    The ``app`` fixture keeps one app context pushed for the whole test (so
    services can be called directly), and Flask reuses a pushed app context
    for requests: without this, ``g`` (the signed-in user Flask-Login caches,
    the page language, Babel's locale) would leak from one request to the next."""

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is None or ctx.app is not self.application:
            return super().open(*args, **kwargs)
        saved, ctx.g = ctx.g, self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = saved


def _make_app(data_dir: Path, *, migrated: bool = False, **overrides):
    """An app on ``data_dir``, its database migrated to the newest revision.

    A new SQLite file gets a copy of the process's migrated template instead
    of running the migrations (the same bytes, ten times faster); any other
    database is migrated in place (a no-op when it is already at the head),
    unless the caller says it is a ``migrated`` copy already."""
    from flask_migrate import upgrade

    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(data_dir), "SECRET_KEY": "test-secret",
                      **overrides})
    app.test_client_class = FreshGlobalsClient
    if not migrated and not _copy_sqlite_template(app.config["SQLALCHEMY_DATABASE_URI"]):
        with app.app_context():
            upgrade()
    return app


#: This process's migrated SQLite file, made on first use (one entry: "file").
_sqlite_template: dict[str, Path] = {}


def _copy_sqlite_template(uri: str) -> bool:
    """Put a migrated database at ``uri`` when it names a SQLite file that
    does not exist yet; say whether it did. The template is migrated once per
    process, on first use, into the run's folder."""
    from sqlalchemy.engine import make_url

    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or url.query or Path(url.database).exists():
        return False
    if "file" not in _sqlite_template or not _sqlite_template["file"].exists():
        _sqlite_template["file"] = _migrated_sqlite_file()
    shutil.copyfile(_sqlite_template["file"], url.database)
    return True


def _migrated_sqlite_file() -> Path:
    """A SQLite file the migrations built, alone (no write-ahead log beside
    it), so a plain copy of it is a whole database."""
    import sqlite3

    from flask_migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix=f"sqlite-template-{os.getpid()}-", dir=os.environ.get(_RUN_DIR)))
    path = folder / "template.sqlite3"
    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(folder / "data"), "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
    _dispose(app)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # folds the log into the file and removes it
    finally:
        conn.close()
    return path


def _fresh_g_per_request(sender, **extra) -> None:
    """The test's app context, and so ``g``, outlives each request of the test
    client; in production every request has its own. Start each request with an
    empty ``g`` so nothing cached by the last one (the signed-in user, the
    locale, the language) leaks into the next."""
    from flask import g

    for key in list(g):
        g.pop(key, None)


@pytest.fixture
def app(tmp_path, db_engine, request):
    from flask import request_started

    app = _make_app(tmp_path / "data", migrated=db_engine == "postgresql",
                    **_database_overrides(db_engine, request))
    request_started.connect(_fresh_g_per_request, app)
    with app.app_context():
        yield app
    _dispose(app)


@pytest.fixture
def second_worker(app):
    """Another app on the same database and data folder, as a second gunicorn
    worker has: its own engine and its own Flask-Limiter storage."""
    made = []

    def make():
        other = _make_app(Path(app.config["HUB_DATA_DIR"]),
                          SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
        made.append(other)
        return other

    yield make
    for other in made:
        _dispose(other)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    from hub.services.users import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "member", email: str | None = None, password: str = PASSWORD):
        return create_user(email or f"{role}{next(counter)}@example.org", role=role, password=password)

    return make


@pytest.fixture
def make_resource(app, tmp_path):
    """Write a resource file and import it through the import service."""
    from hub.services.resources import import_documents

    folder = tmp_path / "made"
    folder.mkdir()
    counter = iter(range(1, 100_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("title", f"Resource number {n}")
        fields.setdefault("slug", f"resource-{n}")
        path = folder / f"{fields['slug']}.md"
        path.write_text(resource_text(**fields), encoding="utf-8")
        report = import_documents([path])
        assert not report.rejected, report.rejected
        from sqlalchemy import select

        from hub.extensions import db
        from hub.models import Resource
        return db.session.scalar(select(Resource).where(Resource.slug == fields["slug"]))

    return make


@pytest.fixture(scope="module")
def catalogue_app(tmp_path_factory, db_engine, request):
    """An app with the whole curated catalogue imported (shared by a module's tests)."""
    data_dir = tmp_path_factory.mktemp("catalogue")
    overrides, pg_name = {}, None
    if db_engine == "postgresql":
        server = request.getfixturevalue("pg_server_url")
        pg_name = f"hub_{os.getpid()}_{_worker}_c{next(_names)}"
        overrides["SQLALCHEMY_DATABASE_URI"] = pg.create_database(
            server, pg_name, template=request.getfixturevalue("_pg_template"))
    app = _make_app(data_dir, migrated=pg_name is not None, **overrides)
    with app.app_context():
        from hub.services import indexing, resources
        report = resources.import_catalogue_once()
        assert report is not None and not report.rejected, report.rejected
        indexing.ensure_index_fresh()
    yield app
    _dispose(app)
    if pg_name:
        pg.drop_database(server, pg_name)


@pytest.fixture
def login_as(client):
    """Sign a user in on the test client without going through the form
    (the sign-in form has its own tests)."""

    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        # The test's app context is shared by the client's requests, and
        # Flask-Login caches the user of an earlier request in it.
        from flask import g
        g.pop("_login_user", None)
        return user

    return login
