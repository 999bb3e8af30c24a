"""Domain errors that services raise and every channel maps to a status."""
from __future__ import annotations


class HubError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", **details):
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.details = details


class NotFound(HubError):
    """Not found."""
    status = 404
    code = "not_found"


class PermissionDenied(HubError):
    """You are not allowed to do this."""
    status = 403
    code = "forbidden"


class ValidationFailed(HubError):
    """The input breaks a rule."""
    status = 400
    code = "invalid"

    def __init__(self, message: str = "", problems: list | None = None, **details):
        super().__init__(message, **details)
        self.problems = list(problems or [])


class Conflict(HubError):
    """Someone else changed this meanwhile."""
    status = 409
    code = "conflict"


def _wants_json() -> bool:
    from flask import request

    return request.path.startswith("/api/")


def init_app(app) -> None:
    """Map domain and HTTP errors to a page in the reader's language, or to
    JSON under /api/, never Werkzeug's default HTML."""
    from flask import jsonify, redirect, render_template
    from werkzeug.exceptions import HTTPException

    from hub import i18n

    def render(status: int, code: str, message: str):
        if _wants_json():
            return jsonify({"error": {"code": code, "message": message}}), status
        template = "errors/404.html" if status == 404 else "errors/error.html"
        return render_template(template, status=status, message=message), status

    @app.errorhandler(HubError)
    def hub_error(exc: HubError):
        return render(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404 and not _wants_json():
            target = i18n.redirect_target_for_unprefixed(app)
            if target:
                return redirect(target, code=302)
        code = (exc.name or "error").lower().replace(" ", "_")
        return render(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return render(500, "internal_error", "Something went wrong on our side.")
