"""Home and general pages."""
from flask import Blueprint, render_template
from flask_login import current_user

from hub.services import resources

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", recent=resources.recent_resources(current_user, limit=12))
