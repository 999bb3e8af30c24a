"""The SQL twin of the policy selects exactly what ``can()`` lets each reader
read: every role, every status and access, on real rows, on both engines.

Listings that come straight from the database (sitemap, OAI-PMH, insight
reports, saved results) filter with ``visible_clause``; pages and search ask
``can``. If the two ever disagree, one channel shows what another hides.
"""
from __future__ import annotations

import itertools

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.models.resource import STATUSES
from hub.models.submission import STATES as SUBMISSION_STATES
from hub.security.policy import Action, can
from hub.security.visibility import visible_clause
from hub.services import drafts, history, review
from hub.services.users import set_active

ACCESSES = ("public", "members")
#: Statuses no service gives a resource today (a submission's states). A row
#: carrying one must be treated by the clause exactly as the policy treats it,
#: so a new status cannot open a gap between them.
UNDECLARED = (*(s for s in SUBMISSION_STATES if s not in STATUSES), "")


@pytest.fixture
def readers(app, make_user):
    admin = make_user("admin")
    gone = make_user("editor")
    set_active(admin, gone.id, False)
    return {
        "anonymous (None)": None,
        "anonymous": AnonymousUserMixin(),
        "deactivated editor": db.session.get(type(gone), gone.id),
        "member": make_user("member"),
        "author": make_user("member"),
        "editor": make_user("editor"),
        "admin": admin,
    }


def _published_by_the_author(author, editor) -> Resource:
    """A resource that began as the author's submission, as the web form makes them."""
    raw = {"title": "From a member", "summary": "Proposed through the form.", "type": "report",
           "racism_types": ["systemic"], "audiences": ["lip-staff"], "topics": "rural", "language": "en",
           "organization": "Huron LIP", "published": "2023-06-01", "region": "on", "access": "public",
           "body": "Text."}
    sub = drafts.save_submission(author, None, raw, intent="submit").submission
    review.review_submission(editor, sub.id, "publish", version=sub.version)
    return db.session.scalar(select(Resource).where(Resource.title == "From a member"))


def _set_undeclared_status(resource: Resource, status: str) -> None:
    # No service writes these (that is the point): put them on the row directly.
    resource.status = status
    db.session.commit()


def test_visible_clause_selects_exactly_what_can_allows(readers, make_resource):
    editor = readers["editor"]
    rows: dict[int, tuple[str, str]] = {}
    for n, (status, access) in enumerate(itertools.product(STATUSES + UNDECLARED, ACCESSES)):
        resource = make_resource(slug=f"r{n}", access=access)
        if status == "unpublished":
            history.set_status(editor, resource.slug, "unpublished")
        elif status != "published":
            _set_undeclared_status(resource, status)
        rows[resource.id] = (status, access)
    authored = _published_by_the_author(readers["author"], editor)
    rows[authored.id] = ("published", "public")
    for status in ("unpublished", "published"):
        history.set_status(editor, authored.slug, status)
        _compare(readers, rows | {authored.id: (status, "public")})
    db.session.expire_all()

    checked = _compare(readers, rows)
    # The matrix really varies: someone sees each row, nobody sees every row.
    assert checked["editor"] == set(rows) and checked["anonymous"] < checked["member"] < checked["editor"]


def _compare(readers, rows) -> dict[str, set[int]]:
    seen = {}
    everything = db.session.scalars(select(Resource).where(Resource.id.in_(rows))).all()
    for role, user in readers.items():
        by_sql = set(db.session.scalars(select(Resource.id).where(Resource.id.in_(rows), visible_clause(user))))
        by_policy = {r.id for r in everything if can(user, Action.RESOURCE_READ, r)}
        differ = {rows[i] for i in by_sql ^ by_policy}
        assert by_sql == by_policy, (
            f"{role}: visible_clause and can() disagree on (status, access) {sorted(differ)}; "
            f"SQL shows {sorted(rows[i] for i in by_sql - by_policy)}, "
            f"the policy shows {sorted(rows[i] for i in by_policy - by_sql)}")
        seen[role] = by_sql
    return seen


def test_nobody_reads_through_the_clause_when_the_policy_grants_no_label(app, make_resource, monkeypatch):
    """A reader with no label at all (a role the policy may one day add) sees
    nothing, rather than the whole table an empty OR would select."""
    from hub.security import visibility

    make_resource(slug="public-one")
    monkeypatch.setattr(visibility, "read_labels", lambda user: frozenset())
    assert db.session.scalars(select(Resource).where(visibility.visible_clause(None))).all() == []
