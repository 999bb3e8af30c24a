"""A team round end to end in a real browser, in English and in French: a
member opens a round with the keyboard, three colleagues answer through its
link without signing in, the owner sees how the answers spread, builds the
plan with the keyboard, downloads it as Word and CSV, prints it, closes the
round and shares its section scores, which the editors' page then counts.
axe on every page; screenshots of a result and a plan at 375 and 1280 px
wide are written to HUB_SCREENSHOTS (when set) for people to look at."""
from __future__ import annotations

import csv
import io
import os
import uuid
from pathlib import Path

import pytest

from tests.browser.keyboard import press_enter_and_wait, tab_to

pytestmark = pytest.mark.browser

PASSWORD = "team round password"
TOOLS = {"en": "lip-council-anti-racism-self-assessment", "fr": "autoevaluation-antiraciste-conseils-pli"}
TEXT = {
    "en": {"answered": "3 people answered.", "sent": "Thank you", "closed": "Closed on", "shared": "were shared",
           "one_shared": "1 round shared.", "owner": "Owner", "plan": "Action plan:"},
    "fr": {"answered": "3 personnes ont répondu.", "sent": "Merci", "closed": "Fermée le",
           "shared": "ont été partagés", "one_shared": "1 ronde partagée.", "owner": "Responsable",
           "plan": "Plan d’action\u202f:"},
}
#: Three colleagues' answers: position on the scale per statement, by pattern.
COLLEAGUES = [lambda n: 0, lambda n: n % 4, lambda n: 3 if n % 2 else 1]


def make_user(live_server, role: str = "member") -> str:
    from hub.extensions import db
    from hub.services.users import create_user

    email = f"team-{role}-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        create_user(email, role=role, password=PASSWORD)
        db.session.remove()
    return email


def sign_in(page, lang: str, email: str) -> None:
    page.goto(f"/{lang}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


def shoot(page, name: str) -> None:
    """A full-page screenshot at phone and desktop widths, when asked for."""
    folder = os.environ.get("HUB_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_team_round_end_to_end(browser, live_server, axe_check, tmp_path, lang):
    import docx

    tool, text = TOOLS[lang], TEXT[lang]
    owner = browser.new_context(base_url=live_server.url, accept_downloads=True)
    try:
        page = owner.new_page()
        sign_in(page, lang, make_user(live_server))

        # Open a round, keyboard only.
        page.goto(f"/{lang}/resources/{tool}/assessment")
        tab_to(page, f"a[href='/{lang}/resources/{tool}/assessment/rounds/new']")
        press_enter_and_wait(page)
        axe_check(page)
        tab_to(page, "#round-name")
        page.keyboard.type("our council, spring 2027")
        press_enter_and_wait(page)
        link = page.locator("#round-link").input_value()
        assert f"/{lang}/rounds/" in link
        axe_check(page)

        # Three colleagues answer on their own, not signed in; the first with the keyboard alone.
        for number, pattern in enumerate(COLLEAGUES):
            colleague = browser.new_context(base_url=live_server.url)
            try:
                answer = colleague.new_page()
                answer.goto(link)
                names = answer.eval_on_selector_all("input[type=radio]",
                                                    "els => [...new Set(els.map(e => e.name))]")
                assert len(names) == 20
                if number == 0:
                    axe_check(answer)
                    tab_to(answer, "input[type=radio]")
                    for n in range(len(names)):
                        answer.keyboard.press("Space")
                        for _ in range(pattern(n)):
                            answer.keyboard.press("ArrowRight")
                        if n < len(names) - 1:
                            answer.keyboard.press("Tab")
                    tab_to(answer, "button[value='result']")
                    press_enter_and_wait(answer)
                else:
                    for n, name in enumerate(names):
                        answer.locator(f"input[name='{name}'][value='{pattern(n)}']").check()
                    with answer.expect_navigation():
                        answer.locator("button[value='result']").click()
                assert answer.locator("h1").inner_text().startswith(text["sent"])
                if number == 0:
                    axe_check(answer)
            finally:
                colleague.close()

        # The owner sees the spread, the team's scores and the plan.
        page.reload()
        main = page.locator("main").inner_text()
        assert text["answered"] in main
        assert page.locator("table.spread tbody tr").count() == 20
        assert page.locator("table.spread tbody tr.disagree").count() >= 1
        first_counts = page.locator("table.spread tbody tr").first.locator("td").all_inner_texts()
        assert sum(int(c) for c in first_counts) == 3  # counts only, one per colleague
        axe_check(page)
        shoot(page, f"{lang}-team-round")

        # Build the plan with the keyboard: pick the first step, add an owner and a note.
        tab_to(page, "input[name='plan']")
        key = page.evaluate("document.activeElement.value")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type("Ana")
        page.locator(f"input[name='due:{key}']").fill("2027-03-31")
        page.locator(f"input[name='note:{key}']").focus()
        page.keyboard.type("With the co-chairs")

        tab_to(page, "button[formaction$='/plan.docx']")
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        path = tmp_path / "plan.docx"
        info.value.save_as(path)
        document = docx.Document(str(path))
        assert document.paragraphs[0].text.startswith(text["plan"].rstrip(":").rstrip(" :"))
        rows = [[c.text for c in r.cells] for r in document.tables[1].rows]
        assert len(rows) == 2 and rows[1][3:] == ["Ana", "2027-03-31", "With the co-chairs"] and rows[1][2]

        tab_to(page, "button[formaction$='/plan.csv']")
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        info.value.save_as(tmp_path / "plan.csv")
        table = list(csv.reader(io.StringIO((tmp_path / "plan.csv").read_text(encoding="utf-8-sig"))))
        assert len(table) == 21 and text["owner"] in table[0]
        picked = [row for row in table[1:] if row[6] == "Ana"]
        assert len(picked) == 1 and picked[0][4]  # with its suggested step

        # The plan to print.
        tab_to(page, "button[value='plan']")
        press_enter_and_wait(page)
        assert page.locator("table.plan-table tbody tr").count() == 1
        assert "Ana" in page.locator("table.plan-table").inner_text()
        axe_check(page)
        shoot(page, f"{lang}-plan")

        # Close the round, then share its section scores.
        page.goto(link.replace(live_server.url, "") + "/results")
        tab_to(page, "form[action$='/close'] button")
        press_enter_and_wait(page)
        assert text["closed"] in page.locator(".round-status").inner_text()
        tab_to(page, "form[action$='/share'] button")
        press_enter_and_wait(page)
        assert text["shared"] in page.locator("main").inner_text()
        axe_check(page)
    finally:
        owner.close()

    # The working group's page counts the share (medians wait for five).
    editor = browser.new_context(base_url=live_server.url)
    try:
        page = editor.new_page()
        sign_in(page, lang, make_user(live_server, "editor"))
        page.goto(f"/{lang}/editor/assessments")
        section = page.locator(f"section:has(h3[lang]:text-is('{tool_title(live_server, tool)}'))")
        assert text["one_shared"] in section.inner_text()
        assert section.locator("table").count() == 0
        axe_check(page)
    finally:
        editor.close()


def tool_title(live_server, slug: str) -> str:
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import Resource

    with live_server.app.app_context():
        title = db.session.scalar(select(Resource.title).where(Resource.slug == slug))
        db.session.remove()
    return title


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_result_page_with_what_to_do_first(page, axe_check, lang):
    """One person's result: every "Not yet" and "Starting" statement with its
    first step and reasoned suggestions; screenshots for people to look at."""
    tool = TOOLS[lang]
    page.goto(f"/{lang}/resources/{tool}/assessment")
    names = page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    for n, name in enumerate(names):
        page.locator(f"input[name='{name}'][value='{(n * 7) % 4}']").check()
    with page.expect_navigation():
        page.locator("button[value='result']").click()
    steps = page.locator("li.priority")
    assert steps.count() == 10 and page.locator("p.first-step").count() == 10
    reasons = page.locator("span.reason").all_inner_texts()
    assert reasons and all(r.startswith("pour\u202f: " if lang == "fr" else "for: ") for r in reasons)
    titles = page.locator("li.priority ul.recommendations a").all_inner_texts()
    assert len(titles) == len(set(titles))
    axe_check(page)
    shoot(page, f"{lang}-result")
