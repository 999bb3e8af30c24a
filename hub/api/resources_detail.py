"""GET /api/v1/resources/<slug>: one resource, as the asker may see it."""
from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from hub.api.blueprint import bp
from hub.api.serializers import declared_json, resource_summary
from hub.services import parity, resources, usage


def resource_detail_json(resource, translation, counts: usage.UsageTotals | None = None) -> dict:
    """Every public field of the resource: the search result's fields (less the
    score) and the rest of the front matter, the rendered body and links."""
    summary = resource_summary(resource)
    del summary["score"]
    return {
        **summary,
        **declared_json(resource, "detail"),
        # Named only when the asker may see it (the stored slug may name a hidden one).
        "translation": translation.slug if translation is not None else None,
        "body_html": resource.body_html,
        "updated_at": resource.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ") if resource.updated_at else None,
        "usage": (counts or usage.UsageTotals()).as_dict(),
        "links": {
            "self": url_for("api.resource_detail", slug=resource.slug, _external=True),
            "html": {lang: url_for("resources.show", lang=lang, slug=resource.slug, _external=True)
                     for lang in ("en", "fr")},
        },
    }


@bp.get("/resources/<slug>")
def resource_detail(slug: str):
    resource = resources.get_resource(current_user, slug)
    translation = parity.counterpart_for(current_user, resource)
    return jsonify(resource_detail_json(resource, translation, usage.usage_for(resource.id)))
