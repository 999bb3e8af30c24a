"""The insight pages as readers and editors meet them."""
import re
from pathlib import Path

import pytest

from hub.services import gaps

EDITOR_PAGES = ["/editor/insight", "/editor/insight/gaps", "/editor/insight/requests",
                "/editor/insight/parity", "/editor/insight/links", "/editor/insight/reviews",
                "/editor/insight/usage"]


def csrf(html: str, prefix: str = "") -> str:
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_editor_pages_are_refused_to_readers_and_members(client, make_user, login_as, path):
    assert client.get(f"/en{path}").status_code == 403
    login_as(make_user(role="member"))
    assert client.get(f"/en{path}").status_code == 403


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_editor_pages_exist_in_both_languages(client, make_user, login_as, path):
    login_as(make_user(role="editor"))
    for lang in ("en", "fr"):
        resp = client.get(f"/{lang}{path}")
        assert resp.status_code == 200 and f'<html lang="{lang}">' in resp.get_data(as_text=True)


def test_dashboard_headlines_in_english_and_french(client, make_user, login_as, make_resource):
    make_resource(slug="guide-en", language="en", translation="guide-fr")
    make_resource(slug="guide-fr", language="fr")
    make_resource(slug="alone", language="en")
    gaps.record_zero_result("rural libraries", "en")
    login_as(make_user(role="editor"))
    en = client.get("/en/editor/insight").get_data(as_text=True)
    assert "67%" in en and "of 3 resources are available in English and French; 1 have no counterpart." in en
    assert "search found nothing this month" in en
    fr = client.get("/fr/editor/insight").get_data(as_text=True)
    assert "Tableau de bord éditorial" in fr and "67\xa0%" in fr and "Parité linguistique" in fr


def test_the_ask_form_lands_in_the_editors_queue(app, client, make_user, login_as, make_resource):
    page = client.get("/en/ask?q=Halal+food+banks").get_data(as_text=True)
    assert "Your search for “Halal food banks” found nothing" in page
    assert 'value="Halal food banks"' in page and '<label for="need">' in page

    # No CSRF token: refused.
    assert client.post("/en/ask", data={"need": "x"}).status_code == 400
    # Empty need: the error is shown next to the field and the typed address kept.
    resp = client.post("/en/ask", data={"csrf_token": csrf(page), "need": " ", "email": "me@example.org",
                                        "q": "Halal food banks"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="need-error"' in html and 'aria-invalid="true"' in html
    assert 'value="me@example.org"' in html
    resp = client.post("/en/ask", data={"csrf_token": csrf(page), "need": "A list of halal food banks",
                                        "email": "me@example.org", "q": "Halal food banks"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/ask/thanks?mail=1"
    assert "We will write to you" in client.get(resp.headers["Location"]).get_data(as_text=True)

    editor = make_user(role="editor")
    login_as(editor)
    queue = client.get("/en/editor/insight/requests").get_data(as_text=True)
    assert "A list of halal food banks" in queue and "halal food banks" in queue
    link = re.search(r'href="(/en/editor/insight/requests/\d+)"', queue).group(1)
    detail = client.get(link).get_data(as_text=True)
    make_resource(slug="food-banks", title="Halal food banks in Ontario")
    resp = client.post(f"{link}/link", data={"link-csrf_token": csrf(detail, "link"), "link-slug": "nope"})
    assert resp.status_code == 400 and "No published resource has the identifier “nope”" in resp.get_data(as_text=True)
    resp = client.post(f"{link}/link", data={"link-csrf_token": csrf(detail, "link"), "link-slug": "food-banks"})
    assert resp.status_code == 302
    settled = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "The requester was mailed." in settled and "Halal food banks in Ontario" in settled
    assert "me@example.org" not in settled
    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 1
    assert "A list of halal food banks" not in client.get("/en/editor/insight/requests").get_data(as_text=True)


def test_the_ask_form_is_rate_limited(client):
    page = client.get("/fr/ask").get_data(as_text=True)
    assert "Demander une ressource au groupe de travail" in page
    token = csrf(page)
    codes = [client.post("/fr/ask", data={"csrf_token": token, "need": f"need {i}"}).status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[5:] == [429, 429]


def test_editors_answer_and_close_from_the_request_page(app, client, make_user, login_as):
    from hub.services.resource_requests import create_request

    req = create_request("Something in Tigrinya", email="asker@example.org", language="fr")
    login_as(make_user(role="editor"))
    url = f"/fr/editor/insight/requests/{req.id}"
    detail = client.get(url).get_data(as_text=True)
    resp = client.post(f"{url}/answer", data={"answer-csrf_token": csrf(detail, "answer"), "answer-reply": ""})
    assert resp.status_code == 400 and "Rédigez la réponse." in resp.get_data(as_text=True)
    resp = client.post(f"{url}/answer", data={"answer-csrf_token": csrf(detail, "answer"),
                                              "answer-reply": "Nous cherchons."})
    assert resp.status_code == 302
    resp = client.post(f"{url}/close", data={"close-csrf_token": csrf(detail, "close")})
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "La demande est fermée." in page and "Fermer la demande" not in page
    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 1  # the answer; closing said nothing


def test_the_empty_results_box_links_to_the_form(app):
    from flask import render_template

    with app.test_request_context("/en/search?q=x"):
        from flask import g
        g.lang = "en"
        html = render_template("insight/_ask_link.html", query="halal food banks")
    assert 'href="/en/ask?q=halal+food+banks"' in html
    assert "Ask the working group for a resource on this" in html


def test_an_empty_search_offers_the_form_and_counts_people_not_bots(client, make_resource):
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import ZeroResultSearch

    make_resource(slug="r1", title="Hiring without bias")
    page = client.get("/en/search?q=zyxwv+libraries", headers={"User-Agent": "Mozilla/5.0 Firefox/127.0"})
    html = page.get_data(as_text=True)
    assert 'href="/en/ask?q=zyxwv+libraries"' in html
    client.get("/en/search?q=zyxwv+libraries", headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    client.get("/en/search?q=hiring", headers={"User-Agent": "Mozilla/5.0 Firefox/127.0"})
    assert [(r.query, r.count) for r in db.session.scalars(select(ZeroResultSearch))] == [("zyxwv libraries", 1)]
    assert "Ask the working group" not in client.get("/en/search?q=hiring").get_data(as_text=True)
