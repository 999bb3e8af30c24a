"""Every curated self-assessment, end to end on the real catalogue, in
English and French: the form, the result and what it recommends."""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html
from sqlalchemy import select

from hub.services.assessments import _norm

CURATED = ["lip-council-anti-racism-self-assessment", "autoevaluation-antiraciste-conseils-pli",
           "municipal-anti-racism-self-assessment", "autoevaluation-antiraciste-municipalites",
           "employer-service-provider-anti-racism-self-assessment",
           "autoevaluation-antiraciste-employeurs-fournisseurs-services",
           "community-dialogue-on-racism-checklist", "liste-verification-dialogue-communautaire-racisme",
           "cultural-safety-readiness-checklist-health-partners",
           "liste-verification-securite-culturelle-partenaires-sante",
           "march-21-anti-racism-week-checklist", "liste-verification-semaine-contre-racisme-21-mars",
           "board-inclusion-self-check-partner-organizations",
           "autoevaluation-inclusion-conseil-administration-organismes-partenaires"]


@pytest.fixture(scope="module")
def catalogue(catalogue_app):
    from hub.extensions import db
    from hub.models import Resource

    with catalogue_app.app_context():
        rows = {r.slug: r for r in db.session.scalars(select(Resource))}
        for r in rows.values():
            db.session.expunge(r)
    return rows


def take(client, lang: str, slug: str, value: str | None = "0") -> tuple[lxml_html.HtmlElement, dict]:
    page = client.get(f"/{lang}/resources/{slug}/assessment")
    assert page.status_code == 200
    form = lxml_html.fromstring(page.get_data(as_text=True))
    names = sorted({i.get("name") for i in form.xpath("//input[@type='radio']")})
    token = form.xpath("//input[@name='csrf_token']/@value")[0]
    answers = {n: value for n in names} if value is not None else {}
    resp = client.post(f"/{lang}/resources/{slug}/assessment", data={"csrf_token": token, **answers})
    assert resp.status_code == 200
    return lxml_html.fromstring(resp.get_data(as_text=True)), answers


def suggestions(doc) -> dict[str, list[str]]:
    out = {}
    for section in doc.xpath("//section[contains(@class, 'section-result')]"):
        sid = section.get("aria-labelledby")[len("next-"):]
        out[sid] = [re.sub(r"^/(en|fr)/resources/", "", h) for h in section.xpath(".//ul//a/@href")]
    return out


def test_the_catalogue_has_the_curated_tools(catalogue):
    tools = sorted(slug for slug, r in catalogue.items() if r.assessment)
    assert tools == sorted(CURATED)


@pytest.mark.parametrize("slug", CURATED)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_tool_recommends_by_its_rules_for_every_weak_section(catalogue_app, catalogue, slug, lang):
    client = catalogue_app.test_client()
    tool = catalogue[slug]
    doc, answers = take(client, lang, slug, "0")
    assert len(answers) == sum(len(s["questions"]) for s in tool.assessment["sections"])
    found = suggestions(doc)
    assert list(found) == [s["id"] for s in tool.assessment["sections"]]  # all at 0%: tool order
    for section in tool.assessment["sections"]:
        picks = found[section["id"]]
        assert 1 <= len(picks) <= 5, (section["id"], picks)
        topics = {_norm(t) for t in section["recommend"]["topics"]}
        types = set(section["recommend"]["types"])
        both_flags = []
        for pick in picks:
            res = catalogue[pick]
            assert pick != slug
            assert res.status == "published" and res.access == "public"
            topic_match = bool(topics & {_norm(t) for t in res.topics})
            type_match = res.type in types
            assert topic_match or type_match, (section["id"], pick)
            both_flags.append(topic_match and type_match)
        assert both_flags == sorted(both_flags, reverse=True), (section["id"], picks)  # both first
    heading = doc.xpath("//h1")[0].text_content()
    assert ("Votre résultat" if lang == "fr" else "Your result") in heading
    assert doc.xpath("//html/@lang") == [lang]


@pytest.mark.parametrize("slug", CURATED)
def test_all_maximum_answers_recommend_nothing(catalogue_app, slug):
    doc, _ = take(catalogue_app.test_client(), "en", slug, "3")
    assert all(picks == [] for picks in suggestions(doc).values())
    assert doc.xpath("//p[@class='overall-score']/strong")[0].text_content() == "100%"


def test_members_see_members_only_suggestions_and_anonymous_people_do_not(catalogue_app, catalogue):
    from hub.services import assessments
    from hub.services.users import create_user

    members_only = {s for s, r in catalogue.items() if r.access == "members"}
    assert members_only
    slug = "lip-council-anti-racism-self-assessment"
    anonymous_page = suggestions(take(catalogue_app.test_client(), "en", slug)[0])
    assert not members_only & {p for picks in anonymous_page.values() for p in picks}
    with catalogue_app.app_context():
        member = create_user("assess-member@example.org", role="member")
        every = {}
        for who in (None, member):
            tool = assessments.get_tool(who, slug)
            picks = assessments.recommend(who, tool, tool.sections, limit=1000)
            every[who] = {r.resource.slug for recs in picks.values() for r in recs}
    # The terms of reference (members only, a policy on governance) qualifies for "Leadership and governance".
    assert "lip-anti-racism-working-group-terms-of-reference" in every[member]
    assert not members_only & every[None]
