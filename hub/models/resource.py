"""A published (or unpublished) resource of the catalogue: the source of truth
that the search index is derived from."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.content.bilingual import BilingualMetadata
from hub.extensions import Model
from hub.models._types import JSONType, utcnow

if TYPE_CHECKING:
    from hub.models.attachment import Attachment

STATUSES = ("published", "unpublished")


class Resource(BilingualMetadata, Model):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(40), index=True)
    summary: Mapped[str] = mapped_column(Text)
    racism_types: Mapped[list] = mapped_column(JSONType, default=list)
    audiences: Mapped[list] = mapped_column(JSONType, default=list)
    topics: Mapped[list] = mapped_column(JSONType, default=list)
    language: Mapped[str] = mapped_column(String(2), index=True)
    #: `title`, `summary` and `topics` above are in the document's `language`; this
    #: holds them in the other language: {"fr": {"title", "summary", "topics"}}.
    translations: Mapped[dict] = mapped_column(JSONType, default=dict)
    organization: Mapped[str] = mapped_column(String(300), default="")
    #: A key of the `publishers` vocabulary (the organisation, normalised for the facet).
    publisher: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    authors: Mapped[list] = mapped_column(JSONType, default=list)
    #: As written in the file: "2022-03-15" or "2022"; `published_on` is its sortable form.
    published: Mapped[str] = mapped_column(String(10), default="")
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    region: Mapped[str] = mapped_column(String(20), default="national")
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    access: Mapped[str] = mapped_column(String(10), default="public", index=True)
    translation: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    content_warning: Mapped[str | None] = mapped_column(String(300), nullable=True)
    assessment: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    #: Declared fields without a column of their own (hub/content/fields.py, storage="extra").
    extras: Mapped[dict] = mapped_column(JSONType, default=dict)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    #: SHA-256 of the source text and attachment hashes: an unchanged re-import is skipped.
    checksum: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    #: When it first became published: the feed and "newest" order use it.
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)

    attachments = relationship(
        "Attachment", back_populates="resource", cascade="all, delete-orphan",
        order_by="Attachment.position", lazy="selectin")

    def attachment(self, filename: str) -> Attachment | None:
        return next((a for a in self.attachments if a.filename == filename), None)

    @property
    def is_public(self) -> bool:
        return self.status == "published" and self.access == "public"

    def __repr__(self) -> str:
        return f"<Resource {self.slug}>"
