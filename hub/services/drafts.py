"""Drafts: what an author typed is kept exactly as typed (``Submission.data``,
one entry per form field) and every accepted upload is stored with the draft
at once, content-addressed, so a form shown again after an error keeps
everything. Drafts are validated leniently; submitting (and, for an editor,
publishing straight from the form) validates strictly. The author may also
withdraw a submission that is not yet decided."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import format_decimal, gettext

from hub.content.extract import docx_hazard
from hub.content.files import check_content, media_type, safe_filename, sniff
from hub.content.storage import store_blob
from hub.content.validation import Problem
from hub.errors import Conflict, ValidationFailed
from hub.extensions import db
from hub.models import Resource, Submission, SubmissionFile, submission as states
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.services import resources as resource_service
from hub.services.publishing import publish
from hub.services.submission_form import altered_fields, check, clean_data, data_from_resource, is_blank
from hub.services.submissions import ensure_current, get_submission, no_lost_update, state_label, transition
from hub.services.uow import UnitOfWork, unit_of_work

MAX_FILES = 20
INTENTS = ("save", "preview", "submit", "publish")


class EmptySubmission(ValidationFailed):
    """A new submission sent with nothing in it: nothing is stored."""


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


def new_submission_data(actor, edit_slug: str | None = None) -> tuple[dict, Resource | None]:
    """What an empty form starts with: blank, or the published resource to change."""
    require(actor, Action.SUBMISSION_CREATE)
    if not edit_slug:
        return clean_data({"access": "public"}), None
    resource = resource_service.get_resource(actor, edit_slug)
    return data_from_resource(resource), resource


# -- uploads ----------------------------------------------------------------------------
def _size(n: int) -> str:
    return f"{format_decimal(round(n / 1_000_000, 1))} MB"


def _content_problem(name: str, data: bytes) -> str:
    """Why an upload was refused, in the reader's language: judged by its content, not its name."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("pdf", "docx", "txt", "png", "jpg", "jpeg"):
        return gettext("%(name)s was not added: attachments must be PDF, DOCX, TXT, PNG or JPEG files.", name=name)
    return gettext("%(name)s was not added: its name says %(ext)s but its content is %(found)s.",
                   name=name, ext=ext.upper(), found=sniff(data) or "?")


def _upload_problem(sub: Submission, safe: str, data: bytes, limit: int) -> str | None:
    """Why this upload cannot join the draft (None: it can)."""
    if len(data) > limit:
        return gettext("%(name)s was not added: it is larger than the limit of %(limit)s.",
                       name=safe, limit=_size(limit))
    if not data:
        return gettext("%(name)s was not added: it is empty.", name=safe)
    if check_content(safe, data):
        return _content_problem(safe, data)
    if sub.file(safe) is None and len(sub.files) >= MAX_FILES:
        return gettext("%(name)s was not added: a resource has at most %(n)s files.", name=safe, n=MAX_FILES)
    return None


def _store_uploads(sub: Submission, uploads: list[tuple[str, bytes]], notices: list[str]) -> list[Problem]:
    """Store each acceptable upload once, by its hash; the draft names it from then on."""
    cfg = current_app.config
    problems = []
    for name, data in uploads:
        safe = safe_filename(name)
        problem = _upload_problem(sub, safe, data, cfg["MAX_ATTACHMENT_BYTES"])
        if problem:
            problems.append(Problem("files", problem))
            continue
        if safe.lower().endswith(".docx") and docx_hazard(data):
            notices.append(gettext("%(name)s was added, but its text will not be searchable: unpacked, the file "
                                   "would be far larger than a document can be.", name=safe))
        digest = store_blob(cfg["FILES_DIR"], data)
        existing = sub.file(safe)
        if existing is not None:  # same name again: the new upload replaces the old one
            existing.sha256, existing.size, existing.media_type = digest, len(data), media_type(safe)
        else:
            sub.files.append(SubmissionFile(position=len(sub.files), filename=safe, sha256=digest,
                                            size=len(data), media_type=media_type(safe)))
    return problems


# -- saving -------------------------------------------------------------------------------
def _new_draft(actor, edit_slug: str | None) -> Submission:
    require(actor, Action.SUBMISSION_CREATE)
    sub = Submission(author_id=actor.id, state=states.DRAFT, data={})
    if edit_slug:
        resource = resource_service.get_resource(actor, edit_slug)
        sub.is_edit, sub.resource_id, sub.target_slug = True, resource.id, resource.slug
        for a in resource.attachments:
            sub.files.append(SubmissionFile(position=a.position, filename=a.filename, sha256=a.sha256,
                                            size=a.size, media_type=a.media_type))
    db.session.add(sub)
    return sub


def _draft_to_change(actor, submission_id: int, version: int | None) -> Submission:
    sub = get_submission(actor, submission_id)
    require(actor, Action.SUBMISSION_EDIT, sub)
    ensure_current(sub, version)
    if not sub.editable:
        raise Conflict(gettext("This submission is %(state)s; it can no longer be changed.",
                               state=state_label(sub.state)))
    return sub


def _keep_typed(sub: Submission, raw: dict, remove: Sequence[str], lang: str) -> None:
    """What the author typed replaces the draft's text; the files they ticked leave it."""
    data = clean_data(raw)
    if sub.is_edit:
        data["slug"] = sub.target_slug or ""  # an edit never moves the resource
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


def save_submission(actor, submission_id: int | None, raw: dict, *, uploads: Sequence[tuple[str, bytes]] = (),
                    remove: Sequence[str] = (), intent: str = "save", version: int | None = None,
                    lang: str = "en", edit_slug: str | None = None,
                    uow: UnitOfWork | None = None) -> SaveResult:
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
    with no_lost_update(), unit_of_work(uow) as work:
        sub = _new_draft(actor, edit_slug) if submission_id is None else \
            _draft_to_change(actor, submission_id, version)
        _keep_typed(sub, raw, remove, lang)
        notices: list[str] = []
        result = SaveResult(submission=sub, upload_problems=_store_uploads(sub, list(uploads), notices),
                            altered=altered_fields(raw), notices=notices)
        strict = intent in ("submit", "publish")
        fields, result.problems = check(sub, strict=strict)
        db.session.flush()
        if strict and not result.all_problems:
            if intent == "publish":
                require(actor, Action.SUBMISSION_REVIEW, sub)
                result.published = publish(actor, sub, fields, work)
            else:
                transition(actor, sub, states.SUBMITTED, work)
                result.submitted = True
        return result


def withdraw(actor, submission_id: int, *, version: int | None, uow: UnitOfWork | None = None) -> Submission:
    """The author takes a submission back before it is decided; it is never reviewed."""
    with no_lost_update(), unit_of_work(uow) as work:
        sub = get_submission(actor, submission_id)
        require(actor, Action.SUBMISSION_WITHDRAW, sub)
        ensure_current(sub, version)
        if not sub.allowed(states.WITHDRAWN, as_editor=False, as_author=True):
            raise Conflict(gettext("This submission is %(state)s; it cannot be withdrawn.",
                                   state=state_label(sub.state)))
        transition(actor, sub, states.WITHDRAWN, work)
        return sub
