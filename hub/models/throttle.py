"""Counters of the sign-in and password-reset throttles, shared by every
worker process and machine (hub/security/throttle.py).

No e-mail or network address is stored: a row is named by an HMAC-SHA256 of
the counter's key (which holds the identity) with the app's secret key, and
holds only a count and when its window ends. Rows of ended windows are
deleted as new counts are written.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Model


class ThrottleCount(Model):
    __tablename__ = "throttle_counts"

    #: Hex HMAC-SHA256 of the limit's key (kind, identity, limit) with SECRET_KEY.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    #: End of the fixed window (UTC); the count means nothing after it.
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    def __repr__(self) -> str:
        return f"<ThrottleCount {self.key[:8]}… {self.count}>"
