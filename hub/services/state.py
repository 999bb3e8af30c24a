"""Read and write the install's key/value facts (``HubState``)."""
from __future__ import annotations

from hub.extensions import db
from hub.models import HubState


def get_state(key: str, default: str | None = None) -> str | None:
    row = db.session.get(HubState, key)
    return row.value if row else default


def set_state(key: str, value: str) -> None:
    """Caller commits (inside a unit of work)."""
    row = db.session.get(HubState, key)
    if row is None:
        db.session.add(HubState(key=key, value=value))
    else:
        row.value = value
