"""The web's own conventions, as outside tools read them: schema.org JSON-LD,
canonical links, feeds that say their entries' language, a favicon, static
files' caching, meta descriptions."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from lxml import etree, html

from hub.feeds import unique_moments

A = "http://www.w3.org/2005/Atom"
NS = {"a": A}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def json_ld(page: bytes) -> list[dict]:
    doc = html.fromstring(page)
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


@pytest.fixture
def pair(make_resource):
    make_resource(slug="hiring", title="Hiring Without Bias", published="2023-05-01", translation="embaucher",
                  racism_types="[anti-black]", audiences="[employers]")
    make_resource(slug="embaucher", title="Embaucher sans biais", language="fr", published="2023-05-02",
                  translation="hiring", racism_types="[anti-black]", summary="Pratiques pour les employeurs.",
                  type="report")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_resource_page_describes_itself_in_schema_org(client, pair, lang):
    page = client.get(f"/{lang}/resources/embaucher")
    (data,) = json_ld(page.data)
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["name"] == "Embaucher sans biais" and data["description"] == "Pratiques pour les employeurs."
    assert data["inLanguage"] == "fr" and data["isAccessibleForFree"] is True
    assert data["url"] == f"http://localhost/{lang}/resources/embaucher"
    assert data["datePublished"] == "2023-05-02"
    assert data["publisher"]["name"] == "Calgary Local Immigration Partnership"
    assert [t["termCode"] for t in data["about"]] == ["anti-black"]
    assert data["workTranslation"]["@id"] == "http://localhost/en/resources/hiring"
    # CSP-safe: a data block (never run, so script-src needs no 'unsafe-inline' for it).
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]


def test_toolkits_are_learning_resources_with_their_files(client, make_resource, tmp_path):
    make_resource(slug="kit", title="A kit", url="https://example.org/kit")
    (data,) = json_ld(client.get("/en/resources/kit").data)
    assert data["@type"] == "LearningResource" and data["learningResourceType"] == "Toolkit"
    assert data["sameAs"] == "https://example.org/kit"


def test_json_ld_cannot_break_out_of_its_script(client, make_resource):
    make_resource(slug="tricky", title="Ends </script><script>alert(1)</script>")
    page = client.get("/en/resources/tricky").data
    assert b"</script><script>alert(1)" not in page
    assert json_ld(page)[0]["name"] == "Ends </script><script>alert(1)</script>"


def test_bilingual_titles_and_summaries_are_given_per_language(client, make_resource):
    make_resource(slug="both", title="{en: Hiring fairly, fr: Embaucher équitablement}",
                  summary="{en: For employers., fr: Pour les employeurs.}")
    (data,) = json_ld(client.get("/fr/resources/both").data)
    assert data["name"] == [{"@value": "Hiring fairly", "@language": "en"},
                            {"@value": "Embaucher équitablement", "@language": "fr"}]
    assert data["description"] == [{"@value": "For employers.", "@language": "en"},
                                   {"@value": "Pour les employeurs.", "@language": "fr"}], data["description"]
    assert data["inLanguage"] == "en"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_home_page_is_a_website_with_a_search_action(client, lang):
    page = client.get(f"/{lang}/")
    (data,) = json_ld(page.data)
    assert data["@type"] == "WebSite" and data["inLanguage"] == lang
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"http://localhost/{lang}/search?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    doc = html.fromstring(page.data)
    feeds = doc.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert feeds == [f"http://localhost/feed.atom?lang={lang}"]
    assert client.get(feeds[0].replace("http://localhost", "")).status_code == 200


@pytest.mark.parametrize("path, canonical", [
    ("/en/", "http://localhost/en/"), ("/fr/about?utm_source=x", "http://localhost/fr/about"),
    ("/en/working-groups", "http://localhost/en/working-groups"),
    ("/fr/racism-types/anti-black", "http://localhost/fr/racism-types/anti-black"),
])
def test_canonical_links(client, path, canonical):
    doc = html.fromstring(client.get(path).data)
    assert doc.xpath('//link[@rel="canonical"]/@href') == [canonical]


def test_resource_canonical(client, pair):
    doc = html.fromstring(client.get("/fr/resources/hiring?from=feed").data)
    assert doc.xpath('//link[@rel="canonical"]/@href') == ["http://localhost/fr/resources/hiring"]


@pytest.mark.parametrize("path", ["/en/search", "/fr/search?q=emploi", "/en/working-groups",
                                  "/fr/working-groups/anti-racism", "/en/working-groups/research",
                                  "/fr/about", "/en/"])
def test_meta_descriptions(client, path):
    doc = html.fromstring(client.get(path).data)
    (description,) = doc.xpath('//meta[@name="description"]/@content')
    assert len(description) > 40


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_self_assessment_form_has_a_meta_description(client, make_resource, lang):
    from tests.services.test_assessments import make_tool
    make_tool(make_resource, slug="tool", title="Council Self-Assessment", summary="Where a council stands today.")
    doc = html.fromstring(client.get(f"/{lang}/resources/tool/assessment").data)
    assert doc.xpath('//meta[@name="description"]/@content') == ["Where a council stands today."]


def test_favicon(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"
        assert "no-cache" not in response.headers["Cache-Control"]
    doc = html.fromstring(client.get("/en/").data)
    assert doc.xpath('//link[@rel="icon"]/@href')


def test_fingerprinted_static_files_are_not_both_no_cache_and_immutable(client):
    doc = html.fromstring(client.get("/en/").data)
    href = doc.xpath('//link[@rel="stylesheet"]/@href')[0]
    with client.get(href) as response:
        cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "no-cache" not in cache


def test_feed_entries_say_their_language_and_link_their_own_page_first(client, pair):
    # A resource and its translation are one work: each feed shows its own language's edition.
    for lang, slug, other in (("en", "hiring", "embaucher"), ("fr", "embaucher", "hiring")):
        root = etree.fromstring(client.get(f"/feed.atom?lang={lang}").data)
        entries = {e.findtext("a:id", namespaces=NS).rsplit("/", 1)[-1]: e for e in root.iterfind("a:entry", NS)}
        assert entries[slug].get(XML_LANG) == lang and other not in entries
        for found, entry in entries.items():
            alternates = [link for link in entry.iterfind("a:link", NS) if link.get("rel", "alternate") == "alternate"]
            assert alternates[0].get("href") == f"http://localhost/{lang}/resources/{found}"
            # Feed readers take the (last) text/html alternate as the entry's link: there is only one.
            assert len([link for link in alternates if link.get("type") == "text/html"]) == 1
        stamps = [e.findtext("a:updated", namespaces=NS) for e in entries.values()]
        assert len(set(stamps)) == len(stamps)


def test_unique_moments_keep_the_order_and_never_repeat():
    same = datetime(2024, 1, 1, 12, 0, 0)
    moments = unique_moments([same, same, same, datetime(2023, 1, 1), None])
    assert len(set(moments)) == 5
    assert moments[0] > moments[1] > moments[2] > moments[3]


def test_only_the_bare_search_page_is_indexable(client):
    bare = html.fromstring(client.get("/fr/search").data)
    assert not bare.xpath('//meta[@name="robots"]')
    assert bare.xpath('//link[@rel="canonical"]/@href') == ["http://localhost/fr/search"]
    for url in ("/fr/search?q=emploi", "/en/search?region=on", "/en/search?page=2", "/en/search?sort=title"):
        doc = html.fromstring(client.get(url).data)
        assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex, follow"], url
        assert not doc.xpath('//link[@rel="canonical"]'), url
