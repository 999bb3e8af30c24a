"""Forged and oversized form posts: a POST from another site (even one
carrying a valid CSRF token) and a 10 MB text field, as an attacker sends them."""
from __future__ import annotations

from io import BytesIO

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import PASSWORD
from tests.flows import csrf, csrf_from, post_form, sign_in

BASE = "https://hub.example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _requests() -> int:
    from hub.extensions import db
    from hub.models import ResourceRequest

    return db.session.scalar(select(func.count()).select_from(ResourceRequest))


def _production(app):
    app.config.update(BASE_URL=BASE, ENFORCE_BASE_URL_HOST=True, CHECK_POST_ORIGIN=True)


def _ask(client, headers: dict):
    # The attacker's page holds a valid token (fetched from the hub itself).
    token = csrf_from(client.get("/en/ask", base_url=BASE).get_data(as_text=True))
    return client.post("/en/ask", data={"csrf_token": token, "need": "a guide on hiring"}, base_url=BASE,
                       headers=headers)


def test_production_refuses_a_post_from_another_site(app, client):
    _production(app)
    for headers in ({"Origin": "https://evil.example", "Referer": BASE + "/en/ask"},
                    {"Origin": "null", "Referer": "https://evil.example/form"},
                    {"Origin": "http://hub.example.org", "Referer": BASE + "/en/ask"},  # not over HTTPS
                    {}):
        resp = _ask(client, {**headers})
        assert resp.status_code == 403, headers
        assert "was not sent from a page of https://hub.example.org" in resp.get_data(as_text=True)
    assert _requests() == 0
    # The hub's own page, by Origin or (Origin removed by a privacy setting) by Referer.
    assert _ask(client, {"Origin": BASE, "Referer": BASE + "/en/ask"}).status_code == 302
    assert _ask(client, {"Referer": BASE + "/en/ask"}).status_code == 302
    assert _requests() == 2


def test_harvesters_may_still_post_to_oai_pmh(app, client):
    _production(app)
    resp = client.post("/oai", data={"verb": "Identify"}, base_url=BASE)
    assert resp.status_code == 200 and b"<baseURL>" in resp.data


def test_a_ten_megabyte_text_field_is_refused_not_truncated(app, client, make_user):
    resp = client.post("/en/ask", data={"csrf_token": csrf(client, "/en/ask"), "need": "a" * 10_000_000})
    assert resp.status_code == 413
    assert "too large" in resp.get_data(as_text=True)
    assert _requests() == 0
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    resp = post_form(client, "/en/submit", {"title": "Big", "body": "b" * 10_000_000, "action": "save"})
    assert resp.status_code == 413
    fr = client.post("/fr/ask", data={"csrf_token": csrf(client, "/fr/ask"), "need": "a" * 10_000_000})
    assert fr.status_code == 413 and "trop volumineux" in fr.get_data(as_text=True)


def test_files_may_still_be_uploaded_up_to_their_limit(app, client, make_user):
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    two_megabytes = PDF + b"%" + b"x" * 2_000_000 + b"\n"
    # Bodies encoded here, in memory: the test client would spool them to
    # temporary files it never closes.
    boundary, body = encode_multipart({"title": "With a file", "body": "Text.", "action": "save",
                                       "csrf_token": csrf(client, "/en/submit"),
                                       "files": FileStorage(BytesIO(two_megabytes), "guide.pdf")})
    resp = client.post("/en/submit", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    # A multipart text field is bounded like any other form text.
    boundary, body = encode_multipart({"title": "Big", "body": "b" * 10_000_000, "action": "save",
                                       "csrf_token": csrf(client, "/en/submit"),
                                       "files": FileStorage(BytesIO(PDF), "guide.pdf")})
    resp = client.post("/en/submit", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 413
