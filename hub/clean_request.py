"""Every query parameter and form field arrives cleaned (`hub.textclean`).

Cleaning where Werkzeug builds its parameter dictionaries covers every way a
request brings text in (the site's forms, the API's and the feed's query
parameters, OAI-PMH verbs) without each view remembering to do it: ``?q=%00``
or a form field holding U+0001 reaches no view, no database row and no XML
writer. Line breaks are kept here (a text area needs them); one-line fields
lose theirs in the services that know which fields are one-line.

The names of the fields that lost characters are kept on the dictionary, so a
form can tell the person which field was changed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from hub.textclean import clean_text, needs_cleaning


def _pairs(mapping) -> Iterable[tuple]:
    if mapping is None:
        return ()
    if isinstance(mapping, Mapping):
        lists = getattr(mapping, "lists", None)  # a MultiDict: every value of a repeated key
        if callable(lists):
            return ((k, v) for k, values in lists() for v in values)
        return mapping.items()
    return mapping


class CleanParameters(ImmutableMultiDict):
    """An immutable multi-dict whose text values are cleaned on construction."""

    def __init__(self, mapping=None) -> None:
        changed: set[str] = set()
        cleaned = []
        for key, value in _pairs(mapping):
            if isinstance(key, str):
                key = clean_text(key, multiline=False)
            if isinstance(value, str):
                if needs_cleaning(value):
                    changed.add(key)
                value = clean_text(value)
            cleaned.append((key, value))
        super().__init__(cleaned)
        self.cleaned_keys = frozenset(changed)


class CleanRequest(Request):
    parameter_storage_class = CleanParameters


def cleaned_fields(params) -> frozenset[str]:
    """The names of `params`' fields that lost characters on the way in."""
    return getattr(params, "cleaned_keys", frozenset())


def init_app(app) -> None:
    app.request_class = CleanRequest
