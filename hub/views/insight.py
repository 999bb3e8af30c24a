"""Insight pages: the public "ask the working group" form and the editors'
dashboard, content gaps, request queue, parity, links, reviews and usage."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from hub.errors import ValidationFailed
from hub.forms.insight import AnswerForm, AskForm, CloseForm, LinkForm, ReviewForm
from hub.i18n import current_language
from hub.security import auth, throttle
from hub.security.policy import Action, can
from hub.services import freshness, gaps, insight, parity, resource_requests, resources, usage

bp = Blueprint("insight", __name__)


def _ask_limit() -> str:
    return current_app.config.get("ASK_RATE_LIMIT", "5 per hour;20 per day")


def _field_error(form, exc: ValidationFailed, default: str) -> None:
    name = exc.details.get("field", default)
    getattr(form, name, getattr(form, default)).errors = [exc.message]


# -- public -------------------------------------------------------------------
@bp.route("/ask", methods=["GET", "POST"])
def ask():
    # Counted in the database for every worker and machine (a per-worker
    # count let 4 workers take 4 × 5 an hour).
    if (request.method == "POST" and current_app.config.get("RATELIMIT_ENABLED", True)
            and not throttle.allow(_ask_limit(), "ask", request.remote_addr or "unknown")):
        abort(429, gettext("Too many requests from your network. Try again later."))
    form = AskForm()
    if request.method == "GET":
        form.q.data = request.args.get("q", "")[:gaps.MAX_QUERY]
    if form.validate_on_submit():
        try:
            resource_requests.create_request(form.need.data or "", email=form.email.data, query=form.q.data or "",
                                             language=current_language())
        except ValidationFailed as exc:
            _field_error(form, exc, "need")
        else:
            return redirect(url_for("insight.ask_thanks", mail="1" if form.email.data else None))
    status = 400 if form.errors else 200
    return render_template("insight/ask.html", form=form, query=form.q.data or ""), status


@bp.get("/ask/thanks")
def ask_thanks():
    return render_template("insight/ask_thanks.html", will_mail=request.args.get("mail") == "1")


# -- editors ------------------------------------------------------------------
@bp.get("/editor/insight")
def dashboard():
    return render_template("insight/dashboard.html", board=insight.dashboard(current_user))


def _month_arg() -> date | None:
    value = request.args.get("month", "")
    try:
        return date.fromisoformat(value + "-01") if value else None
    except ValueError:
        return None


@bp.get("/editor/insight/gaps")
def content_gaps():
    report = gaps.content_gaps(current_user, month=_month_arg())
    return render_template("insight/gaps.html", report=report, months=gaps.months_with_data(current_user),
                           previous=gaps.previous_month(report.month), following=gaps.next_month(report.month),
                           is_current=report.month >= gaps.month_start(date.today()))


@bp.get("/editor/insight/requests")
def request_queue():
    status = request.args.get("status", "open")
    if status not in ("open", "all", *resource_requests.FINAL_STATES):
        status = "open"
    items = resource_requests.list_requests(current_user, status=None if status == "all" else status)
    return render_template("insight/requests.html", items=items, status=status)


def _render_request(request_id: int, *, answer=None, link=None, close=None, status: int = 200):
    item = resource_requests.get_request(current_user, request_id)
    answer = answer or AnswerForm(formdata=None, prefix="answer")
    link = link or LinkForm(formdata=None, prefix="link")
    close = close or CloseForm(formdata=None, prefix="close")
    return render_template("insight/request.html", item=item, answer=answer, link=link, close=close), status


@bp.get("/editor/insight/requests/<int:request_id>")
def request_detail(request_id: int):
    return _render_request(request_id)


@bp.post("/editor/insight/requests/<int:request_id>/answer")
def answer_request(request_id: int):
    form = AnswerForm(prefix="answer")
    if form.validate_on_submit():
        try:
            resource_requests.answer_request(current_user, request_id, form.reply.data or "")
            return redirect(url_for("insight.request_detail", request_id=request_id, done="answered"))
        except ValidationFailed as exc:
            _field_error(form, exc, "reply")
    return _render_request(request_id, answer=form, status=400)


@bp.post("/editor/insight/requests/<int:request_id>/link")
def link_request(request_id: int):
    form = LinkForm(prefix="link")
    if form.validate_on_submit():
        try:
            resource_requests.link_request(current_user, request_id, form.slug.data or "", note=form.note.data or "")
            return redirect(url_for("insight.request_detail", request_id=request_id, done="linked"))
        except ValidationFailed as exc:
            _field_error(form, exc, "slug")
    return _render_request(request_id, link=form, status=400)


@bp.post("/editor/insight/requests/<int:request_id>/close")
def close_request(request_id: int):
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        try:
            resource_requests.close_request(current_user, request_id, note=form.note.data or "")
            return redirect(url_for("insight.request_detail", request_id=request_id, done="closed"))
        except ValidationFailed as exc:
            _field_error(form, exc, "note")
    return _render_request(request_id, close=form, status=400)


@bp.get("/editor/insight/parity")
def language_parity():
    return render_template("insight/parity.html", report=parity.language_parity(current_user),
                           can_edit=can(current_user, Action.RESOURCE_EDIT))


@bp.get("/editor/insight/links")
def link_report():
    return render_template("insight/links.html", report=freshness.link_report(current_user))


@bp.get("/editor/insight/reviews")
def reviews():
    return render_template("insight/reviews.html", due=freshness.reviews_due(current_user),
                           years=freshness.REVIEW_YEARS, form=ReviewForm(formdata=None))


@bp.post("/editor/insight/reviews/<slug>")
def mark_reviewed(slug: str):
    form = ReviewForm()
    resource = resources.get_resource(current_user, slug)
    if form.validate_on_submit():
        try:
            freshness.mark_reviewed(current_user, slug, form.reviewed_on.data)
        except ValidationFailed as exc:
            _field_error(form, exc, "reviewed_on")
        else:
            return redirect(auth.safe_next(form.next.data) or url_for("resources.show", slug=slug))
    return render_template("insight/review_form.html", resource=resource, form=form), 400


@bp.get("/editor/insight/usage")
def usage_report():
    period = request.args.get("period", "12")
    if period not in ("1", "12", "all"):
        abort(404)
    since = None
    if period != "all":
        first = date.today().replace(day=1)
        for _ in range(int(period) - 1):
            first = gaps.previous_month(first)
        since = usage.month_key(first)
    order = "downloads" if request.args.get("order") == "downloads" else "views"
    rows = usage.most_used(current_user, since_month=since, order=order, limit=50)
    return render_template("insight/usage.html", rows=rows, period=period, order=order)
