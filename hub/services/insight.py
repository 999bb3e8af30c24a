"""The editors' dashboard and the insight a resource page shows its readers.

Each figure comes from the service that owns it (gaps, resource_requests,
parity, freshness, usage); this module only gathers them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, bindparam, select

from hub.extensions import db
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


@lru_cache(maxsize=1)
def _facts_statement() -> Select:
    """Built once (building it cost more than running it), run with the id."""
    rid = bindparam("resource_id", type_=Integer())
    return select(freshness.links_checked_on_expr(rid), freshness.reviewed_on_expr(rid), usage.downloads_expr(rid))


def resource_facts(user, resource: Resource) -> ResourceFacts:
    """Every resource page shows these: each owning service supplies its figure
    as a subquery and one statement reads them all (one round trip, not three)."""
    checked, reviewed, downloads = db.session.execute(_facts_statement(), {"resource_id": resource.id}).one()
    return ResourceFacts(
        counterpart=parity.counterpart_for(user, resource),
        links_checked_on=checked,
        reviewed_on=reviewed,
        downloads=int(downloads or 0),
        can_review=can(user, Action.RESOURCE_EDIT, resource),
    )
