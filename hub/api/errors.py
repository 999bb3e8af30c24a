"""JSON errors for the API. The app-wide handlers in hub/errors.py already turn
every error under ``/api/`` (domain errors, 404 for unknown paths, 405, 500) into
``{"error": {"code", "message"}}``; endpoints raise the domain errors of
hub/errors.py. This module marks API errors as never cached and says what
every API answer varies on."""
from __future__ import annotations

from hub.api.blueprint import bp


@bp.after_request
def api_headers(response):
    """API answers depend on who asks and in which language."""
    response.headers.add("Vary", "Accept-Language, Cookie, Authorization")
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    return response
