"""Markdown to safe HTML: one function used for imports, submissions, previews
and exports, so nothing reaches a page without passing nh3."""
from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "lang"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "ol": {"start"},
    "span": {"lang"}, "p": {"lang"}, "div": {"lang"}, "blockquote": {"lang"},
}
HEADING_RE = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
H1_RE = re.compile(r"<(/?)h1\b")


@dataclass
class Heading:
    level: int
    id: str
    text: str


def _slug(value: str, separator: str) -> str:
    # Prefixed so a heading id can never clobber an id the page itself uses.
    return "sec-" + slugify_unicode(value, separator)


def render_markdown(text: str) -> str:
    """The body's HTML, sanitised. A body's h1 becomes h2: the page owns its h1."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": _slug}},
        output_format="html",
    )
    html = H1_RE.sub(r"<\1h2", md.convert(text or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def headings(html: str) -> list[Heading]:
    """The h2/h3 outline of rendered HTML, for a table of contents."""
    return [Heading(int(level), hid, nh3.clean(TAG_RE.sub("", inner), tags=set()).strip())
            for level, hid, inner in HEADING_RE.findall(html)]


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
