"""Insight in a real browser: the content warning with and without JavaScript,
and the editors' dashboard and pages in both languages under axe."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WARNED = "a-year-of-racist-attacks-anti-asian-racism"


@pytest.fixture
def editor_page(context, live_server):
    """A page signed in as an editor (the session cookie is made with the app's own key)."""
    with live_server.app.app_context():
        from hub.services.users import create_user, get_user_by_email
        user = get_user_by_email("insight-editor@example.org") or create_user(
            "insight-editor@example.org", role="editor", password="insight-password-1")
        from hub.extensions import db
        user_id = user.id
        db.session.remove()
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user_id), "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie,
                          "url": live_server.url}])
    return context.new_page()


def _body(page):
    return page.locator(".content-warning .body")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_content_warning_hides_the_body_until_the_reader_continues(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(f"/en/resources/{WARNED}")
        warning = page.locator(".content-warning")
        assert "Describes hate incidents" in warning.inner_text()
        assert not _body(page).is_visible()
        page.get_by_text("Continue to the content").click()
        assert _body(page).is_visible()
        assert page.get_by_text("Hide the content").is_visible()
        page.get_by_text("Hide the content").click()
        assert not _body(page).is_visible()
    finally:
        context.close()


def test_content_warning_opens_with_the_keyboard(page, axe_check):
    page.goto(f"/fr/resources/{WARNED}")
    page.locator(".cw-details > summary").focus()
    page.keyboard.press("Enter")
    assert _body(page).is_visible()
    assert "Mise en garde" in page.locator(".content-warning").inner_text()
    axe_check(page)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", ["/editor/insight", "/editor/insight/gaps", "/editor/insight/requests",
                                  "/editor/insight/parity", "/editor/insight/links",
                                  "/editor/insight/reviews", "/editor/insight/usage"])
def test_editor_pages_pass_axe(editor_page, axe_check, lang, path):
    response = editor_page.goto(f"/{lang}{path}")
    assert response.status == 200
    assert editor_page.locator("html").get_attribute("lang") == lang
    axe_check(editor_page)


def test_dashboard_shows_the_catalogues_parity(editor_page):
    editor_page.goto("/en/editor/insight")
    figure = editor_page.locator(".figure", has_text="Language parity")
    share = figure.locator(".number").inner_text()
    assert share.endswith("%") and 0 < int(share.rstrip("%")) < 100
    editor_page.goto("/fr/editor/insight")
    assert editor_page.get_by_role("heading", name="Tableau de bord éditorial").is_visible()


def test_ask_form_is_accessible_and_works(page, axe_check):
    page.goto("/en/ask?q=rural+libraries")
    axe_check(page)
    page.get_by_label("What do you need?").fill("A guide for rural libraries")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", name="Request received").is_visible()
    axe_check(page)
