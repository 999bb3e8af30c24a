"""Text analysis shared by indexing, querying and highlighting, so the three
always agree on what a "word" is.

Accents are folded *before* stemming: a reader who types ``equite`` must reach
the same stem as the text's ``équité``, and folding first is the order that
makes both spellings stem alike. One stop list (English and French together)
is used for every field, so a French stop word such as ``les`` never becomes a
required term in the English fields of a multi-field query.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

LANGS = ("en", "fr")
#: A word: letters/digits, keeping French elisions (l'équité) and inner apostrophes together.
#: Combining accents (U+0300-U+036F) belong to the word: a decomposed ``équité``
#: (e + U+0301 …) stored before text was normalised is one word, not three.
WORD_PATTERN = r"[\w\u0300-\u036f]+(?:['’][\w\u0300-\u036f]+)*"
WORD_RE = re.compile(WORD_PATTERN)
FRENCH_EXTRA_STOPS = {"les", "des", "aux", "une", "est", "sont", "cette", "ces", "leur", "leurs"}
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}


def fold(text: str) -> str:
    """Lowercase without accents: ``Équité`` -> ``equite``, ``Œuvre`` -> ``oeuvre``."""
    for lig, repl in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, repl)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _build_fold_table() -> dict[int, int]:
    """A one-character-for-one-character folding table, so a folded copy of a
    text has the same offsets as the original (used to find passages fast)."""
    table: dict[int, int] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[code] = ord(base.lower())
    for lig, repl in (("œ", "o"), ("Œ", "o"), ("æ", "a"), ("Æ", "a")):
        table[ord(lig)] = ord(repl)
    return table


FOLD_TABLE = _build_fold_table()
_FOLD_CHARS = {chr(code): chr(base) for code, base in FOLD_TABLE.items()}
_FOLDABLE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_FOLD_CHARS)) + "]")


def _fold_char(found: re.Match) -> str:
    return _FOLD_CHARS[found.group()]


def fold_same_length(text: str) -> str:
    """Lowercase and fold accents keeping every offset (``len`` unchanged).

    The same as ``text.translate(FOLD_TABLE).lower()``, but only the accented
    letters are looked up: in French prose they are a few in a hundred, and
    ``str.translate`` with a dict costs about 50 ns for every character (a
    10,000-character body, half a millisecond, for each search hit)."""
    if text.isascii():
        return text.lower()
    return _FOLDABLE.sub(_fold_char, text).lower()


#: Joins the items of a list field (topics, labels, names) so that a phrase
#: never matches across two items: the analyser drops it and leaves a gap.
GAP_WORD = "qqgapqq"
SEPARATOR = f" {GAP_WORD} "


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = set(STOP_WORDS) | set(stopwords_for_language("fr")) | FRENCH_EXTRA_STOPS
    return frozenset(fold(w) for w in words)


class HubAnalyzer(Tokenizer):
    """The whole analysis in one pass (one Python loop instead of a chain of
    seven generators, which is most of what indexing costs): find words,
    lowercase, drop French elisions and English possessives, fold accents,
    skip stop words, stem (memoised), and leave a gap at list separators.

    ``stem=False`` keeps whole words (names); ``stops=False`` keeps every word
    (spelling and completion). Positions count kept words only, so a phrase
    matches across a dropped stop word the same way in text and in queries."""

    def __init__(self, lang: str = "en", stem: bool = True, stops: bool = True):
        self.lang = lang if lang in LANGS else "en"
        self.stem = stem
        self.stops = stops
        self._memo: dict[str, str] = {}

    def __getstate__(self):
        return {"lang": self.lang, "stem": self.stem, "stops": self.stops}

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return (self.__class__ is other.__class__ and self.lang == other.lang and self.stem == other.stem
                and self.stops == other.stops)

    def __hash__(self):
        return hash((self.lang, self.stem, self.stops))

    def term(self, word: str) -> str | None:
        """The indexed term of one lowercased word, or None for a stop word."""
        memo = self._memo
        try:
            return memo[word]
        except KeyError:
            pass
        text = word if word.isascii() else unicodedata.normalize("NFC", word)
        for apo in ("'", "’"):
            if apo in text:
                head, _, tail = text.partition(apo)
                if self.lang == "fr" and len(head) <= 2 and tail:
                    text = tail  # l'équité -> équité
                elif tail in ("s", ""):
                    text = head  # women's -> women
        text = text.translate(accent_map)
        if self.stops and text in stop_words():
            term = None
        elif self.stem:
            term = _stemmer(self.lang)(text)
        else:
            term = text
        if len(memo) > 500_000:
            memo.clear()
        memo[word] = term
        return term

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        if not tokenize:
            t.original = t.text = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        term_of = self.term
        pos = start_pos
        for m in WORD_RE.finditer(value):
            word = m.group().lower()
            if word == GAP_WORD:
                pos += 2
                continue
            term = term_of(word)
            if term is None:
                if removestops:
                    continue
                t.stopped = True
                term = word
            else:
                t.stopped = False
            t.text = term
            if keeporiginal:
                t.original = m.group()
            if positions:
                t.pos = pos
            pos += 1
            if chars:
                t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
            yield t


class PairAnalyzer(Tokenizer):
    """Each two terms that stand next to each other (``"racism systemic"``), as
    one term: a two-word phrase is then one look-up instead of reading and
    comparing the positions of every document holding both words. Built on
    the same analysis as the fields, so pairs agree with their positions
    (stop words dropped, no pair across a list separator)."""

    def __init__(self, lang: str = "en", stem: bool = True):
        self.lang = lang
        self.stem = stem

    def __getstate__(self):
        return {"lang": self.lang, "stem": self.stem}

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lang == other.lang and self.stem == other.stem

    def __hash__(self):
        return hash(("pairs", self.lang, self.stem))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        inner = analyzer(self.lang) if self.stem else plain_analyzer()
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        previous, previous_pos, n = None, None, start_pos
        for tok in inner(value, positions=True):
            if previous is not None and tok.pos == previous_pos + 1:
                t.text = pair_term(previous, tok.text)
                if positions:
                    t.pos = n
                n += 1
                yield t
            previous, previous_pos = tok.text, tok.pos


def pair_term(first: str, second: str) -> str:
    """The term of two analysed words standing together."""
    return f"{first} {second}"


@cache
def pair_analyzer(lang: str | None) -> PairAnalyzer:
    """Pairs of ``lang``'s terms; ``None``: of whole words (names)."""
    return PairAnalyzer(lang or "fr", stem=lang is not None)


@cache
def _stemmer(lang: str):
    from whoosh.lang import stemmer_for_language
    return stemmer_for_language(lang)


@cache
def analyzer(lang: str) -> HubAnalyzer:
    """Tokenise, lowercase, drop elisions, fold accents, drop stop words, stem."""
    return HubAnalyzer(lang)


@cache
def plain_analyzer() -> HubAnalyzer:
    """Folded words without stemming: names (organization, authors)."""
    return HubAnalyzer("fr", stem=False)


@cache
def word_analyzer() -> HubAnalyzer:
    """Every folded word, stop words kept: spelling corrections and title completion."""
    return HubAnalyzer("fr", stem=False, stops=False)


def tokens(text: str, lang: str) -> list[str]:
    """The indexed terms of ``text`` analysed as language ``lang``."""
    return [t.text for t in analyzer(lang)(text)]
