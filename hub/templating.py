"""Jinja helpers: vocabulary labels, locale formatting, the language switch,
links into filtered searches, citations and the reader's text size."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel import dates, numbers
from flask import Flask, current_app, has_request_context, request, url_for
from flask.globals import request_ctx
from flask_babel import format_date, format_decimal, format_percent, get_locale, get_translations, gettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.routing import BuildError

from hub import i18n, structured_data, textsize
from hub.content import fields as declared
from hub.content.bilingual import pick
from hub.vocabularies import load_vocabularies


def vocab_label(vocab: str, key: str) -> str:
    return load_vocabularies().label(vocab, key, i18n.current_language())


#: Byte units as each language writes them (French: octets, « 38,4 ko »).
SIZE_UNITS = {"en": ("B", "KB", "MB", "GB"), "fr": ("o", "ko", "Mo", "Go")}


@dataclass(frozen=True)
class Shown:
    """A resource's title and summary as a reader of one language sees them:
    each in that language when written, else the document's, with the language
    each is actually in (for `lang` attributes) and the document's own."""
    title: str
    title_lang: str
    summary: str
    summary_lang: str
    document_lang: str
    reader_lang: str

    @property
    def document_in_other_language(self) -> bool:
        return self.document_lang != self.reader_lang

    @property
    def document_note(self) -> str:
        """Said plainly next to the link or file when the document itself is
        in the other language: "Document in French", "Document en anglais"."""
        if not self.document_in_other_language:
            return ""
        return gettext("Document in French") if self.document_lang == "fr" else gettext("Document in English")


def in_language(resource, locale: str | None = None) -> Shown:
    """What a page in ``locale`` (the page's language by default) shows of ``resource``."""
    reader = locale or i18n.current_language()
    title, title_lang = pick(resource.titles, reader, resource.language)
    summary, summary_lang = pick(resource.summaries, reader, resource.language)
    return Shown(title or resource.title, title_lang, summary or "", summary_lang, resource.language, reader)


def missing_translation_text(resource) -> str:
    """For editors: which of the title and summary lack the other language."""
    from hub.services.parity import missing_translations

    names = ", ".join(field_label(name).lower() for name in missing_translations(resource))
    return gettext("not yet in both languages: %(fields)s", fields=names) if names else ""


def field_label(key: str) -> str:
    """A declared field's label (hub/content/fields.py) in the page's language;
    ``title_translation`` is the title in the other official language."""
    spec = declared.field_named(key)
    if spec is not None:
        return str(spec.label)
    base = declared.field_named(key.removesuffix("_translation"))
    if base is not None:
        return gettext("%(field)s in the other official language", field=str(base.label))
    return {"attachments": gettext("Files"), "status": gettext("Status")}.get(key, key)


def facet_labels() -> dict[str, str]:
    """Each declared facet's title in the page's language, by URL parameter."""
    return {f.name: str(f.label) for f in declared.facets()}


def submission_rows(data: dict) -> list[tuple[str, str, str, str]]:
    """A submission's typed fields as (key, label, text, style) rows for a
    read-only summary, in the declaration's order; empty optional ones left out.
    style: "plain", "prewrap", "code" or "pre"."""
    from hub.forms.submissions import ACCESS_CHOICES

    rows = []
    for spec in declared.form_fields():
        if spec.kind == "markdown":
            continue
        keys = [spec.name] + ([declared.translation_key(spec.name)] if spec.bilingual else [])
        for key in keys:
            value = data.get(key)
            if spec.kind == "keys":
                text = ", ".join(vocab_label(spec.vocabulary or "", k) for k in value or [])
            elif spec.name == "access":
                text = str(ACCESS_CHOICES.get(value or "public", value))
            elif spec.kind == "key" and value:
                text = vocab_label(spec.vocabulary or "", value)
            else:
                text = (value or "").strip() if isinstance(value, str) else ""
            if not text and (key != spec.name or not spec.required):
                continue
            style = {"longtext": "prewrap", "lines": "prewrap", "slug": "code", "assessment": "pre"}.get(
                spec.kind, "plain")
            rows.append((key, field_label(key), text or "—", style))
    return rows


def human_size(size: float) -> str:
    units = SIZE_UNITS.get(i18n.current_language(), SIZE_UNITS["en"])
    for n, unit in enumerate(units):
        if size < 1000 or n == len(units) - 1:
            value = format_decimal(size if n == 0 else round(size, 1))
            return f"{value}\N{NO-BREAK SPACE}{unit}"
        size /= 1000
    return str(size)


def published_label(resource, locale: str | None = None) -> str:
    """The year as written, else the long date in the Babel locale (``locale``,
    or the request's when not given)."""
    pub = resource.published or ""
    if len(pub) == 4:
        return pub
    if resource.published_on:
        if locale is None:
            babel_locale = get_locale()
            locale = str(babel_locale) if babel_locale is not None else None
        value = resource.published_on
        if locale is None or isinstance(value, datetime):
            return format_date(value, "long")
        return long_date(value, locale)
    return ""


@lru_cache(maxsize=8192)
def long_date(value: date, locale: str) -> str:
    """Babel's long form of a date (what Flask-Babel's ``format_date(value, "long")``
    gives for a date): about 10 µs each, and a results page shows twenty, most
    of them dates that other pages show again."""
    return dates.format_date(value, "long", locale=locale)


def format_number(value: int | float) -> str:
    return format_decimal(value)


def search_link(**params) -> str:
    """The search page in the current language, filtered: ``search_link(racism_type="anti-black")``.
    The path is fixed by the content contract, so this does not depend on how
    the search blueprint names its endpoint."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    query = urlencode(clean, doseq=True)
    return f"/{i18n.current_language()}/search" + (f"?{query}" if query else "")


def has_endpoint(endpoint: str) -> bool:
    """For optional navigation links: ``{% if has_endpoint('x.y') %}<li>…{% endif %}``."""
    return endpoint in current_app.view_functions


def url_builder(endpoint: str) -> Callable[..., str]:
    """``url_for(endpoint, **values)`` for the many links of a page to one
    endpoint (``{% set resource_url = url_builder('resources.show') %}``): the
    URL defaults (the language prefix) are worked out once, then the request's
    URL adapter builds each link, a third of url_for's cost. For endpoints whose
    defaults do not depend on the values given, as the hub's never do."""
    adapter = request_ctx.url_adapter if has_request_context() else None
    if adapter is None:
        return lambda **values: url_for(endpoint, **values)
    defaults: dict[str, Any] = {}
    current_app.inject_url_defaults(endpoint, defaults)

    def build(**values: Any) -> str:
        try:
            return adapter.build(endpoint, {**defaults, **values})
        except BuildError:
            return url_for(endpoint, **values)  # Flask's own handling of the error

    return build


def safe_url_for(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def citation(resource) -> str:
    """A plain-text citation in the APA style that librarians and report
    writers expect: creators (year). Title. Publisher. Where to find it."""
    creators = ", ".join(resource.authors or []) or resource.organization or ""
    year = str(resource.year) if resource.year else gettext("n.d.")
    parts = [f"{creators} ({year}).", f"{resource.title.rstrip('.')}."]
    if resource.authors and resource.organization:
        parts.append(f"{resource.organization}.")
    parts.append(resource.url or url_for("resources.show", slug=resource.slug, lang=resource.language,
                                         _external=True))
    return " ".join(p for p in parts if p.strip(" .()"))


def canonical_url() -> str | None:
    """This page's own address, without its query string: the one URL search
    engines should credit when the same page is reached with tracking or
    sorting parameters. None for pages outside the language-prefixed site."""
    if (request.url_rule is None or request.endpoint is None
            or not request.url_rule.rule.startswith("/<any(en,fr):lang>")):
        return None
    return url_for(request.endpoint, **{**(request.view_args or {}), "lang": i18n.current_language()},
                   _external=True)


def text_size_step() -> int:
    return textsize.step_from_cookie(request.cookies.get(textsize.COOKIE))


def text_size_percent() -> str:
    locale = get_locale()
    if locale is None:
        return format_percent(textsize.percent(text_size_step()) / 100)
    return _percent(textsize.percent(text_size_step()) / 100, str(locale))


@lru_cache(maxsize=64)
def _percent(value: float, locale: str) -> str:
    """Babel's percent format, on every page for the text size (about 10 µs)."""
    return numbers.format_percent(value, locale=locale)


def translation_callables() -> dict[str, Callable[..., str]]:
    """``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` for one
    render, bound to the translations of that moment (the request's locale, or
    the one ``force_locale`` sets). Flask-Babel's own callables look the
    translations up again for every string, walking ``g`` four times: a search
    page has some sixty strings. Installed as a context processor, so a new
    render (a new request, a new locale) always gets a fresh binding; templates
    rendered without Flask's ``render_template`` keep Flask-Babel's callables.

    Each behaves like Jinja's "newstyle" gettext: the translation is Markup when
    autoescaping, and always a %-format string filled with the keyword
    arguments (escaped), ``num`` defaulting to the count."""
    translations = get_translations()
    plain, plural = translations.ugettext, translations.ungettext
    in_context, plural_in_context = translations.upgettext, translations.unpgettext

    @pass_context
    def gettext_(__context: Context, __string: str, **variables: Any) -> str:
        return _newstyle(__context, plain(__string), variables)

    @pass_context
    def ngettext_(__context: Context, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("num", __num)
        return _newstyle(__context, plural(__singular, __plural, __num), variables)

    @pass_context
    def pgettext_(__context: Context, __string_ctx: str, __string: str, **variables: Any) -> str:
        variables.setdefault("context", __string_ctx)
        return _newstyle(__context, in_context(__string_ctx, __string), variables)

    @pass_context
    def npgettext_(__context: Context, __string_ctx: str, __singular: str, __plural: str, __num: int,
                   **variables: Any) -> str:
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        return _newstyle(__context, plural_in_context(__string_ctx, __singular, __plural, __num), variables)

    return {"_": gettext_, "gettext": gettext_, "ngettext": ngettext_, "pgettext": pgettext_,
            "npgettext": npgettext_}


def _newstyle(context: Context, translated: str, variables: dict[str, Any]) -> str:
    """Jinja's newstyle ending: Markup when autoescaping, then filled in."""
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - a catalogue message, escaped by the % that follows
    return translated % variables


def locale_callables() -> dict[str, Callable[..., str]]:
    """``vocab_label`` and ``published_label`` for one render, bound to its
    language and Babel locale: looked up once, not at each of a results page's
    sixty labels. (The globals of the same names, for templates rendered
    without ``render_template``, look them up at every call.)"""
    lang = i18n.current_language()
    label = load_vocabularies().label
    babel_locale = get_locale()
    locale = str(babel_locale) if babel_locale is not None else None

    def vocab_label_(vocab: str, key: str) -> str:
        return label(vocab, key, lang)

    def published_label_(resource) -> str:
        return published_label(resource, locale)

    return {"vocab_label": vocab_label_, "published_label": published_label_}


def init_app(app: Flask) -> None:
    app.context_processor(translation_callables)
    app.context_processor(locale_callables)
    app.jinja_env.globals.update(
        vocab_label=vocab_label,
        field_label=field_label,
        submission_rows=submission_rows,
        in_language=in_language,
        missing_translation_text=missing_translation_text,
        facet_labels=facet_labels,
        human_size=human_size,
        published_label=published_label,
        format_number=format_number,
        search_link=search_link,
        has_endpoint=has_endpoint,
        safe_url_for=safe_url_for,
        url_builder=url_builder,
        citation=citation,
        canonical_url=canonical_url,
        resource_json_ld=structured_data.resource_json_ld,
        website_json_ld=structured_data.website_json_ld,
        text_size_step=text_size_step,
        text_size_percent=text_size_percent,
        TEXT_SIZE_DEFAULT=textsize.DEFAULT,
        TEXT_SIZE_STEPS=",".join(str(s) for s in textsize.STEPS),
        current_language=i18n.current_language,
        other_language=i18n.other_language,
        url_in_language=i18n.url_in_language,
        LANGUAGES=i18n.LANGUAGES,
    )
