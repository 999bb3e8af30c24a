"""Team rounds over HTTP: opening one, answering through the link (signed in
or not), the owner's page, closing, sharing and deleting; nobody else sees it."""
from __future__ import annotations

import re

import pytest

from tests.services.test_assessments import make_tool
from tests.views.test_assessments import csrf, text_of, tree

FORM = "/en/resources/tool/assessment"


@pytest.fixture
def tool(make_resource):
    return make_tool(make_resource, slug="tool", title="Council Self-Assessment")


def open_round(client, name="our council, spring 2027"):
    resp = client.post("/en/resources/tool/assessment/rounds",
                       data={"csrf_token": csrf(client, "/en/resources/tool/assessment/rounds/new"), "name": name})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
    return re.fullmatch(r"/en/rounds/([A-Za-z0-9_-]{40,})/results", resp.headers["Location"]).group(1)


def answer(client, token, answers):
    page = client.get(f"/en/rounds/{token}")
    assert page.status_code == 200
    token_field = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(f"/en/rounds/{token}", data={"csrf_token": token_field, **answers})


def test_a_round_from_opening_to_deletion(app, client, tool, make_user, login_as):
    owner = login_as(make_user())
    assert "Open a team round" in client.get(FORM).get_data(as_text=True)
    token = open_round(client)
    page = tree(client.get(f"/en/rounds/{token}/results"))
    assert page.xpath("//input[@id='round-link']/@value") == [f"http://localhost/en/rounds/{token}"]
    assert "Nobody has answered yet" in text_of(page.xpath("//main")[0])

    # Three colleagues, none signed in, each in their own browser.
    for answers in ({"lead.1": "0", "lead.2": "1", "data.1": "3"},
                    {"lead.1": "3", "lead.2": "1", "data.1": "3", "data.2": "2"},
                    {"lead.1": "1", "lead.2": "2", "data.1": "3", "data.2": "0"}):
        colleague = app.test_client()
        form = tree(colleague.get(f"/en/rounds/{token}"))
        assert "Team round: our council, spring 2027." in text_of(form.xpath("//main")[0])
        assert form.xpath("//select[@name='compare']") == []
        resp = answer(colleague, token, answers)
        assert resp.status_code == 200 and "your answers were sent" in resp.get_data(as_text=True)

    doc = tree(client.get(f"/en/rounds/{token}/results"))
    main = text_of(doc.xpath("//main")[0])
    assert "3 people answered." in main
    spread = {text_of(tr.xpath("./th")[0]): [text_of(td) for td in tr.xpath("./td")]
              for tr in doc.xpath("//table[contains(@class,'spread')]//tbody/tr")}
    assert spread["1.1 We have a policy. apart"] == ["1", "1", "0", "1", "0"]
    assert spread["2.2 We publish data. apart"] == ["1", "0", "1", "0", "1"]
    # The team's plan comes from the middle answers, and its downloads carry them.
    assert [text_of(p) for p in doc.xpath("//p[@class='statement']")] == [
        "1.1 We have a policy. Starting", "1.2 We report yearly. Starting", "2.2 We publish data. Not yet"]
    hidden = {i.get("name"): i.get("value")
              for i in doc.xpath("//form[@class='result-actions']//input[@type='hidden']")}
    assert hidden["round"] == "our council, spring 2027" and hidden["lead.1"] == "1" and hidden["data.2"] == "0"

    # Close: no more answers; then share; then delete.
    client.post(f"/en/rounds/{token}/close", data={"csrf_token": csrf(client)})
    late = app.test_client()
    assert "This round is closed" in late.get(f"/en/rounds/{token}").get_data(as_text=True)
    assert client.post(f"/en/rounds/{token}/share", data={"csrf_token": csrf(client)}).status_code == 303
    assert "were shared with the working group" in client.get(f"/en/rounds/{token}/results").get_data(as_text=True)
    mine = tree(client.get("/en/account/assessments"))
    assert [text_of(td) for td in mine.xpath("//table[.//caption[@id='rounds-caption']]//tbody/tr/td")][1:] == [
        "3", "Closed"]
    assert client.post(f"/en/rounds/{token}/delete", data={"csrf_token": csrf(client)}).status_code == 303
    assert client.get(f"/en/rounds/{token}/results").status_code == 404
    assert app.test_client().get(f"/en/rounds/{token}").status_code == 404
    assert owner.id


def test_nobody_but_the_owner_sees_a_rounds_page(app, client, tool, make_user, login_as):
    login_as(make_user())
    token = open_round(client)
    for who in (make_user(), make_user("editor"), make_user("admin")):
        login_as(who)
        assert client.get(f"/en/rounds/{token}/results").status_code == 404
        assert client.post(f"/en/rounds/{token}/close", data={"csrf_token": csrf(client)}).status_code == 404
        assert client.get(f"/en/rounds/{token}").status_code == 200  # but anyone with the link may answer
    anonymous = app.test_client()
    assert anonymous.get(f"/en/rounds/{token}/results").status_code == 302


def test_a_signed_in_colleague_answers_again_in_french_and_replaces(app, client, tool, make_user, login_as):
    login_as(make_user())
    token = open_round(client, "notre conseil")
    colleague = app.test_client()
    with colleague.session_transaction() as session:
        session["_user_id"] = str(make_user().id)
        session["_fresh"] = True
    page = colleague.get(f"/fr/rounds/{token}").get_data(as_text=True)
    assert "Ronde d’équipe\u202f: notre conseil." in page and "Envoyer mes réponses" in page
    for value in ("0", "3"):
        resp = colleague.post(f"/fr/rounds/{token}", data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1), "lead.1": value})
        assert "vos réponses ont été envoyées" in resp.get_data(as_text=True)
    doc = tree(client.get(f"/fr/rounds/{token}/results"))
    assert "1 personne a répondu." in text_of(doc.xpath("//main")[0])


def test_an_empty_answer_or_a_bad_name_is_explained_and_nothing_is_lost(app, client, tool, make_user, login_as):
    login_as(make_user())
    resp = client.post("/en/resources/tool/assessment/rounds",
                       data={"csrf_token": csrf(client), "name": "   "})
    assert resp.status_code == 400 and "Give the round a name" in resp.get_data(as_text=True)
    token = open_round(client)
    resp = answer(app.test_client(), token, {})
    assert resp.status_code == 400 and "Answer at least one statement" in resp.get_data(as_text=True)
    assert client.post("/en/resources/tool/assessment/rounds", data={"name": "no token"}).status_code == 400


def test_opening_rounds_is_rate_limited_per_member(app, client, tool, make_user, login_as):
    app.config["ROUND_RATE_LIMIT"] = "2 per hour"
    login_as(make_user())
    open_round(client, "one")
    open_round(client, "two")
    resp = client.post("/en/resources/tool/assessment/rounds", data={"csrf_token": csrf(client), "name": "three"})
    assert resp.status_code == 429
    login_as(make_user())  # another member has their own allowance
    open_round(client, "theirs")
