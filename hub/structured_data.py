"""schema.org descriptions (JSON-LD) of the home page and of each resource, so
search engines and library tools can read what a page is about without
scraping it. Built from the same data as the page; templates print them in a
``<script type="application/ld+json">`` block (a data block: the CSP does not
run it, and ``tojson`` escapes ``<``, ``>`` and ``&`` inside it).
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import force_locale, gettext

from hub.i18n import LANGUAGES
from hub.vocabularies import load_vocabularies

SCHEMA = "https://schema.org"
#: Resource types that teach or guide a reader: schema.org's LearningResource.
LEARNING_TYPES = frozenset({"toolkit", "self-assessment", "guide", "training", "glossary"})


def texts_by_language(resource, field: str) -> dict[str, str]:
    """A resource's title (``field="title"``) or summary in every language it
    has. Bilingual fields (``titles``/``summaries`` dicts) are used when the
    model has them; otherwise the one text, in the resource's language."""
    many = getattr(resource, {"title": "titles", "summary": "summaries"}[field], None)
    if isinstance(many, dict) and any(many.values()):
        return {lang: text for lang, text in many.items() if text}
    return {resource.language: getattr(resource, field) or ""}


def _language_values(texts: dict[str, str]) -> str | list[dict[str, str]]:
    """One plain string for one language; language-tagged values for several."""
    if len(texts) == 1:
        return next(iter(texts.values()))
    return [{"@value": text, "@language": lang} for lang, text in sorted(texts.items())]


def _publisher() -> dict[str, str]:
    return {"@type": "Organization", "name": gettext("LIP Anti-Racism Working Group"),
            "url": url_for("pages.anti_racism_working_group", _external=True)}


def resource_json_ld(resource, translation=None) -> dict[str, Any]:
    """CreativeWork (LearningResource for toolkits, guides, trainings …) of a resource page."""
    lang = resource.language
    vocab = load_vocabularies()
    page = url_for("resources.show", slug=resource.slug, _external=True)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "LearningResource" if resource.type in LEARNING_TYPES else "CreativeWork",
        "@id": page,
        "url": page,
        "name": _language_values(texts_by_language(resource, "title")),
        "description": _language_values(texts_by_language(resource, "summary")),
        "inLanguage": lang,
        "genre": vocab.label("resource_types", resource.type, lang),
        "isAccessibleForFree": True,
        "publisher": ({"@type": "Organization", "name": resource.organization} if resource.organization
                      else _publisher()),
        "provider": _publisher(),
        "about": [{"@type": "DefinedTerm", "termCode": key, "name": vocab.label("racism_types", key, lang),
                   "inDefinedTermSet": url_for("browse.index", area="racism-types", _external=True)}
                  for key in resource.racism_types or []],
        "audience": [{"@type": "Audience", "audienceType": vocab.label("audiences", key, lang)}
                     for key in resource.audiences or []],
    }
    if resource.type in LEARNING_TYPES:
        data["learningResourceType"] = data["genre"]
    if resource.published_on:
        data["datePublished"] = resource.published_on.isoformat()
    elif resource.year:
        data["datePublished"] = str(resource.year)
    if resource.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in resource.authors]
    if resource.topics:
        data["keywords"] = ", ".join(resource.topics)
    if resource.url:
        data["sameAs"] = resource.url
    if resource.access != "public":
        with force_locale(lang):
            data["conditionsOfAccess"] = gettext("Members only")
    files = [{"@type": "MediaObject", "name": a.filename, "encodingFormat": a.media_type,
              "contentSize": f"{a.size} B",
              "contentUrl": url_for("files.download", slug=resource.slug, filename=a.filename, _external=True)}
             for a in resource.attachments]
    if files:
        data["associatedMedia"] = files
    if translation is not None:
        data["workTranslation"] = {
            "@id": url_for("resources.show", lang=translation.language, slug=translation.slug, _external=True),
            "inLanguage": translation.language}
    return data


def website_json_ld(lang: str) -> dict[str, Any]:
    """WebSite with a SearchAction: the home page, so a search engine can offer the hub's own search box."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "@id": url_for("public.home", lang=lang, _external=True),
        "url": url_for("public.home", lang=lang, _external=True),
        "name": gettext("Anti-Racism Resource Hub"),
        "inLanguage": lang,
        "availableLanguage": list(LANGUAGES),
        "publisher": _publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint",
                       "urlTemplate": url_for("search.page", lang=lang, _external=True) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }
