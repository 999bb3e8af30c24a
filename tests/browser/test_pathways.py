"""Following a pathway end to end with the keyboard alone, in English and in
French: home page → the list of pathways → one pathway → a resource of one of
its steps → back to the pathway from that resource's "part of the pathway"
link, each page free of serious accessibility problems."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _tab_to(page, predicate_js: str, limit: int = 80) -> str:
    """Press Tab until the focused element matches; return its text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }})()"):
            return page.evaluate("document.activeElement.textContent").strip()
    raise AssertionError(f"Tab never reached {predicate_js}")


@pytest.mark.parametrize("lang, pathway, step, words", [
    ("en", "responding-to-a-hate-incident", 2,
     {"list": "Pathways", "step": "Step 2", "part": "Part of the pathway"}),
    ("fr", "starting-anti-racism-work-as-a-lip", 2,
     {"list": "Parcours", "step": "Étape 2", "part": "Fait partie du parcours"}),
])
def test_follow_a_pathway_with_the_keyboard(page, axe_check, lang, pathway, step, words):
    page.goto(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang

    # Home → the list of pathways.
    _tab_to(page, f"el.matches('a[href=\"/{lang}/pathways\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/pathways")
    assert page.locator("h1").inner_text() == words["list"]
    assert page.locator(".pathway-list > li").count() >= 5
    axe_check(page)

    # The list → one pathway.
    title = _tab_to(page, f"el.matches('.pathway-list a[href=\"/{lang}/pathways/{pathway}\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/pathways/{pathway}")
    assert page.locator("h1").inner_text() == title
    steps = page.locator("ol.pathway-steps > li")
    assert 3 <= steps.count() <= 6
    assert words["step"] in page.locator(f"#step-{step} h2").text_content()
    axe_check(page)

    # A resource of that step, opened with Enter, in the reader's language.
    card_title = _tab_to(page, f"el.matches('#step-{step} .card h3 a')")
    assert page.evaluate("document.activeElement.getAttribute('lang')") == lang
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/resources/"))
    assert page.locator("h1").inner_text() == card_title
    assert words["part"] in page.locator(".pathway-memberships").inner_text()
    axe_check(page)

    # Back to the pathway, at the step the resource belongs to.
    _tab_to(page, f"el.matches('.pathway-memberships a[href^=\"/{lang}/pathways/{pathway}\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/pathways/{pathway}#step-\d+$"))
    assert page.locator("h1").inner_text() == title
    landed = int(page.url.rsplit("-", 1)[1])
    assert page.locator(f"#step-{landed} .card h3 a", has_text=card_title).count() == 1


def test_a_members_only_resource_is_not_in_the_pathway_for_visitors(page):
    page.goto("/en/pathways/starting-anti-racism-work-as-a-lip")
    cards = page.locator("#step-3 .card h3 a")
    assert cards.count() >= 1
    assert "Terms of Reference" not in " ".join(cards.all_inner_texts())
