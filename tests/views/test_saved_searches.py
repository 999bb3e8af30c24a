"""Following a search by e-mail through the pages a member uses: the search
page's form, the saved-searches page, the digest command and the
unsubscribe link in the mail."""
from __future__ import annotations

import re

from sqlalchemy import select

from hub.extensions import db
from hub.models import SavedSearch
from hub.services import saved_searches
from hub.services.mail import read_outbox
from tests.flows import csrf, csrf_from, path_of

UNSUBSCRIBE = re.compile(r"https?://\S+/digests/unsubscribe/\S+")


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def saved_rows():
    db.session.expire_all()
    return list(db.session.scalars(select(SavedSearch)))


def save_from_search_page(client, query: str, lang: str = "en", **fields):
    page = client.get(f"/{lang}/search?{query}")
    html = page.get_data(as_text=True)
    action = re.search(r'formaction="([^"]*/account/saved-searches/new[^"]*)"', html).group(1)
    data = {"follow-name": "", "follow-frequency": "weekly", **fields,
            "csrf_token": csrf_from(html)}
    return client.post(action.replace("&amp;", "&"), data=data)


def test_save_a_search_publish_run_twice_one_mail_and_unsubscribe(app, client, runner, make_user, login_as,
                                                                   make_resource):
    """The issue's check, through the pages and the command a member and cron use."""
    member = login_as(make_user())
    saved = save_from_search_page(client, "q=hiring&racism_type=anti-black&page=2")
    assert saved.status_code == 303
    [row] = saved_rows()
    assert (row.query, row.frequency, row.user_id) == ("q=hiring&racism_type=anti-black", "weekly", member.id)

    make_resource(title="Fair hiring for Black applicants", slug="fair-hiring")
    first = runner.invoke(args=["hub", "send-digests"])
    second = runner.invoke(args=["hub", "send-digests"])

    assert first.exit_code == 0 and "1 with new resources" in first.output, first.output
    assert second.exit_code == 0 and "0 due" in second.output, second.output
    mails = read_outbox(app.config["OUTBOX_DIR"])
    assert len(mails) == 1
    text = text_of(mails[0])
    assert "Fair hiring for Black applicants" in text and "/en/resources/fair-hiring" in text

    link = UNSUBSCRIBE.search(text).group(0)
    anonymous = app.test_client()  # no sign-in needed
    confirm = anonymous.get(path_of(link))
    assert confirm.status_code == 200 and "Stop this digest?" in confirm.get_data(as_text=True)
    assert saved_rows()  # opening the link alone changes nothing
    done = anonymous.post(path_of(link), data={"csrf_token": csrf_from(confirm.get_data(as_text=True))})
    assert done.status_code == 200 and "Digest stopped" in done.get_data(as_text=True)
    assert saved_rows() == []
    again = anonymous.get(path_of(link))
    assert again.status_code == 200 and "already stopped" in again.get_data(as_text=True)


def test_mail_programs_unsubscribe_with_one_click(app, client, make_user, login_as):
    """RFC 8058: the mail program POSTs List-Unsubscribe=One-Click, without a page or a CSRF token."""
    login_as(make_user())
    save_from_search_page(client, "q=housing")
    [row] = saved_rows()
    path = f"/en/digests/unsubscribe/{saved_searches.unsubscribe_token(row)}"

    forged = app.test_client().post(path, data={"something": "else"})  # neither the form nor one-click
    assert forged.status_code == 400 and saved_rows()
    answer = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and saved_rows() == []


def test_a_tampered_or_old_unsubscribe_link_says_so(app, client, make_user, login_as):
    login_as(make_user())
    save_from_search_page(client, "q=housing")
    [row] = saved_rows()
    token = saved_searches.unsubscribe_token(row)
    tampered = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    anonymous = app.test_client()

    for method in (anonymous.get, anonymous.post):
        answer = method(f"/en/digests/unsubscribe/{tampered}", data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 400
        assert "not valid" in answer.get_data(as_text=True)
    assert anonymous.get("/fr/digests/unsubscribe/garbage").status_code == 400
    assert "n’est pas valide" in anonymous.get("/fr/digests/unsubscribe/garbage").get_data(as_text=True)
    app.config["DIGEST_LINK_DAYS"] = -1
    old = anonymous.get(f"/en/digests/unsubscribe/{token}")
    assert old.status_code == 400 and "too old" in old.get_data(as_text=True)
    assert old.headers["Cache-Control"] == "no-store" and old.headers["Referrer-Policy"] == "no-referrer"
    assert saved_rows()


def test_someone_not_signed_in_cannot_save_a_search(app, client):
    page = client.get("/en/search?q=hiring").get_data(as_text=True)
    assert "/en/account/saved-searches/new?q=hiring" in page  # a link to sign in and follow it
    assert 'name="follow-frequency"' not in page

    answer = client.post("/en/account/saved-searches/new?q=hiring",
                         data={"follow-frequency": "weekly", "csrf_token": csrf(client, "/en/account/reset")})
    assert answer.status_code == 302 and "/en/login" in answer.headers["Location"]
    follow = client.get("/en/account/saved-searches/new?q=hiring")
    assert follow.status_code == 302 and "next=" in follow.headers["Location"]
    assert saved_rows() == []


def test_another_member_can_neither_see_nor_change_nor_delete_yours(app, client, make_user, login_as):
    owner = login_as(make_user())
    save_from_search_page(client, "q=hiring", **{"follow-name": "Owner’s hiring watch"})
    [row] = saved_rows()
    login_as(make_user())
    token = csrf(client, "/en/account/saved-searches")

    listing = client.get("/en/account/saved-searches").get_data(as_text=True)
    assert "Owner’s hiring watch" not in listing
    changed = client.post(f"/en/account/saved-searches/{row.id}",
                          data={f"s{row.id}-name": "Mine now", f"s{row.id}-frequency": "monthly", "csrf_token": token})
    deleted = client.post(f"/en/account/saved-searches/{row.id}/delete", data={"csrf_token": token})
    missing = client.post("/en/account/saved-searches/999999/delete", data={"csrf_token": token})

    assert changed.status_code == deleted.status_code == missing.status_code == 404
    [still] = saved_rows()
    assert (still.name, still.frequency, still.user_id) == ("Owner’s hiring watch", "weekly", owner.id)


def test_manage_rename_change_frequency_and_stop(app, client, make_user, login_as):
    login_as(make_user())
    save_from_search_page(client, "q=hiring&type=toolkit", lang="fr")
    [row] = saved_rows()
    assert row.language == "fr"
    page = client.get("/en/account/saved-searches")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "“hiring” · Toolkit" in html and "/feed.atom?q=hiring&amp;type=toolkit" in html
    token = csrf_from(html)

    too_long = client.post(f"/en/account/saved-searches/{row.id}",
                           data={f"s{row.id}-name": "x" * 200, f"s{row.id}-frequency": "monthly", "csrf_token": token})
    assert too_long.status_code == 400 and "at most 120 characters" in too_long.get_data(as_text=True)
    renamed = client.post(f"/en/account/saved-searches/{row.id}",
                          data={f"s{row.id}-name": "Toolkits on hiring", f"s{row.id}-frequency": "monthly",
                                "csrf_token": token})
    assert renamed.status_code == 303
    [row] = saved_rows()
    assert (row.name, row.frequency, row.language) == ("Toolkits on hiring", "monthly", "en")
    assert "Toolkits on hiring" in client.get("/en/account/saved-searches").get_data(as_text=True)

    stopped = client.post(f"/en/account/saved-searches/{row.id}/delete", data={"csrf_token": token})
    assert stopped.status_code == 303 and saved_rows() == []


def test_the_search_page_offers_both_ways_to_follow_in_french(app, client, make_user, login_as):
    login_as(make_user())
    html = client.get("/fr/search?q=embauche&region=ab").get_data(as_text=True)
    assert "Suivre cette recherche par courriel" in html
    assert 'formaction="/fr/account/saved-searches/new?q=embauche&amp;region=ab"' in html
    # Not nested in the search page's GET form: a form of its own, which its fields name.
    assert '<form id="follow-search-form" method="post" action="/fr/account/saved-searches/new" hidden>' in html
    assert 'form="follow-search-form"' in html
    assert "/feed.atom?q=embauche&amp;region=ab&amp;lang=fr" in html  # the Atom feed, beside it
    assert 'name="csrf_token"' in html


def test_one_click_works_in_production_where_posts_must_come_from_the_hub(app, client, make_user, login_as):
    """A mail program's POST comes from no page of the hub (no Origin of ours):
    the unsubscribe address is exempt from that check, as from CSRF, and only there."""
    base = "https://hub.example.org"
    login_as(make_user())
    save_from_search_page(client, "q=housing")
    [row] = saved_rows()
    token = csrf(client, "/en/account/saved-searches")
    app.config.update(BASE_URL=base, ENFORCE_BASE_URL_HOST=True, CHECK_POST_ORIGIN=True)
    path = f"/en/digests/unsubscribe/{saved_searches.unsubscribe_token(row)}"

    other = client.post(f"/en/account/saved-searches/{row.id}/delete", base_url=base,
                        headers={"Origin": "https://mail.example"}, data={"csrf_token": token})
    assert other.status_code == 403 and saved_rows()
    answer = app.test_client().post(path, base_url=base, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and saved_rows() == []
