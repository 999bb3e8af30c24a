"""A self-assessment result to take away: JSON (scores, the person's own
answers when they just sent them, priorities with suggestions) and CSV."""
from __future__ import annotations

import csv
import io
from typing import Any

from hub.services.assessment_results import Evaluation
from hub.services.assessments import Answers


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def result_document(evaluation: Evaluation, answers: Answers | None = None, *, url: str = "",
                    today: str = "", link=lambda resource: "") -> dict:
    """The result as JSON: the scores, and the person's own answers when the
    download was made from the answers they just sent (a saved result has none)."""
    tool, result = evaluation.tool, evaluation.result
    resource = tool.resource
    doc: dict[str, Any] = {
        "tool": {"slug": resource.slug if resource else "", "title": resource.title if resource else "",
                 "language": resource.language if resource else "", "url": url},
        "date": today,
        "scale": list(tool.scale),
        "overall": {"points": result.points, "max_points": result.max_points, "percent": _pct(result.percent),
                    "answered": result.answered, "questions": result.questions},
        "sections": [],
    }
    if evaluation.saved is not None:
        doc["saved_at"] = evaluation.saved.created_at.isoformat(timespec="seconds")
    for s in result.sections:
        entry = {"id": s.id, "title": s.title, "points": s.points, "max_points": s.max_points,
                 "percent": _pct(s.percent), "answered": s.answered, "questions": s.questions,
                 "weak": s.weak}
        section = tool.section(s.id)
        if answers is not None and section is not None:
            entry["answers"] = [
                {"question": q, "answer": None if v is None else tool.scale[v], "points": v}
                for q, v in zip(section.questions, answers.get(s.id, ()), strict=False)]
        plan = next((sp for sp in evaluation.priorities if sp.score.id == s.id), None)
        if plan is not None:
            entry["priorities"] = [
                {"statement": p.statement.position, "text": p.statement.text, "answer": p.statement.answer_label,
                 "action": p.statement.action,
                 "recommended": [{"slug": g.resource.slug, "title": g.resource.title, "url": link(g.resource),
                                  "reason": list(g.reason)} for g in p.suggestions]}
                for p in plan.priorities]
        doc["sections"].append(entry)
    return doc


def spreadsheet_cell(value) -> str:
    """Spreadsheet-safe text: a leading = + - @ would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def result_csv(evaluation: Evaluation, headers: list[str], overall_label: str) -> str:
    """The scores as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents):
    one row per section in the tool's order, then the overall row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(h) for h in headers])
    result = evaluation.result
    for s in result.sections:
        writer.writerow([s.position, spreadsheet_cell(s.title), s.points, s.max_points,
                         "" if s.percent is None else f"{s.percent:.1f}", s.answered, s.questions])
    writer.writerow(["", spreadsheet_cell(overall_label), result.points, result.max_points,
                     "" if result.percent is None else f"{result.percent:.1f}", result.answered, result.questions])
    return "\ufeff" + out.getvalue()
