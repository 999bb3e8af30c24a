"""``/favicon.ico``: browsers and crawlers ask for it at the root whatever the
page says, and a 404 there is a console error on every first visit."""
from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("favicon", __name__)

ONE_DAY = 24 * 3600


@bp.get("/favicon.ico")
def favicon():
    # Not fingerprinted (the URL is fixed), so cached for a day rather than a year.
    response = send_from_directory(current_app.static_folder or "static", "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=ONE_DAY)
    response.cache_control.public = True
    response.cache_control.no_cache = None
    return response
