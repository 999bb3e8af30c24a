"""/sitemap.xml and /robots.txt: what search engines should crawl.

Every public resource page is listed in both interface languages, each URL
with its ``xhtml:link`` hreflang alternates. The data is the anonymous
reader's view from the harvest service, whoever asks. A catalogue larger
than one sitemap file may hold (50,000 URLs) becomes a sitemap index.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from lxml import etree
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

from hub.i18n import LANGUAGES
from hub.services import harvest, pathways
from hub.vocabularies import load_vocabularies

bp = Blueprint("sitemap", __name__)

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
#: Pages other than resources worth crawling, when the app has them. The search
#: page only bare (every resource): with words or filters it says noindex.
PAGE_ENDPOINTS = ("public.home", "search.page", "pages.about", "pages.contact_page", "pages.working_groups",
                  "pages.anti_racism_working_group", "pages.research_working_group", "pages.land_acknowledgement",
                  "apidocs.index", "glossary.index", "pathways.index")
#: Browse pages: an index per vocabulary and a page per key (``/racism-types/<key>``).
BROWSE_AREAS = (("racism-types", "racism_types"), ("audiences", "audiences"))


def _per_file() -> int:
    # Each resource gives one URL per language; leave room for the other pages.
    return int(current_app.config.get("SITEMAP_RESOURCES_PER_FILE") or 20_000)


def _xml(root) -> WerkzeugResponse:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    response = Response(body, mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=600"
    response.add_etag()
    return response.make_conditional(request)


def _add_url(urlset, endpoint: str, lastmod: str | None = None, **values) -> None:
    for lang in LANGUAGES:
        url = etree.SubElement(urlset, f"{{{SM}}}url")
        etree.SubElement(url, f"{{{SM}}}loc").text = url_for(endpoint, lang=lang, _external=True, **values)
        if lastmod:
            etree.SubElement(url, f"{{{SM}}}lastmod").text = lastmod
        for alt in LANGUAGES:
            etree.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=alt,
                             href=url_for(endpoint, lang=alt, _external=True, **values))
        etree.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default",
                         href=url_for(endpoint, lang="en", _external=True, **values))


def _urlset(page: int) -> WerkzeugResponse:
    per_file = _per_file()
    urlset = etree.Element(f"{{{SM}}}urlset", nsmap={None: SM, "xhtml": XHTML})
    if page == 1:
        for endpoint in PAGE_ENDPOINTS:
            if endpoint in current_app.view_functions:
                _add_url(urlset, endpoint)
        vocab = load_vocabularies()
        for area, vocab_name in BROWSE_AREAS:
            _add_url(urlset, "browse.index", area=area)
            for key in vocab.keys(vocab_name):
                _add_url(urlset, "browse.term", area=area, key=key)
        # Pathways are public pages whoever reads them (members-only resources drop out of their steps).
        for slug in pathways.pathway_slugs():
            _add_url(urlset, "pathways.show", slug=slug)
    for resource in harvest.public_resources(offset=(page - 1) * per_file, limit=per_file):
        _add_url(urlset, "resources.show", f"{resource.updated_at:%Y-%m-%d}", slug=resource.slug)
    return _xml(urlset)


@bp.get("/sitemap.xml")
def index():
    files = max(1, -(-harvest.count_public_resources() // _per_file()))
    if files == 1:
        return _urlset(1)
    root = etree.Element(f"{{{SM}}}sitemapindex", nsmap={None: SM})
    for page in range(1, files + 1):
        entry = etree.SubElement(root, f"{{{SM}}}sitemap")
        etree.SubElement(entry, f"{{{SM}}}loc").text = url_for("sitemap.part", page=page, _external=True)
    return _xml(root)


@bp.get("/sitemap-<int:page>.xml")
def part(page: int):
    files = max(1, -(-harvest.count_public_resources() // _per_file()))
    if not 1 <= page <= files:
        raise NotFound()
    return _urlset(page)


#: Paths a crawler gains nothing from: forms, personal pages, endless facet combinations.
ROBOTS_DISALLOW = ("search?", "login", "logout", "account/", "submit", "review", "admin/")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{lang}/{path}" for lang in LANGUAGES for path in ROBOTS_DISALLOW]
    lines += ["Allow: /", "", f"Sitemap: {url_for('sitemap.index', _external=True)}", ""]
    response = Response("\n".join(lines), mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
