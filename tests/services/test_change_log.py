"""Two machines on one database: what one changes, the other's index follows
through the change log, without rebuilding. Machine A is the test's app;
machine B is a second app on the same database with its own HUB_DATA_DIR."""
from __future__ import annotations

import gc
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from hub import create_app
from hub.extensions import db
from hub.models import ChangeLogEntry
from hub.services import history, indexing, resources
from hub.services.search import SearchParams, search_resources

#: Machine B's app is a second app in this process; a psycopg connection of
#: its that only the garbage collector finds is closed here (in the fixture's
#: teardown, below) rather than warned about in whichever test runs next.
pytestmark = pytest.mark.filterwarnings("ignore:.*was deleted while still open:ResourceWarning")


@pytest.fixture
def machine_b(app, tmp_path):
    other = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(tmp_path / "machine-b"),
                        "SECRET_KEY": app.config["SECRET_KEY"],
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "FILES_DIR": app.config["FILES_DIR"]})

    @contextmanager
    def on_b():
        with other.app_context():
            try:
                yield other
            finally:
                db.session.remove()

    yield on_b
    gc.collect()  # connections held by B's garbage go back to its pool, which dispose() then closes
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    other.extensions["hub.index"].close()


def _slugs(user, q: str) -> set[str]:
    result = search_resources(user, SearchParams(q=q))
    return {hit.resource.slug for hit in result.hits}


def _follow_on_b(on_b) -> str:
    with on_b():
        return indexing.follow_changes()


def _search_on_b(on_b, q: str, user=None) -> set[str]:
    with on_b():
        return _slugs(user, q)


def test_every_change_writes_the_resources_it_touched(app, make_resource, make_user):
    first = make_resource(slug="first", title="Zebrafinch hiring")
    second = make_resource(slug="second", title="Housing")
    editor = make_user("editor")
    history.set_status(editor, "first", "unpublished")
    resources.delete_resource(editor, "second")
    rows = db.session.execute(select(ChangeLogEntry.version, ChangeLogEntry.resource_id)
                              .order_by(ChangeLogEntry.version)).all()
    assert [rid for _, rid in rows] == [first.id, second.id, first.id, second.id]
    assert [v for v, _ in rows] == sorted({v for v, _ in rows})  # one version per change, in order
    assert rows[-1][0] == indexing.content_version()


def test_the_other_machine_follows_each_change_both_ways_without_rebuilding(app, make_resource, make_user,
                                                                           machine_b):
    make_resource(slug="base", title="Baseline toolkit")
    indexing.ensure_index_fresh()
    with machine_b():
        indexing.ensure_index_fresh()
        generation = app.extensions["hub.index"].current_generation()
    with machine_b() as b:
        b_generation = b.extensions["hub.index"].current_generation()
    member = make_user("member")
    editor = make_user("editor")

    # publish
    make_resource(slug="zebra", title="Zebrafinch hiring toolkit")
    assert _search_on_b(machine_b, "zebrafinch") == set()  # not yet followed
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "zebrafinch") == {"zebra"}
    # edit, both ways
    make_resource(slug="zebra", title="Quokka hiring toolkit")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "zebrafinch") == set()
    assert _search_on_b(machine_b, "quokka") == {"zebra"}
    # to members only: anonymous readers on B stop seeing it, members still do
    make_resource(slug="zebra", title="Quokka hiring toolkit", access="members")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "quokka") == set()
    assert _search_on_b(machine_b, "quokka", user=member) == {"zebra"}
    with machine_b():
        assert search_resources(None, SearchParams(q="quokka")).total == 0
    # and back to public
    make_resource(slug="zebra", title="Quokka hiring toolkit", access="public")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "quokka") == {"zebra"}
    # unpublish and republish
    history.set_status(editor, "zebra", "unpublished")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "quokka") == set()
    history.set_status(editor, "zebra", "published")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "quokka") == {"zebra"}
    # delete
    resources.delete_resource(editor, "zebra")
    assert _follow_on_b(machine_b) == "applied"
    assert _search_on_b(machine_b, "quokka") == set()
    assert _search_on_b(machine_b, "quokka", user=editor) == set()

    assert _follow_on_b(machine_b) == "fresh"
    with machine_b() as b:
        assert b.extensions["hub.index"].current_generation() == b_generation  # never rebuilt
        assert b.extensions["hub.index"].content_version() == indexing.content_version()
    assert app.extensions["hub.index"].current_generation() == generation


def test_a_search_on_the_other_machine_follows_by_itself(app, make_resource, machine_b):
    make_resource(slug="base", title="Baseline toolkit")
    with machine_b() as b:
        indexing.ensure_index_fresh()
        b.config["SEARCH_FOLLOW_DELAY_SECONDS"] = 0
        b.config["SEARCH_INDEX_CHECK_SECONDS"] = 0
    make_resource(slug="zebra", title="Zebrafinch hiring toolkit")
    assert _search_on_b(machine_b, "zebrafinch") == {"zebra"}


def test_a_machine_behind_the_kept_log_rebuilds(app, make_resource, machine_b):
    make_resource(slug="base", title="Baseline toolkit")
    with machine_b():
        indexing.ensure_index_fresh()
    make_resource(slug="zebra", title="Zebrafinch hiring toolkit")
    make_resource(slug="quokka", title="Quokka toolkit")
    # The rows of the first of those two versions are pruned.
    oldest = db.session.scalar(select(ChangeLogEntry.version).order_by(ChangeLogEntry.version.desc()).offset(1))
    db.session.execute(ChangeLogEntry.__table__.delete().where(ChangeLogEntry.version == oldest))
    db.session.commit()
    assert _follow_on_b(machine_b) == "too-far"
    with machine_b():
        assert indexing.ensure_index_fresh() is True
        assert _slugs(None, "zebrafinch") == {"zebra"}
    assert _follow_on_b(machine_b) == "fresh"


def test_a_large_gap_is_left_to_a_rebuild(app, make_resource, machine_b):
    make_resource(slug="base", title="Baseline toolkit")
    with machine_b():
        indexing.ensure_index_fresh()
    for n in range(3):
        make_resource(slug=f"r{n}", title=f"Toolkit {n}")
    with machine_b():
        assert indexing.follow_changes(limit=2) == "too-far"
        assert indexing.follow_changes(limit=3) == "applied"


def test_old_rows_are_pruned(app, make_resource):
    app.config["CHANGE_LOG_KEEP"] = 5
    for n in range(101):
        make_resource(slug=f"r{n}", title=f"Toolkit {n}")
    versions = db.session.scalars(select(ChangeLogEntry.version)).all()
    assert min(versions) > indexing.content_version() - 10


def test_steady_publishing_that_the_index_keeps_up_with_starts_no_rebuild(app, monkeypatch):
    """A publish a second, each applied a moment later: at every check the
    index is one version behind, yet never stuck. Only a version left unapplied
    past the grace period starts a rebuild (seen under the three-node load: a
    node rebuilt its whole index while it was keeping up)."""
    app.config.update(SEARCH_INDEX_GRACE_SECONDS=10, SEARCH_INDEX_CHECK_SECONDS=0,
                      SEARCH_FOLLOW_DELAY_SECONDS=10_000)
    index = indexing.get_index()
    clock = [1_000.0]
    versions = {"database": 6, "index": 5}
    monkeypatch.setattr(indexing, "_clock", lambda: clock[0])
    monkeypatch.setattr(indexing, "content_version", lambda: versions["database"])
    monkeypatch.setattr(type(index), "content_version", lambda self: versions["index"])

    for _second in range(30):
        clock[0] += 1
        versions["database"] += 1
        versions["index"] += 1
        assert not indexing._needs_rebuild(index)

    for _second in range(9):  # now the index stops
        clock[0] += 1
        versions["database"] += 1
        assert not indexing._needs_rebuild(index)
    clock[0] += 2
    assert indexing._needs_rebuild(index)
