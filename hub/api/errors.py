"""JSON errors for the API. The app-wide handlers in hub/errors.py already turn
every error under ``/api/`` (domain errors, 404 for unknown paths, 405, 500) into
``{"error": {"code", "message"}}``; this module gives endpoints the same shape
for errors they raise themselves and marks API errors as never cached."""
from __future__ import annotations

from flask import jsonify

from hub.api.blueprint import bp


def json_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def api_headers(response):
    """API answers depend on who asks and in which language."""
    response.headers.add("Vary", "Accept-Language, Cookie, Authorization")
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    return response
