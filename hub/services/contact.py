"""The contact form: a message from anyone to the editors' mailbox.

Nothing is stored: the message goes out by mail and is gone from the hub. The
sender's address, when they give one so they can be answered, is only in
that mail's Reply-To. The rate limit counts by a keyed hash of the network
address (hub/security/throttle.py), never the address itself."""
from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale, gettext

from hub.content.validation import Problem
from hub.errors import HubError, ValidationFailed
from hub.services import users
from hub.services.mail import send_mail

log = logging.getLogger(__name__)

TOPICS = ("question", "problem", "resource", "join", "other")
MAX_MESSAGE = 5000


class NoMailbox(HubError):
    """Nobody to write to: no CONTACT_EMAIL and no active editor."""
    status = 503
    code = "no_mailbox"


def topic_label(topic: str) -> str:
    return {"question": gettext("A question about the hub"), "problem": gettext("A problem on a page"),
            "resource": gettext("Suggesting a resource"), "join": gettext("Joining a working group"),
            "other": gettext("Something else")}[topic]


def editors_mailbox() -> list[str]:
    """Where contact messages go: ``CONTACT_EMAIL`` when the install has one,
    else every active editor and admin."""
    configured = current_app.config.get("CONTACT_EMAIL")
    if configured:
        return [configured]
    return [user.email for user in users.editors()]


def send_contact_message(*, topic: str, message: str, name: str = "", email: str = "", lang: str = "en",
                         page: str = "") -> None:
    problems = []
    if topic not in TOPICS:
        problems.append(Problem("topic", gettext("Choose what your message is about.")))
    message = (message or "").strip()
    if not message:
        problems.append(Problem("message", gettext("Write your message.")))
    elif len(message) > MAX_MESSAGE:
        problems.append(Problem("message", gettext("Keep your message under %(num)s characters.",
                                                   num=MAX_MESSAGE)))
    email = (email or "").strip()
    if email and ("@" not in email or any(c.isspace() for c in email) or len(email) > 320):
        problems.append(Problem("email", gettext("Enter a valid e-mail address, or leave it empty.")))
    if problems:
        raise ValidationFailed("the contact message is incomplete", problems=problems)
    recipients = editors_mailbox()
    if not recipients:
        log.error("contact message not sent: set CONTACT_EMAIL or make someone an editor")
        raise NoMailbox("nobody to send it to")
    name = " ".join((name or "").split())[:200]
    with force_locale("en"):  # the editors' mailbox reads English subjects; the message keeps its language
        subject = f"[Hub contact] {topic_label(topic)}"
    lines = [f"From: {name or '(no name given)'}",
             f"Answer to: {email or '(no address given: no reply possible)'}",
             f"Language: {lang}", f"Sent from: {page or '-'}", "", message]
    for recipient in recipients:
        send_mail(recipient, subject, "\n".join(lines), reply_to=email or None)
