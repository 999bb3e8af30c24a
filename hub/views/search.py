"""The search page, ``GET /<lang>/search``: parse, call the search service, render.

Every parameter is read leniently here (a bad page number, an unknown facet
value or a very long query still gives a normal page); the API reads the same
parameters strictly.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from hub.forms.saved_searches import FollowForm
from hub.i18n import current_language
from hub.services import gaps, parity, saved_searches, search as search_service, usage

bp = Blueprint("search", __name__)


def search_url(params: search_service.SearchParams, page_url: str | None = None) -> str:
    """The search page with these parameters (``page_url``: the page's own URL,
    when the caller already has it)."""
    query = urlencode(params.to_args())
    return (page_url or url_for("search.page")) + (f"?{query}" if query else "")


@bp.get("/search")
def page():
    params = search_service.SearchParams.from_args(request.args, locale=current_language())
    # The user object itself, not Flask-Login's proxy: the policy reads it for every hit.
    result = search_service.search_resources(current_user._get_current_object(), params, clamp_page=True,
                                              one_per_work=True)
    partial = request.headers.get("X-Requested-With") == "fetch"
    if result.total == 0 and not partial and not usage.is_bot(request.user_agent.string):
        # Content gaps for editors: text, language and filters only, never who searched.
        gaps.record_zero_result(params.q, params.locale, params.filter_map)
    page_url = url_for("search.page")  # the same for the page's dozen links to other pages and filters
    other_editions = parity.counterparts(current_user, [hit.resource for hit in result.hits])
    # Following the search by e-mail: the form for a signed-in member, a sign-in link for anyone else.
    follow_form = FollowForm(prefix="follow", formdata=None) if current_user.is_authenticated else None
    return render_template("search/search.html", result=result, params=params, other_editions=other_editions,
                           search_url=lambda linked: search_url(linked, page_url), partial=partial,
                           follow_form=follow_form, follow_query=saved_searches.canonical_query(params))
