"""A member's proposed resource (new, or an edit of a published one) on its
way through review. The state machine lives here so every channel (pages,
services, tests) obeys the same transitions."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import JSONType, utcnow

if TYPE_CHECKING:
    from hub.models.user import User

DRAFT = "draft"
SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes-requested"
PUBLISHED = "published"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, SUBMITTED, CHANGES_REQUESTED, PUBLISHED, REJECTED, WITHDRAWN)
#: States in which the author may still change the content.
EDITABLE = (DRAFT, CHANGES_REQUESTED)
#: States after which nothing happens any more.
FINAL = (PUBLISHED, REJECTED, WITHDRAWN)

#: (from, to) -> who may make that move: "author", "editor", or "editor-author"
#: (an editor acting on their own submission).
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMITTED): "author",
    (CHANGES_REQUESTED, SUBMITTED): "author",
    (DRAFT, WITHDRAWN): "author",
    (SUBMITTED, WITHDRAWN): "author",
    (CHANGES_REQUESTED, WITHDRAWN): "author",
    (SUBMITTED, CHANGES_REQUESTED): "editor",
    (SUBMITTED, REJECTED): "editor",
    (CHANGES_REQUESTED, REJECTED): "editor",
    (SUBMITTED, PUBLISHED): "editor",
    (CHANGES_REQUESTED, PUBLISHED): "editor",
    # An editor's own draft (an edit of a published resource, say) may go out directly;
    # a member's draft must be submitted first.
    (DRAFT, PUBLISHED): "editor-author",
}


class TransitionError(ValueError):
    """A move the state machine does not allow; the message says which."""


class Submission(Model):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The published resource this edits (or, once published, the one it became).
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL"), nullable=True, index=True)
    #: True when the submission proposes changes to an existing resource.
    is_edit: Mapped[bool] = mapped_column(default=False)
    #: The slug that the edited resource had when the edit began (kept if it is deleted).
    target_slug: Mapped[str | None] = mapped_column(String(120), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    #: What the author typed, field by field, exactly as typed (form names = front-matter keys).
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: Denormalised for listings.
    title: Mapped[str] = mapped_column(String(300), default="")
    #: Interface language the author used: their mail is written in it.
    lang: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: Last time it entered the queue: the queue is oldest first by this.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    #: Optimistic concurrency: every change bumps it, and a stale writer is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    author = relationship("User", lazy="joined")
    resource = relationship("Resource")
    files = relationship("SubmissionFile", back_populates="submission", cascade="all, delete-orphan",
                         order_by="SubmissionFile.position", lazy="selectin")
    events = relationship("SubmissionEvent", back_populates="submission", cascade="all, delete-orphan",
                          order_by="SubmissionEvent.id", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - typed by SQLAlchemy's own base

    # -- what the policy asks ---------------------------------------------------
    @property
    def status(self) -> str:
        """The policy's label rules read ``status``: only a published one is public."""
        return self.state

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE

    def allowed(self, to: str, as_editor: bool, as_author: bool) -> bool:
        who = TRANSITIONS.get((self.state, to))
        return ((who == "editor" and as_editor) or (who == "author" and as_author)
                or (who == "editor-author" and as_editor and as_author))

    def transition(self, to: str, *, actor: User, as_editor: bool, message: str = "") -> SubmissionEvent:
        """Move to ``to`` if the machine allows this actor to; record who, when and why."""
        if to not in STATES:
            raise TransitionError(f"unknown state {to!r}")
        as_author = actor is not None and actor.id == self.author_id
        if not self.allowed(to, as_editor=as_editor, as_author=as_author):
            raise TransitionError(f"a submission cannot go from {self.state} to {to}")
        event = SubmissionEvent(actor_id=actor.id, kind="state", from_state=self.state, to_state=to,
                                message=message or "")
        self.events.append(event)
        self.state = to
        now = utcnow()
        self.updated_at = now
        if to == SUBMITTED:
            self.submitted_at = now
        return event

    def comment(self, *, actor: User, message: str) -> SubmissionEvent:
        event = SubmissionEvent(actor_id=actor.id, kind="comment", from_state=self.state,
                                to_state=self.state, message=message)
        self.events.append(event)
        self.updated_at = utcnow()
        return event

    def file(self, filename: str) -> SubmissionFile | None:
        return next((f for f in self.files if f.filename == filename), None)

    @property
    def last_comment(self) -> SubmissionEvent | None:
        return next((e for e in reversed(self.events) if e.message), None)

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.state}>"


class SubmissionFile(Model):
    """An uploaded attachment kept with a draft, so a form re-displayed after an
    error never asks for the file again. Bytes live in the blob store."""
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))

    submission = relationship("Submission", back_populates="files")

    @property
    def kind(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else self.media_type


class SubmissionEvent(Model):
    """One step in a submission's life: a state change or a comment."""
    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # state | comment
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    submission = relationship("Submission", back_populates="events")
    actor = relationship("User", lazy="joined")
