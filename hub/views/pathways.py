"""Pathways: the list, and one pathway with its steps and their resources."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub import i18n
from hub.services import parity, pathways

bp = Blueprint("pathways", __name__)


@bp.get("/pathways")
def index():
    return render_template("pathways/index.html", pathways=pathways.list_pathways(i18n.current_language()))


@bp.get("/pathways/<slug>")
def show(slug: str):
    pathway = pathways.get_pathway(current_user, slug, i18n.current_language())
    listed = [r for step in pathway.steps for r in step.resources]
    return render_template("pathways/show.html", pathway=pathway,
                           other_editions=parity.counterparts(current_user, listed))
