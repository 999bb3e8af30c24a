"""Content gaps: the searches that found nothing, counted without knowing who.

``record_zero_result`` keeps one counter per day, normalised query,
interface language and active filters; nothing about the person searching
reaches it (the search page passes text, language and filters, nothing
else). Counters older than twelve months are deleted. ``content_gaps``
turns the counters into the editors' monthly report with a trend.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, select

from hub.content.fields import facet_names
from hub.extensions import db
from hub.models import ZeroResultSearch
from hub.security.policy import Action, require
from hub.services.state import get_state, set_state
from hub.services.uow import unit_of_work
from hub.services.usage import increment

LANGUAGES = ("en", "fr")
#: Facets whose active values are part of the counter's key (the search page's parameters).
FACETS = facet_names()
KEEP_DAYS = 366
MAX_QUERY = 200
PRUNED_KEY = "zero_results_pruned_on"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_NUMBER = re.compile(r"\+?\d[\d ().-]{5,}\d")
_VALUE = re.compile(r"^[a-z0-9-]{1,40}$")
_EDGE = re.compile(r"^[\s\"'«»“”‘’.,;:!?()\[\]{}-]+|[\s\"'«»“”‘’.,;:!?()\[\]{}-]+$")


def normalise_query(text: str | None) -> str:
    """The form a query is counted under: Unicode-normalised, case-folded,
    spaces collapsed, surrounding punctuation dropped. E-mail addresses and
    phone-like numbers someone typed are replaced by a placeholder so a gap
    report never holds a person's contact details."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = _EDGE.sub("", " ".join(text.split()))
    text = _NUMBER.sub("[number]", _EMAIL.sub("[email]", text))
    return text[:MAX_QUERY].strip()


def normalise_filters(filters: Mapping[str, Iterable[str] | str] | None) -> str:
    """Active filters as a canonical, sorted ``facet=value&…`` string. Unknown
    facets and values that are not vocabulary-shaped keys are ignored."""
    pairs: set[tuple[str, str]] = set()
    for name, values in (filters or {}).items():
        if name not in FACETS or values is None:
            continue
        if isinstance(values, (str, int)):
            values = [values]
        for value in values:
            value = str(value).strip().lower()
            if _VALUE.match(value):
                pairs.add((name, value))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def record_zero_result(query: str | None, language: str,
                       filters: Mapping[str, Iterable[str] | str] | None = None, *,
                       today: date | None = None) -> None:
    """Count one search that returned nothing. Takes no person, by design."""
    today = today or date.today()
    key = {"day": today, "query": normalise_query(query),
           "language": language if language in LANGUAGES else "en",
           "filters": normalise_filters(filters)}
    if not key["query"] and not key["filters"]:
        return  # an empty search is not a gap
    with unit_of_work():
        increment(ZeroResultSearch, key, {"count": 1})
        _prune_once_a_day(today)


def _prune_once_a_day(today: date) -> None:
    if get_state(PRUNED_KEY) == today.isoformat():
        return
    prune_zero_results(today=today)
    set_state(PRUNED_KEY, today.isoformat())


def prune_zero_results(*, today: date | None = None) -> int:
    """Delete counters older than twelve months; the caller commits."""
    cutoff = (today or date.today()) - timedelta(days=KEEP_DAYS)
    result = db.session.execute(delete(ZeroResultSearch).where(ZeroResultSearch.day < cutoff))
    return cast("CursorResult", result).rowcount or 0


# -- the editors' report --------------------------------------------------------
def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


@dataclass
class GapRow:
    query: str
    count: int
    previous: int
    filters: list[tuple[str, int]] = field(default_factory=list)

    @property
    def trend(self) -> str:
        """"new", "up", "down" or "same" against the month before."""
        if self.previous == 0:
            return "new"
        if self.count > self.previous:
            return "up"
        return "down" if self.count < self.previous else "same"


@dataclass
class LanguageGaps:
    language: str
    total: int
    previous_total: int
    distinct: int
    rows: list[GapRow]
    #: Zero-result searches per day of the month, for the trend line.
    daily: list[tuple[date, int]]


@dataclass
class GapsReport:
    month: date
    languages: list[LanguageGaps]

    @property
    def total(self) -> int:
        return sum(lang.total for lang in self.languages)

    @property
    def distinct(self) -> int:
        return sum(lang.distinct for lang in self.languages)


def _by_query(first: date, end: date, language: str) -> dict[str, dict[str, int]]:
    rows = db.session.execute(
        select(ZeroResultSearch.query, ZeroResultSearch.filters, func.sum(ZeroResultSearch.count))
        .where(ZeroResultSearch.day >= first, ZeroResultSearch.day < end, ZeroResultSearch.language == language)
        .group_by(ZeroResultSearch.query, ZeroResultSearch.filters)).all()
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for query, filters, count in rows:
        found[query][filters] = int(count)
    return found


def content_gaps(user, *, month: date | None = None, limit: int = 25, today: date | None = None) -> GapsReport:
    """Top zero-result queries of ``month`` (this month by default) in each
    interface language, with last month's count for the trend."""
    require(user, Action.INSIGHT_READ)
    today = today or date.today()
    first = month_start(month or today)
    end = next_month(first)
    before = previous_month(first)
    languages = []
    for language in LANGUAGES:
        current = _by_query(first, end, language)
        previous = _by_query(before, first, language)
        rows = []
        for query, by_filters in current.items():
            rows.append(GapRow(
                query=query, count=sum(by_filters.values()),
                previous=sum(previous.get(query, {}).values()),
                filters=sorted(((f, n) for f, n in by_filters.items() if f), key=lambda x: (-x[1], x[0]))))
        rows.sort(key=lambda r: (-r.count, r.query))
        per_day = dict(db.session.execute(
            select(ZeroResultSearch.day, func.sum(ZeroResultSearch.count))
            .where(ZeroResultSearch.day >= first, ZeroResultSearch.day < end,
                   ZeroResultSearch.language == language)
            .group_by(ZeroResultSearch.day)).all())
        last_day = min(end - timedelta(days=1), max(today, first))
        daily = [(first + timedelta(days=i), int(per_day.get(first + timedelta(days=i), 0)))
                 for i in range((last_day - first).days + 1)]
        languages.append(LanguageGaps(
            language=language, total=sum(r.count for r in rows),
            previous_total=sum(sum(v.values()) for v in previous.values()),
            distinct=len(rows), rows=rows[:limit], daily=daily))
    return GapsReport(month=first, languages=languages)


def months_with_data(user) -> list[date]:
    """The months the report can show (newest first): those with any counter."""
    require(user, Action.INSIGHT_READ)
    days = db.session.scalars(select(ZeroResultSearch.day).distinct()).all()
    return sorted({month_start(d) for d in days}, reverse=True)
