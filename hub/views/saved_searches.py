"""Following a search by e-mail: /<lang>/account/saved-searches.

``…/new`` takes the search page's own parameters in its query string (the
search page's "Follow this search" form posts there), so what is saved is
exactly the search the member was looking at. Someone not signed in is sent
to sign in first and comes back to the same form. Another member's saved
search answers "not found", like one that does not exist.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.errors import ValidationFailed
from hub.forms.saved_searches import FollowForm, StopForm
from hub.i18n import current_language
from hub.services import saved_searches
from hub.services.search import SearchParams

bp = Blueprint("saved_searches", __name__)


def _me():
    return current_user._get_current_object()


def _params() -> SearchParams:
    return SearchParams.from_args(request.args, locale=current_language())


def _put_problems(form: FollowForm, problems) -> None:
    for problem in problems:
        field = getattr(form, problem.field, None) or form.name
        field.errors = [*list(field.errors or ()), problem.message]


def _index(forms: dict[int, FollowForm] | None = None, status: int = 200):
    items = saved_searches.list_saved(_me())
    forms = forms or {}
    for saved in items:
        if saved.id not in forms:
            forms[saved.id] = FollowForm(prefix=f"s{saved.id}", formdata=None, name=saved.name,
                                         frequency=saved.frequency)
    return render_template("saved_searches/index.html", items=items, forms=forms, stop_form=StopForm(),
                           title_of=saved_searches.title, params_of=saved_searches.search_params,
                           describe=saved_searches.describe), status


@bp.get("/account/saved-searches")
@login_required
def index():
    return _index()


@bp.route("/account/saved-searches/new", methods=["GET", "POST"])
@login_required
def new():
    params = _params()
    form = FollowForm(prefix="follow")  # the search page's form has the same prefix
    if form.validate_on_submit():
        try:
            _saved, created = saved_searches.save_search(_me(), params, name=form.name.data or "",
                                                         frequency=form.frequency.data, language=current_language())
        except ValidationFailed as exc:
            _put_problems(form, exc.problems)
        else:
            flash(_("You follow this search: new resources will come by e-mail.") if created else
                  _("You already followed this search: its settings are updated."), "success")
            return redirect(url_for("saved_searches.index"), code=303)
    status = 400 if request.method == "POST" else 200
    query = urlencode([(k, v) for k, v in params.to_args() if k not in ("page", "per_page")])
    return render_template("saved_searches/new.html", form=form, params=params, query=query,
                           description=saved_searches.describe(params, current_language())), status


@bp.post("/account/saved-searches/<int:saved_id>")
@login_required
def update(saved_id: int):
    saved_searches.get_saved(_me(), saved_id)  # not the member's: 404 before anything else
    form = FollowForm(prefix=f"s{saved_id}")
    if form.validate_on_submit():
        try:
            saved_searches.update_saved(_me(), saved_id, name=form.name.data or "", frequency=form.frequency.data,
                                        language=current_language())
        except ValidationFailed as exc:
            _put_problems(form, exc.problems)
        else:
            flash(_("Your saved search is updated."), "success")
            return redirect(url_for("saved_searches.index"), code=303)
    return _index({saved_id: form}, status=400)


@bp.post("/account/saved-searches/<int:saved_id>/delete")
@login_required
def delete(saved_id: int):
    saved = saved_searches.get_saved(_me(), saved_id)
    if not StopForm().validate_on_submit():
        return _index(status=400)
    name = saved_searches.title(saved, current_language())
    saved_searches.delete_saved(_me(), saved_id)
    flash(_("You no longer follow this search: %(name)s.", name=name), "success")
    return redirect(url_for("saved_searches.index"), code=303)
