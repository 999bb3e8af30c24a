"""The submission form and the review forms.

The submission form's fields are named as the front-matter keys, so what a
member types maps one to one onto a resource file. The form does not judge
the content itself: the content pipeline's validator does (leniently for a
draft, strictly for submitting), and its problems are put back on the fields
here, in the page's language.
"""
from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (HiddenField, MultipleFileField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget

from hub.content.validation import MAX_SUMMARY, MAX_TITLE, REQUIRED, Problem
from hub.vocabularies import load_vocabularies


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset with a legend by the template)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(vocab: str, locale: str, blank: str | None = None):
    terms = load_vocabularies().terms(vocab)
    options = [(t.key, t.label(locale)) for t in terms]
    return ([("", blank)] if blank is not None else []) + options


#: Form fields in the order the page shows them, with what a person needs to know.
HINTS = {
    "title": _l("At most 300 characters."),
    "slug": _l("Optional: the resource's address, e.g. hiring-without-bias. Made from the title when left empty."),
    "summary": _l("Plain text, at most 600 characters: what it is and who it helps."),
    "topics": _l("Free tags, separated by commas, e.g. hiring, workplace policy."),
    "authors": _l("Optional: one per line."),
    "published": _l("A date (YYYY-MM-DD) or a year, e.g. 2022."),
    "url": _l("Optional: a link to the original, starting with https://."),
    "translation": _l("Optional: the address (slug) of the same resource in the other language."),
    "content_warning": _l("Optional: shown before the text, which stays closed until the reader continues."),
    "assessment": _l("Only for a self-assessment: its scale and sections, in the YAML format of resource files."),
    "body": _l("Markdown: ## headings, - lists, [links](https://…), tables. Use Preview to see it."),
    "files": _l("PDF, DOCX, TXT, PNG or JPEG, at most %(size)s each. Files already added stay with the draft."),
}


class SubmissionForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": MAX_TITLE})
    slug = StringField(_l("Address (slug)"), render_kw={"spellcheck": "false", "autocapitalize": "none"})
    type = SelectField(_l("Type of resource"), validate_choice=False)
    summary = TextAreaField(_l("Summary"), render_kw={"rows": 4, "maxlength": MAX_SUMMARY})
    racism_types = MultiCheckboxField(_l("Racism types"), validate_choice=False)
    audiences = MultiCheckboxField(_l("Audiences"), validate_choice=False)
    topics = StringField(_l("Topics"))
    language = RadioField(_l("Language of the resource"), validate_choice=False)
    organization = StringField(_l("Organization"), render_kw={"autocomplete": "organization"})
    authors = TextAreaField(_l("Authors"), render_kw={"rows": 2})
    published = StringField(_l("Publication date"), render_kw={"inputmode": "numeric"})
    region = SelectField(_l("Region"), validate_choice=False)
    url = StringField(_l("Link to the original"), render_kw={"inputmode": "url", "spellcheck": "false"})
    access = RadioField(_l("Who may see it"), validate_choice=False)
    translation = StringField(_l("Translation"), render_kw={"spellcheck": "false"})
    content_warning = StringField(_l("Content warning"))
    assessment = TextAreaField(_l("Self-assessment (advanced)"), render_kw={"rows": 6, "spellcheck": "false"})
    body = TextAreaField(_l("Text"), render_kw={"rows": 14})
    files = MultipleFileField(_l("Add files"))
    remove_files = MultiCheckboxField(_l("Remove files"), validate_choice=False)
    version = HiddenField()

    def __init__(self, *args, locale: str = "en", stored_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = _choices("resource_types", locale, blank=gettext("Choose a type"))
        self.racism_types.choices = _choices("racism_types", locale)
        self.audiences.choices = _choices("audiences", locale)
        self.language.choices = _choices("language", locale)
        self.region.choices = _choices("regions", locale, blank=gettext("Choose a region"))
        self.access.choices = [("public", gettext("Everyone")),
                               ("members", gettext("Signed-in LIP members only"))]
        self.remove_files.choices = [(f.filename, f.filename) for f in stored_files]
        for key in REQUIRED:  # marked "(required)" from the start; checked by the content validator
            if key in self:
                self[key].flags.required = True

    def typed(self) -> dict:
        """What the person typed, keyed by front-matter name."""
        from hub.services.submissions import DATA_KEYS

        return {key: self[key].data for key in DATA_KEYS}

    def show_problems(self, problems: list[Problem]) -> list[str]:
        """Put each problem on its field; return those that belong to no field."""
        loose = []
        for problem in problems:
            name = field_for(problem.field)
            if name and name in self:
                self[name].errors = list(self[name].errors or ()) + [problem_text(problem)]
            else:
                loose.append(problem_text(problem))
        return loose


class ReviewForm(FlaskForm):
    message = TextAreaField(_l("Comment, request or reason"), render_kw={"rows": 5})
    version = HiddenField()


class CommentForm(FlaskForm):
    message = TextAreaField(_l("Message to the editors"), render_kw={"rows": 3})
    version = HiddenField()


class VersionForm(FlaskForm):
    """A button acting on a submission the person has in front of them."""
    version = HiddenField()


class NoteForm(FlaskForm):
    note = StringField(_l("Reason (kept in the history)"))


def field_for(name: str) -> str | None:
    if name.startswith(("assessment", "recommend")):
        return "assessment"
    return name or None


_PATTERNS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^missing "), lambda m, p: gettext("Fill this in to submit.")),
    (re.compile(r"^\w+ is ([\d,]+) characters long; the limit is (\d+)"),
     lambda m, p: gettext("This is %(n)s characters long; the limit is %(limit)s.", n=m.group(1), limit=m.group(2))),
    (re.compile(r"^bad date"), lambda m, p: gettext("Write a date as YYYY-MM-DD, or a year such as 2022.")),
    (re.compile(r"^url .* must be an absolute"),
     lambda m, p: gettext("Give a full address that starts with https:// or http://.")),
    (re.compile(r"^slug .* must be lowercase"),
     lambda m, p: gettext("Use lowercase letters, digits and single hyphens, e.g. hiring-without-bias.")),
    (re.compile(r"^translation .* must be the slug"),
     lambda m, p: gettext("Use lowercase letters, digits and single hyphens, e.g. hiring-without-bias.")),
    (re.compile(r"^unknown \w+ (key )?'"), lambda m, p: gettext("Choose one of the listed values.")),
    (re.compile(r"^only a resource of type self-assessment"),
     lambda m, p: gettext("Only a resource of type self-assessment may have a self-assessment.")),
    (re.compile(r"^cannot derive a slug"),
     lambda m, p: gettext("The title gives no usable address: fill in the slug.")),
]


def problem_text(problem: Problem) -> str:
    """The validator speaks English to content editors; show its common
    problems in the page's language, the rare technical ones as they are."""
    for pattern, make in _PATTERNS:
        match = pattern.search(problem.message)
        if match:
            return make(match, problem)
    message = problem.message
    if message.split(" ", 1)[0].isalpha():  # a sentence, not a file name such as report.pdf
        message = message[:1].upper() + message[1:]
    return message + ("" if message.endswith(".") else ".")
