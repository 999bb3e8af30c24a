"""Data tables at 320 px (400 % zoom, WCAG 1.4.10): a wide table scrolls
inside its own box (.table-scroll, a labelled region that keyboard users can
focus), and the page itself never scrolls sideways. Every page here has rows
in its tables, so a table's real width is what is measured."""
from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.browser

TOOL = "lip-council-anti-racism-self-assessment"
LONG = "an-unusually-long-word-that-does-not-wrap-" * 2


@pytest.fixture(scope="module")
def admin(live_server):
    """An admin with a submission waiting for review, an API token and a saved
    self-assessment result; and something on every editor insight page."""
    from hub.extensions import db
    from hub.models.insight import LinkCheck
    from hub.services import assessment_results, assessments, drafts, gaps, resource_requests, tokens, usage
    from hub.services.resources import get_resource
    from hub.services.users import create_user

    tag = uuid.uuid4().hex[:8]
    with live_server.app.test_request_context("/en/"):
        user = create_user(f"reflow-admin-{tag}@example.org", role="admin", password="reflow password 1")
        result = drafts.save_submission(user, None, {
            "title": f"Welcoming Workplaces {tag}", "summary": "First-week steps for employers.", "type": "guide",
            "racism_types": ["systemic"], "audiences": ["employers"], "topics": "hiring", "language": "en",
            "organization": "Reflow LIP", "published": "2024-02-01", "region": "on", "access": "public",
            "body": "## Week one\n\nSay hello.",
        }, intent="submit")
        assert result.submitted, result.all_problems
        tokens.create_token(user, f"Portal {tag}")

        tool = assessments.get_tool(user, TOOL)
        answers = {s.id: (2,) * len(s.questions) for s in tool.sections}
        saved = assessment_results.save_result(user, tool, assessments.score(tool, answers))

        gaps.record_zero_result(f"{LONG} {tag}", "en")
        resource_requests.create_request(f"Guides on {LONG}", query=LONG)
        resource = get_resource(user, TOOL)
        usage.record_view(resource.id, "Mozilla/5.0 (X11; Linux x86_64)")
        db.session.add_all([
            LinkCheck(resource_id=resource.id, url=f"https://example.org/{LONG}/{tag}", outcome="broken",
                      status=404, error="Not Found"),
            LinkCheck(resource_id=resource.id, url=f"https://example.org/old/{tag}", outcome="redirect",
                      status=301, final_status=200, final_url=f"https://example.org/{LONG}/new/{tag}"),
        ])
        db.session.commit()
        ids = {"user": user.id, "saved": saved.id}
        db.session.remove()
    return ids


PAGES = ["/en/admin/users", "/en/review", "/en/submissions", "/en/account/tokens", "/en/account/assessments",
         "saved-result", "/en/editor/insight/gaps", "/en/editor/insight/requests", "/en/editor/insight/parity",
         "/en/editor/insight/links", "/en/editor/insight/reviews", "/en/editor/insight/usage",
         "/en/editor/assessments", "/en/api"]


@pytest.mark.parametrize("path", PAGES)
def test_tables_scroll_in_their_box_not_the_page_at_320_px(browser, live_server, admin, axe_check, path):
    app = live_server.app
    ctx = browser.new_context(base_url=live_server.url, locale="en-CA", viewport={"width": 320, "height": 640})
    try:
        ctx.set_default_timeout(10_000)
        cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(admin["user"]),
                                                                          "_fresh": True})
        ctx.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server.url}])
        page = ctx.new_page()
        if path == "saved-result":
            path = f"/en/account/assessments/{admin['saved']}"
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("main table tbody tr").count() > 0, f"{path}: no table rows to measure"

        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320 px"

        # Every data table sits in a labelled, focusable scrolling region.
        regions = page.locator("main table").evaluate_all("""tables => tables.map(t => {
            const box = t.parentElement;
            const label = box.getAttribute('aria-labelledby');
            return {wrapped: box.classList.contains('table-scroll'), role: box.getAttribute('role'),
                    tabindex: box.getAttribute('tabindex'), overflowX: getComputedStyle(box).overflowX,
                    label: label && document.getElementById(label)
                           ? document.getElementById(label).textContent.trim() : ''};
        })""")
        for region in regions:
            assert region["wrapped"] and region["role"] == "region" and region["tabindex"] == "0", (path, region)
            assert region["overflowX"] == "auto" and region["label"], (path, region)

        axe_check(page)
    finally:
        ctx.close()


def test_keyboard_users_can_focus_and_scroll_a_wide_table(browser, live_server, admin):
    app = live_server.app
    ctx = browser.new_context(base_url=live_server.url, locale="en-CA", viewport={"width": 320, "height": 640})
    try:
        cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(admin["user"]),
                                                                          "_fresh": True})
        ctx.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server.url}])
        page = ctx.new_page()
        page.goto("/en/editor/insight/links")
        region = page.locator(".table-scroll").first
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to scroll"
        page.locator("main h1").click()
        for _ in range(60):
            page.keyboard.press("Tab")
            if region.evaluate("el => el === document.activeElement"):
                break
        else:
            raise AssertionError("the table's region cannot be reached with the Tab key")
        focus = region.evaluate("el => { const s = getComputedStyle(el); return {outline: s.outlineStyle, "
                                "width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }")
        assert focus["outline"] != "none" and focus["width"] >= 2 and "rgb(255, 221, 0)" in focus["shadow"]
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    finally:
        ctx.close()
