"""The glossary page: every term in the reader's language, with the resources that use it."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub import i18n
from hub.services import glossary

bp = Blueprint("glossary", __name__)


@bp.get("/glossary")
def index():
    lang = i18n.current_language()
    return render_template("glossary/index.html", entries=glossary.glossary_entries(current_user, lang))
