"""Read a resource file (or submitted text) into a ``ContentDoc``, with the
strict YAML loader of ``hub.yamlsafe``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.yamlsafe import strict_load


class ParseError(ValueError):
    """The file cannot be read as a resource; the message says why, for editors."""


@dataclass
class ContentDoc:
    """What a resource file says, before validation."""
    meta: dict[str, Any]
    body: str
    source: str = "<text>"
    #: Folder that attachment paths are relative to; None for web submissions.
    base_dir: Path | None = None
    #: Attachments already in hand (web uploads): name -> bytes.
    uploads: dict[str, bytes] = field(default_factory=dict)
    #: Things the file says that were probably not meant, but are not errors.
    warnings: list[str] = field(default_factory=list)


def load_yaml(text: str) -> Any:
    try:
        return strict_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1})" if mark else ""
        raise ParseError(f"bad YAML in the front matter{where}: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ParseError(f"bad YAML in the front matter: {exc}") from None


#: A block scalar's first line (`summary: >-`), whose indented lines are text, not YAML.
_BLOCK_START = re.compile(r"^(\s*)(?:- )?[^#'\"\s][^:]*:\s*[>|][-+0-9]*\s*$")
_KEY_VALUE = re.compile(r"^\s*(?:- )?([^#'\"\s][^:]*?):\s+(.*)$")


def _hashtag_comment(value: str) -> int:
    """Where YAML starts a comment that looks like part of the value: a `#`
    after a space and straight before a letter or digit (`Project 1907,
    #Elimin8Hate`). A deliberate comment (`region: ab   # Alberta`) has a
    space after its `#`. Returns -1 when there is none; quoted text is skipped."""
    quote = None
    for i, ch in enumerate(value):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and (i == 0 or value[i - 1] in " [{,:"):
            quote = ch
        elif ch == "#" and i > 0 and value[i - 1] in " \t" and value[i + 1:i + 2].isalnum():
            return i
    return -1


def cut_short_values(front_matter: str) -> list[str]:
    """Values that an unquoted ` #` silently cut short, one message each, so
    an import can warn about them (the rest of the line is read as a comment)."""
    found, block_indent = [], None
    for line in front_matter.split("\n"):
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        block = _BLOCK_START.match(line)
        if block:
            block_indent = len(block.group(1))
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            continue
        key, value = match.group(1).strip(), match.group(2)
        at = _hashtag_comment(value)
        if at > 0 and value[:at].strip():
            kept, lost = value[:at].rstrip(), value[at:].strip()
            kept = kept if len(kept) <= 60 else "…" + kept[-59:]
            lost = lost if len(lost) <= 60 else lost[:59] + "…"
            found.append(f"{key}: the value stops at '{kept}' because YAML reads ' #' as the start of a "
                         f"comment, so '{lost}' is dropped; put the whole value in quotes to keep it")
    return found


def parse_text(text: str, source: str = "<text>", base_dir: Path | None = None) -> ContentDoc:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("the file is empty")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ParseError("no front matter: the file must start with a line '---'")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise ParseError("the front matter is not closed by a line '---'")
    front_matter = "\n".join(lines[1:end])
    meta = load_yaml(front_matter)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError("the front matter must be a list of 'key: value' lines")
    body = "\n".join(lines[end + 1:]).strip("\n")
    return ContentDoc(meta=meta, body=body, source=source, base_dir=base_dir,
                      warnings=cut_short_values(front_matter))


def read_file(path: Path, max_bytes: int, display: str | None = None) -> ContentDoc:
    """Read one resource file, refusing oversized or non-UTF-8 input by name."""
    display = display or str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ParseError(f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    data = path.read_bytes()
    if not data.strip():
        raise ParseError("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise ParseError("the file contains NUL bytes; it is not a text file")
    return parse_text(text, source=display, base_dir=path.parent)
