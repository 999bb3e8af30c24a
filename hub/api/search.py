"""``GET /api/v1/resources`` (search) and ``GET /api/v1/suggest`` (as you type)."""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from hub.api.blueprint import bp
from hub.api.serializers import search_result
from hub.i18n import LANGUAGES, current_language
from hub.services import search


@bp.get("/resources")
def resources():
    """The search page's parameters plus ``per_page`` (1–100, default 20); a bad
    parameter is a 400 whose message names it."""
    params = search.SearchParams.from_args(request.args, locale=current_language(), strict=True, per_page=True)
    return jsonify(search_result(search.search_resources(current_user, params, snippets=False)))


@bp.get("/suggest")
def suggest():
    """Titles and vocabulary labels matching what was typed, visible to the asker."""
    asked = request.args.getlist("lang")
    if asked and (len(asked) > 1 or asked[0] not in LANGUAGES):
        raise search.InvalidParameter("lang", "must be one of " + ", ".join(LANGUAGES))
    locale = asked[0] if asked else current_language()
    found = search.suggest(current_user, request.args.get("q", ""), locale)
    for item in found["titles"]:
        item["url"] = url_for("resources.show", lang=locale, slug=item["slug"])
    for item in found["labels"]:
        item["url"] = url_for("search.page", lang=locale, **{item["facet"]: item["value"]})
    return jsonify(found)
