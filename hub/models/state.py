"""Small key/value facts about this install (first-start import done, content
version the index must match)."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Model


class HubState(Model):
    __tablename__ = "hub_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
