"""The one permission policy: every page, search, feed, API call and download
asks it, so no channel can show what another hides.

It answers two questions that must always agree: ``can(user, action, obj)``
for one object, and ``read_labels(user)`` / ``labels_for(resource)`` for
search, where each indexed document carries the labels of who may read it and
every query filters on the reader's labels.
"""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from hub.errors import NotFound, PermissionDenied


class Action(StrEnum):
    RESOURCE_READ = "resource:read"
    RESOURCE_EDIT = "resource:edit"
    RESOURCE_IMPORT = "resource:import"
    SUBMISSION_CREATE = "submission:create"
    SUBMISSION_READ = "submission:read"
    SUBMISSION_EDIT = "submission:edit"
    SUBMISSION_REVIEW = "submission:review"
    USER_MANAGE = "user:manage"
    INSIGHT_READ = "insight:read"
    ASSESSMENT_SAVE = "assessment:save"
    ASSESSMENT_READ_SAVED = "assessment:read-saved"
    ASSESSMENT_STATS = "assessment:stats"
    REQUEST_HANDLE = "request:handle"
    TOKEN_MANAGE = "token:manage"  # noqa: S105 - an action name, not a secret
    SUBMISSION_COMMENT = "submission:comment"
    SUBMISSION_WITHDRAW = "submission:withdraw"
    HISTORY_READ = "history:read"
    ROUND_CREATE = "assessment-round:create"
    ROUND_ANSWER = "assessment-round:answer"
    ROUND_MANAGE = "assessment-round:manage"
    SEARCH_FOLLOW = "saved-search:create"
    SEARCH_MANAGE = "saved-search:manage"


def _role(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return "anonymous"
    return getattr(user, "role", "member") or "member"


def is_editor(user: Any) -> bool:
    return _role(user) in ("editor", "admin")


def read_labels(user: Any) -> frozenset[str]:
    """The labels a reader may see in search: matched against ``labels_for``."""
    role = _role(user)
    if role == "anonymous":
        return frozenset({"public"})
    labels = {"public", "members", f"author-{user.id}"}
    if role in ("editor", "admin"):
        labels.add("editors")
    return frozenset(labels)


def labels_for(obj: Any) -> frozenset[str]:
    """Who may read this resource or submission, as index labels."""
    status = getattr(obj, "status", "published")
    if status == "published":
        return frozenset({"members"} if getattr(obj, "access", "public") == "members" else {"public"})
    labels = {"editors"}
    author_id = getattr(obj, "author_id", None)
    if author_id is not None:
        labels.add(f"author-{author_id}")
    return frozenset(labels)


def _read(user: Any, obj: Any) -> bool:
    return bool(labels_for(obj) & read_labels(user))


def _signed_in(user: Any, obj: Any = None) -> bool:
    return _role(user) != "anonymous"


def _editor(user: Any, obj: Any = None) -> bool:
    return is_editor(user)


def _admin(user: Any, obj: Any = None) -> bool:
    return _role(user) == "admin"


def _author_or_editor(user: Any, obj: Any) -> bool:
    if is_editor(user):
        return True
    return _role(user) != "anonymous" and getattr(obj, "author_id", None) == user.id


def _owner(user: Any, obj: Any) -> bool:
    """Personal records (a saved self-assessment result, a saved search): their
    owner only, not even editors."""
    return _role(user) != "anonymous" and obj is not None and getattr(obj, "user_id", None) == user.id


def _own_token(user: Any, token: Any = None) -> bool:
    """Any signed-in person may hold API tokens; only the holder may revoke one."""
    if _role(user) == "anonymous":
        return False
    return token is None or getattr(token, "user_id", None) == user.id


def _author(user: Any, obj: Any) -> bool:
    """The author alone: changing or withdrawing a submission is theirs to do."""
    return _role(user) != "anonymous" and obj is not None and getattr(obj, "author_id", None) == user.id


def _round_owner(user: Any, team_round: Any) -> bool:
    """A team round's results, closing, sharing and deleting: its owner only.
    Editors neither: colleagues answered for the owner, not for the hub."""
    return _role(user) != "anonymous" and team_round is not None and getattr(team_round, "owner_id", None) == user.id


def _round_open(user: Any, team_round: Any) -> bool:
    """Anyone holding an open round's link may answer, signed in or not: the
    link (an unguessable token) is the permission."""
    return team_round is not None and getattr(team_round, "closed_at", None) is None


RULES: dict[Action, Callable[[Any, Any], bool]] = {
    Action.RESOURCE_READ: _read,
    Action.RESOURCE_EDIT: _editor,
    Action.RESOURCE_IMPORT: _editor,
    Action.SUBMISSION_CREATE: _signed_in,
    Action.SUBMISSION_READ: _author_or_editor,
    Action.SUBMISSION_EDIT: _author,
    Action.SUBMISSION_REVIEW: _editor,
    Action.USER_MANAGE: _admin,
    Action.INSIGHT_READ: _editor,
    Action.ASSESSMENT_SAVE: _signed_in,
    Action.ASSESSMENT_READ_SAVED: _owner,
    Action.ASSESSMENT_STATS: _editor,
    Action.REQUEST_HANDLE: _editor,
    Action.TOKEN_MANAGE: _own_token,
    Action.SUBMISSION_COMMENT: _author_or_editor,
    Action.SUBMISSION_WITHDRAW: _author,
    Action.HISTORY_READ: _editor,
    Action.ROUND_CREATE: _signed_in,
    Action.ROUND_ANSWER: _round_open,
    Action.ROUND_MANAGE: _round_owner,
    Action.SEARCH_FOLLOW: _signed_in,
    Action.SEARCH_MANAGE: _owner,
}


def can(user: Any, action: Action, obj: Any = None) -> bool:
    return RULES[action](user, obj)


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Raise when refused. Reading something hidden raises NotFound, not
    PermissionDenied, so a direct URL cannot reveal that it exists."""
    if can(user, action, obj):
        return
    if action in (Action.RESOURCE_READ, Action.SUBMISSION_READ, Action.ASSESSMENT_READ_SAVED,
                  Action.ROUND_MANAGE, Action.SEARCH_MANAGE):
        raise NotFound()
    raise PermissionDenied()
