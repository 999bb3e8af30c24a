"""Languages: every page lives under /en/ or /fr/; the rest of the app asks
here which language the reader wants and how to reach the same page in the other."""
from __future__ import annotations

import flask_babel
from flask import Flask, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

LANGUAGES = ("en", "fr")
COOKIE = "hub_lang"
#: Paths that are language-neutral and never redirected to a prefixed page.
UNPREFIXED = ("/api/", "/static/", "/feed.atom", "/sitemap.xml", "/robots.txt", "/oai", "/healthz", "/favicon.ico",
              "/resources/")


def preferred_language() -> str:
    """Cookie from the language switch, else Accept-Language, else English."""
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    lang = g.get("lang")
    if lang in LANGUAGES:
        return lang
    try:
        prefix = request.path.split("/", 2)[1]
        if prefix in LANGUAGES:  # an unmatched /fr/… path still gets a French 404
            return prefix
        return preferred_language()
    except RuntimeError:
        return "en"


def other_language(lang: str | None = None) -> str:
    return "fr" if (lang or current_language()) == "en" else "en"


def url_in_language(lang: str) -> str:
    """The current page in another language, query string kept."""
    path = request.path
    for code in LANGUAGES:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            path = path[len(code) + 1:] or "/"
            break
    qs = request.query_string.decode("latin-1")
    return f"/{lang}{path}" + (f"?{qs}" if qs else "")


def redirect_target_for_unprefixed(app: Flask) -> str | None:
    """For an unprefixed page path such as /search or /resources/x, the same
    path under the reader's language, if that page exists."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if path.startswith(tuple(f"/{code}/" for code in LANGUAGES)) or path in ("/en", "/fr"):
        return None
    lang = preferred_language()
    adapter = app.url_map.bind("localhost")
    candidate = f"/{lang}{path}"
    try:
        adapter.match(candidate, method="GET")
    except RequestRedirect as redirect:
        candidate = redirect.new_url.split("localhost", 1)[-1]
    except (NotFound, MethodNotAllowed):
        return None
    qs = request.query_string.decode("latin-1")
    return candidate + (f"?{qs}" if qs else "")


def init_app(app: Flask) -> None:
    @app.before_request
    def forget_the_last_requests_state():
        # Tests keep one app context (and so one `g`) across requests: the cached
        # locale, signed-in user and CSP nonce must not leak into the next request.
        for name in ("_flask_babel", "_login_user", "csp_nonce"):
            g.pop(name, None)

    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        # Runs first on every request, matched or not. Start from a clean slate:
        # an app context may outlive one request (tests push one for many), and
        # a language or a Babel locale left from a previous request must not leak.
        g.pop("lang", None)
        flask_babel.refresh()
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" in values:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()

    @app.after_request
    def remember_lang(response):
        lang = g.get("lang")
        if lang in LANGUAGES and request.cookies.get(COOKIE) != lang and response.status_code < 400:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=request.is_secure)
        return response
