"""The pathway pages as a reader sees them, in English and French: the list,
one pathway with numbered steps and their resources, the links to them from
the home page, the resource pages and the sitemap."""
from __future__ import annotations

import re

import pytest

from hub.services.resources import import_documents
from tests.pathway_files import pathway_meta, pathway_text


@pytest.fixture
def catalogue(app, make_resource, tmp_path):
    """Two resources (one with a French edition), a members-only one, and a pathway through them."""
    make_resource(slug="hiring-en", title="Hiring without bias", translation="hiring-fr")
    make_resource(slug="hiring-fr", title="Embaucher sans préjugés", language="fr", translation="hiring-en")
    make_resource(slug="equity-data", title="Equity data basics")
    make_resource(slug="staff-notes", title="Facilitation notes for staff", access="members")
    meta = pathway_meta("working-with-employers", [["hiring-en", "staff-notes"], ["equity-data"]], order=1,
                        title={"en": "Working with employers", "fr": "Travailler avec les employeurs"},
                        introduction={"en": "Help employers **change practice**.",
                                      "fr": "Aider les employeurs à **changer leurs pratiques**."})
    meta["steps"][0]["title"] = {"en": "Change how people are hired", "fr": "Changer la façon d'embaucher"}
    path = tmp_path / "pathways" / "working-with-employers.md"
    path.parent.mkdir()
    path.write_text(pathway_text(**meta), encoding="utf-8")
    report = import_documents([path])
    assert not report.rejected, report.rejected


def page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def card_links(html: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<h3><a href="([^"]+)"', html)


def test_the_list_in_both_languages(client, catalogue):
    english = page(client, "/en/pathways")
    assert "<h1>Pathways</h1>" in english and 'href="/en/pathways/working-with-employers"' in english
    assert "Working with employers" in english and "2 steps" in english
    assert "<strong>change practice</strong>" in english
    french = page(client, "/fr/pathways")
    assert '<html lang="fr"' in french and "<h1>Parcours</h1>" in french
    assert "Travailler avec les employeurs" in french and "2 étapes" in french


def test_a_pathway_in_english_numbers_its_steps_and_shows_their_resources(client, catalogue):
    html = page(client, "/en/pathways/working-with-employers")
    assert '<h1 id="pathway-title">Working with employers</h1>' in html
    assert "Step 1</span> Change how people are hired" in html and "Step 2</span> Step title 2" in html
    assert html.index("Step 1") < html.index("Step 2")
    assert card_links(html) == ["/en/resources/hiring-en", "/en/resources/equity-data"]
    assert 'href="/en/pathways">Pathways</a>' in html


def test_a_pathway_in_french_shows_the_french_texts_and_editions(client, catalogue):
    html = page(client, "/fr/pathways/working-with-employers")
    assert '<h1 id="pathway-title">Travailler avec les employeurs</h1>' in html
    assert "Étape 1</span> Changer la façon d&#39;embaucher" in html
    assert "Aider les employeurs à <strong>changer leurs pratiques</strong>." in html
    assert card_links(html) == ["/fr/resources/hiring-fr", "/fr/resources/equity-data"]
    assert "Embaucher sans préjugés" in html


def test_an_unknown_pathway_is_a_404_in_both_languages(client, catalogue):
    assert client.get("/en/pathways/no-such-pathway").status_code == 404
    assert client.get("/fr/pathways/no-such-pathway").status_code == 404


def test_a_members_only_resource_is_hidden_from_anonymous_readers(client, catalogue, make_user, login_as):
    html = page(client, "/en/pathways/working-with-employers")
    assert "staff-notes" not in html and "Facilitation notes for staff" not in html
    login_as(make_user("member"))
    html = page(client, "/en/pathways/working-with-employers")
    assert card_links(html) == ["/en/resources/hiring-en", "/en/resources/staff-notes",
                                "/en/resources/equity-data"]


def test_the_home_page_leads_to_the_pathways(client, catalogue):
    english = page(client, "/en/")
    assert 'href="/en/pathways/working-with-employers"' in english and 'href="/en/pathways"' in english
    assert "Where to start: pathways" in english
    french = page(client, "/fr/")
    assert 'href="/fr/pathways/working-with-employers"' in french and "Travailler avec les employeurs" in french


def test_a_resource_page_says_which_pathway_it_is_part_of(client, catalogue, make_resource):
    english = page(client, "/en/resources/hiring-en")
    assert re.search(r'Part of the pathway <a href="/en/pathways/working-with-employers#step-1">'
                     r"Working with employers</a> \(step 1\)", english)
    french = page(client, "/fr/resources/hiring-fr")  # the French edition of a listed resource
    assert re.search(r'Fait partie du parcours <a href="/fr/pathways/working-with-employers#step-1">'
                     r"Travailler avec les employeurs</a> \(étape 1\)", french)
    assert "working-with-employers#step-2" in page(client, "/en/resources/equity-data")
    make_resource(slug="unrelated")
    assert "Part of the pathway" not in page(client, "/en/resources/unrelated")


def test_the_sitemap_lists_the_pathways_in_both_languages(client, catalogue):
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    for lang in ("en", "fr"):
        assert f"<loc>http://localhost/{lang}/pathways</loc>" in xml
        assert f"<loc>http://localhost/{lang}/pathways/working-with-employers</loc>" in xml


def test_the_main_navigation_leads_to_the_pathways(client):
    from lxml import html

    doc = html.fromstring(client.get("/fr/pathways").get_data(as_text=True))
    current = doc.xpath("//nav[contains(@class,'main-nav')]//a[@aria-current='page']")
    assert [(a.get("href"), a.text_content()) for a in current] == [("/fr/pathways", "Parcours")]
