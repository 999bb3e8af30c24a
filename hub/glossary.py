"""The glossary, loaded from ``glossary.yaml``.

Data rather than code, like the vocabularies, so the working group adds a
term or a plural without a programmer. Loading checks the file's own rules
(both languages, a definition, a source slug, no form claimed by two terms)
and names the entry at fault, so a bad edit fails at start-up instead of
marking the wrong word in every body.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hub.yamlsafe import strict_load

PATH = Path(__file__).with_name("glossary.yaml")
LANGUAGES = ("en", "fr")
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SPACES = re.compile(r"\s+")


class GlossaryDataError(ValueError):
    """hub/glossary.yaml breaks its own rules; the message names the entry."""


@dataclass(frozen=True)
class Entry:
    """A term in one language."""
    term: str
    forms: tuple[str, ...]
    definition: str

    @property
    def all_forms(self) -> tuple[str, ...]:
        """The headword first, then the other forms."""
        return (self.term, *(f for f in self.forms if f != self.term))


@dataclass(frozen=True)
class Term:
    key: str
    source: str
    entries: dict[str, Entry]

    def entry(self, lang: str) -> Entry:
        return self.entries.get(lang) or self.entries["en"]

    @property
    def anchor(self) -> str:
        """The id of the term's entry on the glossary page, the same in both languages."""
        return f"term-{self.key}"


def form_key(text: str) -> str:
    """How two spellings of a form are compared: composed accents, one space,
    straight apostrophes, case folded (capitals-only acronyms are compared the
    same way: ``LIP`` and ``lip`` are one form for the duplicate check)."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return _SPACES.sub(" ", text).strip().casefold()


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: accents and case ignored."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Glossary:
    def __init__(self, terms: list[Term], not_terms: dict[str, tuple[str, ...]] | None = None):
        self.terms = tuple(terms)
        self._by_key = {t.key: t for t in terms}
        self.not_terms = not_terms or {}

    def term(self, key: str) -> Term | None:
        return self._by_key.get(key)

    def forms(self, lang: str) -> list[tuple[str, str]]:
        """``(form, term key)`` for every form of ``lang``, and ``(name, "")``
        for the names that contain a form but must not be marked."""
        return ([(form, t.key) for t in self.terms for form in t.entry(lang).all_forms]
                + [(name, "") for name in self.not_terms.get(lang, ())])

    def alphabetical(self, lang: str) -> list[Term]:
        return sorted(self.terms, key=lambda t: sort_key(t.entry(lang).term))


def _text(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GlossaryDataError(f"{where}: {what} is missing")
    return value.strip()


def parse(data) -> Glossary:
    """The glossary described by ``data`` (the YAML file's content), checked."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise GlossaryDataError("the glossary file needs a list named 'terms'")
    terms: list[Term] = []
    seen_keys: set[str] = set()
    seen_forms: dict[tuple[str, str], str] = {}
    for position, spec in enumerate(data["terms"], 1):
        if not isinstance(spec, dict):
            raise GlossaryDataError(f"term {position}: expected a mapping")
        key = _text(spec.get("key"), f"term {position}", "key")
        where = f"term '{key}'"
        if not KEY_RE.match(key):
            raise GlossaryDataError(f"{where}: the key must be lowercase words joined by hyphens")
        if key in seen_keys:
            raise GlossaryDataError(f"{where}: the key is used twice")
        seen_keys.add(key)
        source = _text(spec.get("source"), where, "source (the slug of a glossary resource)")
        entries: dict[str, Entry] = {}
        for lang in LANGUAGES:
            block = spec.get(lang)
            if not isinstance(block, dict):
                raise GlossaryDataError(f"{where}: the '{lang}' entry is missing")
            forms = block.get("forms") or []
            if not isinstance(forms, list):
                raise GlossaryDataError(f"{where} ({lang}): forms must be a list")
            entry = Entry(term=_text(block.get("term"), f"{where} ({lang})", "term"),
                          forms=tuple(_text(f, f"{where} ({lang})", "a form") for f in forms),
                          definition=_text(block.get("definition"), f"{where} ({lang})", "definition"))
            for form in entry.all_forms:
                if not form[0].isalpha():
                    raise GlossaryDataError(f"{where} ({lang}): the form '{form}' must begin with a letter")
                owner = seen_forms.setdefault((lang, form_key(form)), key)
                if owner != key:
                    raise GlossaryDataError(f"{where} ({lang}): the form '{form}' already belongs to '{owner}'")
            entries[lang] = entry
        terms.append(Term(key=key, source=source, entries=entries))
    not_terms = data.get("not_terms") or {}
    if not isinstance(not_terms, dict) or not all(isinstance(not_terms.get(lang) or [], list) for lang in LANGUAGES):
        raise GlossaryDataError("not_terms: expected a list of names per language (en, fr)")
    return Glossary(terms, {lang: tuple(_text(n, f"not_terms ({lang})", "a name") for n in not_terms.get(lang) or [])
                            for lang in LANGUAGES})


@lru_cache(maxsize=4)
def load_glossary(path: str | None = None) -> Glossary:
    return parse(strict_load(Path(path or PATH).read_text(encoding="utf-8")))
