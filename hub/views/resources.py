"""The resource page."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from hub.content.render import headings
from hub.forms.insight import ReviewForm
from hub.services import insight, resources, usage

bp = Blueprint("resources", __name__)


def is_prefetch() -> bool:
    """Browsers' speculative loads are not reads."""
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


@bp.get("/resources/<slug>")
def show(slug: str):
    resource = resources.get_resource(current_user, slug)
    facts = insight.resource_facts(current_user, resource)
    html = render_template("resources/show.html", resource=resource, translation=facts.counterpart,
                           toc=headings(resource.body_html), facts=facts,
                           review_form=ReviewForm(formdata=None) if facts.can_review else None)
    if request.method == "GET":
        usage.record_view(resource.id, request.user_agent.string, prefetch=is_prefetch())
    return html
