"""GET /api/v1/resources and /api/v1/suggest: the contract's shapes, strict
parameters with errors that name them, and the asker's view only."""
import pytest

RESULT_KEYS = {"slug", "title", "type", "summary", "racism_types", "audiences", "topics", "language", "region",
               "year", "organization", "url", "files", "score", "publisher", "titles", "summaries"}


@pytest.fixture
def corpus(make_resource):
    make_resource(slug="one", title="Housing toolkit", region="on", published="2021-02-03",
                  url="https://example.org/one")
    make_resource(slug="two", title="Housing guide", type="guide", region="qc", language="fr",
                  summary="Guide du logement.")
    make_resource(slug="secret", title="Housing members notes", access="members", region="yt")


def test_results_and_facets_as_the_contract_says(client, corpus):
    data = client.get("/api/v1/resources?q=housing&region=on&region=qc&per_page=1").get_json()
    assert set(data) == {"total", "page", "per_page", "results", "facets"}
    assert (data["total"], data["page"], data["per_page"]) == (2, 1, 1)
    assert len(data["results"]) == 1
    first = data["results"][0]
    assert set(first) == RESULT_KEYS
    assert isinstance(first["score"], float) and first["year"] in (2021, 2022)
    assert set(data["facets"]) == {"type", "racism_type", "audience", "language", "region", "year", "publisher"}
    region = {f["value"]: f for f in data["facets"]["region"]}
    assert set(region) == {"on", "qc"} and region["on"]["count"] == 1 and region["on"]["label"] == "Ontario"
    assert all(set(f) == {"value", "label", "count"} for facet in data["facets"].values() for f in facet)
    second = client.get("/api/v1/resources?q=housing&region=on&region=qc&per_page=1&page=2").get_json()
    assert {first["slug"], second["results"][0]["slug"]} == {"one", "two"}


def test_browse_sorts_newest_first_without_scores(client, corpus):
    data = client.get("/api/v1/resources").get_json()
    assert [r["slug"] for r in data["results"]] == ["two", "one"]
    assert all(r["score"] is None for r in data["results"])
    assert data["per_page"] == 20


def test_labels_follow_accept_language(client, corpus):
    data = client.get("/api/v1/resources", headers={"Accept-Language": "fr-CA"}).get_json()
    assert {f["value"]: f["label"] for f in data["facets"]["language"]} == {"en": "Anglais", "fr": "Français"} \
        or {f["value"]: f["label"] for f in data["facets"]["language"]}["fr"].lower() == "français"


def test_the_asker_sees_their_own_view(client, corpus, make_user, login_as):
    assert client.get("/api/v1/resources?q=members").get_json()["total"] == 0
    login_as(make_user("member"))
    data = client.get("/api/v1/resources?q=members").get_json()
    assert [r["slug"] for r in data["results"]] == ["secret"]


@pytest.mark.parametrize("query, parameter", [
    ("page=abc", "page"), ("page=0", "page"), ("page=-1", "page"), ("page=99999999999", "page"),
    ("per_page=0", "per_page"), ("per_page=101", "per_page"), ("per_page=x", "per_page"),
    ("type=nope", "type"), ("racism_type=anti-everything", "racism_type"), ("year=20x1", "year"),
    ("region=ON", "region"), ("sort=best", "sort"), ("q=" + "x" * 501, "q"),
])
def test_bad_parameters_are_400s_naming_them(client, corpus, query, parameter):
    response = client.get(f"/api/v1/resources?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"} and error["message"].startswith(parameter + ":")


def test_good_edge_values(client, corpus):
    assert client.get("/api/v1/resources?per_page=100").status_code == 200
    far = client.get("/api/v1/resources?page=9999999")
    assert far.status_code == 200 and far.get_json()["results"] == [] and far.get_json()["total"] == 2
    assert client.get("/api/v1/resources?q=" + "(" * 400).status_code == 200


def test_errors_under_api_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    response = client.post("/api/v1/resources")
    assert response.status_code in (400, 405) and "error" in response.get_json()


def test_suggest(client, corpus, make_user, login_as):
    data = client.get("/api/v1/suggest?q=hous&lang=en").get_json()
    assert {t["slug"] for t in data["titles"]} == {"one", "two"}
    assert all(t["url"] == f"/en/resources/{t['slug']}" for t in data["titles"])
    labels = client.get("/api/v1/suggest?q=ontar&lang=fr").get_json()["labels"]
    assert labels == [{"facet": "region", "value": "on", "label": "Ontario", "count": 1,
                       "url": "/fr/search?region=on"}]
    assert client.get("/api/v1/suggest?q=yuk").get_json()["labels"] == []
    assert client.get("/api/v1/suggest?q=").get_json() == {"query": "", "titles": [], "labels": []}
    login_as(make_user("member"))
    assert "secret" in {t["slug"] for t in client.get("/api/v1/suggest?q=housing m").get_json()["titles"]}
    assert client.get("/api/v1/suggest?q=yuk").get_json()["labels"][0]["value"] == "yt"
