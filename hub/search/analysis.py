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
from functools import lru_cache

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

LANGS = ("en", "fr")
#: A word: letters/digits, keeping French elisions (l'équité) and inner apostrophes together.
WORD_PATTERN = r"\w+(?:['’]\w+)*"
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


def fold_same_length(text: str) -> str:
    """Lowercase and fold accents keeping every offset (``len`` unchanged)."""
    return text.translate(FOLD_TABLE).lower()


class ElisionFilter(Filter):
    """French elisions: l'équité -> équité, d'emploi -> emploi, qu'il -> il."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            for apo in ("'", "’"):
                if apo in text:
                    head, _, tail = text.partition(apo)
                    if len(head) <= 2 and tail:
                        if getattr(t, "startchar", None) is not None and t.chars:
                            t.startchar += len(head) + 1
                        text = tail
            t.text = text
            yield t


#: Joins the items of a list field (topics, labels, names) so that a phrase
#: never matches across two items: the analyser drops it and leaves a gap.
GAP_WORD = "qqgapqq"
SEPARATOR = f" {GAP_WORD} "


class GapFilter(Filter):
    """Removes the separator word and moves later tokens two positions on."""

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if t.text == GAP_WORD:
                shift += 2
                continue
            if shift and getattr(t, "positions", False):
                t.pos += shift
            yield t


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = set(STOP_WORDS) | set(stopwords_for_language("fr")) | FRENCH_EXTRA_STOPS
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=None)
def analyzer(lang: str):
    """Tokenise, lowercase, drop elisions, fold accents, drop stop words, stem."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter()
            | CharsetFilter(accent_map) | StopFilter(stoplist=stop_words(), minsize=1) | GapFilter()
            | StemFilter(lang=lang if lang in LANGS else "en", cachesize=100000))


@lru_cache(maxsize=None)
def plain_analyzer():
    """Folded words without stemming: names (organization, authors)."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter()
            | CharsetFilter(accent_map) | StopFilter(stoplist=stop_words(), minsize=1) | GapFilter())


@lru_cache(maxsize=None)
def word_analyzer():
    """Every folded word, stop words kept: spelling corrections and title completion."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter() | CharsetFilter(accent_map)


def tokens(text: str, lang: str) -> list[str]:
    """The indexed terms of ``text`` analysed as language ``lang``."""
    return [t.text for t in analyzer(lang)(text)]
