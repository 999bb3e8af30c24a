"""Snippets: escaped text, the reader's words in <mark>, the best passage."""
import re

from hypothesis import given, strategies as st

from hub.search.analysis import tokens
from hub.search.snippets import _compile_needles, _word_starts, mark, passage, plain_text, squeeze


def terms(q, lang="en"):
    return frozenset(tokens(q, lang))


def test_marks_every_form_of_the_word_and_escapes_the_rest():
    out = str(mark("Hiring <b>hired</b> & hires policy policies", terms("hiring policy"), "en"))
    assert out == ("<mark>Hiring</mark> &lt;b&gt;<mark>hired</mark>&lt;/b&gt; &amp; <mark>hires</mark> "
                   "<mark>policy</mark> <mark>policies</mark>")


def test_french_accents_and_elisions():
    out = str(mark("L'équité et les équités d'emploi", terms("equite emploi", "fr"), "fr"))
    assert out == "L&#39;<mark>équité</mark> et les <mark>équités</mark> d&#39;<mark>emploi</mark>"


def test_passage_prefers_the_summary_then_a_window_of_the_body():
    body = "# Heading\n\n" + "Filler words here. " * 60 + "The **housing** [plan](https://x.org) matters.\n" + \
           "More filler. " * 60
    got = str(passage([("A short summary.", False), (body, True)], terms("housing"), "en"))
    assert "<mark>housing</mark> plan matters" in got and got.startswith("… ") and got.endswith(" …")
    assert "**" not in got and "https" not in got and len(got) < 400
    got = str(passage([("Summary about housing.", False), (body, True)], terms("housing"), "en"))
    assert got == "Summary about <mark>housing</mark>."
    got = str(passage([("No match <here>.", False), ("", True), ("Attached housing text.", False)],
                      terms("housing"), "en"))
    assert got == "Attached <mark>housing</mark> text."
    assert str(passage([("Nothing <matches>.", False)], terms("housing"), "en")) == "Nothing &lt;matches&gt;."


def test_plain_text():
    assert plain_text("## Title\n\n- *one* [two](http://x)\n| a | b |") == "Title one two a b"


def test_passage_falls_back_to_the_first_text_that_has_words():
    body = "Some *body* text without the word."
    assert str(passage([("   ", False), (body, True)], terms("housing"), "en")) == "Some body text without the word."
    assert str(passage([("   ", False), (body, True)], frozenset(), "en")) == ""


@given(st.text(alphabet="ab' _éÉ-x1", max_size=40),
       st.lists(st.text(alphabet="ab'éx", min_size=1, max_size=4), min_size=1, max_size=3))
def test_word_starts_are_what_a_look_behind_for_a_word_start_finds(folded, stems):
    """The needles have no look-behind (it made the regex engine try every
    position); the check beside the pattern must find exactly the same matches."""
    alternatives = "|".join(re.escape(s) for s in sorted(set(stems), key=len, reverse=True))
    reference = re.compile(r"(?<!\w)(?:" + alternatives + ")")
    for pos in (0, 1, 5):
        want = [m.span() for m in reference.finditer(folded, pos)]
        assert [m.span() for m in _word_starts(_compile_needles(alternatives), folded, pos)] == want



def _plain_text_as_it_was(markdown: str) -> str:
    """plain_text before it skipped the patterns a text cannot match."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown[:40000])
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = re.sub(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+|\|)", "", text)
    text = re.sub(r"(?<!\w)[*_`~]+|[*_`~]+(?!\w)|\s\|\s|\|\s*$|^-{3,}$", " ", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


@given(st.text(alphabet="ab1é _*`~|-#>[]()<>!.\n\t\u00a0", max_size=60))
def test_plain_text_and_squeeze_are_what_the_plain_patterns_give(text):
    assert plain_text(text) == _plain_text_as_it_was(text)
    assert squeeze(text) == re.sub(r"\s+", " ", text).strip()
