"""Every resource read in the reader's language, whatever the document's:
titles and summaries marked with `lang`, the document's own language said
plainly next to its link or file, and a resource and its translation shown as
one work in lists (with a link to the other edition) and counted once."""
from __future__ import annotations

import pytest
from lxml import etree, html as lxml_html

from hub.extensions import db
from hub.services import drafts, review
from tests.conftest import resource_text
from tests.flows import csrf_from

DESCRIBED = {
    "slug": "data-standard", "language": "en", "url": "https://example.org/standard", "publisher": "statistics-canada",
    "title": "{en: A Data Standard for Race-Based Data, fr: Une norme sur les données fondées sur la race}",
    "summary": "{en: How to collect race-based data., fr: Comment recueillir des données fondées sur la race.}",
    "topics": "{en: [data], fr: [données]}",
}


def page(client, path: str):
    resp = client.get(path)
    assert resp.status_code == 200, path
    return lxml_html.fromstring(resp.get_data(as_text=True))


def test_the_resource_page_reads_in_french_and_says_the_document_is_english(client, make_resource):
    make_resource(**DESCRIBED)
    doc = page(client, "/fr/resources/data-standard")
    h1 = doc.get_element_by_id("resource-title")
    assert h1.text_content() == "Une norme sur les données fondées sur la race" and h1.get("lang") == "fr"
    lead = doc.find_class("lead")[0]
    assert lead.get("lang") == "fr" and lead.text_content().startswith("Comment recueillir")
    original = doc.find_class("original-title")[0].find("cite")
    assert original.get("lang") == "en" and original.text == "A Data Standard for Race-Based Data"
    notes = [n.text_content() for n in doc.find_class("document-language")]
    assert notes == ["Document en anglais"]  # next to the link to the original
    assert doc.xpath('//a[@lang="fr"][text()="données"]')
    assert doc.findtext(".//title").startswith("Une norme sur les données")
    assert doc.xpath('//dd/a[@href="/fr/search?publisher=statistics-canada"][text()="Statistique Canada"]')
    search = page(client, "/fr/search?q=&publisher=statistics-canada")
    facet = search.get_element_by_id("facet-publisher")
    assert facet.find(".//legend").text == "Éditeur"
    assert "Statistique Canada" in facet.text_content() and "(1)" in facet.text_content()
    assert _result_titles(search) == ["Une norme sur les données fondées sur la race"]

    english = page(client, "/en/resources/data-standard")
    assert english.get_element_by_id("resource-title").get("lang") == "en"
    assert not english.find_class("document-language") and not english.find_class("original-title")


def test_a_resource_described_in_one_language_only_stays_in_it_marked(client, make_resource):
    make_resource(slug="plain", title="Only English Here", summary="English summary.")
    doc = page(client, "/fr/resources/plain")
    h1 = doc.get_element_by_id("resource-title")
    assert h1.text_content() == "Only English Here" and h1.get("lang") == "en"
    assert doc.find_class("lead")[0].get("lang") == "en"


@pytest.fixture
def pair(make_resource):
    make_resource(slug="hiring", title="Hiring Without Bias", published="2023-05-01", translation="embaucher",
                  racism_types="[anti-black]", summary="Practices for employers.")
    make_resource(slug="embaucher", title="Embaucher sans biais", language="fr", published="2023-05-02",
                  racism_types="[anti-black]", summary="Pratiques pour les employeurs.")
    make_resource(slug="alone", title="{en: Alone in English, fr: Seul en anglais}", published="2022-01-01",
                  summary="{en: Nothing else., fr: Rien d'autre.}", racism_types="[systemic]")


def _result_titles(doc) -> list[str]:
    return [a.text_content().strip() for a in doc.xpath('//ol[contains(@class,"result-list")]//h3/a')]


def test_search_lists_one_edition_per_work_and_counts_works(client, pair):
    french = page(client, "/fr/search?q=")
    assert _result_titles(french) == ["Embaucher sans biais", "Seul en anglais"]
    editions = french.find_class("editions")
    assert "Également offert en anglais" in editions[0].text_content()
    assert editions[0].xpath('.//a[@hreflang="en"]')[0].text == "Hiring Without Bias"
    assert "Document en anglais" in editions[1].text_content()
    counts = {li.xpath(".//input")[0].get("value"): li.find_class("count")[0].text
              for li in french.xpath('//fieldset[@id="facet-racism_type"]//li')}
    assert counts == {"anti-black": "(1)", "systemic": "(1)"}
    languages = {li.xpath(".//input")[0].get("value"): li.find_class("count")[0].text
                 for li in french.xpath('//fieldset[@id="facet-language"]//li')}
    assert languages == {"fr": "(1)", "en": "(2)"}  # ticking English lists Hiring and Alone

    english = page(client, "/en/search?q=")
    assert _result_titles(english) == ["Hiring Without Bias", "Alone in English"]
    only_french = page(client, "/en/search?q=&language=fr")
    assert _result_titles(only_french) == ["Embaucher sans biais"]  # the other edition when only it matches
    api = client.get("/api/v1/resources").get_json()
    assert api["total"] == 3 and {r["slug"] for r in api["results"]} == {"hiring", "embaucher", "alone"}
    titles = {r["slug"]: r["titles"] for r in api["results"]}
    assert titles["alone"] == {"en": "Alone in English", "fr": "Seul en anglais"}
    assert titles["hiring"] == {"en": "Hiring Without Bias", "fr": None}


def test_home_and_browse_list_one_edition_per_work(client, pair):
    home = page(client, "/fr/")
    listed = [a.text_content() for a in home.xpath('//li[contains(@class,"card")]//h3/a')]
    assert "Embaucher sans biais" in listed and "Hiring Without Bias" not in listed
    assert "Seul en anglais" in listed
    browse = page(client, "/en/racism-types/anti-black")
    assert _browse_titles(browse) == ["Hiring Without Bias"]


def _browse_titles(doc) -> list[str]:
    return [a.text_content() for a in doc.xpath('//ul[contains(@class,"result-list")]//h3/a')]


def test_oai_gives_title_and_description_once_per_language(client, make_resource):
    make_resource(**DESCRIBED)
    resp = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:data-standard")
    root = etree.fromstring(resp.data)
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {e.get(lang): e.text for e in root.iterfind(".//dc:title", ns)}
    assert titles == {"en": "A Data Standard for Race-Based Data",
                      "fr": "Une norme sur les données fondées sur la race"}
    descriptions = {e.get(lang) for e in root.iterfind(".//dc:description", ns)}
    assert descriptions == {"en", "fr"}


def test_a_submitter_adds_the_other_language_and_an_editor_completes_it_at_review(
        app, client, make_user, login_as):
    author, editor = make_user("member"), make_user("editor")
    typed = {"title": "Rural Settlement", "title_translation": "Établissement en milieu rural",
             "summary": "What rural LIPs learned.", "type": "report", "racism_types": ["systemic"],
             "audiences": ["lip-staff"], "topics": "rural", "language": "en", "organization": "Huron LIP",
             "published": "2023", "region": "on", "access": "public", "body": "Text."}
    result = drafts.save_submission(author, None, typed, intent="submit")
    assert result.submitted, result.all_problems
    sub = result.submission
    assert review.missing_translations(sub) == ["summary", "topics"]

    login_as(editor)
    review_page = client.get(f"/fr/review/{sub.id}").get_data(as_text=True)
    assert "Pas encore rédigé dans l’autre langue\u202f: résumé, sujets" in review_page
    csrf = csrf_from(review_page)
    resp = client.post(f"/fr/review/{sub.id}/translation", data={
        "csrf_token": csrf, "version": sub.version, "summary_translation": "Ce que les PLI ruraux ont appris.",
        "topics_translation": "ruralité"})
    assert resp.status_code == 302
    db.session.refresh(sub)
    assert review.missing_translations(sub) == []
    assert "Traduction ajoutée par un réviseur" in sub.events[-1].message

    review.review_submission(editor, sub.id, "publish", version=sub.version)
    from hub.models import Resource
    from hub.services import history
    resource = db.session.query(Resource).filter_by(slug="rural-settlement").one()
    assert resource.summaries == {"en": "What rural LIPs learned.", "fr": "Ce que les PLI ruraux ont appris."}
    assert resource.titles["fr"] == "Établissement en milieu rural"
    versions = history.resource_history(editor, "rural-settlement").versions
    assert {"title_translation", "summary_translation", "topics_translation"} <= set(versions[0].changed)


def test_a_translation_too_long_is_refused_on_its_box(app, client, make_user, login_as):
    author, editor = make_user("member"), make_user("editor")
    typed = {"title": "Rural", "summary": "S.", "type": "report", "racism_types": ["systemic"],
             "audiences": ["lip-staff"], "language": "en", "organization": "Huron LIP", "published": "2023",
             "region": "on", "access": "public", "body": "Text."}
    sub = drafts.save_submission(author, None, typed, intent="submit").submission
    with pytest.raises(Exception) as raised:
        review.add_translation(editor, sub.id, {"title_translation": "é" * 301}, version=sub.version)
    assert "title (fr) is 301 characters long" in str(raised.value.problems[0])
    db.session.refresh(sub)
    assert "title_translation" not in sub.data or not sub.data["title_translation"]


def test_the_parity_page_reports_metadata_and_documents_separately(client, pair, make_user, login_as):
    login_as(make_user("editor"))
    doc = page(client, "/en/editor/insight/parity")
    text = doc.text_content()
    assert "Metadata parity: 33%" in text and "(1 of 3)" in text
    missing = doc.get_element_by_id("undescribed").getparent()
    titles = [a.text_content() for a in missing.xpath(".//li/a[1]")]
    assert sorted(titles) == ["Embaucher sans biais", "Hiring Without Bias"]
    assert missing.xpath('.//a[contains(@href,"/submit/edit/hiring")]')


def test_the_submission_form_offers_the_other_language(client, make_user, login_as):
    login_as(make_user("member"))
    doc = page(client, "/fr/submit")
    for name in ("title_translation", "summary_translation", "topics_translation"):
        box = doc.xpath(f'//*[@name="{name}"]')
        assert box, name
        label = doc.xpath(f'//label[@for="{box[0].get("id")}"]')[0].text_content()
        assert "dans l’autre langue officielle" in label
    assert doc.xpath('//select[@name="publisher"]/option[@value="rifo"]')


def test_a_file_in_the_other_language_says_so(app, client, tmp_path):
    from hub.services.resources import import_documents

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "guide.txt").write_text("A guide in English.", encoding="utf-8")
    (tmp_path / "g.md").write_text(resource_text(slug="guide", files="[files/guide.txt]",
                                                 title="{en: Guide, fr: Guide en anglais}"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    doc = page(client, "/fr/resources/guide")
    item = doc.xpath('//ul[@class="files"]/li')[0]
    assert "Document en anglais" in item.text_content()
