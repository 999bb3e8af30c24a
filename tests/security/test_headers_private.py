"""What a shared cache, or the next person at a library computer, could keep:
personal answers must say ``private, no-store``; and the session cookie
production sets must be one no other site or subdomain can plant or read."""
from __future__ import annotations

from tests.conftest import PASSWORD
from tests.flows import sign_in

PRIVATE = "private, no-store"


def _cache(resp) -> str:
    return resp.headers.get("Cache-Control", "")


def test_personal_pages_are_never_stored(app, client, make_user, make_resource):
    make_resource(slug="open", title="An open guide")
    make_resource(slug="members", title="Members only guide", access="members")
    user = make_user("admin", email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    for path in ("/en/account", "/en/submissions", "/en/submit", "/en/review", "/en/admin/users",
                 "/en/editor/insight", "/en/account/tokens", "/en/resources/members", "/en/resources/open",
                 "/en/", "/en/search?q=guide", "/api/v1/resources/members", "/api/v1/resources?q=guide"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert "no-store" in _cache(resp) and "public" not in _cache(resp), (path, _cache(resp))
        assert "private" in _cache(resp) or _cache(resp) == "no-store", (path, _cache(resp))


def test_public_pages_stay_cacheable_for_visitors(app, client, make_resource):
    make_resource(slug="open", title="An open guide")
    for path in ("/feed.atom", "/sitemap.xml", "/api/v1/resources?q=guide"):
        assert "public" in _cache(client.get(path)), path
    for path in ("/en/", "/en/resources/open"):
        assert "no-store" not in _cache(client.get(path)), path


def test_members_only_files_are_never_stored(app, client, make_user, tmp_path):
    from hub.services.resources import import_documents
    from tests.conftest import resource_text

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "notes.txt").write_text("Members' notes.", encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(slug="members", access="members", files="[files/notes.txt]"),
                                   encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    with client.get("/resources/members/files/notes.txt") as resp:
        assert resp.status_code == 200 and _cache(resp) == PRIVATE
    with client.get("/resources/members/files/notes.txt", headers={"Range": "bytes=0-3"}) as part:
        assert part.status_code == 206 and _cache(part) == PRIVATE


def test_production_session_cookie_is_host_prefixed(app, make_user):
    from config import ProductionConfig

    app.config.update(BASE_URL="https://hub.example.org", SESSION_COOKIE_NAME=ProductionConfig.SESSION_COOKIE_NAME,
                      SESSION_COOKIE_SECURE=True)
    user = make_user(email="amira@example.org")
    client = app.test_client()
    page = client.get("/en/login", base_url="https://hub.example.org")
    from tests.flows import csrf_from

    resp = client.post("/en/login", base_url="https://hub.example.org",
                       headers={"Referer": "https://hub.example.org/en/login"},
                       data={"email": user.email, "password": PASSWORD,
                             "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.status_code == 302
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("__Host-session="))
    attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
    assert "secure" in attributes and "path=/" in attributes and "httponly" in attributes
    assert not any(a.startswith("domain=") for a in attributes)
    assert client.get("/en/account", base_url="https://hub.example.org").status_code == 200
