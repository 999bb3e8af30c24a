"""The mail a submission's steps send: the author at each step, in the
language they used, and the editors when something enters the queue. Queued
on the unit of work, so nothing is sent for a step that is rolled back."""
from __future__ import annotations

from flask_babel import force_locale, gettext

from hub.extensions import db
from hub.models import Submission, User, submission as states
from hub.services.mail import absolute_url, send_mail
from hub.services.uow import UnitOfWork
from hub.services.users import editors


def _author_mail(sub: Submission, step: str, message: str, title: str) -> tuple[str, str] | None:
    """Subject and body for the author, in the submission's language (None: nothing to say)."""
    link = absolute_url("submit.edit", submission_id=sub.id, lang=sub.lang)
    note = ("\n\n" + message) if message else ""
    if step == states.SUBMITTED:
        return gettext("Submission received: %(title)s", title=title), gettext(
            "Thank you. Your submission “%(title)s” is now waiting for an editor. "
            "You can follow it here:\n%(link)s", title=title, link=link)
    if step == states.CHANGES_REQUESTED:
        return gettext("Changes requested: %(title)s", title=title), gettext(
            "An editor asked for changes to your submission “%(title)s”:%(note)s\n\n"
            "Make them and submit it again here:\n%(link)s", title=title, note=note, link=link)
    if step == states.REJECTED:
        return gettext("Not accepted: %(title)s", title=title), gettext(
            "Your submission “%(title)s” was not accepted. The editor's reason:%(note)s\n\n"
            "Details:\n%(link)s", title=title, note=note, link=link)
    if step == states.WITHDRAWN:
        return gettext("Withdrawn: %(title)s", title=title), gettext(
            "Your submission “%(title)s” was withdrawn. It will not be reviewed.\n%(link)s",
            title=title, link=link)
    if step == "comment":
        return gettext("New comment on: %(title)s", title=title), gettext(
            "An editor commented on your submission “%(title)s”:%(note)s\n\n%(link)s",
            title=title, note=note, link=link)
    if step == states.PUBLISHED:
        slug = sub.resource.slug if sub.resource is not None else ""
        page = absolute_url("resources.show", slug=slug, lang=sub.lang) if slug else link
        return gettext("Published: %(title)s", title=title), gettext(
            "Your submission “%(title)s” is published:\n%(page)s%(note)s", title=title, page=page, note=note)
    return None


def notify(actor, sub: Submission, step: str, message: str, work: UnitOfWork) -> None:
    """Mail the author at each step (not about their own acts, except the
    receipt of a submission), and the other editors when it enters the queue.
    Sent only after the commit."""
    author = sub.author or db.session.get(User, sub.author_id)
    if author is None:  # the account is gone: nobody to tell, nobody to name
        return
    title = sub.title or gettext("(untitled)")
    with force_locale(sub.lang):
        subject_body = _author_mail(sub, step, message, title)
    if subject_body is not None and author is not None and author.active and (
            actor.id != author.id or step == states.SUBMITTED):
        send_mail(author.email, subject_body[0], subject_body[1], uow=work)
    if step != states.SUBMITTED:
        return
    for editor in editors():
        if editor.id == author.id:
            continue
        with force_locale(sub.lang):
            review_link = absolute_url("review.show", submission_id=sub.id, lang=sub.lang)
            send_mail(editor.email, gettext("To review: %(title)s", title=title), gettext(
                "%(author)s submitted “%(title)s” for review:\n%(link)s",
                author=author.name or author.email, title=title, link=review_link), uow=work)
