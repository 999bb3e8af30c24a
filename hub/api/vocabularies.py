"""GET /api/v1/vocabularies: every controlled vocabulary, keys with their
English and French labels, descriptions and alternative labels, so a client
can show facets in either language and send valid filter values."""
from __future__ import annotations

from flask import jsonify

from hub.api.blueprint import bp
from hub.vocabularies import load_vocabularies


@bp.get("/vocabularies")
def vocabularies():
    return jsonify({"vocabularies": load_vocabularies().as_dict()})
