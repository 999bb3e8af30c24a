"""Who is asking: password hashing (Argon2id), the Flask-Login user loader,
and personal API tokens (``Authorization: Bearer <token>`` on /api/)."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g, request
from sqlalchemy import or_, select, update
from werkzeug.exceptions import Unauthorized

from hub.extensions import db, login_manager
from hub.models._types import utcnow

if TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue
    from limits import RateLimitItem

    from hub.models import User

_hasher = PasswordHasher()
#: Tokens start with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "hub_"  # noqa: S105 - a public marker, not a secret
#: How often the "last used" date of a token is written; not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Spend the same time as a real check so a missing account is not revealed by timing.
        _hasher.hash(password or "x")
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# -- API tokens ------------------------------------------------------------------
def new_token() -> tuple[str, str, str]:
    """A fresh token: (the token to show once, its display prefix, its digest to store)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, raw[: len(TOKEN_PREFIX) + 6], token_digest(raw)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def user_for_token(raw: str) -> User | None:
    """The active member holding this unrevoked token, or None. Records when
    the token was last used, at most every few minutes."""
    from hub.models import ApiToken

    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(raw)))
    if token is None or token.revoked_at is not None or token.user is None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USED_RESOLUTION),
        ).values(last_used_at=now))
        db.session.commit()
    user: User = token.user  # the relationship is not declared with Mapped[], so typed here
    return user


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header; "" for another scheme."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate_api_request() -> None:
    """Explicit API auth step: a Bearer token makes the request its holder's
    (over any session cookie); a bad, unknown or revoked token is a 401,
    never a silent fall back to the anonymous view."""
    raw = bearer_token()
    if raw is None:
        return
    user = user_for_token(raw)
    if user is None:
        raise Unauthorized("The API token is missing, unknown or revoked."
                           if raw else "Use an 'Authorization: Bearer <token>' header.")
    # What flask_login.login_user does for the request, without touching the session.
    g._login_user = user
    g.api_token_user = user


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account a session names, if that session is still valid: the
    account is active and its session version is the one the session was
    made with ("<id>:<version>"; a bare "<id>" is version 0). Sign-out and a
    password change move the version on in the database, so every copy of an
    older cookie stops working on every worker and machine at once."""
    from hub.models import User

    user_id, _, version = str(session_id).partition(":")
    if not user_id.isdigit() or (version and not version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or int(version or 0) != (user.session_version or 0):
        return None
    return user



# -- sign-in safety: throttling, redirects, cookies ------------------------------
#: Failed sign-ins allowed before sign-in pauses, per account and per address.
DEFAULT_FAILED_LOGIN_LIMITS = {"account": "5 per 15 minutes", "address": "30 per 15 minutes"}


def _failed_login_limit(scope: str) -> RateLimitItem:
    from flask import current_app
    from limits import parse

    key = f"LOGIN_FAILURES_PER_{scope.upper()}"
    return parse(current_app.config.get(key) or DEFAULT_FAILED_LOGIN_LIMITS[scope])


def _throttling_on() -> bool:
    from flask import current_app

    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _login_scopes(email: str, address: str | None) -> Sequence[tuple[str, str]]:
    return (("account", (email or "").strip().lower()), ("address", address or "unknown"))


def reserve_login_attempt(email: str, address: str | None) -> tuple[str, int] | None:
    """Count this sign-in attempt against the account and the address before
    its password is checked, and say whether it may be checked: None if so,
    else ("account" | "address", seconds until the pause ends).

    Counting first, in one atomic statement per limit, is what makes the
    limit hold under concurrency: with "check, then count after the password
    check", sixteen simultaneous guesses all passed the check before any was
    counted. A refused attempt gives its count back, and so does one that
    succeeds (``release_login_attempt``): the counts are of failed (or
    still running) checks. Shared by every worker and machine through the
    database (hub/security/throttle.py)."""
    from hub.security import throttle

    if not _throttling_on():
        return None
    limiter = throttle.rate_limiter()
    taken = []
    for scope, ident in _login_scopes(email, address):
        item = _failed_login_limit(scope)
        ids = ("login-failure", scope, ident)
        allowed = limiter.hit(item, *ids)
        taken.append((item, ids))
        if not allowed:
            reset_at, _ = limiter.get_window_stats(item, *ids)
            throttle.give_back(limiter, taken)
            return scope, max(1, int(reset_at - throttle.now()))
    return None


def release_login_attempt(email: str, address: str | None) -> None:
    """The attempt succeeded: it is not a failure, so its counts are given back."""
    from hub.security import throttle

    if not _throttling_on():
        return
    limiter = throttle.rate_limiter()
    throttle.give_back(limiter, [(_failed_login_limit(scope), ("login-failure", scope, ident))
                                 for scope, ident in _login_scopes(email, address)])


def account_trace(email: str) -> str:
    """How a failed sign-in names its account in the log: an HMAC-SHA256 of
    the normalised address with the secret key (16 hex digits), so repeated
    attacks on one account can be followed and counted without the log ever
    holding the address (or anything a reader could reverse without the key)."""
    from flask import current_app

    from hub.security import throttle

    return throttle.row_key(current_app.config["SECRET_KEY"], "account:" + (email or "").strip().lower())[:16]


def allow_mail_request(kind: str, ident: str, limit: str = "3 per hour") -> bool:
    """Count one request that sends mail (a password reset) and say whether it
    is within ``limit`` for this identity, so nobody can flood an inbox.
    Shared by every worker, like the sign-in throttle."""
    from limits import parse

    from hub.security import throttle

    if not _throttling_on():
        return True
    return throttle.rate_limiter().hit(parse(limit), "mail-request", kind, (ident or "").strip().lower())


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: sign-in never
    sends anyone to another host (no ``//host``, no scheme, no backslashes)."""
    from urllib.parse import urlsplit

    if not target or not isinstance(target, str):
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def init_account_security(app: Flask) -> None:
    """Session cookies are Secure whenever the request came over HTTPS (not only
    when production config says so), and signed-out visitors of a members' page
    go to the sign-in form with a local ``next``."""
    from flask import has_request_context, redirect, request, url_for
    from flask.sessions import SecureCookieSessionInterface
    from werkzeug.exceptions import Unauthorized as _Unauthorized

    class SessionInterface(SecureCookieSessionInterface):
        def get_cookie_secure(self, app: Flask) -> bool:
            configured = bool(app.config.get("SESSION_COOKIE_SECURE"))
            return configured or (has_request_context() and request.is_secure)

    app.session_interface = SessionInterface()

    @login_manager.unauthorized_handler
    def unauthorized() -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            raise _Unauthorized()
        target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
        return redirect(url_for("account.login", next=target))
