"""People to talk to: the working groups as the Secretariat describes them
(facts from hub/working_groups.yaml), a contact form to the editors and a
request for an account that an admin approves."""
from __future__ import annotations

import pytest
from lxml import html
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import AccountRequest, User
from hub.working_groups import WorkingGroupDataError, load_groups, parse_groups
from tests.flows import body_of, links_in, mail_to, outbox, post_form

TEN = ["Toronto South", "Calgary", "Lloydminster", "Surrey", "South Okanagan", "Greater Moncton", "Kingston",
       "Grey Bruce", "Saskatoon", "Vernon"]


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.fromstring(response.get_data(as_text=True))


def text(doc) -> str:
    return " ".join(doc.text_content().split())


# -- working groups -----------------------------------------------------------------
@pytest.mark.parametrize("lang, heading, facts", [
    ("en", "Research Working Group", ["21 members, from 19 partnerships", "third Thursday", "Co-chair; Co-chair",
                                      "one year", "two years"]),
    ("fr", "Groupe de travail sur la recherche", ["21 membres, de 19 partenariats", "troisième jeudi",
                                                  "Coprésidence; Coprésidence", "un an", "deux ans"]),
])
def test_research_working_group_page(client, lang, heading, facts):
    doc = page(client, f"/{lang}/working-groups/research")
    assert doc.xpath("//h1")[0].text_content() == heading
    body = text(doc.xpath("//main")[0])
    for fact in facts:
        assert fact in body, fact
    assert doc.xpath(f"//a[@href='/{lang}/contact?topic=join']")
    index = page(client, f"/{lang}/working-groups")
    assert index.xpath(f"//a[@href='/{lang}/working-groups/research']")


@pytest.mark.parametrize("lang, accountable", [("en", "Executive Committee of the National LIP Secretariat"),
                                               ("fr", "Comité exécutif du Secrétariat national des PLI")])
def test_anti_racism_working_group_lists_its_member_partnerships_from_the_data_file(client, lang, accountable):
    doc = page(client, f"/{lang}/working-groups/anti-racism")
    rows = doc.xpath("//table[caption]/tbody/tr")
    assert [r.xpath("th")[0].text_content() for r in rows] == TEN
    provinces = {r.xpath("th")[0].text_content(): r.xpath("td")[0].text_content() for r in rows}
    assert provinces["Greater Moncton"] == ("New Brunswick" if lang == "en" else "Nouveau-Brunswick")
    assert provinces["Lloydminster"] == "Alberta / Saskatchewan"
    body = text(doc.xpath("//main")[0])
    assert accountable in body
    # The co-chairs' names are not given: the page says the roles, never invents names.
    assert ("Co-chair; Co-chair" if lang == "en" else "Coprésidence; Coprésidence") in body
    assert doc.xpath(f"//a[@href='/{lang}/contact?topic=join']")


def test_the_pages_follow_the_data_file(client, monkeypatch):
    assert set(load_groups()) == {"anti-racism", "research"}
    data = {"anti-racism": {"endpoint": "pages.anti_racism_working_group", "leadership": [
        {"role": "co-chair", "name": "Named Person"}],
        "meetings": {"en": "Monthly, on Tuesdays.", "fr": "Chaque mois."},
        "members": [{"partnership": "Yellowknife", "province": "nt", "role": "co-chair"}]},
        "research": {"endpoint": "pages.research_working_group"}}
    groups = parse_groups(data)
    monkeypatch.setattr("hub.views.pages.working_group", lambda key: groups[key])
    body = text(page(client, "/en/working-groups/anti-racism"))
    assert "Co-chair: Named Person" in body and "Monthly, on Tuesdays." in body and "Yellowknife" in body
    assert "Toronto South" not in body


@pytest.mark.parametrize("member, problem", [
    ({"partnership": "X", "province": "zz"}, "province"),
    ({"partnership": "", "province": "on"}, "partnership"),
    ({"partnership": "X", "province": "on", "role": "boss"}, "role"),
])
def test_a_wrong_data_file_is_reported_with_where(member, problem):
    with pytest.raises(WorkingGroupDataError, match=problem):
        parse_groups({"g": {"endpoint": "x", "members": [member]}})


# -- contact form ---------------------------------------------------------------------
def test_contact_form_sends_to_the_editors_and_keeps_nothing(app, client, make_user):
    editor = make_user("editor", email="editor@example.org")
    tables_before = {t: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    response = post_form(client, "/fr/contact", {"topic": "problem", "message": "Le lien est brisé.",
                                                   "name": "Awa", "email": "awa@example.org"})
    assert response.status_code == 302
    (mail,) = mail_to(app, editor.email)
    assert mail["Reply-To"] == "awa@example.org" and "Le lien est brisé." in body_of(mail)
    tables_after = {t: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    changed = [t.name for t in tables_before if tables_before[t] != tables_after[t]]
    assert changed in ([], ["throttle_counts"])  # only the keyed, hashed rate-limit count
    assert "awa@example.org" not in repr(db.session.execute(select(db.metadata.tables["throttle_counts"])).all())
    assert "Merci" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_contact_form_needs_a_message_and_its_csrf_token(app, client, make_user):
    make_user("editor")
    doc = page(client, "/en/contact")
    assert doc.xpath("//form//input[@name='csrf_token']")
    # Required fields are marked before any error is shown.
    assert doc.xpath("//label[@for='message']//*[@class='required']")
    assert not doc.xpath("//label[@for='email']//*[@class='required']")
    assert client.post("/en/contact", data={"topic": "question", "message": "Hi"}).status_code == 400
    response = post_form(client, "/en/contact", {"topic": "question", "message": "  "})
    assert response.status_code == 422 and "Write your message." in response.get_data(as_text=True)
    assert outbox(app) == []


def test_contact_form_is_rate_limited_and_keeps_the_text(app, client, make_user):
    make_user("editor")
    for _ in range(5):
        assert post_form(client, "/en/contact", {"topic": "other", "message": "Hello"}).status_code == 302
    response = post_form(client, "/en/contact", {"topic": "other", "message": "Sixth message"})
    assert response.status_code == 429 and "Sixth message" in response.get_data(as_text=True)
    assert len(outbox(app)) == 5


def test_contact_topic_from_a_join_link(client):
    doc = page(client, "/en/contact?topic=join")
    assert doc.xpath("//select[@name='topic']/option[@selected]/@value") == ["join"]


# -- requesting an account --------------------------------------------------------------
def test_request_approve_and_the_invitation_follows(app, client, make_user, login_as):
    admin = make_user("admin", email="admin@example.org")
    response = post_form(client, "/fr/account/request", {"email": "Nadia@Example.org", "name": "Nadia",
                                                          "partnership": "PLI de Vernon", "reason": "Lire"})
    assert response.status_code == 200 and "Demande envoyée" in response.get_data(as_text=True)
    assert "/en/admin/users#account-requests" in body_of(mail_to(app, admin.email)[0])
    login_as(admin)
    doc = page(client, "/en/admin/users")
    (request_id,) = [r.id for r in db.session.scalars(select(AccountRequest))]
    assert "nadia@example.org" in text(doc.xpath("//section[h2[@id='account-requests']]")[0])
    response = post_form(client, f"/en/admin/account-requests/{request_id}", {"decision": "approve"},
                         page="/en/admin/users")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AccountRequest)) == 0
    (invitation,) = mail_to(app, "nadia@example.org")
    assert any("/set-password/" in link for link in links_in(invitation))
    user = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
    assert user.role == "member" and user.name == "Nadia"


def test_decline_deletes_the_request(app, client, make_user, login_as):
    admin = make_user("admin")
    post_form(client, "/en/account/request", {"email": "x@example.org", "partnership": "Surrey"})
    login_as(admin)
    (found,) = db.session.scalars(select(AccountRequest))
    post_form(client, f"/en/admin/account-requests/{found.id}", {"decision": "decline"}, page="/en/admin/users")
    assert db.session.scalar(select(func.count()).select_from(AccountRequest)) == 0
    assert mail_to(app, "x@example.org") == []


def test_only_admins_decide(client, make_user, login_as):
    post_form(client, "/en/account/request", {"email": "x@example.org", "partnership": "Surrey"})
    (found,) = db.session.scalars(select(AccountRequest))
    login_as(make_user("editor"))
    response = post_form(client, f"/en/admin/account-requests/{found.id}", {"decision": "approve"},
                         page="/en/contact")
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AccountRequest)) == 1


def test_a_request_for_an_existing_account_says_nothing_and_stores_nothing(client, make_user):
    make_user(email="member@example.org")
    response = post_form(client, "/en/account/request", {"email": "member@example.org", "partnership": "Calgary"})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AccountRequest)) == 0


def test_a_request_without_a_partnership_is_refused_with_a_message(client):
    response = post_form(client, "/en/account/request", {"email": "y@example.org"})
    assert response.status_code == 422 and "Say which partnership" in response.get_data(as_text=True)


def test_sign_in_page_links_to_the_request(client):
    assert page(client, "/fr/login").xpath("//a[@href='/fr/account/request']")


# -- editors ------------------------------------------------------------------------------
def test_the_editors_menu_links_the_insight_dashboard(client, make_user, login_as):
    login_as(make_user("member"))
    assert not page(client, "/en/").xpath("//nav[@class='account-nav']//a[@href='/en/editor/insight']")
    login_as(make_user("editor"))
    assert page(client, "/fr/").xpath("//nav[@class='account-nav']//a[@href='/fr/editor/insight']")
