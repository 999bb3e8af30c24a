"""Resources and search results as the contract's JSON."""
from __future__ import annotations

from flask import url_for


def resource_files(resource) -> list[dict]:
    return [{"filename": a.filename, "media_type": a.media_type, "size": a.size,
             "url": url_for("files.download", slug=resource.slug, filename=a.filename, _external=True)}
            for a in resource.attachments]


def resource_summary(resource, score: float | None = None) -> dict:
    """One result of ``GET /api/v1/resources``: exactly the contract's keys."""
    return {
        "slug": resource.slug,
        "title": resource.title,
        "type": resource.type,
        "summary": resource.summary,
        "racism_types": list(resource.racism_types or []),
        "audiences": list(resource.audiences or []),
        "topics": list(resource.topics or []),
        "language": resource.language,
        "region": resource.region,
        "year": resource.year,
        "organization": resource.organization,
        "url": resource.url,
        "files": resource_files(resource),
        "score": None if score is None else round(float(score), 4),
    }


def search_result(result) -> dict:
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "results": [resource_summary(hit.resource, hit.score) for hit in result.hits],
        "facets": {facet.name: [{"value": v.value, "label": v.label, "count": v.count} for v in facet.values]
                   for facet in result.facets},
    }
