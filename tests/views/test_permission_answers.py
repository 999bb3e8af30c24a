"""The admin and review pages answer each role as they always did now that the
services alone decide who may act: the same request by each role gets the
same status, and a refused one changes nothing."""
from __future__ import annotations

import pytest

from hub.extensions import db
from hub.models import User
from hub.services import drafts, submissions
from tests.flows import csrf, outbox

COMPLETE = {
    "title": "Hiring Without Bias", "summary": "What employers can change.", "type": "guide",
    "racism_types": ["systemic"], "audiences": ["employers"], "topics": "hiring", "language": "en",
    "organization": "Peel LIP", "published": "2024", "region": "on", "access": "public", "body": "## Steps",
}

#: role -> (people page, invite, invalid invite, role change, unknown role, nobody, own role, activity)
ADMIN_ANSWERS = {
    "member": (403, 403, 403, 403, 403, 403, 403, 403),
    "editor": (403, 403, 403, 403, 403, 403, 403, 403),
    "admin": (200, 302, 422, 302, 302, 404, 302, 302),
}


@pytest.mark.parametrize("role", sorted(ADMIN_ANSWERS))
def test_admin_requests_answer_each_role_as_before(app, client, make_user, login_as, role):
    person = login_as(make_user(role))
    victim = make_user(email="victim@example.org")
    token = csrf(client, "/en/account")

    def post(path: str, **data) -> int:
        return client.post(path, data={**data, "csrf_token": token}).status_code

    answers = (
        client.get("/en/admin/users").status_code,
        post("/en/admin/users/invite", email="new@example.org", role="member"),
        post("/en/admin/users/invite", email="", role="member"),
        post(f"/en/admin/users/{victim.id}/role", role="editor"),
        post(f"/en/admin/users/{victim.id}/role", role="overlord"),
        post("/en/admin/users/999999/role", role="editor"),
        post(f"/en/admin/users/{person.id}/role", role="member"),
        post(f"/en/admin/users/{person.id}/active", active="0"),
    )
    assert answers == ADMIN_ANSWERS[role]
    db.session.expire_all()
    after = db.session.get(User, victim.id)
    assert after.role == ("editor" if role == "admin" else "member")
    assert db.session.get(User, person.id).role == role and db.session.get(User, person.id).active
    invited = db.session.query(User).filter_by(email="new@example.org").one_or_none()
    assert (invited is not None) == (role == "admin")
    if role != "admin":
        assert outbox(app) == []


def test_refusals_an_admin_meets_are_said_on_the_page(client, make_user, login_as):
    admin = login_as(make_user("admin"))
    victim = make_user(email="victim@example.org")
    token = csrf(client, "/en/account")
    client.post(f"/en/admin/users/{victim.id}/role", data={"role": "overlord", "csrf_token": token})
    assert "role must be one of" in client.get("/en/admin/users").get_data(as_text=True)
    client.post(f"/en/admin/users/{admin.id}/active", data={"active": "0", "csrf_token": token})
    assert "You cannot change your own role" in client.get("/en/admin/users").get_data(as_text=True)
    client.post(f"/fr/admin/users/{admin.id}/active", data={"active": "0", "csrf_token": token})
    assert "votre propre rôle" in client.get("/fr/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("author", 403), ("member", 404),
                                          ("editor", 200), ("admin", 200)])
def test_the_review_page_answers_each_role_as_before(app, client, make_user, login_as, role, status):
    author = make_user("member")
    result = drafts.save_submission(author, None, dict(COMPLETE), intent="submit")
    assert result.submitted, result.all_problems
    sub_id = result.submission.id
    if role == "author":
        login_as(author)
    elif role != "anonymous":
        login_as(make_user(role))
    assert client.get(f"/en/review/{sub_id}").status_code == status
    # The pages an editor acts from refuse the same people the same way.
    if role in ("author", "member"):
        token = csrf(client, "/en/account")
        for path in (f"/en/review/{sub_id}", f"/en/review/{sub_id}/details", f"/en/review/{sub_id}/translation"):
            data = {"csrf_token": token, "version": str(result.submission.version), "action": "publish"}
            assert client.post(path, data=data).status_code == status, path
        db.session.expire_all()
        assert submissions.get_submission(author, sub_id).state == "submitted"
