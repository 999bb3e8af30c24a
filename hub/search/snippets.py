"""Highlighted titles and passages: HTML-escaped text with the reader's words
in ``<mark>``, for each hit of a results page (``hit_texts``).

Marking re-analyses only short texts (a title, a summary, one window of the
body), and the window is found with a plain string search over a folded copy
of the text, so a page of 20 hits with long bodies costs about a millisecond
instead of highlighting every body whole.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from hub.content.bilingual import pick
from hub.search.analysis import WORD_PATTERN, analyzer, fold_same_length

if TYPE_CHECKING:
    from hub.models import Resource

PASSAGE_CHARS = 260
SUMMARY_CHARS = 320
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_TAG = re.compile(r"<[^>]{0,200}>")
_MD_LINE_START = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|\|)")
#: The marks plain text drops: emphasis and code marks not inside a word, table
#: pipes, horizontal rules. Together these are ``(?<!\w)[*_`~]+|[*_`~]+(?!\w)|
#: \s\|\s|\|\s*$|^-{3,}$``, written so that the first starts with its first
#: character instead of a look-behind (the regex engine can then skip to the
#: candidates instead of trying every position).
_MARKS = r"[*_`~](?:(?<!\w.)[*_`~]*|[*_`~]*(?!\w))"
_PIPES = r"\s\|\s|\|\s*$"
_RULES = r"-(?<![^\n].)-{2,}$"
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8)
def _marks_pattern(marks: bool, pipes: bool, rules: bool) -> re.Pattern | None:
    """The marks pattern with only the alternatives that can match in the text:
    one that cannot changes nothing, and most passages hold no mark at all (the
    whole pattern cost some 50 ns a character even so)."""
    parts = [part for part, wanted in ((_MARKS, marks), (_PIPES, pipes), (_RULES, rules)) if wanted]
    return re.compile("|".join(parts), re.M) if parts else None


def _drop_marks(text: str) -> str:
    pattern = _marks_pattern(any(c in text for c in "*_`~"), "|" in text, "---" in text)
    return pattern.sub(" ", text) if pattern is not None else text


def squeeze(text: str) -> str:
    """Runs of white space as one space, none at the ends: what ``re.sub(r"\\s+", " ",
    text).strip()`` gives (``\\s`` is ``str.isspace``), at a third of the cost."""
    return " ".join(text.split())


def plain_text(markdown: str, limit: int = 40000) -> str:
    """Markdown reduced to readable plain text (links keep their words)."""
    text = markdown[:limit]
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "<" in text:
        text = _MD_TAG.sub(" ", text)
    text = _MD_LINE_START.sub("", text)
    return squeeze(_drop_marks(text))


_TOKEN = re.compile(WORD_PATTERN)
def mark(text: str, terms: Iterable[str], lang: str, needles: re.Pattern | None = None) -> Markup:
    """``text`` escaped, with every word whose analysed form is in ``terms`` marked.
    Only the words that start like a term (found on a folded copy) are analysed."""
    terms = frozenset(terms)
    if needles is None:
        needles = _needles(terms)
    if not text or needles is None:
        return escape(text or "")
    out: list[str] = []
    pos = 0
    term_of = analyzer(lang).term
    for found in _word_starts(needles, fold_same_length(text)):
        if found.start() < pos:
            continue
        m = _TOKEN.match(text, found.start())
        if m is None:
            continue
        if term_of(m.group(0).lower()) in terms:
            out.append(str(escape(text[pos:m.start()])))
            out.append("<mark>" + str(escape(m.group(0))) + "</mark>")
            pos = m.end()
    if not out:
        return escape(text)
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))  # noqa: S704 - every piece is escaped above, or a <mark> tag


def _needles(terms: Iterable[str]) -> re.Pattern | None:
    """A pattern for where words with these stems may start, on folded text. A
    stem is nearly a prefix of its words: its last letter may differ (policy ->
    polici, hiring -> hire), so that letter is left out; every candidate is
    then checked by analysing the word itself."""
    stems = sorted({t[:-1] if len(t) > 3 else t for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    return _compile_needles("|".join(re.escape(s) for s in stems))


@lru_cache(maxsize=512)
def _compile_needles(alternatives: str) -> re.Pattern:
    # No look-behind for the start of a word in the pattern itself: with one in
    # front, the regex engine tries every position of the text (about 24 ns a
    # character); without, it skips ahead to the stems' first letters (about 1 ns).
    # _word_starts checks the character before each candidate instead.
    return re.compile("(?:" + alternatives + ")")


_WORD_CHAR = re.compile(r"\w")


def _word_starts(needles: re.Pattern, folded: str, pos: int = 0) -> Iterator[re.Match]:
    """The matches of ``needles`` in ``folded`` (from ``pos``) that start a word:
    exactly what ``finditer`` would give with a look-behind ``(?<!\\w)`` in front of the pattern."""
    search = needles.search
    found = search(folded, pos)
    while found is not None:
        start = found.start()
        if start and _WORD_CHAR.match(folded, start - 1):
            found = search(folded, start + 1)  # inside a word: try the next position
        else:
            yield found
            found = search(folded, found.end())


def _window(text: str, pos: int, width: int) -> tuple[str, bool, bool]:
    start = max(0, pos - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < pos else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > pos else end
    return text[start:end], start > 0, end < len(text)


def passage(sources: Iterable[tuple[str, bool]], terms: Iterable[str], lang: str) -> Markup:
    """The best passage: the first source (summary, body, attachment text) where a
    reader's word occurs, cut to a window around it; else the summary's start.
    ``sources`` are (text, is_markdown) pairs in order of preference. Markdown is
    reduced to plain text only inside the window, not over the whole body."""
    terms = frozenset(terms)
    needles = _needles(terms)
    seen: list[tuple[str, bool]] = []
    for index, (raw, is_markdown) in enumerate(sources):
        if not raw:
            continue
        raw = raw[:60000]
        seen.append((raw, is_markdown))
        if needles is None:
            break
        folded = fold_same_length(raw)
        for attempt, found in enumerate(_word_starts(needles, folded)):
            if attempt >= 4:
                break
            if index == 0 and len(raw) <= SUMMARY_CHARS:
                window, before, after = squeeze(raw), False, False
            else:
                width = SUMMARY_CHARS if index == 0 else PASSAGE_CHARS
                if is_markdown:
                    # Cut generously, clean, then cut again around the word in the clean text.
                    lo = max(0, found.start() - width)
                    chunk = plain_text(raw[lo:found.start() + 2 * width])
                    spot = next(_word_starts(needles, fold_same_length(chunk)), None)
                    if spot is None:
                        continue
                    window, before, after = _window(chunk, spot.start(), width)
                    before, after = before or lo > 0, after or found.start() + 2 * width < len(raw)
                else:
                    text = _SPACES.sub(" ", raw[max(0, found.start() - width):found.start() + 2 * width])
                    spot = next(_word_starts(needles, fold_same_length(text)), None)
                    if spot is None:
                        continue
                    window, before, after = _window(text, spot.start(), width)
                    before = before or found.start() > width
                    after = after or found.start() + 2 * width < len(raw)
            marked = mark(window, terms, lang, needles)
            if "<mark>" in marked:
                return (Markup("… ") if before else Markup("")) + marked + (Markup(" …") if after else Markup(""))
            # a stem matched inside another word only: try the next occurrence
    # No passage with a reader's word: the start of the first text that has any
    # (cleaned only now: most passages never need it).
    openings = (plain_text(raw[:2000]) if is_markdown else squeeze(raw[:2000])
                for raw, is_markdown in seen)
    first_text = next((text for text in openings if text), "")
    window, _, after = _window(first_text, 0, SUMMARY_CHARS)
    return escape(window) + (Markup(" …") if after else Markup(""))


class HitTextCache:
    """Highlighted titles and passages already made, kept across searches.

    A hit's marked title and passage depend only on its text and the reader's
    words, not on the index, and the same hits come back for the same words
    page after page (a publish changes one resource, not the others' text). So
    they are kept per process, keyed by the resource's ``updated_at`` (bumped by
    every change of it; OAI-PMH harvesting relies on the same stamp): an edited
    resource never gets a stale passage. Hashing the texts instead cost as
    much as half the highlighting it saved."""

    def __init__(self, max_entries: int = 8192):
        self.max_entries = max_entries
        self._data: OrderedDict[tuple, tuple[Markup, Markup]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[Markup, Markup] | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple, title_html: Markup, snippet_html: Markup) -> None:
        with self._lock:
            self._data[key] = (title_html, snippet_html)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)


@dataclass
class HitText:
    """What a hit shows as text: its title and snippet, marked, and the
    languages they are in (for ``lang`` attributes): the reader's when the
    resource is described in it, else the document's."""
    title_html: Markup
    snippet_html: Markup
    title_lang: str
    snippet_lang: str


def plain_texts(resources: Sequence[Resource]) -> list[HitText]:
    """Titles and summaries escaped as they are, unmarked (the API and feeds:
    about half the cost of a search)."""
    return [HitText(escape(r.title), escape(r.summary), r.language, r.language) for r in resources]


def hit_texts(resources: Sequence[Resource], terms: Mapping[str, frozenset[str]], locale: str | None,
              made: HitTextCache, attachment_texts: Callable[[list[int]], dict[int, list[str]]]
              ) -> list[HitText]:
    """Each resource's marked title and passage, from the analysed words of the
    search per language (``terms``). With ``locale`` (pages), titles and
    summaries are in the reader's language where the resource is described
    in it. ``made`` keeps what was made before; ``attachment_texts`` is asked
    once, for the few hits whose summary and body hold none of the words."""
    out: list[HitText] = []
    #: Hits whose passage went past the summary and the body: only these need
    #: their attachments' text, read afterwards in one query for all of them.
    wanting: dict[int, tuple[HitText, Resource, frozenset[str], str]] = {}
    made_now: dict[int, tuple] = {}  # resource id -> cache key, for the hits made here
    for resource in resources:
        lang = resource.language if resource.language in terms else "en"
        words = terms[lang]
        title, title_lang = pick(resource.titles, locale or lang, lang)
        summary, summary_lang = pick(resource.summaries, title_lang, lang)
        key = (resource.id, resource.updated_at, lang, words, title_lang)
        if (cached := made.get(key)) is not None:
            out.append(HitText(cached[0], cached[1], title_lang, summary_lang))
            continue
        made_now[resource.id] = key
        text = HitText(mark(title, terms.get(title_lang, words), title_lang), Markup(""), title_lang, summary_lang)
        if summary_lang != lang:
            # Described in the reader's language: that summary is what they read.
            text.snippet_html = mark(summary, terms.get(summary_lang, words), summary_lang)
        else:
            text.snippet_html = passage(_summary_and_body(resource, text, words, lang, wanting), words, lang)
        out.append(text)
    if wanting:
        texts = attachment_texts(list(wanting))
        for rid, (text, resource, words, lang) in wanting.items():
            if rid in texts:  # else the passage already made is the one with the attachments
                sources = [(resource.summary, False), (resource.body or "", True), ("\n".join(texts[rid]), False)]
                text.snippet_html = passage(sources, words, lang)
    for resource, text in zip(resources, out, strict=True):
        rid = resource.id
        if rid in made_now and rid not in wanting:
            # Made from the resource's own row (title, summary, body), which
            # ``updated_at`` stamps; a passage that looked at attachments'
            # text is made again each time.
            made.put(made_now[rid], text.title_html, text.snippet_html)
    return out


def _summary_and_body(resource: Resource, text: HitText, words: frozenset[str], lang: str,
                      wanting: dict[int, tuple[HitText, Resource, frozenset[str], str]]
                      ) -> Iterator[tuple[str, bool]]:
    """A hit's first two passage sources. ``passage`` reads its sources in order
    and stops at the first with a passage, so asking for a third means that the
    attachments' text (the third source) may decide: the hit is noted in
    ``wanting`` and its passage made again once that text is read."""
    yield resource.summary, False
    yield resource.body or "", True
    wanting[resource.id] = (text, resource, words, lang)
