"""The hub's own pages (about, contact, working groups, land acknowledgement),
the request for an account and the JavaScript-free text-size control."""
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub import i18n, textsize
from hub.errors import ValidationFailed
from hub.forms.contact import AccountRequestForm, ContactForm
from hub.security import auth
from hub.services import account_requests, catalogue, contact
from hub.working_groups import working_group

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("public/about.html")


#: Messages one network address may send through the contact form.
CONTACT_LIMIT = "5 per hour"
ACCOUNT_REQUEST_LIMIT = "5 per hour"


def _show_problems(form, problems) -> None:
    for problem in problems:
        if problem.field in form:
            form[problem.field].errors = [*list(form[problem.field].errors), problem.message]


@bp.route("/contact", methods=["GET", "POST"])
def contact_page():
    form = ContactForm()
    if request.method == "GET" and request.args.get("topic") in contact.TOPICS:
        form.topic.data = request.args["topic"]
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            if not auth.allow_mail_request("contact-address", request.remote_addr or "", CONTACT_LIMIT):
                return render_template("public/contact.html", form=form, message=_(
                    "Too many messages from your network in the last hour. Your text is still below; "
                    "try again later.")), 429
            try:
                contact.send_contact_message(topic=form.topic.data, message=form.message.data or "",
                                             name=form.name.data or "", email=form.email.data or "",
                                             lang=i18n.current_language(), page=request.referrer or "")
            except ValidationFailed as exc:
                _show_problems(form, exc.problems)
            except contact.NoMailbox:
                return render_template("public/contact.html", form=form, message=_(
                    "The editors cannot be reached from here at the moment. Your text is still below; "
                    "please try again later.")), 503
            else:
                flash(_("Thank you: your message is on its way to the editors."), "success")
                return redirect(url_for("pages.contact_page"))
    return render_template("public/contact.html", form=form), status



@bp.route("/account/request", methods=["GET", "POST"])
def request_account():
    form = AccountRequestForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            if not auth.allow_mail_request("account-request", request.remote_addr or "", ACCOUNT_REQUEST_LIMIT):
                return render_template("account/request.html", form=form, message=_(
                    "Too many requests from your network in the last hour. Try again later.")), 429
            try:
                account_requests.request_account(email=form.email.data or "", name=form.name.data or "",
                                                 partnership=form.partnership.data or "", reason=form.reason.data or "",
                                                 lang=i18n.current_language())
            except ValidationFailed as exc:
                _show_problems(form, exc.problems)
            else:
                return render_template("account/request_sent.html")
    return render_template("account/request.html", form=form), status


@bp.get("/working-groups")
def working_groups():
    return render_template("public/working_groups.html")


@bp.get("/working-groups/anti-racism")
def anti_racism_working_group():
    return render_template("public/anti_racism_working_group.html", group=working_group("anti-racism"),
                           partnerships=catalogue.contributing_partnerships(current_user, i18n.current_language()),
                           total=catalogue.total_visible(current_user))


@bp.get("/working-groups/research")
def research_working_group():
    return render_template("public/research_working_group.html", group=working_group("research"))


@bp.get("/land-acknowledgement")
def land_acknowledgement():
    return render_template("public/land_acknowledgement.html")


@bp.get("/text-size/<any(smaller,reset,larger):action>")
def text_size(action: str):
    """Without JavaScript, the header's A−/A/A+ links land here: remember the
    new size in a cookie and go back to the (local) page the reader was on."""
    step = textsize.apply(textsize.step_from_cookie(request.cookies.get(textsize.COOKIE)), action)
    target = auth.safe_next(request.args.get("next")) or url_for("public.home")
    response = make_response(redirect(target, code=303))
    response.set_cookie(textsize.COOKIE, str(step), max_age=textsize.MAX_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=False)
    response.headers["Cache-Control"] = "no-store"
    return response
