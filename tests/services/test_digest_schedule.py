"""When the next digest is due (hub/services/digest_schedule.py, pure)."""
from __future__ import annotations

from datetime import datetime

import pytest

from hub.services.digest_schedule import next_due


def test_weekly_is_due_at_the_start_of_the_same_weekday_a_week_later():
    # A run at 07:00:05 makes the next due at midnight, so next week's 07:00:00 run sends it.
    assert next_due(datetime(2026, 12, 8, 7, 0, 5), "weekly") == datetime(2026, 12, 15)


def test_monthly_is_due_on_the_same_day_of_the_next_month_or_its_last_day():
    assert next_due(datetime(2026, 12, 8, 7), "monthly") == datetime(2027, 1, 8)
    assert next_due(datetime(2027, 1, 31, 7), "monthly") == datetime(2027, 2, 28)
    assert next_due(datetime(2028, 1, 31, 7), "monthly") == datetime(2028, 2, 29)


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        next_due(datetime(2026, 12, 8), "daily")
