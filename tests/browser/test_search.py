"""The search page in a real browser: filters without JavaScript, instant
filters and suggestions with it (keyboard only), axe in both languages."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _count(page) -> int:
    text = page.locator("#results-heading").inner_text()
    match = re.search(r"\d+", text.replace("\u202f", "").replace(" ", ""))
    return int(match.group()) if match else 0


def test_filters_apply_with_the_button_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/en/search?q=racism")
        before = _count(page)
        page.locator("#filters > summary").click()  # without JavaScript the panel starts closed
        page.locator("#facet-language input[value='fr']").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"language=fr"))
        after = _count(page)
        assert 0 < after < before
        assert page.locator("#facet-language input[value='fr']").is_checked()
        # a chip removes the filter again
        page.locator(".chips a.chip").first.click()
        page.wait_for_url(re.compile(r"^(?!.*language=fr)"))
        assert _count(page) == before
    finally:
        context.close()


def test_filters_apply_at_once_and_focus_stays(page, axe_check):
    page.goto("/en/search?q=racism")
    before = _count(page)
    assert not page.get_by_role("button", name="Apply filters").is_visible()  # not needed with JavaScript
    box = page.locator("#facet-language input[value='fr']")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"language=fr"))
    page.wait_for_function("() => !document.getElementById('search-main').hasAttribute('aria-busy')")
    assert 0 < _count(page) < before
    assert page.evaluate("document.activeElement.id") == "f-language-fr"
    assert page.locator("#search-status").inner_text().strip()  # the new count is announced
    axe_check(page)


def test_suggestions_as_you_type_by_keyboard(page):
    page.goto("/en/search")
    field = page.locator("#search-q")
    field.focus()
    page.keyboard.type("islam", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    texts = options.all_inner_texts()
    assert any("Islamophobia" in t for t in texts) and any("Anti-Muslim racism" in t for t in texts)
    page.keyboard.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and field.get_attribute("aria-expanded") == "false"
    page.keyboard.type("o", delay=30)
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/(resources/|search\?)"))


def test_members_only_resources_are_never_suggested_to_visitors(page, live_server):
    with live_server.app.app_context():
        from sqlalchemy import select

        from hub.extensions import db
        from hub.models import Resource
        hidden = db.session.scalars(select(Resource.title).where(Resource.access == "members")).all()
        db.session.remove()
    assert hidden
    page.goto("/en/search")
    for title in hidden[:2]:
        word = next(w for w in re.findall(r"\w+", title) if len(w) > 4)
        response = page.request.get(f"/api/v1/suggest?q={word[:5]}&lang=en")
        assert title not in [t["title"] for t in response.json()["titles"]]


@pytest.mark.parametrize("url", ["/en/search?q=anti-black+racism&region=on",
                                 "/fr/search?q=racisme&type=guide&type=report",
                                 "/en/search?q=zzzqqq", "/fr/search?q=hirring"])
def test_axe(page, axe_check, url):
    page.goto(url)
    axe_check(page)
