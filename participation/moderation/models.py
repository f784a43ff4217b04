"""Reports, blocks, official answers, private contacts of assisted ideas, and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.db import Base, utcnow
from participation.types import UTCDateTime, value_enum


class Reason(enum.Enum):
    """Why an item is reported or hidden; the category is public, the text is not."""

    SPAM = "spam"
    INSULT = "insult"  # insult or hate
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Report(Base):
    """A member's report of an idea or of a comment (then `comment_id` is set as well).

    One per member and item, enforced by two partial unique indexes. Open while
    `resolved_at` is NULL; resolved when a manager hides the item or dismisses the reports.
    """

    __tablename__ = "reports"
    __table_args__ = (
        Index(
            "uq_reports_idea_reporter",
            "idea_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("comment_id IS NULL"),
            postgresql_where=text("comment_id IS NULL"),
        ),
        Index(
            "uq_reports_comment_reporter",
            "comment_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("comment_id IS NOT NULL"),
            postgresql_where=text("comment_id IS NOT NULL"),
        ),
        Index("ix_reports_area_open", "area_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), comment="the idea, or the comment's idea"
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[Reason] = mapped_column(value_enum(Reason))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reporter: Mapped[User | None] = relationship(lazy="raise")


class Block(Base):
    """A member blocked from taking part in one area, until a time or for good."""

    __tablename__ = "blocks"
    __table_args__ = (Index("ix_blocks_area_user", "area_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime, comment="NULL: for good")
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(lazy="raise", foreign_keys=[user_id])


class OfficialAnswer(Base):
    """A manager's answer to an idea, setting its status; shown apart from the comments."""

    __tablename__ = "official_answers"
    __table_args__ = (Index("ix_official_answers_idea", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(32), comment="the idea's status set by the answer")
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")


class IntakeContact(Base):
    """Private contact details of a person whose idea the QM office entered on their behalf;
    visible to the area's managers only."""

    __tablename__ = "intake_contacts"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(250), default="", comment="phone, mail or address")
    note: Mapped[str] = mapped_column(Text, default="", comment="where it was collected")


class Action(enum.Enum):
    """What a manager, an admin or the platform did; one row of the audit log each."""

    HIDE = "hide"
    AUTO_HIDE = "auto_hide"  # hidden after enough reports, without a person acting
    RESTORE = "restore"
    DISMISS = "dismiss"  # the reports were dismissed, the item stays
    REDACT = "redact"
    APPROVE = "approve"  # a pre-moderated item was published
    REVIEW_REQUESTED = "review_requested"  # by the author of a hidden item
    KEEP_HIDDEN = "keep_hidden"  # the review request was answered: it stays hidden
    BLOCK = "block"
    UNBLOCK = "unblock"
    ANSWER = "answer"  # official answer and status
    INTAKE = "intake"  # idea entered on someone's behalf
    SETTINGS = "settings"  # the area's moderation settings changed
    CONCEPT = "concept"  # the IHEK, its proposals or its participation process changed
    APPOINT = "appoint"  # a manager appointed
    REMOVE_MANAGER = "remove_manager"


class ModerationAction(Base):
    """The audit log. Rows are only ever inserted: database triggers refuse to change what was
    done, by whom, when or why, and refuse deletions (see the migration)."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_area_created", "area_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), comment="NULL: the platform, or erased"
    )
    actor_name: Mapped[str] = mapped_column(String(60), default="", comment="at the time")
    action: Mapped[Action] = mapped_column(value_enum(Action))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), comment="whose item, or who was (un)blocked"
    )
    item_label: Mapped[str] = mapped_column(
        String(160), default="", comment="the item's title or start, when acted on"
    )
    category: Mapped[Reason | None] = mapped_column(value_enum(Reason))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[actor_id])


IMMUTABLE_COLUMNS = (
    "area_id",
    "actor_name",
    "action",
    "item_label",
    "category",
    "reason",
    "created_at",
)
"""Columns of the audit log the triggers protect; the foreign keys may still become NULL
when an account, idea or comment is erased."""
