"""A resource back to a Markdown file with front matter: the inverse of
``frontmatter`` + ``validation``, so export then import gives the same resource."""
from __future__ import annotations

from datetime import date

import yaml


def front_matter(resource) -> dict:
    data: dict = {
        "title": resource.title,
        "slug": resource.slug,
        "type": resource.type,
        "summary": resource.summary,
        "racism_types": list(resource.racism_types or []),
        "audiences": list(resource.audiences or []),
        "topics": list(resource.topics or []),
        "language": resource.language,
        "organization": resource.organization,
    }
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
