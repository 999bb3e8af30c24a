"""What the index reads of a resource's descriptive metadata, per language.

The bilingual-records work gives a resource ``titles``, ``summaries`` and
``topics_by_language`` (``{"en": ..., "fr": ...}``, only languages present)
and a ``publisher`` key; a first-version record has one title, summary and
topic list in its own ``language``. This is the one place that tells the two
apart, so nothing else in search needs to know which kind it was given.
"""
from __future__ import annotations

from dataclasses import dataclass

from hub.search.analysis import LANGS


@dataclass(frozen=True)
class Described:
    language: str
    titles: dict[str, str]
    summaries: dict[str, str]
    topics: dict[str, list[str]]
    publisher: str | None


def described(resource) -> Described:
    """The resource's titles, summaries and topics by language (non-empty only)."""
    lang = resource.language if resource.language in LANGS else "en"
    titles = getattr(resource, "titles", None) or {lang: resource.title}
    summaries = getattr(resource, "summaries", None) or {lang: resource.summary}
    topics = getattr(resource, "topics_by_language", None) or {lang: list(resource.topics or [])}
    return Described(
        language=lang,
        titles={k: v for k, v in titles.items() if k in LANGS and v},
        summaries={k: v for k, v in summaries.items() if k in LANGS and v},
        topics={k: list(v) for k, v in topics.items() if k in LANGS and v},
        publisher=getattr(resource, "publisher", None) or None,
    )
