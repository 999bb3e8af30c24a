"""Property: whatever a member types in any field of a submission (any
Unicode, control characters, line breaks, very long values), once an editor
publishes it, every channel answers without a server error, the XML channels
stay well-formed, and the text (less the characters no field may hold)
is not lost: page, search, API, feed, sitemap, OAI-PMH and the mail."""
from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from hub.textclean import clean_text
from tests.flows import outbox, post_form
from tests.security.hostile import post_submission, submission_id

#: Hostile characters: C0/C1 controls, line and paragraph separators, a BOM,
#: zero-width and bidi marks, combining accents, non-characters, astral symbols.
SPECIAL = ("\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f\r\n\t\u2028\u2029\ufeff\u200b\u200d\u202e"
           "\u0301\u0327\ufffe\uffff\U0001f600\U0010fffd<>&\"'[]()*_`#|\\")
TEXT = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL),
                                  st.characters(blacklist_categories=("Cs",))), max_size=60)
HUGE = st.builds(lambda chunk, n: chunk * n, TEXT.filter(bool), st.integers(min_value=200, max_value=3_000))
FREE_FIELDS = ("title", "summary", "topics", "organization", "authors", "content_warning", "body")
counter = itertools.count(1)
VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


def _login(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def _xml(response):
    assert response.status_code == 200, response.status_code
    return etree.fromstring(response.data)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


@pytest.fixture
def people(app, make_user):
    from hub.services import indexing
    indexing.rebuild_index()
    member, editor = make_user("member"), make_user("editor")
    member_client, editor_client = app.test_client(), app.test_client()
    _login(member_client, member)
    _login(editor_client, editor)
    return member, member_client, editor_client


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(values=st.fixed_dictionaries(dict.fromkeys(FREE_FIELDS, TEXT)), huge=HUGE,
       huge_field=st.sampled_from(("body", "summary", "authors", "topics")))
def test_hostile_fields_survive_every_channel(app, people, values, huge, huge_field):
    member, member_client, editor_client = people
    n = next(counter)
    marker = f"zqxmarker{n}"
    fields = {name: (value or "") for name, value in values.items()}
    fields["title"] = f"{fields['title'][:200]} {marker}"
    fields["summary"] = f"{fields['summary'][:400]} {marker} summary"
    fields["organization"] = f"{fields['organization'][:100]} Org"
    fields["body"] = f"{fields['body']}\n\nparagraph {marker}\n"
    fields[huge_field] = (fields[huge_field] + huge)[: 600 if huge_field == "summary" else 200_000]
    fields["slug"] = f"hostile-{n}"

    response = post_submission(member_client, action="submit", **fields)
    assert response.status_code < 500
    if response.status_code != 302:
        # Refused with messages on the fields (a value over a limit): nothing typed is lost.
        page = response.get_data(as_text=True)
        assert marker in page
        return
    sub_id = submission_id(response)
    review = editor_client.get(f"/en/review/{sub_id}")
    assert review.status_code == 200
    match = VERSION_RE.search(review.get_data(as_text=True))
    response = post_form(editor_client, f"/en/review/{sub_id}",
                         {"action": "publish", "message": "", "version": match.group(1) or match.group(2)},
                         page=f"/en/review/{sub_id}")
    assert response.status_code < 500
    if response.status_code != 302:
        assert marker in response.get_data(as_text=True)
        return

    from hub.extensions import db
    from hub.models import Resource
    resource = db.session.query(Resource).filter_by(slug=f"hostile-{n}").one()
    expected_title = " ".join(clean_text(fields["title"], multiline=False).split())
    assert " ".join(resource.title.split()) == expected_title
    assert clean_text(fields["body"]).strip("\n") == resource.body

    page = editor_client.get(f"/en/resources/hostile-{n}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert marker in text and f"paragraph {marker}" in text
    for word in _words(clean_text(fields["body"]))[:20]:
        assert word in text

    # An incremental index write can fail in Whoosh's segment merge whatever the
    # text (a bug of the index, reported apart); the hub then rebuilds in the
    # background. Wait for a fresh index so this test judges the text alone.
    from hub.services import indexing
    indexing.ensure_index_fresh()
    assert marker in editor_client.get(f"/en/search?q={marker}").get_data(as_text=True)
    api = editor_client.get(f"/api/v1/resources?q={marker}")
    assert api.status_code == 200 and any(h["slug"] == f"hostile-{n}" for h in api.get_json()["results"])
    assert editor_client.get(f"/api/v1/resources/hostile-{n}").status_code == 200

    feed = etree.tostring(_xml(editor_client.get("/feed.atom")), encoding="unicode")
    assert marker in feed
    _xml(editor_client.get("/sitemap.xml"))
    records = etree.tostring(_xml(editor_client.get(
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:hostile-{n}")), encoding="unicode")
    listed = etree.tostring(_xml(editor_client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc")),
                            encoding="unicode")
    assert marker in records or marker in listed

    mails = [m for m in outbox(app) if m["To"] == member.email and marker in str(m["Subject"])]
    assert len(mails) >= 2  # received, then published
    for message in mails:
        assert "\n" not in str(message["Subject"]) and message["Bcc"] is None
        assert marker in message.get_content()
