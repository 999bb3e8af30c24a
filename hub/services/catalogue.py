"""Reading the catalogue for the public pages: counts per vocabulary key,
listings for browse pages, featured and related resources.

Everything here is computed on what the reader may see, so a count never
reveals a members-only or unpublished resource to someone who may not read
it. Counts and listings come from the search snapshot (the reader's labels,
cached document sets per key, the cached "newest" order), so they cost the
same at 50,000 resources as at 50 and agree with the search page; the
resources shown are then loaded from the database and checked by the policy.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from sqlalchemy import Select, bindparam, func, or_, select

from hub.content.bilingual import BilingualMetadata
from hub.errors import NotFound
from hub.extensions import db
from hub.models import Resource
from hub.security.policy import Action, can
from hub.security.visibility import visible_clause
from hub.services import search
from hub.vocabularies import load_vocabularies

#: The vocabularies with browse pages.
BROWSABLE = ("racism_types", "audiences")


@dataclass(frozen=True)
class VocabCount:
    key: str
    label: str
    description: str
    count: int


@dataclass(frozen=True, slots=True)
class ResourceListing(BilingualMetadata):
    """What a listing (resources/_macros.html), the policy and
    ``related_resources`` read of a resource: plain rows rather than mapped
    objects, since building an ORM object for each listed resource cost more
    than the query that found it (and a listing needs no body, JSON lists or files)."""
    id: int
    slug: str
    title: str
    type: str
    summary: str
    language: str
    organization: str
    published: str
    published_on: date | None
    access: str
    status: str
    translation: str | None
    translations: dict



#: Vocabulary -> the search facet that counts its keys.
COUNTED_FACETS = {"resource_types": "type", "racism_types": "racism_type", "audiences": "audience"}


def _tally(user, lang: str | None = None) -> tuple[dict[str, dict[str, int]], int]:
    """Counts per key for types, racism types and audiences, and the total:
    the search's own facet counts over everything the reader may see, so the
    home page and a search with no words can never disagree. With ``lang``, a
    resource and its translation count once, as the lists show them."""
    counts, total = search.visible_counts(user, lang)
    return {vocab: counts.get(facet, {}) for vocab, facet in COUNTED_FACETS.items()}, total


def vocabulary_counts(user, vocab: str, locale: str) -> list[VocabCount]:
    """Every key of ``vocab`` (in the vocabulary file's order) with how many
    works the reader may see carry it; keys with none are kept, at zero."""
    counts = _tally(user, locale)[0][vocab]
    return [VocabCount(t.key, t.label(locale), t.description(locale), counts.get(t.key, 0))
            for t in load_vocabularies().terms(vocab)]


def total_visible(user, lang: str | None = None) -> int:
    return _tally(user, lang)[1]


def _newest_ids(user, filters: dict[str, frozenset[str]], limit: int,
                lang: str | None = None) -> tuple[list[int], int]:
    """Ids of the newest resources the reader may see with these facet
    filters, and how many there are: read from the search snapshot, whose
    "newest" order and per-key document sets are cached, instead of sorting or
    scanning the table's rows on every page view. With ``lang``, one edition
    per work (hub/search/editions.py)."""
    return search.newest_ids(user, filters, limit, lang)


def newest_resources(user, limit: int = 10, *, lang: str | None = None) -> list[ResourceListing]:
    """The newest resources the reader may see (undated ones last), one edition per work with ``lang``."""
    return _load_visible(user, _newest_ids(user, {}, limit, lang)[0])


def featured_resources(user, rtype: str, *, lang: str | None = None, limit: int = 3) -> list[ResourceListing]:
    """The newest resources of one type, those in the reader's language first:
    the home page features toolkits and self-assessments this way."""
    ids: list[int] = []
    if lang:
        ids = _newest_ids(user, {"type": frozenset([rtype]), "language": frozenset([lang])}, limit, lang)[0]
    if len(ids) < limit:
        others = _newest_ids(user, {"type": frozenset([rtype])}, limit + len(ids), lang)[0]
        ids += [i for i in others if i not in ids][:limit - len(ids)]
    return _load_visible(user, ids)


@dataclass
class BrowsePage:
    vocab: str
    term: VocabCount
    resources: list[ResourceListing]
    total: int


#: Which search facet holds each browsable vocabulary's keys.
BROWSE_FACETS = {"racism_types": "racism_type", "audiences": "audience"}


def browse(user, vocab: str, key: str, locale: str, *, limit: int = 50) -> BrowsePage:
    """The resources the reader may see that carry ``key``, newest first."""
    vocabularies = load_vocabularies()
    if vocab not in BROWSE_FACETS or not vocabularies.has(vocab, key):
        raise NotFound()
    term = vocabularies.term(vocab, key)
    if term is None:
        raise NotFound()
    ids, total = _newest_ids(user, {BROWSE_FACETS[vocab]: frozenset([key])}, limit, locale)
    count = VocabCount(key, term.label(locale), term.description(locale), total)
    return BrowsePage(vocab=vocab, term=count, resources=_load_visible(user, ids), total=total)


def related_resources(user, resource: Resource, *, limit: int = 5, lang: str | None = None) -> list[ResourceListing]:
    """Resources sharing the most tags with this one: topics weigh most, then
    racism types and audiences; the same type breaks ties. The resource itself
    and its translation are left out (the page links to that already)."""
    shared = ([("topic", t, 3.0) for t in dict.fromkeys(resource.topics or ())]
              + [("racism_type", k, 1.0) for k in resource.racism_types or ()]
              + [("audience", k, 1.0) for k in resource.audiences or ()])
    # A few spare places: the resource, its translation and what points to it are dropped below.
    ids = search.related_ids(user, shared, bonus=("type", resource.type, 0.5), limit=limit + 3)
    skip = {resource.slug, resource.translation}
    found = [r for r in _load_visible(user, ids) if r.slug not in skip and r.translation != resource.slug]
    return (one_edition_each(found, lang) if lang else found)[:limit]


def one_edition_each(listed: list, lang: str) -> list:
    """A list in which a resource and its translation both appear keeps only
    the edition in ``lang`` (in the place of the better-placed of the two)."""
    by_slug = {r.slug: r for r in listed}
    partner: dict[str, str] = {}
    for r in listed:
        other = by_slug.get(r.translation or "")
        if other is not None and other.language != r.language:
            partner.setdefault(r.slug, other.slug)
            partner.setdefault(other.slug, r.slug)
    out, placed = [], set()
    for r in listed:
        if r.slug in placed:
            continue
        pair = by_slug.get(partner.get(r.slug, ""))
        chosen = pair if pair is not None and r.language != lang and pair.language == lang else r
        # Both editions are placed now: the other, further down, is this work again.
        placed.update({r.slug, chosen.slug, *([pair.slug] if pair is not None else [])})
        out.append(chosen)
    return out


@lru_cache(maxsize=1)
def _listing_statement() -> Select:
    """Listed resources by id, built once, on the table: plain SQL, no ORM."""
    table = Resource.__table__
    return (select(*(table.c[f.name] for f in fields(ResourceListing)))
            .where(table.c.id.in_(bindparam("ids", expanding=True))))


def visible_listings(user, ids: list[int]) -> list[ResourceListing]:
    """These resources, in this order, less those the reader may not see: for
    other services that found ids themselves (the glossary, what's new)."""
    return _load_visible(user, ids)


def _load_visible(user, ids: list[int]) -> list[ResourceListing]:
    """These resources in this order, each checked by the policy (an index
    entry a moment older than the database never shows what it should not)."""
    if not ids:
        return []
    by_id = {row.id: ResourceListing(*row) for row in db.session.execute(_listing_statement(), {"ids": ids})}
    return [by_id[i] for i in ids if i in by_id and can(user, Action.RESOURCE_READ, by_id[i])]


#: How a Local Immigration Partnership names itself in the catalogue's `organization` field.
PARTNERSHIP_MARKERS = ("immigration partnership", "partenariat local d'immigration", "lip council")


def contributing_partnerships(user, locale: str = "en") -> list[tuple[str, int]]:
    """Local Immigration Partnerships among the resources the reader may see,
    with how many each contributed: the working group's page lists them from
    the catalogue rather than by hand. A resource whose publisher is a LIP
    counts under that publisher's name in the reader's language, so one
    partnership spelled two ways in `organization` is one entry; a resource
    without a publisher (a member's submission may not name one) still counts
    under its organization when that names a partnership."""
    vocab = load_vocabularies()
    lips = [term.key for term in vocab.terms("publishers") if term.kind == "lip"]
    tally: dict[str, int] = {}
    by_key = db.session.execute(
        select(Resource.publisher, func.count())
        .where(visible_clause(user), Resource.publisher.in_(lips)).group_by(Resource.publisher))
    for key, n in by_key:
        name = vocab.label("publishers", key or "", locale)
        tally[name] = tally.get(name, 0) + n
    named = or_(*(func.lower(Resource.organization).like(f"%{m}%") for m in PARTNERSHIP_MARKERS))
    unkeyed = db.session.execute(
        select(Resource.organization, func.count())
        .where(visible_clause(user), named, or_(Resource.publisher.is_(None), Resource.publisher == ""))
        .group_by(Resource.organization))
    for org, n in unkeyed:
        tally[org] = tally.get(org, 0) + n
    return sorted(tally.items(), key=lambda item: item[0].lower())
