"""Language parity: which resources exist in English and French.

Two resources are counterparts when one names the other in `translation:`
and they are in different languages; one side naming the other is enough,
so a translation imported later does not require editing the original.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Select, bindparam, case, or_, select
from sqlalchemy.orm import lazyload

from hub.content.bilingual import LANGUAGES
from hub.extensions import db
from hub.models import Resource
from hub.security.policy import Action, can, require
from hub.security.visibility import visible_clause


@dataclass
class BrokenTranslation:
    resource: Resource
    target: str
    reason: str  # "missing" | "same-language"


@dataclass
class ParityReport:
    total: int
    both: int
    #: Resources without a counterpart, by their language.
    missing: dict[str, list[Resource]]
    by_type: list[tuple[str, int, int]]          # (type, resources, without counterpart)
    by_racism_type: list[tuple[str, int, int]]   # (racism type, resources, without counterpart)
    broken: list[BrokenTranslation] = field(default_factory=list)
    #: Metadata parity: resources whose title and summary are written in both
    #: languages, whatever the document's language; and those that are not.
    described_both: int = 0
    undescribed: list[Resource] = field(default_factory=list)

    @property
    def metadata_share(self) -> float:
        """Share of the catalogue with a title and a summary in both languages (0..1)."""
        return self.described_both / self.total if self.total else 0.0

    @property
    def missing_count(self) -> int:
        return sum(len(v) for v in self.missing.values())

    @property
    def share(self) -> float:
        """Share of the catalogue available in both languages (0..1)."""
        return self.both / self.total if self.total else 0.0


def _pairs(resources: list[Resource]) -> tuple[dict[int, Resource], list[BrokenTranslation]]:
    by_slug = {r.slug: r for r in resources}
    partner: dict[int, Resource] = {}
    broken = []
    for r in resources:
        if not r.translation:
            continue
        other = by_slug.get(r.translation)
        if other is None:
            broken.append(BrokenTranslation(r, r.translation, "missing"))
        elif other.language == r.language:
            broken.append(BrokenTranslation(r, r.translation, "same-language"))
        else:
            partner.setdefault(r.id, other)
            partner.setdefault(other.id, r)
    return partner, broken


def language_parity(user) -> ParityReport:
    """Parity of the published catalogue the editor can see (public and members)."""
    require(user, Action.INSIGHT_READ)
    resources = list(db.session.scalars(
        select(Resource).where(visible_clause(user), Resource.status == "published").order_by(Resource.title)))
    partner, broken = _pairs(resources)
    missing: dict[str, list[Resource]] = {"en": [], "fr": []}
    types: Counter = Counter()
    types_missing: Counter = Counter()
    racism: Counter = Counter()
    racism_missing: Counter = Counter()
    for r in resources:
        alone = r.id not in partner
        if alone:
            missing.setdefault(r.language, []).append(r)
        types[r.type] += 1
        types_missing[r.type] += alone
        for key in r.racism_types or ():
            racism[key] += 1
            racism_missing[key] += alone

    def table(counts: Counter, gaps: Counter) -> list[tuple[str, int, int]]:
        return sorted(((k, counts[k], gaps[k]) for k in counts), key=lambda x: (-x[2], -x[1], x[0]))

    undescribed = [r for r in resources if missing_translations(r)]
    return ParityReport(total=len(resources), both=len(partner), missing=missing,
                        by_type=table(types, types_missing), by_racism_type=table(racism, racism_missing),
                        broken=broken, described_both=len(resources) - len(undescribed), undescribed=undescribed)


def missing_translations(resource) -> list[str]:
    """The bilingual metadata (title, summary) not yet written in the other
    official language: what an editor should add. Topics are optional."""
    return [name for name, values in (("title", resource.titles), ("summary", resource.summaries))
            if not all(values.get(lang) for lang in LANGUAGES)]


def counterparts(user, resources) -> dict[str, object]:
    """slug -> the same resource in the other language that ``user`` may see,
    for each of ``resources`` that has one (one query for a whole list)."""
    slugs = {r.slug for r in resources}
    named = {r.translation for r in resources if r.translation}
    if not slugs:
        return {}
    rows = list(db.session.scalars(
        select(Resource).where(or_(Resource.slug.in_(named), Resource.translation.in_(slugs)))
        .options(lazyload(Resource.attachments))))
    found: dict[str, object] = {}
    for r in resources:
        for other in sorted(rows, key=lambda o: (o.slug != r.translation, o.id)):
            if (other.id != r.id and other.language != r.language and other.status == "published"
                    and (other.slug == r.translation or other.translation == r.slug)
                    and can(user, Action.RESOURCE_READ, other)):
                found[r.slug] = other
                break
    return found


@lru_cache(maxsize=1)
def _candidates() -> Select:
    """The resource named as the translation (first), then those naming this
    one, by id: one statement for both directions, built once. ``slug = NULL``
    matches nothing, so a resource naming none needs no second form. A page
    shows only the counterpart's link: its attachments load only if asked for."""
    named = Resource.slug == bindparam("named")
    return (select(Resource).where(or_(named, Resource.translation == bindparam("slug")))
            .order_by(case((named, 0), else_=1), Resource.id).options(lazyload(Resource.attachments)))


def counterpart_for(user, resource: Resource) -> Resource | None:
    """The same resource in the other language, if this reader may see it:
    the one it names in `translation:`, else one that names it."""
    params = {"named": resource.translation, "slug": resource.slug}
    for other in db.session.scalars(_candidates(), params):
        if (other.id != resource.id and other.language != resource.language
                and other.status == "published" and can(user, Action.RESOURCE_READ, other)):
            return other
    return None
