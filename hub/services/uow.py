"""Unit of work: commit first, then update the search index and run
after-commit callbacks (mail). An index write that fails after the commit is
logged and healed by the freshness check; it never rolls data back."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hub.extensions import db

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self) -> None:
        self.to_index: set[int] = set()
        self.to_unindex: set[int] = set()
        self.callbacks: list[Callable[[], None]] = []
        #: The content version this unit committed (when it changed what is indexed).
        self.version: int | None = None

    def index(self, resource_id: int) -> None:
        self.to_index.add(resource_id)
        self.to_unindex.discard(resource_id)

    def unindex(self, resource_id: int) -> None:
        self.to_unindex.add(resource_id)
        self.to_index.discard(resource_id)

    def on_commit(self, callback: Callable[[], None]) -> None:
        self.callbacks.append(callback)

    def _apply(self) -> None:
        from hub.services import indexing

        if self.to_index or self.to_unindex:
            try:
                indexing.apply_changes(self.to_index, self.to_unindex, version=self.version)
            except Exception:  # the freshness check repairs the index
                log.exception("search index update failed after commit; it will be rebuilt")
        for callback in self.callbacks:
            try:
                callback()
            except Exception:  # logged: one failed callback must not stop the others
                log.exception("after-commit callback failed")


@contextmanager
def unit_of_work(uow: UnitOfWork | None = None) -> Iterator[UnitOfWork]:
    """Join ``uow`` when given; otherwise open a unit that commits on exit."""
    if uow is not None:
        yield uow
        return
    work = UnitOfWork()
    try:
        yield work
        if work.to_index or work.to_unindex:
            from hub.services import indexing
            work.version = indexing.log_changes(work.to_index | work.to_unindex)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    work._apply()
