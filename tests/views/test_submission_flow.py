"""The whole flow as people meet it, through the real forms and a real SQLite
database: invite → set password → sign in → draft → submit → changes requested
→ resubmit → publish → found by search, with every mail read from the outbox."""
from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.flows import links_in, mail_to, path_of, post_form, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _submission_id(location: str) -> int:
    return int(re.search(r"/submit/(\d+)", location).group(1))


def _found(client, words: str) -> str:
    return client.get(f"/en/search?q={words}").get_data(as_text=True)


def test_invite_to_published_and_found(app, client, make_user):
    from hub.services import indexing
    indexing.rebuild_index()  # as `hub init` does on a new install
    admin = make_user("admin", email="admin@example.org")
    editor = make_user("editor", email="editor@example.org")

    # An admin invites a new member.
    assert sign_in(client, admin.email, PASSWORD).status_code == 302
    resp = post_form(client, "/en/admin/users/invite", {"email": "Nadia@Example.org", "name": "Nadia",
                                                         "role": "member"}, page="/en/admin/users")
    assert resp.status_code == 302
    invitation = mail_to(app, "nadia@example.org")
    assert len(invitation) == 1 and "7 days" in invitation[0].get_content()
    link = path_of(links_in(invitation[0])[0])
    assert link.startswith("/en/account/set-password/")
    post_form(client, "/en/logout", {}, page="/en/account")

    # She sets her password with the link; the link then stops working.
    page = client.get(link)
    assert page.status_code == 200 and "nadia@example.org" in page.get_data(as_text=True)
    resp = post_form(client, link, {"password": "a long enough secret", "confirm": "a long enough secret"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login")
    assert client.get(link).status_code == 404

    # She signs in and starts a draft with only a title and a file.
    assert sign_in(client, "nadia@example.org", "a long enough secret").status_code == 302
    assert "My submissions" in client.get("/en/").get_data(as_text=True)
    from io import BytesIO
    resp = post_form(client, "/en/submit", {
        "title": "Welcoming Newcomers Without Bias", "body": "## Start\n\nSteps.", "action": "save",
        "files": (BytesIO(PDF), "guide.pdf")}, page="/en/submit", content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    sub_id = _submission_id(resp.headers["Location"])
    page = client.get(f"/en/submit/{sub_id}").get_data(as_text=True)
    assert "Welcoming Newcomers Without Bias" in page and "guide.pdf" in page and "draft" in page

    # Submitting an incomplete draft is refused field by field; nothing typed is lost.
    resp = post_form(client, f"/en/submit/{sub_id}", {
        "title": "Welcoming Newcomers Without Bias", "summary": "How LIPs can welcome newcomers fairly.",
        "body": "## Start\n\nSteps.", "version": _version(page), "action": "submit"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="type-error"' in html and 'id="region-error"' in html and 'id="racism_types-error"' in html
    assert "How LIPs can welcome newcomers fairly." in html and "guide.pdf" in html

    # Complete and submit: the author and the editors are told.
    complete = {
        "title": "Welcoming Newcomers Without Bias", "summary": "How LIPs can welcome newcomers fairly.",
        "type": "guide", "racism_types": ["anti-immigrant", "systemic"], "audiences": ["lip-staff"],
        "topics": "welcome, settlement", "language": "en", "organization": "Peel LIP", "published": "2024",
        "region": "on", "access": "public", "body": "## Start\n\nSteps.", "version": _version(html),
        "action": "submit"}
    resp = post_form(client, f"/en/submit/{sub_id}", complete, page=f"/en/submit/{sub_id}")
    assert resp.status_code == 302
    assert "submitted" in client.get("/en/submissions").get_data(as_text=True)
    assert [m["Subject"] for m in mail_to(app, "nadia@example.org")][-1].startswith("Submission received")
    assert mail_to(app, editor.email)[-1]["Subject"].startswith("To review")

    # An editor asks for changes.
    editor_client = app.test_client()
    sign_in(editor_client, editor.email, PASSWORD)
    queue = editor_client.get("/en/review").get_data(as_text=True)
    assert "Welcoming Newcomers Without Bias" in queue
    review_page = editor_client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    resp = post_form(editor_client, f"/en/review/{sub_id}", {
        "action": "request_changes", "message": "Please add the year's full date.",
        "version": _version(review_page)}, page=f"/en/review/{sub_id}")
    assert resp.status_code == 302
    asked = mail_to(app, "nadia@example.org")[-1]
    assert asked["Subject"].startswith("Changes requested") and "full date" in asked.get_content()

    # She sees the request on "My submissions", changes the date and submits again.
    mine = client.get("/en/submissions").get_data(as_text=True)
    assert "changes requested" in mine and "full date" in mine
    page = client.get(f"/en/submit/{sub_id}").get_data(as_text=True)
    resp = post_form(client, f"/en/submit/{sub_id}", {**complete, "published": "2024-05-01",
                                                      "version": _version(page)}, page=f"/en/submit/{sub_id}")
    assert resp.status_code == 302

    # Nothing is public before publication, not even in search.
    anonymous = app.test_client()
    assert anonymous.get("/en/resources/welcoming-newcomers-without-bias").status_code == 404
    assert "Welcoming Newcomers Without Bias" not in _found(anonymous, "welcoming newcomers")
    assert "Welcoming Newcomers Without Bias" not in _found(editor_client, "welcoming newcomers")

    # The editor publishes: database and index in one step; the author is told.
    review_page = editor_client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    resp = post_form(editor_client, f"/en/review/{sub_id}", {"action": "publish", "message": "",
                                                            "version": _version(review_page)},
                     page=f"/en/review/{sub_id}")
    assert resp.status_code == 302
    published = mail_to(app, "nadia@example.org")[-1]
    assert published["Subject"].startswith("Published")
    page_link = path_of(next(u for u in links_in(published) if "/resources/" in u))
    public_page = anonymous.get(page_link)
    assert public_page.status_code == 200 and "Welcoming Newcomers Without Bias" in public_page.get_data(as_text=True)
    with anonymous.get("/resources/welcoming-newcomers-without-bias/files/guide.pdf") as download:
        assert download.status_code == 200 and download.data == PDF
    # Found by search, as anyone would look for it.
    results = _found(anonymous, "welcoming newcomers")
    assert 'href="/en/resources/welcoming-newcomers-without-bias"' in results


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"|name="version" value="(\d+)"', html).group(0) \
        and (re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)
             or re.search(r'name="version" value="(\d+)"', html)).group(1)
