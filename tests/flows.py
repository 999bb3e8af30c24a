"""Helpers for tests that go through the real forms: CSRF tokens read from the
page, sign-in by the form, mail read back from the outbox."""
from __future__ import annotations

import re
from email.message import EmailMessage

from hub.services import users
from hub.services.mail import read_outbox

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
LINK_RE = re.compile(r"https?://\S+")


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def csrf(client, path: str = "/en/login") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def sign_in(client, email: str, password: str, next_url: str | None = None):
    token = csrf(client)
    url = "/en/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def post_form(client, path: str, data: dict, *, page: str | None = None, **kwargs):
    """POST ``data`` to ``path`` with the CSRF token of ``page`` (default: the same path)."""
    data = dict(data)
    data.setdefault("csrf_token", csrf(client, page or path))
    return client.post(path, data=data, **kwargs)


def outbox(app) -> list[EmailMessage]:
    users.wait_for_password_resets()  # they are answered off the request
    return read_outbox(app.config["OUTBOX_DIR"])


def mail_to(app, address: str) -> list[EmailMessage]:
    return [m for m in outbox(app) if m["To"] == address]


def body_of(message: EmailMessage) -> str:
    return message.get_content()


def links_in(message: EmailMessage) -> list[str]:
    return LINK_RE.findall(body_of(message))


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
