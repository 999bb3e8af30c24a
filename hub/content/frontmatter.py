"""Read a resource file (or submitted text) into a ``ContentDoc``, with the
strict YAML loader of ``hub.yamlsafe``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hub.yamlsafe import strict_load


class ParseError(ValueError):
    """The file cannot be read as a resource; the message says why, for editors."""


@dataclass
class ContentDoc:
    """What a resource file says, before validation."""
    meta: dict
    body: str
    source: str = "<text>"
    #: Folder that attachment paths are relative to; None for web submissions.
    base_dir: Path | None = None
    #: Attachments already in hand (web uploads): name -> bytes.
    uploads: dict[str, bytes] = field(default_factory=dict)


def load_yaml(text: str):
    try:
        return strict_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1})" if mark else ""
        raise ParseError(f"bad YAML in the front matter{where}: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ParseError(f"bad YAML in the front matter: {exc}") from None


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
    meta = load_yaml("\n".join(lines[1:end]))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError("the front matter must be a list of 'key: value' lines")
    body = "\n".join(lines[end + 1:]).strip("\n")
    return ContentDoc(meta=meta, body=body, source=source, base_dir=base_dir)


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
