"""Accounts: creating and inviting people, checking and setting passwords,
one-time links, roles and deactivation."""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update

from hub.content.validation import Problem
from hub.errors import Conflict, NotFound, ValidationFailed
from hub.extensions import db
from hub.models import PasswordLink, User
from hub.models._types import utcnow
from hub.models.user import ROLES
from hub.security.auth import hash_password, verify_password
from hub.security.policy import Action, require
from hub.services.mail import absolute_url, send_mail
from hub.services.uow import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)

MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, role: str = "member", password: str | None = None, name: str = "",
                *, uow: UnitOfWork | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 320 or " " in email:
        raise ValidationFailed(f"'{email}' is not an e-mail address")
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"the password must have at least {MIN_PASSWORD} characters")
    with unit_of_work(uow):
        if get_user_by_email(email) is not None:
            raise Conflict(f"a user with the e-mail {email} already exists")
        user = User(email=email, role=role, name=name,
                    password_hash=hash_password(password) if password else None)
        db.session.add(user)
        db.session.flush()
        return user


# -- signing in --------------------------------------------------------------------
MAX_PASSWORD = 1000
INVITE_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=2)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None. The same
    answer (and about the same time) whether the account is missing, has no
    password yet, is deactivated or the password is wrong."""
    user = get_user_by_email(email) if email else None
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        return None
    with unit_of_work():
        user.last_login_at = utcnow()
    return user


def check_new_password(password: str, confirm: str | None = None) -> list[Problem]:
    problems = []
    if len(password or "") < MIN_PASSWORD:
        problems.append(Problem("password", gettext("The password must have at least %(n)s characters.",
                                                     n=MIN_PASSWORD)))
    elif len(password) > MAX_PASSWORD:
        problems.append(Problem("password", gettext("The password must have at most %(n)s characters.",
                                                     n=MAX_PASSWORD)))
    if confirm is not None and password != confirm:
        problems.append(Problem("confirm", gettext("The two passwords are not the same.")))
    return problems


def _bump_session_version(user: User) -> None:
    """Every session of ``user`` made before this stops working (the session
    loader compares versions). One UPDATE in the database, so it holds for
    every worker and machine, and two at once both count."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(user, ["session_version"])


def end_sessions(user: User) -> None:
    """Sign ``user`` out everywhere: at sign-out, every browser and copied
    cookie of theirs stops opening pages, not only the one signing out."""
    with unit_of_work():
        _bump_session_version(user)


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """Set a new password; every other session of ``user`` ends (the caller
    signs the current one in again with the new session version)."""
    problems = check_new_password(new, confirm)
    if not verify_password(user.password_hash, current or ""):
        problems.insert(0, Problem("current_password", gettext("The current password is not right.")))
    if problems:
        raise ValidationFailed("the password was not changed", problems=problems)
    with unit_of_work():
        user.password_hash = hash_password(new)
        _revoke_links(user)
        _bump_session_version(user)


# -- one-time links: invitations and password resets -----------------------------
def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _revoke_links(user: User, purpose: str | None = None) -> None:
    now = utcnow()
    stmt = select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    if purpose:
        stmt = stmt.where(PasswordLink.purpose == purpose)
    for link in db.session.scalars(stmt):
        link.used_at = now


def _new_link(user: User, purpose: str, valid: timedelta) -> str:
    """A fresh secret for ``user``; earlier unused links of the same purpose stop working."""
    _revoke_links(user, purpose)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(PasswordLink(user_id=user.id, purpose=purpose, token_hash=_token_hash(raw),
                                created_at=now, expires_at=now + valid))
    return raw


def _link(raw: str, lang: str) -> str:
    return absolute_url("account.set_password", token=raw, lang=lang)


def invite_user(actor, email: str, role: str = "member", name: str = "") -> User:
    """Create (or re-invite) an account without a password and mail a link,
    valid 7 days, that lets the person choose one (in English and French:
    we do not know their language yet)."""
    require(actor, Action.USER_MANAGE)
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}",
                               problems=[Problem("role", "choose a role")])
    if "@" not in (email or "") or any(c.isspace() for c in email.strip()) or len(email) > 320:
        raise ValidationFailed("not an e-mail address",
                               problems=[Problem("email", gettext("Enter a valid e-mail address."))])
    with unit_of_work() as work:
        user = get_user_by_email(email)
        if user is None:
            user = create_user(email, role=role, name=(name or "").strip()[:200], uow=work)
        elif user.password_hash:
            raise ValidationFailed(f"{user.email} already has an account",
                                   problems=[Problem("email", gettext("This person already has an account."))])
        else:
            user.role = role
            user.active = True
            if name:
                user.name = name.strip()[:200]
        raw = _new_link(user, "invite", INVITE_VALID)
        bodies = []
        for lang in ("en", "fr"):
            with force_locale(lang):
                bodies.append(gettext(
                    "Hello,\n\n%(inviter)s invites you to the LIP Anti-Racism Resource Hub as %(role)s.\n\n"
                    "Choose your password here (the link works once, for 7 days):\n%(link)s\n\n"
                    "If you did not expect this invitation, you can ignore this message.",
                    inviter=actor.name or actor.email, role=role_label(role), link=_link(raw, lang)))
        send_mail(user.email, "Invitation: LIP Anti-Racism Resource Hub / Carrefour antiracisme des PLI",
                  "\n\n----------\n\n".join(bodies), uow=work)
        return user


#: Reset requests are answered off the request, one at a time per process.
_resets = ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-reset")
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def request_password_reset(email: str, lang: str) -> None:
    """Hand the request to the reset worker and return at once.

    The request does the same work whatever the address: it neither looks the
    address up nor waits for a mail server, so neither the page nor the time
    it takes tells anyone whether the address has an account. The worker
    mails a one-time link (valid 2 hours) only to an active account."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a werkzeug LocalProxy method; Flask types current_app as Flask
    future = _resets.submit(_answer_reset, app, email, lang)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _pending_lock:
        _pending.discard(future)


def wait_for_password_resets(timeout: float = 30.0) -> None:
    """Block until the reset requests handed over so far are answered: for
    tests, which read the mail right after the page. (A process that exits
    normally answers them before it ends: the pool's thread is joined.)"""
    with _pending_lock:
        pending = set(_pending)
    futures.wait(pending, timeout=timeout)


def _answer_reset(app: Flask, email: str, lang: str) -> None:
    with app.app_context():
        try:
            user = get_user_by_email(email) if email and len(email) <= 320 else None
            if user is None or not user.active:
                return
            with unit_of_work() as work:
                raw = _new_link(user, "reset", RESET_VALID)
                with force_locale(lang):
                    subject = gettext("Reset your password: LIP Anti-Racism Resource Hub")
                    body = gettext(
                        "Hello,\n\nSomeone (we hope you) asked to reset the password of %(email)s on the "
                        "LIP Anti-Racism Resource Hub.\n\nChoose a new password here (the link works once, "
                        "for 2 hours):\n%(link)s\n\nIf you did not ask, ignore this message: your password "
                        "stays as it is.", email=user.email, link=_link(raw, lang))
                send_mail(user.email, subject, body, uow=work)
        except Exception:  # nobody waits for this answer: the log must say it failed
            log.exception("the password reset could not be answered")
        finally:
            db.session.remove()


def find_password_link(raw: str) -> PasswordLink | None:
    """The usable link for this secret, or None (unknown, used or expired)."""
    if not raw or len(raw) > 200:
        return None
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _token_hash(raw)))
    if link is None or not link.usable() or link.user is None or not link.user.active:
        return None
    return link


def set_password_with_link(raw: str, password: str, confirm: str) -> User:
    """Use a one-time link: set the password, spend the link (and every other
    open link of that person)."""
    link = find_password_link(raw)
    if link is None:
        raise NotFound("this link is not valid any more")
    problems = check_new_password(password, confirm)
    if problems:
        raise ValidationFailed("the password was not set", problems=problems)
    with unit_of_work():
        user = link.user
        user.password_hash = hash_password(password)
        _revoke_links(user)
        _bump_session_version(user)  # whoever had the old password is signed out
        return user


# -- administration ----------------------------------------------------------------
def role_label(role: str) -> str:
    return {"member": gettext("member"), "editor": gettext("editor"), "admin": gettext("admin")}.get(role, role)


def list_users(actor) -> list[User]:
    require(actor, Action.USER_MANAGE)
    return list(db.session.scalars(select(User).order_by(User.email)))


def pending_invitation(user: User) -> bool:
    return user.password_hash is None


class OwnAccount(Conflict):
    """An admin may not change their own role or deactivate themselves: the
    hub would be left without anyone to undo it. Not a permission refusal (the
    admin may manage people), so the page says it instead of a 403."""


def _managed_user(actor, user_id: int) -> User:
    """Someone else's account; the caller has checked that ``actor`` manages people."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    if user.id == actor.id:
        raise OwnAccount(gettext("You cannot change your own role or deactivate yourself; "
                                 "ask another admin."))
    return user


def set_role(actor, user_id: int, role: str) -> User:
    require(actor, Action.USER_MANAGE)
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}")
    with unit_of_work():
        user = _managed_user(actor, user_id)
        user.role = role
        return user


def set_active(actor, user_id: int, active: bool) -> User:
    """Deactivating signs the person out at their next request (the session
    loader refuses inactive accounts) and spends their open links."""
    require(actor, Action.USER_MANAGE)
    with unit_of_work():
        user = _managed_user(actor, user_id)
        user.active = bool(active)
        if not active:
            _revoke_links(user)
        return user


def editors() -> list[User]:
    """Active editors and admins: who is told about new submissions."""
    return list(db.session.scalars(select(User).where(User.role.in_(("editor", "admin")),
                                                      User.active.is_(True)).order_by(User.id)))
