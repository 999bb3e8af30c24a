"""The JSON API, ``/api/v1``: one blueprint, one module per area.

Every error under ``/api/`` is JSON, ``{"error": {"code", "message"}}``
(hub/errors.py maps domain and HTTP errors; :mod:`hub.api.errors` adds the
helpers endpoints use). Endpoints are thin: parse, call one service, serialise.
To add an area, create ``hub/api/<area>.py`` that imports ``bp`` from here and
add it to the import list at the bottom.
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from hub.api import errors, openapi, resources_detail, search, vocabularies  # noqa: E402,F401 - registers the routes on bp
