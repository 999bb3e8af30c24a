"""The search page and the API are two views of one search: for the same
parameters they agree on the results, the total and the facet values (labels
included), over the whole curated catalogue, for hand-picked and generated
parameter combinations, anonymous and member. The page shows a resource and
its translation as one work (the edition in the page's language when both
match) and counts works; the API lists and counts editions. So the page's
list is the API's complete list with those editions left out, and a facet
value counts at most as many works on the page as editions in the API."""
from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html as lxml_html

from hub.vocabularies import load_vocabularies

FACETS = ("type", "racism_type", "audience", "language", "region", "year")


def page_view(client, query: list[tuple[str, str]], lang: str = "en") -> dict:
    resp = client.get(f"/{lang}/search?" + urlencode(query))
    assert resp.status_code == 200
    doc = lxml_html.fromstring(resp.data)
    heading = doc.get_element_by_id("results-heading").text_content()
    digits = re.sub(r"[^\d]", "", heading)
    total = int(digits) if digits else 0
    facets = {}
    for name in FACETS:
        values = []
        for item in doc.xpath(f'//fieldset[@id="facet-{name}"]//li'):
            box = item.xpath(".//input")[0]
            label = item.xpath(".//label")[0]
            count = int(re.sub(r"[^\d]", "", label.xpath('.//span[@class="count"]')[0].text_content()))
            text = label.text_content().rsplit("(", 1)[0].strip()
            values.append((box.get("value"), text, count))
        facets[name] = sorted(values)
    slugs = [a.get("href").rsplit("/", 1)[-1] for a in doc.xpath('//ol[contains(@class, "result-list")]//h3//a')]
    return {"total": total, "facets": facets, "slugs": slugs}


def api_view(client, query: list[tuple[str, str]], lang: str = "en", headers: dict | None = None) -> dict:
    resp = client.get("/api/v1/resources?" + urlencode(query), headers={"Accept-Language": lang, **(headers or {})})
    assert resp.status_code == 200, resp.get_json()
    data = resp.get_json()
    facets = {name: sorted((v["value"], v["label"], v["count"]) for v in data["facets"][name]) for name in FACETS}
    return {"total": data["total"], "facets": facets, "slugs": [r["slug"] for r in data["results"]]}


PER_PAGE = 20


def _partners(app) -> dict[str, str]:
    """slug -> its edition in the other language (either side naming the other)."""
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import Resource

    with app.app_context():
        rows = db.session.execute(select(Resource.slug, Resource.translation, Resource.language)).all()
    language = {slug: lang for slug, _t, lang in rows}
    partner: dict[str, str] = {}
    for slug, named, lang in rows:
        if named in language and named != slug and language[named] != lang \
                and slug not in partner and named not in partner:
            partner[slug], partner[named] = named, slug
    return partner


def one_per_work(editions: list[tuple[str, str]], lang: str, partner: dict[str, str]) -> list[str]:
    """The API's editions (slug, language) as the page lists them."""
    present = {slug for slug, _ in editions}
    return [slug for slug, language in editions if not (partner.get(slug) in present and language != lang)]


def api_everything(client, query, lang: str, headers: dict | None) -> list[tuple[str, str]]:
    base = [(k, v) for k, v in query if k != "page"]
    found, page = [], 1
    while True:
        data = client.get("/api/v1/resources?" + urlencode([*base, ("per_page", "100"), ("page", str(page))]),
                          headers={"Accept-Language": lang, **(headers or {})}).get_json()
        found += [(r["slug"], r["language"]) for r in data["results"]]
        if len(found) >= data["total"] or not data["results"]:
            return found
        page += 1


def assert_agree(client, query, lang="en", headers=None):
    page, api = page_view(client, query, lang), api_view(client, query, lang, headers)
    shown = one_per_work(api_everything(client, query, lang, headers), lang, _partners(client.application))
    assert page["total"] == len(shown), query
    asked = str(dict(query).get("page", "1"))
    number = int(asked) if asked.isdigit() else 1
    number = min(max(number, 1), max(1, -(-len(shown) // PER_PAGE)))
    assert page["slugs"] == shown[(number - 1) * PER_PAGE:number * PER_PAGE], query
    # The page hides a facet with no values; the API lists it empty.
    for name in FACETS:
        assert [v[:2] for v in page["facets"][name]] == [v[:2] for v in api["facets"][name]], (query, name)
        api_counts = {v[0]: v[2] for v in api["facets"][name]}
        assert all(count <= api_counts[value] for value, _l, count in page["facets"][name]), (query, name)
    return api


CASES = [
    [],
    [("q", "racism")],
    [("q", "anti-Black racism")],
    [("q", "racisme")],
    [("q", "islamophobie")],
    [("q", "\"anti-racism\"")],
    [("q", "housing OR employment")],
    [("q", "racism -police")],
    [("type", "toolkit")],
    [("type", "toolkit"), ("type", "guide")],
    [("racism_type", "anti-indigenous"), ("language", "fr")],
    [("q", "strategy"), ("region", "on"), ("region", "qc")],
    [("audience", "municipalities"), ("type", "report"), ("type", "policy")],
    [("q", "équité")],
    [("q", "racism"), ("sort", "newest")],
    [("q", "racism"), ("sort", "title"), ("page", "2")],
    [("year", "2021"), ("year", "2022")],
    [("q", "zzzz-no-such-word")],
    [("q", "(")],
]


@pytest.fixture(scope="module")
def cat_client(catalogue_app):
    return catalogue_app.test_client()


@pytest.mark.parametrize("query", CASES, ids=lambda q: urlencode(q) or "browse")
def test_page_and_api_agree(cat_client, query):
    assert_agree(cat_client, query)


def test_they_agree_in_french_too(cat_client):
    api = assert_agree(cat_client, [("q", "racisme"), ("type", "guide")], lang="fr")
    assert api["total"] > 0


def test_agreement_is_not_vacuous(cat_client):
    api = assert_agree(cat_client, [("q", "racism")])
    assert api["total"] > 5 and len(api["slugs"]) == min(api["total"], 20)
    assert sum(count for _v, _l, count in api["facets"]["type"]) >= api["total"]
    page = page_view(cat_client, [])
    assert page["total"] < api_view(cat_client, [])["total"]  # the catalogue has translation pairs


def test_a_member_sees_the_same_on_both_with_a_session_and_a_token(catalogue_app, make_member_token):
    client, token = make_member_token()
    page = page_view(client, [("q", "working group")])
    api = api_view(catalogue_app.test_client(), [("q", "working group")],
                   headers={"Authorization": f"Bearer {token}"})
    anonymous = api_view(catalogue_app.test_client(), [("q", "working group")])
    shown = one_per_work(api_everything(catalogue_app.test_client(), [("q", "working group")], "en",
                                        {"Authorization": f"Bearer {token}"}), "en", _partners(catalogue_app))
    assert page["slugs"] == shown[:PER_PAGE] and page["total"] == len(shown)
    assert api["total"] > anonymous["total"]  # the catalogue has members-only working group documents


@pytest.fixture
def make_member_token(catalogue_app):
    def make():
        from hub.services import tokens
        from hub.services.users import create_user

        with catalogue_app.app_context():
            user = create_user(f"member-{uuid.uuid4().hex[:12]}@example.org", role="member",
                               password="correct horse battery staple")
            _token, secret = tokens.create_token(user, "agreement test")
            user_id = user.id
        client = catalogue_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
        return client, secret
    return make


def _vocab_values(name: str) -> list[str]:
    vocab = load_vocabularies()
    return vocab.keys({"type": "resource_types", "racism_type": "racism_types", "audience": "audiences",
                       "language": "language", "region": "regions"}[name])


generated_queries = st.lists(
    st.one_of(
        st.tuples(st.just("q"), st.sampled_from(["racism", "toolkit", "racisme", "municipal", "employment equity",
                                                 "\"anti-racism\"", "youth OR newcomers", "policy -police",
                                                 "autochtones", "hiring"])),
        *[st.tuples(st.just(name), st.sampled_from(_vocab_values(name)))
          for name in ("type", "racism_type", "audience", "language", "region")],
        st.tuples(st.just("year"), st.sampled_from([str(y) for y in range(2015, 2026)])),
        st.tuples(st.just("sort"), st.sampled_from(["relevance", "newest", "title"])),
    ),
    max_size=5, unique_by=lambda kv: kv[0] if kv[0] in ("q", "sort") else kv)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(query=generated_queries)
def test_generated_combinations_agree(cat_client, query):
    assert_agree(cat_client, query)
