"""Metadata written in both official languages.

A resource's `title`, `summary` and `topics` are stored in the document's own
language (the value every first-version file gives) plus, in `translations`,
the same fields in the other language: ``{"fr": {"title": ..., "summary": ...,
"topics": [...]}}``. Keeping the document's own value where it always was means
every reader of `resource.title` keeps working, and the translations are an
addition, never a second source of truth for the same language.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

#: The official languages, in the order mappings are written and shown.
LANGUAGES = ("en", "fr")
#: The fields a resource may give in both languages.
BILINGUAL_FIELDS = ("title", "summary", "topics")


def other_language(language: str) -> str:
    """The other official language (English for French, French otherwise)."""
    return "en" if language == "fr" else "fr"


def by_language(language: str, own: Any, translations: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """One field in every language it is written in, keyed 'en' then 'fr'.

    `own` is the value in the document's `language`; empty values are left out,
    so the keys say which languages the field exists in."""
    values: dict[str, Any] = {}
    for lang in LANGUAGES:
        value = own if lang == language else (translations or {}).get(lang, {}).get(name)
        if value:
            values[lang] = list(value) if isinstance(value, (list, tuple)) else value
    return values


def pick(values: dict[str, Any], locale: str, fallback: str) -> tuple[Any, str]:
    """The value for a reader of `locale`, and the language it is actually in:
    the reader's own when written, else the document's (`fallback`)."""
    if values.get(locale):
        return values[locale], locale
    if values.get(fallback):
        return values[fallback], fallback
    for lang, value in values.items():
        if value:
            return value, lang
    return "", fallback


def clean_translations(language: str, translations: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Only the other languages' non-empty values, in a stable order: what is
    stored and checksummed, so equal content always compares equal."""
    clean: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        if lang == language:
            continue
        entry = (translations or {}).get(lang) or {}
        kept = {name: (list(entry[name]) if name == "topics" else entry[name])
                for name in BILINGUAL_FIELDS if entry.get(name)}
        if kept:
            clean[lang] = kept
    return clean


class BilingualMetadata:
    """``titles``, ``summaries`` and ``topics_by_language`` for anything that
    has ``language``, ``title``, ``summary``, ``topics`` and ``translations``
    (a parsed file, a resource row, a listing): one definition of what "the
    field in each language" means."""

    __slots__ = ()
    if TYPE_CHECKING:  # what the classes that mix this in provide
        language: str
        title: str
        summary: str
        translations: dict[str, Any] | None

    @property
    def titles(self) -> dict[str, str]:
        """The title in each language it is written in: {'en': ..., 'fr': ...}."""
        return by_language(self.language, self.title, self.translations, "title")

    @property
    def summaries(self) -> dict[str, str]:
        return by_language(self.language, self.summary, self.translations, "summary")

    @property
    def topics_by_language(self) -> dict[str, list[str]]:
        return by_language(self.language, getattr(self, "topics", None), self.translations, "topics")
