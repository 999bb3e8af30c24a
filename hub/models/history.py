"""Every editorial change to a resource, with a full snapshot, so editors can
see who changed what and when, and restore an earlier version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import JSONType, utcnow

#: baseline: the resource as it was before its first recorded change (an import).
ACTIONS = ("baseline", "publish", "edit", "unpublish", "republish", "restore")


class ResourceVersion(Model):
    __tablename__ = "resource_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL"), nullable=True, index=True)
    slug: Mapped[str] = mapped_column(String(120), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(20))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), nullable=True)
    #: Restores point at the version they brought back.
    restored_from_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    #: The resource after the change: every field, its status and its attachments.
    snapshot: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: Field names that differ from the previous version.
    changed: Mapped[list] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    actor = relationship("User", lazy="joined")
