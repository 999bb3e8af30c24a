"""Counts for the sign-in and password-reset throttles, shared by every
worker process and machine.

Flask-Limiter's default storage (``memory://``) keeps counts in each process,
so under gunicorn's 4 workers an attacker would get 4 × 5 guesses per account.
When ``RATELIMIT_STORAGE_URI`` is ``memory://`` these throttles count in the
app's database instead (table ``throttle_counts``, fixed windows, through a
``limits`` storage); when an operator sets a shared store (``redis://`` …)
they go through Flask-Limiter's storage as before.

Rows never hold an e-mail or network address: each is named by an
HMAC-SHA256 of the limit's key with ``SECRET_KEY``. Incrementing is one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (atomic across processes on
SQLite and PostgreSQL: the count returned is the one this hit made, so
"count, then compare" cannot race), in its own short transaction so a count
stands whatever the request does next. Rows of ended windows are deleted
now and then (at most every ``CLEANUP_EVERY`` seconds per process), not
after each write: the API counts every request and must stay fast.

The same table counts the API's per-client limit and the ask form's
(``hit``), so those hold across workers and machines too.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from sqlalchemy import Integer, Table, bindparam, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from hub.models.throttle import ThrottleCount

if TYPE_CHECKING:
    from flask import Flask
    from limits import RateLimitItem

log = logging.getLogger(__name__)
_table = cast("Table", ThrottleCount.__table__)  # declared as the wider FromClause
#: Where the throttle's storage lives on the app.
EXTENSION = "hub.throttle"
#: Seconds between two deletions of ended windows by one process.
CLEANUP_EVERY = 60.0


def now() -> float:
    """The throttles' clock (seconds since the epoch); tests move it."""
    return time.time()


def _as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _as_seconds(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


def row_key(secret: str | bytes, key: str) -> str:
    """The name of a counter's row: HMAC-SHA256 of ``key`` with the secret key."""
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(secret_bytes, key.encode("utf-8"), hashlib.sha256).hexdigest()


class DatabaseStorage(Storage):
    """A ``limits`` storage for fixed windows over the ``throttle_counts``
    table. Not registered under a URI scheme: the app builds it."""

    STORAGE_SCHEME = None

    def __init__(self, engine: Engine, secret: str | bytes, wrap_exceptions: bool = False) -> None:
        if not secret:
            raise ValueError("the throttle needs the app's SECRET_KEY")
        super().__init__(None, wrap_exceptions=wrap_exceptions)
        self.engine = engine
        self._secret = secret
        self._next_cleanup = 0.0
        self._statement: ReturningInsert[Any] | None = None

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def _row(self, key: str) -> str:
        return row_key(self._secret, key)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the count of ``key`` and return the new count; a
        missing or ended window starts again at ``amount`` for ``expiry`` seconds."""
        return self.incr_window(key, expiry, amount)[0]

    def incr_window(self, key: str, expiry: int, amount: int = 1) -> tuple[int, float]:
        """``incr`` that also returns when the window ends (seconds since the
        epoch), from the same statement: one round trip per API request."""
        moment = now()
        current = _as_datetime(moment)
        with self.engine.begin() as conn:
            count, expires_at = conn.execute(self._upsert(), {
                "row": self._row(key), "amount": amount, "ends": _as_datetime(moment + expiry),
                "current": current}).one()
        if moment >= self._next_cleanup:
            self._next_cleanup = moment + CLEANUP_EVERY
            self._delete_ended(current)
        return count, _as_seconds(expires_at)

    def _upsert(self) -> ReturningInsert[Any]:
        """The counting statement, built once: building it for each request
        cost more than running it (about 6 of 8 ms per API call)."""
        if self._statement is None:
            insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
            moment_type = _table.c.expires_at.type
            stmt = insert(_table).values(key=bindparam("row"), count=bindparam("amount", type_=Integer()),
                                         expires_at=bindparam("ends", type_=moment_type))
            live = _table.c.expires_at > bindparam("current", type_=moment_type)
            self._statement = stmt.on_conflict_do_update(index_elements=[_table.c.key], set_={
                # Both expressions read the row as it was before this statement.
                "count": case((live, _table.c.count + stmt.excluded.count), else_=stmt.excluded.count),
                "expires_at": case((live, _table.c.expires_at), else_=stmt.excluded.expires_at),
            }).returning(_table.c.count, _table.c.expires_at)
        return self._statement

    def _delete_ended(self, current: datetime) -> None:
        """Remove rows whose window has ended. Best effort: rows that another
        process is writing are skipped (PostgreSQL), and a failure here never
        fails the request (the rows are tried again at the next write)."""
        ended = select(_table.c.key).where(_table.c.expires_at <= current).with_for_update(skip_locked=True)
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(_table).where(_table.c.key.in_(ended)))
        except SQLAlchemyError as exc:
            log.warning("throttle: could not delete ended counts: %s", exc.__class__.__name__)

    def _live(self, key: str) -> tuple[int, datetime] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(_table.c.count, _table.c.expires_at).where(
                _table.c.key == self._row(key), _table.c.expires_at > _as_datetime(now()))).first()
        return (row[0], row[1]) if row is not None else None  # (Row.count is also a tuple method)

    def get(self, key: str) -> int:
        live = self._live(key)
        return live[0] if live else 0

    def get_expiry(self, key: str) -> float:
        live = self._live(key)
        return _as_seconds(live[1]) if live else now()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(_table)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_table).where(_table.c.key == self._row(key)))


def uses_database(app: Flask) -> bool:
    """Whether the throttles count in the database: yes unless the operator
    set a shared store for Flask-Limiter (anything but ``memory://``)."""
    uri = (app.config.get("RATELIMIT_STORAGE_URI") or "memory://").strip()
    return uri.split(":", 1)[0].lower() == "memory"


def give_back(limiter: RateLimiter, taken: Iterable[tuple[RateLimitItem, Sequence[str]]]) -> None:
    """Undo hits: ``taken`` is a list of (limit item, identifiers) that were
    counted for an attempt that turned out not to count (refused, or a
    sign-in that succeeded)."""
    for item, ids in taken:
        limiter.storage.incr(item.key_for(*ids), item.get_expiry(), amount=-1)


def hit(item: RateLimitItem, *identifiers: str) -> tuple[bool, int, float]:
    """Count one request against ``item`` for ``identifiers``: (allowed,
    remaining, window end in seconds since the epoch). In the database
    unless the operator set a shared store; either way every worker and
    machine counts together."""
    limiter = rate_limiter()
    storage = limiter.storage
    if isinstance(storage, DatabaseStorage):
        count, reset_at = storage.incr_window(item.key_for(*identifiers), item.get_expiry())
        return count <= item.amount, max(0, item.amount - count), reset_at
    allowed = limiter.hit(item, *identifiers)
    reset_at, remaining = limiter.get_window_stats(item, *identifiers)
    return allowed, remaining, reset_at


def allow(limits_text: str, *identifiers: str) -> bool:
    """Count one request against every limit in ``limits_text`` ("5 per
    hour;20 per day") and say whether it is within all of them."""
    from limits import parse_many

    return all(hit(item, *identifiers)[0] for item in parse_many(limits_text))


def rate_limiter() -> RateLimiter:
    """The fixed-window limiter the sign-in and reset throttles count with,
    for the current app."""
    from flask import current_app

    from hub.extensions import db, limiter

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a werkzeug LocalProxy method; Flask types current_app as Flask
    if not uses_database(app):
        return limiter.limiter
    found: RateLimiter | None = app.extensions.get(EXTENSION)
    if found is None:
        found = FixedWindowRateLimiter(DatabaseStorage(db.engine, app.config["SECRET_KEY"]))
        app.extensions[EXTENSION] = found
    return found
