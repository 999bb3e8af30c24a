"""Structured logs: one JSON object per line, each carrying the request id, with
secrets scrubbed before anything is written.

What never reaches a log line: passwords, tokens (API tokens, reset and
invitation links, CSRF tokens, session cookies, Authorization headers) and
self-assessment answers. Request bodies are never logged; values under a
sensitive key are replaced wherever they appear (extra fields, nested dicts);
``key=value`` and ``Bearer …`` shapes are replaced inside free text, which
covers exception messages; path parts that a route names as a token are
replaced in the logged path.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

REDACTED = "[redacted]"
#: A key is sensitive when its name contains one of these (case-insensitive).
SENSITIVE_PARTS = ("password", "passwd", "secret", "token", "authorization", "cookie", "csrf", "session",
                   "api_key", "apikey", "answer", "credential", "signature")
_FREE_TEXT = re.compile(
    r"(?i)\b((?:[\w-]*?)(?:password|passwd|secret|token|api_key|apikey|csrf|answers?|session|cookie)[\w-]*)"
    r"(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')([^\s,;&\"'}]+)")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: Attributes every LogRecord has; anything else was passed as ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def is_sensitive(key: str) -> bool:
    key = key.lower()
    return any(part in key for part in SENSITIVE_PARTS)


def scrub_text(text: str) -> str:
    """Replace ``password=…``, ``"token": "…"`` and ``Bearer …`` in free text."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _FREE_TEXT.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def scrub(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with every sensitive key's value replaced."""
    if key and is_sensitive(key):
        return REDACTED
    if isinstance(value, dict):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return scrub_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return scrub_text(str(value))


class ScrubFilter(logging.Filter):
    """Runs on every record before any handler formats it (installed on the
    handler, so records from every library pass through it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            message = str(record.msg)
        record.msg, record.args = scrub_text(message), None
        for key in list(vars(record)):
            if key not in _STANDARD:
                setattr(record, key, scrub(getattr(record, key), key))
        return True


class RequestContextFilter(logging.Filter):
    """Adds the current request's id to every record logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def current_request_id() -> str | None:
    from flask import g, has_request_context

    if has_request_context():
        return g.get("request_id")
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id,
    any ``extra`` fields, and the exception (type, message, traceback) if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,  # which gunicorn worker
        }
        request_id = getattr(record, "request_id", None)  # set by the request filter above
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "request_id" and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["exc"] = scrub_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.addFilter(ScrubFilter())
    handler._hub_json = True  # type: ignore[attr-defined]  # a marker on a stdlib handler: init_app finds its own
    return handler


def configure(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send every logger's records, as JSON lines, to ``stream`` (stderr).
    Idempotent: gunicorn's log configuration or a second app in the same
    process may have installed the handler already."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # we log each request ourselves
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    root = logging.getLogger()
    if any(getattr(h, "_hub_json", False) for h in root.handlers):
        return
    root.addHandler(make_handler(stream))
    root.setLevel(level.upper())


# -- requests ----------------------------------------------------------------------
def _request_id_from_header(value: str | None) -> str:
    """Keep a caller's id (a proxy's, for tracing) only if it is harmless in a log."""
    if value and _REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


def logged_path() -> str:
    """The request path with any URL part that its route names as sensitive
    (``/reset/<token>``) replaced, and sensitive query values replaced."""
    from flask import request

    path = request.path
    for name, value in (request.view_args or {}).items():
        if is_sensitive(name) and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    if request.query_string:
        parts = []
        for key, value in request.args.items(multi=True):
            parts.append(f"{key}={REDACTED if is_sensitive(key) else value}")
        path += "?" + "&".join(parts)
    return path


def init_app(app) -> None:
    """Request ids in and out, one log line per request."""
    from flask import g, request

    if app.config.get("LOG_JSON"):
        configure(app.config.get("LOG_LEVEL", "INFO"))
    log = logging.getLogger("hub.request")

    @app.before_request
    def start_request() -> None:
        g.request_id = _request_id_from_header(request.headers.get("X-Request-ID"))
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        if started is not None and not request.path.startswith("/static/"):
            log.info("request", extra={
                "method": request.method,
                "path": logged_path(),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "remote_addr": request.remote_addr,
            })
        return response
