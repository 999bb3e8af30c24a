"""GET /feed.atom as a feed reader meets it: valid Atom 1.0, newest first, the
search page's filters, one entry per resource with summary, categories and
links to its page and its translation; never a members-only resource."""
from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

A = "http://www.w3.org/2005/Atom"
NS = {"a": A}


def feed(client, query: str = "", **kwargs):
    resp = client.get("/feed.atom" + (f"?{query}" if query else ""), **kwargs)
    assert resp.status_code == 200
    assert resp.mimetype == "application/atom+xml"
    root = etree.fromstring(resp.data)
    assert root.tag == f"{{{A}}}feed"
    # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author (or every entry has one).
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"a:{tag}", NS)) == 1, tag
    datetime.fromisoformat(root.findtext("a:updated", namespaces=NS))
    assert root.find("a:author/a:name", NS) is not None
    assert root.find('a:link[@rel="self"]', NS) is not None
    for entry in root.iterfind("a:entry", NS):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{tag}", NS)) == 1, tag
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS))
        assert entry.find('a:link[@rel="alternate"]', NS) is not None
    return root


def slugs(root) -> list[str]:
    return [e.findtext("a:id", namespaces=NS).rsplit("/", 1)[-1] for e in root.iterfind("a:entry", NS)]


@pytest.fixture
def corpus(make_resource):
    make_resource(slug="old", title="Old report", type="report", published="2015-01-01", topics="[statistics]",
                  racism_types="[systemic]")
    make_resource(slug="hiring", title="Hiring Without Bias", published="2023-05-01", translation="embaucher",
                  topics="[hiring, workplace policy]", racism_types="[anti-black]")
    make_resource(slug="embaucher", title="Embaucher sans biais", language="fr", published="2023-05-02",
                  translation="hiring", racism_types="[anti-black]", topics="[recrutement]",
                  summary="Pratiques pour les employeurs.")
    make_resource(slug="members-notes", title="Members notes", published="2024-01-01", access="members",
                  topics="[hiring]")


def test_an_entry_per_work_newest_first(client, corpus):
    """A resource and its translation are one entry, in the feed's language;
    the API still lists both editions."""
    root = feed(client)
    assert slugs(root) == ["hiring", "old"]
    assert slugs(feed(client, "lang=fr")) == ["embaucher", "old"]
    assert slugs(feed(client, "lang=fr&language=en")) == ["hiring", "old"]  # only the English one matches
    api = client.get("/api/v1/resources?sort=newest&per_page=50").get_json()
    assert [r["slug"] for r in api["results"]] == ["embaucher", "hiring", "old"]


def test_entries_say_their_language(client, make_resource):
    make_resource(slug="en-only", title="{en: Data Standards, fr: Normes de données}", published="2023-01-01",
                  summary="{en: About data., fr: Sur les données.}")
    make_resource(slug="en-plain", title="Plain English", published="2022-01-01")
    french = feed(client, "lang=fr")
    entries = {e.findtext("a:id", namespaces=NS).rsplit("/", 1)[-1]: e for e in french.iterfind("a:entry", NS)}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert entries["en-only"].get(xml_lang) == "fr"
    assert entries["en-only"].findtext("a:title", namespaces=NS) == "Normes de données"
    assert entries["en-only"].findtext("a:summary", namespaces=NS) == "Sur les données."
    assert entries["en-plain"].get(xml_lang) == "en"
    assert entries["en-plain"].findtext("a:title", namespaces=NS) == "Plain English"


def test_entry_content(client, corpus):
    root = feed(client)
    entry = next(e for e in root.iterfind("a:entry", NS) if e.findtext("a:title", namespaces=NS) ==
                 "Hiring Without Bias")
    assert entry.findtext("a:id", namespaces=NS) == "http://localhost/en/resources/hiring"
    assert entry.findtext("a:summary", namespaces=NS) == "Practices for employers in small municipalities."
    assert entry.find("a:published", NS) is not None
    links = {(link.get("rel"), link.get("hreflang")): link.get("href") for link in entry.iterfind("a:link", NS)}
    assert links[("alternate", "en")] == "http://localhost/en/resources/hiring"
    assert links[("related", "fr")] == "http://localhost/fr/resources/embaucher"
    categories = {(c.get("scheme") or "").rsplit("#", 1)[-1] + ":" + c.get("term"): c.get("label")
                  for c in entry.iterfind("a:category", NS)}
    assert categories["resource_types:toolkit"] == "Toolkit"
    assert categories["racism_types:anti-black"] == "Anti-Black racism"
    assert categories["audiences:employers"] == "Employers"
    assert categories["regions:ab"] == "Alberta"
    assert categories[":hiring"] == "hiring" and categories[":workplace policy"] == "workplace policy"
    assert entry.findtext("a:author/a:name", namespaces=NS) == "Calgary Local Immigration Partnership"


def test_the_search_filters_apply(client, corpus):
    assert slugs(feed(client, "language=fr")) == ["embaucher"]
    assert slugs(feed(client, "type=report")) == ["old"]
    assert slugs(feed(client, "q=hiring")) == ["hiring"]
    assert slugs(feed(client, "racism_type=anti-black")) == ["hiring"]  # one entry per work
    assert slugs(feed(client, "type=glossary")) == []
    # Read leniently like the page: an unknown value is ignored, not an error.
    assert len(slugs(feed(client, "type=nonsense&page=abc"))) == 2  # two works
    titled = feed(client, "racism_type=anti-black").findtext("a:title", namespaces=NS)
    assert "Anti-Black racism" in titled


def test_french_feed(client, corpus):
    root = feed(client, "lang=fr&q=hiring")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr" or \
        root.findtext("a:title", namespaces=NS).startswith("Carrefour")
    entry = root.find("a:entry", NS)
    assert entry.findtext("a:id", namespaces=NS) == "http://localhost/fr/resources/hiring"
    labels = {c.get("label") for c in entry.iterfind("a:category", NS)}
    assert "Racisme anti-Noirs" in labels or any("anti-Noir" in (lbl or "") for lbl in labels)
    self_link = root.find('a:link[@rel="self"]', NS).get("href")
    assert "lang=fr" in self_link and "q=hiring" in self_link


def test_members_only_never_in_the_feed_even_for_a_member(client, corpus, make_user, login_as):
    login_as(make_user("member"))
    body = client.get("/feed.atom").get_data(as_text=True)
    assert "members-notes" not in body and "Members notes" not in body


def test_conditional_requests(client, corpus):
    first = client.get("/feed.atom")
    assert first.headers["ETag"]
    again = client.get("/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_empty_feed_is_still_valid(client):
    root = feed(client)
    assert slugs(root) == []


def test_the_search_page_offers_the_feed_of_its_search(client, corpus):
    html = client.get("/fr/search?q=hiring&racism_type=anti-black").get_data(as_text=True)
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    links = doc.xpath('//p[@class="feed-link"]/a')
    assert len(links) == 1 and links[0].get("type") == "application/atom+xml"
    href = links[0].get("href")
    assert "q=hiring" in href and "racism_type=anti-black" in href and "lang=fr" in href
    assert doc.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href') == [href]
    assert slugs(feed(client, href.split("/feed.atom?", 1)[1])) == ["hiring"]
