"""Admins manage people: invite (a one-time link, valid 7 days), change roles,
deactivate and reactivate accounts."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.errors import ValidationFailed
from hub.forms.accounts import ROLE_NAMES, ActionForm, InviteForm, RoleForm
from hub.forms.submissions import problem_text
from hub.services import account_requests, users

bp = Blueprint("admin", __name__)


def _page(form: InviteForm | None = None, status: int = 200):
    return render_template("admin/users.html", people=users.list_users(current_user), invite_form=form or InviteForm(),
                           role_form=RoleForm, action_form=ActionForm(), role_names=ROLE_NAMES,
                           pending=users.pending_invitation,
                           requests=account_requests.pending(current_user)), status


@bp.get("/admin/users")
@login_required
def people():
    return _page()


@bp.post("/admin/users/invite")
@login_required
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = users.invite_user(current_user, form.email.data or "", role=form.role.data,
                                     name=form.name.data or "")
        except ValidationFailed as exc:
            message = problem_text(exc.problems[0]) if exc.problems else exc.message
            form.email.errors = [message]
        else:
            flash(_("Invitation sent to %(email)s. The link works once, for 7 days.", email=user.email), "success")
            return redirect(url_for("admin.people"))
    return _page(form, 422)


@bp.post("/admin/users/<int:user_id>/role")
@login_required
def change_role(user_id: int):
    form = RoleForm()
    try:
        user = users.set_role(current_user, user_id, form.role.data or "")
    except (ValidationFailed, users.OwnAccount) as exc:
        flash(exc.message, "error")
    else:
        flash(_("%(email)s is now: %(role)s.", email=user.email, role=ROLE_NAMES[user.role]), "success")
    return redirect(url_for("admin.people"))


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_active(user_id: int):
    active = request.form.get("active") == "1"
    try:
        user = users.set_active(current_user, user_id, active)
    except users.OwnAccount as exc:
        flash(exc.message, "error")
    else:
        flash(_("%(email)s can sign in again.", email=user.email) if active else
              _("%(email)s is deactivated and can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.people"))


@bp.post("/admin/account-requests/<int:request_id>")
@login_required
def decide_account_request(request_id: int):
    ActionForm().validate_on_submit()  # CSRF is checked app-wide; the form only carries it
    decision = request.form.get("decision")
    try:
        if decision == "approve":
            user = account_requests.approve(current_user, request_id)
            flash(_("Invitation sent to %(email)s. The link works once, for 7 days.", email=user.email), "success")
        elif decision == "decline":
            email = account_requests.decline(current_user, request_id)
            flash(_("Request from %(email)s declined and deleted.", email=email), "success")
    except ValidationFailed as exc:
        flash(problem_text(exc.problems[0]) if exc.problems else exc.message, "error")
    return redirect(url_for("admin.people") + "#account-requests")
