"""What an author typed in the submission form, as the content pipeline reads
it: cleaned of what no field may hold, turned into front matter (a
``ContentDoc``) and validated by the same rules as an imported file. And the
way back: a published resource as the form shows it, to propose changes.

The form's fields are named as the front-matter keys and come from the field
declaration (``hub/content/fields.py``); a bilingual field has a second box
for the other language (``title_translation``).
"""
from __future__ import annotations

import yaml
from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from hub.content import fields as declared
from hub.content.bilingual import LANGUAGES, other_language
from hub.content.fields import FieldSpec, translation_key
from hub.content.frontmatter import ContentDoc, ParseError, load_yaml
from hub.content.validation import Problem, ResourceFields, validate
from hub.extensions import db
from hub.models import Resource, Submission
from hub.services import history
from hub.textclean import clean_text, needs_cleaning
from hub.vocabularies import load_vocabularies

MAX_TEXT = 200_000


def form_keys() -> tuple[str, ...]:
    """The form's fields, named as the front-matter keys (``files`` is the upload input)."""
    keys: list[str] = []
    for spec in declared.form_fields():
        keys.append(spec.name)
        if spec.bilingual:
            keys.append(translation_key(spec.name))
    return tuple(keys)


def _is_choice_list(key: str) -> bool:
    spec = declared.field_named(key)
    return spec is not None and spec.kind == "keys"


def _is_multiline(key: str) -> bool:
    """Typed in a text area, where line breaks belong."""
    spec = declared.field_named(key.removesuffix("_translation"))
    return spec is not None and spec.kind in ("longtext", "tags", "lines", "assessment", "markdown")


def clean_data(raw: dict) -> dict:
    """Keep the known fields, as typed, minus what no field may hold: control
    and XML-illegal characters, line breaks in one-line fields, absurd
    lengths; text is NFC-normalised (see `hub.textclean`)."""
    data: dict = {}
    for key in form_keys():
        if _is_choice_list(key):
            values = raw.get(key) or []
            if isinstance(values, str):
                values = [values]
            data[key] = [clean_text(str(v), multiline=False)[:80] for v in values if str(v).strip()][:50]
        else:
            value = raw.get(key)
            value = "" if value is None else str(value)
            data[key] = clean_text(value, multiline=_is_multiline(key))[:MAX_TEXT]
    return data


def altered_fields(raw: dict) -> list[str]:
    """The fields of `raw` from which `clean_data` removes characters, so the
    person can be told where something they could not see was taken out."""
    return [key for key in form_keys()
            if isinstance(raw.get(key), str) and needs_cleaning(raw[key], multiline=_is_multiline(key))]


def is_blank(data: dict) -> bool:
    """Nothing typed or ticked (who may see it has a default, so it does not count)."""
    return not any(value for key, value in data.items() if key != "access")


def _split_topics(text: str) -> list[str]:
    return [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]


def _split_lines(text: str) -> list[str]:
    return [t.strip() for t in text.split("\n") if t.strip()]


def _typed_value(spec: FieldSpec, text, problems: list[Problem]):
    """What a form field's text says, as the front-matter value of its kind."""
    if spec.kind == "keys":
        return list(text or [])
    text = text or ""
    if spec.kind == "tags":
        return _split_topics(text)
    if spec.kind == "lines":
        return _split_lines(text)
    if spec.kind == "assessment":
        if not text.strip():
            return None
        try:
            return load_yaml(text)
        except ParseError as exc:
            problems.append(Problem(spec.name, f"{spec.name}: {exc}"))
            return None
    return text.strip()


def content_doc(data: dict, source: str = "submission") -> tuple[ContentDoc, list[Problem]]:
    """The front matter the typed form says, as a ContentDoc for the validator.
    A bilingual field's two boxes become {en, fr} once the other is filled in."""
    meta: dict = {}
    problems: list[Problem] = []
    language = (data.get("language") or "").strip()
    for spec in declared.form_fields():
        if spec.kind == "markdown":
            continue
        value = _typed_value(spec, data.get(spec.name), problems)
        other = _typed_value(spec, data.get(translation_key(spec.name)), problems) if spec.bilingual else None
        if other and language in LANGUAGES:
            value = {lang: v for lang, v in ((language, value), (other_language(language), other)) if v}
        if value not in (None, "", [], {}):
            meta[spec.name] = value
    return ContentDoc(meta=meta, body=(data.get("body") or "").strip("\n"), source=source), problems


def _form_text(spec: FieldSpec, value) -> object:
    """A stored value as its form field shows it."""
    if spec.kind == "keys":
        return list(value or [])
    if spec.kind == "tags":
        return ", ".join(value or [])
    if spec.kind == "lines":
        return "\n".join(value or [])
    if spec.kind == "assessment":
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True) if value else ""
    return value or ""


def data_from_resource(resource: Resource) -> dict:
    """A published resource as the form shows it, for proposing changes."""
    values = history.field_values(resource)
    raw = {}
    for spec in declared.form_fields():
        raw[spec.name] = _form_text(spec, values.get(spec.name))
        if spec.bilingual:
            raw[translation_key(spec.name)] = _form_text(spec, values.get(translation_key(spec.name)))
    return clean_data(raw)


def _slug_problems(sub: Submission, fields: ResourceFields) -> list[Problem]:
    """A submission may name a new slug, never take one another resource has.
    The slug is the one validation settled on (given, or derived from the
    title), so publishing needs no second look."""
    if sub.is_edit or not fields.slug:
        return []
    taken = db.session.scalar(select(Resource.id).where(Resource.slug == fields.slug))
    if taken is not None:
        where = "slug" if (sub.data.get("slug") or "").strip() else "title"
        return [Problem(where, gettext(
            "The address “%(slug)s” is already used by another resource: fill in another slug "
            "(or propose changes to that resource instead).", slug=fields.slug))]
    return []


def check(sub: Submission, *, strict: bool) -> tuple[ResourceFields, list[Problem]]:
    """Validate what the submission says now (its stored files were checked on upload)."""
    doc, problems = content_doc(sub.data, source=f"submission {sub.id}")
    if sub.is_edit:
        doc.meta["slug"] = sub.target_slug
    result = validate(doc, load_vocabularies(), strict=strict,
                      max_attachment_bytes=current_app.config["MAX_ATTACHMENT_BYTES"])
    problems = problems + result.problems + _slug_problems(sub, result.fields)
    return result.fields, problems
