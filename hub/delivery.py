"""Getting pages to readers on slow connections: compressed HTML, CSS, JS and
JSON (Flask-Compress: zstd, Brotli or gzip as the browser accepts), and
fingerprinted static files (``?v=<content hash>`` in every static URL) that
browsers may cache for a year because a changed file gets a new URL.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, request
from flask_compress import Compress

ONE_YEAR = 365 * 24 * 3600
#: Only text formats the hub serves itself; attachments (PDF, DOCX, TXT) are
#: sent as they are so downloads keep their length and byte ranges.
COMPRESS_MIMETYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/xml", "text/xml", "application/atom+xml", "image/svg+xml",
]
compress = Compress()


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            hasher.update(chunk)
    return hasher.hexdigest()[:12]


@lru_cache(maxsize=512)
def _static_path(static_folder: str, filename: str) -> str | None:
    """The real path of a static file, or None outside the folder. Two
    ``realpath`` calls cost some 20 µs, and every page links four static files."""
    path = os.path.realpath(os.path.join(static_folder, filename))
    if not path.startswith(os.path.realpath(static_folder) + os.sep):
        return None
    return path


def static_fingerprint(static_folder: str | None, filename: str) -> str | None:
    """The content hash of a static file (recomputed only when it changes on disk)."""
    path = _static_path(static_folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Flask-Compress would replace a streamed body with a generator and lose the
    # original's close() (a leaked file handle per static file). Streams stay
    # uncompressed; small static text files are read into memory below instead.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.url_defaults
    def fingerprint_static(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = static_fingerprint(app.static_folder, values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_static(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and version == static_fingerprint(app.static_folder, filename):
            # The URL names this exact content: it never changes, cache it for a year.
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None  # send_file's default, which contradicts immutable
            response.expires = None
        else:
            response.cache_control.max_age = 300
        if response.status_code == 200 and response.mimetype in COMPRESS_MIMETYPES:
            # Buffer the (small) CSS/JS file so it can be compressed; the file is
            # still closed with the response (werkzeug keeps its close()).
            response.direct_passthrough = False
            response.make_sequence()
        return response
