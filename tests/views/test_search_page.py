"""The search page as a reader uses it, without JavaScript: the form, facets as
fieldsets with counts, chips, sorting, paging and helpful empty results."""
import re

import pytest
from lxml import html


def page(client, url, **kw):
    response = client.get(url, **kw)
    assert response.status_code == 200, url
    return html.fromstring(response.data), response


@pytest.fixture
def corpus(make_resource):
    make_resource(slug="on-toolkit", title="Ontario hiring toolkit", region="on", type="toolkit", topics="[]",
                  published="2023-01-01")
    make_resource(slug="qc-guide", title="Guide d'embauche", region="qc", type="guide", language="fr", topics="[]",
                  published="2022-01-01", summary="Embauche équitable au Québec.")
    make_resource(slug="bc-report", title="BC hiring report", region="bc", type="report", published="2021-01-01",
                  topics="[]")
    make_resource(slug="hidden", title="Members hiring notes", region="yt", access="members")


def test_form_and_results(client, corpus):
    doc, response = page(client, "/en/search?q=hiring")
    form = doc.get_element_by_id("search-form")
    assert form.get("method") == "get" and form.get("action") == "/en/search"
    box = doc.get_element_by_id("search-q")
    assert box.get("value") == "hiring" and doc.xpath("//label[@for='search-q']")
    assert doc.xpath("string(//h2[@id='results-heading'])").strip() == "2 resources"
    titles = [a.text_content() for a in doc.xpath("//ol[@class='result-list']//h3/a")]
    assert set(titles) == {"Ontario hiring toolkit", "BC hiring report"}
    assert doc.xpath("//ol[@class='result-list']//h3/a/mark")  # the matched word is marked
    assert b"Members hiring notes" not in response.data


def test_facets_are_fieldsets_with_counts_that_apply_without_javascript(client, corpus):
    doc, _ = page(client, "/en/search?q=hiring")
    legends = [lg.text_content().strip() for lg in doc.xpath("//fieldset/legend")]
    assert "Region" in legends and "Type of resource" in legends
    regions = {i.get("value"): i for i in doc.xpath("//fieldset[@id='facet-region']//input[@type='checkbox']")}
    assert set(regions) == {"on", "bc"}  # no zero counts for a facet nobody ticked
    label = doc.xpath("string(//label[@for='f-region-on'])")
    assert re.sub(r"\s+", " ", label).strip() == "Ontario (1)"
    assert all(i.xpath("ancestor::form[@id='search-form']") for i in regions.values())
    assert doc.xpath("//form[@id='search-form']//button[@type='submit' and contains(., 'Apply filters')]")


def test_ticked_values_keep_their_siblings_and_zero_counts(client, corpus):
    doc, _ = page(client, "/en/search?q=hiring&region=on&type=report")
    assert doc.xpath("string(//h2[@id='results-heading'])").strip() == "No resources found"
    boxes = {i.get("value"): (i.get("checked") is not None,
                              doc.xpath(f"string(//label[@for='{i.get('id')}']/span)"))
             for i in doc.xpath("//fieldset[@id='facet-region']//input")}
    assert boxes["on"] == (True, "(0)") and boxes["bc"] == (False, "(1)")
    assert "yt" not in boxes  # only a members-only resource is in the Yukon
    # the empty page suggests removing a filter, with the number it would give
    suggestions = [a.text_content() for a in doc.xpath("//div[@class='no-results']//a")]
    assert any("Region" in s and "1 resource" in s for s in suggestions)
    assert any("Type of resource" in s and "1 resource" in s for s in suggestions)


def test_chips_remove_one_filter_each(client, corpus):
    doc, _ = page(client, "/en/search?q=hiring&region=on&region=bc")
    chips = {a.text_content().split("Remove filter")[-1].strip(): a.get("href")
             for a in doc.xpath("//div[@class='chips']//a[contains(@class,'chip')]")}
    assert chips["Region: Ontario ×"] == "/en/search?q=hiring&region=bc"
    assert chips["Region: British Columbia ×"] == "/en/search?q=hiring&region=on"
    assert chips["Clear all filters"] == "/en/search?q=hiring"


def test_sort_menu_and_french_labels(client, corpus):
    doc, _ = page(client, "/fr/search?sort=title")
    options = {o.get("value"): o.get("selected") is not None for o in doc.xpath("//select[@id='search-sort']/option")}
    assert options == {"newest": False, "title": True, "downloads": False}  # no relevance without words
    assert doc.xpath("//label[@for='search-sort']")
    titles = [a.text_content() for a in doc.xpath("//ol[@class='result-list']//h3/a")]
    assert titles == ["BC hiring report", "Guide d'embauche", "Ontario hiring toolkit"]
    legends = [lg.text_content().strip() for lg in doc.xpath("//fieldset/legend")]
    assert "Région" in legends
    doc, _ = page(client, "/en/search?q=hiring")
    assert doc.xpath("//select[@id='search-sort']/option[@value='relevance' and @selected]")


def test_pagination_shows_the_total(client, make_resource, tmp_path):
    from hub.services.resources import import_documents
    from tests.conftest import resource_text
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(45):
        (folder / f"m{n}.md").write_text(resource_text(slug=f"m{n}", title=f"Many things {n}"))
    import_documents([folder])
    doc, _ = page(client, "/en/search?q=many&page=2")
    assert "Showing 21 to 40 of 45" in doc.xpath("string(//p[@class='range'])")
    nav = doc.xpath("//nav[@class='pagination']")[0]
    assert nav.get("aria-label") and "Page 2 of 3" in nav.text_content()
    assert nav.xpath(".//a[@aria-current='page']")[0].text_content() == "2"
    assert nav.xpath(".//a[@rel='next']/@href") == ["/en/search?q=many&page=3"]


def test_a_misspelt_query_is_searched_as_corrected_with_a_link_to_the_words_as_typed(client, corpus):
    doc, _ = page(client, "/en/search?q=hirring")
    note = doc.xpath("//p[@class='did-you-mean']")[0]
    assert note.xpath("strong")[0].text_content() == "hiring"
    link = note.xpath("a")[0]
    assert link.text_content() == "hirring" and link.get("href") == "/en/search?q=hirring&as_typed=1"
    assert doc.xpath("//ol[@class='result-list']/li")
    # The words as typed: nothing, and the correction offered as a "did you mean"
    typed, _ = page(client, "/en/search?q=hirring&as_typed=1")
    offered = typed.xpath("//p[@class='did-you-mean']/a")[0]
    assert offered.text_content() == "hiring" and offered.get("href") == "/en/search?q=hiring"
    french, _ = page(client, "/fr/search?q=hirring")
    assert "Résultats pour" in french.xpath("//p[@class='did-you-mean']")[0].text_content()


@pytest.mark.parametrize("query", [
    "page=abc", "page=-1", "page=0", "page=99999999", "page=1e5", "q=" + "x" * 10_000,
    "q=" + "word " * 3000, "type=nope", "region=zz&year=abcd&year=99999", "sort=worst", "q=%00%01",
    'q="unbalanced', "q=((((", "q=NOT", "q=OR", "q=*", "q=a*", "q=access:members", "language=de",
    "q=" + "(" * 3000, "per_page=100000",
])
def test_bad_parameters_give_a_normal_page(client, corpus, query):
    doc, response = page(client, f"/en/search?{query}")
    assert doc.get_element_by_id("search-form") is not None
    assert b"Members hiring notes" not in response.data


def test_no_inline_script_or_style(client, corpus):
    doc, response = page(client, "/en/search?q=hiring")
    assert not doc.xpath("//script[not(@src)]") and not doc.xpath("//*[@style]") and not doc.xpath("//style")
    assert not re.search(rb"\son[a-z]+=", response.data)
    assert "/static/js/search.js" in [src.split("?v=")[0] for src in doc.xpath("//script/@src")]  # fingerprinted


def test_the_unprefixed_path_redirects_with_its_query(client, corpus):
    response = client.get("/search?q=hiring&region=on", headers={"Accept-Language": "fr"})
    assert response.status_code == 302 and response.location.endswith("/fr/search?q=hiring&region=on")


def test_partial_for_instant_updates(client, corpus):
    response = client.get("/en/search?q=hiring&region=on", headers={"X-Requested-With": "fetch"})
    doc = html.fromstring(response.data)
    assert doc.xpath("//*[@id='search-main']") and not doc.xpath("//header")


def test_a_search_that_finds_nothing_is_counted_as_a_content_gap(client, corpus):
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import ZeroResultSearch
    page(client, "/fr/search?q=Bibliothèques+rurales&region=on")
    page(client, "/fr/search?q=hiring")  # found something: not a gap
    rows = [(r.query, r.language, r.filters, r.count) for r in db.session.scalars(select(ZeroResultSearch))]
    assert len(rows) == 1 and rows[0][1:] == ("fr", "region=on", 1)
    assert "rurales" in rows[0][0] and "hiring" not in rows[0][0]
