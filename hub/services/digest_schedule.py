"""When a saved search's next digest is due (pure: no database, no clock).

Due moments are midnight UTC of a day, not "a week after the last run to the
second": cron starts the command at about the same time each day, a few
seconds later or earlier from one day to the next, and a digest due at
07:00:05 would otherwise miss the 07:00:00 run a week later and slip a day.
A weekly digest is due 7 days after the day of the last one; a monthly one
on the same day of the next month (the month's last day when it is shorter:
31 January, then 28 or 29 February).
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from hub.models.saved_search import FREQUENCIES


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(after: datetime, frequency: str) -> datetime:
    """The first moment a digest is due again after one ran at ``after`` (naive UTC)."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    day = after.date()
    due = day + timedelta(days=7) if frequency == "weekly" else _add_month(day)
    return datetime.combine(due, time.min)
