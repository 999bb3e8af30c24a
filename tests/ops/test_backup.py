"""`hub backup` of a running install restored with `hub restore` into a fresh
data folder and an empty database gives back the same hub."""
from __future__ import annotations

import json

from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource, User
from tests.conftest import _dispose, _make_app

FIELDS = ("id", "slug", "title", "type", "summary", "racism_types", "audiences", "topics", "language",
          "organization", "authors", "published", "published_on", "year", "region", "url", "access",
          "translation", "content_warning", "assessment", "body", "body_html", "status", "checksum",
          "created_at", "updated_at", "published_at")


def _state() -> dict:
    resources = {r.slug: ({f: getattr(r, f) for f in FIELDS},
                          [(a.filename, a.sha256, a.size, a.media_type, a.text) for a in r.attachments])
                 for r in db.session.scalars(select(Resource))}
    users = sorted((u.email, u.role, u.password_hash, u.active) for u in db.session.scalars(select(User)))
    return {"resources": resources, "users": users}


def _downloads(client, state) -> dict:
    got = {}
    for slug, (_row, attachments) in state["resources"].items():
        for filename, *_ in attachments:
            with client.get(f"/resources/{slug}/files/{filename}") as resp:
                got[(slug, filename)] = (resp.status_code, resp.data)
    return got


def test_backup_restored_into_a_fresh_install_is_the_same_hub(app, make_resource, make_user, runner, tmp_path,
                                                               fresh_database):
    source_dir = tmp_path / "made"
    (source_dir).mkdir(exist_ok=True)
    (source_dir / "notes.txt").write_text("Inclusive hiring checklist: équité en emploi.\n", encoding="utf-8")
    make_resource(slug="with-file", files="[notes.txt]", title="Toolkit with a checklist")
    make_resource(slug="members-only", access="members", title="Working group minutes")
    make_resource(slug="french", language="fr", title="Guide « équité »")
    editor = make_user(role="editor")
    before = _state()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(editor.id)
    files_before = _downloads(client, before)
    assert files_before[("with-file", "notes.txt")][0] == 200

    result = runner.invoke(args=["hub", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "backed up 3 resources, 1 users and 1 files" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == db.engine.dialect.name and manifest["resources"] == 3

    target = _make_app(tmp_path / "restored-data", SQLALCHEMY_DATABASE_URI=fresh_database())
    try:
        with target.app_context():
            restored = target.test_cli_runner().invoke(args=["hub", "restore", str(tmp_path / "backup")])
            assert restored.exit_code == 0, restored.output
            after = _state()
            assert after == before
            assert target.extensions["hub.index"].doc_count() == 3
            target_client = target.test_client()
            with target_client.session_transaction() as session:
                session["_user_id"] = str(db.session.scalar(select(User.id)))
            assert _downloads(target_client, after) == files_before
            again = target.test_cli_runner().invoke(args=["hub", "restore", str(tmp_path / "backup")])
            assert again.exit_code != 0 and "not empty" in again.output
    finally:
        _dispose(target)


def test_backup_refuses_a_folder_that_is_not_empty(app, runner, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    result = runner.invoke(args=["hub", "backup", str(tmp_path / "full")])
    assert result.exit_code != 0 and "not empty" in result.output


QUERIES = ({"q": "hiring"}, {"q": "équité"}, {"q": "toolkit checklist"}, {"q": '"working group"'},
           {"racism_type": "anti-black"}, {"q": "racism", "language": "fr"}, {"sort": "newest"})


def _answers(client) -> list:
    """What the API answers for each query (slugs in rank order, totals, facet counts)."""
    out = []
    for args in QUERIES:
        body = client.get("/api/v1/resources", query_string={**args, "per_page": 100}).get_json()
        out.append((body["total"], [r["slug"] for r in body["results"]],
                    {name: [(f["value"], f["count"]) for f in values] for name, values in body["facets"].items()}))
    return out


def test_restore_and_export_import_give_the_same_search_results(app, make_resource, runner, tmp_path,
                                                                fresh_database):
    from hub.services import indexing, resources

    resources.import_catalogue_once()
    indexing.ensure_index_fresh()
    before = _answers(app.test_client())
    assert before[0][0] > 0 and before[4][0] > 0  # the queries find something
    assert runner.invoke(args=["hub", "backup", str(tmp_path / "backup")]).exit_code == 0
    assert runner.invoke(args=["hub", "export", str(tmp_path / "export")]).exit_code == 0

    restored = _make_app(tmp_path / "restored", SQLALCHEMY_DATABASE_URI=fresh_database())
    imported = _make_app(tmp_path / "imported", SQLALCHEMY_DATABASE_URI=fresh_database())
    try:
        with restored.app_context():
            assert restored.test_cli_runner().invoke(args=["hub", "restore", str(tmp_path / "backup")]).exit_code == 0
            assert _answers(restored.test_client()) == before
        with imported.app_context():
            result = imported.test_cli_runner().invoke(args=["hub", "import", str(tmp_path / "export")])
            assert result.exit_code == 0, result.output
            indexing.ensure_index_fresh()
            assert _answers(imported.test_client()) == before
    finally:
        _dispose(restored)
        _dispose(imported)
