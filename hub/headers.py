"""Security headers on every response, with a per-request nonce for the few
inline scripts, so the Content-Security-Policy needs no 'unsafe-inline'.

Personal answers carry ``Cache-Control: private, no-store``: those of the
account, review, admin, editor, submission, token and self-assessment pages
whoever asks, and every answer (pages, members-only files, API) given to a
signed-in person, whose pages show what only they may see. Neither a shared
cache nor the browser's disk then keeps a copy for the next user of the
machine."""
from __future__ import annotations

import secrets

from flask import Flask, g, request, session

#: Blueprints whose every answer is personal, signed in or not (their forms
#: carry a session's CSRF token; their pages one person's work).
PERSONAL_BLUEPRINTS = frozenset({"account", "admin", "review", "submit", "submission_files", "tokens",
                                 "insight", "assessments", "assessment_downloads", "saved_searches", "digests"})
PRIVATE = "private, no-store"


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def is_personal() -> bool:
    """Whether this answer is for one person's eyes only."""
    if request.path.startswith("/static/"):
        return False
    if request.blueprint in PERSONAL_BLUEPRINTS:
        return True
    user = g.get("_login_user")  # loaded by this request (a page, an API token)
    if user is not None:
        return bool(user.is_authenticated)
    # Not loaded: decide from the session alone, without a database query
    # (this also runs on error pages given while the database is down).
    return bool(session.get("_user_id"))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response):
        nonce = csp_nonce()
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if is_personal() and "no-store" not in (response.headers.get("Cache-Control") or ""):
            response.headers["Cache-Control"] = PRIVATE
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
