"""The editors' request queue: "Ask the working group for a resource on this".

Anyone may ask, signed in or not; the request holds what they need and,
only if they chose to give it, an address for the reply. The address is
erased as soon as the request is settled (linked to a resource or closed),
so the queue never becomes a mailing list.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import Resource, ResourceRequest
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.services.gaps import normalise_query
from hub.services.uow import UnitOfWork, unit_of_work

MAX_NEED = 2000
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
FINAL_STATES = ("linked", "closed")


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 320 or not EMAIL_RE.match(email):
        raise ValidationFailed(gettext("Enter an e-mail address such as name@example.org, or leave it empty."),
                               field="email")
    return email


def create_request(need: str, *, email: str | None = None, query: str = "", language: str = "en",
                   uow: UnitOfWork | None = None) -> ResourceRequest:
    """Queue a request. Nothing about the asker is stored but what they typed."""
    need = (need or "").strip()
    if not need:
        raise ValidationFailed(gettext("Say what you are looking for."), field="need")
    if len(need) > MAX_NEED:
        raise ValidationFailed(gettext("Keep it under %(n)d characters.", n=MAX_NEED), field="need")
    with unit_of_work(uow):
        request = ResourceRequest(need=need, email=_clean_email(email), query=normalise_query(query),
                                  language=language if language in ("en", "fr") else "en")
        db.session.add(request)
        db.session.flush()
        return request


def list_requests(user, *, status: str | None = "open") -> list[ResourceRequest]:
    """Newest first. ``status`` "open" shows what still needs an editor
    (open and answered), None shows everything."""
    require(user, Action.REQUEST_HANDLE)
    stmt = select(ResourceRequest).order_by(ResourceRequest.created_at.desc(), ResourceRequest.id.desc())
    if status == "open":
        stmt = stmt.where(ResourceRequest.status.in_(("open", "answered")))
    elif status:
        stmt = stmt.where(ResourceRequest.status == status)
    return list(db.session.scalars(stmt))


def count_pending() -> int:
    return db.session.scalar(select(func.count(ResourceRequest.id))
                             .where(ResourceRequest.status.in_(("open", "answered")))) or 0


def get_request(user, request_id: int) -> ResourceRequest:
    require(user, Action.REQUEST_HANDLE)
    request = db.session.get(ResourceRequest, request_id)
    if request is None:
        raise NotFound()
    return request


def _open_request(user, request_id: int) -> ResourceRequest:
    request = get_request(user, request_id)
    if request.status in FINAL_STATES:
        raise ValidationFailed(gettext("This request is already settled."))
    return request


def answer_request(user, request_id: int, reply: str, *, uow: UnitOfWork | None = None) -> ResourceRequest:
    """Reply without settling: the requester is mailed (if they left an
    address) and the request stays in the queue until linked or closed."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationFailed(gettext("Write the answer."), field="reply")
    with unit_of_work(uow) as work:
        request = _open_request(user, request_id)
        request.reply = reply
        request.status = "answered"
        request.handled_at = utcnow()
        _mail_requester(work, request, resource=None)
        return request


def link_request(user, request_id: int, slug: str, *, note: str = "",
                 uow: UnitOfWork | None = None) -> ResourceRequest:
    """Settle a request with a resource that answers it; the requester is
    mailed its address, then their own address is erased."""
    slug = (slug or "").strip().strip("/").rsplit("/", 1)[-1]
    with unit_of_work(uow) as work:
        request = _open_request(user, request_id)
        resource = db.session.scalar(select(Resource).where(Resource.slug == slug))
        if resource is None or resource.status != "published":
            raise ValidationFailed(gettext("No published resource has the identifier “%(slug)s”.", slug=slug),
                                   field="slug")
        request.resource_id = resource.id
        if note.strip():
            request.reply = note.strip()
        request.status = "linked"
        request.handled_at = utcnow()
        _mail_requester(work, request, resource=resource)
        request.email = None
        return request


def close_request(user, request_id: int, *, note: str = "", uow: UnitOfWork | None = None) -> ResourceRequest:
    """Settle a request without a resource (out of scope, duplicate, spam).
    A note, if written, is mailed; the address is erased either way."""
    with unit_of_work(uow) as work:
        request = _open_request(user, request_id)
        request.status = "closed"
        request.handled_at = utcnow()
        if note.strip():
            request.reply = note.strip()
            _mail_requester(work, request, resource=None)
        request.email = None
        return request


# -- mail ---------------------------------------------------------------------
@dataclass
class _Mail:
    to: str
    subject: str
    body: str


def _mail_requester(work: UnitOfWork, request: ResourceRequest, *, resource: Resource | None) -> None:
    if not request.email:
        return
    with force_locale(request.language):
        subject = gettext("Your request to the Anti-Racism Working Group")
        lines = [gettext("You asked the hub's working group for a resource:"), "", f"> {request.need}", ""]
        if request.reply:
            lines += [request.reply, ""]
        if resource is not None:
            lines += [gettext("This resource answers your request:"), resource.title,
                      _page_url(resource.slug, request.language), ""]
        lines.append(gettext("Your e-mail address is deleted from the hub once your request is settled."))
    mail = _Mail(request.email, subject, "\n".join(lines))
    request.notified = True
    work.on_commit(lambda: _send(mail))


def _send(mail: _Mail) -> None:
    send_mail(mail.to, mail.subject, mail.body)


def _page_url(slug: str, lang: str) -> str:
    """The resource page's full address (from a CLI or test: the configured server name, else localhost)."""
    if has_request_context():
        return url_for("resources.show", slug=slug, lang=lang, _external=True)
    with current_app.test_request_context():
        return url_for("resources.show", slug=slug, lang=lang, _external=True)


def send_mail(to: str, subject: str, body: str) -> Path:
    """Write the message to ``OUTBOX_DIR`` as an .eml file. Stand-in until the
    accounts work brings the shared mail service (SMTP when configured)."""
    msg = EmailMessage()
    msg["From"] = current_app.config.get("MAIL_SENDER", "hub@localhost")
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(msg))
    return path
