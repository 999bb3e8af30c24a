"""Finding resources as a reader does: from the home page's box, through
facets and pages of results, to a resource; with a mouse, without
JavaScript, and with the keyboard alone."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def total(page) -> int:
    """The number in the results heading ("24 resources", "24 ressources")."""
    text = page.locator("#results-heading").inner_text()
    match = re.search(r"\d[\d\s\u202f\u00a0,]*", text)
    assert match, text
    return int(re.sub(r"\D", "", match.group(0)))


def facet_count(page, box_id: str) -> int:
    label = page.locator(f"label[for='{box_id}']").inner_text()
    return int(re.search(r"\((\d+)\)", label).group(1))


def test_search_from_the_home_page(page):
    page.goto("/en/")
    page.get_by_label("Search the hub").fill("hiring")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search?q=hiring")
    assert total(page) > 0
    first = page.locator("ol.result-list > li h3 a").first
    assert "hiring" in (first.inner_text() + page.locator("ol.result-list > li").first.inner_text()).lower()


def test_tick_and_untick_facets(page):
    page.goto("/en/search?q=racism")
    before = total(page)
    box_id = "f-racism_type-anti-black"
    expected = facet_count(page, box_id)
    assert 0 < expected < before
    page.locator(f"#{box_id}").check()
    page.wait_for_url(re.compile(r"racism_type=anti-black"))  # applied at once, no button needed
    page.wait_for_function("(n) => document.querySelector('#results-heading').textContent.includes(n)",
                           arg=str(expected))
    assert total(page) == expected
    assert page.locator(".chips").get_by_text("Anti-Black racism").is_visible()
    assert page.locator(f"#{box_id}").is_checked()
    # Disjunctive facets: the sibling values of the ticked facet are still offered.
    assert page.locator("#facet-racism_type input[type=checkbox]").count() > 1
    page.locator(f"#{box_id}").uncheck()
    page.wait_for_function("() => !location.search.includes('racism_type')")
    page.wait_for_function("(n) => document.querySelector('#results-heading').textContent.includes(n)",
                           arg=str(before))
    assert total(page) == before


def test_facets_apply_without_javascript(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto("/fr/search?q=racisme")
        page.locator("#filters > summary").click()  # without JavaScript the panel starts closed
        if not page.locator("#f-audience-employers").is_visible():  # not among the top five: "Show all"
            page.locator("#more-audience > summary").click()
        expected = facet_count(page, "f-audience-employers")
        page.locator("#f-audience-employers").check()
        page.get_by_role("button", name="Appliquer les filtres").click()
        page.wait_for_url(re.compile(r"audience=employers"))
        assert total(page) == expected
        assert page.locator("html").get_attribute("lang") == "fr"
    finally:
        ctx.close()


def test_page_through_results(page):
    page.goto("/en/search?sort=title")
    count = total(page)
    assert count > 20
    first_page = page.locator("ol.result-list > li h3 a").all_inner_texts()
    page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    second_page = page.locator("ol.result-list > li h3 a").all_inner_texts()
    assert second_page and not set(first_page) & set(second_page)
    assert page.locator("ol.result-list").get_attribute("start") == str(len(first_page) + 1)
    page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Previous page").click()
    page.wait_for_url(re.compile(r"page=1|sort=title$"))
    assert page.locator("ol.result-list > li h3 a").all_inner_texts() == first_page


def test_open_a_result(page):
    page.goto("/en/search?q=checklist")
    link = page.locator("ol.result-list > li h3 a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/en/resources/"))
    assert page.locator("h1").inner_text() == title


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_a_whole_search_with_the_keyboard_only(page):
    page.goto("/en/")
    _tab_to(page, "document.activeElement.id === 'home-q'")
    page.keyboard.type("racism")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search?q=racism")
    before = total(page)

    # Tick a facet with the space bar.
    _tab_to(page, "document.activeElement.id === 'f-racism_type-anti-black'")
    expected = facet_count(page, "f-racism_type-anti-black")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"racism_type=anti-black"))
    page.wait_for_function("(n) => document.querySelector('#results-heading').textContent.includes(n)",
                           arg=str(expected))
    assert total(page) == expected < before
    # Focus is kept on the box just ticked, so the reader can go on from there.
    assert page.evaluate("document.activeElement.id") == "f-racism_type-anti-black"

    # On to the first result and open it with Enter.
    _tab_to(page, "document.activeElement.matches('ol.result-list h3 a')", limit=120)
    title = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/resources/"))
    assert page.locator("h1").inner_text() == title
