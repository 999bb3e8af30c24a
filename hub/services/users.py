"""Accounts: creating people and checking their passwords."""
from __future__ import annotations

from sqlalchemy import func, select

from hub.errors import Conflict, ValidationFailed
from hub.extensions import db
from hub.models import User
from hub.models.user import ROLES
from hub.security.auth import hash_password
from hub.services.uow import UnitOfWork, unit_of_work

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
