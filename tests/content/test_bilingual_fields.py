"""Second version of the contract: title, summary and topics in one language
(plain, as in the first version) or both ({en, fr}); publisher as a vocabulary key."""
from __future__ import annotations

import pytest

from hub.content.frontmatter import parse_text
from hub.content.validation import validate
from hub.vocabularies import PUBLISHER_KINDS, Vocabularies, VocabularyError, load_vocabularies
from tests.conftest import resource_text

VOCAB = load_vocabularies()


def check(strict: bool = True, **fields):
    result = validate(parse_text(resource_text(**fields), "x.md"), VOCAB, strict=strict)
    return result.fields, [p.message for p in result.problems]


def test_a_first_version_file_is_read_as_the_documents_language():
    f, problems = check(language="fr", title="Embaucher sans préjugés", topics="[embauche]")
    assert problems == []
    assert f.title == "Embaucher sans préjugés"
    assert f.titles == {"fr": "Embaucher sans préjugés"}
    assert f.topics_by_language == {"fr": ["embauche"]}
    assert f.translations == {}


def test_both_languages_keep_the_documents_own_value_where_it_was():
    f, problems = check(language="fr",
                        title="{en: Hiring Without Bias, fr: Embaucher sans préjugés}",
                        summary="{en: Practices for employers., fr: Des pratiques pour les employeurs.}",
                        topics="{en: [hiring], fr: [embauche, recrutement]}")
    assert problems == []
    assert f.title == "Embaucher sans préjugés" and f.slug == "embaucher-sans-prejuges"
    assert f.summary == "Des pratiques pour les employeurs."
    assert f.topics == ["embauche", "recrutement"]
    assert f.titles == {"en": "Hiring Without Bias", "fr": "Embaucher sans préjugés"}
    assert f.summaries["en"] == "Practices for employers."
    assert f.topics_by_language == {"en": ["hiring"], "fr": ["embauche", "recrutement"]}


def test_the_documents_own_language_is_required_in_a_mapping():
    _, problems = check(language="en", title="{fr: Embaucher sans préjugés}")
    assert any("missing title in the document's language (en)" in p for p in problems)


def test_a_draft_may_hold_only_the_other_language():
    f, problems = check(strict=False, language="en", title="{fr: Embaucher sans préjugés}")
    assert problems == []
    assert f.titles == {"fr": "Embaucher sans préjugés"}


def test_an_unknown_language_key_is_named():
    _, problems = check(summary="{en: Practices., de: Praktiken.}")
    assert any("summary: unknown language 'de'" in p for p in problems)


def test_limits_apply_to_each_language_in_characters():
    _, problems = check(title="{en: Short, fr: " + "é" * 301 + "}")
    assert any("title (fr) is 301 characters long; the limit is 300" in p for p in problems)


def test_publisher_is_a_key_of_the_publishers_vocabulary():
    f, problems = check(publisher="statistics-canada")
    assert problems == [] and f.publisher == "statistics-canada"


def test_an_unknown_publisher_says_what_to_use_instead():
    _, problems = check(publisher="Statistics Canada")
    assert problems == ["unknown publisher 'Statistics Canada' (did you mean statistics-canada?)"]
    _, problems = check(publisher="statcan")
    assert problems == ["unknown publisher 'statcan' (did you mean statistics-canada?)"]
    _, problems = check(publisher="nobody-we-know")
    assert len(problems) == 1 and "publishers list in hub/vocabularies.yaml" in problems[0]


def test_every_publisher_has_both_names_and_a_known_kind():
    publishers = VOCAB.terms("publishers")
    assert len(publishers) >= 40
    for term in publishers:
        assert term.labels["en"] and term.labels["fr"], term.key
        assert term.kind in PUBLISHER_KINDS, term.key


def test_a_publisher_without_a_kind_is_refused_when_the_vocabularies_load():
    with pytest.raises(VocabularyError, match="'x-lip' has kind ''"):
        Vocabularies({"publishers": {"x-lip": {"label": {"en": "X LIP", "fr": "PLI de X"}}}})
    with pytest.raises(VocabularyError, match="needs a label in English and French"):
        Vocabularies({"publishers": {"x-lip": {"label": {"en": "X LIP"}, "kind": "lip"}}})


def test_the_curated_organizations_all_have_a_publisher():
    """Seeded from the curated catalogue: every organization named there is a
    publisher's name or alternative name (or begins with one)."""
    import pathlib

    from hub.content.frontmatter import read_file

    names = [n.casefold() for t in VOCAB.terms("publishers") for n in t.search_terms()]
    folder = pathlib.Path(__file__).resolve().parents[2] / "resources"
    missing = []
    for path in sorted(folder.glob("*.md")):
        org = str(read_file(path, 1024 * 1024).meta.get("organization") or "").casefold()
        if org and not any(org.startswith(n) or n in org for n in names if len(n) > 3):
            missing.append(org)
    assert missing == []
