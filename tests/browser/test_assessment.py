"""A self-assessment in a real browser: taken with the keyboard only, kept in
the browser while filling, cleared on request, and accessible (axe)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TOOL = "lip-council-anti-racism-self-assessment"
FORM = f"/en/resources/{TOOL}/assessment"


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
                text: (e.textContent || '').trim()}; }""")


def tab_to(page, predicate, limit: int = 400) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = focused(page)
        if predicate(el):
            return el
    raise AssertionError("never reached the element with Tab")


def test_complete_a_tool_with_the_keyboard_only_and_pass_axe(page, axe_check):
    page.goto(FORM)
    assert page.locator("legend").first.inner_text().startswith("Section 1 of 5")
    axe_check(page)

    groups = page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    assert len(groups) == 20
    # Tab into the first radio group, then answer each statement with the arrow keys:
    # ArrowRight n times moves to (and selects) the n-th next answer; Tab goes to the next statement.
    first = tab_to(page, lambda e: e.get("type") == "radio")
    assert first["name"] == groups[0]
    pattern = [0, 1, 2, 3]
    for n, name in enumerate(groups):
        assert focused(page)["name"] == name
        page.keyboard.press("Space")  # select the focused (first) answer
        for _ in range(pattern[n % 4]):
            page.keyboard.press("ArrowRight")
        if n < len(groups) - 1:
            page.keyboard.press("Tab")
    assert page.locator("[data-progress]").inner_text() == "20 of 20 statements answered"

    tab_to(page, lambda e: e["tag"] == "BUTTON" and e["value"] == "result")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Your result')")
    assert page.locator(".overall-score strong").inner_text() == "50%"
    assert "20 of 20 statements answered." in page.locator("main").inner_text()
    assert page.locator("figure.score-chart li").count() == 5
    assert page.locator("table.score-table tbody tr").count() == 5
    assert page.locator("ul.recommendations a").count() >= 1
    assert page.locator("p.first-step").count() == 10  # every "Not yet" and "Starting" statement
    axe_check(page)

    # The kept answers were forgotten once the result was shown.
    assert page.evaluate(f"() => localStorage.getItem('hub-assessment:' + {TOOL!r})") is None


def test_answers_are_kept_in_the_browser_until_cleared(page):
    page.goto(FORM)
    page.locator("input[name='leadership-governance.1'][value='2']").check()
    page.locator("input[name='data-evidence.3'][value='0']").check()
    assert page.locator("[data-progress]").inner_text() == "2 of 20 statements answered"
    page.reload()
    assert page.locator("input[name='leadership-governance.1'][value='2']").is_checked()
    assert page.locator("input[name='data-evidence.3'][value='0']").is_checked()
    assert page.locator("[data-js-note]").is_visible() and not page.locator("[data-nojs-note]").is_visible()

    # "Clear answers" asks first; "No" keeps everything.
    page.get_by_role("button", name="Clear answers").click()
    assert page.locator("[data-clear-confirm]").is_visible()
    assert page.locator("#clear-question").inner_text() == "Clear your 2 answers? You can undo this."
    page.get_by_role("button", name="No, keep them").click()
    assert page.locator("input[type=radio]:checked").count() == 2
    # "Yes" clears, and Undo brings the answers back (in the browser's copy too).
    page.get_by_role("button", name="Clear answers").click()
    page.get_by_role("button", name="Yes, clear them").click()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.evaluate(f"() => localStorage.getItem('hub-assessment:' + {TOOL!r})") is None
    page.get_by_role("button", name="Undo").click()
    assert page.locator("input[name='leadership-governance.1'][value='2']").is_checked()
    assert page.locator("[data-progress]").inner_text() == "2 of 20 statements answered"
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 2
    # Cleared for good when not undone.
    page.get_by_role("button", name="Clear answers").click()
    page.get_by_role("button", name="Yes, clear them").click()
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0


@pytest.mark.parametrize("lang, tool", [("en", TOOL), ("fr", "autoevaluation-antiraciste-conseils-pli")])
def test_the_chart_reads_at_12_px_or_more_on_a_phone_and_nothing_is_clipped(browser, live_server, lang, tool):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"/{lang}/resources/{tool}/assessment")
        for n, name in enumerate(page.eval_on_selector_all(
                "input[type=radio]", "els => [...new Set(els.map(e => e.name))]")):
            page.locator(f"input[name='{name}'][value='{n % 2}']").check()
        page.locator("button[value='result']").click()
        page.wait_for_selector("figure.score-chart")
        sizes = page.eval_on_selector_all(
            "figure.score-chart .chart-label, figure.score-chart .chart-value, figure.score-chart figcaption",
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 12, sizes
        # Nothing wider than the screen, nothing cut off inside its box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        clipped = page.eval_on_selector_all(
            "figure.score-chart *, table.score-table caption",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')"
            ".map(e => e.className || e.tagName)")
        assert clipped == []
        boxes = page.eval_on_selector_all(
            "figure.score-chart li, table.score-table caption, table.score-table tr, .priority",
            "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])")
        assert all(left >= 0 and right <= 375 for left, right in boxes), boxes
    finally:
        context.close()


def test_without_javascript_the_tool_still_works_in_french(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="fr-CA")
    try:
        page = context.new_page()
        page.goto("/fr/resources/autoevaluation-antiraciste-conseils-pli/assessment")
        assert page.locator("legend").first.inner_text().startswith("Section 1 de 5")
        page.locator("input[name='leadership-governance.1'][value='1']").check()
        page.locator("input[name='community-voice.2'][value='3']").check()
        page.get_by_role("button", name="Voir mon résultat").click()
        page.wait_for_selector("h1:has-text('Votre résultat')")
        text = page.locator("main").inner_text()
        assert "2 énoncés sur 20 répondus." in text
        assert page.locator("[data-print]").first.is_hidden()  # the Print button needs JavaScript
    finally:
        context.close()
