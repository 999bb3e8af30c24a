"""Keeps the search index in step with the database, which is the truth.

Every unit of work that changes resources takes the next content version in
the same transaction (the row stays locked until the commit, so versions are
unique and in commit order) and, after the commit, writes the changed
documents to the index, which records the versions it holds without gaps.
Searches compare the two at most once a second: an index that is missing,
unreadable or built with another schema is rebuilt before it answers (or the
search gets a 503 when that takes too long); one that has stayed behind the
database for longer than an in-flight write could take (a writer killed
between its commit and its index write) is rebuilt in the background while
the previous index keeps answering.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from flask import current_app
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from hub.background import KeyedThreads
from hub.errors import HubError
from hub.extensions import db
from hub.models import ChangeLogEntry, HubState, Resource
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
#: How long a search waits for the rebuild of a missing index before a 503.
DEFAULT_WAIT_SECONDS = 20.0
#: How long a search lets another process's in-flight index write finish
#: before applying the change log itself.
DEFAULT_FOLLOW_DELAY = 0.3
#: Versions of the change log kept; a machine further behind than this rebuilds.
DEFAULT_CHANGE_LOG_KEEP = 50_000
#: A machine this many changed resources behind rebuilds in the background
#: instead of applying them while a reader waits.
DEFAULT_FOLLOW_LIMIT = 2_000
#: The PostgreSQL channel a commit that changed what is indexed notifies.
CHANGES_CHANNEL = "hub_changes"
_lag_seen: dict[tuple[str, int], float] = {}
#: The freshness check's clock (a test steps it).
_clock = time.monotonic
_db_checked: dict[str, tuple[int, float]] = {}


def get_index() -> SearchIndex:
    return current_app.extensions["hub.index"]


def content_version() -> int:
    return int(get_state(VERSION_KEY, "0") or 0)


def bump_content_version() -> int:
    """Inside the caller's transaction, so the version and the change commit
    together. The row stays locked until that commit (``FOR UPDATE`` on
    PostgreSQL; SQLite has one writer at a time), so two units of work in
    different processes never take the same version, and versions follow
    commit order: the database's change sequence."""
    row = db.session.get(HubState, VERSION_KEY, with_for_update=True, populate_existing=True)
    if row is None and db.session.get_bind().dialect.name == "postgresql":
        # The very first version: two first publishers may both find no row.
        # One inserts; the other's insert waits for it, fails, and locks its row.
        try:
            with db.session.begin_nested():
                db.session.add(HubState(key=VERSION_KEY, value="0"))
        except IntegrityError:
            pass
        row = db.session.get(HubState, VERSION_KEY, with_for_update=True, populate_existing=True)
    version = int(row.value or 0) + 1 if row is not None else 1
    set_state(VERSION_KEY, str(version))
    return version


def log_changes(resource_ids) -> int:
    """Take the next content version and write which resources it touched, in
    the caller's transaction: the change log other machines follow
    (``follow_changes``). On PostgreSQL the commit also wakes their followers
    (``NOTIFY`` is delivered only if, and when, the transaction commits)."""
    version = bump_content_version()
    db.session.add_all(ChangeLogEntry(version=version, resource_id=int(rid)) for rid in sorted(set(resource_ids)))
    keep = int(current_app.config.get("CHANGE_LOG_KEEP", DEFAULT_CHANGE_LOG_KEEP))
    if version % 100 == 0 and version > keep:  # pruning now and then is enough
        db.session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.version <= version - keep))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_notify(:channel, :version)"),
                           {"channel": CHANGES_CHANNEL, "version": str(version)})
    return version


def follow_changes(limit: int | None = None) -> str:
    """Bring this machine's index up to the database by re-indexing just the
    resources the change log names after the index's version.

    Answers ``fresh`` (nothing to do), ``applied``, ``busy`` (another process
    on this machine is applying them right now), ``missing`` (no usable
    index: rebuild) or ``too-far`` (the log no longer covers the gap, or it is
    larger than ``limit`` resources: rebuild, in the background). Only reads
    the database, so it may run inside a caller's transaction.
    """
    index = get_index()
    if index.content_version() < 0:
        return "missing"
    current = content_version()
    if index.content_version() >= current:
        return "fresh"
    if limit is None:
        limit = int(current_app.config.get("SEARCH_FOLLOW_LIMIT", DEFAULT_FOLLOW_LIMIT))
    with index.follow_lock() as acquired:
        if not acquired:
            return "busy"
        indexed = index.content_version()  # again, now that no one else applies
        if indexed >= current:
            return "fresh"
        rows = db.session.execute(
            select(ChangeLogEntry.version, ChangeLogEntry.resource_id)
            .where(ChangeLogEntry.version > indexed, ChangeLogEntry.version <= current)).all()
        versions = {version for version, _ in rows}
        ids = {rid for _, rid in rows}
        if len(versions) != current - indexed or len(ids) > limit:
            return "too-far"
        apply_changes(ids, (), versions=sorted(versions))
        return "applied"


def _documents(resources):
    vocab = load_vocabularies()
    for resource in resources:
        yield document_for(resource, vocab)


def apply_changes(upsert_ids, delete_ids, version: int | None = None, versions=()) -> None:
    """Index what one unit of work (content ``version``) changed, or what the
    change log says ``versions`` changed (the resources are read as they are
    now: a later version re-applies the same final state). If the write
    fails, rebuild rather than leave a stale index (which could count a
    resource whose access changed): in the background, so the person who
    published is not kept waiting for a whole rebuild."""
    ids = sorted(upsert_ids)
    resources = db.session.scalars(select(Resource).where(Resource.id.in_(ids))).all() if ids else []
    found = {r.id for r in resources}
    deletes = [str(i) for i in set(delete_ids) | (set(ids) - found)]
    try:
        get_index().apply(_documents(resources), deletes,
                          versions=[version, *versions] if version is not None else list(versions))
    except Exception:
        log.exception("search index update failed; rebuilding it from the database")
        rebuild_in_background()


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
    if indexed < 0:  # also: no generation at all
        return True
    config = current_app.config
    interval = float(config.get("SEARCH_INDEX_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    key = str(index.root)
    now = _clock()
    checked = _db_checked.get(key)
    if checked is not None and checked[0] == indexed and now - checked[1] < interval:
        return False  # the database was seen at this version moments ago
    current = content_version()
    if indexed >= current:
        _db_checked[key] = (indexed, now)
        for seen in [k for k in _lag_seen if k[0] == key and k[1] <= current]:
            del _lag_seen[seen]  # forget lags that were caught up
        return False
    _lag_seen.setdefault((key, current), now)
    for seen in [k for k in _lag_seen if k[0] == key and k[1] <= indexed]:
        del _lag_seen[seen]  # versions applied since: under steady publishing the
        # index may never equal the database at a check, yet it is not stuck
    lagging_since = min(t for (k, _), t in _lag_seen.items() if k == key)
    # A process that just committed writes its own change at once; give it a
    # moment before applying the change log here too.
    if now - lagging_since >= float(config.get("SEARCH_FOLLOW_DELAY_SECONDS", DEFAULT_FOLLOW_DELAY)):
        outcome = follow_changes()
        if outcome in ("applied", "fresh"):
            return False
        if outcome == "too-far":  # the log cannot bring it up: rebuild (in the background)
            return True
    grace = float(config.get("SEARCH_INDEX_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    return now - lagging_since >= grace


def snapshot(wait: float | None = None) -> Snapshot:
    """The snapshot searches read, made fresh first when it must be.

    An index that is readable but behind is served while a background thread
    rebuilds it (the hits are checked against the database anyway). An index
    that is missing or unreadable cannot answer: the request waits for the
    rebuild up to ``SEARCH_INDEX_WAIT_SECONDS``, then gets a 503 rather than
    hold a worker past gunicorn's timeout (a rebuild of 10,000 resources takes
    minutes; see docs/performance.md).
    """
    index = get_index()
    if _needs_rebuild(index):
        if index.content_version() >= 0:
            log.warning("search index behind the database; rebuilding it in the background")
            rebuild_in_background()
        else:
            _wait_for_rebuild("search index missing or built for another schema; rebuilding it", wait)
    try:
        return index.snapshot()
    except Exception:  # unreadable: rebuild from the database
        log.exception("search index unreadable; rebuilding it from the database")
        _wait_for_rebuild("search index unreadable", wait)
        return index.snapshot()


class IndexUnavailable(HubError):
    """The index is missing and its rebuild takes longer than a request may wait."""
    status = 503
    code = "search_unavailable"

    def __init__(self) -> None:
        from flask_babel import gettext

        super().__init__(gettext("Search is being rebuilt. Please try again in a minute."))


_rebuilds = KeyedThreads("hub-index-rebuild")
#: Why the last rebuild thread of an index failed, for the request waiting on it.
_rebuild_errors: dict[str, BaseException] = {}


def rebuild_in_background() -> threading.Thread:
    """Start (or join) this process's rebuild thread; across processes the
    rebuild lock lets one build while the others find it fresh and skip."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a werkzeug LocalProxy method; Flask types current_app as Flask
    return _rebuilds.ensure(str(get_index().root), _rebuild_thread, app)


def _rebuild_thread(app) -> None:
    with app.app_context():
        key = str(get_index().root)
        _rebuild_errors.pop(key, None)
        try:
            _rebuild_if_still_needed(get_index())
        except Exception as exc:  # logged; the next freshness check tries again
            log.exception("search index rebuild failed")
            _rebuild_errors[key] = exc
        finally:
            db.session.remove()


def _wait_for_rebuild(reason: str, wait: float | None = None) -> None:
    log.warning(reason)
    thread = rebuild_in_background()
    if wait is None:
        wait = float(current_app.config.get("SEARCH_INDEX_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))
    thread.join(wait)
    if thread.is_alive():
        raise IndexUnavailable()
    error = _rebuild_errors.pop(str(get_index().root), None)
    if error is not None:
        # The waiting request answers for the failure (the database being down
        # gives its 503 page), rather than failing later on a missing index.
        raise error


def rebuilding() -> bool:
    return _rebuilds.running(str(get_index().root))


def index_status(wait: float = 5.0) -> dict:
    """For /healthz: repair as a search would (waiting at most ``wait`` seconds
    for a missing index), then report. ``ok`` is false when the index cannot
    answer or has been behind the database for longer than the grace period."""
    status: dict = {"ok": False}
    index = get_index()
    try:
        snap = snapshot(wait=wait)
        status["documents"] = snap.doc_count()
    except IndexUnavailable:
        status["error"] = "rebuilding"
    except Exception as exc:  # reported, not raised: this is the health page
        log.exception("health: the search index cannot answer")
        status["error"] = exc.__class__.__name__
    status["content_version"] = index.content_version()
    status["fresh"] = status["content_version"] >= content_version()
    status["rebuilding"] = rebuilding()
    status["ok"] = "documents" in status and (status["fresh"] or not _needs_rebuild(index))
    return status


def _rebuild_if_still_needed(index: SearchIndex) -> None:
    with index.rebuild_lock():
        db.session.rollback()
        still = index.content_version() < 0 or index.content_version() < content_version() \
            or not index.exists()
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
