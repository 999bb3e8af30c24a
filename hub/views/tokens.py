"""The member's personal API tokens: /<lang>/account/tokens.

Someone not signed in is sent to sign in first (Flask-Login's unauthorized
handler); the token service asks the policy (``token:manage``) as well."""
from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.errors import ValidationFailed
from hub.forms_tokens import TokenCreateForm, TokenRevokeForm
from hub.services import tokens

bp = Blueprint("tokens", __name__)


def _page(form: TokenCreateForm, new_secret: str | None = None, status: int = 200):
    response = make_response(render_template(
        "tokens/index.html", form=form, revoke_form=TokenRevokeForm(), tokens=tokens.list_tokens(current_user),
        new_secret=new_secret), status)
    # The page can hold a secret shown once: never keep it in a cache or history.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/tokens")
@login_required
def index():
    return _page(TokenCreateForm())


@bp.post("/account/tokens")
@login_required
def create():
    form = TokenCreateForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _token, secret = tokens.create_token(current_user, form.name.data or "")
    except ValidationFailed as exc:
        form.name.errors = [*form.name.errors, exc.message]
        return _page(form, status=400)
    return _page(TokenCreateForm(formdata=None), new_secret=secret, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    form = TokenRevokeForm()
    if not form.validate_on_submit():
        return _page(TokenCreateForm(formdata=None), status=400)
    token = tokens.revoke_token(current_user, token_id)
    flash(_("The token “%(name)s” is revoked: programs using it can no longer reach the API.", name=token.name))
    return redirect(url_for("tokens.index"), code=303)
