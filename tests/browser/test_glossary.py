"""The glossary in a real browser: a marked term in a resource's body opens
and closes its definition with the keyboard, leads on to the glossary page,
works without JavaScript, and the pages involved are axe-clean."""
from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

#: A catalogue resource whose body uses glossary terms, and its French edition.
RESOURCE = "anti-asian-racism-resources-for-lips"
SHOTS = os.environ.get("HUB_GLOSSARY_SHOTS")  # a folder: screenshots for people to look at


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=False)


def test_a_marked_term_opens_its_definition_with_the_keyboard(page, axe_check):
    page.goto(f"/en/resources/{RESOURCE}")
    term = page.locator(".body button.gloss-term").first
    name = term.inner_text()
    definition = page.locator("#" + term.get_attribute("aria-controls"))
    assert term.get_attribute("aria-expanded") == "false" and definition.is_hidden()

    term.focus()
    page.keyboard.press("Enter")
    assert term.get_attribute("aria-expanded") == "true" and definition.is_visible()
    assert page.get_by_role("button", name=name, exact=True).first.get_attribute("aria-expanded") == "true"
    term.scroll_into_view_if_needed()
    _shot(page, "resource-term-open.png")
    axe_check(page)

    page.keyboard.press("Escape")
    assert term.get_attribute("aria-expanded") == "false" and definition.is_hidden()
    page.keyboard.press("Space")
    assert definition.is_visible()

    # The definition's own link is next in the tab order and leads to the entry.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "See the glossary"
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/glossary#term-*")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}'] dfn").is_visible()


def test_without_javascript_the_term_is_a_link_to_its_glossary_entry(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(f"/fr/resources/{RESOURCE}")
        link = page.locator(".body a.gloss-term").first
        assert page.locator(".body .gloss-def").first.is_hidden()
        link.click()
        page.wait_for_url("**/fr/glossary#term-*")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_glossary_page_is_axe_clean(page, axe_check, lang):
    page.goto(f"/{lang}/glossary")
    assert page.locator("dl.glossary dt").count() >= 40
    _shot(page, f"glossary-{lang}.png")
    axe_check(page)


def test_the_home_pages_whats_new_opens_with_the_keyboard_and_is_axe_clean(page, axe_check):
    page.goto("/fr/")
    summary = page.locator(".whats-new summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".whats-new details").first.get_attribute("open") is not None
    feed = "Suivre les nouvelles ressources dans un lecteur de fils (fil Atom)"
    assert page.get_by_role("link", name=feed).is_visible()
    page.locator(".whats-new").scroll_into_view_if_needed()
    _shot(page, "home-whats-new-fr.png")
    axe_check(page)
