"""Editors' review: the queue, one submission as the review page shows it,
the decisions (comment, request changes, reject, publish) and the other
language's title, summary or topics added at review. Every decision is
checked against the state machine and the optimistic ``version``, so two
editors acting at once cannot both apply one."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from hub.content import fields as declared
from hub.content.bilingual import other_language
from hub.content.fields import translation_key
from hub.content.validation import Problem
from hub.errors import ValidationFailed
from hub.extensions import db
from hub.models import Submission, submission as states
from hub.security.policy import Action, require
from hub.services.notifications import notify
from hub.services.publishing import publish
from hub.services.submission_compare import FieldChange, compare
from hub.services.submission_form import check, clean_data
from hub.services.submissions import (
    ensure_current,
    get_submission,
    no_lost_update,
    not_possible_now,
    preview_html,
    transition,
)
from hub.services.uow import UnitOfWork, unit_of_work

REVIEW_ACTIONS = ("comment", "request_changes", "reject", "publish")


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
    counts = dict.fromkeys(states.STATES, 0)
    for state, count in db.session.execute(select(Submission.state, func.count()).group_by(Submission.state)):
        counts[state] = count
    return Queue(waiting=waiting, changes_requested=changes, counts=counts)


@dataclass
class ReviewPage:
    """What an editor sees of one submission before deciding."""
    submission: Submission
    #: What strict validation (publishing) would refuse now.
    strict_problems: list[Problem]
    missing_translations: list[str]
    #: Field by field, what an edit would change (None for a new resource).
    changes: list[FieldChange] | None
    preview: str


def review_page(actor, submission_id: int) -> ReviewPage:
    """One submission for review. Its author (who may read it) is refused
    unless they are an editor; anyone else does not learn it exists."""
    sub = get_submission(actor, submission_id)
    require(actor, Action.SUBMISSION_REVIEW, sub)
    _, strict_problems = check(sub, strict=True)
    return ReviewPage(submission=sub, strict_problems=strict_problems, missing_translations=missing_translations(sub),
                      changes=compare(sub), preview=preview_html(sub))


def _required_message(action: str, message: str) -> None:
    if message:
        return
    what = {"comment": gettext("Write a comment."), "request_changes": gettext("Say what should change.")}.get(
        action) or gettext("Give the reason: the author receives it.")
    raise ValidationFailed(what, problems=[Problem("message", what)])


def review_submission(actor, submission_id: int, action: str, *, version: int | None, message: str = "",
                      uow: UnitOfWork | None = None) -> Submission:
    """An editor's decision (or a comment, also the author's) on a submission.
    Refused when the submission changed since the page was loaded."""
    if action not in REVIEW_ACTIONS:
        raise ValidationFailed(f"unknown action {action!r}")
    message = (message or "").replace("\x00", "").strip()[:10_000]
    with no_lost_update(), unit_of_work(uow) as work:
        sub = get_submission(actor, submission_id)
        require(actor, Action.SUBMISSION_COMMENT if action == "comment" else Action.SUBMISSION_REVIEW, sub)
        ensure_current(sub, version)
        if action == "comment":
            _required_message(action, message)
            sub.comment(actor=actor, message=message)
            notify(actor, sub, "comment", message, work)
        elif action in ("request_changes", "reject"):
            _required_message(action, message)
            transition(actor, sub, states.CHANGES_REQUESTED if action == "request_changes" else states.REJECTED,
                       work, message=message)
        else:
            if not sub.allowed(states.PUBLISHED, as_editor=True, as_author=sub.author_id == actor.id):
                raise not_possible_now(sub)
            fields, problems = check(sub, strict=True)
            if problems:
                raise ValidationFailed(gettext("The submission is not complete enough to publish."),
                                       problems=problems)
            publish(actor, sub, fields, work, note=message)
        db.session.flush()
        return sub


def comment(actor, submission_id: int, message: str, *, version: int | None = None,
            uow: UnitOfWork | None = None) -> Submission:
    return review_submission(actor, submission_id, "comment", version=version, message=message, uow=uow)


def missing_translations(sub: Submission) -> list[str]:
    """The bilingual fields (title, summary, topics) the submission gives in its
    language but not yet in the other: what an editor may add at review."""
    fields, _ = check(sub, strict=False)
    other = other_language(fields.language)
    return [name for name in declared.bilingual_names()
            if (spec := declared.field_named(name)) is not None and spec.read(fields)
            and not (fields.translations.get(other) or {}).get(name)]


def add_translation(actor, submission_id: int, typed: dict, *, version: int | None,
                    uow: UnitOfWork | None = None) -> Submission:
    """An editor writes the other language's title, summary or topics of a
    submission under review. Only those boxes change; the step is kept in the
    submission's conversation, and publishing records it in the history."""
    with no_lost_update(), unit_of_work(uow):
        sub = get_submission(actor, submission_id)
        require(actor, Action.SUBMISSION_REVIEW, sub)
        ensure_current(sub, version)
        if sub.state not in (states.SUBMITTED, states.CHANGES_REQUESTED):
            raise not_possible_now(sub)
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
            fields=", ".join(str(getattr(declared.field_named(n), "label", n)).lower() for n in added)))
        db.session.flush()
        return sub
