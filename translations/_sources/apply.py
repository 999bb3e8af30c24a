"""Fill French translations kept as msgid -> msgstr JSON into messages.po.

Several engineers extend one catalogue in parallel; keeping each area's French
in its own JSON file makes a merge conflict in messages.po cheap to resolve:
take either side, re-run `pybabel extract/update`, then this script.
Only empty entries are filled, so a translation edited in the .po wins.

    .venv/bin/python translations/_sources/apply.py translations/_sources/*.json
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "fr" / "LC_MESSAGES" / "messages.po"


def main(paths: list[str]) -> int:
    french: dict[str, str] = {}
    for path in paths:
        french.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with open(PO, "rb") as fh:
        catalog = read_po(fh)
    filled = 0
    for message in catalog:
        if message.id and isinstance(message.id, str) and not message.string and message.id in french:
            message.string = french[message.id]
            filled += 1
    with open(PO, "wb") as fh:
        write_po(fh, catalog, width=76)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"filled {filled}; {len(missing)} entries of the catalogue still have no French")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
