"""Every interface string reaches a French reader in French: the catalogue is
complete and current, and templates hold no text that skipped gettext."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "templates"

#: Words that are right in any interface language: the language switch names
#: each language in itself, and the text-size buttons are symbols.
ALLOWED_LITERALS = {"Français", "English", "LIP", "A−", "A", "A+"}


def _catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="fr")


def test_every_message_has_a_french_translation():
    missing, fuzzy = [], []
    for message in _catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{len(missing)} message(s) without French: {missing[:20]}"
    assert not fuzzy, f"fuzzy translations (check and unmark them): {fuzzy[:20]}"


def test_french_keeps_the_placeholders_of_the_english():
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        for s in strings:
            assert set(placeholder.findall(s)) == wanted, (message.id, s)


def test_the_catalogue_holds_every_string_in_the_code():
    """Run the same extraction as `pybabel extract -F babel.cfg -k _l`: a new
    string nobody added to messages.po would reach French readers in English."""
    method_map = [("hub/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
                "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3), "lazy_ngettext": (1, 2)}
    known = {m.id if not isinstance(m.id, tuple) else m.id[0] for m in _catalogue() if m.id}
    missing = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid and msgid not in known:
            missing.append(f"{filename}: {msgid!r}")
    assert not missing, ("strings missing from messages.po (run pybabel extract + update, then translate):\n"
                         + "\n".join(missing[:30]))


# -- templates: no literal interface text ------------------------------------------
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
#: A block deliberately written in the other language (bilingual error pages).
_OTHER_LANG_BLOCK = re.compile(r"<(div|p|span|section)\b[^>]*\blang=\"\{\{ other \}\}\"[^>]*>.*?</\1>", re.S)
#: Scripts, styles and code samples (URLs, parameters, commands) are not interface text.
_SKIP_ELEMENTS = re.compile(r"<(script|style|code|pre|kbd|samp)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_ATTR = re.compile(r"\b(aria-label|title|placeholder|alt|content|value)=\"([^\"{]*[^\W\d_][^\"{]*)\"")


def literal_text(source: str) -> list[str]:
    """Text a reader would see that does not come from gettext or data."""
    found = []
    body = _OTHER_LANG_BLOCK.sub(" ", source)
    body = _SKIP_ELEMENTS.sub(" ", body)
    for match in _ATTR.finditer(_JINJA.sub("0", body)):
        name, value = match.groups()
        if name in ("content", "value") and not re.search(r"[A-Za-zÀ-ÿ]{3,} [A-Za-zÀ-ÿ]{3,}", value):
            continue  # meta viewport, charset and the like
        found.append(f'{name}="{value}"')
    text = _TAG.sub("  ", _JINJA.sub("  ", body))
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    for chunk in re.split(r"\s{2,}|\n", text):
        chunk = chunk.strip(" ·:,.()|/-–—")
        if any(c.isalpha() for c in chunk) and chunk not in ALLOWED_LITERALS:
            found.append(chunk)
    return found


def test_the_literal_text_check_catches_untranslated_text():
    assert literal_text("<p>Hello there</p>") == ["Hello there"]
    assert literal_text('<input aria-label="Search words">') == ['aria-label="Search words"']
    assert literal_text("<p>{{ _('Hello') }}</p><a lang=\"fr\">{{ x }}</a>") == []
    assert literal_text('<div lang="{{ other }}"><p>Bonjour</p></div>') == []
    assert literal_text("<p>{{ _('Call') }} <code>GET /api/v1/resources</code></p>") == []


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_untranslated_text(template):
    found = literal_text(template.read_text(encoding="utf-8"))
    assert not found, f"{template.relative_to(ROOT)} shows text that skips gettext: {found}"
