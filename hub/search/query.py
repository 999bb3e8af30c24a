"""Run one search on a snapshot: the reader's words, the reader's labels and the
facet filters become document sets; hits, total and disjunctive facet counts
are all computed from the same sets, so no number can count a document the
reader may not see.

Ranking is Whoosh's BM25F (same idf, field lengths, K1 and B), computed over
cached posting arrays instead of document-at-a-time matchers. Facet counts use
one document set per facet value intersected with the match set (a
matrix-vector product), never ``groupedby``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from hub.search import editions, syntax
from hub.search.analysis import LANGS, analyzer, fold, plain_analyzer, stop_words, word_analyzer
from hub.search.schema import FACETS, META_FIELD, SEARCH_FIELDS, field_language
from hub.search.snapshot import Snapshot

SORTS = ("relevance", "newest", "title")


@dataclass(frozen=True)
class SearchRequest:
    query: str
    labels: frozenset[str]
    filters: dict[str, frozenset[str]] = field(default_factory=dict)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    #: Lists for people: one edition per work, the one in this language when
    #: both are found (hub/search/editions.py). None (the API) lists editions.
    edition_language: str | None = None


@dataclass
class RawHit:
    docnum: int
    resource_id: int
    score: float | None


@dataclass
class RawResult:
    total: int
    hits: list[RawHit]
    facet_counts: dict[str, dict[str, int]]
    #: For each active facet, how many results there would be without its filter.
    totals_without: dict[str, int]
    #: The analysed words to mark in snippets, per language.
    terms: dict[str, frozenset[str]]
    sort: str
    correction: str | None = None
    #: For each active facet, how many visible documents carry each value, all
    #: filters aside (which values exist at all for this reader).
    visible_values: dict[str, dict[str, int]] = field(default_factory=dict)


# -- analysis of the reader's words -------------------------------------------
@lru_cache(maxsize=4096)
def _field_tokens(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each searchable field, the terms ``word`` becomes under its analyser."""
    per_analyzer = {lang: tuple(t.text for t in analyzer(lang)(word)) for lang in LANGS}
    per_analyzer[None] = tuple(t.text for t in plain_analyzer()(word))
    out = []
    for name in SEARCH_FIELDS:
        toks = per_analyzer[field_language(name)] if name != META_FIELD else per_analyzer[None]
        if toks:
            out.append((name, toks))
    return tuple(out)


class _Compiler:
    """Turns a query tree into a document mask and the list of scoring terms."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.leaves: list[tuple[str, str]] = []

    def mask(self, node, positive: bool = True) -> np.ndarray | None:
        snap = self.snap
        if isinstance(node, syntax.Word):
            return self._words([node.text], positive, phrase=False)
        if isinstance(node, syntax.Phrase):
            return self._words(list(node.words), positive, phrase=True)
        if isinstance(node, syntax.Not):
            inner = self.mask(node.item, not positive)
            return None if inner is None else (snap.live & ~inner)
        if isinstance(node, (syntax.And, syntax.Or)):
            masks = [m for m in (self.mask(item, positive) for item in node.items) if m is not None]
            if not masks:
                return None
            out = masks[0].copy()
            for m in masks[1:]:
                if isinstance(node, syntax.And):
                    out &= m
                else:
                    out |= m
            return out
        return None

    def _words(self, words: list[str], positive: bool, phrase: bool) -> np.ndarray | None:
        snap = self.snap
        text = " ".join(words)
        fields = _field_tokens(text)
        if not fields:
            return None  # stop words only: no constraint
        out = np.zeros(snap.size, dtype=bool)
        for name, toks in fields:
            if phrase and len(toks) > 1:
                out |= snap.phrase_mask(name, toks)
            else:
                m = snap.term_mask(name, toks[0])
                for tok in toks[1:]:
                    m &= snap.term_mask(name, tok)
                out |= m
            if positive:
                self.leaves.extend((name, tok) for tok in toks)
        return out


def _scores(snap: Snapshot, leaves: list[tuple[str, str]]) -> np.ndarray:
    scores = np.zeros(snap.size, dtype=np.float32)
    for name, tok in leaves:
        ids, contrib = snap.term_postings(name, tok)
        if len(ids):
            scores[ids] += contrib
    return scores


def highlight_terms(tree) -> dict[str, frozenset[str]]:
    words = " ".join(syntax.positive_words(tree))
    return {lang: frozenset(t.text for t in analyzer(lang)(words)) for lang in LANGS}


# -- the search -----------------------------------------------------------------
def run(snap: Snapshot, req: SearchRequest, *, correct: bool = True) -> RawResult:
    tree = syntax.parse(req.query)
    compiler = _Compiler(snap)
    text_mask = compiler.mask(tree) if tree is not None else None
    visible = snap.label_mask(req.labels)
    base = visible if text_mask is None else (text_mask & visible)

    active = {name: values for name, values in req.filters.items() if values and name in FACETS}
    facet_masks = {name: snap.facet(name).mask(values) for name, values in active.items()}
    counts: dict[str, dict[str, int]] = {}
    totals_without: dict[str, int] = {}
    works = editions.OnePerWork(snap, req.edition_language) if req.edition_language else None
    final = None
    for name in FACETS:
        m = base
        for other, fm in facet_masks.items():
            if other != name:
                m = m & fm
        counts[name] = works.counts(snap.facet(name), m) if works else snap.facet(name).counts(m)
        if name in facet_masks:
            totals_without[name] = int((works.keep(m) if works else m).sum())
            if final is None:
                final = m & facet_masks[name]
    if final is None:
        final = base
    if works is not None:
        final = works.keep(final)
    total = int(final.sum())

    sort = req.sort if req.sort in SORTS else "relevance"
    scored = sort == "relevance" and bool(compiler.leaves)
    if sort == "relevance" and not compiler.leaves:
        sort = "newest"  # nothing to rank by: browse, newest first
    start, stop = max(req.offset, 0), max(req.offset, 0) + max(req.limit, 0)
    hits: list[RawHit] = []
    if total and stop > start:
        if scored:
            scores = _scores(snap, compiler.leaves)
            docs, page_scores = _top(snap, final, scores, start, stop)
        else:
            ordered = snap.order(sort)
            docs = ordered[final[ordered]][start:stop]
            page_scores = [None] * len(docs)
        hits = [RawHit(int(d), snap.stored_id(int(d)), None if s is None else float(s))
                for d, s in zip(docs.tolist(), page_scores)]

    result = RawResult(total=total, hits=hits, facet_counts=counts, totals_without=totals_without,
                       terms=highlight_terms(tree), sort="relevance" if scored else sort,
                       visible_values={name: snap.facet(name).counts(visible) for name in FACETS if name in active})
    if correct and total == 0 and tree is not None:
        result.correction = did_you_mean(snap, req, tree, visible)
    return result


def count(snap: Snapshot, req: SearchRequest) -> int:
    return run(snap, SearchRequest(req.query, req.labels, req.filters, "newest", 0, 0), correct=False).total


def _top(snap: Snapshot, final: np.ndarray, scores: np.ndarray, start: int, stop: int):
    """The page ``start:stop`` of the final set ordered by score, ties newest first."""
    candidates = np.flatnonzero(final)
    cand_scores = scores[candidates]
    if stop < len(candidates):
        # Keep every candidate scoring at least the stop-th best, ties included, so
        # that the order (and so each page) does not depend on where the page ends.
        threshold = -np.partition(-cand_scores, stop - 1)[stop - 1]
        keep = cand_scores >= threshold
        candidates, cand_scores = candidates[keep], cand_scores[keep]
    tie = snap.rank("newest")[candidates]
    order = np.lexsort((tie, -cand_scores))[start:stop]
    return candidates[order], cand_scores[order].tolist()


# -- did you mean ----------------------------------------------------------------
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


def did_you_mean(snap: Snapshot, req: SearchRequest, tree, visible: np.ndarray) -> str | None:
    """A corrected query built only from words of documents the reader may see,
    offered only when it finds something with the same filters."""
    replacements: dict[str, str] = {}
    for word in dict.fromkeys(syntax.positive_words(tree)):
        for token in [t.text for t in word_analyzer()(word)]:
            if token in stop_words() or len(token) < 3 or token.isdigit():
                continue
            compiler = _Compiler(snap)
            seen = compiler.mask(syntax.Word(token))
            if seen is not None and (seen & visible).any():
                continue
            best = _closest_visible(snap, token, visible)
            if best:
                replacements[token] = best
    if not replacements:
        return None
    corrected = _WORD_RE.sub(lambda m: replacements.get(fold(m.group(0)), m.group(0)), req.query)
    if corrected == req.query:
        return None
    if count(snap, SearchRequest(corrected, req.labels, req.filters)) == 0:
        return None
    return corrected


def _closest_visible(snap: Snapshot, token: str, visible: np.ndarray) -> str | None:
    """The nearest word (edit distance at most 2) of the spelling field that a
    visible document holds; among equals, the one most visible documents hold."""
    if not snap.has_any("spell") or len(token) > 30:
        return None
    best: tuple | None = None
    for candidate in snap.spelling_candidates(token):
        if candidate == token or candidate in stop_words():
            continue
        distance = edit_distance(token, candidate)
        if distance > 2:
            continue
        ids = snap.term_postings("spell", candidate)[0]
        seen = int(visible[ids].sum()) if len(ids) else 0
        if not seen:
            continue  # a word only hidden documents contain is never offered
        key = (distance, -seen, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# -- completion ------------------------------------------------------------------
def complete_titles(snap: Snapshot, text: str, labels: frozenset[str], limit: int = 6) -> list[int]:
    """Docnums of visible resources whose title words start with what was typed."""
    words = [t.text for t in word_analyzer()(text[:200])][:8]
    if not words:
        return []
    typing_last = not text[-1:].isspace()
    complete, prefix = (words[:-1], words[-1]) if typing_last else (words, None)
    mask = snap.label_mask(labels).copy()
    scores = np.zeros(snap.size, dtype=np.float32)
    for word in complete:
        ids, contrib = snap.term_postings("title_words", word)
        m = np.zeros(snap.size, dtype=bool)
        m[ids] = True
        mask &= m
        scores[ids] += contrib
    if prefix is not None:
        if len(prefix) < 2 and not complete:
            return []
        m = np.zeros(snap.size, dtype=bool)
        for n, term in enumerate(snap.reader.expand_prefix("title_words", prefix)):
            if n >= 200:
                break
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            ids, contrib = snap.term_postings("title_words", term)
            m[ids] = True
            scores[ids] += contrib
        mask &= m
    candidates = np.flatnonzero(mask)
    if not len(candidates):
        return []
    tie = snap.rank("newest")[candidates]
    order = np.lexsort((tie, -scores[candidates]))[:limit]
    return candidates[order].tolist()


# -- related resources -------------------------------------------------------------
def related(snap: Snapshot, labels: frozenset[str], shared: list[tuple[str, str, float]],
            bonus: tuple[str, str, float] | None = None, limit: int = 10) -> list[int]:
    """Resource ids of the visible documents sharing the most weighted keys
    (``(field, key, weight)``) with a resource, best first, ties newest first.
    ``bonus`` only reorders documents that share something already (same
    type). Computed from the cached key postings, so it costs the same at
    50,000 resources as at 50, unlike scanning every row's tags."""
    scores = np.zeros(snap.size, dtype=np.float32)
    for name, key, weight in shared:
        ids = snap.term_postings(name, key)[0]
        if len(ids):
            scores[ids] += weight
    candidates = np.flatnonzero((scores > 0) & snap.label_mask(labels))
    if not len(candidates):
        return []
    if bonus is not None:
        ids = snap.term_postings(bonus[0], bonus[1])[0]
        extra = np.zeros(snap.size, dtype=np.float32)
        extra[ids] = bonus[2]
        scores = scores + extra
    cand_scores = scores[candidates]
    if limit < len(candidates):
        threshold = -np.partition(-cand_scores, limit - 1)[limit - 1]
        keep = cand_scores >= threshold
        candidates, cand_scores = candidates[keep], cand_scores[keep]
    order = np.lexsort((snap.rank("newest")[candidates], -cand_scores))[:limit]
    return [snap.stored_id(int(d)) for d in candidates[order].tolist()]
