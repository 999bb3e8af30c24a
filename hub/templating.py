"""Jinja helpers: vocabulary labels, locale formatting, the language switch,
links into filtered searches, citations and the reader's text size."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_decimal, format_percent, gettext
from werkzeug.routing import BuildError

from hub import i18n, textsize
from hub.vocabularies import load_vocabularies


def vocab_label(vocab: str, key: str) -> str:
    return load_vocabularies().label(vocab, key, i18n.current_language())


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            value = format_decimal(size if unit == "B" else round(size, 1))
            return f"{value}\N{NO-BREAK SPACE}{unit}"
        size /= 1000
    return str(size)


def published_label(resource) -> str:
    pub = resource.published or ""
    if len(pub) == 4:
        return pub
    if resource.published_on:
        return format_date(resource.published_on, "long")
    return ""


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


def text_size_step() -> int:
    return textsize.step_from_cookie(request.cookies.get(textsize.COOKIE))


def text_size_percent() -> str:
    return format_percent(textsize.percent(text_size_step()) / 100)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        vocab_label=vocab_label,
        human_size=human_size,
        published_label=published_label,
        format_number=format_number,
        search_link=search_link,
        has_endpoint=has_endpoint,
        safe_url_for=safe_url_for,
        citation=citation,
        text_size_step=text_size_step,
        text_size_percent=text_size_percent,
        TEXT_SIZE_DEFAULT=textsize.DEFAULT,
        TEXT_SIZE_STEPS=",".join(str(s) for s in textsize.STEPS),
        current_language=i18n.current_language,
        other_language=i18n.other_language,
        url_in_language=i18n.url_in_language,
        LANGUAGES=i18n.LANGUAGES,
    )
