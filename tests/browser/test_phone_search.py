"""Search on a phone (375 × 667, an iPhone SE): results within the first
screen and a half in both languages, filters behind "Filters (n)" that open
with the keyboard and apply without losing the place, nothing clipped."""
from __future__ import annotations

import os
import re

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="en-CA")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", ["/en/search", "/fr/search", "/en/search?q=racism", "/fr/search?q=racisme"])
def test_the_first_result_is_within_a_screen_and_a_half(phone, url):
    phone.goto(url)
    first = phone.locator(".result-list .result").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 40 < 1.5 * PHONE["height"], box
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    if os.environ.get("HUB_SCREENSHOTS"):
        name = re.sub(r"\W+", "-", url).strip("-")
        phone.screenshot(path=os.path.join(os.environ["HUB_SCREENSHOTS"], f"phone-{name}.png"), full_page=True,
                         clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 1.5 * PHONE["height"]})


def test_filters_open_by_keyboard_and_apply_without_losing_the_place(phone, axe_check):
    phone.goto("/en/search?q=racism")
    summary = phone.locator("#filters > summary")
    assert summary.inner_text().strip() == "Filters (0)"
    assert not phone.locator("#facet-language").is_visible()
    summary.focus()
    phone.keyboard.press("Enter")
    assert phone.locator("#facet-language").is_visible()
    assert phone.locator("#facet-help").is_visible()  # the one-line OR explanation
    box = phone.locator("#facet-language input[value='fr']")
    box.focus()
    phone.keyboard.press("Space")
    phone.wait_for_url(re.compile(r"language=fr"))
    phone.wait_for_function("() => !document.getElementById('search-main').hasAttribute('aria-busy')")
    # Still in the open panel, on the box just ticked; the control counts the filter.
    assert phone.evaluate("document.activeElement.id") == "f-language-fr"
    assert phone.locator("#filters").get_attribute("open") is not None
    assert phone.locator("#filters > summary").inner_text().strip() == "Filters (1)"
    axe_check(phone)
    phone.get_by_role("link", name="Show the results").click()
    assert phone.locator("#filters").get_attribute("open") is None
    assert phone.evaluate("document.activeElement.id") == "results-heading"


def test_long_french_labels_are_not_clipped_and_show_all_reveals_the_rest(phone):
    phone.goto("/fr/search")
    phone.locator("#filters > summary").click()
    facet = phone.locator("#facet-racism_type")
    more = facet.locator("details.facet-more > summary")
    assert re.fullmatch(r"Tout afficher \(\d+\)", more.inner_text().split("·")[0].strip())
    more.click()
    label = facet.locator("label", has_text="Racisme anti-immigrants")
    label.scroll_into_view_if_needed()
    assert label.is_visible()
    clipped = label.evaluate("el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > "
                             "document.documentElement.clientWidth")
    assert not clipped
    if os.environ.get("HUB_SCREENSHOTS"):
        label.scroll_into_view_if_needed()
        phone.screenshot(path=os.path.join(os.environ["HUB_SCREENSHOTS"], "phone-fr-filters-open.png"))
    # No facet list is a box with its own hidden scrollbar any more.
    assert phone.evaluate("""() => [...document.querySelectorAll('.facet ul')]
        .every(ul => ul.scrollHeight <= ul.clientHeight + 1)""")


def test_without_javascript_the_filters_still_work_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/fr/search?q=racisme")
        page.locator("#filters > summary").click()
        page.locator("#facet-language input[value='en']").check()
        page.get_by_role("button", name="Appliquer les filtres").click()
        page.wait_for_url(re.compile(r"language=en.*#search-results"))
        assert page.locator("#filters > summary").inner_text().strip() == "Filtres (1)"
        top = page.locator(".result-list .result").first.bounding_box()
        assert 0 <= top["y"] < PHONE["height"]  # the reader lands on the results
    finally:
        context.close()
