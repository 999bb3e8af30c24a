"""Team rounds of a self-assessment: opening one, answering through its link,
and the owner's page (spread of answers, team scores, plan, close, share,
delete).

Answering needs only the link: a colleague may be signed in or not. Someone
not signed in gets a random key in their own session, so answering again
replaces their answers; nothing else identifies them.
"""
from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date, gettext
from flask_login import current_user, login_required

from hub.errors import ValidationFailed
from hub.i18n import current_language
from hub.security import throttle
from hub.security.policy import Action, can
from hub.services import assessment_plans, assessment_results, assessment_rounds, assessments
from hub.views.assessments import _invalid, _private

bp = Blueprint("assessment_rounds", __name__)
#: Session key of the anonymous colleagues' edit keys, one per round token.
SESSION_KEYS = "round_keys"


def _create_limit() -> str:
    return current_app.config.get("ROUND_RATE_LIMIT", "10 per hour;30 per day")


@bp.post("/resources/<slug>/assessment/rounds")
@login_required
def create(slug: str):
    # Counted per member (their id, which signing out and in again does not
    # change) in the database, shared by every worker and machine.
    if current_app.config.get("RATELIMIT_ENABLED", True) and not throttle.allow(
            _create_limit(), "round", f"member:{current_user.id}"):
        abort(429, gettext("You have opened many team rounds lately. Try again later."))
    tool = assessments.get_tool(current_user, slug)
    try:
        team_round = assessment_rounds.open_round(current_user, tool, request.form.get("name", ""))
    except ValidationFailed as exc:
        html = render_template("assessments/round_new.html", tool=tool, resource=tool.resource,
                               name=request.form.get("name", "")[:200], error=exc.message)
        return _private(Response(html, status=400))
    return redirect(url_for("assessment_rounds.results", token=team_round.token), code=303)


@bp.get("/resources/<slug>/assessment/rounds/new")
@login_required
def new(slug: str):
    tool = assessments.get_tool(current_user, slug)
    return _private(Response(render_template("assessments/round_new.html", tool=tool, resource=tool.resource,
                                             name="", error=None)))


def _answer_page(team_round, answers, *, status: int = 200, error: str | None = None):
    tool = assessment_rounds.round_tool(team_round)
    html = render_template("assessments/form.html", tool=tool, resource=tool.resource, answers=answers,
                           prefilled=True, saved=[], cleared=None, team_round=team_round, error=error,
                           post_url=url_for("assessment_rounds.answer", token=team_round.token))
    return _private(Response(html, status=status))


@bp.get("/rounds/<token>")
def answer_form(token: str):
    team_round = assessment_rounds.get_for_answering(current_user, token)
    if not can(current_user, Action.ROUND_ANSWER, team_round):
        return _private(Response(render_template("assessments/round_closed.html", team_round=team_round)))
    return _answer_page(team_round, assessments.blank_answers(assessment_rounds.round_tool(team_round)))


@bp.post("/rounds/<token>")
def answer(token: str):
    team_round = assessment_rounds.get_for_answering(current_user, token)
    tool = assessment_rounds.round_tool(team_round)
    if not can(current_user, Action.ROUND_ANSWER, team_round):
        return _private(Response(render_template("assessments/round_closed.html", team_round=team_round),
                                 status=409))
    try:
        answers = assessments.parse_answers(tool, request.form)
    except ValidationFailed as exc:
        return _invalid(tool, exc)
    if request.form.get("action", "result") == "clear":
        return _answer_page(team_round, assessments.blank_answers(tool))
    edit_key = None
    if not current_user.is_authenticated:
        keys = dict(session.get(SESSION_KEYS) or {})
        edit_key = keys.get(str(team_round.id)) or secrets.token_urlsafe(24)
        keys[str(team_round.id)] = edit_key
        session[SESSION_KEYS] = dict(list(keys.items())[-20:])
    try:
        assessment_rounds.answer(current_user, token, answers, edit_key=edit_key)
    except ValidationFailed as exc:
        return _answer_page(team_round, answers, status=400, error=exc.message)
    return _private(Response(render_template("assessments/round_thanks.html", team_round=team_round)))


@bp.get("/rounds/<token>/results")
@login_required
def results(token: str):
    team_round = assessment_rounds.get_owned(current_user, token)
    return _results_page(team_round)


def _results_page(team_round, *, error: str | None = None, status: int = 200):
    tool = assessment_rounds.round_tool(team_round)
    summary = assessment_rounds.summarise(team_round)
    evaluation = assessment_results.evaluate(current_user, tool, summary.team_answers, locale=current_language(),
                                      compare="none", count=False)
    plan = assessment_plans.Plan(items=[])
    html = render_template("assessments/round.html", team_round=team_round, tool=tool, resource=tool.resource,
                           summary=summary, ev=evaluation, result=evaluation.result, answers=summary.team_answers,
                           plan=plan, error=error, today=format_date(date.today(), "long"),
                           link=url_for("assessment_rounds.answer_form", token=team_round.token, _external=True),
                           min_shared=assessment_rounds.MIN_SHARED_ROUNDS)
    return _private(Response(html, status=status))


@bp.post("/rounds/<token>/close")
@login_required
def close(token: str):
    assessment_rounds.close_round(current_user, token)
    return redirect(url_for("assessment_rounds.results", token=token), code=303)


@bp.post("/rounds/<token>/share")
@login_required
def share(token: str):
    try:
        assessment_rounds.share_scores(current_user, token)
    except ValidationFailed as exc:
        return _results_page(assessment_rounds.get_owned(current_user, token), error=exc.message, status=409)
    return redirect(url_for("assessment_rounds.results", token=token), code=303)


@bp.post("/rounds/<token>/delete")
@login_required
def delete(token: str):
    assessment_rounds.delete_round(current_user, token)
    return redirect(url_for("assessments.mine"), code=303)
