"""Pathways: import, export and reading for the pages.

A pathway is public (the working group's own guidance); the resources in its
steps are not necessarily. Every resource a page shows passes the one
permission check (``can(user, RESOURCE_READ, …)``), so a members-only or
unpublished resource in a step is simply absent for a reader who may not see
it: no title, no placeholder, no count that would reveal it.

Files come in through ``resources.import_documents`` (a file whose front
matter has ``steps`` is a pathway), after the resources of the same batch, so
a pathway may name a resource imported with it; this module never calls the
resources service back.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields as dataclass_fields
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from hub.content.frontmatter import ContentDoc
from hub.content.pathways import PathwayFields, StepFields, to_markdown, validate_pathway
from hub.content.render import render_markdown
from hub.errors import NotFound
from hub.extensions import db
from hub.models import Pathway, PathwayStep, PathwayStepResource, Resource
from hub.security.policy import Action, can
from hub.services.catalogue import ResourceListing
from hub.services.state import get_state, set_state
from hub.services.uow import UnitOfWork, unit_of_work

#: hub_state key: the launch pathways were loaded on this install (hub init).
IMPORTED_STATE = "pathways_imported"


# -- reading -------------------------------------------------------------------
@dataclass(frozen=True)
class PathwaySummary:
    """One entry of the list of pathways, in the reader's language."""
    slug: str
    title: str
    introduction_html: Markup
    step_count: int


@dataclass(frozen=True)
class StepView:
    number: int
    title: str
    text_html: Markup
    #: Only what the reader may see, each in the edition of the reader's language when there is one.
    resources: list[ResourceListing]


@dataclass(frozen=True)
class PathwayView:
    slug: str
    title: str
    introduction_html: Markup
    steps: list[StepView]


@dataclass(frozen=True)
class Membership:
    """A pathway that contains a resource, and the step it is in."""
    slug: str
    title: str
    step: int


def _html(markdown: str) -> Markup:
    """Rendered by the one Markdown renderer, which sanitises with nh3 (as a resource's body)."""
    return Markup(render_markdown(markdown))  # noqa: S704 - nh3-sanitised HTML


def _in(values: dict, locale: str) -> str:
    return values.get(locale) or values.get("en") or next(iter(values.values()), "")


def _ordered():
    return select(Pathway).order_by(Pathway.position.is_(None), Pathway.position, Pathway.slug)


def list_pathways(locale: str) -> list[PathwaySummary]:
    """Every pathway, in the working group's order (one query: the home page shows them too)."""
    steps = (select(PathwayStep.pathway_id, func.count().label("n")).group_by(PathwayStep.pathway_id)
             .subquery())
    rows = db.session.execute(
        select(Pathway.slug, Pathway.titles, Pathway.introductions, func.coalesce(steps.c.n, 0))
        .outerjoin(steps, steps.c.pathway_id == Pathway.id)
        .order_by(Pathway.position.is_(None), Pathway.position, Pathway.slug))
    return [PathwaySummary(slug=slug, title=_in(titles, locale),
                           introduction_html=_html(_in(introductions, locale)), step_count=n)
            for slug, titles, introductions, n in rows]


def _listings(user, slugs: set[str]) -> dict[str, ResourceListing]:
    """The resources with these slugs and their editions in the other
    language (either side naming the other), that ``user`` may see."""
    if not slugs:
        return {}
    columns = [getattr(Resource, f.name) for f in dataclass_fields(ResourceListing)]
    found: dict[str, ResourceListing] = {}
    wanted = set(slugs)
    for _ in range(2):  # the slugs and those naming them, then the editions they name
        rows = db.session.execute(select(*columns).where(or_(Resource.slug.in_(wanted),
                                                             Resource.translation.in_(wanted))))
        for row in rows:
            found.setdefault(row.slug, ResourceListing(*row))
        wanted = {r.translation for r in found.values() if r.translation} - set(found)
        if not wanted:
            break
    return {slug: r for slug, r in found.items() if can(user, Action.RESOURCE_READ, r)}


def _edition(slug: str, visible: dict[str, ResourceListing], locale: str) -> ResourceListing | None:
    """The listed resource, or its edition in the reader's language when the
    reader may see that one; the other edition when only it is visible."""
    own = visible.get(slug)
    partners = [r for r in visible.values()
                if r.slug != slug and ((own is not None and own.translation == r.slug) or r.translation == slug)]
    if own is not None and own.language == locale:
        return own
    in_locale = [r for r in partners if r.language == locale]
    if in_locale:
        return in_locale[0]
    return own if own is not None else (partners[0] if partners else None)


def get_pathway(user, slug: str, locale: str) -> PathwayView:
    """One pathway for this reader: its steps in order, each with the
    resources this reader may see."""
    pathway = db.session.scalar(select(Pathway).where(Pathway.slug == slug)
                                .options(selectinload(Pathway.steps).selectinload(PathwayStep.resources)))
    if pathway is None:
        raise NotFound()
    visible = _listings(user, {link.resource_slug for step in pathway.steps for link in step.resources})
    steps = []
    for number, step in enumerate(pathway.steps, start=1):
        shown: list[ResourceListing] = []
        for link in step.resources:
            chosen = _edition(link.resource_slug, visible, locale)
            if chosen is not None and chosen not in shown:
                shown.append(chosen)
        steps.append(StepView(number=number, title=_in(step.titles, locale),
                              text_html=_html(_in(step.texts, locale)), resources=shown))
    return PathwayView(slug=pathway.slug, title=_in(pathway.titles, locale),
                       introduction_html=_html(_in(pathway.introductions, locale)), steps=steps)


def pathways_containing(resource: Resource, locale: str) -> list[Membership]:
    """The pathways that list this resource or its edition in the other
    language, with the step, for "Part of the pathway …" on its page. The
    caller has already shown the resource, so the reader may see it."""
    slugs = {resource.slug} | ({resource.translation} if resource.translation else set())
    slugs |= set(db.session.scalars(select(Resource.slug).where(Resource.translation == resource.slug)))
    rows = db.session.execute(
        select(Pathway.slug, Pathway.titles, Pathway.position, PathwayStep.position)
        .join(PathwayStep, PathwayStep.pathway_id == Pathway.id)
        .join(PathwayStepResource, PathwayStepResource.step_id == PathwayStep.id)
        .where(PathwayStepResource.resource_slug.in_(slugs))
        .order_by(Pathway.position.is_(None), Pathway.position, Pathway.slug, PathwayStep.position))
    found: dict[str, Membership] = {}
    for slug, titles, _order, step in rows:
        found.setdefault(slug, Membership(slug=slug, title=_in(titles, locale), step=step))
    return list(found.values())


def pathway_slugs() -> list[str]:
    """Every pathway's slug, for the sitemap (pathways are public pages)."""
    return list(db.session.scalars(select(Pathway.slug).order_by(Pathway.slug)))


# -- writing -------------------------------------------------------------------
def fields_of(pathway: Pathway) -> PathwayFields:
    """The row as the file's fields: what export writes and the checksum covers."""
    return PathwayFields(
        slug=pathway.slug, titles=dict(pathway.titles), introductions=dict(pathway.introductions),
        order=pathway.position,
        steps=tuple(StepFields(titles=dict(step.titles), texts=dict(step.texts),
                               resources=tuple(link.resource_slug for link in step.resources))
                    for step in pathway.steps))


def upsert_pathway(fields: PathwayFields, *, uow: UnitOfWork | None = None) -> str:
    """Create or replace the pathway with this slug: 'imported', 'updated' or 'unchanged'."""
    checksum = fields.checksum()
    with unit_of_work(uow):
        pathway = db.session.scalar(select(Pathway).where(Pathway.slug == fields.slug))
        if pathway is not None and pathway.checksum == checksum:
            return "unchanged"
        outcome = "updated" if pathway is not None else "imported"
        if pathway is None:
            pathway = Pathway(slug=fields.slug)
            db.session.add(pathway)
        pathway.titles = dict(fields.titles)
        pathway.introductions = dict(fields.introductions)
        pathway.position = fields.order
        pathway.checksum = checksum
        pathway.steps.clear()
        db.session.flush()
        for position, step in enumerate(fields.steps, start=1):
            pathway.steps.append(PathwayStep(
                position=position, titles=dict(step.titles), texts=dict(step.texts),
                resources=[PathwayStepResource(position=i, resource_slug=slug)
                           for i, slug in enumerate(step.resources, start=1)]))
        db.session.flush()
        return outcome


@dataclass
class PathwayImport:
    """What a batch's pathway files gave: the import adds it to its report."""
    rejected: list[tuple[str, str]] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: {"imported": 0, "updated": 0, "unchanged": 0})


def import_pathway_docs(docs: list[tuple[str, ContentDoc]], *, uow: UnitOfWork | None = None) -> PathwayImport:
    """Validate and upsert pathway files (already parsed): a bad file is
    rejected by name with every reason, the others still import."""
    result = PathwayImport()
    if not docs:
        return result
    with unit_of_work(uow) as work:
        known = set(db.session.scalars(select(Resource.slug)))
        first_file: dict[str, str] = {}
        for shown, doc in docs:
            checked = validate_pathway(doc, known.__contains__, lambda: known)
            if checked.fields is None:
                result.rejected.append((shown, "; ".join(checked.problems)))
                continue
            slug = checked.fields.slug
            if slug in first_file:
                result.rejected.append((shown, f"pathway slug '{slug}' is already used by {first_file[slug]} "
                                               "in this import"))
                continue
            first_file[slug] = shown
            result.outcomes[upsert_pathway(checked.fields, uow=work)] += 1
    return result


def export_pathways(target: str | Path) -> int:
    """Write every pathway as ``<slug>.md`` into ``target`` (importing the
    folder gives them back unchanged)."""
    target = Path(target)
    rows = list(db.session.scalars(_ordered().options(
        selectinload(Pathway.steps).selectinload(PathwayStep.resources))))
    if rows:
        target.mkdir(parents=True, exist_ok=True)
    for pathway in rows:
        (target / f"{pathway.slug}.md").write_text(to_markdown(fields_of(pathway)), encoding="utf-8")
    return len(rows)


def already_imported() -> bool:
    return bool(get_state(IMPORTED_STATE))


def mark_imported() -> None:
    from hub.models._types import utcnow

    with unit_of_work():
        set_state(IMPORTED_STATE, utcnow().isoformat(timespec="seconds"))
