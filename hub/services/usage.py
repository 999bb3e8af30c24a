"""Usage: views and downloads per resource per month.

A count is added the moment a page is shown or a file sent, and that is all
that is kept: no request log, no address, no user, no cookie. Requests from
bots (by their user agent) and browser prefetches are not counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Insert, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import ScalarSelect

from hub.extensions import db
from hub.models import Resource, ResourceUsage
from hub.security.policy import Action, require
from hub.security.visibility import visible_clause
from hub.services.uow import unit_of_work

#: Substrings of user agents that are not people reading. Matched case-insensitively;
#: an empty user agent is a script, not a browser.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"pingdom|uptime|headlesschrome|phantomjs|curl/|wget/|python-|httpx|aiohttp|go-http-client|"
    r"java/|okhttp|libwww|scrapy|feedfetcher|lighthouse|bingpreview|validator|checker",
    re.IGNORECASE)


def is_bot(user_agent: str | None) -> bool:
    """True for crawlers, monitors, scripts and link checkers (ours included)."""
    return not (user_agent or "").strip() or bool(BOT_PATTERN.search(user_agent or ""))


def month_key(day: date | None = None) -> str:
    return (day or date.today()).strftime("%Y-%m")


def increment(model, key: dict, counts: dict[str, int], *, zeros: tuple[str, ...] = ()) -> None:
    """Add ``counts`` to the row of ``model`` identified by ``key`` (created
    with ``zeros`` at 0 when missing) in one statement, so concurrent requests
    never lose a count. The caller commits."""
    stmt = _upsert(db.session.get_bind().dialect.name, model, tuple(key), tuple(counts), tuple(zeros))
    db.session.execute(stmt, {**key, **counts})


@lru_cache(maxsize=32)
def _upsert(dialect: str, model, key: tuple[str, ...], counts: tuple[str, ...],
            zeros: tuple[str, ...]) -> Insert:
    """INSERT ... ON CONFLICT DO UPDATE for these columns, the values as
    parameters: built once per shape, since every page view runs one and
    building it cost more than running it. On the table, not the mapped
    class, so it runs as plain SQL instead of through the ORM's bulk-insert
    path (a third of the cost)."""
    table = model.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table).values({**{name: bindparam(name) for name in key + counts}, **dict.fromkeys(zeros, 0)})
    return stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + stmt.excluded[name] for name in counts})


def _count(resource_id: int, column: str, user_agent: str | None, prefetch: bool, today: date | None) -> bool:
    if is_bot(user_agent) or prefetch:
        return False
    other = "downloads" if column == "views" else "views"
    with unit_of_work():
        increment(ResourceUsage, {"resource_id": resource_id, "month": month_key(today)}, {column: 1},
                  zeros=(other,))
    return True


def record_view(resource_id: int, user_agent: str | None, *, prefetch: bool = False,
                today: date | None = None) -> bool:
    """Count one view of a resource page. Returns whether it was counted."""
    return _count(resource_id, "views", user_agent, prefetch, today)


def record_download(resource_id: int, user_agent: str | None, *, prefetch: bool = False,
                    today: date | None = None) -> bool:
    """Count one download of one of a resource's files."""
    return _count(resource_id, "downloads", user_agent, prefetch, today)


@dataclass
class UsageTotals:
    views: int = 0
    downloads: int = 0
    this_month_views: int = 0
    this_month_downloads: int = 0

    def as_dict(self) -> dict:
        return {"views": self.views, "downloads": self.downloads,
                "this_month": {"views": self.this_month_views, "downloads": self.this_month_downloads}}


def usage_for(resource_id: int, *, today: date | None = None) -> UsageTotals:
    """All-time and this month's counts of one resource (for its page and the API)."""
    rows = db.session.execute(select(ResourceUsage.month, ResourceUsage.views, ResourceUsage.downloads)
                              .where(ResourceUsage.resource_id == resource_id)).all()
    totals = UsageTotals()
    current = month_key(today)
    for month, views, downloads in rows:
        totals.views += views
        totals.downloads += downloads
        if month == current:
            totals.this_month_views, totals.this_month_downloads = views, downloads
    return totals


def downloads_expr(resource_id: int | BindParameter) -> ScalarSelect:
    """All-time downloads of one resource, as a scalar subquery (0 when none),
    so the resource page can read it with its other facts in one statement."""
    return (select(func.coalesce(func.sum(ResourceUsage.downloads), 0))
            .where(ResourceUsage.resource_id == resource_id).scalar_subquery())


def download_counts() -> dict[int, int]:
    """Every resource's all-time downloads: the "most downloaded" sort key."""
    stmt = select(ResourceUsage.resource_id, func.sum(ResourceUsage.downloads)).group_by(ResourceUsage.resource_id)
    return {rid: int(n or 0) for rid, n in db.session.execute(stmt)}


@dataclass
class UsageRow:
    resource: Resource
    views: int
    downloads: int


def most_used(user, *, since_month: str | None = None, order: str = "views", limit: int = 20) -> list[UsageRow]:
    """The resources read or downloaded most since ``since_month`` ("YYYY-MM",
    inclusive; all time when None). Editors only."""
    require(user, Action.INSIGHT_READ)
    views = func.sum(ResourceUsage.views).label("views")
    downloads = func.sum(ResourceUsage.downloads).label("downloads")
    stmt = (select(Resource, views, downloads)
            .join(ResourceUsage, ResourceUsage.resource_id == Resource.id)
            .where(visible_clause(user))
            .group_by(Resource.id))
    if since_month:
        stmt = stmt.where(ResourceUsage.month >= since_month)
    first, second = (downloads, views) if order == "downloads" else (views, downloads)
    stmt = stmt.order_by(first.desc(), second.desc(), Resource.title).limit(limit)
    return [UsageRow(r, int(v or 0), int(d or 0)) for r, v, d in db.session.execute(stmt)]


def month_totals(*, month: str | None = None) -> UsageTotals:
    """Views and downloads of the whole catalogue in one month (this one by default)."""
    month = month or month_key()
    views, downloads = db.session.execute(
        select(func.coalesce(func.sum(ResourceUsage.views), 0), func.coalesce(func.sum(ResourceUsage.downloads), 0))
        .where(ResourceUsage.month == month)).one()
    return UsageTotals(this_month_views=int(views), this_month_downloads=int(downloads))
