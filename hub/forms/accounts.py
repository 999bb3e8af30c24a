"""Forms of the account area: sign-in, passwords, invitations, roles.

Field names are part of the outside contract for sign-in (``email``,
``password``, ``csrf_token``); every form carries Flask-WTF's CSRF token.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from hub.models.user import ROLES

ROLE_NAMES = {"member": _l("Member"), "editor": _l("Editor"), "admin": _l("Admin")}


def role_choices():
    return [("member", _l("Member: reads members-only resources, submits resources")),
            ("editor", _l("Editor: also reviews submissions and edits resources")),
            ("admin", _l("Admin: also invites people and manages accounts"))]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         Length(max=320)],
                       render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """A button that changes something (sign out, deactivate…): the CSRF token alone."""


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         Length(max=320)],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password."))],
                             render_kw={"autocomplete": "new-password", "minlength": 10})
    confirm = PasswordField(_l("New password again"), validators=[DataRequired(_l("Type the password again."))],
                            render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter an e-mail address.")),
                                                         Length(max=320)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})
    name = StringField(_l("Name (optional)"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices, default="member")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=lambda: [(r, ROLE_NAMES[r]) for r in ROLES])
