"""An unclosed ``<style>`` or ``<script>`` early in a body used to swallow
every word after it (the sanitiser drops a raw-text element's content, and
an unclosed one runs to the end). The words are kept, shown as text."""
from __future__ import annotations

import pytest

from hub.content.render import plain_text, render_markdown

AFTER = "The rest of the guide, which readers must still see."


@pytest.mark.parametrize("opening", ["<style>", "<script>", "<STYLE type='text/css'>", "<script src=x>",
                                     "<textarea>", "<title>", "<xmp>", "<iframe>", "<noembed>", "<plaintext>"])
def test_an_unclosed_raw_text_tag_keeps_the_text_after_it(opening):
    html = render_markdown(f"Intro.\n\n{opening}\n\n## Next\n\n{AFTER}\n\n- item one\n- item two")
    assert AFTER in html and "item two" in html and "<h2" in html
    assert opening.lower().split()[0].rstrip(">") not in html.lower().replace("&lt;", "")


def test_a_closed_script_is_shown_as_text_never_run():
    html = render_markdown("<script>alert(1)</script> after")
    assert "<script" not in html.lower() and "after" in plain_text(html)
