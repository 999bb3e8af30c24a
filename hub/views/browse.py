"""Browse pages: one per racism type and per audience, with the vocabulary's
description, and an index page for each of the two vocabularies."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub import i18n
from hub.services import catalogue, parity

bp = Blueprint("browse", __name__)

#: URL segment -> (vocabulary, search parameter)
AREAS = {"racism-types": ("racism_types", "racism_type"), "audiences": ("audiences", "audience")}


@bp.get("/<any('racism-types','audiences'):area>")
def index(area: str):
    vocab, param = AREAS[area]
    terms = catalogue.vocabulary_counts(current_user, vocab, i18n.current_language())
    return render_template("public/browse_index.html", area=area, vocab=vocab, param=param, terms=terms)


@bp.get("/<any('racism-types','audiences'):area>/<key>")
def term(area: str, key: str):
    vocab, param = AREAS[area]
    page = catalogue.browse(current_user, vocab, key, i18n.current_language())
    return render_template("public/browse.html", area=area, vocab=vocab, param=param, page=page,
                           other_editions=parity.counterparts(current_user, page.resources))
