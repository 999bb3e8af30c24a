"""What a result asks to do first: the statements answered low, in order, each
with its first step and resources chosen for it (never one twice)."""
from __future__ import annotations

from hub.services import assessments
from hub.services.assessment_priorities import priorities, priority_statements, reason_phrases
from hub.services.assessments import score, tool_from
from tests.services.test_assessments import make_tool

WEIGHTED = {
    "scale": ["Not yet", "Starting", "In progress", "In place"],
    "sections": [
        {"id": "a", "title": "A", "questions": [
            "A1", {"text": "A2", "weight": 3}, {"text": "A3", "action": {"en": "Do A3.", "fr": "Faire A3."}}, "A4"],
         "recommend": {"topics": [], "types": []}},
        {"id": "b", "title": "B", "questions": ["B1", {"text": "B2", "action": "Plain B2 step."}],
         "recommend": {"topics": [], "types": []}},
    ],
}


def keys(sections):
    return [[p.statement.key for p in sp.priorities] for sp in sections]


# -- order (pure) ---------------------------------------------------------------------
def test_priorities_go_weakest_section_first_then_lowest_answer_then_weight_then_order():
    tool = tool_from(WEIGHTED)
    # Section b scores 1 of 6 (17%), section a 3 of 12 (25%): b comes first.
    result = score(tool, {"a": (1, 1, 0, 1), "b": (0, 1)})
    sections = priority_statements(tool, result, "en")
    assert [sp.score.id for sp in sections] == ["b", "a"]
    # In a: "Not yet" (a.3) before the "Starting" ones; among those, a.2 (weight 3) before a.1 and a.4.
    assert keys(sections) == [["b.1", "b.2"], ["a.3", "a.2", "a.1", "a.4"]]
    first = sections[1].priorities[0].statement
    assert (first.position, first.answer_label, first.action) == ("1.3", "Not yet", "Do A3.")


def test_only_the_two_lowest_answers_are_priorities_and_all_in_place_has_none():
    tool = tool_from(WEIGHTED)
    sections = priority_statements(tool, score(tool, {"a": (2, 3, 2, None), "b": (3, 1)}), "en")
    assert keys(sections) == [["b.2"]]
    assert priority_statements(tool, score(tool, {"a": (2, 2, 3, 3), "b": (3, 2)}), "en") == []
    assert priority_statements(tool, assessments.blank_answers(tool) and score(tool, {}), "en") == []


def test_a_first_step_speaks_the_readers_language_when_the_tool_has_it():
    tool = tool_from(WEIGHTED)
    a, b = tool.sections
    assert a.action(3, "fr", "en") == "Faire A3." and a.action(3, "en", "en") == "Do A3."
    assert a.action(3, "de", "en") == "Do A3."  # not written in that language: the tool's own
    assert b.action(2, "fr", "en") == "Plain B2 step."  # plain text is the tool's language
    assert a.action(1, "en", "en") is None


def test_the_reason_is_the_statements_words_the_resource_shares_joined_into_phrases():
    statement = "Partners collect race-based data with community consent and clear rules."
    assert reason_phrases(statement, "Race-based data standards; consent forms", "en", "en") == (
        "race-based data", "consent")
    # Words compared as the search compares them: stemmed and folded.
    assert reason_phrases("We consult communities.", "Consultation with the community", "en", "en") == (
        "consult communities",)
    assert reason_phrases("We have a policy.", "Nothing alike here", "en", "en") == ()
    # Words every statement shares explain nothing.
    assert reason_phrases("Our anti-racism policy.", "An anti-racism guide", "en", "en") == ()


# -- suggestions (database and search) --------------------------------------------------
def test_suggestions_follow_the_rule_the_statement_and_the_readers_rights(app, make_resource, make_user):
    make_tool(make_resource, slug="tool", topics="[governance]")
    make_resource(slug="gov-policy", type="policy", topics="[Governance]", title="Governance policy")
    make_resource(slug="type-only", type="policy", topics="[other]", title="A policy for boards")
    make_resource(slug="topic-no-word", type="report", topics="[governance]", title="Leadership report")
    make_resource(slug="word-no-rule", type="report", topics="[other]", title="A policy report")
    make_resource(slug="members", type="policy", topics="[governance]", title="Members policy", access="members")
    tool = assessments.get_tool(None, "tool")
    result = score(tool, {"lead": (0, None), "data": (None, None)})

    picks = priorities(None, tool, result, "en")[0].priorities[0].suggestions
    slugs = [g.resource.slug for g in picks]
    assert len(slugs) == 2 and set(slugs) <= {"gov-policy", "type-only"}
    assert all(g.reason == ("policy",) for g in picks)
    # A member may be offered a members-only resource; the anonymous reader never is.
    member = make_user()
    member_slugs = {g.resource.slug for g in priorities(member, tool, result, "en")[0].priorities[0].suggestions}
    assert "members" not in slugs and member_slugs <= {"gov-policy", "type-only", "members"}
    assert "tool" not in slugs


def test_unpublished_resources_are_never_suggested_even_to_editors(app, make_resource, make_user):
    from hub.extensions import db

    make_tool(make_resource, slug="tool")
    hidden = make_resource(slug="draft-policy", type="policy", topics="[governance]", title="Draft policy")
    hidden.status = "unpublished"
    db.session.commit()
    editor = make_user("editor")
    tool = assessments.get_tool(editor, "tool")
    sections = priorities(editor, tool, score(tool, {"lead": (0, 0), "data": (0, 0)}), "en")
    assert "draft-policy" not in [g.resource.slug for sp in sections for p in sp.priorities for g in p.suggestions]


def test_no_title_is_suggested_twice_on_one_result(app, make_resource):
    make_tool(make_resource, slug="tool")
    # One resource fits both statements of "lead"; two resources share a title.
    make_resource(slug="policy-and-yearly-report", type="policy", topics="[governance]",
                  title="A policy and a yearly report")
    make_resource(slug="twin-1", type="policy", topics="[governance]", title="Report yearly on policy")
    make_resource(slug="twin-2", type="policy", topics="[governance]", title="Report yearly on policy")
    make_resource(slug="data-1", type="report", topics="[data collection]", title="Collect and publish data")
    make_resource(slug="data-2", type="report", topics="[data collection]", title="Publish data openly")
    tool = assessments.get_tool(None, "tool")
    sections = priorities(None, tool, score(tool, {"lead": (0, 0), "data": (0, 1)}), "en")
    shown = [g.resource for sp in sections for p in sp.priorities for g in p.suggestions]
    titles = [r.title.casefold() for r in shown]
    assert len(titles) == len(set(titles)) and len(shown) >= 4
    assert not {"twin-1", "twin-2"} <= {r.slug for r in shown}


def test_a_resource_and_its_translation_are_not_both_suggested(app, make_resource):
    make_tool(make_resource, slug="tool")
    make_resource(slug="policy-en", type="policy", topics="[governance]", translation="politique-fr",
                  title="A governance policy")
    make_resource(slug="politique-fr", type="policy", topics="[gouvernance]", language="fr",
                  title="Une politique policy")
    tool = assessments.get_tool(None, "tool")
    sections = priorities(None, tool, score(tool, {"lead": (0, 0), "data": (None, None)}), "en")
    slugs = [g.resource.slug for sp in sections for p in sp.priorities for g in p.suggestions]
    assert "policy-en" in slugs and "politique-fr" not in slugs


def test_suggestions_keep_the_search_services_order_and_need_a_real_match(app, make_resource):
    from hub.services.search import SearchParams, rank_resources

    make_tool(make_resource, slug="tool")
    make_resource(slug="p-summary", type="policy", topics="[policy]", title="Guidance for boards",
                  summary="How to write a policy.")
    make_resource(slug="p-title", type="policy", topics="[x]", title="Policy policy, writing a policy")
    make_resource(slug="p-none", type="policy", topics="[x]", title="Unrelated paper")
    # One shared word in the summary alone is too thin a match to suggest.
    make_resource(slug="p-thin", type="policy", topics="[x]", title="Boards", summary="A policy.")
    tool = assessments.get_tool(None, "tool")
    sections = priorities(None, tool, score(tool, {"lead": (0, None), "data": (None, None)}), "en")
    slugs = [g.resource.slug for g in sections[0].priorities[0].suggestions]
    ranked = [rid for rid, _ in rank_resources(None, SearchParams(q="policy", sort="relevance"))]
    from hub.extensions import db
    from hub.models import Resource
    order = {db.session.get(Resource, rid).slug: n for n, rid in enumerate(ranked)}
    assert set(slugs) == {"p-title", "p-summary"} and slugs == sorted(slugs, key=order.get)
    assert "p-thin" in order  # the search found it; the reason rule left it out


FRENCH_ASSESSMENT_YAML = """
  scale: [Pas encore, Amorcé, En cours, En place]
  sections:
    - id: lead
      title: Leadership et gouvernance
      questions: [Notre politique inclusive est publique.]
      recommend:
        topics: [gouvernance]
        types: []
"""


def test_a_french_tool_selects_an_english_resource_by_its_french_topics_and_says_why_in_french(app, make_resource):
    # The rule names its topic in French; the English guide carries "gouvernance"
    # among its French topics, and its French title shares the statement's words.
    make_tool(make_resource, slug="outil", language="fr", title="Autoévaluation", assessment=FRENCH_ASSESSMENT_YAML)
    make_resource(slug="inclusion-guide", type="guide",
                  title="{en: Inclusive policy guide, fr: Guide sur la politique inclusive}",
                  topics="{en: [governance], fr: [gouvernance]}")
    make_resource(slug="off-topic", type="guide", title="Inclusive policy handbook",
                  topics="{en: [other], fr: [autre]}")
    tool = assessments.get_tool(None, "outil")
    picks = priorities(None, tool, score(tool, {"lead": (0,)}), "fr")[0].priorities[0].suggestions
    assert [g.resource.slug for g in picks] == ["inclusion-guide"]
    assert picks[0].reason == ("politique inclusive",)


def test_the_tools_own_edition_in_the_other_language_is_never_suggested(app, make_resource):
    # The French edition fits the English tool's rule (type policy, governance)
    # and shares its words, but the reader is already taking the tool.
    make_tool(make_resource, slug="tool", translation="outil")
    make_resource(slug="outil", language="fr", translation="tool", type="policy", topics="[governance]",
                  title="'Outil : we have a policy, we report yearly'")
    make_resource(slug="gov-policy", type="policy", topics="[governance]", title="Governance policy")
    tool = assessments.get_tool(None, "tool")
    sections = priorities(None, tool, score(tool, {"lead": (0, 0), "data": (None, None)}), "en")
    slugs = [g.resource.slug for sp in sections for p in sp.priorities for g in p.suggestions]
    assert "gov-policy" in slugs and "outil" not in slugs
