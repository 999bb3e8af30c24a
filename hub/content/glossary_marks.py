"""Glossary terms found in a body's sanitised HTML, and their first use marked.

Works on the HTML that nh3 produced (well formed, attributes double-quoted),
walking it once: tags are copied as they are, and only the text between them
is searched, outside links, headings, code, buttons, summaries and existing
``abbr``/``dfn`` (a marked term there would nest interactive content, or
change what a heading or a link says). Each language's forms are one pattern
(a trie of the forms, so the work per character does not grow with the
number of terms), built once and cached. The time is linear in the text
searched, and only the first ``MAX_SCAN_CHARS`` of a body are searched (some
60 printed pages: where a term is first used, in any real document), so a
hostile body of a term repeated 100,000 times costs no more than a long
report; only the first use of each term is marked.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from hub.glossary import form_key

#: How much of a body's HTML is searched for terms.
MAX_SCAN_CHARS = 200_000
#: Tags whose text is never marked (nor anything inside them).
SKIP_TAGS = frozenset({"a", "abbr", "dfn", "code", "pre", "kbd", "samp", "var", "button", "summary",
                       "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "textarea", "select",
                       "option", "label", "title"})
#: A tag as nh3 writes it: attribute values in double quotes may hold ``>``.
TAG_RE = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
TAG_NAME_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
#: Between the words of a form: any run of spaces, line breaks or no-break spaces.
GAP = r"(?:\s|&nbsp;|&#160;)+"
APOSTROPHE = r"(?:'|\u2019|&#39;|&#x27;)"
#: A form is a whole word: no letter, digit or hyphen right before or after it.
BEFORE = r"(?<![\w-])"
AFTER = r"(?![\w-])"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    key: str


def _is_acronym(form: str) -> bool:
    """LIP, RIF: capitals only (a final s allowed), matched as written, so the
    word "lip" or "rif" in running text is not taken for them."""
    core = form[:-1] if form.endswith("s") else form
    return len(core) >= 2 and core.isalpha() and core.isupper()


def _piece(text: str) -> str:
    """One literal stretch of a form, as a pattern: spaces match any gap,
    apostrophes either apostrophe (or their entities)."""
    out = []
    for char in text:
        if char.isspace():
            out.append(GAP)
        elif char in "'\u2019":
            out.append(APOSTROPHE)
        else:
            out.append(re.escape(char))
    return "".join(out)


#: A trie of characters: each node maps the next character to its node; "" marks a form's end.
_Trie = dict[str, "_Trie"]


def _trie_pattern(forms: Iterable[str]) -> str:
    """A regex matching any of ``forms`` (already case-folded), longest first,
    written as a trie so a failing position is given up after a few characters."""
    trie: _Trie = {}
    for form in forms:
        node = trie
        for char in form:
            if char.isspace():
                char = " "
            elif char == "\u2019":
                char = "'"
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: _Trie) -> str:
        ends = "" in node
        branches = [(_piece(char) + walk(child)) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Optional when a shorter form ends here: greedy, so the longer form is tried first.
        return f"(?:{body})?" if ends else body
    return walk(trie)


class TermMatcher:
    """Finds the forms of one language's terms in sanitised HTML. A form whose
    key is empty is a name that contains a term without being it (an
    organisation's name): it is matched, so the term inside it is passed over,
    and never reported."""

    def __init__(self, forms: Iterable[tuple[str, str]]):
        self.keys: dict[str, str] = {}
        folded: list[str] = []
        acronyms: list[str] = []
        for form, key in forms:
            self.keys.setdefault(form_key(form), key)
            (acronyms if _is_acronym(form) else folded).append(form if _is_acronym(form) else form_key(form))
        #: Acronyms as written, and their folded keys: a lowercase "lip" is not a LIP.
        self._acronyms = frozenset(acronyms)
        self._acronym_keys = frozenset(form_key(a) for a in acronyms)
        alternatives = []
        if folded:
            alternatives.append(_trie_pattern(folded))
        if acronyms:
            alternatives.append("(?-i:" + _trie_pattern(acronyms) + ")")
        body = "|".join(f"(?:{a})" for a in alternatives) or r"(?!)"
        #: For text whose lowercase changes its length (a rare letter such as İ).
        self.pattern = re.compile(BEFORE + "(?:" + body + ")" + AFTER, re.IGNORECASE)
        #: For lowercased text: without IGNORECASE the engine skips quickly to
        #: the letters a form can begin with (about four times faster).
        lowered = [f.lower() for f in folded] + [a.lower() for a in acronyms]
        self._lower_pattern = re.compile(BEFORE + "(?:" + (_trie_pattern(lowered) if lowered else r"(?!)") + ")"
                                         + AFTER)
        self.total = len(set(self.keys.values()) - {""})
        #: Matched text -> key, remembered: a body repeats the same few spellings.
        self._known: dict[str, str | None] = {}

    def key_for(self, matched: str) -> str | None:
        """The term a match is a form of; None for a name listed as not a term,
        or for an acronym's letters not written in capitals."""
        text = matched.replace("&nbsp;", " ").replace("&#160;", " ").replace("&#39;", "'").replace("&#x27;", "'")
        folded = form_key(text)
        if folded in self._acronym_keys and text not in self._acronyms:
            return None
        return self.keys.get(folded) or None

    def find(self, html: str) -> Iterator[Found]:
        """Every form in the markable text of the first ``MAX_SCAN_CHARS`` of ``html``, in order."""
        limit = len(html)
        if limit > MAX_SCAN_CHARS:  # end on a space or a tag, never inside a word
            limit = max(html.rfind(" ", 0, MAX_SCAN_CHARS), html.rfind("\n", 0, MAX_SCAN_CHARS),
                        html.rfind("<", 0, MAX_SCAN_CHARS), 0)
        lowered = html[:limit].lower()
        if len(lowered) == limit:
            search, pattern = lowered, self._lower_pattern
        else:
            search, pattern = html, self.pattern
        skipping = 0
        position = 0
        for tag in TAG_RE.finditer(html, 0, limit):
            if not skipping and tag.start() > position:
                yield from self._in_text(html, search, pattern, position, tag.start())
            position = tag.end()
            name = TAG_NAME_RE.match(tag.group())
            if name and name.group(2).lower() in SKIP_TAGS and not tag.group().endswith("/>"):
                skipping = max(0, skipping + (-1 if name.group(1) else 1))
        if not skipping and position < limit:
            # The text after the last tag, up to the limit (or a tag cut by it).
            end = html.find("<", position, limit)
            yield from self._in_text(html, search, pattern, position, limit if end < 0 else end)

    def _in_text(self, html: str, search: str, pattern: re.Pattern[str], start: int, end: int) -> Iterator[Found]:
        """The forms in ``html[start:end]``, found in ``search`` (the same text,
        lowercased when that keeps every position)."""
        known = self._known
        for match in pattern.finditer(search, start, end):
            begin, finish = match.span()
            text = html[begin:finish]
            key = known.get(text, "?")
            if key == "?":
                key = self.key_for(text)
                if len(known) < 10_000:  # bounded: a hostile body cannot grow it without end
                    known[text] = key
            if key is not None:
                yield Found(begin, finish, key)

    def used(self, html: str) -> set[str]:
        """The keys of the terms ``html`` uses where they would be marked."""
        keys: set[str] = set()
        for found in self.find(html):
            keys.add(found.key)
            if len(keys) == self.total:
                break
        return keys

    def mark_first_uses(self, html: str, mark: Callable[[str, str], str]) -> str:
        """``html`` with the first use of each term replaced by ``mark(key, text)``
        (``text`` is the HTML as found, already escaped)."""
        out: list[str] = []
        marked: set[str] = set()
        last = 0
        for found in self.find(html):
            if found.key in marked:
                continue
            marked.add(found.key)
            out.append(html[last:found.start])
            out.append(mark(found.key, html[found.start:found.end]))
            last = found.end
            if len(marked) == self.total:
                break
        if not out:
            return html
        out.append(html[last:])
        return "".join(out)
