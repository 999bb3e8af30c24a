"""What editors learn about the catalogue without learning about people.

Every table here holds aggregates or editorial facts, never a person: no IP
address, no user id, no cookie, no per-request row. Counts are incremented
at the moment something happens and nothing else is kept.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import utcnow

REQUEST_STATES = ("open", "answered", "linked", "closed")
LINK_OUTCOMES = ("ok", "redirect", "broken", "error", "skipped")


class ZeroResultSearch(Model):
    """How many searches found nothing, per day, normalised query, interface
    language and active filters. Kept twelve months."""
    __tablename__ = "zero_result_searches"
    __table_args__ = (UniqueConstraint("day", "query", "language", "filters", name="uq_zero_result_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    #: Canonical "facet=value&facet=value" (sorted), empty when no filter was active.
    filters: Mapped[str] = mapped_column(String(500), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)


class ResourceRequest(Model):
    """"Ask the working group for a resource on this": the need in the asker's
    words and, only if they chose to leave one, an address for the reply
    (erased once the request is dealt with)."""
    __tablename__ = "resource_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    need: Mapped[str] = mapped_column(Text)
    #: The (normalised) search that found nothing, if the form came from one.
    query: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL"), nullable=True)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Whether a reply was mailed (the address itself is gone by then).
    notified: Mapped[bool] = mapped_column(default=False)

    resource = relationship("Resource", backref=backref("requests", lazy="select"))


class LinkCheck(Model):
    """The last check of one external link of one resource (its `url` or a
    link in its body)."""
    __tablename__ = "link_checks"
    __table_args__ = (UniqueConstraint("resource_id", "url", name="uq_link_check_resource_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: "url" for the resource's original link, "body" for a link in its text.
    source: Mapped[str] = mapped_column(String(10), default="url")
    outcome: Mapped[str] = mapped_column(String(10), index=True)
    #: The first answer's status (301 for a redirect), None when no answer came.
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The status at the end of the redirects.
    final_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    error: Mapped[str] = mapped_column(String(300), default="")
    checked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    resource = relationship("Resource", backref=backref(
        "link_checks", cascade="all, delete-orphan", passive_deletes=True, lazy="select"))


class ResourceReview(Model):
    """The date an editor last re-read a resource. Its own table so that a
    re-import of the resource file never erases it."""
    __tablename__ = "resource_reviews"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    resource = relationship("Resource", backref=backref(
        "review", uselist=False, cascade="all, delete-orphan", passive_deletes=True, lazy="select"))


class ResourceUsage(Model):
    """Views and downloads of one resource in one calendar month."""
    __tablename__ = "resource_usage"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    #: "YYYY-MM"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    downloads: Mapped[int] = mapped_column(Integer, default=0)

    resource = relationship("Resource", backref=backref(
        "usage", cascade="all, delete-orphan", passive_deletes=True, lazy="select"))
