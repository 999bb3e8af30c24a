"""An action plan from a result: picking statements, owner, date and note;
its CSV (one row per statement) and Word document, read back."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from hub.services import assessment_results, assessments
from hub.services.assessment_plans import parse_plan, plan_csv, plan_docx, plan_from_record
from hub.services.assessments import TamperedAnswers

STEPS = """
  scale: [Not yet, Starting, In progress, In place]
  sections:
    - id: lead
      title: Leadership and governance
      questions:
        - text: We have a policy.
          action: {en: Draft a one-page policy., fr: Rédiger une politique d'une page.}
        - We report yearly.
        - text: We review membership.
          action: Review membership.
      recommend:
        topics: [governance]
        types: [policy]
"""


@pytest.fixture
def evaluation(app, make_resource):
    make_resource(slug="tool", type="self-assessment", assessment=STEPS, title="Council tool")
    make_resource(slug="gov-policy", type="policy", topics="[governance]", title="A governance policy",
                  summary="=cmd|' /C calc'!A0")
    tool = assessments.get_tool(None, "tool")
    with app.test_request_context("/en/"):
        yield assessment_results.evaluate(None, tool, {"lead": (0, 1, 3)}, locale="en", count=False)


def test_a_plan_keeps_the_picked_statements_with_owner_date_and_note(evaluation):
    form = MultiDict([("lead.1", "0"), ("plan", "lead.1"), ("owner:lead.1", "  Ana   Silva "),
                      ("due:lead.1", "2027-03-31"), ("note:lead.1", "With the co-chairs"),
                      ("owner:lead.2", "Not picked")])
    plan = parse_plan(evaluation, form)
    assert plan.errors == [] and not plan.everything
    [item] = plan.items
    assert (item.statement.key, item.owner, item.due, item.note) == ("lead.1", "Ana Silva", date(2027, 3, 31),
                                                                     "With the co-chairs")
    assert item.statement.action == "Draft a one-page policy."
    assert plan.values["lead.2"] == {"picked": False, "owner": "Not picked", "due": "", "note": ""}
    # Back from what a saved result keeps.
    again = plan_from_record(evaluation, [item.as_record()])
    assert [(i.statement.key, i.owner, i.due) for i in again.items] == [("lead.1", "Ana Silva", date(2027, 3, 31))]


def test_nothing_picked_lists_every_priority_when_asked(evaluation):
    plan = parse_plan(evaluation, MultiDict(), default_all=True)
    assert plan.everything and [i.statement.key for i in plan.items] == ["lead.1", "lead.2"]
    assert parse_plan(evaluation, MultiDict()).items == []


def test_a_bad_date_or_a_long_note_is_an_error_that_keeps_what_was_typed(evaluation):
    form = MultiDict([("plan", "lead.1"), ("due:lead.1", "31/03/2027"), ("note:lead.1", "x" * 1001)])
    plan = parse_plan(evaluation, form)
    assert len(plan.errors) == 2
    assert "“31/03/2027” is not a date" in plan.errors[0] and "1.1" in plan.errors[0]
    assert "the limit is 1000" in plan.errors[1]
    assert plan.values["lead.1"]["due"] == "31/03/2027"


@pytest.mark.parametrize("form", [
    MultiDict([("plan", "lead.3")]),  # answered "In place": not a priority
    MultiDict([("plan", "nope.1")]),
    MultiDict([("owner:lead.9", "x")]),
])
def test_a_plan_naming_something_else_is_a_tampered_form(evaluation, form):
    with pytest.raises(TamperedAnswers):
        parse_plan(evaluation, form)


def test_the_csv_has_one_row_per_statement_with_answer_step_and_plan(evaluation):
    plan = parse_plan(evaluation, MultiDict([("plan", "lead.2"), ("owner:lead.2", "=Ana"),
                                             ("due:lead.2", "2027-01-15")]))
    body = plan_csv(evaluation, plan, locale="en")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [
        ["Section", "Statement number", "Statement", "Answer", "Suggested step", "In the plan", "Owner", "Date",
         "Note"],
        ["Leadership and governance", "1.1", "We have a policy.", "Not yet", "Draft a one-page policy.", "", "",
         "", ""],
        ["Leadership and governance", "1.2", "We report yearly.", "Starting", "", "yes", "'=Ana", "2027-01-15", ""],
        ["Leadership and governance", "1.3", "We review membership.", "In place", "Review membership.", "", "",
         "", ""]]


def test_the_word_document_reads_back_with_scores_actions_and_resources(evaluation):
    import docx

    plan = parse_plan(evaluation, MultiDict([("plan", "lead.1"), ("owner:lead.1", "Ana"),
                                             ("due:lead.1", "2027-03-31"), ("note:lead.1", "Start in March")]))
    data = plan_docx(evaluation, plan, title="Action plan: Council tool", subtitle="Team round: spring",
                     today="December 7, 2026", link=lambda r: f"https://hub.test/en/resources/{r.slug}",
                     percent=lambda v: f"{round(v)}%")
    doc = docx.Document(io.BytesIO(data))
    text = [p.text for p in doc.paragraphs]
    assert text[:3] == ["Action plan: Council tool", "Team round: spring", "December 7, 2026"]
    scores, actions = doc.tables
    assert [c.text for c in scores.rows[1].cells] == ["Leadership and governance", "44%", "3 of 3"]
    assert [c.text for c in actions.rows[0].cells] == ["Statement", "Answer", "First step", "Owner", "Date", "Note"]
    assert [c.text for c in actions.rows[1].cells] == [
        "1.1 We have a policy.", "Not yet", "Draft a one-page policy.", "Ana", "2027-03-31", "Start in March"]
    assert len(actions.rows) == 2
    resources = " ".join(t for t in text if "governance policy" in t)
    assert "A governance policy (1.1) — for: policy" in resources
    assert "https://hub.test/en/resources/gov-policy" in resources
