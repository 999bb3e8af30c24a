"""The resource page."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.content.render import Heading, headings
from hub.forms.insight import ReviewForm
from hub.i18n import current_language
from hub.services import catalogue, glossary, insight, parity, pathways, resources, usage

bp = Blueprint("resources", __name__)

#: A body with at least this many headings, or a long one with a few, gets a table of contents.
TOC_MIN_HEADINGS = 4
LONG_BODY_CHARS = 8000


def table_of_contents(body_html: str) -> list[tuple[Heading, list[Heading]]]:
    """h2 entries with their h3 children, for long documents only."""
    found = headings(body_html)
    if not (len(found) >= TOC_MIN_HEADINGS or (len(found) >= 2 and len(body_html) > LONG_BODY_CHARS)):
        return []
    tree: list[tuple[Heading, list[Heading]]] = []
    for h in found:
        if h.level == 2 or not tree:
            tree.append((h, []))
        else:
            tree[-1][1].append(h)
    return tree


def is_prefetch() -> bool:
    """Browsers' speculative loads are not reads."""
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


@bp.get("/resources/<slug>")
def show(slug: str):
    resource = resources.get_resource(current_user, slug)
    facts = insight.resource_facts(current_user, resource)
    related = catalogue.related_resources(current_user, resource, limit=5, lang=current_language())
    link = glossary.GlossaryLink(href=url_for("glossary.index"), label=_("See the glossary"), lang=current_language())
    html = render_template("resources/show.html", resource=resource, translation=facts.counterpart,
                           body_html=glossary.marked_body(resource.body_html, resource.language, link),
                           toc=table_of_contents(resource.body_html), facts=facts,
                           related=related,
                           in_pathways=pathways.pathways_containing(resource, current_language()),
                           other_editions=parity.counterparts(current_user, related),
                           review_form=ReviewForm(formdata=None) if facts.can_review else None)
    if request.method == "GET":
        usage.record_view(resource.id, request.user_agent.string, prefetch=is_prefetch())
    return html
