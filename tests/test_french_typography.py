"""French as Canadian French readers expect it: a narrow no-break space
before : ; ! ?, French byte units, one name per concept."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parent.parent / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
VOCABULARIES = Path(__file__).resolve().parent.parent / "hub" / "vocabularies.yaml"
#: A colon, semicolon, exclamation or question mark ending a word or a phrase
#: (not inside a URL, a time or search syntax such as type:toolkit).
PUNCTUATION = re.compile(r"(.)([:;!?])(?=\s|$)")


def _french():
    with PO.open("rb") as fh:
        for message in read_po(fh, locale="fr"):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield from (s for s in strings if s)


def test_high_punctuation_has_a_narrow_no_break_space_before_it():
    wrong = []
    for text in _french():
        for before, mark in PUNCTUATION.findall(text):
            if before != "\N{NARROW NO-BREAK SPACE}":
                wrong.append(f"{mark!r} after {before!r} in {text[:70]!r}")
    assert not wrong, "run: python tools/french_typography.py\n" + "\n".join(wrong[:20])


def test_one_name_per_concept():
    texts = list(_french())
    assert not [t for t in texts if re.search(r"\bformes? de racisme\b", t, re.I)]
    assert not [t for t in texts if "Auto-évaluation" in t or "auto-évaluation" in t]
    assert "Auto-évaluation" not in VOCABULARIES.read_text(encoding="utf-8")


def test_the_data_files_french_follows_the_same_rule():
    from hub.yamlsafe import strict_load

    wrong = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "fr" and isinstance(value, str):
                    wrong.extend(value for before, _ in PUNCTUATION.findall(value)
                                 if before != "\N{NARROW NO-BREAK SPACE}")
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in ("working_groups.yaml", "vocabularies.yaml"):
        walk(strict_load((VOCABULARIES.parent / name).read_text(encoding="utf-8")))
    assert not wrong, wrong[:5]
