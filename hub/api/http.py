"""HTTP manners of everything under /api/: who is asking (Bearer tokens),
how often (rate limit), caching (ETag, 304) and cross-origin reading (CORS).

App-level hooks keyed on the path, so they also cover /api/ answers that no
endpoint produced (an unknown path's 404, a 405) and never depend on which
module registered a route.
"""
from __future__ import annotations

import math
import threading
import time

from flask import Flask, current_app, g, request
from flask_login import current_user
from limits import parse
from werkzeug.exceptions import MethodNotAllowed, RequestURITooLarge, TooManyRequests, Unauthorized

from hub.extensions import limiter
from hub.security import auth

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


class LocalWindows:
    """Fixed-window counts kept in this process: what ``memory://`` storage
    means anyway, without its cost. (The ``limits`` memory storage starts a
    timer thread on almost every hit; on a busy 2-core machine that added about
    30 ms to each API call, measured in docs/performance.md.)"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, amount: int, seconds: int) -> tuple[bool, int, float]:
        """Count one request; returns (allowed, remaining, window reset time)."""
        window = int(time.time() // seconds)
        with self._lock:
            start, count = self._counts.get(key, (window, 0))
            count = (count if start == window else 0) + 1
            self._counts[key] = (window, count)
            if len(self._counts) > 50_000:  # forget finished windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        return count <= amount, max(0, amount - count), float((window + 1) * seconds)


def _hit(item, key: str) -> tuple[bool, int, float]:
    if str(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        windows = current_app.extensions.setdefault("hub.api_windows", LocalWindows())
        return windows.hit(key, item.amount, item.get_expiry())
    # A shared store (Redis, Memcached…) counts for every worker together.
    allowed = limiter.limiter.hit(item, "api", key)
    reset_at, remaining = limiter.limiter.get_window_stats(item, "api", key)
    return allowed, remaining, reset_at


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
