"""One open searcher and everything computed from it, cached until the index
changes: posting arrays per term, document sets per label and facet value, and
the orders used for "newest" and "title".

A snapshot never changes after it is opened (the index writer creates new
segments; this searcher keeps reading the old ones), so its caches need no
invalidation: the index module simply opens a new snapshot when the index on
disk moved on.
"""
from __future__ import annotations

import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from hub.search import whoosh_adapter as postings
from hub.search.analysis import pair_term
from hub.search.schema import FACETS

K1, B = 1.2, 0.75
CACHE_BYTES = 96 * 1024 * 1024
#: What segments store (raw postings, lengths, columns), kept across snapshots.
SEGMENT_CACHE_BYTES = 64 * 1024 * 1024
#: Terms' postings over whole snapshots, kept so the next snapshot starts from them.
SPAN_CACHE_BYTES = 48 * 1024 * 1024


@dataclass(frozen=True)
class FacetColumn:
    """The values of one facet field and, per value, which documents carry it."""
    values: tuple[str, ...]
    matrix: np.ndarray  # float32, shape (len(values), size): 1.0 where the document has the value

    @property
    def nbytes(self) -> int:  # for the LRU's accounting
        return self.matrix.nbytes

    def mask(self, selected) -> np.ndarray:
        rows = [i for i, v in enumerate(self.values) if v in selected]
        if not rows:
            return np.zeros(self.matrix.shape[1], dtype=bool)
        return self.matrix[rows].any(axis=0)

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        if not len(self.values):
            return {}
        # Both sides hold only 0.0 and 1.0, so no result can be invalid; under
        # load the BLAS matmul was seen to leave a stale floating-point flag that
        # numpy reports as "invalid value" (a spurious warning, an error in tests).
        with np.errstate(invalid="ignore", over="ignore"):
            totals = self.matrix @ mask.astype(np.float32)
        return {v: round(c) for v, c in zip(self.values, totals.tolist(), strict=True)}


#: Above this many words in a segment, words found in a single document of it
#: are left out of spelling suggestions (mostly typos themselves) to bound memory.
SPELLING_ALL_WORDS_UP_TO = 30_000


def _one_deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))] if len(word) > 1 else []


def _deletion_index(reader) -> _Spelling:
    """Every word of one segment's spelling field and its one-letter deletions -> words."""
    if "spell" not in reader.indexed_field_names():
        return _Spelling({})
    words = [(w.decode("utf-8") if isinstance(w, bytes) else w, info.doc_frequency())
             for w, info in reader.iter_field("spell")]
    if len(words) > SPELLING_ALL_WORDS_UP_TO:
        words = [(w, df) for w, df in words if df > 1]
    index: dict[str, list[str]] = {}
    for word, _ in words:
        if len(word) < 3 or len(word) > 30 or not word.isalpha():
            continue
        for variant in {word, *_one_deletions(word)}:
            index.setdefault(variant, []).append(word)
    return _Spelling({k: tuple(v) for k, v in index.items()})


class _Spelling:
    """One segment's deletion index, with a size the LRU can weigh."""

    def __init__(self, index: dict[str, tuple[str, ...]]):
        self.index = index
        self.nbytes = 120 * len(index)


#: A segment this small (a publish's own) has its terms listed once: most terms a
#: search asks for are not in it, and a set answers that faster than Whoosh's
#: term table (0.2 against 4-10 microseconds; listing a one-document segment's
#: 700 terms takes under a millisecond).
LISTED_TERMS_UP_TO = 3
_NO_POSTINGS = (np.empty(0, np.int32), np.empty(0, np.float32))


class _TermSet:
    """Every (field, term) of one small segment."""

    def __init__(self, reader):
        self.terms = frozenset(reader.all_terms())
        self.nbytes = 100 * len(self.terms)


class _LRU:
    """A small byte-bounded LRU for arrays (thread-safe enough for Flask's threads)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def _size(value) -> int:
        if isinstance(value, tuple):
            return sum(getattr(v, "nbytes", 64) for v in value)
        return getattr(value, "nbytes", 64)

    def get(self, key):
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
            return value

    def put(self, key, value, replace: bool = False) -> None:
        size = self._size(value)
        with self.lock:
            if key in self.data:
                if not replace:
                    return
                self.bytes -= self._size(self.data.pop(key))
            self.data[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes and len(self.data) > 1:
                _, old = self.data.popitem(last=False)
                self.bytes -= self._size(old)


@dataclass(frozen=True)
class _Span:
    """A term's postings over every segment of one snapshot, with what its
    BM25F contribution is computed from.

    A publish appends a segment, and a merge replaces the last few; the
    segments before them keep their documents and docnums. So a later
    snapshot takes the part of a span that covers the segments it shares
    (masked with its own live documents: deletions only ever grow) and reads
    only the segments after, instead of going through every segment again."""
    keys: tuple  # the snapshot's segment keys (``Snapshot._leaf_keys``)
    ids: np.ndarray  # int32 docnums, live when read
    weights: np.ndarray  # float32 raw term weights
    lengths: np.ndarray  # float32 field lengths of those documents
    stored: tuple[int, ...]  # per segment: postings Whoosh keeps, deleted documents' included

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.weights.nbytes + self.lengths.nbytes


class SegmentCache:
    """What a segment stores, read once per process and kept across snapshots.

    A Whoosh segment never changes once written; a publish adds a small new
    segment and marks the old version deleted. So when a worker opens a new
    snapshot after a publish, the big segments' posting lists, field lengths
    and columns come from here, and only the new segment is read from disk:
    the first searches after a change are not all "cold". Deletions are not
    part of what is cached; each snapshot filters them with its own mask.
    """

    def __init__(self, max_bytes: int = SEGMENT_CACHE_BYTES, span_bytes: int = SPAN_CACHE_BYTES):
        self._lru = _LRU(max_bytes)
        self._spans = _LRU(span_bytes)

    def span(self, field: str, text: str) -> _Span | None:
        """The term's postings as the last snapshot that asked for it found them."""
        return self._spans.get((field, text))

    def keep_span(self, field: str, text: str, span: _Span) -> None:
        self._spans.put((field, text), span, replace=True)

    @staticmethod
    def _key(reader, generation, *parts) -> tuple | None:
        """None for a reader without a segment (an empty index): read, not cached."""
        segment = reader.segment() if hasattr(reader, "segment") else None
        return None if segment is None else (generation, segment.segment_id(), *parts)

    def _cached(self, reader, generation, key: tuple, compute, prefix: tuple | None = None):
        full = (prefix + key) if prefix is not None else self._key(reader, generation, *key)
        hit = None if full is None else self._lru.get(full)
        if hit is None:
            hit = compute()
            if full is not None:
                self._lru.put(full, hit)
        return hit

    def postings(self, reader, generation, field: str, text: str,
                 prefix: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A term's raw postings in one segment. ``prefix`` (``key_of``) saves
        working out the segment's key again: a search asks every segment for
        every term, dozens of times a page."""
        def read() -> tuple[np.ndarray, np.ndarray]:
            if reader.doc_count_all() <= LISTED_TERMS_UP_TO:
                listed = self._cached(reader, generation, ("terms",), lambda: _TermSet(reader)).terms
                if (field, text.encode("utf-8")) not in listed:
                    return _NO_POSTINGS
            return postings.read_postings(reader, field, text, keep_deleted=True)
        return self._cached(reader, generation, ("p", field, text), read, prefix)

    def key_of(self, reader, generation) -> tuple | None:
        return self._key(reader, generation)

    def lengths(self, reader, generation, field: str) -> np.ndarray:
        return self._cached(reader, generation, ("l", field), lambda: postings.read_lengths(reader, field))

    def numeric(self, reader, generation, field: str) -> np.ndarray:
        return self._cached(reader, generation, ("n", field), lambda: postings.read_numeric_column(reader, field))

    def facet_block(self, reader, generation, name: str) -> FacetColumn:
        """One segment's part of a facet: its values and, per value, which of its
        documents (deleted ones included) carry it."""
        def build() -> FacetColumn:
            values = tuple(sorted(reader.field_terms(name))) if name in reader.indexed_field_names() else ()
            matrix = np.zeros((len(values), reader.doc_count_all()), dtype=np.float32)
            for row, value in enumerate(values):
                matrix[row, self.postings(reader, generation, name, value)[0]] = 1.0
            return FacetColumn(values, matrix)
        return self._cached(reader, generation, ("f", name), build)

    def spelling(self, reader, generation) -> dict[str, tuple[str, ...]]:
        """The segment's spelling words by one-letter deletion: built once per
        segment (about 0.1 s for a big one), not once per snapshot."""
        return self._cached(reader, generation, ("s",), lambda: _deletion_index(reader)).index


def _phrase_docs(reader, field: str, words: tuple[str, ...], local: np.ndarray) -> np.ndarray:
    found: list[int] = []
    if len(local):
        positions = [postings.read_positions(reader, field, w, local) for w in words]
        for doc in local.tolist():
            starts = set(positions[0].get(doc, ()))
            for i, per_doc in enumerate(positions[1:], start=1):
                starts &= {p - i for p in per_doc.get(doc, ())}
                if not starts:
                    break
            if starts:
                found.append(doc)
    return np.array(found, dtype=np.int64)


class Snapshot:
    def __init__(self, searcher, generation: str | None = None, segments: SegmentCache | None = None):
        self.searcher = searcher
        self.generation = generation
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        self._segments = segments if segments is not None else SegmentCache()
        self._leaf_keys = tuple(self._segments.key_of(reader, generation) for reader, _ in self.leaves)
        self._shared: dict[tuple, int] = {}
        self._cache = _LRU(CACHE_BYTES)
        self._lock = threading.RLock()
        self._facets: dict[str, FacetColumn] = {}
        self._labels: dict[frozenset, np.ndarray] = {}
        self._label_sets: dict[frozenset, set] = {}
        self._orders: dict[str, np.ndarray] = {}
        self._ids: np.ndarray | None = None
        self._averages: dict[str, float] = {}
        live = np.ones(self.size, dtype=bool)
        if self.reader.has_deletions():
            for reader, offset in self.leaves:
                for doc in postings.deleted_docs(reader):
                    live[offset + doc] = False
        self.live = live

    def close(self) -> None:
        self.searcher.close()

    def up_to_date(self) -> bool:
        """Whether the index on disk is still the one this snapshot reads."""
        return self.searcher.up_to_date()

    def doc_count(self) -> int:
        return int(self.live.sum())

    # -- terms ------------------------------------------------------------
    def term_postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25F contribution) of a term over the whole index, cached."""
        key = ("t", field, text)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        span = self._span(field, text)
        ids, ws = span.ids, span.weights
        if len(ids):
            # Whoosh's BM25F idf and average length, from what is already in
            # hand: asking the searcher looks the term up in every segment again.
            idf = math.log(self.size / (sum(span.stored) + 1)) + 1
            contrib = (idf * (ws * (K1 + 1)) / (ws + K1 * ((1 - B) + B * span.lengths / self._avg_length(field)))
                       ).astype(np.float32)
        else:
            contrib = np.empty(0, np.float32)
        value = (ids, contrib)
        self._cache.put(key, value)
        return value

    def _span(self, field: str, text: str) -> _Span:
        """The term's postings in this snapshot: those of the segments it shares
        with the last snapshot that asked, then the segments after them."""
        previous = self._segments.span(field, text)
        shared = self._shared_leaves(previous.keys) if previous is not None else 0
        ids_parts, w_parts, len_parts, stored = [], [], [], []
        if shared:
            ids, ws, lens = previous.ids, previous.weights, previous.lengths
            if shared < len(previous.keys):
                cut = int(np.searchsorted(ids, self.leaves[shared][1]))
                ids, ws, lens = ids[:cut], ws[:cut], lens[:cut]
            live = self.live[ids]
            if not live.all():
                ids, ws, lens = ids[live], ws[live], lens[live]
            ids_parts, w_parts, len_parts = [ids], [ws], [lens]
            stored = list(previous.stored[:shared])
        for (reader, offset), prefix in zip(self.leaves[shared:], self._leaf_keys[shared:], strict=True):
            ids, ws = self._segments.postings(reader, self.generation, field, text, prefix)
            stored.append(len(ids))
            if len(ids):
                lens = self._segments.lengths(reader, self.generation, field)[ids]
                live = self.live[ids + offset]
                if not live.all():
                    ids, ws, lens = ids[live], ws[live], lens[live]
                ids_parts.append(ids + offset)
                w_parts.append(ws)
                len_parts.append(lens)
        if not ids_parts:
            ids_parts, w_parts, len_parts = [_NO_POSTINGS[0]], [_NO_POSTINGS[1]], [_NO_POSTINGS[1]]
        joined = [parts[0] if len(parts) == 1 else np.concatenate(parts) for parts in (ids_parts, w_parts, len_parts)]
        span = _Span(self._leaf_keys, *joined, tuple(stored))
        if previous is None or previous.keys is not self._leaf_keys:
            self._segments.keep_span(field, text, span)
        return span

    def _shared_leaves(self, keys: tuple) -> int:
        """How many leading segments this snapshot shares with one whose keys are ``keys``."""
        shared = self._shared.get(keys)
        if shared is None:
            shared = 0
            for mine, theirs in zip(self._leaf_keys, keys, strict=False):  # the common prefix
                if mine is None or mine != theirs:
                    break
                shared += 1
            self._shared[keys] = shared
        return shared

    def _avg_length(self, field: str) -> float:
        avg = self._averages.get(field)
        if avg is None:
            avg = self._averages[field] = self.searcher.avg_field_length(field) or 1.0
        return avg

    def term_mask(self, field: str, text: str) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.term_postings(field, text)[0]] = True
        return mask

    def phrase_by_pairs(self, pair_field: str, words: tuple[str, ...], fields: tuple[str, ...]) -> np.ndarray:
        """Documents where the analysed ``words`` stand next to each other in
        one of ``fields`` (all analysed alike), from ``pair_field``'s terms of
        adjacent words: a two-word phrase is one look-up; a longer one is the
        documents holding each of its pairs, their positions then checked."""
        key = ("pp", pair_field, words)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        mask = self.live.copy()
        for first, second in itertools.pairwise(words):
            mask &= self.term_mask(pair_field, pair_term(first, second))
            if not mask.any():
                break
        if len(words) > 2 and mask.any():
            candidates = np.flatnonzero(mask)
            exact = np.zeros(len(candidates), dtype=bool)
            for name in fields:
                holding = np.ones(len(candidates), dtype=bool)
                for word in set(words):
                    holding &= np.isin(candidates, self.term_postings(name, word)[0], assume_unique=True)
                if holding.any():
                    exact[holding] |= self.phrase_among(name, words, candidates[holding])
            mask = np.zeros(self.size, dtype=bool)
            mask[candidates[exact]] = True
        self._cache.put(key, mask)
        return mask

    def phrase_among(self, field: str, words: tuple[str, ...], docs: np.ndarray) -> np.ndarray:
        """For each of ``docs`` (sorted docnums), whether the analysed ``words``
        stand next to each other in ``field``. Reads the positions of those
        documents only, uncached (checking a long phrase's few candidates)."""
        found = np.zeros(len(docs), dtype=bool)
        if not len(docs) or not all(len(self.term_postings(field, w)[0]) for w in words):
            return found
        for reader, offset in self.leaves:
            size = reader.doc_count_all()
            lo, hi = np.searchsorted(docs, offset), np.searchsorted(docs, offset + size)
            if lo == hi:
                continue
            local = (docs[lo:hi] - offset).astype(np.int32)
            hits = _phrase_docs(reader, field, words, local)
            found[lo:hi] = np.isin(local, hits)
        return found

    def column(self, field: str) -> np.ndarray:
        """A numeric column over every docnum (``work``, ``language_code``), cached."""
        with self._lock:
            key = "column:" + field
            values = self._orders.get(key)
            if values is None:
                values = self._orders[key] = self._numeric(field)
            return values

    # -- document sets ----------------------------------------------------
    def label_mask(self, labels: frozenset[str]) -> np.ndarray:
        """Documents any of these read labels may see (deleted ones excluded)."""
        with self._lock:
            mask = self._labels.get(labels)
            if mask is None:
                mask = np.zeros(self.size, dtype=bool)
                for label in labels:
                    mask[self.term_postings("labels", label)[0]] = True
                mask &= self.live
                self._labels[labels] = mask
            return mask

    def facet(self, name: str) -> FacetColumn:
        with self._lock:
            col = self._facets.get(name)
            if col is None:
                # Assembled from each segment's block: after a publish only the
                # new segment's block is built.
                blocks = [(self._segments.facet_block(reader, self.generation, name), offset)
                          for reader, offset in self.leaves]
                values = tuple(sorted({v for block, _ in blocks for v in block.values}))
                row_of = {v: i for i, v in enumerate(values)}
                matrix = np.zeros((len(values), self.size), dtype=np.float32)
                for block, offset in blocks:
                    if block.values:
                        rows = [row_of[v] for v in block.values]
                        matrix[rows, offset:offset + block.matrix.shape[1]] = block.matrix
                matrix *= self.live
                col = FacetColumn(values, matrix)
                self._facets[name] = col
            return col

    def facets(self) -> dict[str, FacetColumn]:
        return {name: self.facet(name) for name in FACETS}

    # -- orders -----------------------------------------------------------
    def order(self, sort: str) -> np.ndarray:
        """Every docnum in the order of ``sort`` ('newest' or 'title'); ties broken by
        newest resource id first (deterministic across rebuilds)."""
        with self._lock:
            order = self._orders.get(sort)
            if order is None:
                nums = self._numeric("num")
                if sort == "title":
                    keys = self.values("title_sort")
                    order = np.array(sorted(range(self.size), key=lambda d: (keys[d], -int(nums[d]))),
                                     dtype=np.int64)
                else:
                    published = self._numeric("published")
                    order = np.lexsort((-nums, -published))
                self._orders[sort] = order
            return order

    def rank(self, sort: str) -> np.ndarray:
        """Position of each docnum in ``order(sort)``: a tie-breaker for relevance."""
        key = "rank:" + sort
        with self._lock:
            rank = self._orders.get(key)
            if rank is None:
                order = self.order(sort)
                rank = np.empty(self.size, dtype=np.int64)
                rank[order] = np.arange(self.size)
                self._orders[key] = rank
            return rank

    def spelling_candidates(self, word: str) -> set[str]:
        """Words of the spelling field that share a one-letter deletion with
        ``word`` (or are it): every word within one edit, and most within two
        (a swap, a substitution), found by dictionary look-ups. Words of deleted
        documents may be among them; callers keep those visible documents hold."""
        variants = {word, *_one_deletions(word)}
        found: set[str] = set()
        for reader, _ in self.leaves:
            deletes = self._segments.spelling(reader, self.generation)
            for variant in variants:
                found.update(deletes.get(variant, ()))
        return found

    def values(self, field: str) -> list:
        """A sortable field's value for every docnum (``slug``, ``title_sort``), read
        from its column, uncached: callers keep what they build from it."""
        out: list = []
        for reader, _ in self.leaves:
            out.extend(postings.read_column(reader, field))
        return out

    def terms_with_prefix(self, field: str, prefix: str) -> Iterator[str]:
        """The terms of ``field`` that start with ``prefix``, in order."""
        for term in self.reader.expand_prefix(field, prefix):
            yield term.decode("utf-8") if isinstance(term, bytes) else term

    def has_any(self, field: str) -> bool:
        return field in self.reader.indexed_field_names()

    def _numeric(self, field: str) -> np.ndarray:
        parts = [self._segments.numeric(reader, self.generation, field) for reader, _ in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def stored_id(self, docnum: int) -> int:
        """The resource id of a document: its ``num`` column (the id as a
        number), read once per segment, instead of unpickling its stored fields."""
        with self._lock:
            ids = self._ids
            if ids is None:
                ids = self._ids = self._numeric("num")
        return int(ids[int(docnum)])

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(int(docnum))
