"""The hub's own pages (about, working groups, land acknowledgement) and the
JavaScript-free text-size control."""
from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from hub import i18n, textsize
from hub.security import auth
from hub.services import catalogue

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("public/about.html")


@bp.get("/working-groups")
def working_groups():
    return render_template("public/working_groups.html")


@bp.get("/working-groups/anti-racism")
def anti_racism_working_group():
    return render_template("public/anti_racism_working_group.html",
                           partnerships=catalogue.contributing_partnerships(current_user, i18n.current_language()),
                           total=catalogue.total_visible(current_user))


@bp.get("/land-acknowledgement")
def land_acknowledgement():
    return render_template("public/land_acknowledgement.html")


@bp.get("/text-size/<any(smaller,reset,larger):action>")
def text_size(action: str):
    """Without JavaScript, the header's A−/A/A+ links land here: remember the
    new size in a cookie and go back to the (local) page the reader was on."""
    step = textsize.apply(textsize.step_from_cookie(request.cookies.get(textsize.COOKIE)), action)
    target = auth.safe_next(request.args.get("next")) or url_for("public.home")
    response = make_response(redirect(target, code=303))
    response.set_cookie(textsize.COOKIE, str(step), max_age=textsize.MAX_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=False)
    response.headers["Cache-Control"] = "no-store"
    return response
