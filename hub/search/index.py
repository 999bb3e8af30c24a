"""The Whoosh index on disk: open, write, rebuild beside and swap.

Layout under ``INDEX_DIR``: one folder per generation (``gen-<stamp>``) and a
``CURRENT`` file naming the live one. A rebuild fills a new generation while
searches keep using the old, then replaces ``CURRENT`` atomically. Each
generation records the database content version it reflects and the schema
version it was built with, so a process can tell that it is stale (or built by
an older release) and rebuild it from the database.

Each process keeps one :class:`~hub.search.snapshot.Snapshot` (a searcher and
its caches) and opens a new one only when the index changed on disk. It never
calls ``Searcher.refresh()``: whoosh-reloaded 2.7.5 keeps merged-away segments
after a refresh, so hits would repeat (RECIPES.md).
"""
from __future__ import annotations

import fcntl
import gc
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, LockError
from whoosh.searching import Searcher

from hub.search.merging import tiered_policy
from hub.search.readers import ReaderPool
from hub.search.schema import build_schema
from hub.search.snapshot import SegmentCache, Snapshot
from hub.search.whoosh_adapter import WriteCodec, table_of_contents

log = logging.getLogger(__name__)
VERSION_FILE = "CONTENT_VERSION"
APPLIED_FILE = "APPLIED_VERSIONS"
SCHEMA_FILE = "SCHEMA_VERSION"
#: Bump when the schema or the analysis changes: older indexes are then rebuilt.
SCHEMA_VERSION = "8"
#: Generations kept besides the live one, so a searcher opened just before a
#: swap can finish reading.
KEEP_PREVIOUS = 1


class SearchIndex:
    """One per app (kept in ``app.extensions``); holds this process's snapshot."""

    def __init__(self, directory: str | Path):
        self.root = Path(directory)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._retired: list[Snapshot] = []
        # Both outlive snapshots: after a publish only the new segment is opened and read.
        self._segments = SegmentCache()
        self._readers = ReaderPool()

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
        if gen is None:
            return False
        try:
            return _guarded(whoosh_index.exists_in, str(self._gen_dir(gen)))
        except IndexUnreadable:
            return False

    def open(self):
        gen = self.current_generation()
        if gen is None:
            raise EmptyIndexError("no index generation")
        return _guarded(whoosh_index.open_dir, str(self._gen_dir(gen)))

    def _read_marker(self, name: str, gen: str | None = None) -> str | None:
        gen = gen or self.current_generation()
        if gen is None:
            return None
        try:
            return (self._gen_dir(gen) / name).read_text().strip()
        except FileNotFoundError:
            return None

    def content_version(self) -> int:
        """The database content version the live index reflects (-1 if unknown,
        no generation, or built with another schema version). Read on every
        search, so ``CURRENT`` is read once for both markers."""
        gen = self.current_generation()
        if gen is None or self._read_marker(SCHEMA_FILE, gen) != SCHEMA_VERSION:
            return -1
        try:
            return int(self._read_marker(VERSION_FILE, gen) or "")
        except ValueError:
            return -1

    @contextmanager
    def _version_lock(self, gen_dir: Path) -> Iterator[None]:
        """Serialises the version bookkeeping of one generation across processes
        (an fcntl lock: the kernel drops it if the holder dies)."""
        with open(gen_dir / "VERSION.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _record_applied(self, gen_dir: Path, versions: Iterable[int]) -> None:
        """Advance the generation's content version over ``versions``.

        The content version means "every change up to here is in this index".
        Writers in several processes may finish out of order, so a version
        applied ahead of a missing one waits in ``APPLIED_VERSIONS`` until the
        gap fills. A gap that never fills (a process killed between its commit
        and its index write) keeps the index behind the database, which the
        freshness check sees and repairs by a rebuild.
        """
        with self._version_lock(gen_dir):
            try:
                current = int((gen_dir / VERSION_FILE).read_text().strip())
            except (FileNotFoundError, ValueError):
                return  # a generation being built: its builder records the version
            versions = {v for v in versions if v > current}  # others: already covered (a rebuild read them)
            if not versions:
                return
            try:
                pending = {int(v) for v in (gen_dir / APPLIED_FILE).read_text().split()}
            except (FileNotFoundError, ValueError):
                pending = set()
            pending |= versions
            while current + 1 in pending:
                current += 1
                pending.discard(current)
            pending = {v for v in pending if v > current}
            _write_atomically(gen_dir / APPLIED_FILE, " ".join(str(v) for v in sorted(pending)))
            _write_atomically(gen_dir / VERSION_FILE, str(current))

    # -- writing -----------------------------------------------------------
    def _writer(self, ix, attempts: int = 50):
        for attempt in range(attempts):
            try:
                return ix.writer(codec=WriteCodec())
            except LockError:
                time.sleep(0.1 * min(attempt + 1, 5))
        raise LockError("the search index is locked by another writer")

    def apply(self, upserts: Iterable[dict], deletes: Iterable[str], versions: Iterable[int] = ()) -> None:
        """Write changed documents and remove deleted ones, in one commit, then
        record ``versions`` (the content versions these changes make up) as
        applied to the generation written."""
        upserts, deletes = list(upserts), list(deletes)
        with self._lock:
            gen = self.current_generation()
            if gen is None or not self.exists():
                return  # nothing to update; the next freshness check rebuilds from the database
            ix = _guarded(whoosh_index.open_dir, str(self._gen_dir(gen)))
            try:
                writer = self._writer(ix)
                try:
                    # The replaced documents are found through the shared readers,
                    # not a reader Whoosh would open (and copy) afresh per commit.
                    existing = Searcher(self._readers.reader(writer.storage, writer.schema, writer.segments,
                                                             writer.generation))
                    for doc_id in deletes:
                        writer.delete_by_term("id", str(doc_id), searcher=existing)
                    for doc in upserts:
                        writer.delete_by_term("id", doc["id"], searcher=existing)
                        writer.add_document(**doc)
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit(mergetype=tiered_policy(self._readers))
                # Keep the files of the segments that stay live for the next write.
                live = self._readers.keys_for(ix.storage, table_of_contents(ix).segments)
            finally:
                ix.close()
            self._release_unused(keep=live)
            self._record_applied(self._gen_dir(gen), versions)

    @contextmanager
    def follow_lock(self) -> Iterator[bool]:
        """One process of this machine applies the change log at a time; the
        others do not queue behind it (yields False): the index they read is
        about to catch up anyway."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "FOLLOW.lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def rebuild_lock(self) -> Iterator[None]:
        """One rebuild at a time across processes (others wait, then find it fresh)."""
        self.root.mkdir(parents=True, exist_ok=True)  # the whole folder may have been lost
        with open(self.root / "REBUILD.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def rebuild(self, documents: Iterable[dict], version: int, procs: int = 1) -> int:
        """Build a complete new generation beside the live one, then swap it in.
        With ``procs`` > 1, that many processes analyse documents in parallel,
        each writing its own segment (kept as separate segments)."""
        gen = f"gen-{time.time_ns()}"
        path = self._gen_dir(gen)
        path.mkdir(parents=True)  # parents: the whole folder may have been lost
        count = 0
        try:
            ix = whoosh_index.create_in(str(path), build_schema())
            if procs > 1:
                writer = ix.writer(procs=procs, multisegment=True, batchsize=200, limitmb=128, codec=WriteCodec())
            else:
                writer = ix.writer(limitmb=256, codec=WriteCodec())
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
            (path / SCHEMA_FILE).write_text(SCHEMA_VERSION)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._lock:
            _write_atomically(self.root / "CURRENT", gen)
            self._drop_old_generations(keep=gen)
        return count

    def _drop_old_generations(self, keep: str) -> None:
        gens = sorted((c for c in self.root.iterdir() if c.is_dir() and c.name.startswith("gen-")),
                      key=lambda c: c.name)
        old = [c for c in gens if c.name != keep]
        for child in old[:max(len(old) - KEEP_PREVIOUS, 0)]:
            shutil.rmtree(child, ignore_errors=True)

    # -- reading -----------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """This process's snapshot, reopened when the index changed on disk."""
        with self._lock:
            gen = self.current_generation()
            snap = self._snapshot
            if snap is not None and gen == snap.generation:
                try:
                    if snap.up_to_date():
                        return snap
                except (OSError, EmptyIndexError):
                    pass
            ix = self.open()
            try:
                fresh = _guarded(lambda: Snapshot(self._readers.searcher(ix), gen, self._segments))
            finally:
                ix.close()
            self._snapshot = fresh
            if snap is not None:
                # Another thread may still be reading the old one: close it one change later.
                self._retired.append(snap)
                while len(self._retired) > 1:
                    self._retired.pop(0).close()
            self._release_unused()
            return fresh

    def _release_unused(self, keep: set | None = None) -> None:
        """Close the segment files no open snapshot reads (merged away, or of an
        older generation), but those in ``keep``."""
        with self._lock:
            keep = set(keep or ())
            for snap in [*self._retired, self._snapshot]:
                if snap is not None:
                    keep |= self._readers.keys_of(snap.reader)
            self._readers.release(keep)

    def close(self) -> None:
        with self._lock:
            for snap in [*self._retired, self._snapshot]:
                if snap is not None:
                    snap.close()
            self._retired = []
            self._snapshot = None
            self._readers.close()

    def doc_count(self) -> int:
        return self.snapshot().doc_count()


class IndexUnreadable(Exception):
    """The index on disk cannot be read (damaged or half-written files)."""


def _guarded(fn, *args):
    """Call Whoosh; turn any failure into :class:`IndexUnreadable`. Whoosh leaves
    files open when it cannot parse them: they are closed here, quietly, rather
    than warned about at some later moment."""
    message = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001
            message = f"{type(exc).__name__}: {exc}"
        gc.collect()
    raise IndexUnreadable(message)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
