"""What every /api/ answer promises: JSON errors (never HTML), ETag and 304,
CORS for any origin without credentials, a rate limit answered with 429."""
import pytest

from tests.conftest import _make_app

ENDPOINTS = ["/api/v1/vocabularies", "/api/v1/openapi.json", "/api/v1/resources/open"]


@pytest.fixture
def open_resource(make_resource):
    return make_resource(slug="open")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_etag_and_conditional_requests(client, open_resource, path):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_the_etag_changes_when_the_resource_does(client, make_resource):
    make_resource(slug="open", title="Before")
    etag = client.get("/api/v1/resources/open").headers["ETag"]
    make_resource(slug="open", title="After")
    resp = client.get("/api/v1/resources/open", headers={"If-None-Match": etag})
    assert resp.status_code == 200 and resp.get_json()["title"] == "After"


@pytest.mark.parametrize("path", [*ENDPOINTS, "/api/v1/resources/missing", "/api/v1/nowhere"])
def test_cors_lets_any_origin_read_without_credentials(client, open_resource, path):
    resp = client.get(path, headers={"Origin": "https://portal.example.ca"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in resp.headers
    assert "ETag" in resp.headers["Access-Control-Expose-Headers"]
    assert {"Authorization", "Accept-Language"} <= {v.strip() for v in resp.headers["Vary"].split(",")}


def test_preflight_allows_the_authorization_header(client):
    resp = client.options("/api/v1/vocabularies", headers={
        "Origin": "https://portal.example.ca", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert resp.status_code in (200, 204)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/v1/nowhere", 404, "not_found"),
    ("get", "/api/v1/resources/missing", 404, "not_found"),
    ("post", "/api/v1/vocabularies", 405, "method_not_allowed"),
    ("delete", "/api/v1/resources/open", 405, "method_not_allowed"),
    ("put", "/api/v1/openapi.json", 405, "method_not_allowed"),
])
def test_errors_are_json_never_html(client, open_resource, method, path, status, code):
    resp = getattr(client, method)(path)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    assert b"<html" not in resp.data.lower()
    if status == 405:
        assert "GET" in resp.headers["Allow"]


@pytest.mark.parametrize("store", ["memory", "shared"])
def test_too_many_requests_is_a_json_429(tmp_path, db_engine, request, store):
    """Counted in the process for memory:// storage, else in Flask-Limiter's
    store (here its memory store stands in for Redis: only the path differs)."""
    from tests.conftest import _database_overrides, _dispose

    app = _make_app(tmp_path / "limited", API_RATE_LIMIT="3 per minute",
                    **_database_overrides(db_engine, request))
    if store == "shared":
        app.config["RATELIMIT_STORAGE_URI"] = "redis://stands-in.invalid:6379"
    try:
        client = app.test_client()
        statuses = [client.get("/api/v1/vocabularies").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        resp = client.get("/api/v1/vocabularies")
        assert resp.status_code == 429 and resp.mimetype == "application/json"
        assert resp.get_json()["error"]["code"] == "too_many_requests"
        assert int(resp.headers["Retry-After"]) >= 1
        assert resp.headers["X-RateLimit-Remaining"] == "0"
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        # Another client (a token holder is counted apart from the address) is not held back.
        other = client.get("/api/v1/vocabularies", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 200
        # Refused tokens count too: guessing is limited like any other request.
        guesses = [client.get("/api/v1/vocabularies", headers={"Authorization": "Bearer hub_guess"},
                              environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code for _ in range(4)]
        assert guesses == [401, 401, 401, 429]
    finally:
        _dispose(app)


def test_unexpected_failures_are_json_500(app, client, monkeypatch):
    from hub.vocabularies import Vocabularies

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(Vocabularies, "as_dict", broken)
    resp = client.get("/api/v1/vocabularies")
    assert resp.status_code == 500 and resp.get_json()["error"]["code"] == "internal_error"
    assert "boom" not in resp.get_data(as_text=True)
