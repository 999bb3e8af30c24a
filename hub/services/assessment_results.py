"""Results of self-assessments beyond the score: the per-tool completion
count (no person, no time, no answers), the results members choose to keep
("My assessments"), the comparison with an earlier one, and everything a
result page shows in one call.

Privacy by construction: the answers live only in the request that carries
them; only the count and, when a signed-in member asks, a result are written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import AssessmentCompletion, Resource, SavedAssessment
from hub.security.policy import Action, require
from hub.security.visibility import visible_clause
from hub.services.assessment_priorities import priorities
from hub.services.assessments import Answers, Result, Tool, changes, result_from_record, score, tool_from
from hub.services.uow import UnitOfWork, unit_of_work


# -- completions (a count, nothing about the person) -------------------------------
def record_completion(tool: Tool, result: Result, *, uow: UnitOfWork | None = None) -> None:
    """Count one completion of a published tool when at least one question was answered."""
    resource = tool.resource
    if resource is None or resource.status != "published" or result.answered == 0:
        return
    for attempt in range(2):
        try:
            with unit_of_work(uow):
                done = cast("CursorResult", db.session.execute(
                    update(AssessmentCompletion).where(AssessmentCompletion.resource_id == resource.id)
                    .values(count=AssessmentCompletion.count + 1))).rowcount
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
    for section_score in current.sections:
        section = tool.section(section_score.id)
        before_values = list(baseline.answers.get(section_score.id) or [])
        if section is None or not section_score.answers:
            continue
        for n, (text, now) in enumerate(zip(section.questions, section_score.answers, strict=False), 1):
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
    return Evaluation(tool=tool, result=result, priorities=priorities(user, tool, result, locale),
                      baseline=baseline, changes=changes(result, saved_result(baseline)) if baseline else {},
                      statement_changes=statement_changes(tool, result, baseline))
