"""The request queue: readers ask, editors answer, link or close."""
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

import pytest

from hub.errors import PermissionDenied, ValidationFailed
from hub.services import resource_requests as rr


def outbox(app):
    folder = Path(app.config["OUTBOX_DIR"])
    return [message_from_bytes(p.read_bytes(), policy=email_policy) for p in sorted(folder.glob("*.eml"))] \
        if folder.exists() else []


def test_a_request_keeps_only_what_was_typed(app):
    req = rr.create_request("  A guide on anti-Asian racism for rural libraries ", email="",
                            query="Rural  LIBRARIES anti-asian", language="fr")
    assert (req.need, req.email, req.query, req.language, req.status) == (
        "A guide on anti-Asian racism for rural libraries", None, "rural libraries anti-asian", "fr", "open")
    with pytest.raises(ValidationFailed):
        rr.create_request("   ")
    with pytest.raises(ValidationFailed):
        rr.create_request("x" * (rr.MAX_NEED + 1))
    with pytest.raises(ValidationFailed):
        rr.create_request("something", email="not an address")


def test_answer_mails_the_requester_and_keeps_the_request_open(app, make_user):
    editor = make_user(role="editor")
    req = rr.create_request("Training on Islamophobia", email="asker@example.org", language="en")
    rr.answer_request(editor, req.id, "We are writing one; expect it in the spring.")
    assert req.status == "answered" and req.email == "asker@example.org" and req.notified
    [mail] = outbox(app)
    assert mail["To"] == "asker@example.org"
    assert "expect it in the spring" in mail.get_content() and "Training on Islamophobia" in mail.get_content()
    assert [r.id for r in rr.list_requests(editor)] == [req.id]  # still waiting for a resource


def test_linking_mails_the_resource_in_the_requesters_language_then_forgets_the_address(app, make_user,
                                                                                      make_resource):
    editor = make_user(role="editor")
    make_resource(slug="guide-islamophobie", title="Guide sur l'islamophobie", language="fr")
    req = rr.create_request("Un guide sur l'islamophobie", email="asker@example.org", language="fr")
    with pytest.raises(ValidationFailed):
        rr.link_request(editor, req.id, "no-such-resource")
    rr.link_request(editor, req.id, "/fr/resources/guide-islamophobie", note="Le voici.")
    assert (req.status, req.email, req.resource.slug) == ("linked", None, "guide-islamophobie")
    [mail] = outbox(app)
    body = mail.get_content()
    assert "/fr/resources/guide-islamophobie" in body and "Le voici." in body
    assert mail["Subject"] == "Votre demande au groupe de travail contre le racisme"
    assert rr.list_requests(editor) == [] and [r.id for r in rr.list_requests(editor, status="linked")] == [req.id]
    with pytest.raises(ValidationFailed):  # settled requests stay settled
        rr.close_request(editor, req.id)


def test_closing_without_a_note_sends_nothing_and_erases_the_address(app, make_user):
    editor = make_user(role="editor")
    req = rr.create_request("spam spam", email="asker@example.org")
    rr.close_request(editor, req.id)
    assert (req.status, req.email, req.notified) == ("closed", None, False)
    assert outbox(app) == []


def test_without_an_address_nobody_is_mailed(app, make_user, make_resource):
    editor = make_user(role="editor")
    make_resource(slug="r1")
    req = rr.create_request("something")
    rr.link_request(editor, req.id, "r1")
    assert req.status == "linked" and not req.notified and outbox(app) == []


def test_only_editors_handle_requests(app, make_user):
    req = rr.create_request("something")
    for user in (None, make_user(role="member")):
        with pytest.raises(PermissionDenied):
            rr.list_requests(user)
        with pytest.raises(PermissionDenied):
            rr.close_request(user, req.id)
