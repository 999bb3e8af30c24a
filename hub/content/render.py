"""Markdown to safe HTML: one function used for imports, submissions, previews
and exports, so nothing reaches a page without passing nh3.

The parser is cmark-gfm (CommonMark with GitHub's tables and strikethrough),
chosen because its time is linear in the length of the text whatever the
text: hostile bodies such as 20,000 unclosed ``[a](`` took Python-Markdown
minutes. Its ``tagfilter`` turns ``<script>``, ``<style>``, ``<textarea>`` and
the other raw-text elements into visible text, so an unclosed one early in
a body cannot swallow everything after it.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from hub.content.nesting import limit_nesting
from hub.textclean import clean_text

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
EXTENSIONS = ["table", "strikethrough", "tagfilter"]
HEADING_RE = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])>")
H1_RE = re.compile(r"<(/?)h1\b")
TAG_RE = re.compile(r"<[^>]+>")
#: CommonMark's first kind of HTML block: it runs until its closing tag, so an
#: unclosed one turns the rest of the body into raw HTML.
RAW_BLOCK_RE = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?=[\s>]|$)", re.I)
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
SLUG_DROP_RE = re.compile(r"[^\w\s-]")
SLUG_JOIN_RE = re.compile(r"[-\s]+")


@dataclass
class Heading:
    level: int
    id: str
    text: str


class _HeadingIds:
    """Ids for a page's headings: its words, lowercased and hyphen-joined,
    prefixed so they can never clobber an id the page itself uses; repeats get
    _1, _2… (the ids the previous renderer gave, so links into a page still
    work). The last suffix of each base is remembered, so a body of 20,000
    identical headings costs 20,000 steps, not 200 million."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.last: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        words = SLUG_DROP_RE.sub("", text).strip().lower()
        base = "sec-" + SLUG_JOIN_RE.sub("-", words)
        candidate, n = base, self.last.get(base, 0)
        if n:
            candidate = f"{base}_{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}_{n}"
        self.last[base] = n
        self.taken.add(candidate)
        return candidate


def _with_heading_ids(html: str) -> str:
    """Markdown headings get ids for the table of contents; a body's h1 becomes
    h2, because the page owns its h1.

    Headings are paired by walking their tags once (an open tag, then the next
    close tag of the same level), never by a pattern that searches ahead from
    every open tag: 20,000 unclosed ``<h2>`` would make that quadratic."""
    ids = _HeadingIds()
    out: list[str] = []
    last = 0
    pending: re.Match[str] | None = None
    for tag in HEADING_TAG_RE.finditer(html):
        if not tag.group(1):
            pending = tag
            continue
        if pending is None or pending.group(2) != tag.group(2):
            pending = None
            continue
        inner = html[pending.end():tag.start()]
        level = max(2, int(tag.group(2)))
        text = html_lib.unescape(TAG_RE.sub("", inner))
        out.append(html[last:pending.start()])
        out.append(f'<h{level} id="{ids(text)}">{inner}</h{level}>')
        last = tag.end()
        pending = None
    out.append(html[last:])
    return H1_RE.sub(r"<\1h2", "".join(out))


def _open_raw_blocks_as_text(source: str) -> str:
    """Write ``&lt;`` for the ``<`` of a ``<script>``, ``<style>``, ``<pre>``
    or ``<textarea>`` that starts a line and is never closed, so the Markdown
    after it is still Markdown (its text is kept either way). Lines inside
    fenced code are left alone. One pass over the lines."""
    if "<" not in source:
        return source
    lowered = source.lower()
    last_close = {name: lowered.rfind(f"</{name}") for name in ("script", "pre", "style", "textarea")}
    out: list[str] = []
    fence: str | None = None
    position = 0
    for line in source.split("\n"):
        length = len(line)
        found = FENCE_RE.match(line)
        if fence is None and found:
            fence = found.group(1)
        elif fence is not None and found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
            fence = None
        elif fence is None:
            opening = RAW_BLOCK_RE.match(line)
            if opening and last_close[opening.group(1).lower()] < position:
                start = opening.start(1) - 1
                line = line[:start] + "&lt;" + line[start + 1:]
        out.append(line)
        position += length + 1
    return "\n".join(out)


def render_markdown(text: str) -> str:
    """The body's HTML, sanitised."""
    source = _open_raw_blocks_as_text(clean_text(text or "", multiline=True))
    html = cmarkgfm.markdown_to_html_with_extensions(source, options=Options.CMARK_OPT_UNSAFE,
                                                     extensions=EXTENSIONS)
    return nh3.clean(
        limit_nesting(_with_heading_ids(html)),
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
