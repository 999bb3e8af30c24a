"""Team rounds of a self-assessment, and the section scores rounds shared
with the working group.

* ``AssessmentRound``: a member (the owner) opens a round for one tool and
  shares its link, whose ``token`` is the only way in. Colleagues answer on
  their own; the owner sees how the answers spread.
* ``RoundResponse``: one colleague's answers. No name, no e-mail, no time:
  ``user_id`` is kept only for a signed-in colleague, so that answering again
  replaces their answers instead of counting twice, and ``edit_key`` (a random
  value kept in an anonymous colleague's own session) does the same for
  someone without an account. Neither is ever shown. Responses are deleted
  with their round.
* ``SharedRoundScores``: with the owner's consent, a closed round's section
  percentages for the working group's national picture: no answers, no names,
  no owner, not even the round's name. It outlives the round (the consent was
  given for the aggregate), but a round shares once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import utcnow


class AssessmentRound(Model):
    __tablename__ = "assessment_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The round's address: unguessable (secrets.token_urlsafe), the only way to answer or open it.
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    resource = relationship("Resource", lazy="joined")
    responses = relationship("RoundResponse", cascade="all, delete-orphan", passive_deletes=True,
                             back_populates="round")
    #: Not passive: deleting the round detaches its share in the session as well as in the database.
    shared = relationship("SharedRoundScores", uselist=False, back_populates="round")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<AssessmentRound {self.id} resource={self.resource_id} open={self.is_open}>"


class RoundResponse(Model):
    __tablename__ = "assessment_round_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True)
    #: A signed-in colleague, so answering again replaces; never shown to anyone.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    #: A random value kept in an anonymous colleague's session, for the same purpose.
    edit_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: Section id -> the answer's position on the scale per statement (None: blank).
    answers: Mapped[dict] = mapped_column(JSON, default=dict)

    round = relationship("AssessmentRound", back_populates="responses")


class SharedRoundScores(Model):
    __tablename__ = "assessment_shared_scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="SET NULL"),
                                                 unique=True, nullable=True)
    #: [{"id", "title", "percent"}] in the tool's order; percent is None for a section nobody answered.
    sections: Mapped[list] = mapped_column(JSON, default=list)

    round = relationship("AssessmentRound", back_populates="shared")
