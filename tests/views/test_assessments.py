"""Self-assessment pages as a person meets them: the form, the result, the
downloads, saving and comparing, privacy, tampering, and the editors' counts."""
from __future__ import annotations

import csv
import io
import json
import logging
import re

import pytest
from lxml import html as lxml_html
from sqlalchemy import inspect, select, text

from tests.services.test_assessments import make_tool

FORM = "/en/resources/tool/assessment"
ANSWERS = {"lead.1": "0", "lead.2": "1", "data.1": "3"}


def csrf(client, path: str = FORM) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post(client, data: dict, path: str = FORM):
    return client.post(path, data={"csrf_token": csrf(client), **data})


def tree(resp):
    return lxml_html.fromstring(resp.get_data(as_text=True))


def text_of(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture
def tool(make_resource):
    return make_tool(make_resource, slug="tool", title="Council Self-Assessment")


# -- the form ----------------------------------------------------------------------
def test_form_has_a_fieldset_per_section_and_a_radio_group_per_question(client, tool):
    resp = client.get(FORM)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    doc = tree(resp)
    sections = doc.xpath("//form[@data-assessment]/fieldset")
    assert [text_of(f.xpath("./legend")[0]) for f in sections] == [
        "Section 1 of 2 Leadership and governance", "Section 2 of 2 Data and evidence"]
    questions = sections[0].xpath("./fieldset")
    assert text_of(questions[0].xpath("./legend")[0]) == "1.1 We have a policy."
    labels = questions[0].xpath(".//label")
    assert [text_of(label) for label in labels] == ["Not yet", "Starting", "In progress", "In place"]
    assert [label.xpath(".//input/@value")[0] for label in labels] == ["0", "1", "2", "3"]
    assert {i.get("name") for i in questions[0].xpath(".//input")} == {"lead.1"}
    assert doc.xpath("//form[@data-assessment]/@method") == ["post"]
    assert doc.xpath("//input[@type='radio' and @checked]") == []
    assert doc.xpath("//script[not(@src)]") == []  # strict CSP: no inline script
    scripts = [src.split("?v=")[0] for src in doc.xpath("//script/@src")]  # fingerprinted URLs
    assert "/static/js/assessment.js" in scripts and all(src.startswith("/static/js/") for src in scripts)


def test_form_is_in_the_tools_language_and_the_interface_in_the_pages(client, make_resource):
    make_tool(make_resource, slug="outil", language="fr", title="Autoévaluation",
              assessment="""
  scale: [Pas encore, En place]
  sections:
    - id: a
      title: Gouvernance
      questions: [Nous avons une politique.]
""")
    doc = tree(client.get("/fr/resources/outil/assessment"))
    assert doc.xpath("//html/@lang") == ["fr"]
    legend = doc.xpath("//form/fieldset/legend")[0]
    assert text_of(legend) == "Section 1 de 1 Gouvernance"
    assert doc.xpath("//fieldset[@class='question']/@lang") == ["fr"]
    assert "Voir mon résultat" in text_of(doc.xpath("//form//button[@value='result']")[0])
    en = tree(client.get("/en/resources/outil/assessment"))
    assert text_of(en.xpath("//form/fieldset/legend")[0]) == "Section 1 of 1 Gouvernance"
    assert [text_of(x) for x in en.xpath("//fieldset[@class='question']//label")] == ["Pas encore", "En place"]


def test_resource_page_links_to_its_tool(client, tool, make_resource):
    page = client.get("/en/resources/tool").get_data(as_text=True)
    assert 'href="/en/resources/tool/assessment"' in page and "Take this self-assessment" in page
    make_resource(slug="plain")
    assert "/assessment" not in client.get("/en/resources/plain").get_data(as_text=True)
    assert client.get("/en/resources/plain/assessment").status_code == 404


def test_members_only_tool_is_hidden_from_anonymous(client, make_resource, make_user, login_as):
    make_tool(make_resource, slug="secret-tool", access="members")
    assert client.get("/en/resources/secret-tool/assessment").status_code == 404
    assert client.post("/en/resources/secret-tool/assessment", data=ANSWERS).status_code in (400, 404)
    login_as(make_user())
    assert client.get("/en/resources/secret-tool/assessment").status_code == 200


# -- the result --------------------------------------------------------------------
def test_result_page_shows_scores_chart_table_and_suggestions(client, tool, make_resource):
    make_resource(slug="gov-policy", type="policy", topics="[governance]", title="A governance policy")
    make_resource(slug="members-policy", type="policy", topics="[governance]", access="members")
    resp = post(client, ANSWERS)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    doc = tree(resp)
    page = text_of(doc.xpath("//main")[0])
    assert "Your answers have not been stored." in page
    assert "3 of 4 statements answered." in page
    assert text_of(doc.xpath("//p[@class='overall-score']")[0]) == "44% (4 of 9 points)"
    chart = doc.xpath("//figure[@class='score-chart']")[0]
    assert text_of(chart.xpath("./figcaption")[0]).startswith("Bar chart")
    # The chart's words are HTML text (they keep the page's size on a phone); the bars are SVG.
    assert [text_of(li) for li in chart.xpath(".//li")] == ["Leadership and governance 17%", "Data and evidence 100%"]
    assert chart.xpath(".//svg//text") == [] and all(svg.get("aria-hidden") == "true" for svg in chart.xpath(".//svg"))
    rows = [[text_of(c) for c in tr.xpath("./th|./td")]
            for tr in doc.xpath("(//table[contains(@class,'score-table')])[1]//tr")]
    assert rows == [
        ["Section", "Points", "Percentage", "Statements answered"],
        ["Leadership and governance to work on", "1 of 6", "17%", "2 of 2"],
        ["Data and evidence", "3 of 3", "100%", "1 of 2"],
        ["Overall", "4 of 9", "44%", "3 of 4"]]
    # What to do first: the statements answered "Not yet" then "Starting", with the resource chosen for one.
    lead = doc.xpath("//section[@aria-labelledby='next-lead']")[0]
    statements = [text_of(p) for p in lead.xpath(".//p[@class='statement']")]
    assert statements == ["1.1 We have a policy. Not yet", "1.2 We report yearly. Starting"]
    first = lead.xpath(".//li[@class='priority']")[0]
    assert first.xpath(".//ul[@class='recommendations']//a/@href") == ["/en/resources/gov-policy"]
    assert text_of(first.xpath(".//span[@class='reason']")[0]) == "for: policy"
    assert doc.xpath("//section[@aria-labelledby='next-data']") == []  # nothing low there
    # The answers come back only as hidden fields of the POST forms, never in a link.
    hidden = {i.get("name"): i.get("value") for i in doc.xpath("//form//input[@type='hidden']")}
    assert {k: v for k, v in hidden.items() if "." in k} == ANSWERS
    assert not any("lead.1" in (a.get("href") or "") for a in doc.xpath("//a"))


def test_all_blank_result_says_so(client, tool):
    doc = tree(post(client, {}))
    page = text_of(doc.xpath("//main")[0])
    assert "No statement was answered, so there is no score." in page
    assert "0 of 4 statements answered." in page
    assert doc.xpath("//ul[@class='recommendations']") == []


def test_change_answers_brings_them_back_into_the_form(client, tool):
    doc = tree(post(client, {**ANSWERS, "action": "edit"}))
    checked = {i.get("name"): i.get("value") for i in doc.xpath("//input[@type='radio' and @checked]")}
    assert checked == ANSWERS
    # "Clear answers" asks first (the answers ride along), then clears and offers Undo.
    asked = tree(post(client, {**ANSWERS, "action": "clear"}))
    assert "3 answers will be removed." in text_of(asked.xpath("//main")[0])
    assert {i.get("name"): i.get("value") for i in asked.xpath("//form//input[@type='hidden']")
            if "." in i.get("name")} == ANSWERS
    assert asked.xpath("//button[@value='edit']") and asked.xpath("//button[@value='clear-confirmed']")
    cleared = tree(post(client, {**ANSWERS, "action": "clear-confirmed"}))
    assert cleared.xpath("//input[@type='radio' and @checked]") == []
    undo = cleared.xpath("//form[@data-undo-server]")[0]
    assert {i.get("name"): i.get("value") for i in undo.xpath(".//input[@type='hidden']")
            if "." in i.get("name")} == ANSWERS
    back = tree(post(client, {**ANSWERS, "action": "edit"}))
    assert {i.get("name"): i.get("value") for i in back.xpath("//input[@type='radio' and @checked]")} == ANSWERS


@pytest.mark.parametrize("data", [
    {"nope.1": "1"}, {"lead.9": "1"}, {"lead.1": "7"}, {"lead.1": "high"}, {"action": "destroy"}])
def test_tampered_posts_get_a_clear_400_page(client, tool, data):
    resp = post(client, data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "These answers could not be read" in page and 'href="/en/resources/tool/assessment"' in page


def test_a_post_without_csrf_token_is_refused(client, tool):
    resp = client.post(FORM, data=ANSWERS)
    assert resp.status_code == 400
    assert client.post("/resources/tool/assessment/result.csv", data=ANSWERS).status_code == 400


def test_french_result_page(client, make_resource):
    make_tool(make_resource, slug="tool")
    resp = client.post("/fr/resources/tool/assessment",
                       data={"csrf_token": csrf(client, "/fr/resources/tool/assessment"), **ANSWERS})
    page = text_of(tree(resp).xpath("//main")[0])
    assert "Vos réponses n’ont pas été conservées." in page
    assert "3 énoncés sur 4 répondus." in page
    assert "44 %" in page and "Que faire d’abord" in page and "Télécharger le plan (Word)" in page
    assert "Premier pas\u202f:" not in page  # this tool's statements have no first step written


# -- downloads -------------------------------------------------------------------
def test_result_downloads_as_csv_and_json_from_the_posted_answers(client, tool, make_resource):
    make_resource(slug="gov-policy", type="policy", topics="[governance]", title="=HYPERLINK(bad) policy")
    token = csrf(client)
    with client.post("/resources/tool/assessment/result.csv",
                     data={"csrf_token": token, "lang": "en", **ANSWERS}) as resp:
        assert resp.status_code == 200 and resp.mimetype == "text/csv"
        assert re.match(r'attachment; filename="tool-result-\d{4}-\d\d-\d\d\.csv"',
                        resp.headers["Content-Disposition"])
        assert resp.headers["Cache-Control"] == "no-store"
        body = resp.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [
        ["Section number", "Section", "Points", "Maximum points", "Percentage", "Questions answered", "Questions"],
        ["1", "Leadership and governance", "1", "6", "16.7", "2", "2"],
        ["2", "Data and evidence", "3", "3", "100.0", "1", "2"],
        ["", "Overall", "4", "9", "44.4", "3", "4"]]
    with client.post("/resources/tool/assessment/result.json",
                     data={"csrf_token": token, "lang": "fr", **ANSWERS}) as resp:
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        doc = json.loads(resp.get_data(as_text=True))
    assert doc["overall"] == {"points": 4, "max_points": 9, "percent": 44.4, "answered": 3, "questions": 4}
    lead = doc["sections"][0]
    assert lead["answers"] == [{"question": "We have a policy.", "answer": "Not yet", "points": 0},
                               {"question": "We report yearly.", "answer": "Starting", "points": 1}]
    assert lead["weak"] is True
    assert [(p["statement"], p["answer"]) for p in lead["priorities"]] == [("1.1", "Not yet"), ("1.2", "Starting")]
    assert lead["priorities"][0]["recommended"][0]["slug"] == "gov-policy"
    assert lead["priorities"][0]["recommended"][0]["reason"] == ["policy"]
    assert doc["sections"][1]["answers"][1] == {"question": "We publish data.", "answer": None, "points": None}
    assert doc["tool"]["slug"] == "tool" and doc["scale"][0] == "Not yet"
    # The French CSV speaks French.
    with client.post("/resources/tool/assessment/result.csv",
                     data={"csrf_token": token, "lang": "fr", **ANSWERS}) as resp:
        assert resp.get_data(as_text=True).lstrip("\ufeff").startswith("Numéro de section,Section,Points")
    # A download is not another completion.
    from hub.extensions import db
    from hub.models import AssessmentCompletion
    assert db.session.scalars(select(AssessmentCompletion)).all() == []


def test_csv_cells_cannot_become_formulas(client, make_resource):
    make_tool(make_resource, slug="tool", assessment="""
  scale: [No, Yes]
  sections:
    - id: a
      title: =cmd|' /C calc'!A0
      questions: [x]
""")
    with client.post("/resources/tool/assessment/result.csv", data={"csrf_token": csrf(client), "a.1": "1"}) as r:
        rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1].startswith("'=")


def test_downloads_refuse_tampered_answers(client, tool):
    with client.post("/resources/tool/assessment/result.json",
                     data={"csrf_token": csrf(client), "lead.1": "9"}) as resp:
        assert resp.status_code == 400


# -- privacy ------------------------------------------------------------------------
def _snapshot(db) -> dict:
    engine = db.engine
    out = {}
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            out[table] = [tuple(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    return out


def test_no_answer_reaches_the_database_or_the_log_for_an_anonymous_person(app, client, tool, caplog):
    from hub.extensions import db
    from hub.models import AssessmentCompletion
    from hub.services import indexing

    indexing.ensure_index_fresh()  # a running hub has its search index (suggestions use it)
    marker_answers = {"lead.1": "2", "lead.2": "3", "data.1": "1", "data.2": "0"}
    token = csrf(client)
    before = _snapshot(db)
    caplog.set_level(logging.DEBUG)
    resp = client.post(FORM, data={"csrf_token": token, **marker_answers})
    assert resp.status_code == 200
    for fmt in ("csv", "json"):
        with client.post(f"/resources/tool/assessment/result.{fmt}",
                         data={"csrf_token": token, **marker_answers}) as download:
            assert download.status_code == 200
    post(client, {**marker_answers, "action": "edit"})
    post(client, {**marker_answers, "lead.9": "1"})  # a tampered one too
    after = _snapshot(db)

    # The one change anywhere in the database: the tool's anonymous counter went up by one.
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"assessment_completions"}
    assert after["assessment_completions"] == [(str(tool.id), "1")]
    assert db.session.get(AssessmentCompletion, tool.id).count == 1
    new_rows = json.dumps({t: sorted(set(after[t]) - set(before[t])) for t in after})
    for needle in ("lead.1", "lead.2", "data.1", "We have a policy", "Not yet", "In progress"):
        assert needle not in new_rows
    # Nothing was logged about the answers (nor anything at all at warning level).
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in ("lead.1", "lead.2", "data.1", "data.2", "In progress", "Not yet"):
        assert needle not in logged
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # Nor in the session cookie that comes back to the browser.
    with client.session_transaction() as session:
        assert not any("." in str(k) and str(k).split(".")[0] in ("lead", "data") for k in session)
        assert "lead" not in json.dumps(dict(session), default=str)


def test_answers_never_travel_in_a_url(client, tool):
    # A GET with answers in the query string is just the blank form: nothing is read from it.
    doc = tree(client.get(FORM + "?lead.1=3&lead.2=3"))
    assert doc.xpath("//input[@type='radio' and @checked]") == []
    assert client.get("/resources/tool/assessment/result.csv?lead.1=3").status_code == 405
    doc = tree(post(client, ANSWERS))
    for form in doc.xpath("//form"):
        assert form.get("method") == "post"


# -- save and compare ---------------------------------------------------------------
def test_member_saves_takes_it_again_and_sees_the_change(client, tool, make_user, login_as):
    login_as(make_user())
    first = post(client, {**ANSWERS, "action": "save"})
    assert first.status_code == 303
    saved_url = first.headers["Location"]
    assert re.fullmatch(r"/en/account/assessments/\d+", saved_url)
    saved_page = tree(client.get(saved_url))
    assert "Result saved on" in text_of(saved_page.xpath("//main")[0])
    # The member chose to save: the answers are kept (for statement-by-statement progress), for them alone.
    hidden = saved_page.xpath("//input[@type='hidden' and contains(@name, '.')]")
    assert {i.get("name"): i.get("value") for i in hidden} == ANSWERS

    account = tree(client.get("/en/account"))
    assert account.xpath("//main//a[normalize-space()='My assessments']/@href") == ["/en/account/assessments"]
    mine = tree(client.get("/en/account/assessments"))
    assert [a.get("href") for a in mine.xpath("//table//a")] == [saved_url]

    form = tree(client.get(FORM))
    assert form.xpath("//select[@name='compare']/option/@value")[-1] == "none"

    second = tree(post(client, {"lead.1": "3", "lead.2": "3", "data.1": "3", "data.2": "1"}))
    rows = [[text_of(c) for c in tr.xpath("./th|./td")]
            for tr in second.xpath("(//table[contains(@class,'score-table')])[1]//tr")]
    assert rows[0][-1].startswith("Change since")
    assert rows[1:] == [
        ["Data and evidence", "4 of 6", "67%", "2 of 2", "−33 points"],
        ["Leadership and governance", "6 of 6", "100%", "2 of 2", "+83 points"],
        ["Overall", "10 of 12", "83%", "4 of 4", "+39 points"]]
    progress = [[text_of(c) for c in tr.xpath("./th|./td")]
                for tr in second.xpath("//section[@class='statement-progress']//tbody/tr")]
    assert progress == [
        ["1.1 We have a policy.", "Not yet", "In place", "up 3 steps"],
        ["1.2 We report yearly.", "Starting", "In place", "up 2 steps"],
        ["2.1 We collect data.", "In place", "In place", "same"],
        ["2.2 We publish data.", "—", "Starting", "—"]]

    # Downloads of the saved result, by its id (no answers in it).
    saved_id = saved_url.rsplit("/", 1)[1]
    with client.get(f"/account/assessments/{saved_id}/result.json") as resp:
        doc = json.loads(resp.get_data(as_text=True))
    assert doc["overall"]["points"] == 4 and "saved_at" in doc
    with client.get(f"/account/assessments/{saved_id}/result.csv") as resp:
        assert resp.status_code == 200 and "Leadership and governance,1,6,16.7" in resp.get_data(as_text=True)


def test_saved_results_are_private_to_their_owner(app, client, tool, make_user, login_as):
    owner, other = make_user(), make_user()
    login_as(owner)
    saved_url = post(client, {**ANSWERS, "action": "save"}).headers["Location"]
    saved_id = saved_url.rsplit("/", 1)[1]
    login_as(other)
    assert client.get(saved_url).status_code == 404
    assert client.get(f"/account/assessments/{saved_id}/result.csv").status_code == 404
    resp = client.post(f"/en/account/assessments/{saved_id}/delete",
                       data={"csrf_token": csrf(client)})
    assert resp.status_code == 404
    login_as(owner)
    assert client.post(f"/en/account/assessments/{saved_id}/delete",
                       data={"csrf_token": csrf(client)}).status_code == 303
    assert client.get(saved_url).status_code == 404


def test_anonymous_people_cannot_save_and_are_sent_to_sign_in_for_my_assessments(client, tool):
    assert post(client, {**ANSWERS, "action": "save"}).status_code == 403
    for path in ("/en/account/assessments", "/fr/account/assessments/1"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        lang = path[1:3]
        assert resp.headers["Location"] == f"/{lang}/login?next={path}", path
    assert client.post("/en/account/assessments/1/delete", data={"csrf_token": csrf(client)}).status_code == 302
    doc = tree(post(client, ANSWERS))
    assert doc.xpath("//button[@value='save']") == []


# -- editors -----------------------------------------------------------------------
def test_editors_see_how_often_each_tool_was_completed(client, tool, make_user, login_as):
    post(client, ANSWERS)
    post(client, ANSWERS)
    post(client, {})  # nothing answered
    assert client.get("/en/editor/assessments").status_code == 403
    login_as(make_user("member"))
    assert client.get("/en/editor/assessments").status_code == 403
    login_as(make_user("editor"))
    doc = tree(client.get("/en/editor/assessments"))
    rows = [[text_of(c) for c in tr.xpath("./th|./td")] for tr in doc.xpath("//tbody/tr")]
    assert rows == [["Council Self-Assessment", "English", "Public", "2", "0"]]
    assert "Utilisation des autoévaluations" in client.get("/fr/editor/assessments").get_data(as_text=True)


# -- the action plan -------------------------------------------------------------------
def test_the_plan_downloads_as_word_and_csv_from_the_posted_answers(client, tool, make_resource):
    import docx

    make_resource(slug="gov-policy", type="policy", topics="[governance]", title="A governance policy")
    token = csrf(client)
    form = {"csrf_token": token, **ANSWERS, "plan": "lead.2", "owner:lead.2": "Ana", "due:lead.2": "2027-03-31",
            "note:lead.2": "Ask the co-chairs"}
    with client.post("/en/resources/tool/assessment/plan.docx", data=form) as resp:
        assert resp.status_code == 200
        assert resp.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert re.match(r'attachment; filename="tool-plan-\d{4}-\d\d-\d\d\.docx"', resp.headers["Content-Disposition"])
        assert resp.headers["Cache-Control"] == "no-store" and resp.headers["X-Content-Type-Options"] == "nosniff"
        doc = docx.Document(io.BytesIO(resp.get_data()))
    assert doc.paragraphs[0].text == "Action plan: Council Self-Assessment"
    assert [c.text for c in doc.tables[1].rows[1].cells] == [
        "1.2 We report yearly.", "Starting", "", "Ana", "2027-03-31", "Ask the co-chairs"]
    with client.post("/fr/resources/tool/assessment/plan.csv", data=form) as resp:
        assert resp.status_code == 200 and resp.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Section", "Numéro de l’énoncé", "Énoncé", "Réponse", "Étape proposée"]
    assert len(rows) == 5  # one row per statement, answered or not
    assert rows[2][1:4] == ["1.2", "We report yearly.", "Starting"] and rows[2][5:8] == ["oui", "Ana", "2027-03-31"]
    assert rows[4][3] == ""  # data.2 was left blank


def test_the_plan_page_prints_what_was_picked_and_a_bad_date_keeps_everything(client, tool):
    doc = tree(post(client, {**ANSWERS, "action": "plan", "plan": "lead.1", "owner:lead.1": "Ana"}))
    rows = [[text_of(c) for c in tr.xpath("./th|./td")]
            for tr in doc.xpath("//table[contains(@class,'plan-table')]//tbody/tr")]
    assert rows == [["1.1 We have a policy.", "Not yet", "—", "Ana", "—", "—"]]
    assert doc.xpath("//link[@media='print']/@href")  # the print stylesheet
    resp = post(client, {**ANSWERS, "plan": "lead.1", "owner:lead.1": "Ana", "due:lead.1": "soon"})
    assert resp.status_code == 400
    doc = tree(resp)
    assert "“soon” is not a date" in text_of(doc.xpath("//div[@class='error-summary']")[0])
    assert doc.xpath("//input[@name='owner:lead.1']/@value") == ["Ana"]
    assert doc.xpath("//input[@name='plan' and @value='lead.1']/@checked")
    assert post(client, {**ANSWERS, "action": "plan", "plan": "data.1"}).status_code == 400  # not a priority


def test_plan_downloads_refuse_a_missing_csrf_token_and_tampered_answers(client, tool):
    assert client.post("/en/resources/tool/assessment/plan.docx", data=ANSWERS).status_code == 400
    with client.post("/en/resources/tool/assessment/plan.csv", data={"csrf_token": csrf(client), "lead.1": "9"}) as r:
        assert r.status_code == 400 and "These answers could not be read" in r.get_data(as_text=True)


def test_a_member_saves_the_plan_with_the_result(client, tool, make_user, login_as):
    login_as(make_user())
    resp = post(client, {**ANSWERS, "action": "save", "plan": "lead.1", "owner:lead.1": "Ana",
                         "due:lead.1": "2027-03-31"})
    doc = tree(client.get(resp.headers["Location"]))
    assert doc.xpath("//input[@name='owner:lead.1']/@value") == ["Ana"]
    assert doc.xpath("//input[@name='due:lead.1']/@value") == ["2027-03-31"]
    assert doc.xpath("//input[@name='plan' and @value='lead.1']/@checked")
