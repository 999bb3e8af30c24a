"""The forms of following a search: save it (name, how often), change it,
stop it, and confirm an unsubscribe link. Each carries Flask-WTF's CSRF token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import AnyOf, Length, Optional

from hub.models.saved_search import FREQUENCIES, MAX_NAME


def frequency_choices():
    return [("weekly", _l("Weekly")), ("monthly", _l("Monthly"))]


class FollowForm(FlaskForm):
    """Saving a search, and changing a saved one (the same two settings)."""
    name = StringField(_l("Name (optional)"), validators=[
        Optional(), Length(max=MAX_NAME, message=_l("The name has at most %(max)d characters.", max=MAX_NAME))],
        render_kw={"maxlength": MAX_NAME, "autocomplete": "off"})
    frequency = RadioField(_l("How often"), choices=frequency_choices, default="weekly", validate_choice=False,
                           validators=[AnyOf(FREQUENCIES, message=_l("Choose weekly or monthly."))])


class StopForm(FlaskForm):
    """Stopping a digest (from the account or from an unsubscribe link): the CSRF token alone."""
