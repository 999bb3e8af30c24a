"""The submission form in a real browser: signed in and filled with the
keyboard alone, an error shown next to its field with everything typed (and
uploaded) kept, uploads checked by content, and axe on every step."""
from __future__ import annotations

import uuid

import pytest

from tests.browser.keyboard import tab_to

PASSWORD = "browser password 1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def member(live_server):
    from hub.extensions import db
    from hub.services.users import create_user

    email = f"member-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        create_user(email, role="member", password=PASSWORD)
        db.session.remove()
    return email


def focus_ring_visible(page) -> bool:
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }""")


def sign_in_with_keyboard(page, email: str) -> None:
    page.goto("/en/")
    tab_to(page, "a[href^='/en/login']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/login**")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_member_submits_with_the_keyboard_only(page, member, axe_check):
    sign_in_with_keyboard(page, member)
    tab_to(page, "a[href='/en/submit']")
    assert focus_ring_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/en/submit")
    axe_check(page)

    tab_to(page, "#title")
    page.keyboard.type("Keyboard Kit for Welcoming Workplaces")
    tab_to(page, "#type")
    page.keyboard.press("ArrowDown")  # first type in the list
    page.keyboard.press("ArrowDown")
    assert page.locator("#type").input_value() != ""
    tab_to(page, "#summary")
    page.keyboard.type("Practical steps employers can take in their first week.")
    tab_to(page, "#language-0")
    page.keyboard.press("Space")
    tab_to(page, "#organization")
    page.keyboard.type("Keyboard LIP")
    tab_to(page, "#published")
    page.keyboard.type("2024-02-01")
    tab_to(page, "#racism_types-6")  # systemic
    page.keyboard.press("Space")
    tab_to(page, "#audiences-3")  # employers
    page.keyboard.press("Space")
    tab_to(page, "#body")
    page.keyboard.type("## Week one\n\n- Say hello in their language.")
    # Region left empty on purpose: submitting shows the problem, keeps everything.
    tab_to(page, "button[value='submit']")
    assert focus_ring_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Region" in summary.inner_text()
    assert page.locator("#region-error").inner_text().strip().startswith("Error:")
    assert page.locator("#region").get_attribute("aria-invalid") == "true"
    assert "region-error" in page.locator("#region").get_attribute("aria-describedby")
    assert page.locator("#title").input_value() == "Keyboard Kit for Welcoming Workplaces"
    assert page.locator("#racism_types-6").is_checked() and page.locator("#audiences-3").is_checked()
    assert "Say hello in their language." in page.locator("#body").input_value()
    axe_check(page)

    # The link in the summary takes the keyboard to the field.
    summary.get_by_role("link", name="Region").focus()
    page.keyboard.press("Enter")
    tab_to(page, "#region")
    page.keyboard.press("End")  # the last region in the list
    tab_to(page, "button[value='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "your submission is with the editors" in page.locator(".flashes").inner_text()
    assert "submitted" in page.locator(".status-line").inner_text()

    page.goto("/en/submissions")
    row = page.get_by_role("row", name="Keyboard Kit for Welcoming Workplaces")
    assert "submitted" in row.inner_text()
    axe_check(page)


def test_an_error_keeps_everything_typed_and_every_file_uploaded(page, member, tmp_path, axe_check):
    sign_in_with_keyboard(page, member)
    page.goto("/en/submit")
    pdf = tmp_path / "welcome-guide.pdf"
    pdf.write_bytes(PDF)
    page.fill("#title", "<b>Bold</b> Welcome Guide")
    page.fill("#summary", "Kept after an error.")
    page.fill("#url", "not a web address")
    page.check("#racism_types-0")
    page.fill("#body", "Some *text*.")
    page.set_input_files("#files", str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()

    assert page.locator("#url-error").is_visible()
    assert "https://" in page.locator("#url-error").inner_text()
    assert page.locator("#url").input_value() == "not a web address"
    assert page.locator("#title").input_value() == "<b>Bold</b> Welcome Guide"  # HTML kept as text
    assert page.locator("h1").inner_text().endswith("<b>Bold</b> Welcome Guide")
    assert page.locator("#racism_types-0").is_checked()
    stored = page.locator(".stored-files")
    assert "welcome-guide.pdf" in stored.inner_text()  # no need to choose the file again
    axe_check(page)

    # Fix the address only and save: the file is still there.
    page.fill("#url", "https://example.org/guide")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in page.locator(".flashes").inner_text()
    assert "welcome-guide.pdf" in page.locator(".stored-files").inner_text()
    assert page.locator("#url").input_value() == "https://example.org/guide"

    # The preview renders the Markdown through the same sanitiser as published pages.
    # (CommonMark: a line that starts with <script> is raw HTML to its end, so the
    # Markdown goes on a paragraph of its own.)
    page.fill("#body", "## Heading\n\n<script>alert(1)</script>\n\n**strong**")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    assert preview.locator("h2#sec-heading").inner_text() == "Heading"
    assert preview.locator("strong").inner_text() == "strong"
    assert preview.locator("script").count() == 0


def test_uploads_are_checked_by_content_and_the_rest_is_kept(page, member, tmp_path, live_server):
    sign_in_with_keyboard(page, member)
    page.goto("/en/submit")
    real = tmp_path / "real.pdf"
    real.write_bytes(PDF)
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text pretending", encoding="utf-8")
    page.fill("#title", "Upload check")
    page.set_input_files("#files", [str(real), str(fake)])
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    error = page.locator("#files-error").inner_text()
    assert "fake.pdf was not added" in error and "TXT" in error
    assert page.locator("#title").input_value() == "Upload check"
    assert "real.pdf" in page.locator(".stored-files").inner_text()
    assert "fake.pdf" not in page.locator(".stored-files").inner_text()
    link = page.locator(".stored-files a", has_text="Download")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF

    # Too large: the browser says so before sending (JavaScript), and the server refuses anyway.
    old = live_server.app.config["MAX_ATTACHMENT_BYTES"]
    live_server.app.config["MAX_ATTACHMENT_BYTES"] = 20
    try:
        page.goto(page.locator("form.submission-form").get_attribute("action"))  # the draft, fresh
        page.set_input_files("#files", str(real))
        warning = page.locator("#files-size-warning")
        assert warning.is_visible() and "real.pdf" in warning.inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="Save draft").click()
        assert "larger than the limit" in page.locator("#files-error").inner_text()
    finally:
        live_server.app.config["MAX_ATTACHMENT_BYTES"] = old
