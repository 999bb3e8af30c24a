"""The public pages as a reader meets them: both languages, the home page's
counts, the resource page, browse pages, the hub's own pages and errors."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from hub.services.resources import import_documents
from tests.conftest import resource_text

PAGES = ["/", "/racism-types", "/audiences", "/racism-types/anti-black", "/audiences/employers",
         "/working-groups", "/working-groups/anti-racism", "/land-acknowledgement", "/about"]


def parse(resp):
    return lxml_html.fromstring(resp.get_data(as_text=True))


def text_of(doc) -> str:
    return " ".join(doc.text_content().split())


@pytest.mark.parametrize("path", PAGES)
def test_every_page_exists_in_both_languages_with_lang_alternates_and_switch(client, path):
    for lang, other in (("en", "fr"), ("fr", "en")):
        resp = client.get(f"/{lang}{path}?x=1&y=%C3%A9")
        assert resp.status_code == 200, (lang, path)
        doc = parse(resp)
        assert doc.get("lang") == lang
        alternates = {link.get("hreflang"): link.get("href") for link in doc.xpath("//link[@rel='alternate']")}
        assert alternates["en"].endswith(f"/en{path}?x=1&y=%C3%A9")
        assert alternates["fr"].endswith(f"/fr{path}?x=1&y=%C3%A9")
        switch = doc.xpath("//a[contains(@class,'lang-switch')]")[0]
        assert switch.get("href") == f"/{other}{path}?x=1&y=%C3%A9"
        assert switch.get("lang") == other and switch.get("hreflang") == other
        assert len(doc.xpath("//h1")) == 1
        assert doc.xpath("//main[@id='main']") and doc.xpath("//footer[@id='footer']")
        assert [a.get("href") for a in doc.xpath("//a[@class='skip-link']")] == ["#main", "#footer"]


def test_interface_text_is_french_on_french_pages(client):
    doc = parse(client.get("/fr/"))
    text = text_of(doc)
    assert "Parcourir par type de racisme" in text and "Passer au contenu" in text
    assert "Browse by racism type" not in text
    assert doc.xpath("//label[@for='home-q']")[0].text_content().strip() == "Rechercher dans le carrefour"


def test_home_counts_only_what_the_reader_may_see(client, make_resource, make_user, login_as):
    make_resource(slug="a", racism_types="[anti-asian]", audiences="[youth]", type="toolkit")
    make_resource(slug="b", racism_types="[anti-asian, systemic]", audiences="[youth]", type="guide")
    make_resource(slug="hidden", racism_types="[anti-asian]", audiences="[youth]", type="toolkit",
                  access="members", title="Members toolkit")

    def count(doc, href):
        link = doc.xpath(f"//a[@href='{href}']")[0]
        return " ".join(link.xpath(".//span[@class='term-count']")[0].text_content().split())

    doc = parse(client.get("/en/"))
    assert count(doc, "/en/racism-types/anti-asian") == "2 resources"
    assert count(doc, "/en/racism-types/systemic") == "1 resource"
    assert count(doc, "/en/audiences/youth") == "2 resources"
    assert count(doc, "/en/search?type=toolkit") == "1 resource"
    assert "Members toolkit" not in text_of(doc)

    login_as(make_user())
    doc = parse(client.get("/en/"))
    assert count(doc, "/en/racism-types/anti-asian") == "3 resources"
    assert count(doc, "/en/search?type=toolkit") == "2 resources"


def test_home_has_a_search_box_newest_and_featured_resources(client, make_resource):
    make_resource(slug="kit-old", type="toolkit", title="Older toolkit", published="2019-01-01")
    make_resource(slug="kit-new", type="toolkit", title="Newer toolkit", published="2024-05-01")
    make_resource(slug="assess", type="self-assessment", title="Council self-assessment")
    make_resource(slug="report", type="report", title="A recent report", published="2025-01-01")
    doc = parse(client.get("/en/"))
    form = doc.xpath("//form[@role='search']")[0]
    assert form.get("action") == "/en/search" and form.get("method") == "get"
    field = form.xpath(".//input[@name='q']")[0]
    assert form.xpath(f".//label[@for='{field.get('id')}']")
    toolkits = [a.text_content() for a in doc.xpath("//section[@aria-labelledby='featured-toolkits']//h3/a")]
    assert toolkits == ["Newer toolkit", "Older toolkit"]
    assert "Council self-assessment" in text_of(doc.xpath("//section[@aria-labelledby='featured-assessments']")[0])
    newest = [a.text_content() for a in doc.xpath("//section[@aria-labelledby='recent-heading']//h3/a")]
    assert newest[0] == "A recent report"


def test_numbers_are_formatted_for_the_locale(client, app):
    import flask_babel
    from flask import g

    from hub.templating import format_number, human_size
    with app.test_request_context("/fr/"):
        g.lang = "fr"
        flask_babel.refresh()
        assert format_number(12345) == "12\N{NARROW NO-BREAK SPACE}345"
        assert human_size(1_250_000) == "1,2\N{NO-BREAK SPACE}Mo"
        assert human_size(38_400) == "38,4\N{NO-BREAK SPACE}ko"
    with app.test_request_context("/en/"):
        g.lang = "en"
        flask_babel.refresh()
        assert format_number(12345) == "12,345"


def test_dates_are_formatted_for_the_locale(client, make_resource):
    make_resource(slug="dated", published="2022-03-15")
    assert "March 15, 2022" in text_of(parse(client.get("/en/resources/dated")))
    assert "15 mars 2022" in text_of(parse(client.get("/fr/resources/dated")))


# -- the resource page ---------------------------------------------------------
@pytest.fixture
def rich_resource(app, tmp_path):
    folder = tmp_path / "rich"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "checklist.txt").write_text("Step one. " * 200, encoding="utf-8")
    body = "\n".join(f"## Part {i}\n\nText of part {i}.\n\n### Detail {i}\n\nMore.\n" for i in range(1, 6))
    (folder / "en.md").write_text(resource_text(
        slug="rich-en", title="Rich toolkit", files="[files/checklist.txt]", url="https://example.org/rich",
        translation="riche-fr", topics="[hiring, onboarding]", authors="[A. Writer]", body=body), encoding="utf-8")
    (folder / "fr.md").write_text(resource_text(
        slug="riche-fr", title="Trousse riche", language="fr", translation="rich-en"), encoding="utf-8")
    (folder / "related.md").write_text(resource_text(
        slug="shares-topic", title="Onboarding guide", type="guide", topics="[onboarding]",
        racism_types="[anti-asian]", audiences="[youth]"), encoding="utf-8")
    (folder / "unrelated.md").write_text(resource_text(
        slug="nothing-shared", title="Unrelated", topics="[sports]", racism_types="[antisemitism]",
        audiences="[youth]"), encoding="utf-8")
    (folder / "secret.md").write_text(resource_text(
        slug="secret-related", title="Secret onboarding", topics="[onboarding, hiring]", access="members"),
        encoding="utf-8")
    report = import_documents([folder])
    assert not report.rejected, report.rejected
    return "rich-en"


def test_resource_page_links_metadata_into_filtered_searches(client, rich_resource):
    doc = parse(client.get("/en/resources/rich-en"))
    hrefs = {a.get("href") for a in doc.xpath("//dl[@class='metadata']//a")}
    assert {"/en/search?racism_type=anti-black", "/en/search?racism_type=systemic",
            "/en/search?audience=employers", "/en/search?audience=lip-staff", "/en/search?language=en",
            "/en/search?region=ab", "/en/search?year=2022"} <= hrefs
    topic = next(a for a in doc.xpath("//dl[@class='metadata']//a") if a.text_content() == "hiring")
    assert parse_qs(urlsplit(topic.get("href")).query) == {"q": ['"hiring"']}
    assert doc.xpath("//p[@class='kicker']/a")[0].get("href") == "/en/search?type=toolkit"


def test_resource_page_shows_files_original_citation_and_translation(client, rich_resource):
    doc = parse(client.get("/en/resources/rich-en"))
    download = doc.xpath("//a[@href='/resources/rich-en/files/checklist.txt']")[0]
    assert download.text_content() == "Download checklist.txt"
    assert download.getparent().xpath(".//span[@class='meta']")[0].text == "(TXT, 2\N{NO-BREAK SPACE}KB)"
    assert doc.xpath("//a[@href='https://example.org/rich']")[0].text_content() == "View the original"
    assert doc.xpath("//p[@class='citation']")[0].text_content() == (
        "A. Writer (2022). Rich toolkit. Calgary Local Immigration Partnership. https://example.org/rich")
    note = doc.xpath("//div[@class='resource-facts']")[0]
    assert "Also available in French:" in text_of(note)
    link = note.xpath(".//a")[0]
    assert link.get("href") == "/en/resources/riche-fr" and link.get("lang") == "fr"
    assert "Également offert en anglais :" in text_of(parse(client.get("/fr/resources/riche-fr")))


def test_long_documents_get_a_table_of_contents(client, rich_resource, make_resource):
    doc = parse(client.get("/en/resources/rich-en"))
    toc = doc.xpath("//nav[@aria-labelledby='toc-heading']")[0]
    top = [a.text_content() for a in toc.xpath("./ol/li/a")]
    assert top == [f"Part {i}" for i in range(1, 6)]
    for a in toc.xpath(".//a"):
        assert doc.xpath(f"//*[@id='{a.get('href')[1:]}']"), a.get("href")
    make_resource(slug="short", body="## Only one heading\n\nShort.\n")
    assert not parse(client.get("/en/resources/short")).xpath("//nav[@aria-labelledby='toc-heading']")


def test_related_resources_share_tags_and_respect_access(client, rich_resource, make_user, login_as):
    doc = parse(client.get("/en/resources/rich-en"))
    related = [a.text_content() for a in doc.xpath("//section[@aria-labelledby='related-heading']//h3/a")]
    assert related[0] == "Onboarding guide"
    assert "Unrelated" not in related and "Trousse riche" not in related
    assert "Secret onboarding" not in related
    login_as(make_user())
    doc = parse(client.get("/en/resources/rich-en"))
    related = [a.text_content() for a in doc.xpath("//section[@aria-labelledby='related-heading']//h3/a")]
    assert related[0] == "Secret onboarding"


def test_content_warning_keeps_the_body_collapsed(client, make_resource):
    make_resource(slug="warned", content_warning="describes racist violence", body="## Account\n\nHard text.\n")
    doc = parse(client.get("/en/resources/warned"))
    warning = doc.xpath("//section[@class='content-warning']")[0]
    assert "describes racist violence" in text_of(warning)
    details = warning.xpath(".//details")[0]
    assert details.get("open") is None and "Hard text." in details.text_content()
    assert warning.xpath("ancestor::*[@lang][1]")[0].get("lang") == "en"


# -- browse pages ----------------------------------------------------------------
def test_browse_page_shows_description_count_and_visible_resources(client, make_resource):
    make_resource(slug="one", title="Black history toolkit", racism_types="[anti-black]")
    make_resource(slug="two", title="Other", racism_types="[antisemitism]")
    make_resource(slug="three", title="Members only piece", racism_types="[anti-black]", access="members")
    doc = parse(client.get("/en/racism-types/anti-black"))
    assert doc.xpath("//h1")[0].text_content() == "Anti-Black racism"
    assert doc.xpath("//p[@class='term-description']")[0].text_content().strip()
    titles = [a.text_content() for a in doc.xpath("//main//h3/a")]
    assert titles == ["Black history toolkit"]
    assert "1 resource" in text_of(doc)
    assert doc.xpath("//a[@href='/en/search?racism_type=anti-black']")
    fr = parse(client.get("/fr/racism-types/anti-black"))
    assert fr.xpath("//h1")[0].text_content() == "Racisme anti-Noirs"
    audience = parse(client.get("/fr/audiences/employers"))
    assert audience.xpath("//h1")[0].text_content() == "Employeurs"
    assert client.get("/en/racism-types/not-a-key").status_code == 404
    assert client.get("/en/audiences/anti-black").status_code == 404


# -- the hub's pages ---------------------------------------------------------------
def test_working_group_pages_and_land_acknowledgement(client, make_resource):
    make_resource(slug="lip1", organization="Lethbridge Local Immigration Partnership")
    make_resource(slug="lip2", organization="Someone else", access="members")
    make_resource(slug="lip3", organization="Hidden Local Immigration Partnership", access="members")
    doc = parse(client.get("/en/working-groups/anti-racism"))
    text = text_of(doc)
    assert [h.text_content() for h in doc.xpath("//h2")][:5] == [
        "Purpose", "What the group does", "How the group works", "Member partnerships", "Membership"]
    assert "Lethbridge Local Immigration Partnership" in text
    assert "Hidden Local Immigration Partnership" not in text
    groups = parse(client.get("/fr/working-groups"))
    assert groups.xpath("//a[@href='/fr/working-groups/anti-racism']")
    land = parse(client.get("/fr/land-acknowledgement"))
    assert land.xpath("//a[@href='https://native-land.ca']")
    assert "Reconnaissance territoriale" in land.xpath("//h1")[0].text_content()


def test_errors_are_bilingual(tmp_path):
    from tests.conftest import _dispose, _make_app

    app = _make_app(tmp_path / "data")

    @app.get("/en/boom-for-test")
    def boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    doc = parse(client.get("/fr/nowhere"))
    assert doc.get("lang") == "fr" and doc.xpath("//h1")[0].text_content() == "Page introuvable"
    other = doc.xpath("//div[@lang='en']")[0]
    assert "Page not found" in other.text_content()
    resp = client.get("/en/boom-for-test")
    assert resp.status_code == 500
    doc = parse(resp)
    assert doc.xpath("//h1")[0].text_content() == "Something went wrong"
    assert "Une erreur s’est produite" in doc.xpath("//div[@lang='fr']")[0].text_content()
    assert "kaboom" not in resp.get_data(as_text=True)
    _dispose(app)


def test_main_navigation_is_one_list_others_can_extend(client):
    doc = parse(client.get("/en/about"))
    nav = doc.xpath("//nav[contains(@class,'main-nav')]")[0]
    links = nav.xpath(".//ul/li/a")
    assert [a.get("href") for a in links][:2] == ["/en/", "/en/search"]
    current = nav.xpath(".//a[@aria-current='page']")
    assert [a.get("href") for a in current] == ["/en/about"]
