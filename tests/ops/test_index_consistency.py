"""The index follows the database across processes and threads: edits in
place, unique versions under concurrent publishing, a change whose index
write was lost to a killed process is repaired, a missing index answers 503
rather than hold a worker."""
from __future__ import annotations

import signal
import subprocess
import threading
import time

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from hub.extensions import db
from hub.models import Resource
from hub.services import indexing
from hub.services.resources import import_documents
from hub.services.search import SearchParams, search_resources
from tests.conftest import resource_text
from tests.ops.helpers import ROOT, flask_command, hub_env


def found(q: str) -> list[str]:
    result = search_resources(None, SearchParams.from_args(MultiDict({"q": q}), locale="en"))
    return [hit.resource.slug for hit in result.hits]


def _indexed_ids(app) -> set[str]:
    with app.extensions["hub.index"].open().searcher() as searcher:
        return {fields["id"] for fields in searcher.all_stored_fields()}


def _db_ids() -> set[str]:
    return {str(i) for i in db.session.scalars(select(Resource.id))}


def test_an_edit_is_written_in_place_and_the_version_advances(app, make_resource):
    make_resource(slug="a", title="Hiring without bias")
    make_resource(slug="b", title="Housing and belonging")
    indexing.ensure_index_fresh()
    index = app.extensions["hub.index"]
    generation, version = index.current_generation(), index.content_version()
    make_resource(slug="a", title="Zebrafinch hiring toolkit")
    assert found("zebrafinch") == ["a"] and found("housing") == ["b"]
    assert index.current_generation() == generation  # no rebuild
    assert index.doc_count() == 2
    assert index.content_version() == version + 1 == indexing.content_version()


def test_concurrent_publishes_take_distinct_versions_and_all_reach_the_index(app, tmp_path):
    indexing.ensure_index_fresh()
    start = indexing.content_version()
    errors: list[BaseException] = []

    def publish(worker: int) -> None:
        try:
            with app.app_context():
                for n in range(3):
                    path = tmp_path / f"w{worker}-{n}.md"
                    path.write_text(resource_text(slug=f"w{worker}-{n}", title=f"Concurrent {worker} {n}"),
                                    encoding="utf-8")
                    assert import_documents([path]).imported == 1
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    db.session.remove()
    assert indexing.content_version() == start + 18  # no two units took the same version
    index = app.extensions["hub.index"]
    assert index.content_version() == start + 18  # every version applied, none skipped
    assert _indexed_ids(app) == _db_ids() and len(_db_ids()) == 18


def test_a_publish_killed_between_commit_and_index_write_is_repaired(app, make_resource, tmp_path):
    """The index records the versions it holds without gaps, so a version that a
    killed process never wrote keeps it behind the database: the freshness
    check sees the lag and rebuilds, even after later versions were written."""
    make_resource(slug="first", title="First resource")
    indexing.ensure_index_fresh()
    app.config["SEARCH_INDEX_GRACE_SECONDS"] = 0.5
    app.config["SEARCH_INDEX_CHECK_SECONDS"] = 0
    index = app.extensions["hub.index"]
    (tmp_path / "lost.md").write_text(resource_text(slug="lost", title="Quokka outreach guide"), encoding="utf-8")
    before = indexing.content_version()
    db.session.remove()

    ix = index.open()
    writer = ix.writer()  # hold the index lock: the publisher commits, then waits for it
    try:
        proc = subprocess.Popen(flask_command("hub", "import", str(tmp_path / "lost.md")), cwd=ROOT,
                                env=hub_env(app), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while indexing.content_version() == before and time.monotonic() < deadline:
            db.session.remove()
            time.sleep(0.02)
        assert indexing.content_version() == before + 1, "the publisher never committed"
        proc.send_signal(signal.SIGKILL)  # after its commit, before its index write
        proc.wait()
    finally:
        writer.cancel()
        ix.close()
    make_resource(slug="later", title="Later resource")  # a later version is written normally

    assert index.content_version() == before  # the gap holds the index back
    assert found("quokka") == []
    time.sleep(0.6)
    found("later")  # lag older than the grace period: a rebuild starts
    indexing.rebuild_in_background().join(60)
    assert found("quokka") == ["lost"]
    assert index.content_version() == indexing.content_version()
    assert _indexed_ids(app) == _db_ids()


def test_a_missing_index_answers_503_until_rebuilt(app, client, make_resource):
    for n in range(20):
        make_resource(slug=f"r{n}", title=f"Resource {n} about hiring")
    indexing.ensure_index_fresh()
    import shutil

    app.config["SEARCH_INDEX_WAIT_SECONDS"] = 0
    app.extensions["hub.index"].close()
    shutil.rmtree(app.config["INDEX_DIR"])
    resp = client.get("/api/v1/resources?q=hiring")
    assert resp.status_code == 503
    assert resp.get_json()["error"]["code"] == "search_unavailable"
    indexing.rebuild_in_background().join(60)
    resp = client.get("/api/v1/resources?q=hiring")
    assert resp.status_code == 200 and resp.get_json()["total"] == 20
