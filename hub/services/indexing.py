"""Keeps the search index in step with the database, which is the truth.

Every unit of work that changes resources bumps a content version in the same
transaction and, after the commit, writes the changed documents to the index
with that version. Searches compare the two: an index that is missing,
unreadable, built with another schema, or behind the database for longer than
an in-flight write could take, is rebuilt from the database before it answers.
"""
from __future__ import annotations

import logging
import os
import time

from flask import current_app
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Resource
from hub.search.index import SearchIndex
from hub.search.schema import document_for
from hub.search.snapshot import Snapshot
from hub.services.state import get_state, set_state
from hub.vocabularies import load_vocabularies

log = logging.getLogger(__name__)
VERSION_KEY = "content_version"
#: How long the index may trail the database before a search rebuilds it: long
#: enough for another process's commit-then-index to finish.
DEFAULT_GRACE_SECONDS = 10.0
#: How often a process compares the index with the database (the index's own
#: version file is read on every search).
DEFAULT_CHECK_SECONDS = 1.0
#: A rebuild of at least this many resources is shared between processes.
PARALLEL_FROM = 2000
_lag_seen: dict[tuple[str, int], float] = {}
_db_checked: dict[str, tuple[int, float]] = {}


def get_index() -> SearchIndex:
    return current_app.extensions["hub.index"]


def content_version() -> int:
    return int(get_state(VERSION_KEY, "0") or 0)


def bump_content_version() -> int:
    """Inside the caller's transaction, so the version and the change commit together."""
    version = content_version() + 1
    set_state(VERSION_KEY, str(version))
    return version


def _documents(resources):
    vocab = load_vocabularies()
    for resource in resources:
        yield document_for(resource, vocab)


def apply_changes(upsert_ids, delete_ids) -> None:
    """Index what one unit of work changed. If the write fails, rebuild at once
    rather than leave a stale index (which could count a resource whose access changed)."""
    ids = sorted(upsert_ids)
    resources = db.session.scalars(select(Resource).where(Resource.id.in_(ids))).all() if ids else []
    found = {r.id for r in resources}
    deletes = [str(i) for i in set(delete_ids) | (set(ids) - found)]
    try:
        get_index().apply(_documents(resources), deletes, version=content_version())
    except Exception:  # noqa: BLE001
        log.exception("search index update failed; rebuilding it from the database")
        rebuild_index()


def rebuild_index() -> int:
    """Build a fresh index from every resource beside the live one and swap it
    in (searches continue meanwhile); returns the number of resources indexed."""
    index = get_index()
    with index.rebuild_lock():
        while True:
            db.session.rollback()  # a fresh read transaction for the whole build
            version = content_version()
            total = db.session.scalar(select(func.count(Resource.id))) or 0
            resources = db.session.scalars(select(Resource).order_by(Resource.id)).yield_per(500)
            count = index.rebuild(_documents(resources), version, procs=_build_procs(total))
            db.session.rollback()  # end the read transaction; nothing was written
            # Changes committed while we were building carry a newer version: catch up.
            if content_version() == version:
                return count


def _build_procs(total: int) -> int:
    """Processes for a rebuild: parallel only when there is enough to share
    (starting them costs about a second)."""
    wanted = int(current_app.config.get("SEARCH_INDEX_PROCS", min(2, os.cpu_count() or 1)))
    return max(1, wanted) if total >= PARALLEL_FROM else 1


def index_is_fresh() -> bool:
    index = get_index()
    try:
        return index.exists() and index.content_version() >= content_version()
    except Exception:  # noqa: BLE001 - a corrupt index is simply not fresh
        return False


def _needs_rebuild(index: SearchIndex) -> bool:
    indexed = index.content_version()
    if indexed < 0 or index.current_generation() is None:
        return True
    config = current_app.config
    interval = float(config.get("SEARCH_INDEX_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    key = str(index.root)
    now = time.monotonic()
    checked = _db_checked.get(key)
    if checked is not None and checked[0] == indexed and now - checked[1] < interval:
        return False  # the database was seen at this version moments ago
    current = content_version()
    if indexed >= current:
        _db_checked[key] = (indexed, now)
        return False
    grace = float(config.get("SEARCH_INDEX_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    first_seen = _lag_seen.setdefault((key, current), now)
    return now - first_seen >= grace


def snapshot() -> Snapshot:
    """The snapshot searches read, made fresh first when it must be."""
    index = get_index()
    if _needs_rebuild(index):
        log.warning("search index missing, outdated or behind the database; rebuilding")
        _rebuild_if_still_needed(index)
    try:
        return index.snapshot()
    except Exception:  # noqa: BLE001 - unreadable: rebuild from the database
        log.exception("search index unreadable; rebuilding it from the database")
        rebuild_index()
        return index.snapshot()


def _rebuild_if_still_needed(index: SearchIndex) -> None:
    with index.rebuild_lock():
        still = index.content_version() < 0 or index.content_version() < content_version()
    if still:
        rebuild_index()


def ensure_index_fresh() -> bool:
    """Rebuild when the index is missing, corrupt or older than the database.
    Returns True when a rebuild happened."""
    if index_is_fresh():
        try:
            get_index().doc_count()
            return False
        except Exception:  # noqa: BLE001
            log.warning("search index unreadable; rebuilding from the database")
    rebuild_index()
    return True
