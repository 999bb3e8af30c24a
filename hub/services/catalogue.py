"""Reading the catalogue for the public pages: counts per vocabulary key,
listings for browse pages, featured and related resources.

Everything here is computed on what the reader may see (the policy's SQL
twin, ``visible_clause``), so a count never reveals a members-only or
unpublished resource to someone who may not read it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from threading import Lock

from flask import current_app
from sqlalchemy import case, select

from hub.errors import NotFound
from hub.extensions import db
from hub.models import Resource
from hub.security.policy import read_labels
from hub.services.indexing import content_version
from hub.services.resources import visible_clause
from hub.vocabularies import load_vocabularies

#: Which list column each browsable vocabulary lives in.
LIST_FIELDS = {"racism_types": "racism_types", "audiences": "audiences"}
BROWSABLE = tuple(LIST_FIELDS)

_cache_lock = Lock()


@dataclass(frozen=True)
class VocabCount:
    key: str
    label: str
    description: str
    count: int


def _tally(user) -> dict[str, Counter]:
    """Counts per key for types, racism types and audiences, cached per content
    version and reader labels (the catalogue changes far less often than it is read)."""
    # Kept on the app (one per process), keyed by the database's content version,
    # which every committed change bumps, whichever process made it.
    _cache = current_app.extensions.setdefault("hub.catalogue_counts", {})
    key = (content_version(), read_labels(user))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    counts = {"resource_types": Counter(), "racism_types": Counter(), "audiences": Counter()}
    rows = db.session.execute(
        select(Resource.type, Resource.racism_types, Resource.audiences).where(visible_clause(user)))
    for rtype, racism_types, audiences in rows:
        counts["resource_types"][rtype] += 1
        counts["racism_types"].update(set(racism_types or ()))
        counts["audiences"].update(set(audiences or ()))
    with _cache_lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = counts
    return counts


def vocabulary_counts(user, vocab: str, locale: str) -> list[VocabCount]:
    """Every key of ``vocab`` (in the vocabulary file's order) with how many
    resources the reader may see carry it; keys with none are kept, at zero."""
    counts = _tally(user)[vocab]
    return [VocabCount(t.key, t.label(locale), t.description(locale), counts.get(t.key, 0))
            for t in load_vocabularies().terms(vocab)]


def total_visible(user) -> int:
    return sum(_tally(user)["resource_types"].values())


def _prefer_language(lang: str | None):
    return case((Resource.language == lang, 0), else_=1) if lang else None


def featured_resources(user, rtype: str, *, lang: str | None = None, limit: int = 3) -> list[Resource]:
    """The newest resources of one type, those in the reader's language first:
    the home page features toolkits and self-assessments this way."""
    order = [o for o in (_prefer_language(lang),) if o is not None]
    stmt = (select(Resource).where(visible_clause(user), Resource.type == rtype)
            .order_by(*order, Resource.published_on.desc().nulls_last(), Resource.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


@dataclass
class BrowsePage:
    vocab: str
    term: VocabCount
    resources: list[Resource]
    total: int


def browse(user, vocab: str, key: str, locale: str, *, limit: int = 50) -> BrowsePage:
    """The resources the reader may see that carry ``key``, newest first."""
    vocabularies = load_vocabularies()
    if vocab not in LIST_FIELDS or not vocabularies.has(vocab, key):
        raise NotFound()
    term = vocabularies.term(vocab, key)
    column = getattr(Resource, LIST_FIELDS[vocab])
    ids = [rid for rid, values in db.session.execute(
        select(Resource.id, column).where(visible_clause(user))
        .order_by(Resource.published_on.desc().nulls_last(), Resource.id.desc()))
        if key in (values or ())]
    shown = _load_in_order(ids[:limit])
    count = VocabCount(key, term.label(locale), term.description(locale), len(ids))
    return BrowsePage(vocab=vocab, term=count, resources=shown, total=len(ids))


def related_resources(user, resource: Resource, *, limit: int = 5) -> list[Resource]:
    """Resources sharing the most tags with this one: topics weigh most, then
    racism types and audiences; the same type breaks ties. The resource itself
    and its translation are left out (the page links to that already)."""
    topics = {t.lower() for t in resource.topics or ()}
    racism = set(resource.racism_types or ())
    audiences = set(resource.audiences or ())
    skip = {resource.slug, resource.translation}
    scored = []
    rows = db.session.execute(
        select(Resource.id, Resource.slug, Resource.type, Resource.topics, Resource.racism_types,
               Resource.audiences, Resource.translation, Resource.published_on)
        .where(visible_clause(user)))
    for rid, slug, rtype, r_topics, r_racism, r_aud, r_translation, published_on in rows:
        if slug in skip or r_translation == resource.slug:
            continue
        shared_topics = len(topics & {t.lower() for t in r_topics or ()})
        shared_other = len(racism & set(r_racism or ())) + len(audiences & set(r_aud or ()))
        if not shared_topics and not shared_other:
            continue
        score = 3 * shared_topics + shared_other + (0.5 if rtype == resource.type else 0)
        scored.append((-score, -(published_on.toordinal() if published_on else 0), rid))
    scored.sort()
    return _load_in_order([rid for _, _, rid in scored[:limit]])


def _load_in_order(ids: list[int]) -> list[Resource]:
    if not ids:
        return []
    by_id = {r.id: r for r in db.session.scalars(select(Resource).where(Resource.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


#: How a Local Immigration Partnership names itself in the catalogue's `organization` field.
PARTNERSHIP_MARKERS = ("immigration partnership", "partenariat local d'immigration", "lip council")


def contributing_partnerships(user) -> list[tuple[str, int]]:
    """Organizations named as Local Immigration Partnerships among the
    resources the reader may see, with how many each contributed: the
    working group's page lists them from the catalogue rather than by hand."""
    counts: Counter = Counter()
    for (organization,) in db.session.execute(select(Resource.organization).where(visible_clause(user))):
        if organization and any(m in organization.lower() for m in PARTNERSHIP_MARKERS):
            counts[organization] += 1
    return sorted(counts.items(), key=lambda item: item[0].lower())
