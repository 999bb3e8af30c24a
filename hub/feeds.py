"""GET /feed.atom: an Atom 1.0 feed of the catalogue, newest first, filtered
exactly like the search page (same parameters, same parser, same service).

A thin channel: the search service decides what is in it, always as the
anonymous reader sees it (a feed URL is shared and cached, so it must never
carry one member's view), and this module only writes Atom, with lxml like
the sitemap and OAI-PMH (feedgen 1.0.0 drops rel, type and hreflang from entry
links, which would lose the link to the translation).
``lang=fr`` gives a feed whose titles and links are French; otherwise the
reader's language (cookie, Accept-Language), else English.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import force_locale, gettext as _
from lxml import etree

from hub.content.bilingual import pick
from hub.i18n import LANGUAGES, current_language, preferred_language
from hub.services import harvest, search as search_service
from hub.textclean import xml_safe
from hub.vocabularies import load_vocabularies

bp = Blueprint("feeds", __name__)
ATOM = "http://www.w3.org/2005/Atom"

#: Entries per feed: feed readers poll, they do not page.
FEED_SIZE = 50
#: Front-matter lists -> (vocabulary, category scheme name), so readers can filter by tag.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CATEGORY_VOCABS = (("type", "resource_types"), ("racism_types", "racism_types"), ("audiences", "audiences"),
                   ("region", "regions"))


def feed_language() -> str:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else preferred_language()


def feed_params(lang: str) -> search_service.SearchParams:
    """The search page's filters (read leniently, as the page does), newest first."""
    params = search_service.SearchParams.from_args(request.args, locale=lang)
    return replace(params, sort="newest", page=1, per_page=int(current_app.config.get("FEED_SIZE") or FEED_SIZE))


def feed_url(params: search_service.SearchParams, lang: str, endpoint: str = "feeds.atom") -> str:
    """The feed (or, with ``search.page``, the search page) of these filters."""
    args = [(k, v) for k, v in params.to_args() if k not in ("sort", "page", "per_page")]
    if endpoint == "feeds.atom":
        args.append(("lang", lang))
        return url_for(endpoint, _external=True) + "?" + urlencode(args)
    query = urlencode(args)
    return url_for(endpoint, lang=lang, _external=True) + (f"?{query}" if query else "")


@bp.app_template_global("search_feed_url")
def search_feed_url(params: search_service.SearchParams) -> str:
    """The feed of a search page's words and filters, in the page's language."""
    return feed_url(params, current_language())


def _stamp(moment: datetime | None) -> str:
    """RFC 3339 in UTC, as Atom wants (the database keeps naive UTC), to the
    microsecond when there is one: a bulk import gives many entries the same second."""
    moment = moment or datetime(2000, 1, 1)
    return f"{moment:%Y-%m-%dT%H:%M:%S}" + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"


def unique_moments(moments: list[datetime | None]) -> list[datetime]:
    """Each entry's ``updated`` time, distinct from the others': aggregators
    use it to tell entries apart and to spot edits. A time already given is
    moved back by a microsecond until it is free, so the order stays as it was."""
    taken: set[datetime] = set()
    unique = []
    for moment in moments:
        moment = moment or datetime(2000, 1, 1)
        while moment in taken:
            moment -= timedelta(microseconds=1)
        taken.add(moment)
        unique.append(moment)
    return unique


def _el(parent, tag: str, text: str | None = None, **attrs):
    """Every text and attribute goes through `xml_safe`: a title stored with
    U+0001 would otherwise make lxml refuse the whole feed."""
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}",
                               {k: xml_safe(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _add_entry(root, resource, lang: str, translations: dict, updated: datetime) -> None:
    vocab = load_vocabularies()
    entry = _el(root, "entry")
    # The title and summary in the feed's language when written in it; the
    # entry says which language its text is in (xml:lang), as the feed does.
    title, text_lang = pick(resource.titles, lang, resource.language)
    summary, summary_lang = pick(resource.summaries, text_lang, resource.language)
    entry.set(XML_LANG, text_lang)
    page = url_for("resources.show", lang=lang, slug=resource.slug, _external=True)
    _el(entry, "id", page)
    _el(entry, "title", title, type="text")
    _el(entry, "updated", _stamp(updated))
    _el(entry, "published", _stamp(resource.published_at or resource.updated_at))
    for name in resource.authors or [resource.organization]:
        _el(_el(entry, "author"), "name", name)
    # The one alternate link is the entry's own page (feed readers take the
    # alternate as "the" link); the translation is a related page, not this entry.
    _el(entry, "link", rel="alternate", type="text/html", hreflang=resource.language, href=page,
        title=title)
    translation = translations.get(resource.slug)
    if translation is not None:
        _el(entry, "link", rel="related", type="text/html", hreflang=translation.language,
            href=url_for("resources.show", lang=translation.language, slug=translation.slug, _external=True),
            title=translation.title)
    scheme_root = url_for("api.vocabularies", _external=True)
    for attr, vocab_name in CATEGORY_VOCABS:
        keys = getattr(resource, attr) or []
        for key in [keys] if isinstance(keys, str) else keys:
            _el(entry, "category", term=key, scheme=f"{scheme_root}#{vocab_name}",
                label=vocab.label(vocab_name, key, lang))
    for topic in resource.topics_by_language.get(text_lang) or resource.topics or []:
        _el(entry, "category", term=topic, label=topic)
    summary_el = _el(entry, "summary", summary, type="text")
    if summary_lang != text_lang:
        summary_el.set(XML_LANG, summary_lang)


@bp.get("/feed.atom")
def atom():
    lang = feed_language()
    params = feed_params(lang)
    result = search_service.search_resources(None, params, snippets=False, one_per_work=True)
    resources = [hit.resource for hit in result.hits]
    translations = harvest.public_translations(resources)
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set(XML_LANG, lang)
    with force_locale(lang):
        title = _("LIP Anti-Racism Hub: new resources")
        if params.q or params.filters:
            described = [params.q] if params.q else []
            described += [result.label(name, v) for name, values in params.filters for v in values]
            title = f"{title} ({', '.join(described)})"
        _el(root, "id", feed_url(params, lang))
        _el(root, "title", title, type="text")
        _el(root, "subtitle", _("Newly published anti-racism resources from Canada's Local Immigration "
                                "Partnerships."), type="text")
        updated = unique_moments([r.updated_at for r in resources])
        _el(root, "updated", _stamp(max(updated)) if updated else _stamp(harvest.last_public_change()))
        _el(_el(root, "author"), "name", _("LIP Anti-Racism Working Group"))
    _el(root, "link", rel="self", type="application/atom+xml", href=feed_url(params, lang))
    _el(root, "link", rel="alternate", type="text/html", hreflang=lang, href=feed_url(params, lang, "search.page"))
    _el(root, "generator", "LIP Anti-Racism Hub")
    for resource, moment in zip(resources, updated, strict=True):
        _add_entry(root, resource, lang, translations, moment)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=600"
    response.add_etag()
    return response.make_conditional(request)
