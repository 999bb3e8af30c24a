"""Keeps the search index in step with the database, which is the truth."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.search.index import SearchIndex
from hub.search.schema import document_for
from hub.services.state import get_state, set_state
from hub.vocabularies import load_vocabularies

log = logging.getLogger(__name__)
VERSION_KEY = "content_version"


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
    ids = sorted(upsert_ids)
    resources = db.session.scalars(select(Resource).where(Resource.id.in_(ids))).all() if ids else []
    found = {r.id for r in resources}
    deletes = [str(i) for i in set(delete_ids) | (set(ids) - found)]
    get_index().apply(_documents(resources), deletes, version=content_version())


def rebuild_index() -> int:
    """Build a fresh index from every resource and swap it in; returns the count."""
    version = content_version()
    resources = db.session.scalars(select(Resource).order_by(Resource.id)).yield_per(500)
    count = get_index().rebuild(_documents(resources), version)
    db.session.rollback()  # end the read transaction; nothing was written
    # Changes committed while we were building carry a newer version: catch up.
    if content_version() != version:
        return rebuild_index()
    return count


def index_is_fresh() -> bool:
    index = get_index()
    try:
        return index.exists() and index.content_version() >= content_version()
    except Exception:  # noqa: BLE001 - a corrupt index is simply not fresh
        return False


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
