"""A resource back to a Markdown file with front matter: the inverse of
``frontmatter`` + ``validation``, so export then import gives the same resource."""
from __future__ import annotations

from datetime import date

import yaml


def _in_languages(values: dict, own, language: str):
    """The plain value while only the document's language is written (the
    first-version form), the {en, fr} mapping once another language is."""
    if any(lang != language for lang in values):
        return dict(values)
    return own


def front_matter(resource) -> dict:
    data: dict = {
        "title": _in_languages(resource.titles, resource.title, resource.language),
        "slug": resource.slug,
        "type": resource.type,
        "summary": _in_languages(resource.summaries, resource.summary, resource.language),
        "racism_types": list(resource.racism_types or []),
        "audiences": list(resource.audiences or []),
        "topics": _in_languages(resource.topics_by_language, list(resource.topics or []), resource.language),
        "language": resource.language,
        "organization": resource.organization,
    }
    if resource.publisher:
        data["publisher"] = resource.publisher
    if resource.authors:
        data["authors"] = list(resource.authors)
    pub = resource.published or ""
    data["published"] = int(pub) if pub.isdigit() else (date.fromisoformat(pub) if pub else "")
    data["region"] = resource.region
    if resource.url:
        data["url"] = resource.url
    if resource.attachments:
        data["files"] = [f"files/{resource.slug}/{a.filename}" for a in resource.attachments]
    data["access"] = resource.access
    if resource.translation:
        data["translation"] = resource.translation
    if resource.content_warning:
        data["content_warning"] = resource.content_warning
    if resource.assessment:
        data["assessment"] = resource.assessment
    return data


def to_markdown(resource) -> str:
    meta = yaml.safe_dump(front_matter(resource), sort_keys=False, allow_unicode=True, width=100)
    body = resource.body or ""
    return f"---\n{meta}---\n{body}\n"
