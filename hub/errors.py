"""Domain errors that services raise and every channel maps to a status."""
from __future__ import annotations

import contextlib
import errno

#: Disk full, quota exceeded, read-only file system: the operator must act; the
#: person gets a clear message and nothing already stored is touched.
STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


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
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

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
        if exc.code == 413 and exc.description == RequestEntityTooLarge.description:
            from hub.security.form_size import too_large  # Werkzeug's own English text: say it in the page's language
            exc = too_large()
        return render(exc.code or 500, code, exc.description or exc.name)

    from flask_babel import gettext
    from sqlalchemy.exc import InterfaceError, OperationalError, TimeoutError as PoolTimeout

    def unavailable(status: int, code: str, message: str):
        """A 503/507 that never touches the database again while rendering."""
        from flask import g
        from flask_login import AnonymousUserMixin

        from hub.extensions import db

        with contextlib.suppress(Exception):  # the connection may be gone; the pool replaces it
            db.session.rollback()
        g._login_user = AnonymousUserMixin()
        response = render(status, code, message)
        response = app.make_response(response)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(exc: Exception):
        app.logger.error("database unavailable", extra={"error": exc.__class__.__name__,
                                                        "detail": str(getattr(exc, "orig", exc))[:300]})
        return unavailable(503, "database_unavailable",
                           gettext("The hub's database is not answering. Please try again in a minute."))

    @app.errorhandler(OSError)
    def storage_unavailable(exc: OSError):
        if exc.errno not in STORAGE_ERRNOS:
            return unexpected(exc)
        app.logger.error("storage unavailable", extra={"error": errno.errorcode.get(exc.errno, str(exc.errno))})
        return unavailable(507 if exc.errno in (errno.ENOSPC, errno.EDQUOT) else 503, "storage_unavailable",
                           gettext("The hub cannot save files right now (its disk is full or read-only). "
                                   "Nothing already saved was lost; please try again later."))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return render(500, "internal_error", "Something went wrong on our side.")
