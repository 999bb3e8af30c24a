"""The home page: search, what's new, browse by vocabulary with counts, newest and featured resources."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub import i18n
from hub.services import catalogue, parity, pathways, whats_new

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    lang = i18n.current_language()
    recent = catalogue.newest_resources(current_user, limit=6, lang=lang)
    toolkits = catalogue.featured_resources(current_user, "toolkit", lang=lang, limit=3)
    assessments = catalogue.featured_resources(current_user, "self-assessment", lang=lang, limit=3)
    return render_template(
        "public/home.html",
        recent=recent,
        other_editions=parity.counterparts(current_user, [*recent, *toolkits, *assessments]),
        racism_types=catalogue.vocabulary_counts(current_user, "racism_types", lang),
        audiences=catalogue.vocabulary_counts(current_user, "audiences", lang),
        resource_types=catalogue.vocabulary_counts(current_user, "resource_types", lang),
        total=catalogue.total_visible(current_user, lang),
        toolkits=toolkits,
        assessments=assessments,
        whats_new=whats_new.whats_new(current_user, lang),
        pathways=pathways.list_pathways(lang),
    )
