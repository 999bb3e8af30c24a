"""HTTP manners of everything under /api/: who is asking (Bearer tokens),
how often (rate limit), caching (ETag, 304) and cross-origin reading (CORS).

App-level hooks keyed on the path, so they also cover /api/ answers that no
endpoint produced (an unknown path's 404, a 405) and never depend on which
module registered a route.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, request
from flask_login import current_user
from limits import parse
from werkzeug.exceptions import MethodNotAllowed, RequestURITooLarge, TooManyRequests, Unauthorized

from hub.security import auth, throttle

PREFIX = "/api/"
#: Longest URL (path and query) the API answers; gunicorn refuses a request line past 4,094 bytes
#: with its own 414 page, so the API says it first, in its JSON shape, as its document promises.
MAX_URL_CHARS = 4000
#: What a cross-origin script may send and read (no cookies: credentials are not allowed with "*").
ALLOW_HEADERS = "Authorization, If-None-Match, Accept-Language"
EXPOSE_HEADERS = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def _is_api() -> bool:
    return request.path.startswith(PREFIX)


def client_key() -> str:
    """Whom the rate limit counts: the token holder, else the address."""
    user = g.get("api_token_user")
    return f"user-{user.id}" if user is not None else f"addr-{request.remote_addr or 'unknown'}"


def _hit(item, key: str) -> tuple[bool, int, float]:
    """Count this request for ``key``: in the database (one atomic statement,
    shared by every worker and machine), or in the shared store the operator
    configured. Counting in each worker's memory let 4 workers take 4 × the
    limit (2,400 of 2,800 requests in 5 s against 600 a minute)."""
    return throttle.hit(item, "api", key)


def _check_rate_limit() -> None:
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not current_app.config.get("API_RATE_LIMIT"):
        return
    item = parse(current_app.config["API_RATE_LIMIT"])
    allowed, remaining, reset_at = _hit(item, client_key())
    g.api_rate = (item.amount, remaining, int(reset_at))
    if not allowed:
        g.api_retry_after = max(1, math.ceil(reset_at - time.time()))
        raise TooManyRequests(f"Too many requests: the limit is {item}. "
                              f"Try again in {g.api_retry_after} seconds.")


def _cache_and_cors(response):
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    # The answer depends on who asks and, for labels, in which language.
    response.vary.update(("Authorization", "Cookie", "Accept-Language"))
    if response.status_code == 405 and isinstance(request.routing_exception, MethodNotAllowed):
        headers["Allow"] = ", ".join(sorted(request.routing_exception.valid_methods or ()))
    rate = g.get("api_rate")
    if rate is not None:
        headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"], headers["X-RateLimit-Reset"] = map(str, rate)
    if response.status_code == 429 and g.get("api_retry_after"):
        headers["Retry-After"] = str(g.api_retry_after)
    if response.status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    # An API answer is data, never a document to render: a tight policy of its own.
    headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        headers["Access-Control-Max-Age"] = "86400"
        return response
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
        signed_in = getattr(current_user, "is_authenticated", False)
        headers.setdefault("Cache-Control", "private, no-cache" if signed_in else "public, max-age=60")
        response.add_etag()
        response = response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    @app.before_request
    def api_request():
        if not _is_api():
            return
        for name in ("api_token_user", "api_rate", "api_retry_after"):
            g.pop(name, None)
        if len(request.full_path) > MAX_URL_CHARS:
            raise RequestURITooLarge(f"the URL is longer than {MAX_URL_CHARS} characters")
        try:
            auth.authenticate_api_request()
        except Unauthorized:
            _check_rate_limit()  # a refused token still counts, against the address: no free guessing
            raise
        if request.method != "OPTIONS":
            _check_rate_limit()

    @app.after_request
    def api_response(response):
        return _cache_and_cors(response) if _is_api() else response
