"""The one module that uses Whoosh's private internals (the adapter).

Everything else in the hub talks to Whoosh through its public API or through
the functions here; tests/search/test_whoosh_adapter.py checks each of them
against Whoosh's own answers, so an upgrade that changes the internals fails
there, in one place.

Bulk reads from a Whoosh index into numpy arrays.

Whoosh walks postings one document at a time in Python, which is what makes a
straightforward implementation slow (RECIPES.md). Here a term's whole posting
list, a field's per-document lengths and a numeric column are read block by
block into arrays once, cached per searcher, and every search after that is a
handful of vectorised operations.

The block readers use attributes of whoosh-reloaded 2.7's W3 codec (pinned
below 2.8 in pyproject.toml); when they are absent, each function falls back to
Whoosh's public per-document API, which gives the same numbers more slowly
(tests/search/test_whoosh_adapter.py checks both paths agree). The codec the
index is written with and the segment reader that shares another's open files
are here too: both depend on how Whoosh builds its objects, not on its API.

tests/search/test_whoosh_boundary.py fails if any other module of the hub
reaches a private Whoosh name or imports a Whoosh module outside its public API.
"""
from __future__ import annotations

import copy
import threading

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


def _leaf(matcher):
    """The raw block matcher under Whoosh's deletion filter, if any."""
    deleted = None
    if type(matcher).__name__ == "FilterMatcher" and getattr(matcher, "_exclude", False):
        deleted = matcher._ids
        matcher = matcher.child
    return matcher, deleted


def read_postings(segment_reader, field: str, text: str, *, weights: bool = True, keep_deleted: bool = False):
    """(docnums, weights) of one term in one segment, deleted documents removed
    unless ``keep_deleted`` (what a segment stores never changes, only which of
    its documents are deleted, so callers that cache across index versions
    filter deletions themselves). Weights already include the field's boost
    (Whoosh applies it at index time)."""
    if (field, text) not in segment_reader:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    matcher = segment_reader.postings(field, text)
    raw, deleted = _leaf(matcher)
    ids: list = []
    ws: list = []
    if hasattr(raw, "_read_ids") and hasattr(raw, "_next_block") and hasattr(raw, "_blocklength"):
        while raw.is_active():
            raw._read_ids()
            ids.extend(raw._ids)
            if weights:
                raw._read_weights()
                ws.extend(raw._weights)
            raw._next_block()
    else:
        return _read_postings_slowly(segment_reader, field, text, weights=weights, keep_deleted=keep_deleted)
    id_arr = np.fromiter(ids, dtype=np.int32, count=len(ids))
    w_arr = np.fromiter(ws, dtype=np.float32, count=len(ws)) if weights else np.ones(len(ids), np.float32)
    if deleted and not keep_deleted:
        keep = ~np.isin(id_arr, np.fromiter(deleted, dtype=np.int32, count=len(deleted)))
        id_arr, w_arr = id_arr[keep], w_arr[keep]
    return id_arr, w_arr


def _read_postings_slowly(segment_reader, field: str, text: str, *, weights: bool = True,
                          keep_deleted: bool = False):
    matcher = segment_reader.postings(field, text)
    if keep_deleted:
        matcher = _leaf(matcher)[0]
    ids, ws = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        ws.append(matcher.weight() if weights else 1.0)
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(ws, dtype=np.float32)


def read_positions(segment_reader, field: str, text: str, wanted: np.ndarray) -> dict[int, list[int]]:
    """Positions of a term in the documents ``wanted`` (sorted segment docnums).
    Blocks of postings that hold none of the wanted documents are skipped unread."""
    out: dict[int, list[int]] = {}
    if (field, text) not in segment_reader or not len(wanted):
        return out
    matcher = segment_reader.postings(field, text)
    raw, _deleted = _leaf(matcher)
    want = set(wanted.tolist())
    if not (hasattr(raw, "_read_values") and hasattr(raw, "_maxid") and hasattr(raw, "_next_block")):
        for doc in wanted.tolist():
            if not matcher.is_active():
                break
            matcher.skip_to(doc)
            if matcher.is_active() and matcher.id() == doc:
                out[doc] = matcher.value_as("positions")
        return out
    decode = segment_reader.schema[field].format.decode_positions
    previous_max = -1
    while raw.is_active():
        block_max = raw._maxid
        lo = int(np.searchsorted(wanted, previous_max + 1))
        hi = int(np.searchsorted(wanted, block_max, side="right"))
        previous_max = block_max
        if lo < hi:
            raw._read_ids()
            raw._read_values()
            for doc, value in zip(raw._ids, raw._values, strict=True):
                if doc in want:
                    out[doc] = decode(value)
        if hi >= len(wanted):
            break
        raw._next_block()
    return out


def read_lengths(segment_reader, field: str) -> np.ndarray:
    """Per-document length of ``field`` in one segment (as Whoosh's BM25F sees it)."""
    count = segment_reader.doc_count_all()
    perdoc = getattr(segment_reader, "_perdoc", None)
    if perdoc is None:
        return read_lengths_slowly(segment_reader, field)
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if col is None:
            return np.zeros(count, np.float32)
        raw = col._dbfile.get(col._basepos, col._count)
        codes = np.zeros(count, np.uint8)
        codes[:col._count] = np.frombuffer(bytes(raw), dtype=np.uint8)
        return BYTE_TO_LENGTH[codes]
    except (AttributeError, ImportError):
        return read_lengths_slowly(segment_reader, field)


def read_lengths_slowly(segment_reader, field: str) -> np.ndarray:
    count = segment_reader.doc_count_all()
    return np.array([segment_reader.doc_field_length(d, field) or 0 for d in range(count)], dtype=np.float32)


def read_numeric_column(segment_reader, field: str) -> np.ndarray:
    """A sortable NUMERIC field's values for every document of one segment."""
    count = segment_reader.doc_count_all()
    if not segment_reader.has_column(field):
        return np.zeros(count, np.int64)
    col = segment_reader.column_reader(field, translate=False)
    try:
        typecode, size = col._typecode, col._fixedlen
        raw = bytes(col._dbfile.get(col._basepos, col._count * size))
        values = np.full(count, col._default, dtype=np.int64)
        values[:col._count] = np.frombuffer(raw, dtype=np.dtype(">" + typecode)).astype(np.int64)
        return values
    except AttributeError:
        return np.fromiter((col[d] for d in range(count)), dtype=np.int64, count=count)


def read_column(segment_reader, field: str) -> list:
    """Any sortable field's values for every document of one segment."""
    count = segment_reader.doc_count_all()
    if not segment_reader.has_column(field):
        return [""] * count
    col = segment_reader.column_reader(field)
    return [col[d] for d in range(count)]


# -- writing ------------------------------------------------------------------
class WriteCodec(W3Codec):
    """Whoosh's own format, written faster, for rebuilds and publishes alike: no
    per-block length statistics (only Whoosh's block-skipping scorer reads them;
    the hub ranks with its own arrays) and posting blocks left uncompressed
    (read back faster, too; zlib was a third of writing a one-document segment).
    ``length_stats`` is a W3 codec setting, not part of Whoosh's API."""
    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=0)


# -- readers sharing a segment's open files (hub.search.readers) ---------------
def table_of_contents(ix):
    """The index's latest table of contents (schema, segments, generation): what
    ``FileIndex.reader()`` reads first."""
    return ix._read_toc()


def deleted_docs(segment_reader) -> frozenset[int]:
    """The segment's deleted document numbers, as its reader holds them."""
    return frozenset(segment_reader.deleted_docs_set or ())


def _share_segment_files(reader, core, segment, generation) -> None:
    """Make ``reader`` (a fresh ``SegmentReader`` subclass instance whose
    ``__init__`` was not run) read ``core``'s open files with ``segment``'s own
    deletions: the per-document reader is copied and pointed at ``segment``;
    column readers (stored fields, lengths) stay shared."""
    reader.__dict__.update({k: v for k, v in core.__dict__.items() if k != "deleted_docs_set"})
    reader._segment = segment
    reader._segid = segment.segment_id()
    reader._gen = generation
    reader._perdoc = copy.copy(core._perdoc)
    reader._perdoc._segment = segment


# -- one file position per thread in memory-mapped segment files ---------------
class _PerThreadPosition:
    """A read-only file over a segment's mapped bytes whose position belongs
    to the reading thread.

    Whoosh reads a memory-mapped segment file through ``BufferFile``: ``get``
    slices the buffer, but a posting block is read with ``seek`` then ``read``
    on one ``BytesIO`` per file (a copy of the whole file). Whoosh itself gives
    every searcher its own files; this hub shares a segment's open files
    between gunicorn's threads and the index writer (hub.search.readers), so
    two threads seeking in one ``BytesIO`` read each other's bytes (seen as
    'unpickling stack underflow' in a merge on a following node, then a
    rebuild). Here each thread keeps its own position over the shared bytes,
    and the copy is not made."""

    __slots__ = ("_buf", "_local")

    def __init__(self, buf) -> None:
        self._buf = memoryview(buf).cast("B") if not isinstance(buf, bytes) else memoryview(buf)
        self._local = threading.local()

    def _pos(self) -> int:
        return getattr(self._local, "pos", 0)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos(), len(self._buf))[whence]
        self._local.pos = max(0, base + offset)
        return self._local.pos

    def tell(self) -> int:
        return self._pos()

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos()
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._local.pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos()
        limit = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        end = start
        while end < limit and self._buf[end] != 0x0A:
            end += 1
        self._local.pos = min(end + 1, limit)
        return bytes(self._buf[start:self._local.pos])

    def close(self) -> None:
        """The buffer belongs to the storage's memory map; nothing to close."""


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:
    self._buf = buf
    self._name = name
    self.file = _PerThreadPosition(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def read_mapped_files_per_thread() -> None:
    """Make every ``BufferFile`` (Whoosh's reader of a mapped segment file)
    keep one position per thread. Idempotent; run when this module loads."""
    if BufferFile.__init__ is not _buffer_file_init:
        BufferFile.__init__ = _buffer_file_init  # type: ignore[method-assign]


read_mapped_files_per_thread()


class SharedSegmentReader(SegmentReader):
    """A segment reader over a ``core`` reader's open files with ``segment``'s
    own deletions: opening a segment copies its files (hub.search.readers), so
    every snapshot of a process shares one core per segment.

    ``close()`` only marks it closed: the files belong to the core, closed by
    the pool that opened it. ``pool_key`` names that core."""

    def __init__(self, core: SegmentReader, segment, generation: int, key: tuple[str, str]) -> None:
        # No super().__init__(): that would open the files again.
        _share_segment_files(self, core, segment, generation)
        self.pool_key = key
        self.is_closed = False

    def close(self) -> None:
        self.is_closed = True
