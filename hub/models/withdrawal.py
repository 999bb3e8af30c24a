"""Tombstones for harvesters: a resource that the public could once see and
no longer can (deleted, unpublished, or moved to members only).

OAI-PMH promises harvesters that deletions are reported (``deletedRecord``
is ``persistent``); a deleted row cannot report itself, so this table keeps
the slug, when it left the public catalogue and the sets it was in. A
resource that never was public never gets a row, so its slug is never shown.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Model
from hub.models._types import JSONType, utcnow


class Withdrawal(Model):
    __tablename__ = "withdrawals"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    withdrawn_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    type: Mapped[str] = mapped_column(String(40), default="")
    racism_types: Mapped[list] = mapped_column(JSONType, default=list)

    def __repr__(self) -> str:
        return f"<Withdrawal {self.slug}>"
