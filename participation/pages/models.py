"""Feedback on the platform's accessibility, kept even if mail fails."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.db import Base, utcnow
from participation.types import UTCDateTime


class AccessibilityFeedback(Base):
    __tablename__ = "accessibility_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(String(500), comment="where the barrier is")
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(
        String(254), comment="only to answer; deleted with the feedback"
    )
    locale: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
