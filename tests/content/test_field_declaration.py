"""A field is added in one place: the declaration (hub/content/fields.py).

Here a `funding` field is added to the declaration alone (no column: it is
kept in `Resource.extras`) and every channel picks it up: the validator, the
import, the exporter, the API and its OpenAPI document, the submission form,
the review's diff and the editorial history."""
from __future__ import annotations

import pytest

from hub.content import fields as declared
from hub.content.fields import FieldSpec
from hub.content.frontmatter import parse_text
from hub.content.validation import validate
from hub.extensions import db
from hub.models import Resource
from hub.services import drafts, history, review, submission_compare
from hub.services.resources import export_resources
from hub.vocabularies import load_vocabularies
from tests.conftest import resource_text

FUNDING = FieldSpec("funding", "text", "Funding", "Who paid for the work.", limit=100, storage="extra",
                    form_group="about", api="list", dublin_core="contributor", example="Canadian Heritage")


@pytest.fixture
def funding(monkeypatch):
    monkeypatch.setattr(declared, "FIELDS", (*declared.FIELDS, FUNDING))


def test_the_new_field_is_validated(funding):
    doc = parse_text(resource_text(funding="Canadian Heritage"), "x.md")
    result = validate(doc, load_vocabularies())
    assert result.ok and result.fields.extras == {"funding": "Canadian Heritage"}
    too_long = validate(parse_text(resource_text(funding="x" * 101), "x.md"), load_vocabularies())
    assert [p.message for p in too_long.problems] == ["funding is 101 characters long; the limit is 100"]


def test_without_the_declaration_the_key_is_unknown():
    result = validate(parse_text(resource_text(funding="Canadian Heritage"), "x.md"), load_vocabularies())
    assert [p.message for p in result.problems] == ["unknown front-matter key 'funding'"]


def test_the_new_field_is_stored_exported_and_served(funding, app, make_resource, client, tmp_path):
    make_resource(slug="funded", funding="Canadian Heritage")
    resource = db.session.query(Resource).filter_by(slug="funded").one()
    assert resource.extras == {"funding": "Canadian Heritage"}

    export_resources(tmp_path / "out")
    assert "\nfunding: Canadian Heritage\n" in (tmp_path / "out" / "funded.md").read_text(encoding="utf-8")

    detail = client.get("/api/v1/resources/funded").get_json()
    assert detail["funding"] == "Canadian Heritage"
    listed = client.get("/api/v1/resources").get_json()["results"]
    assert listed[0]["funding"] == "Canadian Heritage"
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schemas["SearchResult"]["properties"]["funding"]["type"] == ["string", "null"]
    assert "funding" in schemas["ResourceDetail"]["properties"]

    oai = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:funded").get_data(
        as_text=True)
    assert "<dc:contributor>Canadian Heritage</dc:contributor>" in oai


def test_the_new_field_is_in_the_form_the_review_diff_and_the_history(funding, app, make_resource, make_user,
                                                                       login_as, client):
    author, editor = make_user("member"), make_user("editor")
    make_resource(slug="funded", funding="Canadian Heritage")
    data, _ = drafts.new_submission_data(author, "funded")
    assert data["funding"] == "Canadian Heritage"
    result = drafts.save_submission(author, None, {**data, "funding": "IRCC"}, intent="submit",
                                         edit_slug="funded")
    assert result.submitted, result.all_problems
    diff = {c.key: c for c in submission_compare.compare(result.submission)}
    assert set(diff) == {"funding"}
    assert (diff["funding"].before, diff["funding"].after) == ("Canadian Heritage", "IRCC")

    login_as(editor)
    page = client.get(f"/en/review/{result.submission.id}").get_data(as_text=True)
    assert "Funding" in page and "IRCC" in page
    review.review_submission(editor, result.submission.id, "publish", version=result.submission.version)
    found = history.resource_history(editor, "funded")
    assert "funding" in found.versions[0].changed
    assert db.session.query(Resource).filter_by(slug="funded").one().extras == {"funding": "IRCC"}

    form = client.get("/en/submit").get_data(as_text=True)
    assert 'name="funding"' in form


def test_the_review_form_follows_the_declaration_whichever_form_was_built_first(app, monkeypatch):
    """The review page's form is a subclass of the submission form: each keeps
    its own declared fields, built in either order, before and after a change
    of the declaration (a 500 on the review page otherwise)."""
    from hub.forms.review_details import ReviewDetailsForm
    from hub.forms.submissions import SubmissionForm

    with app.test_request_context():
        assert "funding" not in SubmissionForm(formdata=None) and "funding" not in ReviewDetailsForm(formdata=None)
        monkeypatch.setattr(declared, "FIELDS", (*declared.FIELDS, FUNDING))
        assert "funding" in SubmissionForm(formdata=None)
        assert "funding" in ReviewDetailsForm(formdata=None)
        monkeypatch.undo()
        assert "funding" not in ReviewDetailsForm(formdata=None)
        assert "funding" not in SubmissionForm(formdata=None)
