"""Editors editing published resources directly, and HTML typed into any field
shown as text on every page that shows it."""
from __future__ import annotations

from tests.conftest import PASSWORD
from tests.flows import mail_to, post_form, sign_in


def test_an_editor_edits_a_published_resource_and_the_history_keeps_both(app, client, make_user, make_resource):
    make_resource(slug="hiring-guide", title="Hiring Guide", summary="Before.")
    editor = make_user("editor")
    sign_in(client, editor.email, PASSWORD)
    form = client.get("/en/submit/edit/hiring-guide").get_data(as_text=True)
    assert 'value="Hiring Guide"' in form and "Publish now" in form
    data = {"title": "Hiring Guide", "type": "toolkit", "summary": "After.", "racism_types": ["anti-black", "systemic"],
            "audiences": ["employers", "lip-staff"], "topics": "hiring, workplace policy", "language": "en",
            "organization": "Calgary Local Immigration Partnership", "published": "2022-03-15", "region": "ab",
            "access": "public", "body": "## Why\n\nBecause fairness matters.", "action": "publish"}
    resp = post_form(client, "/en/submit/edit/hiring-guide", data)
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/resources/hiring-guide"
    assert "After." in client.get("/en/resources/hiring-guide").get_data(as_text=True)
    history = client.get("/en/review/resources/hiring-guide/history").get_data(as_text=True)
    assert "Edited" in history and "As imported" in history and "Summary" in history
    assert editor.email in history
    assert mail_to(app, editor.email) == []  # nobody mails themselves


def test_html_typed_in_fields_is_shown_as_text_everywhere(app, client, make_user):
    author, editor = make_user(), make_user("editor")
    sign_in(client, author.email, PASSWORD)
    evil = '<img src=x onerror="alert(1)">Title'
    resp = post_form(client, "/en/submit", {
        "title": evil, "summary": "<script>alert(2)</script>", "type": "guide", "racism_types": ["systemic"],
        "audiences": ["youth"], "language": "en", "organization": "<b>Org</b>", "published": "2024", "region": "on",
        "access": "public", "body": "<script>alert(3)</script>text", "action": "submit"}, page="/en/submit")
    assert resp.status_code == 302
    sub_page = client.get(resp.headers["Location"]).get_data(as_text=True)
    mine = client.get("/en/submissions").get_data(as_text=True)
    editor_client = app.test_client()
    sign_in(editor_client, editor.email, PASSWORD)
    queue = editor_client.get("/en/review").get_data(as_text=True)
    sub_id = resp.headers["Location"].rsplit("/", 1)[-1]
    review = editor_client.get(f"/en/review/{sub_id}").get_data(as_text=True)
    for page in (sub_page, mine, queue, review):
        assert "<img src=x" not in page and "<script>alert" not in page and "<b>Org</b>" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Title" in review
    assert "&lt;b&gt;Org&lt;/b&gt;" in review
    # The mail is plain text: the title arrives as typed, not as markup to render.
    assert evil in mail_to(app, author.email)[-1].get_content()
