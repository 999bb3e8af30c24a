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

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from hub.search import editions, ranking, syntax
from hub.search.analysis import LANGS, analyzer, fold, pair_term, plain_analyzer, stop_words, word_analyzer
from hub.search.lexicon import question_words
from hub.search.schema import (
    FACETS,
    NAMES_FIELD,
    PAIR_FIELDS,
    SEARCH_FIELDS,
    TITLE_FIELDS,
    field_language,
    language_code,
)
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
    #: The reader's language: between a resource and its translation, theirs first.
    locale: str | None = None
    #: False: search the words as typed (no automatic spelling correction).
    correct: bool = True
    #: Lists for people: one edition per work, the one in this language when
    #: both are found (hub/search/editions.py). None (the API) lists editions.
    edition_language: str | None = None
    #: A page past the end gives the last page (pages), rather than nothing (the
    #: API): decided here, from the total this one run finds.
    last_page_past_end: bool = False


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
    #: Some listed documents contain only some of the words.
    partial: bool = False
    #: The query as searched when misspelt words were corrected (None: as typed).
    corrected: str | None = None
    #: Where the page of ``hits`` starts: the request's offset, or the last
    #: page's when ``last_page_past_end`` moved it.
    offset: int = 0


# -- analysis of the reader's words -------------------------------------------
@lru_cache(maxsize=4096)
def _field_tokens(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each searchable field, the terms ``word`` becomes under its analyser."""
    per_analyzer = {lang: tuple(t.text for t in analyzer(lang)(word)) for lang in LANGS}
    per_analyzer[None] = tuple(t.text for t in plain_analyzer()(word))
    out = []
    for name in SEARCH_FIELDS:
        toks = per_analyzer[field_language(name)]
        if toks:
            out.append((name, toks))
    return tuple(out)


class _Compiler:
    """Turns a query tree into document masks and the scoring terms
    (``leaves``: field, term and how much that term counts)."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.leaves: list[tuple[str, str, float]] = []
        self.factor = 1.0
        #: Documents where the last words compiled match in a title or a name.
        self.in_title: np.ndarray | None = None

    def mask(self, node, positive: bool = True) -> np.ndarray | None:
        snap = self.snap
        if isinstance(node, syntax.Word):
            return self._words([node.text], positive, phrase=False)
        if isinstance(node, syntax.Phrase):
            return self._words(list(node.words), positive, phrase=True)
        if isinstance(node, syntax.Required):
            return self.mask(node.item, positive)
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
        in_title = np.zeros(snap.size, dtype=bool)
        together: dict[str | None, np.ndarray] = {}  # per analysis: the phrase stands somewhere
        for name, toks in fields:
            m = snap.term_mask(name, toks[0])
            for tok in toks[1:]:
                m &= snap.term_mask(name, tok)
            if phrase and len(toks) > 1:
                lang = field_language(name)
                if lang not in together:
                    same = tuple(f for f, t in fields if field_language(f) == lang and t == toks)
                    together[lang] = snap.phrase_by_pairs(PAIR_FIELDS[lang], toks, same)
                m &= together[lang]
            out |= m
            if name in TITLE_FIELDS:
                in_title |= m
            if positive:
                self.leaves.extend((name, tok, self.factor) for tok in toks)
        self.in_title = in_title
        return out


def _scores(snap: Snapshot, leaves: list[tuple[str, str, float]]) -> np.ndarray:
    scores = np.zeros(snap.size, dtype=np.float32)
    for name, tok, factor in leaves:
        ids, contrib = snap.term_postings(name, tok)
        if len(ids):
            scores[ids] += contrib if factor == 1.0 else contrib * factor
    return scores


def highlight_terms(tree) -> dict[str, frozenset[str]]:
    words = " ".join(syntax.positive_words(tree))
    return {lang: frozenset(t.text for t in analyzer(lang)(words)) for lang in LANGS}


# -- best match ----------------------------------------------------------------
@dataclass
class _Clause:
    """One part of the reader's query: a word, a group in parentheses, a
    phrase, a required word, or an excluded one."""
    kind: str  # "optional" (counts towards the minimum), "weak" (question words), "required", "excluded"
    mask: np.ndarray
    in_title: np.ndarray | None = None
    word: str | None = None  # a plain word: what proximity looks at


@dataclass
class _Plan:
    clauses: list[_Clause]
    leaves: list[tuple[str, str, float]]
    replacements: dict[str, str]  # corrected words: as typed -> as searched

    @property
    def optional(self) -> list[_Clause]:
        return [c for c in self.clauses if c.kind == "optional"]


def minimum_should_match(n: int) -> int:
    """How many of ``n`` optional words a document must contain: all of one or
    two (precision on short queries), then a growing share (recall on long)."""
    if n <= 2:
        return n
    return max(2, math.ceil(n * ranking.MINIMUM_SHARE))


def _plan(snap: Snapshot, tree, visible: np.ndarray, correct: bool) -> _Plan:
    items = list(tree.items) if isinstance(tree, syntax.And) else [tree]
    compiler = _Compiler(snap)
    clauses: list[_Clause] = []
    replacements: dict[str, str] = {}
    questions = question_words()
    for item in items:
        if isinstance(item, syntax.Not):
            inner = _Compiler(snap).mask(item.item, positive=False)
            if inner is not None:
                clauses.append(_Clause("excluded", inner))
            continue
        required = isinstance(item, (syntax.Required, syntax.Phrase))
        weak = isinstance(item, syntax.Word) and fold(item.text) in questions
        compiler.factor = ranking.QUESTION_WORD_WEIGHT if weak else 1.0
        before = len(compiler.leaves)
        mask = compiler.mask(item)
        if mask is None:
            continue
        word = item.text if isinstance(item, syntax.Word) else None
        corrected_here = False
        if correct and word is not None and not weak and not (mask & visible).any():
            fixed = _correct_word(snap, word, visible)
            if fixed is not None:
                typed_leaves = compiler.leaves[before:]
                del compiler.leaves[before:]
                fixed_mask = compiler.mask(syntax.Word(fixed))
                if fixed_mask is not None and (fixed_mask & visible).any():
                    replacements[word] = fixed
                    mask, word, corrected_here = fixed_mask, fixed, True
                else:
                    compiler.leaves[before:] = typed_leaves
        in_title = compiler.in_title
        if correct and word is not None and not weak and not corrected_here:
            near = _common_neighbour(snap, word, mask, visible)
            if near is not None:  # a rare word: its much commoner neighbour counts too, for less
                compiler.factor = ranking.FUZZY_WEIGHT
                near_mask = compiler.mask(syntax.Word(near))
                compiler.factor = 1.0
                if near_mask is not None:
                    mask = mask | near_mask
                    in_title = in_title | compiler.in_title if in_title is not None else compiler.in_title
        clauses.append(_Clause("required" if required else "weak" if weak else "optional", mask, in_title, word))
    if not any(c.kind in ("optional", "required") for c in clauses):
        for clause in clauses:  # nothing but question words: they are what was asked
            if clause.kind == "weak":
                clause.kind = "optional"
        compiler.leaves = [(f, t, 1.0) for f, t, _ in compiler.leaves]
    return _Plan(clauses, compiler.leaves, replacements)


def _correct_word(snap: Snapshot, word: str, visible: np.ndarray) -> str | None:
    """The nearest word of visible documents to a word that finds none of them
    (each part of a hyphenated word on its own: ``self-asessment``)."""
    parts = word.split("-") if "-" in word else [word]
    fixed = []
    for part in parts:
        tokens = [t.text for t in word_analyzer()(part)]
        if len(tokens) != 1:
            return None
        token = tokens[0]
        if len(parts) > 1:
            seen = _Compiler(snap).mask(syntax.Word(part))
            if seen is None or (seen & visible).any():
                fixed.append(part)
                continue
        if len(token) < ranking.CORRECT_FROM_LENGTH or token.isdigit() or token in stop_words():
            return None
        best = _closest_visible(snap, token, visible)
        if best is None:
            return None
        fixed.append(best)
    return "-".join(fixed)


def _common_neighbour(snap: Snapshot, word: str, mask: np.ndarray, visible: np.ndarray) -> str | None:
    """Bounded fuzzy matching: for a word that a very few visible documents
    contain, the word one edit away that many more of them contain (a typo
    that happens to be a rare word: ``heath`` beside ``health``)."""
    seen = int((mask & visible).sum())
    if not 0 < seen <= ranking.RARE_WORD_DOCS:
        return None
    tokens = [t.text for t in word_analyzer()(word)]
    if len(tokens) != 1 or len(tokens[0]) < ranking.FUZZY_FROM_LENGTH or not tokens[0].isalpha():
        return None
    token, best = tokens[0], None
    for candidate in snap.spelling_candidates(token):
        if candidate == token or candidate in stop_words() or edit_distance(token, candidate) != 1:
            continue
        ids = snap.term_postings("spell", candidate)[0]
        count = int(visible[ids].sum()) if len(ids) else 0
        if count >= ranking.FUZZY_MORE_COMMON * seen and (best is None or count > best[0]):
            best = (count, candidate)
    return best[1] if best else None


def _matching(snap: Snapshot, plan: _Plan, visible: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The documents the query finds, how many optional words each contains,
    and the minimum applied (lowered when too few documents reach it)."""
    keep = snap.live.copy()
    for clause in plan.clauses:
        if clause.kind == "required":
            keep &= clause.mask
        elif clause.kind == "excluded":
            keep &= ~clause.mask
    optional = plan.optional
    matched = np.zeros(snap.size, dtype=np.int16)
    for clause in optional:
        matched += clause.mask
    if not optional:
        return keep, matched, 0
    need = minimum_should_match(len(optional))
    found = keep & (matched >= need)
    if need > 1 and int((found & visible).sum()) < ranking.FEW_RESULTS:
        need = 1  # too few with most of the words: show those with some, and say so
        found = keep & (matched >= need)
    return found, matched, need


def _rank(snap: Snapshot, plan: _Plan, found: np.ndarray, matched: np.ndarray, locale: str | None
          ) -> np.ndarray:
    """Scores of the found documents: BM25F, then the share of words matched,
    words next to each other, every word in the title, and the reader's
    language between a resource and its translation."""
    scores = _scores(snap, plan.leaves)
    optional = plan.optional
    n = len(optional) + sum(1 for c in plan.clauses if c.kind == "required")
    if n:
        share = (matched + sum(1 for c in plan.clauses if c.kind == "required")) / n
        scores *= np.power(share, ranking.COORDINATION_POWER).astype(np.float32)
        in_title = np.ones(snap.size, dtype=bool)
        for clause in plan.clauses:
            if clause.kind in ("optional", "required"):
                in_title &= clause.in_title if clause.in_title is not None else False
        scores[in_title] *= ranking.ALL_WORDS_IN_TITLE
    candidates = np.flatnonzero(found & (scores > 0))
    words = [c.word for c in plan.clauses if c.kind in ("optional", "weak", "required") and c.word]
    if len(words) > 1 and len(candidates):
        _proximity(snap, words, candidates, scores)
    if locale and len(candidates):
        _reader_language_first(snap, candidates, scores, locale)
    return scores


def _proximity(snap: Snapshot, words: list[str], candidates: np.ndarray, scores: np.ndarray) -> None:
    """Reward candidates where two words typed one after the other stand
    together in the same text (title, summary, topics, body... or names): one
    look-up of the pair per analysis, no positions read."""
    bonus = np.ones(len(candidates), dtype=np.float32)
    for first, second in list(itertools.pairwise(words))[:ranking.PROXIMITY_PAIRS]:
        tokens_a, tokens_b = dict(_field_tokens(first)), dict(_field_tokens(second))
        together = np.zeros(len(candidates), dtype=bool)
        for lang, pair_field in PAIR_FIELDS.items():
            probe = NAMES_FIELD if lang is None else f"title_{lang}"
            if probe in tokens_a and probe in tokens_b:
                term = pair_term(tokens_a[probe][-1], tokens_b[probe][0])
                together |= np.isin(candidates, snap.term_postings(pair_field, term)[0], assume_unique=True)
        bonus[together] *= ranking.PAIR_TOGETHER
    scores[candidates] *= bonus


def _reader_language_first(snap: Snapshot, candidates: np.ndarray, scores: np.ndarray, locale: str) -> None:
    """Between a resource and its translation, the edition in the reader's
    language takes the better of the two scores (and so comes first)."""
    works = snap.column("work")[candidates]
    groups, inverse = np.unique(works, return_inverse=True)
    if len(groups) == len(candidates):
        return  # no pair among the results
    best = np.zeros(len(groups), dtype=np.float32)
    np.maximum.at(best, inverse, scores[candidates])
    mine = snap.column("language_code")[candidates] == language_code(locale)
    lifted = np.maximum(scores[candidates], best[inverse] * np.float32(1.0001))
    scores[candidates[mine]] = lifted[mine]


# -- the search -----------------------------------------------------------------
def run(snap: Snapshot, req: SearchRequest, *, correct: bool = True) -> RawResult:
    tree = syntax.parse(req.query)
    visible = snap.label_mask(req.labels)
    plan = _plan(snap, tree, visible, correct and req.correct) if tree is not None else None
    found = matched = None
    if plan is not None and plan.clauses:
        found, matched, _need = _matching(snap, plan, visible)
    base = visible if found is None else (found & visible)

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
    # Scored before one edition per work is kept: a work ranks by its better
    # edition (_reader_language_first lifts the reader's to it), as in the API.
    ranked = final
    if works is not None:
        final = works.keep(final)
    total = int(final.sum())

    has_words = plan is not None and bool(plan.leaves)
    sort = req.sort if req.sort in SORTS else "relevance"
    scored = sort == "relevance" and has_words
    if sort == "relevance" and not has_words:
        sort = "newest"  # nothing to rank by: browse, newest first
    start, stop = max(req.offset, 0), max(req.offset, 0) + max(req.limit, 0)
    if req.last_page_past_end and total and req.limit > 0 and start >= total:
        start = (total - 1) // req.limit * req.limit
        stop = start + req.limit
    hits: list[RawHit] = []
    if total and stop > start:
        if scored:
            scores = _rank(snap, plan, ranked, matched, req.locale)
            docs, page_scores = _top(snap, final, scores, start, stop)
        else:
            ordered = snap.order(sort)
            docs = ordered[final[ordered]][start:stop]
            page_scores = [None] * len(docs)
        hits = [RawHit(int(d), snap.stored_id(int(d)), None if s is None else float(s))
                for d, s in zip(docs.tolist(), page_scores, strict=True)]

    n_optional = len(plan.optional) if plan is not None else 0
    partial = bool(total and n_optional > 1 and (final & (matched < n_optional)).any())
    searched = _with_replacements(req.query, plan.replacements) if plan is not None and total else None
    result = RawResult(total=total, hits=hits, facet_counts=counts, totals_without=totals_without,
                       terms=highlight_terms(syntax.parse(searched) if searched else tree),
                       sort="relevance" if scored else sort,
                       visible_values={name: snap.facet(name).counts(visible) for name in FACETS if name in active},
                       partial=partial, corrected=searched, offset=start)
    if correct and total == 0 and tree is not None:
        result.correction = did_you_mean(snap, req, tree, visible)
    return result


def _with_replacements(query: str, replacements: dict[str, str]) -> str | None:
    """The query as searched, with corrected words in place (None: as typed)."""
    if not replacements:
        return None
    folded = {fold(k): v for k, v in replacements.items()}
    corrected = _QUERY_WORD_RE.sub(
        lambda m: replacements.get(m.group(0)) or folded.get(fold(m.group(0)), m.group(0)),
        unicodedata.normalize("NFC", query))
    return corrected if corrected != query else None


def count(snap: Snapshot, req: SearchRequest) -> int:
    return run(snap, SearchRequest(req.query, req.labels, req.filters, "newest", 0, 0, correct=req.correct),
               correct=False).total


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
_QUERY_WORD_RE = re.compile(r"\w+(?:[\-'’]\w+)*")  # a word as the query syntax reads it


def did_you_mean(snap: Snapshot, req: SearchRequest, tree, visible: np.ndarray) -> str | None:
    """A corrected query built only from words of documents the reader may see,
    offered only when it finds something with the same filters."""
    replacements: dict[str, str] = {}
    for word in dict.fromkeys(syntax.positive_words(tree)):
        for token in [t.text for t in word_analyzer()(word)]:
            if token in stop_words() or len(token) < 3 or token.isdigit():
                continue
            seen = _Compiler(snap).mask(syntax.Word(token))
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
    if count(snap, SearchRequest(corrected, req.labels, req.filters, correct=False)) == 0:
        return None
    return corrected


def _closest_visible(snap: Snapshot, token: str, visible: np.ndarray) -> str | None:
    """The nearest word (edit distance at most 2; 1 for short words) of the spelling field that a
    visible document holds; among equals, the one most visible documents hold."""
    if not snap.has_any("spell") or len(token) > 30:
        return None
    best: tuple | None = None
    limit = 1 if len(token) <= ranking.ONE_EDIT_UP_TO else 2
    for candidate in snap.spelling_candidates(token):
        if candidate == token or candidate in stop_words():
            continue
        distance = edit_distance(token, candidate)
        if distance > limit:
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
    """Resource ids of visible resources whose title words start with what was typed."""
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
        for n, term in enumerate(snap.terms_with_prefix("title_words", prefix)):
            if n >= 200:
                break
            ids, contrib = snap.term_postings("title_words", term)
            m[ids] = True
            scores[ids] += contrib
        mask &= m
    candidates = np.flatnonzero(mask)
    if not len(candidates):
        return []
    tie = snap.rank("newest")[candidates]
    order = np.lexsort((tie, -scores[candidates]))[:limit]
    return [snap.stored_id(d) for d in candidates[order].tolist()]


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
