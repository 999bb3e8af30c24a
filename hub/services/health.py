"""The hub's own view of its health, for monitoring (`GET /healthz`).

Healthy means: the database answers, and the search index answers and is not
behind the database for longer than the grace period (the freshness check
has had its chance to repair it first: a missing index is rebuilt, waiting
at most a few seconds; a lagging one is rebuilt in the background).
Nothing here reveals a secret, a path or a resource title:
only engine names, version numbers and counts.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from hub.extensions import db
from hub.models import Resource
from hub.services import indexing

log = logging.getLogger(__name__)


def check_health() -> tuple[bool, dict[str, Any]]:
    """Returns (healthy, report)."""
    started = time.perf_counter()
    database: dict[str, Any] = {"ok": False, "engine": db.engine.dialect.name}
    index: dict[str, Any] = {"ok": False}
    try:
        database["content_version"] = indexing.content_version()
        database["resources"] = db.session.scalar(select(func.count(Resource.id)))
        database["ok"] = True
    except SQLAlchemyError as exc:
        db.session.rollback()
        database["error"] = exc.__class__.__name__
        log.warning("health: database unreachable", extra={"error": exc.__class__.__name__})
    if database["ok"]:
        index = indexing.index_status()
    else:
        search_index = indexing.get_index()
        index["content_version"] = search_index.content_version()
    healthy = database["ok"] and index["ok"]
    report = {"status": "ok" if healthy else "unavailable", "database": database, "index": index,
              "checked_in_ms": round((time.perf_counter() - started) * 1000, 1)}
    db.session.rollback()  # end the read transaction
    return healthy, report
