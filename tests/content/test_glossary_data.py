"""hub/glossary.yaml: the term list the glossary page and the marked bodies
read. Every term must be usable in both languages, come from a curated
glossary of the catalogue, and be found in the catalogue's own bodies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.content.render import render_markdown
from hub.glossary import GlossaryDataError, form_key, load_glossary, parse
from hub.services.glossary import matcher
from hub.yamlsafe import strict_load

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _front_matter(path: Path) -> tuple[dict, str]:
    _, meta, body = path.read_text(encoding="utf-8").split("---", 2)
    return strict_load(meta), body


def test_every_term_has_a_headword_and_a_definition_in_both_languages():
    glossary = load_glossary()
    assert len(glossary.terms) >= 40
    for term in glossary.terms:
        for lang in ("en", "fr"):
            entry = term.entries[lang]
            assert entry.term.strip() and len(entry.definition) >= 40, (term.key, lang)
        assert term.entries["en"].definition != term.entries["fr"].definition, term.key


def test_every_term_comes_from_a_curated_glossary_of_the_catalogue():
    for term in load_glossary().terms:
        path = RESOURCES / f"{term.source}.md"
        assert path.exists(), f"{term.key}: no resource '{term.source}'"
        assert _front_matter(path)[0]["type"] == "glossary", f"{term.key}: '{term.source}' is not a glossary"


def test_no_form_belongs_to_two_terms_in_one_language():
    for lang in ("en", "fr"):
        owners: dict[str, str] = {}
        for form, key in load_glossary().forms(lang):
            if key:
                assert owners.setdefault(form_key(form), key) == key, (lang, form)


def test_at_least_forty_terms_are_used_in_the_catalogue_bodies():
    used: dict[str, set[str]] = {"en": set(), "fr": set()}
    for path in RESOURCES.glob("*.md"):
        meta, body = _front_matter(path)
        used[meta["language"]] |= matcher(meta["language"]).used(render_markdown(body))
    assert len(used["en"] | used["fr"]) >= 40, sorted(used["en"] | used["fr"])
    # The terms an LIP meets first are all there, in both languages.
    for key in ("systemic-racism", "anti-black-racism", "islamophobia", "antisemitism", "microaggression",
                "intersectionality", "cultural-safety", "equity", "racialized"):
        assert key in used["en"] and key in used["fr"], key


def test_the_french_definitions_follow_french_typography():
    wrong = [t.key for t in load_glossary().terms
             if re.search(r"[^\u202f][:;!?](?=\s|$)", t.entries["fr"].definition)]
    assert not wrong


@pytest.mark.parametrize("data, message", [
    ({"terms": [{"key": "x", "source": "s", "en": {"term": "x", "definition": "d"}}]}, "'fr' entry is missing"),
    ({"terms": [{"key": "x", "source": "s", "en": {"term": "x", "definition": "d"},
                 "fr": {"term": "x", "definition": ""}}]}, "definition is missing"),
    ({"terms": [{"key": "x", "en": {"term": "x", "definition": "d"}, "fr": {"term": "x", "definition": "d"}}]},
     "source"),
    ({"terms": [{"key": "a", "source": "s", "en": {"term": "bias", "definition": "d"},
                 "fr": {"term": "biais", "definition": "d"}},
                {"key": "b", "source": "s", "en": {"term": "other", "forms": ["Bias"], "definition": "d"},
                 "fr": {"term": "autre", "definition": "d"}}]}, "'Bias' already belongs to 'a'"),
    ({"terms": [{"key": "Not A Key", "source": "s"}]}, "lowercase words"),
    ({"terms": "nothing"}, "a list named 'terms'"),
])
def test_a_broken_glossary_file_is_refused_with_the_entry_named(data, message):
    with pytest.raises(GlossaryDataError, match=re.escape(message)):
        parse(data)
