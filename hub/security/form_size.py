"""Forms without files have a small size limit; only uploads get the large one.

``MAX_CONTENT_LENGTH`` (60 MB) is sized for a submission's attachments. For
every other body Werkzeug reads a url-encoded form whole, whatever its size
(``MAX_FORM_MEMORY_SIZE`` only bounds the text fields of multipart forms), so
a 10 MB field was read, then cut to the field's length and saved. Here a
request whose body is not ``multipart/form-data`` may carry at most
``MAX_FORM_MEMORY_SIZE`` bytes: larger ones get 413 before anything reads them,
and a chunked body that grows past it is stopped at that size. Text fields of
multipart forms keep Werkzeug's own limit (also ``MAX_FORM_MEMORY_SIZE``, 413).
"""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge


def too_large() -> RequestEntityTooLarge:
    return RequestEntityTooLarge(gettext(
        "What was sent is too large. The text of a form may be at most %(kb)s kB, and files may be no "
        "larger than the limit shown next to them. Shorten it and send it again.",
        kb=int(current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0) // 1000))


def limit_form_bodies() -> None:
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
    if not limit or request.mimetype == "multipart/form-data":
        return
    if request.content_length is not None and request.content_length > limit:
        raise too_large()
    request.max_content_length = min(limit, request.max_content_length or limit)


def init_app(app: Flask) -> None:
    app.before_request(limit_form_bodies)
