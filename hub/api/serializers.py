"""Resources and search results as the contract's JSON."""
from __future__ import annotations

from flask import url_for

from hub.content import fields as declared
from hub.content.bilingual import LANGUAGES, by_language


def resource_files(resource) -> list[dict]:
    return [{"filename": a.filename, "media_type": a.media_type, "size": a.size,
             "url": url_for("files.download", slug=resource.slug, filename=a.filename, _external=True)}
            for a in resource.attachments]


def field_json(spec, resource):
    """One declared field as JSON: lists as lists, an optional value left empty as null."""
    value = spec.read(resource)
    if spec.is_list:
        return list(value or [])
    if not value and not spec.required and spec.name != "slug":
        return None
    return value


def declared_json(resource, where: str) -> dict:
    """The declared fields of the API's list ("list") or detail ("detail"),
    bilingual ones also in both languages (``titles``: {en, fr})."""
    data = {}
    for spec in declared.api_fields(where):
        data[spec.name] = field_json(spec, resource)
        if spec.api_languages:
            values = by_language(resource.language, spec.read(resource), resource.translations, spec.name)
            data[spec.api_languages] = {lang: values.get(lang) for lang in LANGUAGES}
    return data


def resource_summary(resource, score: float | None = None) -> dict:
    """One result of ``GET /api/v1/resources``: exactly the contract's keys."""
    return {
        **declared_json(resource, "list"),
        "year": resource.year,
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
