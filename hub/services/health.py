"""The hub's own view of its health, for monitoring (`GET /healthz`).

Healthy means: the database answers, and the search index opens and reflects
the database's content version (the freshness check has had its chance to
repair it first). Nothing here reveals a secret, a path or a resource title:
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
        try:
            indexing.ensure_index_fresh()
        except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the health page
            index["error"] = exc.__class__.__name__
            log.exception("health: the search index could not be repaired")
    search_index = indexing.get_index()
    try:
        index["content_version"] = search_index.content_version()
        index["documents"] = search_index.doc_count()
        index["ok"] = True
    except Exception as exc:  # noqa: BLE001
        index.setdefault("error", exc.__class__.__name__)
    if database["ok"] and index["ok"]:
        index["fresh"] = index["content_version"] >= database["content_version"]
    healthy = database["ok"] and index["ok"] and index.get("fresh", False)
    report = {"status": "ok" if healthy else "unavailable", "database": database, "index": index,
              "checked_in_ms": round((time.perf_counter() - started) * 1000, 1)}
    db.session.rollback()  # end the read transaction
    return healthy, report
