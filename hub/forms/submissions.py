"""The submission form and the review forms.

The submission form's fields are named as the front-matter keys, so what a
member types maps one to one onto a resource file. The form does not judge
the content itself: the content pipeline's validator does (leniently for a
draft, strictly for submitting), and its problems are put back on the fields
here, in the page's language.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.form import FormMeta
from wtforms.widgets import CheckboxInput, ListWidget

from hub.content import fields as declared
from hub.content.fields import FORM_GROUPS, FieldSpec, translation_key
from hub.content.validation import Problem
from hub.vocabularies import load_vocabularies


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset with a legend by the template)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(vocab: str, locale: str, blank: str | None = None):
    terms = load_vocabularies().terms(vocab)
    options = [(t.key, t.label(locale)) for t in terms]
    return ([("", blank)] if blank is not None else []) + options


#: How the form names the access choices (plainer than the vocabulary's labels).
ACCESS_CHOICES = {"public": _l("Everyone"), "members": _l("Signed-in LIP members only")}
#: Vocabularies small enough to show as radio buttons rather than a list.
RADIO_VOCABULARIES = ("language", "access")
TRANSLATION_HINT = _l("Optional: the same in the other official language (French for an English "
                      "document, English for a French one). Editors can add it at review.")


def _widget(spec: FieldSpec):
    """The form field that edits one declared field, by its kind."""
    kw = {"maxlength": spec.limit} if spec.limit and spec.kind in ("text", "longtext") else {}
    if spec.kind == "longtext":
        return TextAreaField(spec.label, render_kw={"rows": 4, **kw})
    if spec.kind == "lines":
        return TextAreaField(spec.label, render_kw={"rows": 2})
    if spec.kind == "key":
        if spec.vocabulary in RADIO_VOCABULARIES:
            return RadioField(spec.label, validate_choice=False)
        return SelectField(spec.label, validate_choice=False)
    if spec.kind == "keys":
        return MultiCheckboxField(spec.label, validate_choice=False)
    if spec.kind == "date":
        return StringField(spec.label, render_kw={"inputmode": "numeric"})
    if spec.kind == "url":
        return StringField(spec.label, render_kw={"inputmode": "url", "spellcheck": "false"})
    if spec.kind == "slug":
        return StringField(spec.label, render_kw={"spellcheck": "false", "autocapitalize": "none"})
    if spec.kind == "assessment":
        return TextAreaField(spec.label, render_kw={"rows": 6, "spellcheck": "false"})
    if spec.kind == "markdown":
        return TextAreaField(spec.label, render_kw={"rows": 14})
    return StringField(spec.label, render_kw=kw)


def _translation_widget(spec: FieldSpec):
    label = _l("%(field)s in the other official language", field=spec.label)
    if spec.kind == "longtext":
        return TextAreaField(label, render_kw={"rows": 4, "maxlength": spec.limit})
    return StringField(label, render_kw={"maxlength": spec.limit} if spec.kind == "text" and spec.limit else {})


class _DeclaredFormMeta(FormMeta):  # FlaskForm's metaclass
    """Gives the form one field per declared field (hub/content/fields.py) as it
    is built, so a field added to the declaration appears in the form."""

    def __call__(cls, *args, **kwargs):
        # A subclass (ReviewDetailsForm) inherits its parents' fields: bring
        # them up to the declaration first, then the class itself.
        for klass in reversed(cls.__mro__):
            if isinstance(klass, _DeclaredFormMeta):
                klass._sync_declared()
        return super().__call__(*args, **kwargs)

    def _sync_declared(cls) -> None:
        specs = declared.form_fields()
        # Each class keeps its own copy: a subclass must not delete, or reuse,
        # the fields its parent was given.
        if cls.__dict__.get("_declared") == specs:
            return
        for name in cls.__dict__.get("_declared_names", ()):
            if name in cls.__dict__:
                delattr(cls, name)
        names = []
        for spec in specs:
            if not getattr(cls, "_translations_only", False):  # set on the form classes below
                setattr(cls, spec.name, _widget(spec))
                names.append(spec.name)
            if spec.bilingual:
                setattr(cls, translation_key(spec.name), _translation_widget(spec))
                names.append(translation_key(spec.name))
        cls._declared, cls._declared_names = specs, tuple(names)


class SubmissionForm(FlaskForm, metaclass=_DeclaredFormMeta):
    _translations_only = False
    files = MultipleFileField(_l("Add files"))
    remove_files = MultiCheckboxField(_l("Remove files"), validate_choice=False)
    version = HiddenField()

    def __init__(self, *args, locale: str = "en", stored_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        for spec in declared.form_fields():
            if spec.kind not in ("key", "keys") or spec.vocabulary is None:
                continue
            if spec.kind == "key" and spec.vocabulary not in RADIO_VOCABULARIES:
                blank = gettext("Choose one") if spec.required else gettext("None of these")
                self[spec.name].choices = _choices(spec.vocabulary, locale, blank=blank)
            else:
                self[spec.name].choices = _choices(spec.vocabulary, locale)
        self.access.choices = [(key, str(label)) for key, label in ACCESS_CHOICES.items()]
        self.remove_files.choices = [(f.filename, f.filename) for f in stored_files]
        for key in declared.required_keys():  # marked "(required)" from the start; checked by the validator
            if key in self:
                self[key].flags.required = True

    def groups(self) -> list[tuple[str, object, list]]:
        """(group, legend, [(form field, hint, translation field or None)]) in page order."""
        out = []
        for group, legend in FORM_GROUPS.items():
            rows = []
            for spec in declared.form_fields(group):
                other = self[translation_key(spec.name)] if spec.bilingual else None
                rows.append((self[spec.name], spec.help, other))
            out.append((group, legend, rows))
        return out

    def typed(self) -> dict:
        """What the person typed, keyed by front-matter name."""
        from hub.services.submission_form import form_keys

        return {key: self[key].data for key in form_keys()}

    def show_problems(self, problems: list[Problem]) -> list[str]:
        """Put each problem on its field; return those that belong to no field."""
        loose = []
        for problem in problems:
            name = field_for(problem.field, self.language.data or "")
            if name and name in self:
                self[name].errors = [*(self[name].errors or ()), problem_text(problem)]
            else:
                loose.append(problem_text(problem))
        return loose


class TranslationForm(FlaskForm, metaclass=_DeclaredFormMeta):
    """An editor's boxes for the other language of a submission's bilingual fields."""
    _translations_only = True
    version = HiddenField()

    def boxes(self) -> list:
        return [self[translation_key(spec.name)] for spec in declared.form_fields() if spec.bilingual]

    def show_problems(self, problems: list[Problem], *, language: str) -> None:
        for problem in problems:
            name = field_for(problem.field, language)
            target = name if name and name in self else (self.boxes()[0].name if self.boxes() else None)
            if target:
                self[target].errors = [*(self[target].errors or ()), problem_text(problem)]


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


_IN_LANGUAGE = re.compile(r"^(\w+) \((en|fr)\)$")


def field_for(name: str, language: str = "") -> str | None:
    """The form field a problem belongs to: ``title (fr)`` is the title box of
    the document's language, or the other-language box."""
    if name.startswith(("assessment", "recommend")):
        return "assessment"
    match = _IN_LANGUAGE.match(name)
    if match:
        return match.group(1) if match.group(2) == language else translation_key(match.group(1))
    return name or None


_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str], Problem], str]]] = [
    (re.compile(r"^missing "), lambda m, p: gettext("Fill this in to submit.")),
    (re.compile(r"^\w+(?: \(\w\w\))? is ([\d,]+) characters long; the limit is (\d+)"),
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
