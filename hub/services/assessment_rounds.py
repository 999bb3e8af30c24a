"""Team rounds: several colleagues answer one self-assessment on their own,
and the round's owner sees where they agree and where they do not.

What is kept, and why so little: a round has a name, a tool, an owner and an
unguessable link. A response is one colleague's answers and nothing about
them (see hub/models/assessment_round.py). The owner sees counts only: per
statement how many chose each answer, per section the team's score. Deleting
a round deletes its responses. A closed round may share its section
percentages (never answers, never names) with the working group, whose
editors see a tool's medians once five rounds have shared.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from statistics import median

from flask_babel import gettext
from sqlalchemy import delete, func, select

from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import AssessmentRound, Resource, RoundResponse, SharedRoundScores
from hub.models._types import utcnow
from hub.security.policy import Action, can, require
from hub.services.assessments import Answers, Result, SectionScore, Tool, score, tool_from
from hub.services.uow import UnitOfWork, unit_of_work

MAX_NAME = 120
#: Open rounds one member may hold at once: a round is cheap to open, so a cap
#: keeps a script (or a stuck button) from filling the database.
MAX_OPEN_ROUNDS = 20
#: Rounds that must have shared before the working group sees a tool's medians:
#: fewer would let one council's scores be read back from the picture.
MIN_SHARED_ROUNDS = 5


def new_token() -> str:
    """A round's link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def round_tool(team_round: AssessmentRound) -> Tool:
    return tool_from(team_round.resource.assessment or {"scale": [], "sections": []}, team_round.resource)


def _find(token: str) -> AssessmentRound:
    if not token or len(token) > 64:
        raise NotFound()
    team_round = db.session.scalar(select(AssessmentRound).where(AssessmentRound.token == token))
    if team_round is None or team_round.resource is None or not team_round.resource.assessment:
        raise NotFound()
    return team_round


# -- the owner -------------------------------------------------------------------
def open_round(user, tool: Tool, name: str, *, uow: UnitOfWork | None = None) -> AssessmentRound:
    require(user, Action.ROUND_CREATE)
    require(user, Action.RESOURCE_READ, tool.resource)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(gettext("Give the round a name, such as “our council, spring 2027”."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(gettext("Keep the name under %(n)d characters.", n=MAX_NAME), field="name")
    if tool.resource is None:  # a tool read from a file, not one published on the hub
        raise NotFound()
    with unit_of_work(uow):
        open_count = db.session.scalar(select(func.count(AssessmentRound.id)).where(
            AssessmentRound.owner_id == user.id, AssessmentRound.closed_at.is_(None))) or 0
        if open_count >= MAX_OPEN_ROUNDS:
            raise ValidationFailed(gettext("You have %(n)d open rounds: close one before opening another.",
                                           n=open_count), field="name")
        team_round = AssessmentRound(token=new_token(), resource_id=tool.resource.id, owner_id=user.id, name=name)
        db.session.add(team_round)
        db.session.flush()
        return team_round


def my_rounds(user) -> list[AssessmentRound]:
    """The rounds this member opened, newest first, with their response counts."""
    require(user, Action.ROUND_CREATE)
    return list(db.session.scalars(select(AssessmentRound).where(AssessmentRound.owner_id == user.id)
                                   .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())))


def response_count(team_round: AssessmentRound) -> int:
    return db.session.scalar(select(func.count(RoundResponse.id)).where(RoundResponse.round_id == team_round.id)) or 0


def get_owned(user, token: str) -> AssessmentRound:
    """A round for its owner; anyone else is told it does not exist."""
    team_round = _find(token)
    require(user, Action.ROUND_MANAGE, team_round)
    return team_round


def close_round(user, token: str, *, uow: UnitOfWork | None = None) -> AssessmentRound:
    with unit_of_work(uow):
        team_round = get_owned(user, token)
        if team_round.closed_at is None:
            team_round.closed_at = utcnow()
        return team_round


def delete_round(user, token: str, *, uow: UnitOfWork | None = None) -> None:
    """The round and every response with it (a share, being anonymous, stays)."""
    with unit_of_work(uow):
        team_round = get_owned(user, token)
        db.session.execute(delete(RoundResponse).where(RoundResponse.round_id == team_round.id),
                           execution_options={"synchronize_session": False})
        db.session.delete(team_round)


def share_scores(user, token: str, *, uow: UnitOfWork | None = None) -> SharedRoundScores:
    """Give a closed round's section percentages to the working group, once."""
    with unit_of_work(uow):
        team_round = get_owned(user, token)
        if team_round.is_open:
            raise ValidationFailed(gettext("Close the round before sharing its scores."))
        if team_round.shared is not None:
            return team_round.shared
        summary = summarise(team_round)
        if summary.responses == 0:
            raise ValidationFailed(gettext("Nobody answered this round, so it has no scores to share."))
        shared = SharedRoundScores(resource_id=team_round.resource_id, round_id=team_round.id,
                                   sections=[{"id": s.id, "title": s.title,
                                              "percent": None if s.percent is None else round(s.percent, 1)}
                                             for s in summary.result.sections])
        db.session.add(shared)
        db.session.flush()
        return shared


# -- colleagues -----------------------------------------------------------------
def get_for_answering(user, token: str) -> AssessmentRound:
    """A round as a colleague sees it: found by its link alone; its tool must be
    one this person may read. Whether it still takes answers is ``is_open``."""
    team_round = _find(token)
    require(user, Action.RESOURCE_READ, team_round.resource)
    return team_round


def answer(user, token: str, answers: Answers, *, edit_key: str | None = None,
           uow: UnitOfWork | None = None) -> RoundResponse:
    """Keep one colleague's answers. Answering again (same account, or the same
    browser session for someone not signed in) replaces them."""
    with unit_of_work(uow):
        team_round = get_for_answering(user, token)
        if not can(user, Action.ROUND_ANSWER, team_round):
            raise ValidationFailed(gettext("This round is closed: it takes no more answers."))
        if not any(v is not None for values in answers.values() for v in values):
            raise ValidationFailed(gettext("Answer at least one statement before sending."))
        signed_in = getattr(user, "is_authenticated", False)
        mine = None
        if signed_in:
            mine = db.session.scalar(select(RoundResponse).where(RoundResponse.round_id == team_round.id,
                                                                 RoundResponse.user_id == user.id))
        elif edit_key:
            mine = db.session.scalar(select(RoundResponse).where(RoundResponse.round_id == team_round.id,
                                                                 RoundResponse.edit_key == edit_key))
        stored = {sid: list(values) for sid, values in answers.items()}
        if mine is None:
            mine = RoundResponse(round_id=team_round.id, user_id=user.id if signed_in else None,
                                 edit_key=None if signed_in else edit_key, answers=stored)
            db.session.add(mine)
        else:
            mine.answers = stored
        db.session.flush()
        return mine


# -- what the owner sees -------------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    """How a team answered one statement: a count per answer on the scale."""
    section_id: str
    position: str  # "2.3"
    text: str
    counts: tuple[int, ...]  # per scale label
    blank: int

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def disagreement(self) -> bool:
        """Answers two or more steps apart: worth a conversation."""
        used = [i for i, c in enumerate(self.counts) if c]
        return bool(used) and used[-1] - used[0] >= 2


@dataclass(frozen=True)
class Summary:
    responses: int
    spreads: tuple[Spread, ...]
    #: The team's scores: every colleague's points over every answered maximum.
    result: Result
    #: Per statement, the middle answer (the lower of two middles): what the team's plan is built from.
    team_answers: Answers


def summarise(team_round: AssessmentRound) -> Summary:
    tool = round_tool(team_round)
    rows = [r.answers or {} for r in db.session.scalars(
        select(RoundResponse).where(RoundResponse.round_id == team_round.id).order_by(RoundResponse.id))]
    spreads, sections, team_answers = [], [], {}
    for section in tool.sections:
        points = answered = 0
        middles = []
        for n, text in enumerate(section.questions, 1):
            values = []
            for row in rows:
                kept = list(row.get(section.id) or ())
                value = kept[n - 1] if n <= len(kept) else None
                if isinstance(value, int) and 0 <= value <= tool.top:
                    values.append(value)
            counts = tuple(values.count(i) for i in range(len(tool.scale)))
            spreads.append(Spread(section.id, f"{section.position}.{n}", text, counts, len(rows) - len(values)))
            points += sum(values)
            answered += len(values)
            middles.append(sorted(values)[(len(values) - 1) // 2] if values else None)
        team_answers[section.id] = tuple(middles)
        sections.append(SectionScore(id=section.id, title=section.title, position=section.position,
                                     points=points, max_points=answered * tool.top, answered=answered,
                                     questions=len(section.questions) * max(len(rows), 1),
                                     answers=tuple(middles)))
    return Summary(responses=len(rows), spreads=tuple(spreads),
                   result=Result(sections=tuple(sections), scale_size=len(tool.scale)), team_answers=team_answers)


def team_result(team_round: AssessmentRound) -> Result:
    """The scores of the team's middle answers, for the plan (the ``Summary``'s
    own result counts every colleague's points)."""
    return score(round_tool(team_round), summarise(team_round).team_answers)


# -- the working group --------------------------------------------------------------
@dataclass(frozen=True)
class SharedPicture:
    resource: Resource
    rounds: int
    #: (section title, median percent or None), in the tool's order; empty below MIN_SHARED_ROUNDS.
    medians: tuple[tuple[str, float | None], ...]

    @property
    def enough(self) -> bool:
        return self.rounds >= MIN_SHARED_ROUNDS


def shared_picture(user) -> list[SharedPicture]:
    """Editors: per tool, how many rounds shared their scores, and the median
    per section once at least ``MIN_SHARED_ROUNDS`` have."""
    require(user, Action.ASSESSMENT_STATS)
    by_tool: dict[int, list[list]] = {}
    for resource_id, sections in db.session.execute(
            select(SharedRoundScores.resource_id, SharedRoundScores.sections).order_by(SharedRoundScores.id)):
        by_tool.setdefault(resource_id, []).append(sections or [])
    if not by_tool:
        return []
    tools = {r.id: r for r in db.session.scalars(select(Resource).where(Resource.id.in_(by_tool)))}
    out = []
    for resource_id, shares in by_tool.items():
        resource = tools.get(resource_id)
        if resource is None:
            continue
        medians: tuple = ()
        if len(shares) >= MIN_SHARED_ROUNDS:
            tool = tool_from(resource.assessment or {"scale": [], "sections": []}, resource)
            rows = []
            for section in tool.sections:
                values = [s["percent"] for share in shares for s in share
                          if s.get("id") == section.id and s.get("percent") is not None]
                rows.append((section.title, median(values) if values else None))
            medians = tuple(rows)
        out.append(SharedPicture(resource=resource, rounds=len(shares), medians=medians))
    out.sort(key=lambda p: p.resource.title.casefold())
    return out
