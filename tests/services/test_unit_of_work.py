"""Several service calls can share one unit of work (``uow=``): they commit
together, take one content version with its change log in the same
transaction, and reach the search index only after that commit. A failure in
any of them rolls all of them back, and the index never sees them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.errors import Conflict
from hub.extensions import db
from hub.models import ChangeLogEntry, Resource, ResourceVersion, Submission
from hub.services import drafts, history, indexing, review
from hub.services.search import SearchParams, search_resources
from hub.services.uow import unit_of_work
from tests.flows import outbox

COMPLETE = {
    "title": "Walrus Settlement Report", "summary": "What one LIP learned.", "type": "report",
    "racism_types": ["systemic"], "audiences": ["lip-staff"], "topics": "settlement", "language": "en",
    "organization": "Huron LIP", "published": "2023", "region": "on", "access": "public", "body": "## Findings",
}


def _found(words: str) -> list[str]:
    return [hit.resource.slug for hit in search_resources(None, SearchParams(q=words)).hits]


@pytest.fixture
def scene(app, make_user, make_resource):
    """A published guide an editor will unpublish, and a submission they will publish."""
    indexing.rebuild_index()
    make_resource(slug="zebra-guide", title="Zebra Crossing Guide")
    author, editor = make_user("member"), make_user("editor")
    result = drafts.save_submission(author, None, dict(COMPLETE), intent="submit")
    assert result.submitted, result.all_problems
    assert _found("zebra") == ["zebra-guide"] and _found("walrus") == []
    return editor, result.submission


def test_two_calls_in_one_unit_commit_together_and_index_after_the_commit(app, scene, monkeypatch):
    editor, sub = scene
    applied = []
    apply_changes = indexing.apply_changes
    monkeypatch.setattr(indexing, "apply_changes",
                        lambda *args, **kwargs: (applied.append(args), apply_changes(*args, **kwargs))[1])
    version = indexing.content_version()
    index = indexing.get_index()
    indexed = (index.content_version(), index.doc_count())
    mails = len(outbox(app))

    with unit_of_work() as work:
        history.set_status(editor, "zebra-guide", "unpublished", uow=work)
        published = review.review_submission(editor, sub.id, "publish", version=sub.version, uow=work)
        # Neither call committed or indexed on its own.
        assert applied == [] and indexing.content_version() == version
        assert (index.content_version(), index.doc_count()) == indexed
        assert len(outbox(app)) == mails

    new = db.session.scalar(select(Resource).where(Resource.id == published.resource_id))
    old = db.session.scalar(select(Resource).where(Resource.slug == "zebra-guide"))
    assert (old.status, new.status) == ("unpublished", "published")
    # One content version for the whole unit, its change log naming both resources.
    assert indexing.content_version() == version + 1
    logged = set(db.session.scalars(select(ChangeLogEntry.resource_id).where(ChangeLogEntry.version == version + 1)))
    assert logged == {old.id, new.id}
    assert len(applied) == 1 and set(applied[0][0]) == {old.id, new.id}
    assert _found("zebra") == [] and _found("walrus") == [new.slug]
    assert len(outbox(app)) > mails  # the author is told, after the commit


def test_a_failure_in_the_second_call_rolls_back_both_and_the_index_sees_neither(app, scene):
    editor, sub = scene
    version = indexing.content_version()
    mails = len(outbox(app))
    counts = (db.session.scalar(select(func.count(ResourceVersion.id))),
              db.session.scalar(select(func.count(ChangeLogEntry.version))))

    with pytest.raises(Conflict), unit_of_work() as work:
        history.set_status(editor, "zebra-guide", "unpublished", uow=work)
        review.review_submission(editor, sub.id, "publish", version=sub.version + 1, uow=work)  # stale page

    db.session.expire_all()
    assert db.session.scalar(select(Resource.status).where(Resource.slug == "zebra-guide")) == "published"
    assert db.session.get(Submission, sub.id).state == "submitted"
    assert db.session.scalar(select(func.count(Resource.id))) == 1
    assert indexing.content_version() == version
    assert (db.session.scalar(select(func.count(ResourceVersion.id))),
            db.session.scalar(select(func.count(ChangeLogEntry.version)))) == counts
    assert _found("zebra") == ["zebra-guide"] and _found("walrus") == []
    assert indexing.get_index().content_version() == version
    assert len(outbox(app)) == mails


def test_a_call_without_a_unit_commits_on_its_own(app, scene):
    editor, sub = scene
    version = indexing.content_version()
    review.review_submission(editor, sub.id, "publish", version=sub.version)
    db.session.rollback()  # nothing left pending: the service committed
    assert db.session.get(Submission, sub.id).state == "published"
    assert indexing.content_version() == version + 1
    assert _found("walrus") == ["walrus-settlement-report"]
