"""The zero-result loop: searches that found nothing, counted without people."""
from datetime import date

import pytest
from sqlalchemy import select

from hub.errors import PermissionDenied
from hub.extensions import db
from hub.models import ZeroResultSearch
from hub.services import gaps


def rows():
    return db.session.scalars(select(ZeroResultSearch).order_by(ZeroResultSearch.id)).all()


def test_queries_are_normalised_and_contact_details_dropped():
    assert gaps.normalise_query("  Racisme   SYSTÉMIQUE?! ") == "racisme systémique"
    assert gaps.normalise_query("«anti-Black hiring»") == "anti-black hiring"
    assert gaps.normalise_query("help jane.doe@example.org 613-555-0199") == "help [email] [number]"
    assert gaps.normalise_query("x" * 500) == "x" * gaps.MAX_QUERY


def test_filters_are_canonical_and_unknown_ones_ignored():
    assert gaps.normalise_filters({"type": ["toolkit", "guide"], "region": "on", "evil": ["x"],
                                   "audience": ["<script>"]}) == "region=on&type=guide&type=toolkit"
    assert gaps.normalise_filters(None) == ""


def test_counts_add_up_per_day_query_language_and_filters(app):
    day = date(2025, 3, 10)
    gaps.record_zero_result("Rural  Libraries", "en", today=day)
    gaps.record_zero_result("rural libraries", "en", today=day)
    gaps.record_zero_result("rural libraries", "fr", today=day)
    gaps.record_zero_result("rural libraries", "en", {"type": ["toolkit"]}, today=day)
    gaps.record_zero_result("rural libraries", "en", today=date(2025, 3, 11))
    gaps.record_zero_result("   ", "en", today=day)  # an empty search is not a gap
    got = {(r.day.day, r.query, r.language, r.filters): r.count for r in rows()}
    assert got == {(10, "rural libraries", "en", ""): 2, (10, "rural libraries", "fr", ""): 1,
                   (10, "rural libraries", "en", "type=toolkit"): 1, (11, "rural libraries", "en", ""): 1}


def test_counters_older_than_twelve_months_are_deleted(app):
    gaps.record_zero_result("old gap", "en", today=date(2024, 1, 5))
    gaps.record_zero_result("recent gap", "en", today=date(2024, 12, 1))
    gaps.record_zero_result("today's gap", "en", today=date(2025, 1, 20))
    assert {r.query for r in rows()} == {"recent gap", "today's gap"}


def test_report_ranks_this_months_gaps_per_language_with_a_trend(app, make_user):
    editor = make_user(role="editor")
    for _ in range(3):
        gaps.record_zero_result("halal food bank", "en", today=date(2025, 5, 2))
    gaps.record_zero_result("halal food bank", "en", {"region": "on"}, today=date(2025, 5, 9))
    gaps.record_zero_result("halal food bank", "en", today=date(2025, 4, 28))
    for _ in range(2):
        gaps.record_zero_result("tiktok racism", "en", today=date(2025, 4, 3))
    gaps.record_zero_result("tiktok racism", "en", today=date(2025, 5, 3))
    gaps.record_zero_result("racisme en région", "fr", today=date(2025, 5, 4))

    report = gaps.content_gaps(editor, month=date(2025, 5, 1), today=date(2025, 5, 20))
    en, fr = report.languages
    assert [(r.query, r.count, r.previous, r.trend) for r in en.rows] == [
        ("halal food bank", 4, 1, "up"), ("tiktok racism", 1, 2, "down")]
    assert en.rows[0].filters == [("region=on", 1)]
    assert (en.total, en.previous_total, en.distinct) == (5, 3, 2)
    assert [(r.query, r.trend) for r in fr.rows] == [("racisme en région", "new")]
    assert len(en.daily) == 20 and en.daily[1] == (date(2025, 5, 2), 3)
    assert report.total == 6
    assert gaps.months_with_data(editor) == [date(2025, 5, 1), date(2025, 4, 1)]


def test_only_editors_read_the_report(app, make_user):
    with pytest.raises(PermissionDenied):
        gaps.content_gaps(make_user(role="member"))
    with pytest.raises(PermissionDenied):
        gaps.content_gaps(None)
