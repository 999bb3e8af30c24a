"""One test per rule of the content contract, through the same parser and
validator that imports and submissions use."""
from __future__ import annotations

import os

import pytest

from hub.content.frontmatter import ParseError, parse_text, read_file
from hub.content.validation import validate
from hub.vocabularies import load_vocabularies
from tests.conftest import resource_text

VOCAB = load_vocabularies()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def problems_for(tmp_path, text: str, files: dict[str, bytes] | None = None, strict: bool = True):
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    for name, data in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    doc = read_file(path, 1024 * 1024)
    return [p.message for p in validate(doc, VOCAB, strict=strict).problems]


def test_a_valid_file_has_no_problems(tmp_path):
    assert problems_for(tmp_path, resource_text()) == []


@pytest.mark.parametrize("field, value, expected", [
    ("title", None, "missing title"),
    ("summary", None, "missing summary"),
    ("type", "tool-kit", "unknown type 'tool-kit' (did you mean toolkit?)"),
    ("racism_types", "[anti-blak]", "unknown racism_types key 'anti-blak' (did you mean anti-black?)"),
    ("audiences", "[plumbers]", "unknown audiences key 'plumbers'"),
    ("language", "de", "unknown language 'de'"),
    ("region", "zz", "unknown region 'zz'"),
    ("published", "2022-13-45", "bad date '2022-13-45'"),
    ("published", "March 2022", "bad date 'March 2022'"),
    ("url", "javascript:alert(1)", "must be an absolute http:// or https:// address"),
    ("url", "example.org/toolkit", "must be an absolute http:// or https:// address"),
    ("slug", "Bad/Slug", "slug 'Bad/Slug' must be lowercase letters"),
    ("slug", "../etc", "must be lowercase letters"),
    ("access", "secret", "unknown access 'secret'"),
    ("titel", "Typo", "unknown front-matter key 'titel' (did you mean title?)"),
    ("title", "'" + "x" * 2000 + "'", "title is 2,000 characters long; the limit is 300"),
    ("summary", "'" + "é" * 601 + "'", "summary is 601 characters long; the limit is 600"),
])
def test_each_broken_rule_is_reported(tmp_path, field, value, expected):
    problems = problems_for(tmp_path, resource_text(**{field: value}))
    assert any(expected in p for p in problems), problems


def test_limits_count_characters_not_bytes(tmp_path):
    assert problems_for(tmp_path, resource_text(summary="'" + "é" * 600 + "'")) == []


def test_slug_is_derived_from_the_title_when_absent(tmp_path):
    (tmp_path / "x.md").write_text(resource_text(title="'Équité & Inclusion: un guide'"), encoding="utf-8")
    result = validate(read_file(tmp_path / "x.md", 10**6), VOCAB)
    assert result.fields.slug == "equite-inclusion-un-guide"


def test_bare_year_is_a_date(tmp_path):
    (tmp_path / "x.md").write_text(resource_text(published="2019"), encoding="utf-8")
    result = validate(read_file(tmp_path / "x.md", 10**6), VOCAB)
    assert result.fields.published == "2019" and result.fields.year == 2019


def test_region_on_is_ontario_not_a_boolean(tmp_path):
    (tmp_path / "x.md").write_text(resource_text(region="on"), encoding="utf-8")
    assert validate(read_file(tmp_path / "x.md", 10**6), VOCAB).fields.region == "on"


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("   \n\n", "the file is empty"),
    ("title: no fences\n", "no front matter"),
    ("---\ntitle: x\n", "not closed"),
    ("---\ntitle: [unclosed\n---\n", "bad YAML"),
    ("---\ntitle: a\ntitle: b\n---\n", "the key 'title' is repeated"),
    ("---\n- a\n- b\n---\n", "must be a list of 'key: value' lines"),
    ("---\nx: !!python/object/apply:os.system [echo hi]\n---\n", "bad YAML"),
    ("---\na: &a [1,2]\nb: [*a, *a]\n---\n", "aliases (*name) are not allowed"),
])
def test_unreadable_front_matter_is_reported_not_crashed_on(text, expected):
    with pytest.raises(ParseError, match=expected.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        parse_text(text)


def test_alias_bomb_is_refused_quickly():
    bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(9)) + "---\n"
    with pytest.raises(ParseError, match="aliases"):
        parse_text(bomb)


def test_latin1_file_is_reported(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes(resource_text(title="Équité").encode("latin-1"))
    with pytest.raises(ParseError, match="not UTF-8"):
        read_file(path, 10**6)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + resource_text().encode("utf-8"))
    assert validate(read_file(path, 10**6), VOCAB).problems == []


def test_oversized_file_names_the_limit(tmp_path):
    path = tmp_path / "big.md"
    path.write_text(resource_text(body="x" * 2000), encoding="utf-8")
    with pytest.raises(ParseError, match="over the limit of 1,000 bytes"):
        read_file(path, 1000)


@pytest.mark.parametrize("entry, files, expected", [
    ("[/etc/passwd]", {}, "is an absolute path"),
    ("[../secret.pdf]", {}, "climbs out of the resource's folder"),
    ("[files/missing.pdf]", {}, "attachment 'files/missing.pdf' not found"),
    ("[files/page.pdf]", {"files/page.pdf": b"<!doctype html><script>alert(1)</script>"},
     "is named .pdf but its content is HTML or XML, not PDF"),
    ("[files/tool.exe]", {"files/tool.exe": b"MZ\x90\x00"}, "attachments must be PDF, DOCX, TXT, PNG or JPEG"),
    ("[files/a.txt, files/a.txt]", {"files/a.txt": b"hello"}, "two attachments are named 'a.txt'"),
])
def test_bad_attachments_are_reported(tmp_path, entry, files, expected):
    problems = problems_for(tmp_path, resource_text(files=entry), files)
    assert any(expected in p for p in problems), problems


def test_symbolic_link_attachment_is_refused(tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret")
    (tmp_path / "files").mkdir()
    os.symlink(outside, tmp_path / "files" / "link.txt")
    problems = problems_for(tmp_path, resource_text(files="[files/link.txt]"))
    assert any("is a symbolic link" in p for p in problems), problems


def test_good_attachments_are_read_with_their_type(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "check.pdf").write_bytes(PDF)
    (tmp_path / "files" / "notes.txt").write_text("Une liste de vérification", encoding="utf-8")
    (tmp_path / "x.md").write_text(resource_text(files="[files/check.pdf, files/notes.txt]"), encoding="utf-8")
    result = validate(read_file(tmp_path / "x.md", 10**6), VOCAB)
    assert result.problems == []
    assert [(a.filename, a.media_type) for a in result.fields.attachments] == [
        ("check.pdf", "application/pdf"), ("notes.txt", "text/plain")]


def test_assessment_block_must_be_whole(tmp_path):
    broken = ("\n  scale: [No]\n  sections:\n    - id: Bad Id\n      questions: nope\n")
    problems = problems_for(tmp_path, resource_text(type="self-assessment", assessment=broken))
    joined = " | ".join(problems)
    assert "scale must be a list of 2 to 10" in joined
    assert "needs an id" in joined
    assert "needs a title" in joined
    assert "needs a list of questions" in joined


def test_assessment_only_on_self_assessments(tmp_path):
    block = ("\n  scale: [No, Yes]\n  sections:\n    - id: a\n      title: A\n      questions: [Is it so]\n")
    problems = problems_for(tmp_path, resource_text(type="toolkit", assessment=block))
    assert any("only a resource of type self-assessment" in p for p in problems)


def test_lenient_mode_allows_missing_fields_but_not_bad_values(tmp_path):
    text = "---\ntitle: Draft\nracism_types: [anti-blak]\n---\n"
    problems = problems_for(tmp_path, text, strict=False)
    assert problems == ["unknown racism_types key 'anti-blak' (did you mean anti-black?)"]


@pytest.mark.parametrize("front, warned", [
    ("organization: Project 1907, #Elimin8Hate, VAFF", ["organization"]),
    ('organization: "Project 1907, #Elimin8Hate, VAFF"', []),        # quoted: kept whole
    ("region: ab   # Alberta", []),                                    # a deliberate comment
    ("url: https://example.org/page#section", []),                     # no space before '#'
    ("summary: >-\n  Hashtags such as #MeToo stay\n  in a block.", []),  # block text is not YAML
    ("title:\n  en: Before #After\n  fr: Avant", ["en"]),            # nested values too
])
def test_a_value_cut_short_by_a_hash_is_reported_as_a_warning(front, warned):
    from hub.content.frontmatter import cut_short_values

    assert [message.split(":", 1)[0] for message in cut_short_values(front)] == warned


ACTION_BLOCK = """
  scale: [No, Yes]
  sections:
    - id: a
      title: A
      questions:
        - Plain statement
        - text: With a step in both languages
          action: {en: Write it down., fr: L'écrire.}
        - text: With a plain step and a weight
          action: Call the co-chairs.
          weight: 3
        - text: Weight one is the default
          weight: 1
"""


def test_a_statement_may_carry_a_first_step_in_one_or_both_languages(tmp_path):
    (tmp_path / "x.md").write_text(resource_text(type="self-assessment", assessment=ACTION_BLOCK), encoding="utf-8")
    result = validate(read_file(tmp_path / "x.md", 10**6), VOCAB)
    assert result.problems == []
    assert result.fields.assessment["sections"][0]["questions"] == [
        "Plain statement",
        {"text": "With a step in both languages", "action": {"en": "Write it down.", "fr": "L'écrire."}},
        {"text": "With a plain step and a weight", "action": "Call the co-chairs.", "weight": 3},
        "Weight one is the default"]


@pytest.mark.parametrize("question, expected", [
    ("{text: X, action: ''}", "action is empty"),
    ("{text: X, action: {de: Schritt}}", "unknown language(s) de"),
    ("{text: X, action: {en: ''}}", "action.en must be text"),
    ("{text: X, action: [a, b]}", "action must be text or a block"),
    ("{action: Do it.}", "needs its text"),
    ("{text: X, step: Do it.}", "unknown key(s) step"),
    ("{text: X, weight: 9}", "weight must be a whole number from 1 to 5"),
    ("{text: X, weight: yes}", "weight must be a whole number from 1 to 5"),
    ("[nested]", "must be text or a block with text and action"),
    ("{text: X, action: " + "a" * 401 + "}", "the limit is 400"),
])
def test_a_broken_first_step_is_refused_with_its_place(tmp_path, question, expected):
    block = f"\n  scale: [No, Yes]\n  sections:\n    - id: a\n      title: A\n      questions:\n        - {question}\n"
    problems = problems_for(tmp_path, resource_text(type="self-assessment", assessment=block))
    assert any(expected in p and "section 'a', question 1" in p for p in problems), problems
