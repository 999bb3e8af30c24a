"""The glossary as a reader meets it: terms marked on first use in a
resource's body (the body's language), and /<lang>/glossary listing every
term alphabetically with the resources the reader may see that use it."""
from __future__ import annotations

from lxml import html as lxml_html

from hub.glossary import load_glossary, sort_key


def parse(resp):
    assert resp.status_code == 200, resp.status_code
    return lxml_html.fromstring(resp.get_data(as_text=True))


def entry(doc, key: str):
    """The glossary page's <dt> of a term and its <dd>."""
    dt = doc.xpath(f"//dl[@class='glossary']/dt[@id='term-{key}']")[0]
    return dt, dt.getnext()


def used_in(doc, key: str) -> list[str]:
    return [a.get("href") for a in entry(doc, key)[1].xpath(".//ul[@class='glossary-uses']//a")]


def test_the_first_use_of_a_term_is_marked_with_its_definition_and_a_link_to_the_glossary(client, make_resource):
    make_resource(slug="hiring", body="## Systemic racism\n\nSystemic racism shapes hiring. "
                                      "[Systemic racism](https://example.org) and systemic racism again, "
                                      "then `equity` and equity.\n")
    doc = parse(client.get("/en/resources/hiring"))
    body = doc.xpath("//div[@class='body']")[0]
    marks = body.xpath(".//span[@class='gloss']")
    assert [m.xpath("./a[@class='gloss-term']")[0].text_content() for m in marks] == ["Systemic racism", "equity"]
    term = marks[0].xpath("./a[@class='gloss-term']")[0]
    assert term.get("href") == "/en/glossary#term-systemic-racism"
    definition = doc.xpath(f"//*[@id='{term.get('data-gloss')}']")[0]
    assert definition.get("hidden") is not None
    assert load_glossary().term("systemic-racism").entry("en").definition in definition.text_content()
    see = definition.xpath(".//a")[0]
    assert see.text_content() == "See the glossary" and see.get("href") == "/en/glossary#term-systemic-racism"
    # Never inside the heading, the link or the code.
    assert not body.xpath(".//h2//span[@class='gloss'] | .//a//span[@class='gloss'] | .//code//span[@class='gloss']")
    # The script that turns the links into disclosure buttons is a file, not inline.
    assert doc.xpath("//script[contains(@src, 'js/glossary.js')]")
    # The stored body and the API keep the HTML nh3 produced.
    assert "gloss" not in client.get("/api/v1/resources/hiring").get_json()["body_html"]


def test_a_french_body_gets_french_terms_and_the_interface_language_for_the_link(client, make_resource):
    make_resource(slug="fr-doc", language="fr", title="Embauche", summary="Un résumé.",
                  body="Le racisme systémique et l'islamophobie, mais pas systemic racism.\n")
    doc = parse(client.get("/en/resources/fr-doc"))
    terms = doc.xpath("//div[@class='body']//a[@class='gloss-term']")
    assert [t.text_content() for t in terms] == ["racisme systémique", "islamophobie"]
    definition = doc.xpath(f"//*[@id='{terms[0].get('data-gloss')}']")[0]
    assert load_glossary().term("systemic-racism").entry("fr").definition in definition.text_content()
    see = definition.xpath(".//a")[0]
    assert see.text_content() == "See the glossary" and see.get("lang") == "en"
    doc = parse(client.get("/fr/resources/fr-doc"))
    see = doc.xpath("//span[@class='gloss-def']//a")[0]
    assert see.text_content() == "Voir le glossaire" and see.get("href") == "/fr/glossary#term-systemic-racism"


def test_the_glossary_lists_every_term_alphabetically_in_the_readers_language(client):
    glossary = load_glossary()
    for lang, heading in (("en", "Glossary"), ("fr", "Glossaire")):
        doc = parse(client.get(f"/{lang}/glossary"))
        assert doc.xpath("//h1")[0].text_content() == heading
        headwords = [d.text_content() for d in doc.xpath("//dl[@class='glossary']/dt/dfn")]
        assert headwords == sorted((t.entry(lang).term for t in glossary.terms), key=sort_key)
        dt, dd = entry(doc, "islamophobia")
        assert dt.xpath("./dfn")[0].text_content() == glossary.term("islamophobia").entry(lang).term
        assert glossary.term("islamophobia").entry(lang).definition in dd.text_content()
    # Every page links to it from the footer.
    footer = parse(client.get("/fr/")).xpath("//footer//a[@href='/fr/glossary']")
    assert footer and footer[0].text_content() == "Glossaire"


def test_a_term_lists_the_resources_that_use_it_and_only_those_the_reader_may_see(
        client, make_resource, make_user, login_as):
    make_resource(slug="open", body="Intersectionality matters.\n")
    make_resource(slug="closed", body="Intersectionality, for members.\n", access="members", title="For members")
    make_resource(slug="elsewhere", body="Nothing to see.\n")
    doc = parse(client.get("/en/glossary"))
    assert used_in(doc, "intersectionality") == ["/en/resources/open"]
    assert "For members" not in doc.text_content()

    login_as(make_user("member"))
    doc = parse(client.get("/en/glossary"))
    assert sorted(used_in(doc, "intersectionality")) == ["/en/resources/closed", "/en/resources/open"]


def test_a_newly_published_resource_appears_under_its_terms(client, make_resource):
    make_resource(slug="first", body="Cultural safety first.\n")
    assert used_in(parse(client.get("/en/glossary")), "cultural-safety") == ["/en/resources/first"]
    make_resource(slug="second", body="Cultural safety second.\n", published="2025-06-01")
    assert used_in(parse(client.get("/en/glossary")), "cultural-safety") == ["/en/resources/second",
                                                                           "/en/resources/first"]


def test_a_term_no_visible_resource_uses_says_so(client, make_resource):
    make_resource(slug="closed", body="Xenophobia.\n", access="members")
    dd = entry(parse(client.get("/en/glossary")), "xenophobia")[1]
    assert "No resource you can see uses this term yet." in dd.text_content()
    assert not dd.xpath(".//a[@href='/en/resources/closed']")


def test_an_edited_body_that_drops_a_term_leaves_its_list(client, make_resource, tmp_path):
    from hub.services.resources import import_documents
    from tests.conftest import resource_text

    make_resource(slug="edited", body="Racial profiling, then more.\n")
    assert used_in(parse(client.get("/en/glossary")), "racial-profiling") == ["/en/resources/edited"]
    path = tmp_path / "edited.md"
    path.write_text(resource_text(slug="edited", title="Resource number 1", body="Nothing of it now.\n"),
                    encoding="utf-8")
    assert not import_documents([path]).rejected
    assert used_in(parse(client.get("/en/glossary")), "racial-profiling") == []
