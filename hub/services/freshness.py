"""Freshness: are the links still alive, and has an editor re-read the resource?

``check_links`` gathers every external link of the published catalogue (each
resource's `url` and the links in its body), checks each URL once through
``links.check_many`` (threads do the network, this thread writes the
database) and keeps one row per resource and link with its latest verdict.
Reviews are the dates editors set when they re-read a resource; a resource
not re-read for three years (or, if never reviewed, published more than
three years ago) is due.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import ScalarSelect

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import LinkCheck, Resource, ResourceReview
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.security.visibility import visible_clause
from hub.services import links
from hub.services.links import LinkResult
from hub.services.uow import UnitOfWork, unit_of_work

REVIEW_YEARS = 3
PROBLEM_OUTCOMES = ("broken", "error")


def links_of(resource: Resource) -> list[tuple[str, str]]:
    """(url, source) for the resource's original link and every link in its body."""
    found: dict[str, str] = {}
    if resource.url and links.host_of(resource.url):
        found[resource.url] = "url"
    for url in links.links_in_html(resource.body_html):
        found.setdefault(url, "body")
    return list(found.items())


@dataclass
class CheckSummary:
    links: int = 0
    hosts: int = 0
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    problems: list[LinkResult] = field(default_factory=list)

    def line(self) -> str:
        o = self.outcomes
        return (f"checked {self.links} links on {self.hosts} hosts in {self.seconds:.1f} s: "
                f"ok {o['ok']}, redirected {o['redirect']}, broken {o['broken']}, "
                f"unreachable {o['error']}, skipped {o['skipped']}")


def check_links(*, workers: int | None = None, delay: float | None = None, timeout: float | None = None,
                host: str | None = None, on_result=None) -> CheckSummary:
    """Check the published catalogue's links and record each verdict.
    ``host`` limits the run to one site (its old verdicts elsewhere stay)."""
    cfg = current_app.config
    workers = workers or int(cfg.get("LINK_CHECK_WORKERS", 4))
    delay = float(cfg.get("LINK_CHECK_DELAY", 1.0)) if delay is None else delay
    timeout = timeout or float(cfg.get("LINK_CHECK_TIMEOUT", 10.0))
    allow_private = bool(cfg.get("LINK_CHECK_ALLOW_PRIVATE", False))

    wanted: dict[int, list[tuple[str, str]]] = {}
    for resource in db.session.scalars(select(Resource).where(Resource.status == "published")):
        found = links_of(resource)
        if host:
            found = [(u, s) for u, s in found if links.host_of(u) == host.lower()]
        wanted[resource.id] = found
    db.session.rollback()  # no transaction stays open while the network is slow

    urls = {url for pairs in wanted.values() for url, _ in pairs}
    started = time.perf_counter()
    results = links.check_many(urls, workers=workers, delay=delay, timeout=timeout,
                               allow_private=allow_private, on_result=on_result)
    summary = CheckSummary(links=len(urls), hosts=len({links.host_of(u) for u in urls}),
                           seconds=time.perf_counter() - started)
    summary.outcomes.update(r.outcome for r in results.values())
    summary.problems = sorted((r for r in results.values() if r.outcome in PROBLEM_OUTCOMES),
                              key=lambda r: r.url)

    now = utcnow()
    with unit_of_work():
        existing = {(row.resource_id, row.url): row for row in db.session.scalars(select(LinkCheck))}
        for resource_id, pairs in wanted.items():
            for url, source in pairs:
                result = results[url]
                row = existing.pop((resource_id, url), None)
                if row is None:
                    row = LinkCheck(resource_id=resource_id, url=url)
                    db.session.add(row)
                row.source = source
                row.outcome = result.outcome
                row.status = result.status
                row.final_status = result.final_status
                row.final_url = result.final_url
                row.error = result.error[:300]
                row.checked_at = now
        # Links that are gone from a resource (or whose resource is gone) are forgotten.
        for (resource_id, url), row in existing.items():
            if host and links.host_of(url) != host.lower() and resource_id in wanted:
                continue
            db.session.delete(row)
    return summary


# -- the editors' report --------------------------------------------------------
@dataclass
class LinkReport:
    last_checked: datetime | None
    counts: Counter
    broken: list[LinkCheck]
    redirected: list[LinkCheck]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def link_report(user) -> LinkReport:
    require(user, Action.INSIGHT_READ)
    rows = list(db.session.scalars(
        select(LinkCheck).join(Resource).where(visible_clause(user))
        .order_by(Resource.title, LinkCheck.url)))
    counts = Counter(r.outcome for r in rows)
    return LinkReport(
        last_checked=max((r.checked_at for r in rows), default=None), counts=counts,
        broken=[r for r in rows if r.outcome in PROBLEM_OUTCOMES],
        redirected=[r for r in rows if r.outcome == "redirect"])


def links_checked_on_expr(resource_id: int | BindParameter) -> ScalarSelect:
    """When this resource's links were last checked, as a scalar subquery, so
    the resource page can read it with its other facts in one statement."""
    return select(func.max(LinkCheck.checked_at)).where(LinkCheck.resource_id == resource_id).scalar_subquery()


def reviewed_on_expr(resource_id: int | BindParameter) -> ScalarSelect:
    """When an editor last re-read this resource, as a scalar subquery (see above)."""
    return select(ResourceReview.reviewed_on).where(ResourceReview.resource_id == resource_id).scalar_subquery()


def reviewed_on(resource_id: int) -> date | None:
    return db.session.scalar(select(reviewed_on_expr(resource_id)))


def mark_reviewed(user, slug: str, on: date | None = None, *, uow: UnitOfWork | None = None) -> ResourceReview:
    """Record that an editor re-read the resource on ``on`` (today by default)."""
    on = on or date.today()
    if on > date.today():
        raise ValidationFailed("The review date cannot be in the future.", field="reviewed_on")
    with unit_of_work(uow):
        resource = db.session.scalar(select(Resource).where(Resource.slug == slug))
        if resource is None:
            raise NotFound()
        require(user, Action.RESOURCE_EDIT, resource)
        review = db.session.get(ResourceReview, resource.id)
        if review is None:
            review = ResourceReview(resource_id=resource.id, reviewed_on=on)
            db.session.add(review)
        review.reviewed_on = on
        db.session.flush()
        return review


@dataclass
class DueReview:
    resource: Resource
    reviewed_on: date | None
    #: The date the three years run from: the last review, else the publication date.
    since: date | None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def reviews_due(user, *, today: date | None = None, years: int = REVIEW_YEARS) -> list[DueReview]:
    """Published resources not re-read for ``years`` years, the oldest first.
    A resource never reviewed counts from its publication date (or the year's
    first day when only the year is known, or its arrival in the hub)."""
    require(user, Action.INSIGHT_READ)
    cutoff = _years_before(today or date.today(), years)
    reviews = dict(db.session.execute(select(ResourceReview.resource_id, ResourceReview.reviewed_on)).all())
    due = []
    for resource in db.session.scalars(select(Resource).where(visible_clause(user),
                                                              Resource.status == "published")):
        reviewed = reviews.get(resource.id)
        since = reviewed or resource.published_on or (date(resource.year, 1, 1) if resource.year else None) \
            or resource.created_at.date()
        if since <= cutoff:
            due.append(DueReview(resource, reviewed, since))
    due.sort(key=lambda d: (d.since, d.resource.title))
    return due
