"""Jinja helpers: vocabulary labels, locale formatting, the language switch."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_decimal

from hub import i18n
from hub.vocabularies import load_vocabularies


def vocab_label(vocab: str, key: str) -> str:
    return load_vocabularies().label(vocab, key, i18n.current_language())


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            value = format_decimal(size if unit == "B" else round(size, 1))
            return f"{value} {unit}"
        size /= 1000
    return str(size)


def published_label(resource) -> str:
    pub = resource.published or ""
    if len(pub) == 4:
        return pub
    if resource.published_on:
        return format_date(resource.published_on, "long")
    return ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        vocab_label=vocab_label,
        human_size=human_size,
        published_label=published_label,
        current_language=i18n.current_language,
        other_language=i18n.other_language,
        url_in_language=i18n.url_in_language,
        LANGUAGES=i18n.LANGUAGES,
    )
