"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of the JSON API.

Written as data next to the endpoints it describes, and kept honest by the
tests: they validate it against the OpenAPI specification, check every
route of the blueprint is in it, and let schemathesis call every operation
and check each answer against its schema. Vocabulary keys come from the
vocabulary file, so a key added there is documented with no code change.
"""
from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import force_locale

from hub.api.blueprint import bp
from hub.content.fields import api_fields, facet_names, facets
from hub.services.search import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, SORTS, YEAR_MAX, YEAR_MIN
from hub.vocabularies import NAMES as VOCABULARY_NAMES, PUBLISHER_KINDS, load_vocabularies

FACETS = facet_names()


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: dict, *, etag: bool = True) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if etag:
        out["headers"] = {"ETag": {"$ref": "#/components/headers/ETag"},
                          "Cache-Control": {"$ref": "#/components/headers/CacheControl"}}
    return out


COMMON_ERRORS = {
    "304": {"description": "Not modified: the If-None-Match header named the current ETag."},
    "401": _error_response("The Bearer token is unknown or revoked, or the Authorization header has "
                           "another scheme."),
    "429": {**_error_response("Too many requests; wait the seconds given in Retry-After."),
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                                        "description": "Seconds to wait before trying again."}}},
    "414": _error_response("The URL is longer than the API accepts (4,000 characters). Ask for fewer "
                           "filter values at once."),
}


def _facet_parameter(name: str, vocab_name: str | None, description: str) -> dict:
    keys = load_vocabularies().keys(vocab_name) if vocab_name else None
    item = {"type": "string", "enum": keys} if keys else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
            "description": f"{description} Repeat for several values (combined with OR).",
            "schema": {"type": "array", "items": item}}


def _search_parameters() -> list[dict]:
    params = [{"name": "q", "in": "query", "required": False,
               "description": "Words to find (English or French): all must match; \"quoted phrases\", OR, "
                              "NOT or a leading minus, and parentheses. A query that cannot be parsed is "
                              "searched as plain words.",
               "schema": {"type": "string", "maxLength": 500}}]
    with force_locale("en"):
        params += [_facet_parameter(f.name, f.vocabulary, f"{f.label}.") for f in facets() if f.vocabulary]
    params.append({"name": "year", "in": "query", "required": False, "style": "form", "explode": True,
                   "description": "Year of publication. Repeat for several years (combined with OR).",
                   "schema": {"type": "array", "items": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}}})
    params += [
        {"name": "sort", "in": "query", "required": False, "description": "Order of the results.",
         "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"}},
        {"name": "page", "in": "query", "required": False, "description": "Page number, from 1.",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "per_page", "in": "query", "required": False, "description": "Results per page.",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}},
    ]
    return params


SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def _field_schema(spec) -> dict:
    """The JSON schema of one declared field, as the API writes it."""
    nullable = not spec.required and spec.name != "slug"
    if spec.is_list:
        schema: dict = {"type": "array", "items": {"type": "string"}}
        if spec.vocabulary:
            schema["items"]["enum"] = load_vocabularies().keys(spec.vocabulary)
    else:
        schema = {"type": ["string", "null"] if nullable else "string"}
        if spec.kind == "key" and spec.vocabulary:
            schema["enum"] = load_vocabularies().keys(spec.vocabulary) + ([None] if nullable else [])
        elif spec.kind == "slug":
            schema["pattern"] = SLUG_PATTERN
        elif spec.kind == "url":
            schema["format"] = "uri"
        elif spec.kind == "date":
            schema["description"] = "As written: a date YYYY-MM-DD or a year."
    with force_locale("en"):
        schema["title"] = str(spec.label)
        if spec.help and "description" not in schema:
            schema["description"] = str(spec.help)
    return schema


def _declared_properties(where: str) -> dict:
    """The declared fields (hub/content/fields.py) of the list or the detail."""
    props = {}
    for spec in api_fields(where):
        props[spec.name] = _field_schema(spec)
        if spec.api_languages:
            with force_locale("en"):
                label = str(spec.label).lower()
            one = {"type": ["string", "null"]}
            props[spec.api_languages] = {
                "type": "object", "required": ["en", "fr"], "additionalProperties": False,
                "description": f"The {label} in English and in French (null where not written).",
                "properties": {"en": one, "fr": one}}
    return props


def _schemas() -> dict:
    string_list = {"type": "array", "items": {"type": "string"}}
    file_schema = {
        "type": "object", "required": ["filename", "media_type", "size", "url"], "additionalProperties": False,
        "properties": {"filename": {"type": "string"}, "media_type": {"type": "string"},
                       "size": {"type": "integer", "minimum": 0}, "url": {"type": "string", "format": "uri"}}}
    summary_props = {
        **_declared_properties("list"),
        "year": {"type": ["integer", "null"]},
        "files": {"type": "array", "items": _ref("File")},
    }
    result = {"type": "object", "required": [*summary_props, "score"], "additionalProperties": False,
              "properties": {**summary_props,
                             "score": {"type": ["number", "null"],
                                       "description": "Relevance (higher is better); null when sorted otherwise."}}}
    detail_props = {
        **summary_props,
        **_declared_properties("detail"),
        "translation": {"type": ["string", "null"], "pattern": SLUG_PATTERN,
                        "description": "Slug of the same resource in the other language, when you may see it."},
        "body_html": {"type": "string", "description": "The body, rendered and sanitised."},
        "updated_at": {"type": ["string", "null"], "format": "date-time"},
        "usage": {"type": "object", "required": ["views", "downloads", "this_month"], "additionalProperties": False,
                  "description": "Page views and file downloads by people (bots excluded), counted as they "
                                 "happen: all time and this calendar month. No visit log exists behind them.",
                  "properties": {
                      "views": {"type": "integer", "minimum": 0},
                      "downloads": {"type": "integer", "minimum": 0},
                      "this_month": {"type": "object", "required": ["views", "downloads"],
                                     "additionalProperties": False,
                                     "properties": {"views": {"type": "integer", "minimum": 0},
                                                    "downloads": {"type": "integer", "minimum": 0}}}}},
        "links": {"type": "object", "required": ["self", "html"], "additionalProperties": False, "properties": {
            "self": {"type": "string", "format": "uri"},
            "html": {"type": "object", "required": ["en", "fr"], "additionalProperties": False,
                     "properties": {"en": {"type": "string", "format": "uri"},
                                    "fr": {"type": "string", "format": "uri"}}}}},
    }
    facet_value = {"type": "object", "required": ["value", "label", "count"], "additionalProperties": False,
                   "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                                  "count": {"type": "integer", "minimum": 0}}}
    term = {"type": "object", "required": ["key", "labels", "descriptions", "alt_labels"],
            "additionalProperties": False, "properties": {
                "key": {"type": "string"},
                "labels": {"type": "object", "required": ["en", "fr"],
                           "additionalProperties": {"type": "string"},
                           "properties": {"en": {"type": "string"}, "fr": {"type": "string"}}},
                "descriptions": {"type": "object", "additionalProperties": {"type": "string"}},
                "alt_labels": {"type": "object", "additionalProperties": string_list},
                "kind": {"type": "string", "enum": list(PUBLISHER_KINDS),
                         "description": "Publishers only: what kind of organisation it is."}}}
    return {
        "Error": {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable: not_found, "
                                                          "invalid_parameter, unauthorized, too_many_requests…"},
                "message": {"type": "string",
                            "description": "For people. On a 400 it starts with the bad parameter's name: "
                                           "'per_page: must be a whole number from 1 to 100'."}}}}},
        "File": file_schema,
        "SearchResult": result,
        "FacetValue": facet_value,
        "SearchResponse": {
            "type": "object", "required": ["total", "page", "per_page", "results", "facets"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "results": {"type": "array", "items": _ref("SearchResult")},
                "facets": {"type": "object", "required": list(FACETS), "additionalProperties": False,
                           "properties": {f: {"type": "array", "items": _ref("FacetValue")} for f in FACETS}}}},
        "ResourceDetail": {"type": "object", "required": list(detail_props), "additionalProperties": False,
                           "properties": detail_props},
        "Suggestions": {
            "type": "object", "required": ["query", "titles", "labels"], "additionalProperties": False,
            "properties": {
                "query": {"type": "string", "description": "What was typed, as it was searched."},
                "titles": {"type": "array", "description": "Titles of resources you may see, best first.",
                           "items": {"type": "object", "required": ["slug", "title", "language", "url"],
                                     "additionalProperties": False, "properties": {
                                         "slug": {"type": "string"}, "title": {"type": "string"},
                                         "language": {"type": "string", "enum": ["en", "fr"]},
                                         "url": {"type": "string", "description": "The resource's page."}}}},
                "labels": {"type": "array",
                           "description": "Vocabulary labels (matched in both languages) with how many resources "
                                          "you may see carry them.",
                           "items": {"type": "object", "required": ["facet", "value", "label", "count", "url"],
                                     "additionalProperties": False, "properties": {
                                         "facet": {"type": "string", "enum": list(FACETS)},
                                         "value": {"type": "string"}, "label": {"type": "string"},
                                         "count": {"type": "integer", "minimum": 0},
                                         "url": {"type": "string",
                                                 "description": "The search page filtered on it."}}}}}},
        "Term": term,
        "Vocabularies": {"type": "object", "required": ["vocabularies"], "additionalProperties": False,
                         "properties": {"vocabularies": {
                             "type": "object", "additionalProperties": {"type": "array", "items": _ref("Term")},
                             "required": list(VOCABULARY_NAMES)}}},
    }


def openapi_document(server_url: str) -> dict:
    """The whole document; ``server_url`` is where this API answers."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "LIP Anti-Racism Resource Hub API",
            "version": "1.0.0",
            "summary": "Search and read the hub's anti-racism resources, in English and French.",
            "description": "Read-only JSON API. Without a token it shows what everyone may see; a member's "
                           "personal token (Authorization: Bearer …, created on the account's API tokens page) "
                           "gives that member's view, members-only resources included. Every 200 answer has an "
                           "ETag for conditional requests; any origin may read it (CORS, no credentials). "
                           "Labels follow Accept-Language (en or fr).",
        },
        "servers": [{"url": server_url}],
        "security": [{}, {"bearerAuth": []}],
        "paths": {
            "/resources": {"get": {
                "operationId": "searchResources", "summary": "Search the resources",
                "description": "The search page's results: the same service, totals and disjunctive facet "
                               "counts. Unknown parameters are ignored.",
                "parameters": _search_parameters(),
                "responses": {"200": _json("A page of results with the total and the facet counts.",
                                           _ref("SearchResponse")),
                              "400": _error_response("A parameter is invalid; the message names it."),
                              **COMMON_ERRORS}}},
            "/resources/{slug}": {"get": {
                "operationId": "getResource", "summary": "One resource",
                "parameters": [{"name": "slug", "in": "path", "required": True,
                                "description": "The resource's stable identifier.",
                                "schema": {"type": "string", "maxLength": 120}}],
                "responses": {"200": _json("The resource.", _ref("ResourceDetail")),
                              "404": _error_response("No such resource, or one you may not see."),
                              **COMMON_ERRORS}}},
            "/suggest": {"get": {
                "operationId": "suggest", "summary": "Suggestions for search-as-you-type",
                "description": "Titles and vocabulary labels (both languages) that complete what was typed, "
                               "among what you may see.",
                "parameters": [{"name": "q", "in": "query", "required": False,
                                "description": "What has been typed so far (only its first 200 characters count).",
                                "schema": {"type": "string"}},
                               {"name": "lang", "in": "query", "required": False,
                                "description": "Language of the labels and page links; else Accept-Language.",
                                "schema": {"type": "string", "enum": ["en", "fr"]}}],
                "responses": {"200": _json("Suggestions, best first.", _ref("Suggestions")),
                              "400": _error_response("A parameter is invalid; the message names it."),
                              **COMMON_ERRORS}}},
            "/vocabularies": {"get": {
                "operationId": "listVocabularies", "summary": "Every vocabulary with its labels",
                "responses": {"200": _json("Each vocabulary's keys with English and French labels, "
                                           "descriptions and alternative labels.", _ref("Vocabularies")),
                              **COMMON_ERRORS}}},
            "/openapi.json": {"get": {
                "operationId": "getOpenAPI", "summary": "This document",
                "responses": {"200": _json("The OpenAPI 3.1 description of this API.", {"type": "object"}),
                              **COMMON_ERRORS}}},
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A member's personal API token, created on /<lang>/account/tokens."}},
            "headers": {
                "ETag": {"description": "Send it back in If-None-Match to get 304 when unchanged.",
                         "schema": {"type": "string"}},
                "CacheControl": {"description": "public for anonymous answers, private with a token or session.",
                                 "schema": {"type": "string"}}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/openapi.json", 1)[0]))
