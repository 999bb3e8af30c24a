"""Invisible characters: a title with U+0001 or a summary with U+000B, once
published, made the Atom feed and OAI-PMH answer 500 to every reader (lxml
refuses the character); ``?q=%00`` and ``?verb=%00`` were 500s too, and a
title with a line break made the submission mail fail."""
from __future__ import annotations

from lxml import etree

from tests.conftest import resource_text
from tests.flows import mail_to
from tests.security.hostile import post_submission


def _xml(response):
    assert response.status_code == 200, response.status_code
    return etree.fromstring(response.data)


def _publish(client, make_user, login_as, **fields):
    login_as(make_user("editor"))
    response = post_submission(client, action="publish", **fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response


def test_control_characters_in_a_published_submission_are_removed_and_named(client, make_user, login_as):
    response = _publish(client, make_user, login_as, title="Hiring\x01 Without Bias",
                        summary="Practices\x0b for employers.", body="Text\x1b with an escape.")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "removed from: Title, Summary, Text" in page
    assert "Hiring Without Bias" in page and "Practices for employers." in page

    feed = _xml(client.get("/feed.atom"))
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Hiring Without Bias" in titles
    records = _xml(client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc"))
    assert "Hiring Without Bias" in etree.tostring(records, encoding="unicode")
    api = client.get("/api/v1/resources?q=hiring")
    assert api.status_code == 200 and "Hiring Without Bias" in api.get_data(as_text=True)


def test_feed_and_oai_survive_text_stored_before_cleaning(app, client, make_resource):
    from hub.extensions import db
    resource = make_resource(title="Clean for now", slug="stored-dirty")
    resource.title = "Stored\x01 title"
    resource.summary = "Stored\x0b summary"
    resource.topics = ["topic\x02"]
    db.session.commit()

    feed = _xml(client.get("/feed.atom"))
    assert "Stored title" in etree.tostring(feed, encoding="unicode")
    records = _xml(client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc"))
    text = etree.tostring(records, encoding="unicode")
    assert "Stored title" in text and "Stored summary" in text
    identifier = records.findtext(".//{http://www.openarchives.org/OAI/2.0/}identifier")
    record = _xml(client.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier}"))
    assert "Stored title" in etree.tostring(record, encoding="unicode")
    assert client.get("/en/resources/stored-dirty").status_code == 200
    assert _xml(client.get("/sitemap.xml")) is not None


def test_nul_and_controls_in_query_parameters_are_not_errors(client, make_resource):
    make_resource(title="Equity at work", slug="equity-at-work")
    assert _xml(client.get("/feed.atom?q=%00")) is not None
    assert _xml(client.get("/feed.atom?q=equity%01&lang=%00")) is not None
    oai = _xml(client.get("/oai?verb=%00"))
    assert oai.find("{http://www.openarchives.org/OAI/2.0/}error").get("code") == "badVerb"
    assert _xml(client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=%00%0b")) is not None
    assert _xml(client.post("/oai", data={"verb": "Identify\x00"})) is not None
    for path in ("/en/search?q=%00", "/en/search?q=equity%0b", "/api/v1/resources?q=%00&type=%01",
                 "/api/v1/suggest?q=%00", "/en/browse?region=%00"):
        response = client.get(path)
        assert response.status_code < 500, path
    found = client.get("/api/v1/resources?q=equity%00").get_json()
    assert any(hit["slug"] == "equity-at-work" for hit in found["results"])


def test_a_line_break_in_a_title_cannot_break_or_inject_into_the_mail(app, client, make_user, login_as):
    author = login_as(make_user("member"))
    make_user("editor", email="editor@example.org")
    response = post_submission(client, action="submit", title="Hiring\r\nBcc: victim@example.org\nWithout Bias")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    received = mail_to(app, author.email)
    assert received, "the author's mail was not sent"
    subject = received[-1]["Subject"]
    assert "\n" not in subject and "\r" not in subject and "Hiring Bcc: victim@example.org Without Bias" in subject
    for message in received + mail_to(app, "editor@example.org"):
        assert message["Bcc"] is None
    assert not mail_to(app, "victim@example.org")


def test_import_removes_control_characters_and_says_so(app, runner, tmp_path):
    (tmp_path / "dirty.md").write_text(resource_text(
        slug="dirty", title='"Dirty\\x01 title"', summary='"A summary\\x0b with a vertical tab."',
        body="Body\x07 with a bell.\n"), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "title: invisible control characters" in result.output
    assert "body: invisible control characters" in result.output
    from hub.extensions import db
    from hub.models import Resource
    resource = db.session.query(Resource).filter_by(slug="dirty").one()
    assert resource.title == "Dirty title" and resource.summary == "A summary with a vertical tab."
    assert "\x07" not in resource.body and "Body with a bell." in resource.body_html
