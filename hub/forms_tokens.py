"""The forms of the API token page (kept apart from hub/forms.py, which the
account pages own, so each area's forms change on their own)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from hub.services.tokens import MAX_NAME


class TokenCreateForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(message=_l("Give the token a name.")),
                    Length(max=MAX_NAME, message=_l("The name has at most %(max)d characters.", max=MAX_NAME))],
        description=_l("Say where it will be used, for example “Municipal portal”, so you know which one to revoke."))


class TokenRevokeForm(FlaskForm):
    """No fields: the CSRF token alone, so a revocation cannot be forged from another site."""
