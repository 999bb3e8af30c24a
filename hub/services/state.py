"""Read and write the install's key/value facts (``HubState``)."""
from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from hub.extensions import db
from hub.models import HubState


def get_state(key: str, default: str | None = None) -> str | None:
    row = db.session.get(HubState, key)
    return row.value if row else default


def set_state(key: str, value: str) -> None:
    """Caller commits (inside a unit of work).

    A key written for the first time is inserted with ``ON CONFLICT DO
    UPDATE``: two workers (or machines) setting the same new key at once, as
    the first searches of a fresh install do, must not make one of them fail
    on the primary key."""
    row = db.session.get(HubState, key)
    if row is not None:
        row.value = value
        return
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(cast("Table", HubState.__table__)).values(key=key, value=value)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))
