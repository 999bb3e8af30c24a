"""A file attached to a resource. The bytes live content-addressed under
``HUB_DATA_DIR/files/``; the row keeps the name people know it by."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model


class Attachment(Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")

    resource = relationship("Resource", back_populates="attachments")

    @property
    def kind(self) -> str:
        """A short human name for the format: PDF, DOCX, TXT, PNG, JPEG."""
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else self.media_type
