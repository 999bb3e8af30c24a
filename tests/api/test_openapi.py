"""The OpenAPI document: valid OpenAPI 3.1, complete (every route of the API
blueprint, every parameter), and true: schemathesis calls every operation
through WSGI with generated parameters and checks each answer against it."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from tests.conftest import _make_app


def test_the_document_is_valid_openapi_3_1(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)
    assert doc["servers"] == [{"url": "http://localhost/api/v1"}]


def test_every_api_route_is_documented(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.rule.startswith("/api/v1"):
            path = rule.rule[len("/api/v1"):].replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method))
    assert routes and routes <= documented


def test_every_error_status_has_the_error_schema(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        for op in ops.values():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


@pytest.mark.parametrize("lang, title", [("en", "API and data feeds"), ("fr", "API et fils de données")])
def test_the_api_docs_page_exists_in_both_languages(client, lang, title):
    resp = client.get(f"/{lang}/api")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert "/api/v1/openapi.json" in html and "/feed.atom" in html and "/oai" in html


# -- property-based: schemathesis against the live document ---------------------------
@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    """A small catalogue, public and members-only, for generated requests."""
    from hub.services.resources import import_documents
    from tests.conftest import _dispose, resource_text

    folder = tmp_path_factory.mktemp("schemathesis")
    app = _make_app(folder / "data", API_RATE_LIMIT="")
    src = folder / "src"
    src.mkdir()
    samples = [{"slug": "hiring", "title": "Hiring Without Bias"},
               {"slug": "embaucher", "title": "Embaucher sans biais", "language": "fr", "type": "guide",
                    "racism_types": "[anti-muslim]", "region": "qc", "published": "2019"},
               {"slug": "staff", "title": "Staff notes", "access": "members", "type": "report"}]
    for fields in samples:
        (src / f"{fields['slug']}.md").write_text(resource_text(**fields), encoding="utf-8")
    with app.app_context():
        assert not import_documents([src]).rejected
    yield app
    _dispose(app)


#: Generated requests per operation: enough to find a crash, bounded so the suite stays fast.
EXAMPLES_PER_OPERATION = 60


def test_no_request_breaks_the_api_or_its_schema(api_app):
    """Every operation, every generated parameter combination: no 5xx, every
    status documented, every body valid against its schema, JSON content type."""
    from hypothesis import given

    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /resources/{slug}", "GET /vocabularies"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            with api_app.app_context():
                # The WSGI transport hands back bytes as sent; the app compresses for
                # clients that ask (urllib3 asks for zstd/br when those are installed).
                response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
            assert response.status_code < 500

        check()


def test_the_search_parameters_documented_are_the_ones_read(client):
    from hub.search.schema import FACETS

    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {p["name"] for p in doc["paths"]["/resources"]["get"]["parameters"]}
    assert documented == {"q", "sort", "page", "per_page", *FACETS}
    facet_keys = set(doc["components"]["schemas"]["SearchResponse"]["properties"]["facets"]["properties"])
    assert facet_keys == set(FACETS)
