"""Pathway files: what an editor writes, and what the import says back when
a rule is broken (every problem of a file, by name, in plain words)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hub.content.frontmatter import ParseError, parse_text, read_file
from hub.content.pathways import MAX_RESOURCES, is_pathway, to_markdown, validate_pathway
from tests.pathway_files import pathway_meta, pathway_text

CATALOGUE = {"resource-1", "resource-2", "resource-3", "hiring-without-bias"}
ROOT = Path(__file__).resolve().parent.parent.parent


def check(text: str, known=CATALOGUE):
    return validate_pathway(parse_text(text, source="p.md"), known.__contains__, lambda: known)


def problems_of(text: str) -> str:
    result = check(text)
    assert result.fields is None, "the file was accepted"
    return "; ".join(result.problems)


def test_a_valid_pathway_reads_into_its_fields_in_both_languages():
    result = check(pathway_text(steps=[["resource-1", "resource-2"], ["resource-3"]], order=2))
    assert result.ok
    fields = result.fields
    assert fields.slug == "first-steps" and fields.order == 2
    assert fields.titles == {"en": "Pathway first-steps", "fr": "Parcours first-steps"}
    assert fields.introductions["fr"] == "Par où *commencer*."
    assert [s.resources for s in fields.steps] == [("resource-1", "resource-2"), ("resource-3",)]
    assert fields.steps[1].titles == {"en": "Step title 2", "fr": "Titre de l'étape 2"}


def test_a_pathway_is_told_from_a_resource_by_its_steps():
    assert is_pathway(parse_text(pathway_text()))
    assert not is_pathway(parse_text("---\ntitle: A resource\ntype: toolkit\n---\nBody\n"))


def test_the_slug_is_derived_from_the_english_title_when_absent():
    meta = pathway_meta(slug=None, title={"en": "Responding to a Hate Incident", "fr": "Réagir"})
    result = check(pathway_text(**{k: v for k, v in meta.items() if k not in ("slug",)}, slug=None))
    assert result.fields.slug == "responding-to-a-hate-incident"


@pytest.mark.parametrize("where, override, expected", [
    ("title", {"title": {"en": "Only English"}}, "missing title in French (fr)"),
    ("introduction", {"introduction": {"fr": "Seulement en français"}}, "missing introduction in English (en)"),
    ("title", {"title": "One language only"}, "title must give both languages"),
    ("title", {"title": {"en": "A", "fr": "B", "es": "C"}}, "unknown language 'es'"),
])
def test_both_languages_are_required(where, override, expected):
    assert expected in problems_of(pathway_text(**override))


def test_a_step_without_its_french_text_is_named_by_number():
    meta = pathway_meta()
    del meta["steps"][1]["text"]["fr"]
    assert "missing step 2 text in French (fr)" in problems_of(pathway_text(**meta))


def test_an_unknown_resource_is_named_with_its_step_and_a_suggestion():
    message = problems_of(pathway_text(steps=[["resource-1"], ["hiring-without-bais"]]))
    assert "step 2: unknown resource 'hiring-without-bais' (did you mean hiring-without-bias?)" in message


def test_a_duplicate_step_is_refused():
    meta = pathway_meta(steps=[["resource-1"], ["resource-2"], ["resource-3"]])
    meta["steps"][2]["title"] = dict(meta["steps"][0]["title"])
    message = problems_of(pathway_text(**meta))
    assert "step 3 repeats step 1 ('Step title 1')" in message


def test_a_resource_listed_twice_in_one_step_is_refused():
    assert "step 1 lists the resource 'resource-1' twice" in problems_of(
        pathway_text(steps=[["resource-1", "resource-1"]]))


@pytest.mark.parametrize("override, expected", [
    ({"titel": "x"}, "unknown key 'titel' (did you mean title?)"),
    ({"steps": []}, "steps must be a list of 1 to 12 steps"),
    ({"steps": "step one"}, "steps must be a list of 1 to 12 steps"),
    ({"steps": [{"title": {"en": "A", "fr": "B"}, "text": {"en": "a", "fr": "b"}}]}, "step 1 needs 'resources:'"),
    ({"steps": [{"title": {"en": "A", "fr": "B"}, "text": {"en": "a", "fr": "b"}, "resources": ["resource-1"],
                 "resource": ["x"]}]}, "step 1: unknown key 'resource' (did you mean resources?)"),
    ({"steps": [{"title": {"en": "A", "fr": "B"}, "text": {"en": "a", "fr": "b"},
                 "resources": [f"r-{n}" for n in range(MAX_RESOURCES + 1)]}]}, "more than 8"),
    ({"slug": "Not A Slug"}, "slug must be lowercase letters"),
    ({"order": "first"}, "order must be a whole number"),
    ({"introduction": None}, "missing introduction"),
])
def test_bad_front_matter_is_explained(override, expected):
    assert expected in problems_of(pathway_text(**override))


def test_every_problem_of_a_file_is_reported_at_once():
    meta = pathway_meta(steps=[["nowhere"]], title={"en": "Only English"})
    message = problems_of(pathway_text(**meta))
    assert "missing title in French (fr)" in message and "unknown resource 'nowhere'" in message


def test_text_after_the_front_matter_is_refused_rather_than_lost():
    assert "the text after the front matter must be empty" in problems_of(pathway_text(body="Stray words\n"))


def test_bad_yaml_is_a_parse_error_with_the_line(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\nslug: a\nsteps: [one\n---\n", encoding="utf-8")
    with pytest.raises(ParseError, match="bad YAML"):
        read_file(path, 1_000_000)


def test_export_gives_back_the_same_pathway():
    meta = pathway_meta(steps=[["resource-1"], ["resource-2", "resource-3"]], order=4)
    meta["introduction"]["en"] = "First paragraph.\n\nSecond paragraph with a [link](https://example.org)."
    fields = check(pathway_text(**meta)).fields
    written = to_markdown(fields)
    again = check(written).fields
    assert again == fields and again.checksum() == fields.checksum()
    assert to_markdown(again) == written
    assert "introduction:\n  en: |-\n    First paragraph.\n\n    Second paragraph" in written


# -- the launch pathways in pathways/ ------------------------------------------------
def _catalogue_slugs() -> set[str]:
    from hub.content.validation import slugify

    slugs = set()
    for path in (ROOT / "resources").glob("*.md"):
        meta = read_file(path, 1_048_576).meta
        title = meta["title"]["en"] if isinstance(meta["title"], dict) and "en" in meta["title"] else meta["title"]
        slugs.add(meta.get("slug") or slugify(title if isinstance(title, str) else path.stem))
    return slugs


LAUNCH = sorted((ROOT / "pathways").glob("*.md"))


def test_at_least_five_pathways_at_launch():
    assert len(LAUNCH) >= 5


@pytest.mark.parametrize("path", LAUNCH, ids=lambda p: p.stem)
def test_each_launch_pathway_is_valid_and_sized_for_a_reader(path):
    slugs = _catalogue_slugs()
    result = validate_pathway(read_file(path, 1_048_576), slugs.__contains__, lambda: slugs)
    assert result.ok, result.problems
    fields = result.fields
    assert fields.slug == path.stem
    assert 3 <= len(fields.steps) <= 6
    for step in fields.steps:
        assert 1 <= len(step.resources) <= 4
        assert set(step.titles) == set(step.texts) == {"en", "fr"}
