"""One button language on every page, whatever stylesheet an area adds.

hub.css is the site-wide base and is linked first; an area's own stylesheet
(forms.css, assessment.css, insight.css, machine.css, search.css) comes after
it. When hub.css came last it won every tie: "Reject" on the review page (and
every other .button-danger) was an ordinary blue button, and the
self-assessment's outlined buttons were filled. These tests look at what a
reader sees: computed colours, contrast and focus, and axe."""
from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

TOOL = "lip-council-anti-racism-self-assessment"
#: What a button looks like, beyond its colours: the same everywhere.
SHAPE = ("borderTopWidth", "borderTopLeftRadius", "paddingTop", "paddingLeft", "fontSize", "fontWeight")
STYLE_JS = """el => { const s = getComputedStyle(el); const out = {};
    for (const k of ['color', 'backgroundColor', 'borderTopColor', 'borderTopWidth', 'borderTopLeftRadius',
                     'paddingTop', 'paddingLeft', 'fontSize', 'fontWeight', 'outlineStyle', 'outlineWidth',
                     'boxShadow']) out[k] = s[k];
    return out; }"""


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in re.findall(r"[\d.]+", colour)[:3])


def _luminance(colour: str) -> float:
    def channel(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def is_red(colour: str) -> bool:
    r, g, b = _rgb(colour)
    return r > g + 80 and r > b + 80


def style(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(STYLE_JS)


def shape(s: dict) -> dict:
    return {k: s[k] for k in SHAPE}


# -- people and things to act on ------------------------------------------------
@pytest.fixture
def people(live_server):
    """An author with a submission waiting for review and an API token, an
    editor and an admin."""
    from hub.extensions import db
    from hub.services import drafts, tokens
    from hub.services.users import create_user

    tag = uuid.uuid4().hex[:8]
    app = live_server.app
    with app.test_request_context("/en/"):
        author = create_user(f"author-{tag}@example.org", role="member", password="buttons password 1")
        editor = create_user(f"editor-{tag}@example.org", role="editor", password="buttons password 1")
        admin = create_user(f"admin-{tag}@example.org", role="admin", password="buttons password 1")
        result = drafts.save_submission(author, None, {
            "title": f"Welcoming Workplaces {tag}", "summary": "First-week steps for employers.", "type": "guide",
            "racism_types": ["systemic"], "audiences": ["employers"], "topics": "hiring", "language": "en",
            "organization": "Button LIP", "published": "2024-02-01", "region": "on", "access": "public",
            "body": "## Week one\n\nSay hello.",
        }, intent="submit")
        assert result.submitted, result.all_problems
        tokens.create_token(author, "Portal")
        ids = {"author": author.id, "editor": editor.id, "admin": admin.id, "submission": result.submission.id}
        db.session.remove()
    return ids


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(user_id) -> a page in its own context, signed in as that user."""
    app = live_server.app
    contexts = []

    def open_page(user_id: int):
        ctx = browser.new_context(base_url=live_server.url, locale="en-CA", viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(10_000)
        cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user_id), "_fresh": True})
        ctx.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server.url}])
        contexts.append(ctx)
        return ctx.new_page()

    yield open_page
    for ctx in contexts:
        ctx.close()


def base_button(page) -> dict:
    """What hub.css alone makes of a .button: one added to a page that links no
    area stylesheet."""
    page.goto("/en/about")
    page.eval_on_selector(
        "main", "m => m.insertAdjacentHTML('beforeend', '<button class=\"button\" id=\"probe\">Probe</button>')")
    return style(page, "#probe")


# -- the tests -------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/en/login", "/en/search?q=racism", "/en/api", "/en/ask",
                                  f"/fr/resources/{TOOL}/assessment"])
def test_hub_css_comes_before_the_area_stylesheet(page, path):
    page.goto(path)
    sheets = page.eval_on_selector_all("link[rel=stylesheet]:not([media=print])",
                                       "links => links.map(l => new URL(l.href).pathname)")
    assert sheets[0] == "/static/css/hub.css" and len(sheets) >= 2, sheets


def test_review_page_reject_is_a_danger_button(signed_in, people, axe_check):
    page = signed_in(people["editor"])
    base = base_button(page)
    page.goto(f"/en/review/{people['submission']}")
    publish = style(page, "button[value=publish]")
    reject = style(page, "button[value=reject]")
    comment = style(page, "button[value=comment]")

    # The main action looks like the plain button of every other page.
    assert {k: publish[k] for k in ("color", "backgroundColor", "borderTopColor", *SHAPE)} == \
           {k: base[k] for k in ("color", "backgroundColor", "borderTopColor", *SHAPE)}
    # Reject: red text and border, not the main action's fill; readable.
    assert reject["backgroundColor"] != publish["backgroundColor"]
    assert is_red(reject["color"]) and reject["borderTopColor"] == reject["color"]
    assert contrast(reject["color"], reject["backgroundColor"]) >= 4.5
    # Comment (secondary): outlined, not filled like Publish; readable.
    assert comment["backgroundColor"] != publish["backgroundColor"]
    assert not is_red(comment["color"])
    assert contrast(comment["color"], comment["backgroundColor"]) >= 4.5
    # Same shape for all three.
    assert shape(reject) == shape(publish) == shape(comment)

    page.hover("button[value=reject]")
    hovered = style(page, "button[value=reject]")
    assert is_red(hovered["backgroundColor"]) or is_red(hovered["color"])
    assert contrast(hovered["color"], hovered["backgroundColor"]) >= 4.5
    page.mouse.move(0, 0)

    # Focus stays visible: the site's dark outline and yellow ring.
    page.locator("textarea#message").focus()  # the decision's message, just before the buttons
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.locator("button[value=reject]").evaluate("el => el === document.activeElement"):
            break
    focused = style(page, "button[value=reject]")
    assert focused["outlineStyle"] != "none" and float(focused["outlineWidth"].rstrip("px")) >= 2
    assert "rgb(255, 221, 0)" in focused["boxShadow"]

    axe_check(page)


def test_every_danger_action_looks_the_same(signed_in, people, axe_check):
    """Reject, Deactivate, Withdraw and Revoke: one danger style on four pages
    that link three different stylesheets."""
    editor = signed_in(people["editor"])
    editor.goto(f"/en/review/{people['submission']}")
    reject = style(editor, "button[value=reject]")

    admin = signed_in(people["admin"])
    admin.goto("/en/admin/users")
    deactivate = style(admin, "main button:has-text('Deactivate')")
    axe_check(admin)

    author = signed_in(people["author"])
    author.goto(f"/en/submit/{people['submission']}")
    withdraw = style(author, "main button:has-text('Withdraw')")
    author.goto("/en/account/tokens")
    revoke = style(author, "main button:has-text('Revoke')")
    create = style(author, "main button:has-text('Create token')")

    for other in (deactivate, withdraw, revoke):
        assert {k: other[k] for k in ("color", "backgroundColor", "borderTopColor", *SHAPE)} == \
               {k: reject[k] for k in ("color", "backgroundColor", "borderTopColor", *SHAPE)}
    assert revoke["backgroundColor"] != create["backgroundColor"]


def test_self_assessment_primary_and_secondary_buttons(page, axe_check):
    page.goto(f"/en/resources/{TOOL}/assessment")
    primary = style(page, "button[value=result]")
    secondary = style(page, "button[value=clear]")
    base = base_button(page)
    assert primary["backgroundColor"] == base["backgroundColor"] and shape(primary) == shape(base)
    assert secondary["backgroundColor"] != primary["backgroundColor"]
    assert secondary["color"] == primary["backgroundColor"]  # outlined in the same blue
    assert contrast(secondary["color"], secondary["backgroundColor"]) >= 4.5
