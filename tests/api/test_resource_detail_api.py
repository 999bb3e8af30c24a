"""GET /api/v1/resources/<slug> and /api/v1/vocabularies: every field, and
the hidden or unknown as the same JSON 404."""
import pytest
from flask import g

from hub.services import tokens
from hub.vocabularies import NAMES, load_vocabularies

DETAIL_FIELDS = {"slug", "title", "type", "summary", "racism_types", "audiences", "topics", "language", "region",
                 "year", "organization", "url", "files", "authors", "published", "access", "translation",
                 "content_warning", "body_html", "updated_at", "usage", "links", "publisher", "titles", "summaries"}


@pytest.fixture
def pair(make_resource, tmp_path):
    en = make_resource(slug="hiring", title="Hiring Without Bias", translation="embaucher", authors="[A. Person]",
                       url="https://example.org/toolkit", content_warning="describes racist violence",
                       topics="[hiring, workplace policy]", body="# Why\n\nBecause <script>x()</script> fairness.\n")
    fr = make_resource(slug="embaucher", title="Embaucher sans biais", language="fr", translation="hiring",
                       published="2021")
    return en, fr


def test_every_field_of_a_resource(client, pair):
    resp = client.get("/api/v1/resources/hiring")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    data = resp.get_json()
    assert set(data) == DETAIL_FIELDS
    assert data["slug"] == "hiring" and data["title"] == "Hiring Without Bias"
    assert data["type"] == "toolkit"
    assert data["summary"] == "Practices for employers in small municipalities."
    assert data["racism_types"] == ["anti-black", "systemic"]
    assert data["audiences"] == ["employers", "lip-staff"]
    assert data["topics"] == ["hiring", "workplace policy"]
    assert data["language"] == "en" and data["region"] == "ab" and data["year"] == 2022
    assert data["organization"] == "Calgary Local Immigration Partnership"
    assert data["url"] == "https://example.org/toolkit"
    assert data["files"] == []
    assert data["authors"] == ["A. Person"]
    assert data["published"] == "2022-03-15"
    assert data["access"] == "public"
    assert data["translation"] == "embaucher"
    assert data["content_warning"] == "describes racist violence"
    assert "<script" not in data["body_html"] and "fairness" in data["body_html"]
    assert data["updated_at"].endswith("Z")
    assert data["links"] == {"self": "http://localhost/api/v1/resources/hiring",
                             "html": {"en": "http://localhost/en/resources/hiring",
                                      "fr": "http://localhost/fr/resources/hiring"}}
    fr = client.get("/api/v1/resources/embaucher").get_json()
    assert fr["published"] == "2021" and fr["year"] == 2021 and fr["url"] is None and fr["translation"] == "hiring"
    assert data["usage"] == {"views": 0, "downloads": 0, "this_month": {"views": 0, "downloads": 0}}


def test_usage_counts_people_not_the_api_itself(client, pair):
    browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"}
    client.get("/en/resources/hiring", headers=browser)
    client.get("/fr/resources/hiring", headers=browser)
    client.get("/en/resources/hiring", headers={"User-Agent": "Googlebot/2.1"})
    for _ in range(3):
        client.get("/api/v1/resources/hiring", headers=browser)
    usage = client.get("/api/v1/resources/hiring").get_json()["usage"]
    assert usage == {"views": 2, "downloads": 0, "this_month": {"views": 2, "downloads": 0}}


def test_files_are_listed_with_their_download_address(client, tmp_path):
    from hub.services.resources import import_documents
    from tests.conftest import resource_text

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "list.txt").write_text("A checklist", encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(slug="dl", files="[files/list.txt]"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    files = client.get("/api/v1/resources/dl").get_json()["files"]
    assert files == [{"filename": "list.txt", "media_type": "text/plain", "size": 11,
                      "url": "http://localhost/resources/dl/files/list.txt"}]
    with client.get(files[0]["url"].replace("http://localhost", "")) as download:
        assert download.data == b"A checklist"


def test_hidden_and_unknown_are_the_same_404(client, make_resource):
    make_resource(slug="secret", access="members", translation="public-one")
    make_resource(slug="public-one", translation="secret")
    hidden, missing = client.get("/api/v1/resources/secret"), client.get("/api/v1/resources/nope")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json() == {"error": {"code": "not_found", "message": "Not found."}}
    assert hidden.mimetype == "application/json"
    # The public translation does not reveal the hidden one.
    assert client.get("/api/v1/resources/public-one").get_json()["translation"] is None


def test_a_members_token_sees_members_resources(client, make_resource, make_user):
    make_resource(slug="secret", title="Staff notes", access="members")
    member = make_user("member")
    _token, secret = tokens.create_token(member, "Portal")
    resp = client.get("/api/v1/resources/secret", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 200 and resp.get_json()["access"] == "members"
    assert resp.headers["Cache-Control"].startswith("private")
    tokens.revoke_token(member, _token.id)
    resp = client.get("/api/v1/resources/secret", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "unauthorized"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer hub_unknown", "Bearer ", "Basic dXNlcjpwYXNz", "hub_token-alone"])
def test_bad_authorization_is_401_never_the_anonymous_view(client, make_resource, header):
    make_resource(slug="open")
    resp = client.get("/api/v1/resources/open", headers={"Authorization": header})
    assert resp.status_code == 401
    assert set(resp.get_json()["error"]) == {"code", "message"}


def test_a_session_also_gives_the_members_view(client, make_resource, make_user, login_as):
    make_resource(slug="secret", access="members")
    assert client.get("/api/v1/resources/secret").status_code == 404
    g.pop("_login_user", None)  # the test's app context outlives the request; a server's does not
    login_as(make_user("member"))
    assert client.get("/api/v1/resources/secret").status_code == 200


def test_vocabularies_with_both_languages(client):
    resp = client.get("/api/v1/vocabularies")
    assert resp.status_code == 200
    data = resp.get_json()["vocabularies"]
    vocab = load_vocabularies()
    assert set(data) == set(NAMES)
    for name in NAMES:
        assert [t["key"] for t in data[name]] == vocab.keys(name)
        for term in data[name]:
            assert term["labels"]["en"] and term["labels"]["fr"], (name, term["key"])
    anti_muslim = next(t for t in data["racism_types"] if t["key"] == "anti-muslim")
    assert anti_muslim["labels"] == {"en": "Anti-Muslim racism", "fr": "Racisme anti-musulman"}
    assert "Islamophobia" in anti_muslim["alt_labels"]["en"]
    assert anti_muslim["descriptions"]["fr"]
