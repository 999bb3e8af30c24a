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
    answers = dict.fromkeys(names, value) if value is not None else {}
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


@pytest.mark.parametrize("slug", CURATED[::2])  # CURATED lists each English tool, then its French edition
def test_each_french_edition_mirrors_its_english_tool(catalogue, slug):
    """A team that takes the tool in French and one that takes it in English
    compare section by section and statement by statement (rounds, saved
    results), so both editions must ask the same thing with the same steps."""
    english, french = catalogue[slug], catalogue[catalogue[slug].translation]
    assert (english.language, french.language, french.translation) == ("en", "fr", slug)

    def shape(tool):
        return [(s["id"], s["recommend"]["types"],
                 [(q.get("action"), q.get("weight", 1)) if isinstance(q, dict) else (None, 1) for q in s["questions"]])
                for s in tool.assessment["sections"]]

    assert len(french.assessment["scale"]) == len(english.assessment["scale"])
    assert shape(french) == shape(english)
    for tool in (english, french):
        assert all(isinstance(q, dict) and set(q["action"]) == {"en", "fr"}
                   for s in tool.assessment["sections"] for q in s["questions"])


@pytest.mark.parametrize("slug", CURATED)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_tool_suggests_for_its_statements_by_its_rules_without_repeats(catalogue_app, catalogue, slug, lang):
    client = catalogue_app.test_client()
    tool = catalogue[slug]
    doc, answers = take(client, lang, slug, "0")
    assert len(answers) == sum(len(s["questions"]) for s in tool.assessment["sections"])
    found = suggestions(doc)
    assert list(found) == [s["id"] for s in tool.assessment["sections"]]  # all at 0%: tool order
    every = []
    for section in tool.assessment["sections"]:
        topics = {_norm(t) for t in section["recommend"]["topics"]}
        types = set(section["recommend"]["types"])
        box = doc.xpath(f"//section[@aria-labelledby='next-{section['id']}']")[0]
        items = box.xpath(".//li[@class='priority']")
        assert len(items) == len(section["questions"])  # every statement answered "Not yet"
        for item, question in zip(items, section["questions"], strict=True):
            # Each statement has its first step, in the page's language when the tool has one.
            step = item.xpath(".//p[@class='first-step']")
            assert step, (section["id"], item.text_content()[:60])
            action = question["action"] if isinstance(question, dict) else None
            wanted = action if isinstance(action, str) else action.get(lang) or action.get(tool.language)
            assert " ".join(wanted.split()) in " ".join(step[0].text_content().split())
            for link in item.xpath(".//ul[@class='recommendations']/li"):
                pick = re.sub(r"^/(en|fr)/resources/", "", link.xpath(".//a/@href")[0])
                res = catalogue[pick]
                assert pick not in (slug, tool.translation) and res.status == "published" and res.access == "public"
                # The rule's topics are in the tool's language; a resource carries its topics in each of its languages.
                theirs = {_norm(t) for values in res.topics_by_language.values() for t in values}
                assert topics & theirs or res.type in types, (section["id"], pick)
                reason = link.xpath(".//span[@class='reason']")[0].text_content()
                assert reason.startswith("pour\u202f: " if lang == "fr" else "for: ") and len(reason) > 6
                every.append(res.title.casefold())
    assert every and len(every) == len(set(every))  # no title twice on one result
    heading = doc.xpath("//h1")[0].text_content()
    assert ("Votre résultat" if lang == "fr" else "Your result") in heading
    assert doc.xpath("//html/@lang") == [lang]


@pytest.mark.parametrize("slug", CURATED)
def test_all_maximum_answers_recommend_nothing(catalogue_app, slug):
    doc, _ = take(catalogue_app.test_client(), "en", slug, "3")
    assert suggestions(doc) == {}
    assert ("every statement answered is under way or in place"
            in doc.xpath("//p[@class='all-in-place']")[0].text_content())
    assert doc.xpath("//p[@class='overall-score']/strong")[0].text_content() == "100%"


def test_members_see_members_only_suggestions_and_anonymous_people_do_not(catalogue_app, catalogue):
    from hub.services import assessments
    from hub.services.assessment_priorities import priorities
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
            result = assessments.score(tool, {s.id: (0,) * len(s.questions) for s in tool.sections})
            every[who] = {g.resource.slug for sp in priorities(who, tool, result, "en")
                          for p in sp.priorities for g in p.suggestions}
    assert members_only & every[member] and not members_only & every[None]
