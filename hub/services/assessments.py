"""Self-assessment tools: reading the form, scoring, recommendations, saved
results and the editors' completion count.

Privacy by construction: the answers live only in the request that carries
them. Nothing here logs, and only two things are ever written: a per-tool
counter (no person, no time, no answers) and, when a signed-in member asks,
the per-section scores of a result (never the answers).

Scoring: each answer scores its position on the tool's scale (the first label
scores 0, the last ``len(scale) - 1``). A question left blank scores nothing
and does not count against the section: a section's percentage is its points
over the maximum for the questions *answered*, and the result always says how
many were answered. A section with no answer has no percentage.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import AssessmentCompletion, Resource, SavedAssessment
from hub.security.policy import Action, require
from hub.security.visibility import visible_clause
from hub.services import resources as resource_service
from hub.services.uow import UnitOfWork, unit_of_work

#: A section is "weak", and gets suggestions, below two thirds of its maximum:
#: on the usual four-point scale, below an average of "In progress".
WEAK_BELOW = 2 / 3
#: Form fields that are not answers (the answers are named ``<section id>.<question number>``).
CONTROL_FIELDS = frozenset({"csrf_token", "action", "compare", "lang", "round"})
#: An action plan's fields, which travel with the answers: ``plan`` (repeated:
#: the statements picked, as ``section.n``) and, per statement,
#: ``owner:section.n``, ``due:section.n`` and ``note:section.n`` (assessment_plans).
PLAN_FIELD = "plan"
PLAN_ITEM_FIELDS = ("owner", "due", "note")


def is_plan_field(name: str) -> bool:
    return name == PLAN_FIELD or (":" in name and name.partition(":")[0] in PLAN_ITEM_FIELDS)


class TamperedAnswers(ValidationFailed):
    """The answers sent do not fit this self-assessment."""


# -- the tool ------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    id: str
    title: str
    position: int  # 1-based, in the tool's order
    questions: tuple[str, ...]
    recommend_topics: tuple[str, ...] = ()
    recommend_types: tuple[str, ...] = ()
    #: Per question: its first step (text, or ``{"en": …, "fr": …}``) or None.
    actions: tuple[str | Mapping | None, ...] = ()
    #: Per question: how much it counts when priorities tie on the answer (1-5).
    weights: tuple[int, ...] = ()

    def field(self, number: int) -> str:
        """The form field of question ``number`` (1-based)."""
        return answer_field(self.id, number)

    def action(self, number: int, locale: str, tool_language: str | None = None) -> str | None:
        """The first step for question ``number`` (1-based) in the reader's
        language when the tool has it, else in the tool's own language."""
        value = self.actions[number - 1] if number <= len(self.actions) else None
        if value is None or isinstance(value, str):
            return value
        for lang in (locale, tool_language):
            if lang and value.get(lang):
                return value[lang]
        return next((text for text in value.values() if text), None)

    def weight(self, number: int) -> int:
        return self.weights[number - 1] if number <= len(self.weights) else 1


@dataclass(frozen=True)
class Tool:
    """A self-assessment as the ``assessment`` block of its resource describes it."""
    scale: tuple[str, ...]
    sections: tuple[Section, ...]
    resource: Resource | None = field(default=None, compare=False)

    @property
    def top(self) -> int:
        """Points for the highest answer on the scale."""
        return len(self.scale) - 1

    @property
    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


def answer_field(section_id: str, number: int) -> str:
    return f"{section_id}.{number}"


def tool_from(assessment: Mapping, resource: Resource | None = None) -> Tool:
    """Build a ``Tool`` from the validated ``assessment`` block (see content/validation.py)."""
    sections = []
    for position, s in enumerate(assessment.get("sections") or [], 1):
        rec = s.get("recommend") or {}
        questions = [q if isinstance(q, Mapping) else {"text": q} for q in s.get("questions") or ()]
        sections.append(Section(id=s["id"], title=s["title"], position=position,
                                questions=tuple(str(q.get("text", "")) for q in questions),
                                recommend_topics=tuple(rec.get("topics") or ()),
                                recommend_types=tuple(rec.get("types") or ()),
                                actions=tuple(q.get("action") for q in questions),
                                weights=tuple(int(q.get("weight") or 1) for q in questions)))
    return Tool(scale=tuple(str(x) for x in assessment.get("scale") or ()), sections=tuple(sections),
                resource=resource)


def get_tool(user, slug: str) -> Tool:
    """The self-assessment of the resource ``slug``, if this person may read it."""
    resource = resource_service.get_resource(user, slug)
    if not resource.assessment:
        raise NotFound()
    return tool_from(resource.assessment, resource)


# -- answers -------------------------------------------------------------------
#: Section id -> one value per question, ``None`` when left blank.
Answers = dict[str, tuple[int | None, ...]]


def blank_answers(tool: Tool) -> Answers:
    return {s.id: (None,) * len(s.questions) for s in tool.sections}


def _values(form, name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    return list(getlist(name)) if getlist else [form[name]]


def parse_answers(tool: Tool, form: Mapping[str, str]) -> Answers:
    """Read the answers out of a submitted form. Anything that the tool's own
    form could not have sent (an unknown section or question, a value off the
    scale, a question answered twice) raises ``TamperedAnswers``."""
    answers = {s.id: [None] * len(s.questions) for s in tool.sections}
    for name in form:
        if name in CONTROL_FIELDS or is_plan_field(str(name)):
            continue
        section_id, dot, number = str(name).rpartition(".")
        section = tool.section(section_id) if dot else None
        if section is None:
            raise TamperedAnswers(f"unknown section in the answer '{name[:80]}'")
        if not number.isdigit() or not 1 <= int(number) <= len(section.questions):
            raise TamperedAnswers(f"unknown question in the answer '{name[:80]}'")
        values = _values(form, name)
        if len(values) != 1:
            raise TamperedAnswers(f"the question '{name[:80]}' was answered more than once")
        value = values[0]
        if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= tool.top:
            raise TamperedAnswers(f"the answer to '{name[:80]}' is not on the scale")
        answers[section.id][int(number) - 1] = int(value)
    return {sid: tuple(values) for sid, values in answers.items()}


# -- scoring (pure) --------------------------------------------------------------
@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    position: int
    points: int
    max_points: int  # for the questions answered
    answered: int
    questions: int
    answers: tuple[int | None, ...] = ()

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.max_points if self.max_points else None

    @property
    def weak(self) -> bool:
        return self.max_points > 0 and self.points < WEAK_BELOW * self.max_points

    def as_record(self) -> dict:
        """What a saved result keeps of this section: scores, no answers."""
        return {"id": self.id, "title": self.title, "points": self.points, "max_points": self.max_points,
                "answered": self.answered, "questions": self.questions}


@dataclass(frozen=True)
class Result:
    sections: tuple[SectionScore, ...]
    scale_size: int

    @property
    def points(self) -> int:
        return sum(s.points for s in self.sections)

    @property
    def max_points(self) -> int:
        return sum(s.max_points for s in self.sections)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def questions(self) -> int:
        return sum(s.questions for s in self.sections)

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.max_points if self.max_points else None

    def weakest_first(self) -> list[SectionScore]:
        """Scored sections from the lowest percentage up (ties in the tool's
        order), then the sections left blank."""
        scored = sorted((s for s in self.sections if s.percent is not None), key=lambda s: (s.percent, s.position))
        return scored + [s for s in self.sections if s.percent is None]

    def weak_sections(self) -> list[SectionScore]:
        return [s for s in self.weakest_first() if s.weak]


def score(tool: Tool, answers: Answers) -> Result:
    """Score answers against the tool (pure: no database, no request)."""
    sections = []
    for section in tool.sections:
        values = tuple(answers.get(section.id, ()))
        values = (values + (None,) * len(section.questions))[:len(section.questions)]
        given = [v for v in values if v is not None]
        sections.append(SectionScore(
            id=section.id, title=section.title, position=section.position, points=sum(given),
            max_points=len(given) * tool.top, answered=len(given), questions=len(section.questions),
            answers=values))
    return Result(sections=tuple(sections), scale_size=len(tool.scale))


def result_from_record(sections: Iterable[Mapping], scale_size: int,
                       answers: Mapping[str, list] | None = None) -> Result:
    """A saved result's scores as a ``Result`` (with its answers when it kept them)."""
    answers = answers or {}

    def kept(s: Mapping) -> tuple:
        values = list(answers.get(s["id"]) or ())
        return tuple(values) if len(values) == int(s["questions"]) else ()

    return Result(sections=tuple(
        SectionScore(id=s["id"], title=s["title"], position=n, points=int(s["points"]),
                     max_points=int(s["max_points"]), answered=int(s["answered"]), questions=int(s["questions"]),
                     answers=kept(s))
        for n, s in enumerate(sections, 1)), scale_size=scale_size)


def changes(current: Result, baseline: Result) -> dict[str, float]:
    """Change in percentage points per section since ``baseline``, for the
    sections (matched by id) that have a percentage in both."""
    before = {s.id: s.percent for s in baseline.sections}
    out = {}
    for s in current.sections:
        if s.percent is not None and before.get(s.id) is not None:
            out[s.id] = s.percent - before[s.id]
    if current.percent is not None and baseline.percent is not None:
        out[""] = current.percent - baseline.percent  # overall
    return out


def _norm(text: str) -> str:
    """Topics are free tags: compare them without case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


# -- completions (a count, nothing about the person) -------------------------------
def record_completion(tool: Tool, result: Result, *, uow: UnitOfWork | None = None) -> None:
    """Count one completion of a published tool when at least one question was answered."""
    resource = tool.resource
    if resource is None or resource.status != "published" or result.answered == 0:
        return
    for attempt in range(2):
        try:
            with unit_of_work(uow):
                done = db.session.execute(
                    update(AssessmentCompletion).where(AssessmentCompletion.resource_id == resource.id)
                    .values(count=AssessmentCompletion.count + 1)).rowcount
                if not done:
                    db.session.add(AssessmentCompletion(resource_id=resource.id, count=1))
                    db.session.flush()
            return
        except IntegrityError:
            if uow is not None or attempt:  # a parallel first completion inserted the row: update it
                raise


def completion_counts(user) -> list[tuple[Resource, int, int]]:
    """Editors: every tool with how many times it was completed and how many
    results members saved. Counts only."""
    require(user, Action.ASSESSMENT_STATS)
    tools = [r for r in db.session.scalars(select(Resource).where(Resource.type == "self-assessment")
                                           .order_by(Resource.title)) if r.assessment]
    counts = dict(db.session.execute(select(AssessmentCompletion.resource_id, AssessmentCompletion.count)).all())
    saved = dict(db.session.execute(select(SavedAssessment.resource_id, func.count(SavedAssessment.id))
                                    .group_by(SavedAssessment.resource_id)).all())
    return [(r, counts.get(r.id, 0), saved.get(r.id, 0)) for r in tools]


# -- saved results ("My assessments") ---------------------------------------------
def save_result(user, tool: Tool, result: Result, *, plan: list[dict] | None = None,
                uow: UnitOfWork | None = None) -> SavedAssessment:
    """Keep a member's result, at their request: the per-section scores, the
    answers (so the next take can be compared statement by statement) and
    their action plan."""
    require(user, Action.ASSESSMENT_SAVE)
    if tool.resource is None:
        raise NotFound()
    if result.answered == 0:
        raise ValidationFailed("answer at least one question before saving a result")
    with unit_of_work(uow):
        saved = SavedAssessment(user_id=user.id, resource_id=tool.resource.id, scale_size=result.scale_size,
                                sections=[s.as_record() for s in result.sections],
                                answers={s.id: list(s.answers) for s in result.sections}, plan=list(plan or []))
        db.session.add(saved)
        db.session.flush()
        return saved


def saved_results(user, tool: Tool | None = None) -> list[SavedAssessment]:
    """This member's saved results, newest first (for one tool when given).
    Results of tools the member may no longer read are left out."""
    if not getattr(user, "is_authenticated", False):
        return []
    stmt = (select(SavedAssessment).join(Resource, Resource.id == SavedAssessment.resource_id)
            .where(SavedAssessment.user_id == user.id, visible_clause(user))
            .order_by(SavedAssessment.created_at.desc(), SavedAssessment.id.desc()))
    if tool is not None and tool.resource is not None:
        stmt = stmt.where(SavedAssessment.resource_id == tool.resource.id)
    return list(db.session.scalars(stmt))


def my_results(user) -> list[SavedAssessment]:
    """ "My assessments": every result this member saved, newest first."""
    require(user, Action.ASSESSMENT_SAVE)
    return saved_results(user)


def get_saved(user, saved_id: int) -> SavedAssessment:
    """One saved result, for its owner only (anyone else: not found)."""
    saved = db.session.get(SavedAssessment, saved_id)
    if saved is None or saved.resource is None:
        raise NotFound()
    require(user, Action.ASSESSMENT_READ_SAVED, saved)
    require(user, Action.RESOURCE_READ, saved.resource)
    return saved


def saved_result(saved: SavedAssessment) -> Result:
    return result_from_record(saved.sections or [], saved.scale_size, saved.answers)


def delete_saved(user, saved_id: int, *, uow: UnitOfWork | None = None) -> None:
    with unit_of_work(uow):
        db.session.delete(get_saved(user, saved_id))


def baseline_for(user, tool: Tool, compare: str | None = None,
                 before: SavedAssessment | None = None) -> SavedAssessment | None:
    """The saved result to compare with: the one chosen (``compare`` is its id,
    or "none"), else the member's latest for this tool (older than ``before``)."""
    if compare == "none":
        return None
    results = saved_results(user, tool)
    if before is not None:
        results = [s for s in results if (s.created_at, s.id) < (before.created_at, before.id)]
    if compare and compare.isdigit():
        return next((s for s in results if s.id == int(compare)), None)
    return results[0] if results else None


# -- one call per page -------------------------------------------------------------
@dataclass(frozen=True)
class StatementChange:
    """One statement's answer in an earlier saved result and now."""
    position: str  # "2.3"
    text: str
    before: str | None  # the answer's label, None when left blank
    after: str | None
    delta: int | None  # positions up the scale (positive: progress)


def statement_changes(tool: Tool, current: Result, baseline: SavedAssessment | None) -> list[StatementChange]:
    """Statement by statement, what changed since an earlier saved result that
    kept its answers (results saved before answers were kept have none)."""
    if baseline is None or not baseline.answers:
        return []
    out = []
    for score in current.sections:
        section = tool.section(score.id)
        before_values = list(baseline.answers.get(score.id) or [])
        if section is None or not score.answers:
            continue
        for n, (text, now) in enumerate(zip(section.questions, score.answers), 1):
            was = before_values[n - 1] if n <= len(before_values) else None
            if was is None and now is None:
                continue
            if was is not None and not 0 <= was <= tool.top:
                was = None
            out.append(StatementChange(
                position=f"{section.position}.{n}", text=text,
                before=None if was is None else tool.scale[was], after=None if now is None else tool.scale[now],
                delta=None if was is None or now is None else now - was))
    return out


@dataclass
class Evaluation:
    """Everything a result page shows."""
    tool: Tool
    result: Result
    #: Per section, weakest first: the statements to work on (assessment_priorities).
    priorities: list = field(default_factory=list)
    baseline: SavedAssessment | None = None
    changes: dict[str, float] = field(default_factory=dict)
    statement_changes: list[StatementChange] = field(default_factory=list)
    saved: SavedAssessment | None = None

    def answers(self) -> Answers:
        """The answers behind the result (blank for a saved result that kept none)."""
        return {s.id: s.answers or (None,) * s.questions for s in self.result.sections}


def evaluate(user, tool: Tool, answers: Answers, *, locale: str = "en", compare: str | None = None,
             count: bool = True) -> Evaluation:
    """Score submitted answers, count the completion, put the statements to
    work on in order with suggestions, and compare with a saved result of this member."""
    result = score(tool, answers)
    if count:
        record_completion(tool, result)
    return _evaluation(user, tool, result, baseline_for(user, tool, compare), locale)


def evaluate_saved(user, saved_id: int, *, locale: str = "en") -> Evaluation:
    saved = get_saved(user, saved_id)
    tool = tool_from(saved.resource.assessment or {"scale": [], "sections": []}, saved.resource)
    evaluation = _evaluation(user, tool, saved_result(saved), baseline_for(user, tool, before=saved), locale)
    evaluation.saved = saved
    return evaluation


def _evaluation(user, tool: Tool, result: Result, baseline: SavedAssessment | None, locale: str) -> Evaluation:
    from hub.services.assessment_priorities import priorities

    return Evaluation(tool=tool, result=result, priorities=priorities(user, tool, result, locale),
                      baseline=baseline, changes=changes(result, saved_result(baseline)) if baseline else {},
                      statement_changes=statement_changes(tool, result, baseline))


# -- downloads ----------------------------------------------------------------------
def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def result_document(evaluation: Evaluation, answers: Answers | None = None, *, url: str = "",
                    today: str = "", link=lambda resource: "") -> dict:
    """The result as JSON: the scores, and the person's own answers when the
    download was made from the answers they just sent (a saved result has none)."""
    tool, result = evaluation.tool, evaluation.result
    resource = tool.resource
    doc = {
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
                for q, v in zip(section.questions, answers.get(s.id, ()))]
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


def _cell(value) -> str:
    """Spreadsheet-safe text: a leading = + - @ would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def result_csv(evaluation: Evaluation, headers: list[str], overall_label: str) -> str:
    """The scores as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents):
    one row per section in the tool's order, then the overall row."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in headers])
    result = evaluation.result
    for s in result.sections:
        writer.writerow([s.position, _cell(s.title), s.points, s.max_points,
                         "" if s.percent is None else f"{s.percent:.1f}", s.answered, s.questions])
    writer.writerow(["", _cell(overall_label), result.points, result.max_points,
                     "" if result.percent is None else f"{result.percent:.1f}", result.answered, result.questions])
    return "\ufeff" + out.getvalue()
