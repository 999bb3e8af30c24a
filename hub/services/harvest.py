"""What harvesters and crawlers may collect: the public catalogue, and the
tombstones of resources that left it (for OAI-PMH's deleted records).

Every answer here is the anonymous reader's view, whoever asks: the sitemap
and OAI-PMH describe the public catalogue, never one member's view of it.
The listing uses ``visibility.visible_clause(None)``, the SQL twin of the
policy, and each record is checked again with ``policy.can``.

Tombstones (``Withdrawal`` rows) are written by the resource services when a
public resource is deleted, unpublished or moved to members only, and
removed when it becomes public again. See docs/architecture.md, "Harvesting".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, cast, func, or_, select

from hub.extensions import db
from hub.models import Resource, Withdrawal
from hub.models._types import utcnow
from hub.security.policy import Action, can
from hub.security.visibility import visible_clause
from hub.vocabularies import load_vocabularies

#: The facets harvesters can select by: set spec prefix -> (vocabulary, resource attribute).
SET_FACETS = {"type": ("resource_types", "type"), "racism_type": ("racism_types", "racism_types")}


@dataclass(frozen=True)
class HarvestSet:
    spec: str
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)


@dataclass
class HarvestRecord:
    slug: str
    datestamp: datetime
    deleted: bool
    sets: list[str]
    resource: Resource | None = None


# -- the public catalogue ----------------------------------------------------------
def _public_clause():
    return visible_clause(None)


def public_resources(*, offset: int = 0, limit: int | None = None) -> list[Resource]:
    """Public resources in a stable order (slug), for the sitemap."""
    stmt = select(Resource).where(_public_clause()).order_by(Resource.slug).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [r for r in db.session.scalars(stmt) if can(None, Action.RESOURCE_READ, r)]


def count_public_resources() -> int:
    return db.session.scalar(select(func.count(Resource.id)).where(_public_clause())) or 0


def public_translations(resources: list[Resource]) -> dict[str, Resource]:
    """slug -> its public translation, for the resources that have one."""
    wanted = {r.translation for r in resources if r.translation}
    if not wanted:
        return {}
    found = {r.slug: r for r in db.session.scalars(
        select(Resource).where(Resource.slug.in_(wanted), _public_clause()))}
    return {r.slug: found[r.translation] for r in resources if r.translation in found}


def last_public_change() -> datetime | None:
    """When the public catalogue last changed (a publication, an edit or a withdrawal)."""
    latest = db.session.scalar(select(func.max(Resource.updated_at)).where(_public_clause()))
    gone = db.session.scalar(select(func.max(Withdrawal.withdrawn_at)))
    stamps = [s for s in (latest, gone) if s is not None]
    return max(stamps) if stamps else None


# -- tombstones ----------------------------------------------------------------------
def note_visibility(resource: Resource, was_public: bool) -> None:
    """Call inside the unit of work that changed ``resource``: keeps the
    tombstone of a public resource that stopped being public."""
    if resource.is_public:
        gone = db.session.get(Withdrawal, resource.slug)
        if gone is not None:
            db.session.delete(gone)
    elif was_public:
        note_withdrawal(resource)


def note_withdrawal(resource: Resource) -> None:
    """``resource`` (public until now) is leaving the public catalogue."""
    gone = db.session.get(Withdrawal, resource.slug) or Withdrawal(slug=resource.slug)
    gone.withdrawn_at = utcnow()
    gone.type = resource.type or ""
    gone.racism_types = list(resource.racism_types or [])
    db.session.add(gone)


# -- sets and records ------------------------------------------------------------------
def harvest_sets() -> list[HarvestSet]:
    """One set per resource type and per racism type, under two parent sets."""
    vocab = load_vocabularies()
    parents = {
        "type": ({"en": "By resource type", "fr": "Par type de ressource"}),
        "racism_type": ({"en": "By type of racism", "fr": "Par type de racisme"}),
    }
    sets = []
    for prefix, (vocab_name, _attr) in SET_FACETS.items():
        sets.append(HarvestSet(prefix, parents[prefix]))
        for term in vocab.terms(vocab_name):
            sets.append(HarvestSet(f"{prefix}:{term.key}", dict(term.labels), dict(term.descriptions)))
    return sets


def is_known_set(spec: str) -> bool:
    return any(s.spec == spec for s in harvest_sets())


def sets_of(type_: str, racism_types: list[str]) -> list[str]:
    return [f"type:{type_}"] * bool(type_) + [f"racism_type:{k}" for k in racism_types or []]


def _set_clause(model, spec: str | None):
    if not spec:
        return None
    prefix, _, key = spec.partition(":")
    if prefix == "type":
        return model.type == key if key else model.type != ""
    if prefix == "racism_type":
        # JSON lists are stored as text on both SQLite and PostgreSQL; keys are plain slugs.
        text = cast(model.racism_types, String)
        return text.like(f'%"{key}"%') if key else text.like('%"%')
    return model.type == "\x00"  # unknown set: matches nothing


def _window(column, since: datetime | None, before: datetime | None):
    clauses = []
    if since is not None:
        clauses.append(column >= since)
    if before is not None:
        clauses.append(column < before)
    return clauses


def list_records(*, since: datetime | None = None, before: datetime | None = None, set_spec: str | None = None,
                 after: tuple[datetime, str] | None = None, limit: int = 100) -> tuple[list[HarvestRecord], bool]:
    """Public records and tombstones with ``since <= datestamp < before``, in
    (datestamp, slug) order, resuming strictly after ``after``. Returns the
    page and whether more follow. Keyset paging keeps a harvest stable while
    the catalogue changes under it."""
    live = select(Resource).where(_public_clause(), *_window(Resource.updated_at, since, before))
    gone = select(Withdrawal).where(*_window(Withdrawal.withdrawn_at, since, before))
    live_set, gone_set = _set_clause(Resource, set_spec), _set_clause(Withdrawal, set_spec)
    if live_set is not None:
        live, gone = live.where(live_set), gone.where(gone_set)
    if after is not None:
        stamp, slug = after
        live = live.where(or_(Resource.updated_at > stamp,
                              and_(Resource.updated_at == stamp, Resource.slug > slug)))
        gone = gone.where(or_(Withdrawal.withdrawn_at > stamp,
                              and_(Withdrawal.withdrawn_at == stamp, Withdrawal.slug > slug)))
    live = live.order_by(Resource.updated_at, Resource.slug).limit(limit + 1)
    gone = gone.order_by(Withdrawal.withdrawn_at, Withdrawal.slug).limit(limit + 1)
    records = [_live_record(r) for r in db.session.scalars(live)]
    public_slugs = {r.slug for r in records}
    records += [_gone_record(w) for w in db.session.scalars(gone) if w.slug not in public_slugs]
    records.sort(key=lambda rec: (rec.datestamp, rec.slug))
    records = [r for r in records if r.deleted or can(None, Action.RESOURCE_READ, r.resource)]
    return records[:limit], len(records) > limit


def count_records(*, since: datetime | None = None, before: datetime | None = None,
                  set_spec: str | None = None) -> int:
    """How many records ``list_records`` walks in all (OAI's completeListSize)."""
    live = select(func.count(Resource.id)).where(_public_clause(), *_window(Resource.updated_at, since, before))
    gone = select(func.count()).select_from(Withdrawal).where(*_window(Withdrawal.withdrawn_at, since, before))
    if set_spec:
        live, gone = live.where(_set_clause(Resource, set_spec)), gone.where(_set_clause(Withdrawal, set_spec))
    return (db.session.scalar(live) or 0) + (db.session.scalar(gone) or 0)


def get_record(slug: str) -> HarvestRecord | None:
    """The public record, or the tombstone, of ``slug``; None for anything
    else, including resources that exist but never were public."""
    resource = db.session.scalar(select(Resource).where(Resource.slug == slug, _public_clause()))
    if resource is not None and can(None, Action.RESOURCE_READ, resource):
        return _live_record(resource)
    gone = db.session.get(Withdrawal, slug)
    return _gone_record(gone) if gone is not None else None


def earliest_datestamp() -> datetime | None:
    first = db.session.scalar(select(func.min(Resource.updated_at)).where(_public_clause()))
    gone = db.session.scalar(select(func.min(Withdrawal.withdrawn_at)))
    stamps = [s for s in (first, gone) if s is not None]
    return min(stamps) if stamps else None


def _live_record(resource: Resource) -> HarvestRecord:
    return HarvestRecord(resource.slug, resource.updated_at, False,
                         sets_of(resource.type, resource.racism_types), resource)


def _gone_record(gone: Withdrawal) -> HarvestRecord:
    return HarvestRecord(gone.slug, gone.withdrawn_at, True, sets_of(gone.type, gone.racism_types))
