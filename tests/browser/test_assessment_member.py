"""A member's self-assessment in a real browser, keyboard only: sign in through
the form, take a curated tool, save the result to My assessments, take it again
with other answers and see the change in each section since the saved result;
axe on the result, saved-result and My assessments pages."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.keyboard import is_focused, press_enter_and_wait, tab_to

pytestmark = pytest.mark.browser

PASSWORD = "member assessment password"
TOOL = "lip-council-anti-racism-self-assessment"
FORM = f"/en/resources/{TOOL}/assessment"
SECTIONS = ["leadership-governance", "community-voice", "data-evidence", "learning-capacity",
            "response-accountability"]
QUESTIONS_PER_SECTION = 4


@pytest.fixture
def member(live_server):
    from hub.extensions import db
    from hub.services.users import create_user

    email = f"assessor-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        create_user(email, role="member", password=PASSWORD)
        db.session.remove()
    return email


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.name || ''")


def answer_with_keyboard(page, answers: dict[str, int | None]) -> None:
    """Answer every statement of a section with the same position on the scale
    (None leaves the section blank), using Tab, Space and the arrow keys only."""
    tab_to(page, "input[type=radio]")
    fields = [f"{section}.{n}" for section in SECTIONS for n in range(1, QUESTIONS_PER_SECTION + 1)]
    for i, name in enumerate(fields):
        assert focused_name(page) == name
        value = answers[name.rsplit(".", 1)[0]]
        if value is not None:
            page.keyboard.press("Space")  # selects the focused answer, the first on the scale
            for _ in range(value):
                page.keyboard.press("ArrowRight")
        if i < len(fields) - 1:
            page.keyboard.press("Tab")


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "table.score-table:not(.progress-table):not(.spread) tr",
        "rows => rows.map(r => [...r.querySelectorAll('th, td')].map(c => c.innerText.trim().replace(/\\s+/g, ' ')))")


def test_member_saves_a_result_takes_the_tool_again_and_sees_the_change(page, member, axe_check):
    # Sign in through the form, from the tool's own page: the form sends the member back to it.
    page.goto(FORM)
    tab_to(page, "a[href^='/en/login']")
    press_enter_and_wait(page)
    assert "/en/login" in page.url
    tab_to(page, "#email")
    page.keyboard.type(member)
    page.keyboard.press("Tab")
    assert is_focused(page, "#password")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert page.url.endswith(FORM)
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.locator("select#compare").count() == 0  # nothing saved yet: nothing to compare with

    # First time: "Starting" everywhere.
    answer_with_keyboard(page, dict.fromkeys(SECTIONS, 1))
    assert page.locator("[data-progress]").inner_text() == "20 of 20 statements answered"
    tab_to(page, "button[value='result']")
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text().startswith("Your result")
    assert page.locator(".overall-score strong").inner_text() == "33%"
    assert "where only you can see them" in page.locator(".privacy-note").inner_text()
    axe_check(page)

    tab_to(page, "button[value='save']")
    press_enter_and_wait(page)
    match = re.search(r"/en/account/assessments/(\d+)$", page.url)
    assert match, page.url
    first_id = match.group(1)
    assert page.locator(".kicker").text_content().strip().startswith("Result saved on")
    assert page.locator(".overall-score strong").inner_text() == "33%"
    # The member chose to save: the answers come back (as hidden fields, for the plan's downloads).
    assert page.locator("input[type=hidden][name*='.']").count() == 20
    axe_check(page)

    tab_to(page, "a[href='/en/account/assessments']")
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == "My assessments"
    rows = page.locator("table.score-table").first.locator("tbody tr")
    assert rows.count() == 1
    assert "Anti-Racism Self-Assessment for LIP Partnership Councils" in rows.first.inner_text()
    assert "33%" in rows.first.inner_text() and "20 of 20" in rows.first.inner_text()
    axe_check(page)

    # Later: back to the saved result, and take the tool again from there.
    tab_to(page, f"a[href='/en/account/assessments/{first_id}']")
    press_enter_and_wait(page)
    tab_to(page, f"a[href='{FORM}']")
    press_enter_and_wait(page)
    assert page.url.endswith(FORM)
    assert page.locator("input[type=radio]:checked").count() == 0  # a fresh form
    compare = page.locator("select#compare")
    assert compare.input_value() == first_id  # the saved result, chosen by default
    assert compare.locator("option").count() == 2  # it, or no earlier result

    answer_with_keyboard(page, {"leadership-governance": 3, "community-voice": 1, "data-evidence": 0,
                                "learning-capacity": 2, "response-accountability": None})
    assert page.locator("[data-progress]").inner_text() == "16 of 20 statements answered"
    tab_to(page, "#compare")  # reached by the keyboard, left at its default
    assert compare.input_value() == first_id
    tab_to(page, "button[value='result']")
    press_enter_and_wait(page)

    assert page.locator(".overall-score strong").inner_text() == "50%"
    overall = page.locator("section.overall").inner_text()
    assert re.search(r"Change since your result of .+: \+17 points overall\.", overall), overall
    rows = table_rows(page)
    assert rows[0][-1].startswith("Change since ")
    assert [row[:1] + row[2:] for row in rows[1:]] == [
        ["Data and evidence to work on", "0%", "4 of 4", "−33 points"],
        ["Community voice and engagement to work on", "33%", "4 of 4", "no change"],
        ["Learning and capacity", "67%", "4 of 4", "+33 points"],
        ["Leadership and governance", "100%", "4 of 4", "+67 points"],
        ["Responding to racism and accountability", "no answers", "0 of 4", "—"],
        ["Overall", "50%", "16 of 20", "+17 points"],
    ]
    # Progress statement by statement (the saved result kept its answers).
    progress = page.locator("section.statement-progress tbody tr")
    assert progress.count() == 20
    assert progress.first.inner_text().split("\t")[1:] == ["Starting", "In place", "up 2 steps"]
    axe_check(page)

    # Save this one too: its saved page compares with the first, and My assessments lists both.
    tab_to(page, "button[value='save']")
    press_enter_and_wait(page)
    second_id = re.search(r"/en/account/assessments/(\d+)$", page.url).group(1)
    assert second_id != first_id
    assert [row[-1] for row in table_rows(page)[1:]] == [
        "−33 points", "no change", "+33 points", "+67 points", "—", "+17 points"]
    axe_check(page)

    page.goto("/en/account/assessments")
    links = page.eval_on_selector_all("table.score-table tbody a", "as => as.map(a => a.getAttribute('href'))")
    assert links == [f"/en/account/assessments/{second_id}", f"/en/account/assessments/{first_id}"]
    axe_check(page)


def test_my_assessments_asks_to_sign_in_and_a_saved_result_is_deleted_with_the_keyboard(page, member, live_server,
                                                                                      axe_check):
    from hub.extensions import db
    from hub.services import assessment_results, assessments
    from hub.services.users import get_user_by_email

    with live_server.app.app_context():
        user = get_user_by_email(member)
        tool = assessments.get_tool(user, TOOL)
        answers = {s.id: (2,) * len(s.questions) for s in tool.sections}
        saved_id = assessment_results.save_result(user, tool, assessments.score(tool, answers)).id
        db.session.remove()

    # Not signed in (a bookmark, an expired session): sent to sign in, then back to My assessments.
    page.goto("/en/account/assessments")
    assert "/en/login" in page.url
    tab_to(page, "#email")
    page.keyboard.type(member)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert page.url.endswith("/en/account/assessments")

    tab_to(page, f"a[href='/en/account/assessments/{saved_id}']")
    press_enter_and_wait(page)
    delete = page.get_by_role("button", name="Delete this saved result")
    colours = delete.evaluate("""el => { const s = getComputedStyle(el);
        return {color: s.color, background: s.backgroundColor, border: s.borderTopColor}; }""")
    # A danger button: red text and border on white (it once had red text on the accent blue).
    assert colours == {"color": "rgb(166, 27, 27)", "background": "rgb(255, 255, 255)",
                       "border": "rgb(166, 27, 27)"}
    tab_to(page, "form[action$='/delete'] button")
    press_enter_and_wait(page)
    assert page.url.endswith("/en/account/assessments")
    assert page.locator("table.score-table").count() == 0
    assert "You have not saved any result yet." in page.locator("main").inner_text()
    axe_check(page)
    assert page.goto(f"/en/account/assessments/{saved_id}").status == 404
