"""What a proposed change to a published resource would change, field by
field, with a line diff for long text: what the editor reviews."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import yaml

from hub.content import fields as declared
from hub.extensions import db
from hub.models import Resource, Submission
from hub.services import history
from hub.services.submission_form import check


@dataclass
class FieldChange:
    key: str
    before: object
    after: object
    #: For long text: [(op, line)] with op in " ", "-", "+", "…"
    lines: list[tuple[str, str]] | None = None


def _lines_diff(before: str, after: str, context: int = 2) -> list[tuple[str, str]]:
    a, b = (before or "").split("\n"), (after or "").split("\n")
    rows: list[tuple[str, str]] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if rows:
            rows.append(("…", ""))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend((" ", line) for line in a[i1:i2])
            else:
                rows.extend(("-", line) for line in a[i1:i2])
                rows.extend(("+", line) for line in b[j1:j2])
    return rows


def _comparable(key: str, value):
    """An assessment is compared (and shown) as the YAML its author wrote."""
    if key == "assessment":
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True) if value else ""
    return value


def _field_change(key: str, before, after) -> FieldChange | None:
    before, after = _comparable(key, before), _comparable(key, after)
    if (before or None) == (after or None):
        return None
    spec = declared.field_named(key.removesuffix("_translation"))
    long_text = spec is not None and spec.kind in ("markdown", "longtext", "assessment")
    return FieldChange(key=key, before=before, after=after,
                       lines=_lines_diff(before or "", after or "") if long_text else None)


def compare(sub: Submission) -> list[FieldChange] | None:
    """What the submission would change in the published resource, field by
    field (None when it proposes a new resource)."""
    if not sub.is_edit or sub.resource_id is None:
        return None
    resource = db.session.get(Resource, sub.resource_id)
    if resource is None:
        return None
    current = history.snapshot(resource)
    proposed, _ = check(sub, strict=False)
    proposed_values = history.field_values(proposed)
    changes = []
    for key in history.snapshot_keys():
        change = _field_change(key, current.get(key), proposed_values.get(key)) if key != "slug" else None
        if change is not None:
            changes.append(change)
    before_files = [(a["filename"], a["sha256"]) for a in current["attachments"]]
    after_files = [(f.filename, f.sha256) for f in sub.files]
    if before_files != after_files:
        changes.append(FieldChange(key="files", before=[n for n, _ in before_files],
                                   after=[n for n, _ in after_files]))
    return changes
