"""/sitemap.xml and /robots.txt as a crawler reads them."""
from lxml import etree

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def parse(client, path):
    resp = client.get(path)
    assert resp.status_code == 200 and resp.mimetype == "application/xml"
    return etree.fromstring(resp.data)


def locs(root) -> list[str]:
    return [e.text for e in root.iterfind("sm:url/sm:loc", NS)]


def test_every_public_resource_in_both_languages_with_alternates(client, make_resource):
    make_resource(slug="open", title="Open")
    make_resource(slug="embauche", title="Embauche", language="fr")
    make_resource(slug="staff-only", access="members")
    root = parse(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    found = locs(root)
    for slug in ("open", "embauche"):
        for lang in ("en", "fr"):
            assert f"http://localhost/{lang}/resources/{slug}" in found
    assert "http://localhost/en/" in found and "http://localhost/fr/" in found
    assert not any("staff-only" in url for url in found)
    assert len(found) == len(set(found))
    for url in root.iterfind("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        alternates = {link.get("hreflang"): link.get("href") for link in url.iterfind("xhtml:link", NS)}
        assert set(alternates) == {"en", "fr", "x-default"}
        assert loc in alternates.values()
        assert all(link.get("rel") == "alternate" for link in url.iterfind("xhtml:link", NS))
        if "/resources/" in loc:
            assert len(url.findtext("sm:lastmod", namespaces=NS)) == 10
    open_fr = next(u for u in root.iterfind("sm:url", NS) if u.findtext("sm:loc", namespaces=NS).endswith(
        "/fr/resources/open"))
    assert {link.get("hreflang"): link.get("href") for link in open_fr.iterfind("xhtml:link", NS)}["en"] == \
        "http://localhost/en/resources/open"


def test_every_listed_page_answers(client, make_resource):
    make_resource(slug="open")
    for url in locs(parse(client, "/sitemap.xml")):
        assert client.get(url.replace("http://localhost", "")).status_code == 200, url


def test_a_large_catalogue_becomes_a_sitemap_index(app, client, make_resource):
    app.config["SITEMAP_RESOURCES_PER_FILE"] = 2
    for n in range(5):
        make_resource(slug=f"r{n}")
    root = parse(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [e.text for e in root.iterfind("sm:sitemap/sm:loc", NS)]
    assert parts == [f"http://localhost/sitemap-{n}.xml" for n in (1, 2, 3)]
    resources = []
    for part in parts:
        resources += [u for u in locs(parse(client, part.replace("http://localhost", ""))) if "/resources/" in u]
    assert sorted(resources) == sorted(f"http://localhost/{lang}/resources/r{n}" for n in range(5)
                                       for lang in ("en", "fr"))
    assert client.get("/sitemap-4.xml").status_code == 404


def test_conditional_requests(client, make_resource):
    make_resource(slug="open")
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_robots_points_to_the_sitemap(client):
    resp = client.get("/robots.txt")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    lines = resp.get_data(as_text=True).splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert lines[0] == "User-agent: *"
    assert "Disallow: /fr/account/" in lines and "Disallow: /en/search?" in lines
    assert "Disallow: /en/resources" not in "\n".join(lines)


def test_the_site_s_own_pages_are_listed_and_the_noindex_search_is_not(client):
    found = set(locs(parse(client, "/sitemap.xml")))
    for lang in ("en", "fr"):
        for path in ("", "about", "contact", "working-groups", "working-groups/anti-racism",
                     "working-groups/research", "land-acknowledgement", "racism-types", "audiences",
                     "racism-types/anti-black", "audiences/employers", "glossary"):
            assert f"http://localhost/{lang}/{path}" in found, path
    # The search page only bare (indexable); never with words or filters (noindex).
    assert {url for url in found if "/search" in url} == {"http://localhost/en/search", "http://localhost/fr/search"}
    # Every racism type and every audience has its page in the sitemap.
    from hub.vocabularies import load_vocabularies
    vocab = load_vocabularies()
    for area, name in (("racism-types", "racism_types"), ("audiences", "audiences")):
        for key in vocab.keys(name):
            assert f"http://localhost/fr/{area}/{key}" in found


def test_no_listed_page_says_noindex(client, make_resource):
    from lxml import html
    make_resource(slug="open")
    for url in locs(parse(client, "/sitemap.xml")):
        page = client.get(url.replace("http://localhost", ""))
        if page.mimetype == "text/html":
            robots = html.fromstring(page.get_data(as_text=True)).xpath('//meta[@name="robots"]/@content')
            assert not any("noindex" in r for r in robots), url
