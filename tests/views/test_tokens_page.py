"""The API tokens page as a member uses it: create (shown once), list, revoke."""
import re

from hub.services import tokens as token_service


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_create_shows_the_token_once_and_it_works(client, login_as, make_user):
    member = login_as(make_user("member"))
    page = client.get("/en/account/tokens")
    assert page.status_code == 200 and "You have no tokens." in page.get_data(as_text=True)
    resp = client.post("/en/account/tokens", data={"name": "Municipal portal",
                                                   "csrf_token": csrf_from(page.get_data(as_text=True))})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 201
    assert resp.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token"[^>]*value="(hub_[^"]+)"', html).group(1)
    assert "Municipal portal" in html
    # Listed again later without the secret, only its prefix.
    again = client.get("/en/account/tokens").get_data(as_text=True)
    assert secret not in again and secret[:10] in again and "Municipal portal" in again
    assert client.get("/api/v1/nothing-here", headers={"Authorization": f"Bearer {secret}"}).status_code == 404
    assert [t.name for t in token_service.list_tokens(member)] == ["Municipal portal"]


def test_creation_needs_a_name_and_csrf(client, login_as, make_user):
    login_as(make_user("member"))
    page = client.get("/fr/account/tokens").get_data(as_text=True)
    resp = client.post("/fr/account/tokens", data={"name": "", "csrf_token": csrf_from(page)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'aria-invalid="true"' in html and "Jeton" in html
    resp = client.post("/fr/account/tokens", data={"name": "No CSRF"})
    assert resp.status_code == 400
    assert "No CSRF" not in client.get("/fr/account/tokens").get_data(as_text=True)


def test_revoke_from_the_page(client, login_as, make_user):
    member = login_as(make_user("member"))
    token, secret = token_service.create_token(member, "Old portal")
    page = client.get("/en/account/tokens").get_data(as_text=True)
    assert f'action="/en/account/tokens/{token.id}/revoke"' in page
    resp = client.post(f"/en/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 303
    after = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "is revoked" in after and "You have no tokens." in after
    resp = client.get("/api/v1/nothing-here", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "unauthorized"


def test_someone_elses_token_cannot_be_revoked(client, login_as, make_user):
    owner = make_user("member")
    token, _secret = token_service.create_token(owner, "Theirs")
    login_as(make_user("admin"))
    page = client.get("/en/account/tokens").get_data(as_text=True)
    resp = client.post(f"/en/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 404
    assert [t.name for t in token_service.list_tokens(owner)] == ["Theirs"]


def test_anonymous_readers_are_sent_to_sign_in(client):
    resp = client.get("/en/account/tokens")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/en/login") and "next=" in resp.headers["Location"]
    assert client.post("/en/account/tokens", data={"name": "x"}).status_code in (302, 400)
    assert client.post("/en/account/tokens/1/revoke").status_code in (302, 400)
