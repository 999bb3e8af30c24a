"""The API tokens page and the API docs page in a real browser: a member
creates a token with the keyboard, sees it once, uses it, revokes it; both
pages pass axe in both languages."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def member_page(context, live_server):
    """A page signed in as a member (the session cookie is made with the app's own key)."""
    with live_server.app.app_context():
        from hub.extensions import db
        from hub.services.users import create_user, get_user_by_email
        user = get_user_by_email("tokens-member@example.org") or create_user(
            "tokens-member@example.org", role="member", password="tokens-password-1")
        user_id = user.id
        db.session.remove()
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user_id), "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server.url}])
    return context.new_page()


def _api_status(live_server, token: str) -> int:
    request = urllib.request.Request(live_server.url_for("/api/v1/vocabularies"),
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            json.load(resp)
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_create_use_and_revoke_a_token_with_the_keyboard(member_page, live_server, axe_check):
    page = member_page
    page.goto("/en/account/tokens")
    axe_check(page)
    page.get_by_label("Token name").focus()
    page.keyboard.type("Browser portal")
    page.keyboard.press("Enter")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("hub_")
    axe_check(page)
    assert _api_status(live_server, secret) == 200
    page.goto("/en/account/tokens")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke the token Browser portal").click()
    assert "is revoked" in page.locator(".notice").inner_text()
    assert _api_status(live_server, secret) == 401


@pytest.mark.parametrize("path", ["/en/api", "/fr/api", "/fr/account/tokens"])
def test_pages_pass_axe(member_page, axe_check, path):
    member_page.goto(path)
    assert member_page.locator("h1").count() == 1
    axe_check(member_page)
