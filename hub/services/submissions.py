"""Submissions: members propose resources (new ones, or changes to published
ones) and editors review them. This module is what every step shares: reading
a submission with permission, the state names, the optimistic ``version``
check and moving through the state machine (which tells people by mail).

The steps themselves live by job: ``drafts`` (saving what the author typed),
``review`` (the queue and the editors' decisions), ``publishing`` (into the
catalogue through the import pipeline), ``submission_form`` (typed form ↔
front matter, and validation), ``submission_compare`` (what an edit would
change) and ``notifications`` (the mail at each step).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hub.content.render import render_markdown
from hub.content.storage import blob_path
from hub.errors import Conflict, NotFound
from hub.extensions import db
from hub.models import Resource, Submission, SubmissionFile, submission as states
from hub.models.submission import TransitionError
from hub.security.policy import Action, can, require
from hub.services.notifications import notify
from hub.services.uow import UnitOfWork


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


def submission_file(actor, submission_id: int, filename: str) -> tuple[SubmissionFile, Path]:
    sub = get_submission(actor, submission_id)
    f = sub.file(filename)
    path = blob_path(current_app.config["FILES_DIR"], f.sha256) if f else None
    if f is None or path is None or not path.is_file():
        raise NotFound()
    return f, path


def preview_html(sub_or_data: Submission | dict) -> str:
    data = sub_or_data.data if isinstance(sub_or_data, Submission) else sub_or_data
    return render_markdown(data.get("body") or "")


def published_slug(sub: Submission) -> str | None:
    """The slug of the resource a published submission became (None before it is published)."""
    if sub.resource_id is None:
        return None
    resource = db.session.get(Resource, sub.resource_id)
    return resource.slug if resource is not None and resource.status == "published" else None


def state_label(state: str) -> str:
    return {
        states.DRAFT: gettext("draft"),
        states.SUBMITTED: gettext("submitted"),
        states.CHANGES_REQUESTED: gettext("changes requested"),
        states.PUBLISHED: gettext("published"),
        states.REJECTED: gettext("rejected"),
        states.WITHDRAWN: gettext("withdrawn"),
    }.get(state, state)


# -- acting on the submission as it is now --------------------------------------------
def ensure_current(sub: Submission, version: int | None) -> None:
    """Refuse a step taken on a page shown before someone else changed the submission."""
    if version is not None and int(version) != sub.version:
        raise Conflict(gettext("This submission was changed by someone else while you were working on it "
                               "(it is now: %(state)s). Nothing was applied; look at it again and retry.",
                               state=state_label(sub.state)))


@contextmanager
def no_lost_update() -> Iterator[None]:
    """Two people changing one submission at the same moment: the second write
    finds the ``version`` moved and nothing of it is applied."""
    try:
        yield
    except StaleDataError:
        raise Conflict(gettext("This submission was changed by someone else at the same moment. "
                               "Nothing was applied; look at it again and retry.")) from None


def not_possible_now(sub: Submission) -> Conflict:
    return Conflict(gettext("This submission is %(state)s; that step is not possible from there.",
                            state=state_label(sub.state)))


def transition(actor, sub: Submission, to: str, work: UnitOfWork, message: str = "") -> None:
    """Move the submission to ``to`` if the state machine allows it, and tell
    the people concerned once the unit of work commits."""
    try:
        sub.transition(to, actor=actor, as_editor=can(actor, Action.SUBMISSION_REVIEW, sub), message=message)
    except TransitionError:
        raise not_possible_now(sub) from None
    notify(actor, sub, to, message, work)
