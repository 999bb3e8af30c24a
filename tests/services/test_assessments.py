"""Self-assessment scoring, reading answers, recommendations and saved results."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from hub.errors import NotFound, PermissionDenied, ValidationFailed
from hub.services import assessment_results, assessments
from hub.services.assessments import TamperedAnswers, parse_answers, score, tool_from
from hub.services.resources import import_documents
from tests.conftest import resource_text

BLOCK = {
    "scale": ["Not yet", "Starting", "In progress", "In place"],
    "sections": [
        {"id": "lead", "title": "Leadership", "questions": ["Q1", "Q2", "Q3", "Q4"],
         "recommend": {"topics": ["governance"], "types": ["policy"]}},
        {"id": "data", "title": "Data", "questions": ["Q5", "Q6", "Q7"],
         "recommend": {"topics": ["data collection"], "types": []}},
    ],
}

ASSESSMENT_YAML = """
  scale: [Not yet, Starting, In progress, In place]
  sections:
    - id: lead
      title: Leadership and governance
      questions: [We have a policy., We report yearly.]
      recommend:
        topics: [governance]
        types: [policy]
    - id: data
      title: Data and evidence
      questions: [We collect data., We publish data.]
      recommend:
        topics: [data collection]
        types: []
"""


def make_tool(make_resource, **fields):
    fields.setdefault("type", "self-assessment")
    fields.setdefault("assessment", ASSESSMENT_YAML)
    return make_resource(**fields)


# -- scoring ---------------------------------------------------------------------
def test_all_blank_has_no_score_and_says_nothing_was_answered():
    tool = tool_from(BLOCK)
    result = score(tool, assessments.blank_answers(tool))
    assert (result.points, result.max_points, result.answered, result.questions) == (0, 0, 0, 7)
    assert result.percent is None
    assert [s.percent for s in result.sections] == [None, None]
    assert result.weak_sections() == []  # nothing answered is not "weak": no suggestions from nothing


def test_all_maximum_scores_100_everywhere():
    tool = tool_from(BLOCK)
    result = score(tool, {"lead": (3, 3, 3, 3), "data": (3, 3, 3)})
    assert (result.points, result.max_points, result.answered) == (21, 21, 7)
    assert result.percent == 100
    assert [s.percent for s in result.sections] == [100, 100]
    assert result.weak_sections() == []


def test_all_lowest_answers_score_zero_and_are_weak():
    tool = tool_from(BLOCK)
    result = score(tool, {"lead": (0, 0, 0, 0), "data": (0, 0, 0)})
    assert result.percent == 0 and result.answered == 7
    assert [s.id for s in result.weak_sections()] == ["lead", "data"]


def test_partial_answers_count_only_what_was_answered():
    tool = tool_from(BLOCK)
    result = score(tool, {"lead": (3, None, 1, None), "data": (None, None, None)})
    lead, data = result.sections
    assert (lead.points, lead.max_points, lead.answered, lead.questions) == (4, 6, 2, 4)
    assert lead.percent == pytest.approx(66.67, abs=0.01)
    assert data.answered == 0 and data.percent is None
    assert (result.points, result.max_points, result.answered, result.questions) == (4, 6, 2, 7)
    # Exactly two thirds is "In progress" on average: not weak.
    assert not lead.weak


def test_weakest_first_then_unanswered_sections():
    block = {"scale": ["No", "Partly", "Yes"], "sections": [
        {"id": "a", "title": "A", "questions": ["1", "2"]},
        {"id": "b", "title": "B", "questions": ["1"]},
        {"id": "c", "title": "C", "questions": ["1"]},
        {"id": "d", "title": "D", "questions": ["1", "2"]}]}
    tool = tool_from(block)
    result = score(tool, {"a": (2, 1), "b": (None,), "c": (0,), "d": (1, 1)})
    assert [s.id for s in result.weakest_first()] == ["c", "d", "a", "b"]
    assert [s.id for s in result.weak_sections()] == ["c", "d"]
    assert result.sections[0].percent == 75


def test_changes_are_percentage_points_per_section_matched_by_id():
    tool = tool_from(BLOCK)
    before = score(tool, {"lead": (0, 0, 1, 1), "data": (None, None, None)})
    after = score(tool, {"lead": (3, 3, 1, 1), "data": (3, None, None)})
    diff = assessments.changes(after, before)
    assert diff["lead"] == pytest.approx(100 * 8 / 12 - 100 * 2 / 12)
    assert "data" not in diff  # no earlier percentage to compare with
    assert diff[""] == pytest.approx(100 * 11 / 15 - 100 * 2 / 12)


# -- reading the form --------------------------------------------------------------
def test_parse_answers_reads_the_forms_own_fields():
    tool = tool_from(BLOCK)
    answers = parse_answers(tool, MultiDict({"lead.1": "3", "lead.4": "0", "data.2": "2", "csrf_token": "x",
                                             "action": "result", "compare": "none", "lang": "fr"}))
    assert answers == {"lead": (3, None, None, 0), "data": (None, 2, None)}


@pytest.mark.parametrize("form, reason", [
    ({"other.1": "1"}, "unknown section"),
    ({"lead": "1"}, "unknown section"),
    ({"lead.5": "1"}, "unknown question"),
    ({"lead.0": "1"}, "unknown question"),
    ({"lead.x": "1"}, "unknown question"),
    ({"lead.1": "4"}, "not on the scale"),
    ({"lead.1": "-1"}, "not on the scale"),
    ({"lead.1": ""}, "not on the scale"),
    ({"lead.1": "In place"}, "not on the scale"),
    ({"lead.1": "²"}, "not on the scale"),
    ({"lead.1": ["1", "2"]}, "more than once"),
])
def test_tampered_answers_are_refused(form, reason):
    with pytest.raises(TamperedAnswers, match=reason):
        parse_answers(tool_from(BLOCK), MultiDict(form))


# -- the import refuses a broken tool ------------------------------------------------
@pytest.mark.parametrize("block, reason", [
    ("\n  scale: [A, B]\n  sections:\n    - id: a\n      title: A\n      questions: [x]\n"
     "    - id: a\n      title: B\n      questions: [y]\n", "section id 'a' is repeated"),
    ("\n  scale: [A, B]\n  sections: []\n", "sections must be a non-empty list"),
    ("\n  scale: [A, B]\n  sections:\n    - id: a\n      title: A\n      questions: [x]\n"
     "      recommend:\n        types: [pamphlet]\n", "pamphlet"),
    ("\n  scale: [A, B]\n  sections:\n    - id: a\n      title: A\n      questions: [x]\n      weight: 2\n",
     "unknown key(s) weight"),
    ("\n  scale: [A, B]\n  questions: [x]\n  sections:\n    - id: a\n      title: A\n      questions: [x]\n",
     "unknown key(s) questions"),
    ("\n  scale: [A, B, C, D, E, F, G, H, I, J, K]\n  sections:\n    - id: a\n      title: A\n      questions: [x]\n",
     "2 to 10"),
    ("[not, a, block]", "must be a block"),
])
def test_a_malformed_tool_is_rejected_at_import_and_has_no_page(app, client, tmp_path, block, reason):
    path = tmp_path / "tool.md"
    path.write_text(resource_text(slug="broken-tool", type="self-assessment", assessment=block), encoding="utf-8")
    report = import_documents([path])
    assert len(report.rejected) == 1 and reason in report.rejected[0][1], report.rejected
    assert client.get("/en/resources/broken-tool/assessment").status_code == 404


def test_only_a_resource_with_an_assessment_has_a_tool(app, make_resource):
    make_resource(slug="plain")
    with pytest.raises(NotFound):
        assessments.get_tool(None, "plain")


# -- completions and saved results ---------------------------------------------------
def test_completions_are_counted_without_anything_about_the_person(app, make_resource, make_user):
    make_tool(make_resource, slug="tool")
    tool = assessments.get_tool(None, "tool")
    assessment_results.evaluate(None, tool, {"lead": (1, None), "data": (None, None)})
    assessment_results.evaluate(None, tool, {"lead": (3, 3), "data": (0, 0)})
    assessment_results.evaluate(None, tool, assessments.blank_answers(tool))  # nothing answered: not a completion
    editor = make_user("editor")
    rows = {r.slug: (done, saved) for r, done, saved in assessment_results.completion_counts(editor)}
    assert rows == {"tool": (2, 0)}
    with pytest.raises(PermissionDenied):
        assessment_results.completion_counts(make_user("member"))
    with pytest.raises(PermissionDenied):
        assessment_results.completion_counts(None)


def test_saving_keeps_scores_answers_and_plan_and_only_its_owner_sees_it(app, make_resource, make_user):
    make_tool(make_resource, slug="tool")
    tool = assessments.get_tool(None, "tool")
    member, other, editor = make_user(), make_user(), make_user("editor")
    result = score(tool, {"lead": (0, 1), "data": (None, 3)})
    saved = assessment_results.save_result(member, tool, result, plan=[{"statement": "lead.1", "owner": "Ana",
                                                                  "due": "2027-03-31", "note": ""}])
    assert saved.answers == {"lead": [0, 1], "data": [None, 3]}
    assert saved.plan[0]["owner"] == "Ana"
    assert saved.sections == [
        {"id": "lead", "title": "Leadership and governance", "points": 1, "max_points": 6, "answered": 2,
         "questions": 2},
        {"id": "data", "title": "Data and evidence", "points": 3, "max_points": 3, "answered": 1,
         "questions": 2}]
    assert assessment_results.get_saved(member, saved.id) is saved
    for stranger in (other, editor, None):
        with pytest.raises(NotFound):
            assessment_results.get_saved(stranger, saved.id)
    with pytest.raises(PermissionDenied):
        assessment_results.save_result(None, tool, result)
    with pytest.raises(ValidationFailed):
        assessment_results.save_result(member, tool, score(tool, assessments.blank_answers(tool)))

    again = assessment_results.evaluate(member, tool, {"lead": (3, 3), "data": (3, 3)})
    assert again.baseline.id == saved.id
    assert again.changes["lead"] == pytest.approx(100 - 100 / 6)
    assert again.changes["data"] == 0
    assert assessment_results.evaluate(member, tool, {"lead": (3, 3), "data": (3, 3)}, compare="none").baseline is None
    assert assessment_results.evaluate(other, tool, {"lead": (3, 3), "data": (3, 3)}).baseline is None

    assessment_results.delete_saved(member, saved.id)
    assert assessment_results.saved_results(member, tool) == []
