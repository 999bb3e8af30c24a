"""Self-assessment tools: the tool as its resource describes it, reading the
answers out of the form, and scoring them (pure). Saved results, completion
counts and the result page are ``assessment_results``; priorities and
suggestions ``assessment_priorities``; the downloads ``assessment_downloads``.

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

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hub.errors import NotFound, ValidationFailed
from hub.models import Resource
from hub.services import resources as resource_service

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
    answers: dict[str, list[int | None]] = {s.id: [None] * len(s.questions) for s in tool.sections}
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
        was = before.get(s.id)
        if s.percent is not None and was is not None:
            out[s.id] = s.percent - was
    if current.percent is not None and baseline.percent is not None:
        out[""] = current.percent - baseline.percent  # overall
    return out


def _norm(text: str) -> str:
    """Topics are free tags: compare them without case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())
