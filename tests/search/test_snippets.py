"""Snippets: escaped text, the reader's words in <mark>, the best passage."""
from hub.search.analysis import tokens
from hub.search.snippets import mark, passage, plain_text


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
