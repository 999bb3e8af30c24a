"""Editors' area: the review queue, one submission with its comparison and
decisions, and the history of a resource (restore, unpublish, publish again)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from hub.errors import Conflict, ValidationFailed
from hub.forms.accounts import ActionForm
from hub.forms.review_details import ReviewDetailsForm
from hub.forms.submissions import NoteForm, ReviewForm, TranslationForm, problem_text
from hub.i18n import current_language as get_locale_code
from hub.services import history, review as review_service, review_edits, submissions
from hub.templating import field_label

bp = Blueprint("review", __name__)

DONE = {
    "comment": _l("Your comment is added."),
    "request_changes": _l("Changes requested; the author is told by e-mail."),
    "reject": _l("Rejected; the author is told by e-mail, with your reason."),
    "publish": _l("Published."),
}


@bp.get("/review")
@login_required
def queue():
    return render_template("review/queue.html", queue=review_service.review_queue(current_user),
                           unpublished=history.unpublished_resources(current_user),
                           state_label=submissions.state_label)


def _show(submission_id: int, *, form: ReviewForm | None = None, status: int = 200, message: str | None = None,
          problems: list[str] | None = None, details_form: ReviewDetailsForm | None = None,
          translation_form: TranslationForm | None = None):
    page = review_service.review_page(current_user, submission_id)
    sub = page.submission
    form = form or ReviewForm()
    form.version.data = str(sub.version)
    if details_form is None:
        details_form = ReviewDetailsForm(formdata=None, data=sub.data, locale=get_locale_code(), prefix="details")
    details_form.version.data = str(sub.version)
    translation_form = translation_form or TranslationForm(formdata=None, data=sub.data)
    translation_form.version.data = str(sub.version)
    return render_template(
        "review/show.html", sub=sub, form=form, message=message, problems=problems or [],
        translation_form=translation_form, missing_translations=page.missing_translations,
        changes=page.changes, preview=page.preview,
        strict_problems=[(p.field, problem_text(p)) for p in page.strict_problems],
        state_label=submissions.state_label, field_label=field_label, details_form=details_form), status


@bp.get("/review/<int:submission_id>")
@login_required
def show(submission_id: int):
    return _show(submission_id)


@bp.post("/review/<int:submission_id>")
@login_required
def act(submission_id: int):
    form = ReviewForm()
    action = request.form.get("action", "")
    try:
        version = int(form.version.data or "")
    except (TypeError, ValueError):
        version = -1  # a form without the version it was shown at is stale by definition
    try:
        sub = review_service.review_submission(current_user, submission_id, action, version=version,
                                               message=form.message.data or "")
    except Conflict as exc:
        return _show(submission_id, status=409, message=exc.message)
    except ValidationFailed as exc:
        texts = [problem_text(p) for p in exc.problems] or [exc.message]
        if any(p.field == "message" for p in exc.problems):
            form.message.errors = [problem_text(p) for p in exc.problems if p.field == "message"]
            texts = []
        return _show(submission_id, form=form, status=422, problems=texts,
                     message=_("Nothing was changed.") if texts else None)
    done = str(DONE.get(action, _("Done.")))
    live = submissions.published_slug(sub) if action == "publish" else None
    if live:
        # Straight to what readers now see: "Published. See the live page".
        done = Markup('{} <a href="{}">{}</a>').format(done, url_for("resources.show", slug=live),
                                                      _("See the live page"))
    flash(done, "success")
    if action == "comment":
        return redirect(url_for("review.show", submission_id=sub.id) + "#conversation")
    return redirect(url_for("review.queue"))


@bp.post("/review/<int:submission_id>/details")
@login_required
def fix_details(submission_id: int):
    """An editor fixes a tag or a typo at review; the change is recorded in the submission's history."""
    form = ReviewDetailsForm(locale=get_locale_code(), prefix="details")
    try:
        version = int(form.version.data or "")
    except (TypeError, ValueError):
        version = -1
    try:
        changed = review_edits.edit_details(current_user, submission_id, form.typed(), version=version,
                                            field_label=field_label)
    except Conflict as exc:
        return _show(submission_id, status=409, message=exc.message)
    except ValidationFailed as exc:
        loose = form.show_problems(exc.problems) if exc.problems else [exc.message]
        return _show(submission_id, status=422, details_form=form, problems=loose,
                     message=_("Nothing was changed."))
    flash(_("Details fixed: %(fields)s. The change is in the submission's history.",
            fields=", ".join(field_label(k) for k in changed)) if changed else _("Nothing was changed."), "success")
    return redirect(url_for("review.show", submission_id=submission_id) + "#conversation")


@bp.post("/review/<int:submission_id>/translation")
@login_required
def add_translation(submission_id: int):
    """An editor adds the other language's title, summary or topics at review."""
    form = TranslationForm()
    try:
        version = int(form.version.data or "")
    except (TypeError, ValueError):
        version = -1
    try:
        review_service.add_translation(current_user, submission_id, {b.name: b.data for b in form.boxes()},
                                       version=version)
    except Conflict as exc:
        return _show(submission_id, status=409, message=exc.message)
    except ValidationFailed as exc:
        form.show_problems(exc.problems, language=submissions.get_submission(current_user, submission_id)
                           .data.get("language") or "")
        return _show(submission_id, status=422, message=exc.message, translation_form=form)
    flash(_("Translation added. It is published with the submission, and the history keeps it."), "success")
    return redirect(url_for("review.show", submission_id=submission_id) + "#translation-heading")


@bp.get("/review/resources/<slug>/history")
@login_required
def resource_history(slug: str):
    found = history.resource_history(current_user, slug)
    return render_template("review/history.html", resource=found.resource, versions=found.versions,
                           note_form=NoteForm(), restore_form=ActionForm(), snapshot_keys=history.snapshot_keys())


@bp.post("/review/resources/<slug>/restore/<int:version_id>")
@login_required
def restore(slug: str, version_id: int):
    try:
        history.restore_version(current_user, slug, version_id)
    except ValidationFailed as exc:
        flash(exc.message, "error")
    else:
        flash(_("The earlier version is restored. The history keeps the version it replaced."), "success")
    return redirect(url_for("review.resource_history", slug=slug))


@bp.post("/review/resources/<slug>/status")
@login_required
def set_status(slug: str):
    form = NoteForm()
    status = "unpublished" if request.form.get("action") == "unpublish" else "published"
    history.set_status(current_user, slug, status, note=(form.note.data or "").strip()[:1000])
    flash(_("Unpublished: only editors can see it now.") if status == "unpublished" else
          _("Published again."), "success")
    return redirect(url_for("review.resource_history", slug=slug))
