"""The resource page."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub.content.render import headings
from hub.services import resources

bp = Blueprint("resources", __name__)


@bp.get("/resources/<slug>")
def show(slug: str):
    resource = resources.get_resource(current_user, slug)
    translation = resources.find_resource(current_user, resource.translation) if resource.translation else None
    return render_template("resources/show.html", resource=resource, translation=translation,
                           toc=headings(resource.body_html))
