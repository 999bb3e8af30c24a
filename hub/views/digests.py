"""The unsubscribe link of every digest: /<lang>/digests/unsubscribe/<token>.

No sign-in: the signed token is the permission, and it stops one digest and
nothing else. ``GET`` only shows a confirmation page with a button (mail
scanners and link previews open links; opening one must not unsubscribe
anyone); the button POSTs with the page's CSRF token. Mail programs that
offer their own unsubscribe button (RFC 8058: ``List-Unsubscribe-Post``)
POST ``List-Unsubscribe=One-Click`` to the same address directly, without a
page and so without a CSRF token: that POST is accepted on the token alone,
which is why this view is exempt from the global CSRF check and checks the
form's token itself otherwise. A bad, old or changed link gets a page that
says so and what to do, never an error.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from hub.extensions import csrf
from hub.forms.saved_searches import StopForm
from hub.services import saved_searches

bp = Blueprint("digests", __name__)


@bp.after_request
def private(response):
    """The address holds a secret: keep it out of caches, histories and Referer headers."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@csrf.exempt
@bp.route("/digests/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    try:
        if request.method == "POST":
            one_click = request.form.get("List-Unsubscribe") == "One-Click"
            form = StopForm()
            if not one_click and not form.validate_on_submit():
                # Most likely a page left open until its CSRF token expired: ask again.
                saved = saved_searches.saved_search_for_link(token)
                if saved is None:
                    return render_template("digests/unsubscribed.html", title=None, already=True)
                return render_template("digests/unsubscribe.html", form=StopForm(formdata=None), token=token,
                                       title=saved_searches.title(saved), resend=True), 400
            stopped = saved_searches.unsubscribe(token)
            return render_template("digests/unsubscribed.html", title=stopped, already=stopped is None)
        saved = saved_searches.saved_search_for_link(token)
        if saved is None:
            return render_template("digests/unsubscribed.html", title=None, already=True)
        return render_template("digests/unsubscribe.html", form=StopForm(), token=token,
                               title=saved_searches.title(saved))
    except (saved_searches.LinkExpired, saved_searches.LinkInvalid) as exc:
        return render_template("digests/link_problem.html", message=exc.message), exc.status
