"""`GET /healthz` for monitoring: unprefixed, no sign-in, JSON, never cached."""
from flask import Blueprint, jsonify

from hub.services.health import check_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    healthy, report = check_health()
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
