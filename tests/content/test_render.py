"""The body is sanitised whoever wrote it; the text around a payload survives."""
import pytest

from hub.content.render import headings, render_markdown


@pytest.mark.parametrize("payload, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<p style="background:url(x)">x</p>', "style="),
    ('<a href="#" onclick="steal()">x</a>', "onclick"),
    ("<svg><g onload=alert(1)></g></svg>", "onload"),
])
def test_payloads_are_rendered_harmless_and_text_kept(payload, forbidden):
    html = render_markdown(f"Before the payload.\n\n{payload}\n\nAfter the payload.")
    assert forbidden not in html.lower()
    assert "Before the payload." in html and "After the payload." in html


def test_markdown_structures_survive():
    html = render_markdown("## Steps\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[CRRF](https://crrf-fcrr.ca/)")
    assert '<h2 id="sec-steps">Steps</h2>' in html
    assert "<table>" in html and "<li>one</li>" in html
    assert 'href="https://crrf-fcrr.ca/"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_top_heading_becomes_h2_and_outline_is_extracted():
    html = render_markdown("# Title in body\n\n## Part\n\ntext")
    assert "<h1" not in html
    assert [h.text for h in headings(html)] == ["Title in body", "Part"]
