"""Forms anyone may send: a message to the editors, and a request for an account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hub.services.account_requests import MAX_REASON
from hub.services.contact import MAX_MESSAGE, TOPICS, topic_label


class ContactForm(FlaskForm):
    topic = SelectField(_l("What is it about?"), validators=[DataRequired(_l("Choose what your message is about."))])
    message = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Write your message.")),
                                                            Length(max=MAX_MESSAGE)],
                            render_kw={"rows": 8, "maxlength": MAX_MESSAGE})
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Your e-mail address (optional)"), validators=[Optional(), Length(max=320)],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [(t, topic_label(t)) for t in TOPICS]


class AccountRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         Length(max=320)],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    partnership = StringField(_l("Your partnership or organization"),
                              validators=[DataRequired(_l("Say which partnership or organization you work with.")),
                                          Length(max=200)], render_kw={"autocomplete": "organization"})
    reason = TextAreaField(_l("What you would use the hub for (optional)"),
                           validators=[Optional(), Length(max=MAX_REASON)], render_kw={"rows": 4})
