"""A resource back to a Markdown file with front matter: the inverse of
``frontmatter`` + ``validation``, so export then import gives the same resource.

Keys are written in the declaration's order (hub/content/fields.py); required
keys, the slug and keys with a default always, the others when they hold a value.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from hub.content import fields as declared
from hub.content.bilingual import by_language


def _in_languages(values: dict[str, Any], own: Any, language: str) -> Any:
    """The plain value while only the document's language is written (the
    first-version form), the {en, fr} mapping once another language is."""
    if any(lang != language for lang in values):
        return dict(values)
    return own


def _published(value: str) -> int | date | str:
    """A year as a number and a date as a date, as a person writes them in YAML."""
    return int(value) if value.isdigit() else (date.fromisoformat(value) if value else "")


def front_matter(resource: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in declared.fields():
        if spec.kind == "markdown":
            continue
        if spec.kind == "files":
            if resource.attachments:
                data[spec.name] = [f"files/{resource.slug}/{a.filename}" for a in resource.attachments]
            continue
        value = spec.read(resource)
        if isinstance(value, (list, tuple)):
            value = list(value)
        if spec.bilingual:
            value = _in_languages(by_language(resource.language, value, resource.translations, spec.name),
                                  value, resource.language)
        if spec.kind == "date":
            value = _published(value or "")
        if spec.required or spec.default is not None or spec.name == "slug" or value not in (None, "", [], {}):
            data[spec.name] = value
    return data


def to_markdown(resource: Any) -> str:
    meta = yaml.safe_dump(front_matter(resource), sort_keys=False, allow_unicode=True, width=100)
    body = resource.body or ""
    return f"---\n{meta}---\n{body}\n"
