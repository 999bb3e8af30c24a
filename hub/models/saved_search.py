"""A search a member follows by e-mail, and what its digests have covered.

* ``SavedSearch``: the member's words and filters (the search page's query
  string, read again by the one parameter parser at every digest), a name,
  how often to mail, the language to mail in, and the sending state: the
  moment up to which digests have covered the catalogue (``sent_until``) and
  when the next one is due.
* ``DigestItem``: one row per resource a digest listed, so a resource is
  never listed twice even when the next window looks back over the last one
  (see hub/services/digests.py, "late commits").
* ``DigestMail``: a digest waiting to be handed to the mail service; it is
  written in the same transaction that moves ``sent_until`` on, and deleted
  once delivered, so the hub keeps no copy of mail it sent.

All three belong to the member: deleting the account deletes them (the ORM
cascade here, and ``ON DELETE CASCADE`` in the database).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import utcnow

FREQUENCIES = ("weekly", "monthly")
#: A saved search's name, in characters.
MAX_NAME = 120


class SavedSearch(Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), default="")
    #: The search page's parameters as a query string (``q=…&racism_type=…``).
    query: Mapped[str] = mapped_column(Text, default="")
    #: en | fr: the language of the page it was saved or last changed on; digests use it.
    language: Mapped[str] = mapped_column(String(2), default="en")
    frequency: Mapped[str] = mapped_column(String(10), default="weekly")
    #: A random value the unsubscribe links carry: a link made for a deleted
    #: saved search never works for a later one that got the same id.
    link_key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: Resources published up to this moment have been considered by a digest.
    sent_until: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_due_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: When a digest last ran for it (mail or not) and when one last mailed something.
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_mailed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user = relationship("User", lazy="joined", backref=backref(
        "saved_searches", cascade="all, delete-orphan", order_by="SavedSearch.id", lazy="select"))
    items = relationship("DigestItem", cascade="all, delete-orphan", lazy="select")
    mails = relationship("DigestMail", cascade="all, delete-orphan", lazy="select")

    def __repr__(self) -> str:
        return f"<SavedSearch {self.id} user={self.user_id} {self.frequency}>"


class DigestItem(Model):
    __tablename__ = "digest_items"

    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id", ondelete="CASCADE"),
                                                 primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class DigestMail(Model):
    __tablename__ = "digest_mails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: pending (to hand to the mail service) | sending (handed over; never handed again)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    attempted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: The whole message (RFC 5322 bytes), built when the digest was recorded.
    message: Mapped[bytes] = mapped_column(LargeBinary)
