"""Open Whoosh segment readers once per process and share them between
snapshots and the index writer.

Opening a segment costs far more than reading from it: Whoosh builds its
term index and column readers afresh each time (it also copied each mapped
file into a ``BytesIO``, about 18 ms per file and 0.4 s for a whole
10,000-resource index, until the adapter gave each thread its own position
over the mapped bytes instead). A segment's files never change once written; only its set of deleted
documents does, and Whoosh keeps that on the ``Segment`` object read from the
table of contents. So every snapshot (and every writer looking up the documents
it replaces) gets a light reader per segment that shares the files of one
"core" reader and carries its own ``Segment``, hence its own deletions.

Whoosh's own ``Searcher.refresh()`` reuses readers too, but keeps segments that
a merge removed (RECIPES.md) and closes readers another thread may still use;
this pool does neither: a core is closed only when no open reader uses it.
The light reader itself (``SharedSegmentReader``) is built from Whoosh's
private attributes, so it lives in the adapter (hub.search.whoosh_adapter).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from hub.search.whoosh_adapter import SharedSegmentReader, table_of_contents


class ReaderPool:
    """The open segment files of one process, keyed by index folder and segment."""

    def __init__(self) -> None:
        self._cores: dict[tuple[str, str], SegmentReader] = {}
        self._lock = threading.Lock()

    def searcher(self, ix) -> Searcher:
        """A searcher over the index's latest table of contents."""
        toc = table_of_contents(ix)
        return Searcher(self.reader(ix.storage, toc.schema, toc.segments, toc.generation), fromindex=ix)

    def reader(self, storage, schema, segments, generation) -> IndexReader:
        """A reader over ``segments`` (in this order, so document numbers match
        Whoosh's own reader of the same segments)."""
        readers = [self.segment_reader(storage, schema, segment, generation) for segment in segments]
        if not readers:
            return EmptyReader(schema)
        if len(readers) == 1:
            return readers[0]
        return MultiReader(readers, generation=generation)

    def segment_reader(self, storage, schema, segment, generation) -> SegmentReader:
        """A reader of one segment with that ``segment`` object's deletions."""
        key = _key(storage, segment)
        with self._lock:
            core = self._cores.get(key)
            if core is None:
                core = self._cores[key] = SegmentReader(storage, schema, segment, generation=generation)
        return SharedSegmentReader(core, segment, generation, key)

    @staticmethod
    def keys_for(storage, segments) -> set[tuple[str, str]]:
        """The cores readers of ``segments`` would use."""
        return {_key(storage, segment) for segment in segments}

    def keys_of(self, reader: IndexReader) -> set[tuple[str, str]]:
        """The cores a reader (or a searcher's reader) uses."""
        return {r.pool_key for r, _ in reader.leaf_readers() if isinstance(r, SharedSegmentReader)}

    def release(self, keep: Iterable[tuple[str, str]]) -> None:
        """Close every core not in ``keep`` (segments merged away, old generations)."""
        keep = set(keep)
        with self._lock:
            for key in [k for k in self._cores if k not in keep]:
                self._cores.pop(key).close()

    def close(self) -> None:
        self.release(())


def _key(storage, segment) -> tuple[str, str]:
    """The index folder (one per generation) and the segment's id."""
    return (str(getattr(storage, "folder", id(storage))), segment.segment_id())
