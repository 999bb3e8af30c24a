"""Personal API tokens: create (shown once), list, revoke."""
from __future__ import annotations

from sqlalchemy import func, select

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import ApiToken
from hub.models._types import utcnow
from hub.security.auth import new_token
from hub.security.policy import Action, can, require
from hub.services.uow import UnitOfWork, unit_of_work

MAX_NAME = 100
#: Enough for every portal a member runs; a cap stops a script from filling the table.
MAX_ACTIVE_TOKENS = 25


def list_tokens(user) -> list[ApiToken]:
    """The member's tokens that still work, newest first."""
    require(user, Action.TOKEN_MANAGE)
    stmt = (select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return list(db.session.scalars(stmt))


def create_token(user, name: str, *, uow: UnitOfWork | None = None) -> tuple[ApiToken, str]:
    """Returns the stored token and the secret to show once; only its digest is kept."""
    require(user, Action.TOKEN_MANAGE)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("Give the token a name.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"The name has at most {MAX_NAME} characters.", field="name")
    with unit_of_work(uow):
        active = db.session.scalar(select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) or 0
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationFailed(f"You already have {MAX_ACTIVE_TOKENS} tokens; revoke one first.",
                                   field="name")
        raw, prefix, digest = new_token()
        token = ApiToken(user_id=user.id, name=name, token_hash=digest, prefix=prefix)
        db.session.add(token)
        db.session.flush()
        return token, raw


def revoke_token(user, token_id: int, *, uow: UnitOfWork | None = None) -> ApiToken:
    """Someone else's token is 'not found', so ids cannot be probed."""
    with unit_of_work(uow):
        token = db.session.get(ApiToken, token_id)
        if token is None or token.revoked_at is not None or not can(user, Action.TOKEN_MANAGE, token):
            raise NotFound()
        token.revoked_at = utcnow()
        return token
