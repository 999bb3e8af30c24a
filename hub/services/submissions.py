"""Submissions: members propose resources (new ones, or changes to published
ones), editors review them, and publishing sends them through the same
content pipeline as an import (``resources.upsert_fields``).

What the author typed is kept exactly as typed (``Submission.data``, one entry
per form field, named as the front-matter keys), and every accepted upload is
stored with the draft at once, so a form shown again after an error keeps
everything. Drafts are validated leniently; submitting and publishing
validate strictly. Every move is checked against the state machine on the
model and the optimistic ``version`` column, so two editors acting at once
cannot both apply a decision.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import yaml
from flask import current_app
from flask_babel import force_locale, format_decimal, gettext
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from hub.content.extract import docx_hazard
from hub.content import fields as declared
from hub.content.bilingual import LANGUAGES, other_language
from hub.content.fields import translation_key
from hub.content.files import check_content, media_type, safe_filename, sniff
from hub.content.frontmatter import ContentDoc, ParseError, load_yaml
from hub.content.render import render_markdown
from hub.content.storage import blob_path, store_blob
from hub.content.validation import AttachmentData, Problem, ResourceFields, slugify, validate
from hub.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hub.extensions import db
from hub.models import Resource, Submission, SubmissionFile, User
from hub.models import submission as states
from hub.models._types import utcnow
from hub.models.submission import TransitionError
from hub.security.policy import Action, can, require
from hub.services import history
from hub.services import resources as resource_service
from hub.services.mail import absolute_url, send_mail
from hub.services.uow import UnitOfWork, unit_of_work
from hub.services.users import editors
from hub.textclean import clean_text, needs_cleaning
from hub.vocabularies import load_vocabularies

#: The form's fields, named as the front-matter keys (``files`` is the upload input);
#: a bilingual field has a second one for the other language (``title_translation``).
def form_keys() -> tuple[str, ...]:
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


MAX_TEXT = 200_000
MAX_FILES = 20
INTENTS = ("save", "preview", "submit", "publish")


# -- what was typed -> front matter -------------------------------------------------
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


def published_slug(sub: Submission) -> str | None:
    """The slug of the resource a published submission became (None before it is published)."""
    if sub.resource_id is None:
        return None
    resource = db.session.get(Resource, sub.resource_id)
    return resource.slug if resource is not None and resource.status == "published" else None


class EmptySubmission(ValidationFailed):
    """A new submission sent with nothing in it: nothing is stored."""


def is_blank(data: dict) -> bool:
    """Nothing typed or ticked (who may see it has a default, so it does not count)."""
    return not any(value for key, value in data.items() if key != "access")


def split_topics(text: str) -> list[str]:
    return [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]


def split_lines(text: str) -> list[str]:
    return [t.strip() for t in text.split("\n") if t.strip()]


def _typed_value(spec, text, problems: list[Problem]):
    """What a form field's text says, as the front-matter value of its kind."""
    if spec.kind == "keys":
        return list(text or [])
    text = text or ""
    if spec.kind == "tags":
        return split_topics(text)
    if spec.kind == "lines":
        return split_lines(text)
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


def _form_text(spec, value) -> object:
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
    """A submission may name a new slug, never take one another resource has."""
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


def _with_attachments(sub: Submission, fields: ResourceFields) -> ResourceFields:
    files_dir = current_app.config["FILES_DIR"]
    fields.attachments = []
    for f in sub.files:
        path = blob_path(files_dir, f.sha256)
        if not path.is_file():
            message = gettext("%(name)s is missing from storage: upload it again.", name=f.filename)
            raise ValidationFailed(message, problems=[Problem("files", message)])
        fields.attachments.append(AttachmentData(filename=f.filename, data=path.read_bytes(),
                                                 media_type=f.media_type))
    return fields


# -- reading -----------------------------------------------------------------------
def get_submission(actor, submission_id: int) -> Submission:
    sub = db.session.get(Submission, submission_id) if submission_id else None
    if sub is None:
        raise NotFound()
    require(actor, Action.SUBMISSION_READ, sub)
    return sub


def my_submissions(actor) -> list[Submission]:
    require(actor, Action.SUBMISSION_CREATE)
    return list(db.session.scalars(select(Submission).where(Submission.author_id == actor.id)
                                   .order_by(Submission.updated_at.desc(), Submission.id.desc())))


@dataclass
class Queue:
    waiting: list[Submission]
    changes_requested: list[Submission]
    counts: dict[str, int]


def review_queue(actor) -> Queue:
    """Submitted ones oldest first (the longest waiting on top), with counts per state."""
    require(actor, Action.SUBMISSION_REVIEW)
    waiting = list(db.session.scalars(select(Submission).where(Submission.state == states.SUBMITTED)
                                      .order_by(Submission.submitted_at.asc(), Submission.id.asc())))
    changes = list(db.session.scalars(select(Submission).where(Submission.state == states.CHANGES_REQUESTED)
                                      .order_by(Submission.submitted_at.asc(), Submission.id.asc())))
    counts = {state: 0 for state in states.STATES}
    for state, count in db.session.execute(select(Submission.state, func.count()).group_by(Submission.state)):
        counts[state] = count
    return Queue(waiting=waiting, changes_requested=changes, counts=counts)


def submission_file(actor, submission_id: int, filename: str) -> tuple[SubmissionFile, object]:
    sub = get_submission(actor, submission_id)
    f = sub.file(filename)
    path = blob_path(current_app.config["FILES_DIR"], f.sha256) if f else None
    if f is None or not path.is_file():
        raise NotFound()
    return f, path


def preview_html(sub_or_data) -> str:
    data = sub_or_data.data if isinstance(sub_or_data, Submission) else sub_or_data
    return render_markdown(data.get("body") or "")


def new_submission_data(actor, edit_slug: str | None = None) -> tuple[dict, Resource | None]:
    """What an empty form starts with: blank, or the published resource to change."""
    require(actor, Action.SUBMISSION_CREATE)
    if not edit_slug:
        return clean_data({"access": "public"}), None
    resource = resource_service.get_resource(actor, edit_slug)
    return data_from_resource(resource), resource


# -- saving what the author typed -------------------------------------------------------
@dataclass
class SaveResult:
    submission: Submission
    problems: list[Problem] = field(default_factory=list)
    #: Problems with this request's uploads alone (the rest was saved).
    upload_problems: list[Problem] = field(default_factory=list)
    submitted: bool = False
    published: Resource | None = None
    #: Fields whose text lost invisible characters or line breaks on the way in.
    altered: list[str] = field(default_factory=list)
    #: Accepted with a remark the person should read (e.g. a file's text not searchable).
    notices: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return self.upload_problems + self.problems


def _store_uploads(sub: Submission, uploads: list[tuple[str, bytes]], notices: list[str]) -> list[Problem]:
    cfg = current_app.config
    limit = cfg["MAX_ATTACHMENT_BYTES"]
    problems = []
    for name, data in uploads:
        safe = safe_filename(name)
        if len(data) > limit:
            problems.append(Problem("files", gettext("%(name)s was not added: it is larger than the limit of "
                                                     "%(limit)s.", name=safe, limit=_size(limit))))
            continue
        if not data:
            problems.append(Problem("files", gettext("%(name)s was not added: it is empty.", name=safe)))
            continue
        reason = check_content(safe, data)
        if reason:
            problems.append(Problem("files", _content_problem(safe, data)))
            continue
        existing = sub.file(safe)
        if existing is None and len(sub.files) >= MAX_FILES:
            problems.append(Problem("files", gettext("%(name)s was not added: a resource has at most %(n)s files.",
                                                     name=safe, n=MAX_FILES)))
            continue
        if safe.lower().endswith(".docx") and docx_hazard(data):
            notices.append(gettext("%(name)s was added, but its text will not be searchable: unpacked, the file "
                                   "would be far larger than a document can be.", name=safe))
        digest = store_blob(cfg["FILES_DIR"], data)
        if existing is not None:  # same name again: the new upload replaces the old one
            existing.sha256, existing.size, existing.media_type = digest, len(data), media_type(safe)
        else:
            sub.files.append(SubmissionFile(position=len(sub.files), filename=safe, sha256=digest,
                                            size=len(data), media_type=media_type(safe)))
    return problems


def _size(n: int) -> str:
    return f"{format_decimal(round(n / 1_000_000, 1))} MB"


def _content_problem(name: str, data: bytes) -> str:
    """Why an upload was refused, in the reader's language: judged by its content, not its name."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("pdf", "docx", "txt", "png", "jpg", "jpeg"):
        return gettext("%(name)s was not added: attachments must be PDF, DOCX, TXT, PNG or JPEG files.", name=name)
    return gettext("%(name)s was not added: its name says %(ext)s but its content is %(found)s.",
                   name=name, ext=ext.upper(), found=sniff(data) or "?")


def _stale(sub: Submission, version: int | None) -> None:
    if version is not None and int(version) != sub.version:
        raise Conflict(gettext("This submission was changed by someone else while you were working on it "
                               "(it is now: %(state)s). Nothing was applied; look at it again and retry.",
                               state=state_label(sub.state)))


def save_submission(actor, submission_id: int | None, raw: dict, *, uploads: list[tuple[str, bytes]] = (),
                    remove: list[str] = (), intent: str = "save", version: int | None = None,
                    lang: str = "en", edit_slug: str | None = None) -> SaveResult:
    """Save what the author typed, whatever its state of completion; then, when
    asked, submit it for review (strict validation) or, for an editor, publish
    it. When strict validation fails, the draft is still saved and the problems
    come back, every one with its field."""
    if intent not in INTENTS:
        raise ValidationFailed(f"unknown action {intent!r}")
    if submission_id is None and not edit_slug and not uploads and is_blank(clean_data(raw)):
        # Nothing typed yet: keep no "(untitled)" draft; say what the form needs instead.
        require(actor, Action.SUBMISSION_CREATE)
        _fields, problems = check(Submission(data=clean_data(raw)), strict=True)
        raise EmptySubmission(gettext("Nothing was saved: the form is still empty."), problems=problems)
    try:
        with unit_of_work() as work:
            if submission_id is None:
                require(actor, Action.SUBMISSION_CREATE)
                sub = Submission(author_id=actor.id, state=states.DRAFT, data={})
                if edit_slug:
                    resource = resource_service.get_resource(actor, edit_slug)
                    sub.is_edit, sub.resource_id, sub.target_slug = True, resource.id, resource.slug
                    for a in resource.attachments:
                        sub.files.append(SubmissionFile(position=a.position, filename=a.filename, sha256=a.sha256,
                                                        size=a.size, media_type=a.media_type))
                db.session.add(sub)
            else:
                sub = get_submission(actor, submission_id)
                require(actor, Action.SUBMISSION_EDIT, sub)
                _stale(sub, version)
                if not sub.editable:
                    raise Conflict(gettext("This submission is %(state)s; it can no longer be changed.",
                                           state=state_label(sub.state)))
            data = clean_data(raw)
            if sub.is_edit:
                data["slug"] = sub.target_slug or ""
            sub.data = data
            sub.title = (data["title"] or "").strip()[:300]
            sub.lang = lang if lang in ("en", "fr") else "en"
            sub.updated_at = utcnow()
            for name in remove or ():
                f = sub.file(name)
                if f is not None:
                    sub.files.remove(f)
            for position, f in enumerate(sub.files):
                f.position = position
            notices: list[str] = []
            result = SaveResult(submission=sub, upload_problems=_store_uploads(sub, list(uploads), notices),
                                altered=altered_fields(raw), notices=notices)
            strict = intent in ("submit", "publish")
            fields, result.problems = check(sub, strict=strict)
            db.session.flush()
            if strict and not result.all_problems:
                if intent == "publish":
                    require(actor, Action.SUBMISSION_REVIEW, sub)
                    result.published = _publish(actor, sub, fields, work, note="")
                else:
                    _transition(actor, sub, states.SUBMITTED, work)
                    result.submitted = True
            return result
    except StaleDataError:
        raise Conflict(gettext("This submission was changed by someone else at the same moment. "
                               "Nothing was applied; look at it again and retry.")) from None


# -- moving through review -----------------------------------------------------------
def _transition(actor, sub: Submission, to: str, work: UnitOfWork, message: str = "") -> None:
    try:
        sub.transition(to, actor=actor, as_editor=can(actor, Action.SUBMISSION_REVIEW, sub), message=message)
    except TransitionError:
        raise Conflict(gettext("This submission is %(state)s; that step is not possible from there.",
                               state=state_label(sub.state))) from None
    _notify(actor, sub, to, message, work)


def _publish(actor, sub: Submission, fields: ResourceFields, work: UnitOfWork, note: str) -> Resource:
    """Write the resource (database + index, in the caller's unit) and its history entry."""
    fields = _with_attachments(sub, fields)
    if sub.is_edit:
        existing = db.session.get(Resource, sub.resource_id) if sub.resource_id else None
        if existing is None:
            message = gettext("The resource this submission changes no longer exists.")
            raise ValidationFailed(message, problems=[Problem("slug", message)])
        fields.slug = existing.slug
    else:
        existing = None
        if not fields.slug:
            fields.slug = slugify(fields.title)
        problems = _slug_problems(sub, fields)
        if problems:
            raise ValidationFailed(problems[0].message, problems=problems)
    before = history.snapshot(existing) if existing is not None else None
    resource, _ = resource_service.upsert_fields(fields, status="published", uow=work)
    resource.updated_at = utcnow()
    history.record(actor, resource, "edit" if sub.is_edit else "publish", before=before, note=note,
                   submission_id=sub.id)
    sub.resource_id = resource.id
    _transition(actor, sub, states.PUBLISHED, work, message=note)
    return resource


REVIEW_ACTIONS = ("comment", "request_changes", "reject", "publish")


def review(actor, submission_id: int, action: str, *, version: int | None, message: str = "") -> Submission:
    """An editor's decision (or comment) on a submission. Refused when the
    submission changed since the editor loaded it."""
    if action not in REVIEW_ACTIONS:
        raise ValidationFailed(f"unknown action {action!r}")
    message = (message or "").replace("\x00", "").strip()[:10_000]
    try:
        with unit_of_work() as work:
            sub = get_submission(actor, submission_id)
            require(actor, Action.SUBMISSION_COMMENT if action == "comment" else Action.SUBMISSION_REVIEW, sub)
            _stale(sub, version)
            if action == "comment":
                if not message:
                    what = gettext("Write a comment.")
                    raise ValidationFailed(what, problems=[Problem("message", what)])
                sub.comment(actor=actor, message=message)
                _notify(actor, sub, "comment", message, work)
            elif action in ("request_changes", "reject"):
                if not message:
                    what = gettext("Say what should change.") if action == "request_changes" else \
                        gettext("Give the reason: the author receives it.")
                    raise ValidationFailed(what, problems=[Problem("message", what)])
                to = states.CHANGES_REQUESTED if action == "request_changes" else states.REJECTED
                _transition(actor, sub, to, work, message=message)
            else:
                if not sub.allowed(states.PUBLISHED, as_editor=True, as_author=sub.author_id == actor.id):
                    raise Conflict(gettext("This submission is %(state)s; that step is not possible from there.",
                                           state=state_label(sub.state)))
                fields, problems = check(sub, strict=True)
                if problems:
                    raise ValidationFailed(gettext("The submission is not complete enough to publish."),
                                           problems=problems)
                _publish(actor, sub, fields, work, note=message)
            db.session.flush()
            return sub
    except StaleDataError:
        raise Conflict(gettext("This submission was changed by someone else at the same moment. "
                               "Nothing was applied; look at it again and retry.")) from None


def missing_translations(sub: Submission) -> list[str]:
    """The bilingual fields (title, summary, topics) the submission gives in its
    language but not yet in the other: what an editor may add at review."""
    fields, _ = check(sub, strict=False)
    other = other_language(fields.language)
    return [name for name in declared.bilingual_names()
            if declared.field_named(name).read(fields) and not (fields.translations.get(other) or {}).get(name)]


def add_translation(actor, submission_id: int, typed: dict, *, version: int | None) -> Submission:
    """An editor writes the other language's title, summary or topics of a
    submission under review. Only those boxes change; the step is kept in the
    submission's conversation, and publishing records it in the history."""
    try:
        with unit_of_work():
            sub = get_submission(actor, submission_id)
            require(actor, Action.SUBMISSION_REVIEW, sub)
            _stale(sub, version)
            if sub.state not in (states.SUBMITTED, states.CHANGES_REQUESTED):
                raise Conflict(gettext("This submission is %(state)s; that step is not possible from there.",
                                       state=state_label(sub.state)))
            cleaned = clean_data(typed)
            data, added = dict(sub.data), []
            for name in declared.bilingual_names():
                key = translation_key(name)
                value = cleaned.get(key) or ""
                if value.strip() and value != (data.get(key) or ""):
                    data[key] = value
                    added.append(name)
            if not added:
                what = gettext("Write the translation first.")
                raise ValidationFailed(what, problems=[Problem("translation", what)])
            before = sub.data
            sub.data = data
            _, problems = check(sub, strict=False)
            problems = [p for p in problems if p.field.split(" ")[0] in added]
            if problems:
                sub.data = before
                raise ValidationFailed(gettext("The translation was not added."), problems=problems)
            sub.comment(actor=actor, message=gettext(
                "Translation added by an editor: %(fields)s",
                fields=", ".join(str(declared.field_named(n).label).lower() for n in added)))
            db.session.flush()
            return sub
    except StaleDataError:
        raise Conflict(gettext("This submission was changed by someone else at the same moment. "
                               "Nothing was applied; look at it again and retry.")) from None


def withdraw(actor, submission_id: int, *, version: int | None) -> Submission:
    try:
        with unit_of_work() as work:
            sub = get_submission(actor, submission_id)
            require(actor, Action.SUBMISSION_WITHDRAW, sub)
            _stale(sub, version)
            if not sub.allowed(states.WITHDRAWN, as_editor=False, as_author=True):
                raise Conflict(gettext("This submission is %(state)s; it cannot be withdrawn.",
                                       state=state_label(sub.state)))
            _transition(actor, sub, states.WITHDRAWN, work)
            return sub
    except StaleDataError:
        raise Conflict(gettext("This submission was changed by someone else at the same moment. "
                               "Nothing was applied; look at it again and retry.")) from None


def comment(actor, submission_id: int, message: str, *, version: int | None = None) -> Submission:
    return review(actor, submission_id, "comment", version=version, message=message)


# -- the field-by-field comparison ---------------------------------------------------------
@dataclass
class FieldChange:
    key: str
    before: object
    after: object
    #: For long text: [(op, line)] with op in " ", "-", "+", "…"
    lines: list[tuple[str, str]] | None = None


def _lines_diff(before: str, after: str, context: int = 2) -> list[tuple[str, str]]:
    a, b = (before or "").split("\n"), (after or "").split("\n")
    rows: list[tuple[str, str]] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if rows:
            rows.append(("…", ""))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend((" ", line) for line in a[i1:i2])
            else:
                rows.extend(("-", line) for line in a[i1:i2])
                rows.extend(("+", line) for line in b[j1:j2])
    return rows


def compare(sub: Submission) -> list[FieldChange] | None:
    """What the submission would change in the published resource, field by
    field (None when it proposes a new resource)."""
    if not sub.is_edit or sub.resource_id is None:
        return None
    resource = db.session.get(Resource, sub.resource_id)
    if resource is None:
        return None
    current = history.snapshot(resource)
    proposed, _ = check(sub, strict=False)
    proposed_values = history.field_values(proposed)
    changes = []
    for key in history.snapshot_keys():
        if key == "slug":
            continue
        before, after = current.get(key), proposed_values.get(key)
        if key == "assessment":
            before = yaml.safe_dump(before, sort_keys=False, allow_unicode=True) if before else ""
            after = yaml.safe_dump(after, sort_keys=False, allow_unicode=True) if after else ""
        if (before or None) == (after or None):
            continue
        spec = declared.field_named(key.removesuffix("_translation"))
        long_text = spec is not None and spec.kind in ("markdown", "longtext", "assessment")
        changes.append(FieldChange(key=key, before=before, after=after,
                                   lines=_lines_diff(before or "", after or "") if long_text else None))
    before_files = [(a["filename"], a["sha256"]) for a in current["attachments"]]
    after_files = [(f.filename, f.sha256) for f in sub.files]
    if before_files != after_files:
        changes.append(FieldChange(key="files", before=[n for n, _ in before_files],
                                   after=[n for n, _ in after_files]))
    return changes


# -- mail -------------------------------------------------------------------------------
def state_label(state: str) -> str:
    return {
        states.DRAFT: gettext("draft"),
        states.SUBMITTED: gettext("submitted"),
        states.CHANGES_REQUESTED: gettext("changes requested"),
        states.PUBLISHED: gettext("published"),
        states.REJECTED: gettext("rejected"),
        states.WITHDRAWN: gettext("withdrawn"),
    }.get(state, state)


def _notify(actor, sub: Submission, step: str, message: str, work: UnitOfWork) -> None:
    """Mail the author at each step (in the language they used), and editors
    when something enters the queue. Sent only after the commit."""
    author: User = sub.author or db.session.get(User, sub.author_id)
    title = sub.title or gettext("(untitled)")
    with force_locale(sub.lang):
        link = absolute_url("submit.edit", submission_id=sub.id, lang=sub.lang)
        note = ("\n\n" + message) if message else ""
        texts = {
            states.SUBMITTED: (gettext("Submission received: %(title)s", title=title), gettext(
                "Thank you. Your submission “%(title)s” is now waiting for an editor. "
                "You can follow it here:\n%(link)s", title=title, link=link)),
            states.CHANGES_REQUESTED: (gettext("Changes requested: %(title)s", title=title), gettext(
                "An editor asked for changes to your submission “%(title)s”:%(note)s\n\n"
                "Make them and submit it again here:\n%(link)s", title=title, note=note, link=link)),
            states.REJECTED: (gettext("Not accepted: %(title)s", title=title), gettext(
                "Your submission “%(title)s” was not accepted. The editor's reason:%(note)s\n\n"
                "Details:\n%(link)s", title=title, note=note, link=link)),
            states.WITHDRAWN: (gettext("Withdrawn: %(title)s", title=title), gettext(
                "Your submission “%(title)s” was withdrawn. It will not be reviewed.\n%(link)s",
                title=title, link=link)),
            "comment": (gettext("New comment on: %(title)s", title=title), gettext(
                "An editor commented on your submission “%(title)s”:%(note)s\n\n%(link)s",
                title=title, note=note, link=link)),
        }
        if step == states.PUBLISHED:
            slug = sub.resource.slug if sub.resource is not None else ""
            page = absolute_url("resources.show", slug=slug, lang=sub.lang) if slug else link
            texts[states.PUBLISHED] = (gettext("Published: %(title)s", title=title), gettext(
                "Your submission “%(title)s” is published:\n%(page)s%(note)s", title=title, page=page, note=note))
        subject_body = texts.get(step)
    to_author = subject_body is not None and author is not None and author.active and (
        actor.id != author.id or step == states.SUBMITTED)
    if to_author:
        send_mail(author.email, subject_body[0], subject_body[1], uow=work)
    if step == states.SUBMITTED:
        for editor in editors():
            if editor.id == author.id:
                continue
            with force_locale(sub.lang):
                review_link = absolute_url("review.show", submission_id=sub.id, lang=sub.lang)
                send_mail(editor.email, gettext("To review: %(title)s", title=title), gettext(
                    "%(author)s submitted “%(title)s” for review:\n%(link)s",
                    author=author.name or author.email, title=title, link=review_link), uow=work)
