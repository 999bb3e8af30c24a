"""Attachment downloads, unprefixed: /resources/<slug>/files/<filename>."""
from flask import Blueprint, request, send_file
from flask_login import current_user

from hub.services import resources, usage
from hub.views.resources import is_prefetch

bp = Blueprint("files", __name__)


@bp.get("/resources/<slug>/files/<path:filename>")
def download(slug: str, filename: str):
    resource, attachment, path = resources.get_attachment(current_user, slug, filename)
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.filename, conditional=True, etag=attachment.sha256,
                         max_age=0 if not resource.is_public else 3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not resource.is_public:
        response.headers["Cache-Control"] = "private, no-store"
    if request.method == "GET" and response.status_code == 200:  # not HEAD, a 304 nor a resumed range
        usage.record_download(resource.id, request.user_agent.string, prefetch=is_prefetch())
    return response
