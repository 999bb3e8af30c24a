"""API tokens through the service: stored hashed, shown once, revoked for good."""
import hashlib

import pytest
from sqlalchemy import select

from hub.errors import NotFound, PermissionDenied, ValidationFailed
from hub.extensions import db
from hub.models import ApiToken
from hub.security.auth import user_for_token
from hub.services import tokens


def test_a_token_is_stored_only_as_a_digest(make_user):
    member = make_user("member")
    token, secret = tokens.create_token(member, "  Municipal   portal ")
    assert token.name == "Municipal portal"
    assert secret.startswith("hub_") and len(secret) > 40
    row = db.session.scalar(select(ApiToken).where(ApiToken.id == token.id))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(v) for v in row.__dict__.values()}
    assert secret.startswith(row.prefix) and len(row.prefix) < 12
    assert user_for_token(secret) == member
    assert row.last_used_at is not None


def test_revoked_unknown_and_inactive_tokens_give_nobody(make_user):
    member = make_user("member")
    token, secret = tokens.create_token(member, "Portal")
    assert [t.id for t in tokens.list_tokens(member)] == [token.id]
    tokens.revoke_token(member, token.id)
    assert user_for_token(secret) is None
    assert tokens.list_tokens(member) == []
    assert user_for_token("hub_" + "x" * 43) is None
    assert user_for_token("") is None
    _other, other_secret = tokens.create_token(member, "Other")
    member.active = False
    db.session.commit()
    assert user_for_token(other_secret) is None


def test_only_the_holder_may_revoke(make_user):
    alice, bob = make_user("member"), make_user("editor")
    token, secret = tokens.create_token(alice, "Portal")
    with pytest.raises(NotFound):
        tokens.revoke_token(bob, token.id)
    with pytest.raises(NotFound):
        tokens.revoke_token(alice, 999_999)
    assert user_for_token(secret) == alice
    tokens.revoke_token(alice, token.id)
    with pytest.raises(NotFound):  # revoking twice
        tokens.revoke_token(alice, token.id)


def test_names_are_required_and_bounded(make_user):
    member = make_user("member")
    with pytest.raises(ValidationFailed):
        tokens.create_token(member, "   ")
    with pytest.raises(ValidationFailed):
        tokens.create_token(member, "x" * 101)
    with pytest.raises(PermissionDenied):
        tokens.create_token(None, "Anonymous")


def test_the_number_of_active_tokens_is_capped(make_user):
    member = make_user("member")
    made = [tokens.create_token(member, f"t{n}")[0] for n in range(tokens.MAX_ACTIVE_TOKENS)]
    with pytest.raises(ValidationFailed):
        tokens.create_token(member, "one too many")
    tokens.revoke_token(member, made[0].id)
    tokens.create_token(member, "replacement")
