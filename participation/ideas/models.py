"""Ideas posted by members, their photos, comments on them, and supports."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.areas.models import Area, FieldOfAction
from participation.db import Base, utcnow
from participation.moderation.models import Reason
from participation.types import UTCDateTime, value_enum


class IdeaStatus(enum.Enum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"  # taken into the concept
    REJECTED = "rejected"  # not taken up, with a reason
    IMPLEMENTED = "implemented"


class ModerationState(enum.Enum):
    VISIBLE = "visible"
    PENDING = "pending"  # waiting for a manager's approval
    HIDDEN = "hidden"  # hidden by moderation


class Moderated:
    """What moderation keeps on an idea or a comment (the same columns on both tables)."""

    moderation_state: Mapped[ModerationState] = mapped_column(
        value_enum(ModerationState), default=ModerationState.VISIBLE
    )
    hidden_category: Mapped[Reason | None] = mapped_column(
        value_enum(Reason), comment="public: why moderation hid it"
    )
    hidden_reason: Mapped[str | None] = mapped_column(
        Text, comment="the manager's explanation, shown to the author only"
    )
    review_requested_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="the author asked once for a review of the hiding"
    )
    review_message: Mapped[str | None] = mapped_column(Text)
    review_decided_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="a manager restored it or kept it hidden after the review request"
    )
    redacted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="personal data removed from the text by moderation"
    )


class Idea(Moderated, Base):
    __tablename__ = "ideas"
    __table_args__ = (
        Index("ix_ideas_area_created", "area_id", "moderation_state", "created_at"),
        Index("ix_ideas_area_supports", "area_id", "moderation_state", "support_count"),
        Index("ix_ideas_area_comments", "area_id", "moderation_state", "comment_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(
        ForeignKey("fields_of_action.id", ondelete="RESTRICT"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, comment="NULL: deleted account"
    )
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(8), comment="language the text is written in")
    status: Mapped[IdeaStatus] = mapped_column(value_enum(IdeaStatus), default=IdeaStatus.NEW)
    submitted_by_office: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="collected on paper or at an event, entered by the QM"
    )
    support_count: Mapped[int] = mapped_column(
        Integer, default=0, comment="kept in the same transaction as the support rows"
    )
    comment_count: Mapped[int] = mapped_column(
        Integer, default=0, comment="comments not deleted, kept in the same transaction"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship(lazy="raise")
    field: Mapped[FieldOfAction] = relationship(lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")
    photos: Mapped[list[IdeaPhoto]] = relationship(
        lazy="raise", order_by="IdeaPhoto.position", passive_deletes=True
    )


class IdeaPhoto(Base):
    """A photo of an idea with the text that describes it; its pixels are in PhotoVariant."""

    __tablename__ = "idea_photos"
    __table_args__ = (UniqueConstraint("idea_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, comment="order on the idea page")
    alt_text: Mapped[str] = mapped_column(
        String(250), comment="describes the photo for people who cannot see it"
    )
    alt_language: Mapped[str] = mapped_column(
        String(8), comment="language the alt text is written in"
    )
    width: Mapped[int] = mapped_column(Integer, comment="of the largest variant, in pixels")
    height: Mapped[int] = mapped_column(Integer, comment="of the largest variant, in pixels")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    variants: Mapped[list[PhotoVariant]] = relationship(
        lazy="raise", order_by="PhotoVariant.width", passive_deletes=True
    )


class PhotoVariant(Base):
    """One size of a photo, encoded as JPEG without any metadata; never changed once stored."""

    __tablename__ = "photo_variants"
    __table_args__ = (UniqueConstraint("photo_id", "width"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("idea_photos.id", ondelete="CASCADE"))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # In the database, so that every app process serves it; loaded only when it is served.
    content: Mapped[bytes] = mapped_column(
        LargeBinary, deferred=True, deferred_raiseload=True, comment="the JPEG file"
    )
    sha256: Mapped[str] = mapped_column(
        String(64), comment="hex digest of content; part of the URL, so caches keep it forever"
    )


class Comment(Moderated, Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True, comment="one level of replies"
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="deleted by its author; kept as a placeholder while it has replies"
    )

    author: Mapped[User | None] = relationship(lazy="raise")


class Support(Base):
    """One member supporting one idea; at most one row per pair."""

    __tablename__ = "supports"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


IDEAS = cast(Table, Idea.__table__)
SUPPORTS = cast(Table, Support.__table__)
COMMENTS = cast(Table, Comment.__table__)
"""The tables themselves, for plain statements on the busiest paths (supports, comments)."""
