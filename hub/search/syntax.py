"""The reader's query language, parsed into a small tree (pure: no index).

Supported: words (ranked by how many match: see ``hub.search.query``),
"quoted phrases" and ``+word`` (required), OR, AND, NOT, a leading minus,
parentheses. French readers may write OU, ET, SAUF. There is no field
syntax and no wildcard: ``access:members``, ``status:draft``, ``*`` and ``a*``
are only words (the punctuation is a separator), so no query can reach a field
the reader is not meant to filter on, nor expand to every term of the index.

The parser never fails: unbalanced quotes and parentheses, lone operators and
any other oddity degrade to plain words. Its size is bounded (characters,
tokens, nesting) so a 10,000-character query costs no more than a long one.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TOKENS = 48
MAX_DEPTH = 8

OPERATORS = {"OR": "OR", "OU": "OR", "AND": "AND", "ET": "AND", "NOT": "NOT", "SAUF": "NOT"}


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Required:
    """``+word`` or ``+"a phrase"``: the reader insists on it."""
    item: Node


Node = Word | Phrase | And | Or | Not | Required

_TOKEN_RE = re.compile(
    r"""(?P<phrase>"[^"]*")           # a closed phrase
      | (?P<quote>")                  # an unmatched quote: a separator
      | (?P<open>\()
      | (?P<close>\))
      | (?P<neg>(?<![\w\-])-(?=[\w"(]))  # a minus that starts a term
      | (?P<plus>(?<![\w+])\+(?=[\w"(]))  # a plus that starts a term
      | (?P<word>\w+(?:[\-'’]\w+)*)   # a word; inner hyphens and apostrophes kept
      | (?P<other>.)                  # anything else separates words
    """, re.VERBOSE | re.DOTALL)
_WORD_RE = re.compile(r"\w+(?:[\-'’]\w+)*")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind in ("quote", "other"):
            continue
        if kind == "phrase":
            words = tuple(_WORD_RE.findall(value))
            if not words:
                continue
            out.append(("phrase", " ".join(words)))
        elif kind == "word" and value in OPERATORS:
            out.append(("op", OPERATORS[value]))
        else:
            out.append((kind, value))
        if sum(1 for k, _ in out if k not in ("open", "close")) >= MAX_TOKENS:
            break
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        parts: list[Node] = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                parts.append(node)
            if self.peek() is not None and self.peek()[0] == "close":
                self.take()  # a stray closing parenthesis
        return _and(parts)

    def parse_or(self) -> Node | None:
        items = []
        first = self.parse_and()
        if first is not None:
            items.append(first)
        while self.peek() == ("op", "OR"):
            self.take()
            rhs = self.parse_and()
            if rhs is not None:
                items.append(rhs)
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node | None:
        items = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "close" or tok == ("op", "OR"):
                break
            if tok == ("op", "AND"):
                self.take()
                continue
            node = self.parse_unary()
            if node is not None:
                items.append(node)
        return _and(items)

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        if tok == ("op", "NOT") or (tok is not None and tok[0] == "neg"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt[0] == "close" or nxt[0] == "op":
                return None  # a lone operator
            operand = self.parse_unary()
            return Not(operand) if operand is not None else None
        if tok is not None and tok[0] == "plus":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt[0] in ("close", "op", "plus", "neg"):
                return None
            operand = self.parse_primary()
            return Required(operand) if operand is not None else None
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        kind, value = self.take()
        if kind == "open":
            if self.depth >= MAX_DEPTH:
                return None  # too deep: this parenthesis is ignored
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() is not None and self.peek()[0] == "close":
                self.take()
            return node
        if kind == "phrase":
            words = tuple(value.split())
            return Word(words[0]) if len(words) == 1 else Phrase(words)
        if kind == "word":
            return Word(value)
        return None  # "close" is handled by callers; anything else is dropped


def _and(items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def parse(text: str) -> Node | None:
    """The tree of a reader's query, or None when it holds no searchable word."""
    # NFC first: a word typed with combining accents (NFD) is the same word.
    text = unicodedata.normalize("NFC", text or "")[:MAX_QUERY_CHARS]
    try:
        return _Parser(_tokens(text)).parse()
    except Exception:  # noqa: BLE001 - never an error page: fall back to plain words
        return plain_words(text)


def plain_words(text: str) -> Node | None:
    """Every word of the text, all required: the fallback for odd input."""
    words = _WORD_RE.findall(unicodedata.normalize("NFC", text or "")[:MAX_QUERY_CHARS])[:MAX_TOKENS]
    return _and([Word(w) for w in words])


def positive_words(node: Node | None) -> Iterator[str]:
    """The words a hit may contain (not under NOT): for highlighting and spelling."""
    if node is None:
        return
    if isinstance(node, Word):
        yield node.text
    elif isinstance(node, Phrase):
        yield from node.words
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from positive_words(item)
    elif isinstance(node, Required):
        yield from positive_words(node.item)
