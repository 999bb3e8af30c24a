"""`GET /healthz` and what a reader sees when the database or the disk fails."""
from __future__ import annotations

import os
import shutil

import pytest

from tests import pg
from tests.conftest import _make_app, engines, resource_text


def test_healthz_reports_database_and_index_in_step(app, client, make_resource):
    make_resource(slug="one")
    make_resource(slug="two")
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    body = resp.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["resources"] == 2
    assert body["index"]["ok"] and body["index"]["documents"] == 2
    assert body["index"]["content_version"] == body["database"]["content_version"] > 0
    assert body["index"]["fresh"] is True


def test_healthz_reveals_no_secret_path_or_setting(app, client):
    text = client.get("/healthz").get_data(as_text=True)
    for secret in (app.config["SECRET_KEY"], app.config["HUB_DATA_DIR"], app.config["SQLALCHEMY_DATABASE_URI"],
                   "postgres@", "sqlite:"):
        assert secret not in text


def test_healthz_rebuilds_a_lost_index_before_answering(app, client, make_resource):
    make_resource(slug="kept")
    app.extensions["hub.index"].close()
    shutil.rmtree(app.config["INDEX_DIR"])
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["index"]["documents"] == 1


def _unreachable_database_url(db_engine: str, tmp_path) -> str:
    if db_engine == "postgresql":
        return pg.database_url(tmp_path / "no-server-here", "hub")
    return f"sqlite:///{tmp_path / 'missing-folder' / 'hub.sqlite3'}"


def test_unreachable_database_gives_503_page_and_failing_healthz(db_engine, tmp_path):
    from hub import create_app

    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": _unreachable_database_url(db_engine, tmp_path)})
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["database"]["ok"] is False
    page = client.get("/en/", headers={"Accept-Language": "en"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert "database is not answering" in page.get_data(as_text=True)
    french = client.get("/fr/")
    assert french.status_code == 503 and "base de données" in french.get_data(as_text=True)
    app.extensions["hub.index"].close()


@pytest.fixture
def own_cluster():
    """A PostgreSQL server this test may stop and start (an outage)."""
    if "postgresql" not in engines():
        pytest.skip("PostgreSQL left out by HUB_TEST_ENGINES")
    try:
        cluster = pg.start_cluster()
    except pg.PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL tests cannot run here: {exc}", pytrace=False)
    pg._start_watchdog(os.getpid(), cluster.folder)
    yield cluster
    cluster.stop()


def test_database_outage_then_recovery_without_restart(own_cluster, tmp_path):
    url = pg.create_database(own_cluster.url, "hub")
    app = _make_app(tmp_path / "data", SQLALCHEMY_DATABASE_URI=url)
    source = tmp_path / "one.md"
    source.write_text(resource_text(slug="one", title="One resource"), encoding="utf-8")
    with app.app_context():
        from hub.services.resources import import_documents
        assert not import_documents([source]).rejected
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 200

    pg.stop_server(own_cluster.folder)
    assert client.get("/en/").status_code == 503
    assert client.get("/healthz").status_code == 503

    pg.start_server(own_cluster.folder)
    assert client.get("/en/").status_code == 200  # stale pooled connections are replaced
    assert client.get("/healthz").get_json()["status"] == "ok"
    from hub.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["hub.index"].close()
