"""Team rounds: opening, answering without names, the spread and team scores
the owner sees, closing, sharing with the working group, deleting."""
from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from hub.errors import NotFound, PermissionDenied, ValidationFailed
from hub.services import assessment_rounds as rounds, assessments
from tests.services.test_assessments import make_tool


@pytest.fixture
def tool(app, make_resource):
    make_tool(make_resource, slug="tool", title="Council tool")
    return assessments.get_tool(None, "tool")


def test_a_member_opens_a_round_with_a_name_and_an_unguessable_link(tool, make_user):
    owner = make_user()
    team_round = rounds.open_round(owner, tool, "  our council,   spring 2027 ")
    assert team_round.name == "our council, spring 2027" and team_round.is_open
    assert len(team_round.token) >= 40 and team_round.token != rounds.open_round(owner, tool, "again").token
    with pytest.raises(PermissionDenied):
        rounds.open_round(None, tool, "anonymous people cannot")
    for bad in ("", "   ", "x" * 121):
        with pytest.raises(ValidationFailed):
            rounds.open_round(owner, tool, bad)


def test_open_rounds_per_member_are_capped(tool, make_user, monkeypatch):
    monkeypatch.setattr(rounds, "MAX_OPEN_ROUNDS", 2)
    owner = make_user()
    first = rounds.open_round(owner, tool, "one")
    rounds.open_round(owner, tool, "two")
    with pytest.raises(ValidationFailed, match="open rounds"):
        rounds.open_round(owner, tool, "three")
    rounds.close_round(owner, first.token)
    rounds.open_round(owner, tool, "three")  # closing one makes room


def test_colleagues_answer_without_names_and_answering_again_replaces(app, tool, make_user):
    from hub.extensions import db
    from hub.models import RoundResponse

    owner, colleague = make_user(), make_user()
    token = rounds.open_round(owner, tool, "spring").token
    rounds.answer(None, token, {"lead": (0, 1), "data": (3, None)}, edit_key="browser-a")
    rounds.answer(None, token, {"lead": (3, 3), "data": (3, 3)}, edit_key="browser-b")
    rounds.answer(None, token, {"lead": (2, 2), "data": (2, 2)}, edit_key="browser-a")  # the same browser again
    rounds.answer(colleague, token, {"lead": (1, 1), "data": (0, 0)})
    rounds.answer(colleague, token, {"lead": (0, 0), "data": (0, 0)})  # the same member again
    assert db.session.scalar(select(func.count(RoundResponse.id))) == 3
    # Nothing about a person is stored: no name, e-mail or time column exists.
    columns = {c["name"] for c in inspect(db.engine).get_columns("assessment_round_responses")}
    assert columns == {"id", "round_id", "user_id", "edit_key", "answers"}
    anonymous = db.session.scalars(select(RoundResponse).where(RoundResponse.user_id.is_(None))).all()
    assert len(anonymous) == 2
    with pytest.raises(ValidationFailed):
        rounds.answer(None, token, assessments.blank_answers(tool), edit_key="browser-c")
    with pytest.raises(NotFound):
        rounds.answer(None, "not-a-token", {"lead": (1, 1), "data": (1, 1)})


def test_the_owner_sees_the_spread_team_scores_and_middle_answers(tool, make_user):
    owner = make_user()
    team_round = rounds.open_round(owner, tool, "spring")
    for n, answers in enumerate([{"lead": (0, 1), "data": (3, None)},
                                 {"lead": (3, 1), "data": (3, 2)},
                                 {"lead": (1, 2), "data": (3, 0)}]):
        rounds.answer(None, team_round.token, answers, edit_key=f"k{n}")
    summary = rounds.summarise(team_round)
    assert summary.responses == 3
    spread = {s.position: (s.counts, s.blank, s.disagreement) for s in summary.spreads}
    assert spread == {"1.1": ((1, 1, 0, 1), 0, True), "1.2": ((0, 2, 1, 0), 0, False),
                      "2.1": ((0, 0, 0, 3), 0, False), "2.2": ((1, 0, 1, 0), 1, True)}
    lead, data = summary.result.sections
    assert (lead.points, lead.max_points) == (8, 18) and (data.points, data.max_points) == (11, 15)
    # The plan is made from each statement's middle answer (the lower of two middles).
    assert summary.team_answers == {"lead": (1, 1), "data": (3, 0)}
    assert [s.percent for s in rounds.team_result(team_round).sections] == [pytest.approx(100 / 3), 50.0]


def test_only_the_owner_manages_a_round_and_a_closed_round_takes_no_answers(tool, make_user):
    owner, other, editor = make_user(), make_user(), make_user("editor")
    token = rounds.open_round(owner, tool, "spring").token
    for stranger in (None, other, editor):
        for action in (rounds.get_owned, rounds.close_round, rounds.delete_round, rounds.share_scores):
            with pytest.raises(NotFound):
                action(stranger, token)
    rounds.answer(None, token, {"lead": (1, 1), "data": (1, 1)}, edit_key="k")
    rounds.close_round(owner, token)
    with pytest.raises(ValidationFailed, match="closed"):
        rounds.answer(None, token, {"lead": (1, 1), "data": (1, 1)}, edit_key="k2")


def test_sharing_needs_a_closed_round_with_answers_and_shares_percentages_once(app, tool, make_user):
    from hub.extensions import db
    from hub.models import SharedRoundScores

    owner = make_user()
    empty = rounds.open_round(owner, tool, "nobody came").token
    rounds.close_round(owner, empty)
    with pytest.raises(ValidationFailed, match="Nobody answered"):
        rounds.share_scores(owner, empty)
    token = rounds.open_round(owner, tool, "spring").token
    rounds.answer(None, token, {"lead": (0, 3), "data": (None, None)}, edit_key="k")
    with pytest.raises(ValidationFailed, match="Close the round"):
        rounds.share_scores(owner, token)
    rounds.close_round(owner, token)
    shared = rounds.share_scores(owner, token)
    assert shared.sections == [{"id": "lead", "title": "Leadership and governance", "percent": 50.0},
                               {"id": "data", "title": "Data and evidence", "percent": None}]
    assert rounds.share_scores(owner, token).id == shared.id  # once
    # The share holds no answers, names, owner or round name.
    row = db.session.execute(text("SELECT * FROM assessment_shared_scores")).mappings().one()
    assert set(row.keys()) == {"id", "resource_id", "round_id", "sections"}
    assert "spring" not in str(dict(row))
    # Deleting the round deletes its answers; the anonymous share stays, detached.
    rounds.delete_round(owner, token)
    assert db.session.execute(text("SELECT count(*) FROM assessment_round_responses")).scalar() == 0
    assert db.session.scalars(select(SharedRoundScores)).one().round_id is None


def test_the_working_group_sees_medians_only_from_five_shared_rounds(tool, make_user):
    owner, editor = make_user(), make_user("editor")
    for n, value in enumerate([0, 1, 2, 3]):
        token = rounds.open_round(owner, tool, f"round {n}").token
        rounds.answer(None, token, {"lead": (value, value), "data": (3, 3)}, edit_key="k")
        rounds.close_round(owner, token)
        rounds.share_scores(owner, token)
    [picture] = rounds.shared_picture(editor)
    assert picture.rounds == 4 and not picture.enough and picture.medians == ()
    token = rounds.open_round(owner, tool, "fifth").token
    rounds.answer(None, token, {"lead": (3, 3), "data": (None, None)}, edit_key="k")
    rounds.close_round(owner, token)
    rounds.share_scores(owner, token)
    [picture] = rounds.shared_picture(editor)
    assert picture.rounds == 5 and picture.enough
    # lead: 0, 33.3, 66.7, 100, 100 -> 66.7; data: 100 four times (the fifth left it blank).
    assert picture.medians == (("Leadership and governance", pytest.approx(66.7)), ("Data and evidence", 100.0))
    for refused in (None, owner):
        with pytest.raises(PermissionDenied):
            rounds.shared_picture(refused)
