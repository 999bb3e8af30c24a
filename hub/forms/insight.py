"""Forms of the insight pages: the public request form and the editors' actions."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from hub.services.resource_requests import EMAIL_RE, MAX_NEED


class AskForm(FlaskForm):
    """"Ask the working group for a resource on this"."""
    need = TextAreaField(
        _l("What do you need?"),
        description=_l("For example: a guide for welcoming Black newcomers in rural libraries."),
        validators=[DataRequired(_l("Say what you are looking for.")),
                    Length(max=MAX_NEED, message=_l("Keep it under %(max)d characters."))])
    email = EmailField(
        _l("Your e-mail address (optional)"),
        description=_l("Only to tell you when we have an answer. It is deleted once your request is settled."),
        validators=[Optional(), Length(max=320),
                    Regexp(EMAIL_RE, message=_l("Enter an e-mail address such as name@example.org, "
                                                "or leave it empty."))])
    q = HiddenField()


class AnswerForm(FlaskForm):
    reply = TextAreaField(_l("Answer"), description=_l("Sent to the requester if they left an address."),
                          validators=[DataRequired(_l("Write the answer.")), Length(max=4000)])


class LinkForm(FlaskForm):
    slug = StringField(_l("Resource that answers the request"),
                       description=_l("Its identifier (slug) or the address of its page."),
                       validators=[DataRequired(_l("Name the resource.")), Length(max=300)])
    note = TextAreaField(_l("Note to the requester (optional)"), validators=[Optional(), Length(max=4000)])


class CloseForm(FlaskForm):
    note = TextAreaField(_l("Note to the requester (optional)"),
                         description=_l("Sent only if written and if they left an address."),
                         validators=[Optional(), Length(max=4000)])


class ReviewForm(FlaskForm):
    reviewed_on = DateField(_l("Reviewed on"), default=date.today,
                            validators=[DataRequired(_l("Enter a date."))])
    next = HiddenField()

    def validate_reviewed_on(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(_l("The review date cannot be in the future."))
