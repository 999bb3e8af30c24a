"""Self-assessment pages: the form, the result, downloads, "My assessments"
and the editors' completion counts.

Answers travel only in POST bodies (never a URL), are not logged, and are
not stored: each page that needs them (result, downloads, save, change
answers) receives them again from the hidden fields of the result page.

My assessments and a saved result are members' pages: someone not signed in
is sent to sign in and back (Flask-Login's unauthorized handler), as on the
other account pages; the service asks the policy as well.
"""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date, format_percent, gettext as _, refresh
from flask_login import current_user, login_required

from hub.errors import ValidationFailed
from hub.i18n import LANGUAGES, current_language
from hub.services import assessment_downloads, assessment_plans, assessment_results, assessment_rounds, assessments

bp = Blueprint("assessments", __name__)
downloads = Blueprint("assessment_downloads", __name__)
FORMATS = "<any(csv,json):fmt>"


@bp.app_template_filter("pct")
def percent_label(value: float) -> str:
    """42.5 -> "43%" (en) or "43 %" (fr)."""
    return format_percent(round(value) / 100)


@bp.app_template_filter("change")
def change_label(value: float) -> str:
    """A change in percentage points, signed: "+12 points", "−5 points", "no change"."""
    rounded = round(value)
    if rounded == 0:
        return _("no change")
    sign = "+" if rounded > 0 else "−"
    return _("%(change)s points", change=f"{sign}{abs(rounded)}")


def _private(response: Response) -> Response:
    """Pages and files that carry someone's answers or scores stay out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def _form_page(tool, answers, *, cleared=None, status: int = 200):
    """The form, filled with ``answers``; after "Clear answers", ``cleared``
    holds what was cleared so that "Undo" can bring it back."""
    saved = assessment_results.saved_results(current_user, tool)
    prefilled = any(v is not None for values in answers.values() for v in values)
    html = render_template("assessments/form.html", tool=tool, resource=tool.resource, answers=answers,
                           prefilled=prefilled, saved=saved, cleared=cleared,
                           post_url=url_for("assessments.submit", slug=tool.resource.slug), team_round=None)
    return _private(Response(html, status=status))


def _invalid(tool, exc: ValidationFailed):
    """A tampered or impossible form: a clear 400 page that leads back to the tool."""
    html = render_template("assessments/invalid.html", tool=tool, resource=tool.resource, message=exc.message)
    return _private(Response(html, status=400))


def _result_page(evaluation, answers=None, plan=None, status: int = 200):
    if plan is None:
        plan = assessment_plans.plan_from_record(evaluation, evaluation.saved.plan if evaluation.saved else None)
    if answers is None and evaluation.saved is not None and evaluation.saved.answers:
        answers = evaluation.answers()
    html = render_template("assessments/result.html", ev=evaluation, tool=evaluation.tool,
                           resource=evaluation.tool.resource, result=evaluation.result, answers=answers,
                           plan=plan, today=format_date(date.today(), "long"), has_endpoint=_has_endpoint)
    return _private(Response(html, status=status))


def _answered(answers) -> int:
    return sum(v is not None for values in answers.values() for v in values)


@bp.get("/resources/<slug>/assessment")
def form(slug: str):
    tool = assessments.get_tool(current_user, slug)
    return _form_page(tool, assessments.blank_answers(tool))


@bp.post("/resources/<slug>/assessment")
def submit(slug: str):
    tool = assessments.get_tool(current_user, slug)
    try:
        answers = assessments.parse_answers(tool, request.form)
    except ValidationFailed as exc:
        return _invalid(tool, exc)
    action = request.form.get("action", "result")
    if action == "edit":
        return _form_page(tool, answers)
    if action == "clear":
        # Asked first: a page that says how many answers would go, with both choices.
        html = render_template("assessments/clear.html", tool=tool, resource=tool.resource, answers=answers,
                               count=_answered(answers))
        return _private(Response(html))
    if action == "clear-confirmed":
        return _form_page(tool, assessments.blank_answers(tool), cleared=answers if _answered(answers) else None)
    if action not in ("result", "save", "plan"):
        return _invalid(tool, assessments.TamperedAnswers("unknown action"))
    evaluation = assessment_results.evaluate(current_user, tool, answers, locale=current_language(),
                                      compare=request.form.get("compare"), count=action == "result")
    try:
        plan = assessment_plans.parse_plan(evaluation, request.form, default_all=action == "plan")
    except ValidationFailed as exc:
        return _invalid(tool, exc)
    if plan.errors:
        return _result_page(evaluation, answers, plan, status=400)
    if action == "save":
        saved = assessment_results.save_result(current_user, tool, evaluation.result,
                                        plan=[item.as_record() for item in plan.items])
        return redirect(url_for("assessments.saved", saved_id=saved.id), code=303)
    if action == "plan":
        return _plan_page(evaluation, answers, plan)
    return _result_page(evaluation, answers, plan)


def _plan_page(evaluation, answers, plan, *, team_round=None):
    html = render_template("assessments/plan.html", ev=evaluation, tool=evaluation.tool,
                           resource=evaluation.tool.resource, answers=answers, plan=plan, team_round=team_round,
                           today=format_date(date.today(), "long"))
    return _private(Response(html))


def _plan_evaluation(slug: str):
    """The answers and plan a plan download was sent with; or the page to show instead."""
    tool = assessments.get_tool(current_user, slug)
    try:
        answers = assessments.parse_answers(tool, request.form)
    except ValidationFailed as exc:
        return None, None, _invalid(tool, exc)
    evaluation = assessment_results.evaluate(current_user, tool, answers, locale=current_language(), compare="none",
                                      count=False)
    try:
        plan = assessment_plans.parse_plan(evaluation, request.form, default_all=True)
    except ValidationFailed as exc:
        return None, None, _invalid(tool, exc)
    if plan.errors:
        return None, None, _result_page(evaluation, answers, plan, status=400)
    return evaluation, plan, None


def _attachment(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@bp.post("/resources/<slug>/assessment/plan.docx")
def plan_docx(slug: str):
    evaluation, plan, page = _plan_evaluation(slug)
    if page is not None:
        return page
    resource = evaluation.tool.resource
    round_name = (request.form.get("round") or "")[:assessment_rounds.MAX_NAME]
    body = assessment_plans.plan_docx(
        evaluation, plan, title=_("Action plan: %(tool)s", tool=resource.title),
        subtitle=_("Team round: %(name)s", name=round_name) if round_name else _("From a self-assessment result"),
        today=format_date(date.today(), "long"), percent=percent_label,
        link=lambda r: url_for("resources.show", slug=r.slug, lang=r.language, _external=True))
    return _attachment(body, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       f"{resource.slug}-plan-{date.today().isoformat()}.docx")


@bp.post("/resources/<slug>/assessment/plan.csv")
def plan_csv(slug: str):
    evaluation, plan, page = _plan_evaluation(slug)
    if page is not None:
        return page
    body = assessment_plans.plan_csv(evaluation, plan, locale=current_language())
    return _attachment(body, "text/csv", f"{evaluation.tool.resource.slug}-plan-{date.today().isoformat()}.csv")


@bp.get("/account/assessments")
@login_required
def mine():
    saved = assessment_results.my_results(current_user)
    rounds = assessment_rounds.my_rounds(current_user)
    return _private(Response(render_template("assessments/mine.html", saved=saved, rounds=rounds,
                                             responses=assessment_rounds.response_count,
                                             result_of=assessment_results.saved_result)))


@bp.get("/account/assessments/<int:saved_id>")
@login_required
def saved(saved_id: int):
    return _result_page(assessment_results.evaluate_saved(current_user, saved_id, locale=current_language()))


@bp.post("/account/assessments/<int:saved_id>/delete")
@login_required
def delete(saved_id: int):
    assessment_results.delete_saved(current_user, saved_id)
    return redirect(url_for("assessments.mine"), code=303)


@bp.get("/editor/assessments")
def stats():
    rows = assessment_results.completion_counts(current_user)
    return render_template("assessments/stats.html", rows=rows, shared=assessment_rounds.shared_picture(current_user),
                           min_shared=assessment_rounds.MIN_SHARED_ROUNDS)


# -- downloads (unprefixed) ----------------------------------------------------------
def _use_language(lang: str | None) -> None:
    """Downloads have no language prefix: the page that posts them says which."""
    if lang in LANGUAGES:
        g.lang = lang
        refresh()


def _download(evaluation, fmt: str, answers=None) -> Response:
    resource = evaluation.tool.resource
    today = date.today().isoformat()
    name = f"{resource.slug}-result-{today}.{fmt}"
    if fmt == "json":
        doc = assessment_downloads.result_document(
            evaluation, answers, today=today,
            url=url_for("resources.show", slug=resource.slug, lang=resource.language, _external=True),
            link=lambda r: url_for("resources.show", slug=r.slug, lang=r.language, _external=True))
        body, mimetype = json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "application/json"
    else:
        headers = [_("Section number"), _("Section"), _("Points"), _("Maximum points"), _("Percentage"),
                   _("Questions answered"), _("Questions")]
        body, mimetype = assessment_downloads.result_csv(evaluation, headers, _("Overall")), "text/csv"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@downloads.post(f"/resources/<slug>/assessment/result.{FORMATS}")
def download_answers(slug: str, fmt: str):
    _use_language(request.form.get("lang"))
    tool = assessments.get_tool(current_user, slug)
    try:
        answers = assessments.parse_answers(tool, request.form)
    except ValidationFailed as exc:
        return _invalid(tool, exc)
    evaluation = assessment_results.evaluate(current_user, tool, answers, locale=current_language(), compare="none",
                                      count=False)
    return _download(evaluation, fmt, answers)


@downloads.get(f"/account/assessments/<int:saved_id>/result.{FORMATS}")
def download_saved(saved_id: int, fmt: str):
    _use_language(request.args.get("lang"))
    return _download(assessment_results.evaluate_saved(current_user, saved_id, locale=current_language()), fmt)
