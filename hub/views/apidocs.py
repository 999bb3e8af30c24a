"""The API documentation for people, /<lang>/api (the machine-readable
description is /api/v1/openapi.json)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _, ngettext
from limits import parse

from hub.services.search import MAX_PER_PAGE

bp = Blueprint("apidocs", __name__)


def rate_limit_text() -> str:
    """The API's rate limit in the reader's words: "600 requests per minute"."""
    setting = current_app.config.get("API_RATE_LIMIT") or ""
    if not setting:
        return ""
    item = parse(setting)
    units = {"second": _("second"), "minute": _("minute"), "hour": _("hour"), "day": _("day")}
    unit = units.get(item.GRANULARITY.name)
    if unit is None or item.multiples != 1:
        return str(item)
    return ngettext("%(num)d request per %(unit)s", "%(num)d requests per %(unit)s", item.amount, unit=unit)


@bp.get("/api")
def index():
    return render_template("apidocs/index.html", rate_limit=rate_limit_text(), max_per_page=MAX_PER_PAGE)
