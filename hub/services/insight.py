"""The editors' dashboard and the insight a resource page shows its readers.

Each figure comes from the service that owns it (gaps, resource_requests,
parity, freshness, usage); this module only gathers them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hub.models import Resource
from hub.security.policy import Action, can, require
from hub.services import freshness, gaps, parity, resource_requests, usage


@dataclass
class Dashboard:
    month: date
    zero_results: int
    zero_result_queries: int
    pending_requests: int
    parity: parity.ParityReport
    links: freshness.LinkReport
    reviews_due: int
    usage: usage.UsageTotals


def dashboard(user, *, today: date | None = None) -> Dashboard:
    """Headline figures for the editors' insight page."""
    require(user, Action.INSIGHT_READ)
    today = today or date.today()
    report = gaps.content_gaps(user, month=today, limit=0, today=today)
    return Dashboard(
        month=report.month,
        zero_results=report.total,
        zero_result_queries=report.distinct,
        pending_requests=resource_requests.count_pending(),
        parity=parity.language_parity(user),
        links=freshness.link_report(user),
        reviews_due=len(freshness.reviews_due(user, today=today)),
        usage=usage.month_totals(month=usage.month_key(today)),
    )


@dataclass
class ResourceFacts:
    """What a resource page shows about availability and freshness."""
    counterpart: Resource | None
    links_checked_on: datetime | None
    reviewed_on: date | None
    downloads: int
    can_review: bool


def resource_facts(user, resource: Resource) -> ResourceFacts:
    return ResourceFacts(
        counterpart=parity.counterpart_for(user, resource),
        links_checked_on=freshness.links_checked_on(resource.id),
        reviewed_on=freshness.reviewed_on(resource.id),
        downloads=usage.usage_for(resource.id).downloads,
        can_review=can(user, Action.RESOURCE_EDIT, resource),
    )
