"""Following a search by e-mail in a real browser, keyboard only: from the
search page, sign in, save the search with a name and a frequency, find it
under the account, save another from the search page's own form, then stop a
digest from its unsubscribe link; axe on every page on the way."""
from __future__ import annotations

import uuid

import pytest

from tests.browser.keyboard import press_enter_and_wait, tab_to

pytestmark = pytest.mark.browser

PASSWORD = "follow a search password"


@pytest.fixture
def member(live_server):
    from hub.extensions import db
    from hub.services.users import create_user

    email = f"follower-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        create_user(email, role="member", password=PASSWORD)
        db.session.remove()
    return email


def saved_rows(live_server, email: str):
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import SavedSearch, User

    with live_server.app.app_context():
        rows = db.session.execute(select(SavedSearch.name, SavedSearch.query, SavedSearch.frequency,
                                         SavedSearch.language).join(User).where(User.email == email)
                                  .order_by(SavedSearch.id)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def test_a_member_follows_searches_with_the_keyboard(page, member, live_server, axe_check):
    page.goto("/en/search?q=hiring&racism_type=anti-black")
    tab_to(page, "a.follow-link, .follow-link a")
    press_enter_and_wait(page)
    assert "/en/login" in page.url  # sign in first, then back to the same search's form
    tab_to(page, "#email")
    page.keyboard.type(member)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert "/en/account/saved-searches/new?q=hiring&racism_type=anti-black" in page.url
    axe_check(page)

    tab_to(page, "#follow-name")
    page.keyboard.type("Hiring, anti-Black racism")
    tab_to(page, "input[name='follow-frequency']:checked")
    page.keyboard.press("ArrowDown")  # from weekly to monthly
    assert page.locator("#follow-frequency-1").is_checked()
    tab_to(page, ".follow-form button[type=submit]")
    press_enter_and_wait(page)
    assert page.url.endswith("/en/account/saved-searches")
    assert page.get_by_role("heading", name="Hiring, anti-Black racism").is_visible()
    assert "You follow this search" in page.locator(".flashes").inner_text()
    axe_check(page)
    assert saved_rows(live_server, member) == [("Hiring, anti-Black racism", "q=hiring&racism_type=anti-black",
                                                "monthly", "en")]

    # Signed in, the search page itself has the form (in a disclosure), beside the Atom feed.
    page.goto("/fr/search?q=logement")
    tab_to(page, "details.follow-search > summary")
    page.keyboard.press("Enter")
    assert page.locator("details.follow-search").evaluate("d => d.open")
    assert page.locator(".follow .feed-link a[type='application/atom+xml']").is_visible()
    axe_check(page)
    tab_to(page, "#follow-name")
    page.keyboard.type("Logement")
    tab_to(page, ".follow-form button[type=submit]")
    press_enter_and_wait(page)
    assert page.url.endswith("/fr/account/saved-searches")
    assert page.get_by_role("heading", name="Logement").is_visible()
    assert saved_rows(live_server, member)[1] == ("Logement", "q=logement", "weekly", "fr")


def test_the_unsubscribe_link_asks_then_stops_with_the_keyboard(page, member, live_server, axe_check):
    from hub.extensions import db
    from hub.services import saved_searches
    from hub.services.search import SearchParams
    from hub.services.users import get_user_by_email

    with live_server.app.app_context():
        saved, _ = saved_searches.save_search(get_user_by_email(member), SearchParams(q="racism", locale="fr"),
                                              name="Racisme", language="fr")
        token = saved_searches.unsubscribe_token(saved)
        db.session.remove()

    page.goto(f"/fr/digests/unsubscribe/{token}")
    assert page.get_by_role("heading", name="Arrêter ce récapitulatif ?").is_visible()
    axe_check(page)
    tab_to(page, "main form button[type=submit]")
    press_enter_and_wait(page)
    assert page.get_by_role("heading", name="Récapitulatif arrêté").is_visible()
    axe_check(page)
    assert saved_rows(live_server, member) == []

    page.goto(f"/en/digests/unsubscribe/{token[:-2]}xx")
    assert page.get_by_role("heading", name="This unsubscribe link does not work").is_visible()
    axe_check(page)
