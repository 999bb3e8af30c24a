"""What the OpenAPI document promises holds at the edges a generated client
or a fuzzer tries: only en/fr for ``lang``, one non-empty ``page``, 414 documented."""
import pytest

from hub.api.openapi import openapi_document


@pytest.mark.parametrize("query", ["lang=xx", "lang=", "lang=en&lang=fr", "lang=EN"])
def test_suggest_refuses_a_language_the_document_does_not_list(client, query):
    response = client.get(f"/api/v1/suggest?q=hous&{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("lang:")


def test_suggest_accepts_the_listed_languages(client, make_resource):
    make_resource(slug="one", title="Housing toolkit")
    for lang in ("en", "fr"):
        response = client.get(f"/api/v1/suggest?q=hous&lang={lang}")
        assert response.status_code == 200
        assert response.get_json()["titles"][0]["url"].startswith(f"/{lang}/")


@pytest.mark.parametrize("query, parameter", [
    ("page=", "page"), ("page=1&page=2", "page"), ("page=2&page=2", "page"), ("per_page=", "per_page"),
    ("per_page=5&per_page=6", "per_page"),
])
def test_empty_or_repeated_page_is_a_400(client, query, parameter):
    response = client.get(f"/api/v1/resources?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(parameter + ":")


def test_the_search_page_stays_lenient_about_page(client):
    assert client.get("/en/search?page=&page=3").status_code == 200


def test_414_is_documented_for_every_operation():
    document = openapi_document("http://localhost/api/v1")
    for path, item in document["paths"].items():
        assert "414" in item["get"]["responses"], path


def test_a_too_long_url_is_a_json_414(client):
    response = client.get("/api/v1/resources?" + "&".join(["region=on"] * 500))
    assert response.status_code == 414
    assert response.get_json()["error"]["code"]
