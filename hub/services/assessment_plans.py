"""An action plan made from a self-assessment result: the statements a person
picks, each with its first step, an owner, a date and a note; and the plan's
downloads (Word and CSV).

The plan travels like the answers: in the POST body of the result page's
form, never in a URL. It is stored only when a signed-in member saves the
result (``SavedAssessment.plan``).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from hub.services.assessment_downloads import spreadsheet_cell
from hub.services.assessment_priorities import Statement
from hub.services.assessment_results import Evaluation
from hub.services.assessments import PLAN_FIELD, TamperedAnswers, is_plan_field

MAX_OWNER = 120
MAX_NOTE = 1000


@dataclass
class PlanItem:
    statement: Statement
    owner: str = ""
    due: date | None = None
    note: str = ""

    def as_record(self) -> dict:
        return {"statement": self.statement.key, "owner": self.owner,
                "due": self.due.isoformat() if self.due else "", "note": self.note}


@dataclass
class Plan:
    items: list[PlanItem]
    #: What the person typed, by statement key, to fill the form in again after an error.
    values: dict[str, dict] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: True when nothing was picked and the plan lists every priority instead.
    everything: bool = False


def _values(form, name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    return list(getlist(name)) if getlist else ([form[name]] if name in form else [])


def parse_plan(evaluation: Evaluation, form: Mapping[str, str], *, default_all: bool = False) -> Plan:
    """Read the plan out of the result page's form. A statement that is not one
    of the result's priorities is a tampered form; an owner, date or note that
    does not fit is an error the page shows, keeping what was typed."""
    statements = {p.statement.key: p.statement for sp in evaluation.priorities for p in sp.priorities}
    picked = _values(form, PLAN_FIELD)
    for key in picked:
        if key not in statements:
            raise TamperedAnswers(f"the plan names a statement that is not a priority: '{key[:40]}'")
    for name in form:
        if name != PLAN_FIELD and is_plan_field(name) and name.partition(":")[2] not in statements:
            raise TamperedAnswers(f"unknown plan field '{name[:60]}'")
    plan = Plan(items=[])
    for key, statement in statements.items():
        owner = " ".join((_values(form, f"owner:{key}")[:1] or [""])[0].split())
        due_text = (_values(form, f"due:{key}")[:1] or [""])[0].strip()
        note = (_values(form, f"note:{key}")[:1] or [""])[0].strip()
        plan.values[key] = {"picked": key in picked, "owner": owner, "due": due_text, "note": note}
        if key not in picked:
            continue
        due = None
        if len(owner) > MAX_OWNER:
            plan.errors.append(_("Statement %(n)s: the owner is %(len)d characters long; the limit is %(max)d.",
                                 n=statement.position, len=len(owner), max=MAX_OWNER))
        if due_text:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                plan.errors.append(_("Statement %(n)s: “%(value)s” is not a date (write it as 2027-03-31).",
                                     n=statement.position, value=due_text[:20]))
        if len(note) > MAX_NOTE:
            plan.errors.append(_("Statement %(n)s: the note is %(len)d characters long; the limit is %(max)d.",
                                 n=statement.position, len=len(note), max=MAX_NOTE))
        plan.items.append(PlanItem(statement, owner[:MAX_OWNER], due, note[:MAX_NOTE]))
    if not plan.items and default_all:
        plan.items = [PlanItem(statement) for statement in statements.values()]
        plan.everything = bool(plan.items)
    return plan


def plan_from_record(evaluation: Evaluation, records: list[dict] | None) -> Plan:
    """A saved plan, matched to the result's priorities by statement key."""
    statements = {p.statement.key: p.statement for sp in evaluation.priorities for p in sp.priorities}
    plan = Plan(items=[])
    for record in records or []:
        statement = statements.get(str(record.get("statement", "")))
        if statement is None:
            continue
        try:
            due = date.fromisoformat(record["due"]) if record.get("due") else None
        except ValueError:
            due = None
        plan.items.append(PlanItem(statement, str(record.get("owner") or ""), due, str(record.get("note") or "")))
        plan.values[statement.key] = {"picked": True, "owner": record.get("owner") or "",
                                      "due": record.get("due") or "", "note": record.get("note") or ""}
    return plan


# -- CSV: one row per statement ---------------------------------------------------------
def plan_csv(evaluation: Evaluation, plan: Plan, *, locale: str) -> str:
    """Every statement of the tool, in its order: section, statement, answer,
    suggested step, and the plan's owner, date and note where it has them.
    UTF-8 with a byte-order mark, so spreadsheets read accents."""
    tool = evaluation.tool
    language = tool.resource.language if tool.resource is not None else None
    items = {item.statement.key: item for item in plan.items}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(h) for h in (_("Section"), _("Statement number"), _("Statement"), _("Answer"),
                                        _("Suggested step"), _("In the plan"), _("Owner"), _("Date"), _("Note"))])
    by_id = {s.id: s for s in evaluation.result.sections}
    for section in tool.sections:
        values = by_id[section.id].answers if section.id in by_id else ()
        for n, text in enumerate(section.questions, 1):
            value = values[n - 1] if n <= len(values) else None
            item = items.get(f"{section.id}.{n}")
            writer.writerow([
                spreadsheet_cell(section.title), f"{section.position}.{n}", spreadsheet_cell(text),
                "" if value is None else spreadsheet_cell(tool.scale[value]),
                spreadsheet_cell(section.action(n, locale, language) or ""),
                _("yes") if item else "", spreadsheet_cell(item.owner if item else ""),
                item.due.isoformat() if item and item.due else "", spreadsheet_cell(item.note if item else "")])
    return "\ufeff" + out.getvalue()


# -- Word ---------------------------------------------------------------------------------
def plan_docx(evaluation: Evaluation, plan: Plan, *, title: str, subtitle: str, today: str,
              link: Callable, percent: Callable[[float], str]) -> bytes:
    """The plan as a Word document: scores by section, then the actions (with
    owner, date and note), then the resources suggested for them."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
    doc.add_paragraph(subtitle)
    doc.add_paragraph(today)
    result = evaluation.result
    doc.add_heading(_("Scores by section, weakest first"), level=1)
    scores = doc.add_table(rows=1, cols=3)
    scores.style = "Table Grid"
    for cell, text in zip(scores.rows[0].cells, (_("Section"), _("Percentage"), _("Statements answered")), strict=True):
        cell.text = text
    for s in result.weakest_first():
        cells = scores.add_row().cells
        cells[0].text = s.title
        cells[1].text = _("no answers") if s.percent is None else percent(s.percent)
        cells[2].text = _("%(answered)d of %(total)d", answered=s.answered, total=s.questions)
    doc.add_heading(_("Actions"), level=1)
    if plan.everything:
        doc.add_paragraph(_("No action was picked, so every statement to work on is listed."))
    if not plan.items:
        doc.add_paragraph(_("No statement was answered “%(low)s” or “%(next)s”: nothing to add to a plan.",
                            low=evaluation.tool.scale[0] if evaluation.tool.scale else "",
                            next=evaluation.tool.scale[1] if len(evaluation.tool.scale) > 1 else ""))
    else:
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Statement"), _("Answer"), _("First step"), _("Owner"),
                                                     _("Date"), _("Note")), strict=True):
            cell.text = text
        for item in plan.items:
            st = item.statement
            cells = table.add_row().cells
            cells[0].text = f"{st.position} {st.text}"
            cells[1].text = st.answer_label
            cells[2].text = st.action or ""
            cells[3].text = item.owner
            cells[4].text = item.due.isoformat() if item.due else ""
            cells[5].text = item.note
    suggestions = [(item.statement, g) for item in plan.items for sp in evaluation.priorities
                   for p in sp.priorities if p.statement.key == item.statement.key for g in p.suggestions]
    if suggestions:
        doc.add_heading(_("Resources for these actions"), level=1)
        for statement, g in suggestions:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(g.resource.title).bold = True
            para.add_run(f" ({statement.position}) — " + _("for: %(terms)s", terms=", ".join(g.reason)))
            para.add_run(f"\n{link(g.resource)}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

