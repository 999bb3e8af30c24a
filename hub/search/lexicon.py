"""The search's language data, read from files the working group can edit:
other names of organisations and works (``hub/names.yaml``) and the words of
questions (``hub/search/question_words.yaml``)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hub.search.analysis import fold
from hub.yamlsafe import strict_load

NAMES_PATH = Path(__file__).resolve().parents[1] / "names.yaml"
QUESTION_WORDS_PATH = Path(__file__).with_name("question_words.yaml")


@dataclass(frozen=True)
class OtherNames:
    names: tuple[str, ...]  # folded: as found in an organization or a title
    also: tuple[str, ...]   # as readers type them


def _load_yaml(path: Path):
    return strict_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def other_names() -> tuple[OtherNames, ...]:
    entries = _load_yaml(NAMES_PATH) or []
    return tuple(OtherNames(tuple(fold(str(n)) for n in e.get("names") or ()),
                            tuple(str(a) for a in e.get("also") or ())) for e in entries)


def names_for(*texts: str) -> list[str]:
    """Every other name of the organisations and works these texts name."""
    folded = " ".join(fold(t) for t in texts if t)
    out: list[str] = []
    for entry in other_names():
        if any(name in folded for name in entry.names):
            out.extend(entry.also)
    return out


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    data = _load_yaml(QUESTION_WORDS_PATH) or {}
    return frozenset(fold(str(w)) for words in data.values() for w in words or ())
