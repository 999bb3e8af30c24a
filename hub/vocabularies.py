"""The controlled vocabularies, loaded from ``vocabularies.yaml``.

They live in a data file so the working group can add a key or a synonym
without a programmer; everything else (validation, facets, search synonyms,
labels on pages) asks this module.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hub.yamlsafe import strict_load

DEFAULT_PATH = Path(__file__).with_name("vocabularies.yaml")
LOCALES = ("en", "fr")
#: Front-matter vocabularies in the order facets are shown.
NAMES = ("resource_types", "racism_types", "audiences", "regions", "language", "access", "publishers")
#: What kind of organisation a publisher is (the `kind` of a `publishers` entry).
PUBLISHER_KINDS = ("lip", "francophone-network", "government", "municipality",
                   "community-organization", "research", "working-group")


class VocabularyError(ValueError):
    """The vocabulary data file breaks its own rules; the message names the entry."""


@dataclass(frozen=True)
class Term:
    key: str
    labels: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    alt: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: For publishers only: one of PUBLISHER_KINDS.
    kind: str = ""

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["en"]

    def description(self, locale: str) -> str:
        return self.descriptions.get(locale) or self.descriptions.get("en", "")

    def search_terms(self) -> list[str]:
        """Every label and synonym in both languages: what search should match."""
        words = [self.labels[loc] for loc in LOCALES if loc in self.labels]
        for loc in LOCALES:
            words.extend(self.alt.get(loc, ()))
        return words


class Vocabularies:
    def __init__(self, data: dict):
        self._terms: dict[str, dict[str, Term]] = {}
        for name in NAMES:
            entries = data.get(name) or {}
            terms = {}
            for key, spec in entries.items():
                spec = spec or {}
                kind = str(spec.get("kind") or "")
                if name == "publishers":
                    labels = spec.get("label") or {}
                    if not all(str(labels.get(loc) or "").strip() for loc in LOCALES):
                        raise VocabularyError(f"publishers: '{key}' needs a label in English and French")
                    if kind not in PUBLISHER_KINDS:
                        raise VocabularyError(f"publishers: '{key}' has kind '{kind}'; use one of "
                                              f"{', '.join(PUBLISHER_KINDS)}")
                terms[str(key)] = Term(
                    key=str(key),
                    labels={k: str(v) for k, v in (spec.get("label") or {"en": key}).items()},
                    descriptions={k: str(v) for k, v in (spec.get("description") or {}).items()},
                    alt={k: tuple(str(x) for x in (v or ())) for k, v in (spec.get("alt") or {}).items()},
                    kind=kind,
                )
            self._terms[name] = terms

    def keys(self, vocab: str) -> list[str]:
        return list(self._terms[vocab])

    def has(self, vocab: str, key: str) -> bool:
        return key in self._terms[vocab]

    def term(self, vocab: str, key: str) -> Term | None:
        return self._terms[vocab].get(key)

    def terms(self, vocab: str) -> list[Term]:
        return list(self._terms[vocab].values())

    def label(self, vocab: str, key: str, locale: str = "en") -> str:
        term = self._terms[vocab].get(key)
        return term.label(locale) if term else key

    def suggest(self, vocab: str, key: str) -> str | None:
        """The closest known key, for 'did you mean' messages to content editors:
        the key whose label or alternative label was written, else the nearest spelling."""
        wanted = str(key).strip().casefold()
        for term in self._terms[vocab].values():
            if wanted in (n.casefold() for n in term.search_terms()):
                return term.key
        match = difflib.get_close_matches(wanted, self.keys(vocab), n=1, cutoff=0.6)
        return match[0] if match else None

    def as_dict(self) -> dict:
        return {
            name: [
                {"key": t.key, "labels": dict(t.labels), "descriptions": dict(t.descriptions),
                 "alt_labels": {k: list(v) for k, v in t.alt.items()},
                 **({"kind": t.kind} if t.kind else {})}
                for t in terms.values()
            ]
            for name, terms in self._terms.items()
        }


@lru_cache(maxsize=4)
def load_vocabularies(path: str | Path = DEFAULT_PATH) -> Vocabularies:
    with open(path, encoding="utf-8") as fh:
        return Vocabularies(strict_load(fh.read()) or {})


def label(vocab: str, key: str, locale: str = "en") -> str:
    return load_vocabularies().label(vocab, key, locale)
