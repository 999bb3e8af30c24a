"""The curated catalogue as a reader meets it: every outside resource leads to
the document, every resource is described in both official languages, and
the two editions of a work point at each other. Read through the same parser
and validator the import uses, so a file that passes here imports."""
from __future__ import annotations

from pathlib import Path

import pytest

from config import Config
from hub.content.frontmatter import read_file
from hub.content.validation import validate
from hub.vocabularies import load_vocabularies

CATALOGUE = Path(Config.CATALOGUE_DIR)
PATHS = sorted(CATALOGUE.rglob("*.md"))
DOCS = {path.name: read_file(path, 1024 * 1024).meta for path in PATHS}
BY_SLUG = {meta["slug"]: meta for meta in DOCS.values()}
WORKING_GROUP = {"LIP Anti-Racism Working Group", "Groupe de travail sur l'antiracisme des PLI"}


def is_public(meta: dict) -> bool:
    return meta.get("access", "public") == "public"


def is_outside(meta: dict) -> bool:
    """Published by someone other than the working group that curates the hub."""
    return meta["organization"] not in WORKING_GROUP


def test_the_catalogue_is_there():
    assert len(PATHS) >= 75 and len(BY_SLUG) == len(PATHS)


def test_every_file_passes_the_importers_checks():
    vocab = load_vocabularies()
    problems = {}
    for path in PATHS:
        found = validate(read_file(path, 1024 * 1024), vocab, strict=True).problems
        if found:
            problems[path.name] = [p.message for p in found]
    assert problems == {}


def test_every_public_outside_resource_leads_to_the_document():
    dead_ends = [name for name, meta in DOCS.items()
                 if is_public(meta) and is_outside(meta) and not meta.get("url") and not meta.get("files")]
    assert dead_ends == []


@pytest.mark.parametrize("field, limit", [("title", 300), ("summary", 600)])
def test_every_resource_is_described_in_both_languages(field, limit):
    missing, too_long = [], []
    for name, meta in DOCS.items():
        value = meta.get(field)
        if not isinstance(value, dict) or not all(str(value.get(lang) or "").strip() for lang in ("en", "fr")):
            missing.append(name)
            continue
        too_long += [f"{name} ({lang})" for lang in ("en", "fr") if len(value[lang]) > limit]
    assert missing == [] and too_long == []


def test_topics_are_given_in_both_languages_when_given():
    one_sided = [name for name, meta in DOCS.items() if meta.get("topics")
                 and not (isinstance(meta["topics"], dict) and meta["topics"].get("en") and meta["topics"].get("fr"))]
    assert one_sided == []


def test_translations_are_the_other_language_and_point_back():
    broken = []
    for slug, meta in BY_SLUG.items():
        other = meta.get("translation")
        if not other:
            continue
        target = BY_SLUG.get(other)
        if target is None:
            broken.append(f"{slug} -> {other}: no such resource")
        elif target.get("translation") != slug:
            broken.append(f"{slug} -> {other}: does not point back")
        elif target["language"] == meta["language"]:
            broken.append(f"{slug} -> {other}: same language")
    assert broken == []


def test_no_front_matter_value_is_cut_short_by_a_hash():
    """YAML reads ' #' in an unquoted value as the start of a comment, which
    silently drops the rest of the line (an organisation once lost its last
    three partners this way)."""
    cut = []
    for path in PATHS:
        front = path.read_text(encoding="utf-8").split("---\n", 2)[1]
        for line in front.splitlines():
            key, sep, value = line.partition(": ")
            value = value.strip()
            if sep and value and value[0] not in "\"'[{>|" and " #" in value:
                cut.append(f"{path.name}: {key.strip()}")
    assert cut == []


def test_every_resource_names_a_known_publisher():
    """The publisher facet ("only LIP-made tools", "Government of Canada only")
    is only as good as its keys: every curated resource names one, the key
    exists, and the working group's own resources carry the working group's key."""
    vocab = load_vocabularies()
    problems = []
    for name, meta in DOCS.items():
        key = meta.get("publisher")
        term = vocab.term("publishers", key) if key else None
        if term is None:
            problems.append(f"{name}: publisher {key!r} is not in the publishers vocabulary")
        elif (meta["organization"] in WORKING_GROUP) != (term.kind == "working-group"):
            problems.append(f"{name}: organization {meta['organization']!r} but publisher kind {term.kind!r}")
    assert problems == []
