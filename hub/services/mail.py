"""Outgoing mail: through SMTP when ``HUB_SMTP_URL`` is set, otherwise as
``.eml`` files in ``HUB_DATA_DIR/outbox/`` so a small install (and the tests)
works without a mail server.

Mail is only ever sent after the change it reports has been committed
(``send_mail(..., uow=work)`` queues it on the unit of work), so nobody is
told about something that was rolled back.
"""
from __future__ import annotations

import email.policy
import logging
import os
import smtplib
import ssl
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from hub import canonical
from hub.services.uow import UnitOfWork
from hub.textclean import clean_text

log = logging.getLogger(__name__)


def absolute_url(endpoint: str, **values) -> str:
    """A full address for a link in a message: from ``HUB_BASE_URL`` always,
    never from the Host header of the request that caused the mail (a forged
    one would otherwise put the attacker's host in a reset link)."""
    return canonical.external_url(endpoint, **values)


def build_message(to: str, subject: str, body: str, *, sender: str | None = None,
                  reply_to: str | None = None, html: str | None = None,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    """A plain-text UTF-8 message (with ``html``, plain text and HTML as
    alternatives); headers are folded safely by the stdlib.

    The subject often carries a title someone typed: its line breaks and
    control characters become spaces or go, so it can neither add a header
    nor make the message fail to build. A line break in an address or in an
    extra header (``headers``, e.g. List-Unsubscribe) is refused."""
    for value in (to, reply_to or "", *(headers or {}).values()):
        if "\n" in value or "\r" in value:
            raise ValueError("mail headers cannot contain line breaks")
    subject = " ".join(clean_text(subject, multiline=False).split())
    body = clean_text(body)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = sender or current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=msg["From"].rsplit("@", 1)[-1].strip("> ") or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    if reply_to:
        msg["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset="utf-8")
    if html is not None:
        msg.add_alternative(clean_text(html), subtype="html", charset="utf-8")
    return msg


def send_mail(to: str, subject: str, body: str, *, uow: UnitOfWork | None = None,
              reply_to: str | None = None) -> None:
    """Send now, or, inside a unit of work, right after it commits."""
    msg = build_message(to, subject, body, reply_to=reply_to)
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a werkzeug LocalProxy method; Flask types current_app as Flask

    def deliver_later() -> None:
        with app.app_context():
            deliver(msg)

    if uow is not None:
        uow.on_commit(deliver_later)
    else:
        deliver(msg)


def deliver(msg: EmailMessage) -> None:
    url = current_app.config.get("SMTP_URL")
    if url:
        _send_smtp(url, msg)
    else:
        _write_outbox(Path(current_app.config["OUTBOX_DIR"]), msg)


def _write_outbox(outbox: Path, msg: EmailMessage) -> Path:
    """One file per message, written atomically so a reader never sees half of one."""
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    fd, tmp = tempfile.mkstemp(dir=outbox, prefix=".tmp-", suffix=".eml")
    with os.fdopen(fd, "wb") as fh:
        fh.write(msg.as_bytes())
    final = outbox / f"{stamp}-{Path(tmp).stem.removeprefix('.tmp-')}.eml"
    os.replace(tmp, final)
    log.info("mail to %s written to %s", msg["To"], final)
    return final


def _send_smtp(url: str, msg: EmailMessage) -> None:
    """``smtp://user:pass@host:587`` (STARTTLS unless ``?starttls=no``) or
    ``smtps://user:pass@host:465`` (TLS from the start)."""
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = parts.hostname or "localhost"
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=30, context=context)
    elif parts.scheme == "smtp":
        server = smtplib.SMTP(host, parts.port or 587, timeout=30)
    else:
        raise ValueError("HUB_SMTP_URL must start with smtp:// or smtps://")
    with server:
        if parts.scheme == "smtp" and options.get("starttls", "yes") != "no":
            server.starttls(context=context)
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(msg)


def read_outbox(outbox: str | Path) -> list[EmailMessage]:
    """The messages in the outbox, oldest first (for tests and for a small
    install's operator reading mail by hand)."""
    folder = Path(outbox)
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml")):
        with open(path, "rb") as fh:
            messages.append(email.message_from_binary_file(fh, policy=email.policy.default))
    return messages
