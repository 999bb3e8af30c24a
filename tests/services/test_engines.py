"""What differs between SQLite and PostgreSQL and has bitten Flask apps before:
JSON comparison, NULL ordering, case of e-mail addresses, accents. These run on
both engines (see PG_PATHS in tests/conftest.py)."""
from __future__ import annotations

from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.services import users
from hub.services.users import get_user_by_email


def test_resources_with_list_fields_can_be_compared_and_deduplicated(app, make_resource):
    """DISTINCT and UNION over rows with JSON columns: PostgreSQL's plain `json`
    type has no equality operator, `jsonb` does."""
    make_resource(slug="a", topics="[hiring, housing]")
    make_resource(slug="b", topics="[hiring]")
    rows = db.session.scalars(select(Resource).distinct().order_by(Resource.slug)).all()
    assert [r.slug for r in rows] == ["a", "b"]
    same = db.session.scalars(select(Resource.slug).where(Resource.topics == ["hiring"])).all()
    assert same == ["b"]


def test_lists_and_accents_round_trip_exactly(app, make_resource):
    make_resource(slug="fr", title="« Équité » et lutte contre le racisme anti-Noirs", language="fr",
                  topics="[équité, 'emploi, embauche']", authors="[Zoë Ève, A. Person]")
    db.session.expire_all()
    got = db.session.scalar(select(Resource).where(Resource.slug == "fr"))
    assert got.title == "« Équité » et lutte contre le racisme anti-Noirs"
    assert got.topics == ["équité", "emploi, embauche"]
    assert got.authors == ["Zoë Ève", "A. Person"]


def test_email_lookup_ignores_case_on_both_engines(app):
    users.create_user("Someone@Example.ORG", role="member", password="a long enough password")
    assert get_user_by_email("SOMEONE@example.org").email == "someone@example.org"
    assert get_user_by_email(" someone@EXAMPLE.org ") is not None
