"""Who is asking: password hashing (Argon2id), the Flask-Login user loader,
and personal API tokens (``Authorization: Bearer <token>`` on /api/)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g, request
from sqlalchemy import or_, select, update
from werkzeug.exceptions import Unauthorized

from hub.extensions import db, login_manager
from hub.models._types import utcnow

_hasher = PasswordHasher()
#: Tokens start with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "hub_"
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


def user_for_token(raw: str):
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
    return token.user


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
def load_user(user_id: str):
    from hub.models import User

    if not str(user_id).isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None
