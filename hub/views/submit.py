"""Members submit resources: the form (new, or changes to a published
resource), "My submissions", withdrawing, and a draft's files.

Every POST of the form saves the draft first (typed values and accepted
uploads), so a page shown again with errors has lost nothing; the buttons
only decide what happens next (save, preview, submit, or publish for editors).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import i18n
from hub.clean_request import cleaned_fields
from hub.content import fields as declared
from hub.errors import Conflict, ValidationFailed
from hub.forms.accounts import ActionForm
from hub.forms.submissions import TRANSLATION_HINT, CommentForm, SubmissionForm, VersionForm, problem_text
from hub.security.policy import Action, can
from hub.services import drafts, review, submission_form, submissions

bp = Blueprint("submit", __name__)
#: Unprefixed, like every download: a draft's files, for its author and editors.
files_bp = Blueprint("submission_files", __name__)


def _uploads() -> list[tuple[str, bytes]]:
    """This request's files, each read up to one byte past the limit (enough to refuse it)."""
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    found = []
    for storage in request.files.getlist("files"):
        if storage and storage.filename:
            found.append((storage.filename, storage.stream.read(limit + 1)))
    return found


def _render_form(form: SubmissionForm, *, sub=None, resource=None, action_url: str, status: int = 200,
                 preview: str | None = None, loose: list[str] | None = None, message: str | None = None):
    return render_template(
        "submit/form.html", form=form, sub=sub, resource=resource, action_url=action_url, preview=preview,
        loose=loose or [], message=message, files_hint=declared.field_named("files").help,
        translation_hint=TRANSLATION_HINT, can_publish=can(current_user, Action.SUBMISSION_REVIEW),
        max_bytes=current_app.config["MAX_ATTACHMENT_BYTES"], comment_form=CommentForm(),
        withdraw_form=VersionForm(), state_label=submissions.state_label), status


def _save(submission_id: int | None, *, edit_slug: str | None = None, resource=None):
    lang = i18n.current_language()
    existing = submissions.get_submission(current_user, submission_id) if submission_id else None
    form = SubmissionForm(locale=lang, stored_files=existing.files if existing else ())
    intent = request.form.get("action", "save")
    back = url_for("submit.edit", submission_id=submission_id) if submission_id else request.path
    try:
        result = drafts.save_submission(
            current_user, submission_id, form.typed(), uploads=_uploads(), remove=form.remove_files.data or [],
            intent=intent, version=_int(form.version.data), lang=lang, edit_slug=edit_slug)
    except Conflict as exc:
        return _render_form(form, sub=existing, resource=resource, action_url=back, status=409, message=exc.message)
    except drafts.EmptySubmission as exc:
        return _render_form(form, resource=resource, action_url=back, status=422, message=exc.message,
                            loose=form.show_problems(exc.problems))
    except ValidationFailed as exc:
        loose = form.show_problems(exc.problems) if exc.problems else [exc.message]
        return _render_form(form, sub=existing, resource=resource, action_url=back, status=422, loose=loose)
    sub = result.submission
    _flash_notices(form, result)
    if result.published is not None:
        flash(_("Published: %(title)s", title=result.published.title), "success")
        return redirect(url_for("resources.show", slug=result.published.slug))
    if result.submitted:
        flash(_("Thank you: your submission is with the editors. You will get an e-mail at each step."), "success")
        return redirect(url_for("submit.edit", submission_id=sub.id))
    if not result.all_problems and intent == "save":
        flash(_("Draft saved."), "success")
        return redirect(url_for("submit.edit", submission_id=sub.id))
    # Shown again: everything typed stays in the form, every accepted file is listed as stored.
    form = SubmissionForm(formdata=None, data=sub.data, locale=lang, stored_files=sub.files)
    form.version.data = sub.version
    loose = form.show_problems(result.all_problems)
    if result.all_problems:
        message = _("Your draft was saved, but some things need attention before it can go further.") \
            if intent != "save" else _("Your draft was saved. Some fields need attention.")
    else:
        message = _("Draft saved. The preview is below the form.")
    return _render_form(form, sub=sub, resource=resource, status=422 if result.all_problems else 200,
                        action_url=url_for("submit.edit", submission_id=sub.id), loose=loose, message=message,
                        preview=submissions.preview_html(sub) if intent == "preview" else None)


def _flash_notices(form: SubmissionForm, result) -> None:
    """Say which fields lost characters the person could not see, and which
    files will not be searchable, so nothing changes without them knowing."""
    altered = [key for key in submission_form.form_keys()
               if key in set(result.altered) | cleaned_fields(request.form) and key in form]
    if altered:
        flash(_("Invisible control characters or line breaks were removed from: %(fields)s.",
                fields=", ".join(str(form[key].label.text) for key in altered)), "warning")
    for notice in result.notices:
        flash(notice, "warning")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/submit", methods=["GET", "POST"])
@login_required
def new():
    if request.method == "POST":
        return _save(None)
    data, _resource = drafts.new_submission_data(current_user)
    form = SubmissionForm(formdata=None, data=data, locale=i18n.current_language())
    return _render_form(form, action_url=url_for("submit.new"))


@bp.route("/submit/edit/<slug>", methods=["GET", "POST"])
@login_required
def propose(slug: str):
    """Propose changes to a published resource (for an editor: edit it)."""
    data, resource = drafts.new_submission_data(current_user, slug)
    if request.method == "POST":
        return _save(None, edit_slug=resource.slug, resource=resource)
    form = SubmissionForm(formdata=None, data=data, locale=i18n.current_language(), stored_files=resource.attachments)
    return _render_form(form, resource=resource, action_url=url_for("submit.propose", slug=resource.slug))


@bp.route("/submit/<int:submission_id>", methods=["GET", "POST"])
@login_required
def edit(submission_id: int):
    sub = submissions.get_submission(current_user, submission_id)
    if sub.author_id != current_user.id:
        return redirect(url_for("review.show", submission_id=sub.id))
    if request.method == "POST":
        return _save(submission_id)
    if not sub.editable:
        return render_template("submit/show.html", sub=sub, comment_form=CommentForm(),
                               withdraw_form=VersionForm(), state_label=submissions.state_label,
                               preview=submissions.preview_html(sub))
    form = SubmissionForm(formdata=None, data=sub.data, locale=i18n.current_language(), stored_files=sub.files)
    form.version.data = sub.version
    return _render_form(form, sub=sub, action_url=url_for("submit.edit", submission_id=sub.id))


@bp.post("/submit/<int:submission_id>/withdraw")
@login_required
def withdraw(submission_id: int):
    form = VersionForm()
    try:
        drafts.withdraw(current_user, submission_id, version=_int(form.version.data))
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(_("Your submission is withdrawn."), "success")
    return redirect(url_for("submit.edit", submission_id=submission_id))


@bp.post("/submit/<int:submission_id>/comment")
@login_required
def comment(submission_id: int):
    form = CommentForm()
    try:
        review.comment(current_user, submission_id, form.message.data or "")
    except ValidationFailed as exc:
        flash(problem_text(exc.problems[0]) if exc.problems else exc.message, "error")
    else:
        flash(_("Your message is added."), "success")
    return redirect(url_for("submit.edit", submission_id=submission_id) + "#conversation")


@bp.get("/submissions")
@login_required
def mine():
    return render_template("submit/mine.html", submissions=submissions.my_submissions(current_user),
                           state_label=submissions.state_label, logout_form=ActionForm())


@files_bp.get("/submissions/<int:submission_id>/files/<path:filename>")
@login_required
def download(submission_id: int, filename: str):
    f, path = submissions.submission_file(current_user, submission_id, filename)
    response = send_file(path, mimetype=f.media_type, as_attachment=True, download_name=f.filename,
                         conditional=True, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
