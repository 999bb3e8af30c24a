"""Marking glossary terms in sanitised HTML: the first use of each term, in
the body's language, never inside links, headings, code or an existing
abbr/dfn, whole words only, whatever the case, accents or line breaks."""
from __future__ import annotations

import re
import time

import nh3

from hub.content.glossary_marks import TermMatcher
from hub.content.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

EN = TermMatcher([("systemic racism", "systemic-racism"), ("anti-racism", "anti-racism"),
                  ("microaggression", "microaggression"), ("microaggressions", "microaggression"),
                  ("equity", "equity"), ("equity data", "equity-data"), ("LIP", "lip"), ("LIPs", "lip"),
                  ("Racial Equity Tools", "")])
FR = TermMatcher([("racisme systémique", "systemic-racism"), ("équité", "equity"),
                  ("données sur l'équité", "equity-data"), ("islamophobie", "islamophobia")])


def mark(matcher: TermMatcher, html: str) -> str:
    return matcher.mark_first_uses(html, lambda key, text: f'<b data-k="{key}">{text}</b>')


def marked(matcher: TermMatcher, markdown: str) -> list[tuple[str, str]]:
    return re.findall(r'<b data-k="([^"]+)">(.*?)</b>', mark(matcher, render_markdown(markdown)), re.S)


def test_only_the_first_use_of_each_term_is_marked():
    found = marked(EN, "Systemic racism is real. Systemic racism again, and microaggressions, "
                       "then a microaggression.")
    assert found == [("systemic-racism", "Systemic racism"), ("microaggression", "microaggressions")]


def test_links_headings_code_and_existing_abbreviations_are_left_alone():
    body = ("## Systemic racism\n\n[systemic racism](https://example.org) `systemic racism`\n\n"
            "```\nsystemic racism\n```\n\n<abbr title='x'>LIP</abbr> <dfn>equity</dfn> "
            "<a href='https://example.org'><em>anti-racism</em></a>\n\n"
            "Then systemic racism, equity and anti-racism in plain text, and a LIP.\n")
    found = marked(EN, body)
    assert found == [("systemic-racism", "systemic racism"), ("equity", "equity"),
                     ("anti-racism", "anti-racism"), ("lip", "LIP")]
    html = mark(EN, render_markdown(body))
    assert '<h2 id="sec-systemic-racism">Systemic racism</h2>' in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">systemic racism</a>' in html


def test_whole_words_only():
    assert marked(EN, "Equitys, inequity, anti-racisms and the LIPS acronym") == []
    assert marked(EN, "Non-equity, equity-based") == []


def test_case_line_breaks_and_the_longest_form_win():
    assert marked(EN, "SYSTEMIC\nRACISM and equity data") == [("systemic-racism", "SYSTEMIC\nRACISM"),
                                                              ("equity-data", "equity data")]
    # An acronym matches as written only: "lip" in running text is a word, not a LIP.
    assert marked(EN, "She bit her lip at the lip of the LIPs meeting.") == [("lip", "LIPs")]


def test_a_name_that_contains_a_term_is_passed_over():
    assert marked(EN, "See the Racial Equity Tools glossary on equity.") == [("equity", "equity")]


def test_french_bodies_get_french_terms_with_their_accents_and_apostrophes():
    body = "Le RACISME SYSTÉMIQUE, l’Islamophobie et les données sur l’équité, puis l'équité."
    assert marked(FR, body) == [("systemic-racism", "RACISME SYSTÉMIQUE"), ("islamophobia", "Islamophobie"),
                                ("equity-data", "données sur l’équité"), ("equity", "équité")]
    # A decomposed é (e + U+0301) is composed when rendered, so it still matches.
    assert marked(FR, "racisme syste\u0301mique") == [("systemic-racism", "racisme systémique")]
    # English forms are not looked for in a French body, nor French ones in an English body.
    assert marked(FR, "systemic racism") == [] and marked(EN, "racisme systémique") == []


def test_attribute_values_are_never_touched():
    html = nh3.clean('<p><abbr title="a > systemic racism">x</abbr> <span lang="en">equity</span></p>',
                     tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
    out = mark(EN, html)
    assert 'title="a &gt; systemic racism"' in out or 'title="a > systemic racism"' in out
    assert out.count("<b ") == 1 and '<b data-k="equity">equity</b>' in out


def test_terms_used_lists_each_term_once():
    html = render_markdown("Equity, equity data, [anti-racism](https://x.org) and systemic racism twice: "
                           "systemic racism.")
    assert EN.used(html) == {"equity", "equity-data", "systemic-racism"}


def test_a_body_with_thousands_of_occurrences_is_marked_once_and_quickly():
    body = "systemic racism, equity and microaggressions. " * 40_000  # about 1.8 MB of HTML once rendered
    html = render_markdown(body)
    started = time.perf_counter()
    out = mark(EN, html)
    elapsed = time.perf_counter() - started
    assert out.count("<b ") == 3
    assert len(out) == len(html) + 3 * len('<b data-k="">') + sum(map(len, ("systemic-racism", "equity",
                                                                          "microaggression"))) + 3 * len("</b>")
    assert elapsed < 1.0, f"marking took {elapsed:.2f} s"


def test_only_the_beginning_of_a_huge_body_is_searched():
    from hub.content.glossary_marks import MAX_SCAN_CHARS

    filler = "<p>" + "word " * (MAX_SCAN_CHARS // 5) + "</p>"
    assert EN.used(filler + "<p>equity</p>") == set()
    assert EN.used("<p>equity</p>" + filler) == {"equity"}
    # The limit never cuts a word into a shorter term: "equitys" is not "equity".
    cut = "<p>" + "x" * (MAX_SCAN_CHARS - 10) + " equitys and more</p>"
    assert EN.used(cut) == set()


def test_a_letter_whose_lowercase_is_longer_does_not_shift_the_marks():
    # "İ" lowercases to two characters: the marker then searches the text as written.
    assert marked(EN, "İstanbul and Systemic Racism, then a LIP.") == [("systemic-racism", "Systemic Racism"),
                                                                     ("lip", "LIP")]
