"""What an editor (and a first-time submitter) trips over: an empty submission
leaves no "(untitled)" draft, required fields are marked from the start,
"Published." links to the live page, and an editor can fix the details at
review, recorded in the submission's history."""
from __future__ import annotations

import re

from lxml import html
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Submission
from tests.flows import post_form

COMPLETE = {
    "title": "Welcoming Newcomers Without Bias", "summary": "How LIPs can welcome newcomers fairly.",
    "type": "guide", "racism_types": ["systemic"], "audiences": ["lip-staff"], "topics": "welcome",
    "language": "en", "organization": "Peel LIP", "published": "2024", "region": "on", "access": "public",
    "body": "## Start\n\nSteps."}


def _version(page: str, prefix: str = "") -> str:
    return re.search(rf'name="{prefix}version" type="hidden" value="(\d+)"', page).group(1)


def _submitted(client, make_user, login_as) -> int:
    login_as(make_user("member"))
    response = post_form(client, "/en/submit", {**COMPLETE, "action": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/submit/(\d+)", response.headers["Location"]).group(1))


def test_an_empty_submission_creates_no_draft(client, make_user, login_as):
    login_as(make_user("member"))
    for action in ("submit", "save"):
        response = post_form(client, "/en/submit", {"action": action, "access": "public"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "Nothing was saved" in page
        assert 'id="title-error"' in page or action == "save"
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert "(untitled)" not in client.get("/en/submissions").get_data(as_text=True)
    # One typed word is enough to keep a draft.
    assert post_form(client, "/en/submit", {"action": "save", "title": "Hiring"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_required_fields_are_marked_before_any_error(client, make_user, login_as):
    login_as(make_user("member"))
    doc = html.fromstring(client.get("/fr/submit").get_data(as_text=True))
    marked = {el.get("for") or el.getparent().get("id") for el in doc.xpath("//*[@class='required']/..")}
    assert {"title", "summary", "type", "organization", "published", "region"} <= marked
    assert "url" not in marked and "body" not in marked
    assert doc.xpath("//label[@for='title']//*[@class='required']")[0].text_content() == "(obligatoire)"
    assert not doc.xpath("//*[contains(@class, 'field-error')][not(@hidden)]")


def test_published_links_to_the_live_page(app, client, make_user, login_as):
    sub_id = _submitted(client, make_user, login_as)
    login_as(make_user("editor"))
    page = client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    response = post_form(client, f"/en/review/{sub_id}", {"action": "publish", "message": "",
                                                          "version": _version(page)})
    assert response.status_code == 302
    flashes = html.fromstring(client.get(response.headers["Location"]).get_data(as_text=True))
    link = flashes.xpath("//div[@class='flashes']//a")[0]
    assert link.get("href") == "/en/resources/welcoming-newcomers-without-bias"
    assert client.get(link.get("href")).status_code == 200


def test_an_editor_fixes_details_at_review_and_the_history_says_so(app, client, make_user, login_as):
    sub_id = _submitted(client, make_user, login_as)
    login_as(make_user("editor"))
    page = client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    assert "Fix the details" in page
    fixed = {f"details-{k}": v for k, v in COMPLETE.items() if k not in ("body", "access", "language")}
    fixed.update({"details-title": "Welcoming Newcomers Without Bias (2024)",
                  "details-racism_types": ["systemic", "anti-immigrant"],
                  "details-version": _version(page, "details-")})
    response = post_form(client, f"/en/review/{sub_id}/details", fixed, page=f"/en/review/{sub_id}")
    assert response.status_code == 302
    sub = db.session.get(Submission, sub_id)
    db.session.refresh(sub)
    assert sub.title == "Welcoming Newcomers Without Bias (2024)"
    assert sub.data["racism_types"] == ["systemic", "anti-immigrant"]
    assert sub.data["body"] == COMPLETE["body"] and sub.state == "submitted"
    (event,) = [e for e in sub.events if e.kind == "edit"]
    assert "Title" in event.message and "Racism types" in event.message and "→" in event.message
    history = html.fromstring(client.get(f"/en/review/{sub_id}").get_data(as_text=True))
    assert "details fixed by an editor" in history.xpath("//section[@id='conversation']")[0].text_content()


def test_fixing_details_is_checked_and_for_editors_only(app, client, make_user, login_as):
    sub_id = _submitted(client, make_user, login_as)
    editor = make_user("editor")
    login_as(editor)
    page = client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    bad = {f"details-{k}": v for k, v in COMPLETE.items() if k not in ("body", "access", "language")}
    bad.update({"details-region": "atlantis", "details-version": _version(page, "details-")})
    response = post_form(client, f"/en/review/{sub_id}/details", bad, page=f"/en/review/{sub_id}")
    assert response.status_code == 422
    assert db.session.get(Submission, sub_id).data["region"] == "on"
    login_as(make_user("member"))
    response = post_form(client, f"/en/review/{sub_id}/details", bad, page="/en/submit")
    assert response.status_code in (403, 404)
