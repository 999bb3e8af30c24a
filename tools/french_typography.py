"""Put a narrow no-break space (U+202F) before : ; ! ? in the French catalogue.

    python tools/french_typography.py [translations/fr/LC_MESSAGES/messages.po]

Edits msgstr lines in place (the file's layout, msgids and the header stay as
they are, so parallel branches still merge line by line). A mark inside a URL,
a time or search syntax such as type:toolkit is left alone: only a mark that
ends a word, followed by a space, a line end or the end of the string, moves.
tests/test_french_typography.py checks the result."""
from __future__ import annotations

import re
import sys
from pathlib import Path

NNBSP = "\u202f"
SPACE_BEFORE = re.compile(r"[ \u00a0]([:;!?])")
GLUED = re.compile(r"(?<=[A-Za-zÀ-ÿ0-9)»%…’])([;!?])(?=[\s\\\"]|$)")
GLUED_COLON = re.compile(r"(?<=[A-Za-zÀ-ÿ)»’])(:)(?=[\s\\\"]|$)")


def fix_line(text: str) -> str:
    text = SPACE_BEFORE.sub(NNBSP + r"\1", text)
    text = GLUED.sub(NNBSP + r"\1", text)
    return GLUED_COLON.sub(NNBSP + r"\1", text)


def fix_catalogue(lines: list[str]) -> tuple[list[str], int]:
    out, changed, in_msgstr, header = [], 0, False, True
    for line in lines:
        if line.startswith("msgid") and line != 'msgid ""':
            header = False
        if line.startswith("msgstr") and not header:
            in_msgstr = True
        elif line.startswith(("msgid", "#")) or not line.strip():
            in_msgstr = False
        if in_msgstr and '"' in line:
            head, _, rest = line.partition('"')
            closed = rest.endswith('"')
            body = rest[:-1] if closed else rest
            new = fix_line(body)
            if new != body:
                changed += 1
                line = head + '"' + new + ('"' if closed else "")
        out.append(line)
    return out, changed


def main(path: str = "translations/fr/LC_MESSAGES/messages.po") -> None:
    file = Path(path)
    lines, changed = fix_catalogue(file.read_text(encoding="utf-8").split("\n"))
    file.write_text("\n".join(lines), encoding="utf-8")
    print(f"{changed} line(s) changed in {file}")


if __name__ == "__main__":
    main(*sys.argv[1:])
