"""What the hub published lately, by racism type, for the home page.

"Published" here is when a resource went live on the hub (``published_at``,
the date the Atom feed gives), not the date its publisher printed on it: a
report from 2019 added last week is new to the hub's readers. Only what the
reader may see is counted or listed: the ids come from the database with the
SQL twin of the policy, and each resource shown is checked by the policy
again when it is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.models._types import utcnow
from hub.security.visibility import visible_clause
from hub.services import catalogue
from hub.services.catalogue import ResourceListing
from hub.vocabularies import load_vocabularies

#: How far back the home page looks.
DAYS = 30
#: At most this many recent resources are read: the home page is not an archive.
LIMIT = 200
#: Resources listed under each racism type; the count says how many there are.
SHOWN_PER_TYPE = 10


@dataclass(frozen=True)
class NewInType:
    key: str
    label: str
    #: How many new resources of this type the reader may see.
    count: int
    #: The newest of them.
    resources: list[ResourceListing]


@dataclass(frozen=True)
class WhatsNew:
    days: int
    #: Works published in the period that the reader may see (a resource and its translation count once).
    total: int
    #: One group per racism type with something new, in the vocabulary's order.
    groups: list[NewInType]


def whats_new(user, lang: str, *, days: int = DAYS, now: datetime | None = None) -> WhatsNew:
    """The resources ``user`` may see that went live in the last ``days`` days,
    newest first, one edition per work (the one in ``lang``), grouped by
    racism type (a resource of two types is in both groups).

    Counted from plain rows; only the resources listed are loaded (and checked
    by the policy once more), so a busy month costs one query, not hundreds
    of objects."""
    since = (now or utcnow()) - timedelta(days=days)
    rows = db.session.execute(
        select(Resource.id, Resource.slug, Resource.language, Resource.translation, Resource.racism_types)
        .where(visible_clause(user), Resource.published_at.is_not(None), Resource.published_at >= since)
        .order_by(Resource.published_at.desc(), Resource.id.desc())
        .limit(LIMIT)).all()
    works = catalogue.one_edition_each(list(rows), lang)
    vocab = load_vocabularies()
    members = {term.key: [row.id for row in works if term.key in (row.racism_types or ())]
               for term in vocab.terms("racism_types")}
    shown = {rid for ids in members.values() for rid in ids[:SHOWN_PER_TYPE]}
    listings = {r.id: r for r in catalogue.visible_listings(user, sorted(shown))}
    groups = [NewInType(term.key, term.label(lang), len(members[term.key]),
                        [listings[rid] for rid in members[term.key][:SHOWN_PER_TYPE] if rid in listings])
              for term in vocab.terms("racism_types") if members[term.key]]
    return WhatsNew(days=days, total=len(works), groups=groups)
