"""POSTs must come from the hub's own pages (production).

The CSRF token already ties a form to the session it was shown in; checking
where the browser says the form was sent from adds a second, independent
lock: a token that leaked (a cached page, a log) is of no use from another
site. Browsers send ``Origin`` with every POST; when a privacy setting
removes it, ``Referer`` stands in. A POST with neither, or from another
origin, is refused with 403 and a message saying what to do. Endpoints that
Flask-WTF exempts from CSRF (OAI-PMH's POST form of its GET requests, meant
for harvesters, not browsers) are exempt here too.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_babel import gettext

#: Methods that change something; the hub's forms all POST.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    netloc = parts.netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(parts.scheme.lower(), "")
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{parts.scheme.lower()}://{netloc}"


def _exempt_from_csrf() -> bool:
    from hub.extensions import csrf

    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return False
    name = f"{view.__module__}.{view.__name__}"
    return name in getattr(csrf, "_exempt_views", ()) or request.blueprint in getattr(csrf, "_exempt_blueprints", ())


def check_origin() -> None:
    """Abort with 403 when a POST does not come from a page of BASE_URL."""
    base = current_app.config.get("BASE_URL")
    if not base or not current_app.config.get("CHECK_POST_ORIGIN") or request.method not in UNSAFE_METHODS:
        return
    if _exempt_from_csrf():
        return
    sent_from = request.headers.get("Origin")
    if not sent_from or sent_from == "null":
        sent_from = request.headers.get("Referer") or ""
    if _origin_of(sent_from) == _origin_of(base):
        return
    abort(403, gettext("This form was not sent from a page of %(base)s, so it was not accepted. Open the "
                       "page at %(base)s and send the form again.", base=base))


def init_app(app: Flask) -> None:
    app.before_request(check_origin)
