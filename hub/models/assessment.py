"""What the hub keeps about self-assessments, and why so little.

* ``SavedAssessment``: a result a signed-in member chose to keep in "My
  assessments". It holds the per-section *scores* (points, maximum, how many
  questions were answered) and never the answers themselves: the scores are
  all that comparing two results per section needs, and a list of answers to
  questions about an organisation's racism is more sensitive than a score.
* ``AssessmentCompletion``: one counter per tool, so editors can see how much
  a tool is used. It holds no person, no time and no answers.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import utcnow


class SavedAssessment(Model):
    __tablename__ = "saved_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: The number of points on the tool's scale when saved (4 for "Not yet" … "In place").
    scale_size: Mapped[int] = mapped_column(Integer)
    #: One entry per section, in the tool's order:
    #: {"id", "title", "points", "max_points", "answered", "questions"}. No answers.
    sections: Mapped[list] = mapped_column(JSON, default=list)
    #: Section id -> the answer's position on the scale per statement (None: blank),
    #: kept so the next take can be compared statement by statement. None for
    #: results saved before answers were kept.
    answers: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: The member's action plan: [{"statement": "section.n", "owner", "due", "note"}].
    plan: Mapped[list | None] = mapped_column(JSON, nullable=True)

    resource = relationship("Resource", lazy="joined")

    def __repr__(self) -> str:
        return f"<SavedAssessment {self.id} user={self.user_id} resource={self.resource_id}>"


class AssessmentCompletion(Model):
    __tablename__ = "assessment_completions"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<AssessmentCompletion resource={self.resource_id} count={self.count}>"
