"""Pathways: ordered collections of resources the working group writes, with
an introduction and steps, every text in English and French.

A step names its resources by slug (``pathway_step_resources``) rather than
by row id: the file names them that way, a resource re-imported or deleted
and imported again keeps its place, and export writes back exactly what the
file said. Who may see each resource is decided when the page is shown."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import JSONType, utcnow


class Pathway(Model):
    __tablename__ = "pathways"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    #: {"en": ..., "fr": ...}: both languages are required by the file format.
    titles: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: Markdown, {"en": ..., "fr": ...}.
    introductions: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: Place in the list (smaller first); pathways without one follow, by title.
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checksum: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    steps: Mapped[list[PathwayStep]] = relationship(
        back_populates="pathway", cascade="all, delete-orphan", order_by="PathwayStep.position")


class PathwayStep(Model):
    __tablename__ = "pathway_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    titles: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: Markdown, {"en": ..., "fr": ...}.
    texts: Mapped[dict] = mapped_column(JSONType, default=dict)

    pathway: Mapped[Pathway] = relationship(back_populates="steps")
    resources: Mapped[list[PathwayStepResource]] = relationship(
        back_populates="step", cascade="all, delete-orphan", order_by="PathwayStepResource.position")


class PathwayStepResource(Model):
    __tablename__ = "pathway_step_resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("pathway_steps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: Indexed: a resource page asks which pathways contain it.
    resource_slug: Mapped[str] = mapped_column(String(120), index=True)

    step: Mapped[PathwayStep] = relationship(back_populates="resources")
