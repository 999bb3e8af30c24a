"""The Whoosh index on disk: open, write, rebuild beside and swap.

Layout under ``INDEX_DIR``: one folder per generation (``gen-<stamp>``) and a
``CURRENT`` file naming the live one. A rebuild fills a new generation while
searches keep using the old, then replaces ``CURRENT`` atomically. The index
also records the database's content version it reflects, so a process can tell
that it is stale and rebuild it from the database.
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, LockError

from hub.search.schema import build_schema

log = logging.getLogger(__name__)
VERSION_FILE = "CONTENT_VERSION"


class SearchIndex:
    """One per app (kept in ``app.extensions``); holds this process's searcher."""

    def __init__(self, directory: str | Path):
        self.root = Path(directory)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._searcher = None
        self._searcher_gen: str | None = None

    # -- generations -------------------------------------------------------
    def current_generation(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def _gen_dir(self, gen: str) -> Path:
        return self.root / gen

    def exists(self) -> bool:
        gen = self.current_generation()
        return gen is not None and whoosh_index.exists_in(str(self._gen_dir(gen)))

    def open(self):
        gen = self.current_generation()
        if gen is None:
            raise EmptyIndexError("no index generation")
        return whoosh_index.open_dir(str(self._gen_dir(gen)))

    def content_version(self) -> int:
        """The database content version the live index reflects (-1 if unknown)."""
        gen = self.current_generation()
        if gen is None:
            return -1
        try:
            return int((self._gen_dir(gen) / VERSION_FILE).read_text().strip())
        except (FileNotFoundError, ValueError):
            return -1

    def set_content_version(self, version: int) -> None:
        gen = self.current_generation()
        if gen is None:
            return
        tmp = self._gen_dir(gen) / (VERSION_FILE + ".tmp")
        tmp.write_text(str(version))
        os.replace(tmp, self._gen_dir(gen) / VERSION_FILE)

    # -- writing -----------------------------------------------------------
    def _writer(self, ix, attempts: int = 50):
        for attempt in range(attempts):
            try:
                return ix.writer()
            except LockError:
                time.sleep(0.1 * min(attempt + 1, 5))
        raise LockError("the search index is locked by another writer")

    def apply(self, upserts: Iterable[dict], deletes: Iterable[str], version: int | None = None) -> None:
        """Write changed documents and remove deleted ones, in one commit."""
        upserts, deletes = list(upserts), list(deletes)
        with self._lock:
            if not self.exists():
                return  # nothing to update; the next freshness check rebuilds from the database
            ix = self.open()
            try:
                writer = self._writer(ix)
                try:
                    for doc_id in deletes:
                        writer.delete_by_term("id", str(doc_id))
                    for doc in upserts:
                        writer.update_document(**doc)
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
            finally:
                ix.close()
            if version is not None:
                self.set_content_version(version)

    def rebuild(self, documents: Iterable[dict], version: int) -> int:
        """Build a complete new generation beside the live one, then swap it in."""
        gen = f"gen-{time.time_ns()}"
        path = self._gen_dir(gen)
        path.mkdir(parents=True)
        count = 0
        try:
            ix = whoosh_index.create_in(str(path), build_schema())
            writer = ix.writer(limitmb=256, procs=1)
            try:
                for doc in documents:
                    writer.add_document(**doc)
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            ix.close()
            (path / VERSION_FILE).write_text(str(version))
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._lock:
            tmp = self.root / f"CURRENT.{gen}.tmp"
            tmp.write_text(gen)
            os.replace(tmp, self.root / "CURRENT")
            self._drop_old_generations(keep=gen)
        return count

    def _drop_old_generations(self, keep: str) -> None:
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("gen-") and child.name != keep:
                shutil.rmtree(child, ignore_errors=True)

    # -- reading -----------------------------------------------------------
    def searcher(self):
        """This process's searcher, reopened (never ``refresh()``ed: see RECIPES)
        when the index changed on disk."""
        with self._lock:
            gen = self.current_generation()
            if self._searcher is not None and gen == self._searcher_gen:
                try:
                    if self._searcher.up_to_date():
                        return self._searcher
                except (OSError, EmptyIndexError):
                    pass
            old = self._searcher
            ix = self.open()
            self._searcher = ix.searcher()
            self._searcher_gen = gen
            if old is not None:
                old.close()
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def doc_count(self) -> int:
        return self.searcher().doc_count()
