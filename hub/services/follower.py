"""Keeps this process's machine following the database's change log between
searches, so a change made on another machine is searchable here within a
second even before anyone searches.

One daemon thread per worker process, started by the first request the
process serves (never in gunicorn's master, which forks the workers). On
PostgreSQL it waits on ``LISTEN hub_changes`` (each commit that changes what
is indexed notifies it, ``indexing.log_changes``) and polls as a fallback;
on SQLite, which has one machine, polling is the only way. Several processes
of one machine may wake together: ``follow_changes`` lets one apply and the
others find their shared index up to date.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING

from flask import Flask

from hub.background import KeyedThreads
from hub.extensions import db
from hub.services import indexing

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
#: How often the follower looks for changes without being woken.
DEFAULT_POLL_SECONDS = 1.0

_followers = KeyedThreads("hub-index-follower")


def init_app(app: Flask) -> None:
    """Start the follower with the first request of each process, when enabled
    (``SEARCH_FOLLOW``; off in the tests' in-process app, which call
    ``follow_changes`` themselves)."""
    if not app.config.get("SEARCH_FOLLOW", True):
        return

    @app.before_request
    def _start_follower() -> None:
        ensure_started(app)


def ensure_started(app: Flask) -> threading.Thread:
    return _followers.ensure((os.getpid(), id(app)), _run, app)


def _run(app: Flask) -> None:
    poll = float(app.config.get("SEARCH_FOLLOW_POLL_SECONDS", DEFAULT_POLL_SECONDS))
    with app.app_context():
        waiter = _ChangeWaiter(poll)
        while True:
            waiter.wait()
            try:
                outcome = indexing.follow_changes()
                if outcome in ("missing", "too-far"):
                    indexing.rebuild_in_background()
            except Exception:  # logged; the next wake-up or search tries again
                log.exception("following the change log failed")
                time.sleep(poll)
            finally:
                db.session.remove()


class _ChangeWaiter:
    """Blocks until a change may have been committed: a notification on
    PostgreSQL (or the poll interval), the poll interval elsewhere."""

    def __init__(self, poll: float) -> None:
        self.poll = poll
        self.conn: psycopg.Connection | None = None
        self.postgres = db.engine.dialect.name == "postgresql"

    def wait(self) -> None:
        if not self.postgres:
            time.sleep(self.poll)
            return
        try:
            if self.conn is None or self.conn.closed:
                self.conn = self._listen()
            for _ in self.conn.notifies(timeout=self.poll, stop_after=1):
                pass
        except Exception:  # the database went away: poll until it is back
            log.warning("change notifications unavailable; polling", exc_info=True)
            self.conn = None
            time.sleep(self.poll)

    def _listen(self):
        import psycopg

        url = db.engine.url.set(drivername="postgresql")
        conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        conn.execute(f"LISTEN {indexing.CHANGES_CHANNEL}")
        return conn
