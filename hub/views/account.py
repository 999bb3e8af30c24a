"""Sign-in, sign-out, the account page, password reset and the one-time
set-password links of invitations.

The account page is a list of sections (templates/account/index.html); a
new section (API tokens, say) is one more ``{% include %}`` there and its
own routes in its own blueprint.
"""
from __future__ import annotations

import logging
from typing import cast

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from hub import i18n
from hub.errors import NotFound, ValidationFailed
from hub.forms.accounts import ActionForm, ChangePasswordForm, LoginForm, ResetRequestForm, SetPasswordForm
from hub.forms.submissions import problem_text
from hub.security import auth
from hub.services import users

log = logging.getLogger(__name__)
bp = Blueprint("account", __name__)
bp.record_once(lambda state: auth.init_account_security(cast(Flask, state.app)))  # a Flask app, typed as its base


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = auth.safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("public.home"))
    form = LoginForm()
    status = 200
    message = None
    if form.validate_on_submit():
        email, address = (form.email.data or "").strip(), request.remote_addr
        pause = auth.reserve_login_attempt(email, address)
        if pause:
            scope, seconds = pause
            status = 429
            if scope == "account":
                message = ngettext("Too many failed sign-ins for this account. Sign-in is paused for it for "
                                   "%(num)d minute. If you forgot your password, you can reset it.",
                                   "Too many failed sign-ins for this account. Sign-in is paused for it for "
                                   "%(num)d minutes. If you forgot your password, you can reset it.",
                                   _minutes(seconds))
            else:
                message = ngettext("Too many failed sign-ins from your network. Try again in %(num)d minute.",
                                   "Too many failed sign-ins from your network. Try again in %(num)d minutes.",
                                   _minutes(seconds))
        else:
            user = users.authenticate(email, form.password.data or "")
            if user is not None:
                auth.release_login_attempt(email, address)
                session.clear()  # a fresh session at sign-in: nothing carried over from before
                login_user(user)
                flash(_("You are signed in."), "success")
                return redirect(next_url or url_for("public.home"))
            log.info("sign-in failed", extra={"account_hmac": auth.account_trace(email)})
            status = 401
            message = _("That e-mail address and password do not match an active account.")
    elif request.method == "POST":
        status = 400
    return render_template("account/login.html", form=form, message=message, next_url=next_url), status


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without a valid token.
    if current_user.is_authenticated:
        # Server side: this cookie, any copy of it and the person's other
        # sessions stop working ("sign out everywhere"; docs/operations.md).
        users.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("public.home"))


@bp.get("/account")
@login_required
def index():
    return render_template("account/index.html", password_form=ChangePasswordForm(), signout_form=ActionForm())


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = current_user._get_current_object()
            users.change_password(user, form.current_password.data or "", form.password.data or "",
                                  form.confirm.data or "")
        except ValidationFailed as exc:
            _put_problems(form, exc.problems)
        else:
            login_user(user)  # this session goes on with the new version; every other one has ended
            flash(_("Your password is changed."), "success")
            return redirect(url_for("account.index"))
    return render_template("account/index.html", password_form=form, signout_form=ActionForm()), 400


@bp.route("/account/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        if not auth.allow_mail_request("reset-address", request.remote_addr or "", "10 per hour"):
            return render_template("account/reset_request.html", form=form, message=_(
                "Too many reset requests from your network. Try again in an hour.")), 429
        if auth.allow_mail_request("reset-account", email, "3 per hour"):
            users.request_password_reset(email, i18n.current_language())
        return render_template("account/reset_sent.html", email=email)
    return render_template("account/reset_request.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = users.find_password_link(token)
    if link is None:
        return render_template("account/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            users.set_password_with_link(token, form.password.data or "", form.confirm.data or "")
        except NotFound:
            return render_template("account/link_invalid.html"), 404
        except ValidationFailed as exc:
            _put_problems(form, exc.problems)
        else:
            if current_user.is_authenticated:
                logout_user()
                session.clear()
            flash(_("Your password is set. Sign in with it now."), "success")
            return redirect(url_for("account.login"))
    status = 400 if request.method == "POST" else 200
    response = render_template("account/set_password.html", form=form, link=link), status
    return response


@bp.after_request
def no_referrer(response):
    """Pages with a one-time secret in their address never pass it on."""
    if request.endpoint == "account.set_password":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def _put_problems(form, problems) -> None:
    for problem in problems:
        field = getattr(form, problem.field, None) or form.password
        field.errors = [*(field.errors or ()), problem_text(problem)]
