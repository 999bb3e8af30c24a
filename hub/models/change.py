"""The change log: which resources each content version touched.

Every machine keeps its own search index, derived from the one database. A
machine that did not make a change learns of it here: it reads the rows after
its index's version and re-indexes just those resources, instead of
rebuilding everything. Rows are written in the same transaction as the change
(and its version), so a committed version always has its rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Model
from hub.models._types import utcnow


class ChangeLogEntry(Model):
    __tablename__ = "change_log"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: No foreign key: a deleted resource's row must outlive it, so other
    #: machines learn to drop it from their index.
    resource_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ChangeLogEntry v{self.version} resource {self.resource_id}>"
