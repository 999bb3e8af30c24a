"""The public site in a real browser: accessibility (axe), the text-size
control with and without JavaScript, the language switch, downloads, skip
links, visible focus and reflow at 320 px."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: A catalogue resource with an attachment and a French translation.
RESOURCE = "anti-racism-checklist-for-lip-events"
#: Checked in both languages (the issue's list); the other pages in one language each.
AXE_BOTH = ["/", "/search?q=racism&racism_type=anti-black", f"/resources/{RESOURCE}", "/working-groups/anti-racism",
            "/no-such-page"]
AXE_ONE = [("en", "/working-groups"), ("fr", "/racism-types/anti-black"), ("en", "/audiences/employers"),
           ("fr", "/land-acknowledgement"), ("en", "/about"), ("fr", "/racism-types")]


@pytest.mark.parametrize("lang,path", [(lang, p) for p in AXE_BOTH for lang in ("en", "fr")] + AXE_ONE)
def test_pages_have_no_serious_accessibility_violations(page, axe_check, lang, path):
    response = page.goto(f"/{lang}{path}")
    assert response.status == (404 if path == "/no-such-page" else 200)
    assert page.locator("html").get_attribute("lang") == lang
    result = axe_check(page)
    assert result["passes"], "axe ran no checks"


def test_text_size_changes_without_reload_and_is_kept_on_the_next_page(page, context):
    page.goto("/en/about")
    page.evaluate("window.__sameDocument = true")
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("link", name="Larger text").click()
    page.get_by_role("link", name="Larger text").click()
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert page.locator("html").get_attribute("class") == "text-3"
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == base * 1.25
    assert page.locator(".text-size-current").inner_text() == "125%"
    cookie = {c["name"]: c for c in context.cookies()}["hub_text_size"]
    assert cookie["value"] == "3" and cookie["expires"] > 0  # kept across visits, not just this session

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Working groups").click()
    page.wait_for_url("**/en/working-groups")
    assert page.locator("html").get_attribute("class") == "text-3"
    page.get_by_role("link", name="Reset text size").click()
    assert page.locator("html").get_attribute("class") == "text-1"  # JS marks the default explicitly
    page.get_by_role("link", name="Smaller text").click()
    assert page.locator("html").get_attribute("class") == "text-0"
    page.reload()
    assert page.locator("html").get_attribute("class") == "text-0"


def test_text_size_works_without_javascript(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto("/fr/working-groups/anti-racism")
        page.get_by_role("link", name="Texte plus grand").click()
        page.wait_for_url("**/fr/working-groups/anti-racism")
        assert page.locator("html").get_attribute("class") == "text-2"
        assert page.locator(".text-size-current").inner_text() == "110\N{NO-BREAK SPACE}%"
        page.goto("/fr/")
        assert page.locator("html").get_attribute("class") == "text-2"
    finally:
        ctx.close()


def test_language_switch_stays_on_the_same_resource(page):
    page.goto(f"/en/resources/{RESOURCE}?from=test")
    title = page.locator("h1").inner_text()
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"**/fr/resources/{RESOURCE}?from=test")
    assert page.locator("html").get_attribute("lang") == "fr"
    # The same resource, its title now in the reader's language (bilingual records).
    assert page.locator("h1").inner_text() == "Liste de vérification antiraciste pour les événements des PLI" != title
    assert page.get_by_role("heading", name="Détails").is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en/resources/{RESOURCE}?from=test")


def test_translation_link_leads_to_the_other_version(page):
    page.goto(f"/en/resources/{RESOURCE}")
    note = page.locator(".resource-facts")
    assert "Also available in French" in note.inner_text()
    note.get_by_role("link").click()
    page.wait_for_url("**/en/resources/liste-verification-evenements-antiracistes-pli")
    # The French edition, described in the reader's language, says its document is in French.
    assert page.locator("h1").get_attribute("lang") == "en"
    assert "Document in French" in page.locator("main").inner_text()
    assert "Also available in English" in page.locator(".resource-facts").inner_text()


def test_open_a_resource_from_home_and_download_its_attachment(page, tmp_path):
    page.goto("/en/")
    page.get_by_role("link", name="Anti-Racism Checklist for LIP Events").first.click()
    page.wait_for_url(f"**/en/resources/{RESOURCE}")
    link = page.locator(f"a[href^='/resources/{RESOURCE}/files/']").first
    size_text = link.locator("xpath=..").locator(".meta").inner_text()
    with page.expect_download() as info:
        link.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.stat().st_size > 0
    assert download.suggested_filename.rsplit(".", 1)[-1].upper() in size_text


def test_skip_links_come_first_and_move_focus(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").first.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.goto("/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to footer"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "footer"


def test_focus_is_visible(page):
    page.goto("/en/")
    for _ in range(4):
        page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                bg: s.backgroundColor}; }""")
    assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"


@pytest.mark.parametrize("path", ["/en/", f"/fr/resources/{RESOURCE}", "/fr/working-groups/anti-racism",
                                  "/en/racism-types/anti-black", "/fr/search?q=racisme&audience=employers"])
def test_pages_reflow_at_320_px_without_horizontal_scrolling(browser, live_server, path):
    """320 CSS px is what a 1280 px window shows at 400 % zoom (WCAG 1.4.10)."""
    for size_step in ("1", "4"):
        ctx = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
        try:
            ctx.add_cookies([{"name": "hub_text_size", "value": size_step, "url": live_server.url}])
            page = ctx.new_page()
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} at text step {size_step} scrolls sideways by {overflow}px"
        finally:
            ctx.close()


#: Resources with long summaries, in both languages: the summary once pushed the details down.
LONG_SUMMARIES = ["/fr/resources/pistes-pli-rapport-commissaire-racisme-systemique-nb",
                  "/fr/resources/autoevaluation-antiraciste-conseils-pli",
                  "/en/resources/lip-council-anti-racism-self-assessment",
                  "/en/resources/alberta-anti-racism-action-plan"]
_BOXES = """() => { const box = s => { const r = document.querySelector(s).getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; };
  return {header: box('.resource-header'), lead: box('.lead'), aside: box('.resource-aside'),
          main: box('.resource-main'),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth}; }"""


@pytest.mark.parametrize("path", LONG_SUMMARIES)
def test_resource_details_sit_beside_the_summary_on_wide_screens(browser, live_server, path):
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(path)
        box = page.evaluate(_BOXES)
        assert abs(box["aside"]["top"] - box["header"]["top"]) <= 1, box  # the details start with the page's title
        assert box["aside"]["left"] >= box["lead"]["right"]  # beside the summary, not under it
        assert box["aside"]["top"] < box["lead"]["bottom"]
        assert box["main"]["top"] - box["header"]["bottom"] <= 40, box  # the body follows the header at once
        assert box["overflow"] <= 0
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", LONG_SUMMARIES[:1] + LONG_SUMMARIES[2:3])
def test_resource_page_stacks_header_details_body_on_phones(browser, live_server, path, width):
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 700})
    try:
        page = ctx.new_page()
        page.goto(path)
        box = page.evaluate(_BOXES)
        assert box["header"]["bottom"] <= box["aside"]["top"] < box["aside"]["bottom"] <= box["main"]["top"], box
        assert box["aside"]["left"] == box["main"]["left"] == box["header"]["left"]
        assert box["aside"]["right"] <= width and box["overflow"] <= 0
    finally:
        ctx.close()
