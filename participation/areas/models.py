"""Areas (QM-Gebiete), their concepts (IHEK) and fields of action (Handlungsfelder)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.db import Base, utcnow
from participation.types import Translations, UTCDateTime, value_enum


class AreaStatus(enum.Enum):
    ACTIVE = "active"
    CONSOLIDATION = "consolidation"  # Verstetigung: the QM programme has ended; read-only archive


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[AreaStatus] = mapped_column(value_enum(AreaStatus))
    description: Mapped[dict[str, str]] = mapped_column(
        Translations, default=dict, comment="language code -> description"
    )
    position: Mapped[int] = mapped_column(Integer, default=0, comment="order on the home page")
    idea_count: Mapped[int] = mapped_column(
        Integer, default=0, comment="visible ideas, kept in the same transaction as the write"
    )
    premoderated: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="new ideas and comments wait for a manager's approval"
    )
    auto_hide_after: Mapped[int | None] = mapped_column(
        Integer, comment="hide an item after this many reports by verified members; NULL: never"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    concepts: Mapped[list[Concept]] = relationship(back_populates="area", lazy="raise")

    @property
    def is_active(self) -> bool:
        return self.status is AreaStatus.ACTIVE


class Concept(Base):
    """An integrated action and development concept (IHEK) of an area for a period."""

    __tablename__ = "concepts"
    __table_args__ = (UniqueConstraint("area_id", "first_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    vision: Mapped[dict[str, str]] = mapped_column(
        Translations, default=dict, comment="Leitbild, language code -> text"
    )
    profile: Mapped[dict[str, str]] = mapped_column(
        Translations, default=dict, comment="short area profile, language code -> text"
    )
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship(back_populates="concepts", lazy="raise")
    fields: Mapped[list[FieldOfAction]] = relationship(
        back_populates="concept", lazy="raise", order_by="FieldOfAction.position"
    )


class FieldOfAction(Base):
    """A Handlungsfeld of one concept; the taxonomy changes between concepts."""

    __tablename__ = "fields_of_action"
    __table_args__ = (UniqueConstraint("concept_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(Translations, comment="language code -> name")
    cross_cutting: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="a theme that runs through all fields (Querschnittsthema)"
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    concept: Mapped[Concept] = relationship(back_populates="fields", lazy="raise")


class AreaManager(Base):
    """A quarter manager (QM team member) of an area."""

    __tablename__ = "area_managers"

    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
