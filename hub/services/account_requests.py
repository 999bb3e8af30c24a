"""Requests for an account: anyone may ask; an admin approves (the ordinary
invitation follows) or declines. Either way the request is deleted, so the
hub keeps a person's address only while someone still has to decide."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from hub.content.validation import Problem
from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import AccountRequest, User
from hub.models.user import ROLES
from hub.security.policy import Action, require
from hub.services import users
from hub.services.mail import absolute_url, send_mail
from hub.services.uow import unit_of_work

MAX_REASON = 2000


def request_account(*, email: str, name: str, partnership: str, reason: str, lang: str) -> None:
    """Record a request and tell the admins. Says nothing about whether the
    address already has an account (that would tell a stranger who is a member):
    a request for an existing account is dropped quietly."""
    email = (email or "").strip()
    problems = []
    if "@" not in email or any(c.isspace() for c in email) or len(email) > 320:
        problems.append(Problem("email", gettext("Enter a valid e-mail address.")))
    if not (partnership or "").strip():
        problems.append(Problem("partnership", gettext("Say which partnership or organization you work with.")))
    if len(reason or "") > MAX_REASON:
        problems.append(Problem("reason", gettext("Keep this under %(num)s characters.", num=MAX_REASON)))
    if problems:
        raise ValidationFailed("the account request is incomplete", problems=problems)
    if users.get_user_by_email(email) is not None:
        return
    with unit_of_work() as work:
        found = db.session.scalar(select(AccountRequest).where(AccountRequest.email == users.normalise_email(email)))
        request = found or AccountRequest(email=users.normalise_email(email))
        request.name = " ".join((name or "").split())[:200]
        request.partnership = " ".join(partnership.split())[:200]
        request.reason = (reason or "").strip()
        request.lang = lang if lang in ("en", "fr") else "en"
        if found is None:
            db.session.add(request)
        admins = db.session.scalars(select(User.email).where(User.role == "admin", User.active.is_(True)))
        link = absolute_url("admin.people", lang="en") + "#account-requests"
        for admin in admins:
            send_mail(admin, "Account request: LIP Anti-Racism Resource Hub",
                      f"Someone from {request.partnership} asks for an account.\n\n"
                      f"Approve or decline it here:\n{link}\n", uow=work)


def pending(actor) -> list[AccountRequest]:
    require(actor, Action.USER_MANAGE)
    return list(db.session.scalars(select(AccountRequest).order_by(AccountRequest.created_at, AccountRequest.id)))


def _get(actor, request_id: int) -> AccountRequest:
    require(actor, Action.USER_MANAGE)
    found = db.session.get(AccountRequest, request_id)
    if found is None:
        raise NotFound("no such account request (already decided?)")
    return found


def approve(actor, request_id: int, role: str = "member") -> User:
    """Invite the person (the invitation flow mails them a link) and forget the request."""
    found = _get(actor, request_id)
    if role not in ROLES:
        raise ValidationFailed("unknown role", problems=[Problem("role", gettext("Choose a role."))])
    user = users.invite_user(actor, found.email, role=role, name=found.name)
    with unit_of_work():
        db.session.delete(found)
    return user


def decline(actor, request_id: int) -> str:
    """Forget the request; returns the address so the admin is told whose it was."""
    found = _get(actor, request_id)
    email = found.email
    with unit_of_work():
        db.session.delete(found)
    return email
