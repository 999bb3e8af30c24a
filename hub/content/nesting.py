"""A ceiling on how deeply the HTML handed to the sanitiser nests.

The sanitiser's HTML parser spends time in proportion to the depth of its
stack of open elements for every element it opens, so a body of 20,000 `>`
(20,000 nested quotations) or 20,000 unclosed `<div>` costs it minutes.
Start tags past the ceiling, and their end tags, are dropped before it
sees them: the text inside stays, only the extra nesting goes. Written
Markdown never comes near the ceiling.
"""
from __future__ import annotations

import re

MAX_DEPTH = 48
TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with every element opened deeper than `max_depth` unwrapped.

    One pass over the tags with a stack of open ones, so linear in the
    length of `html` (an end tag closes the nearest open element of its
    name, as a browser would; one with no open element of its name is left
    for the sanitiser to discard).
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    open_counts: dict[str, int] = {}
    last = 0
    for match in TAG_RE.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        keep = True
        if not closing:
            if name not in VOID and not self_closing:
                keep = len(stack) < max_depth
                stack.append((name, keep))
                open_counts[name] = open_counts.get(name, 0) + 1
        elif open_counts.get(name):
            while stack:
                top, kept = stack.pop()
                open_counts[top] -= 1
                if top == name:
                    keep = kept
                    break
        if not keep:
            out.append(html[last:match.start()])
            last = match.end()
    if not out:
        return html
    out.append(html[last:])
    return "".join(out)
