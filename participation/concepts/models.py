"""The IHEK on the platform: proposals (measures) in fields of action, the participation
process with its phases, votes, and what became of each proposal afterwards.

Concepts and fields of action themselves live in `participation.areas.models`."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.areas.models import Concept, FieldOfAction
from participation.db import Base, utcnow
from participation.types import Translations, UTCDateTime, value_enum


class Fund(enum.Enum):
    """The QM funds (Quartiersfonds) a measure can be paid from, with their limits in EUR."""

    ACTION = "action"  # Aktionsfonds: at most 1,500 EUR per action
    PROJECT = "project"  # Projektfonds: from 5,000 EUR
    BUILDING = "building"  # Baufonds: from 50,000 EUR
    NONE = "none"  # no QM money (other programmes, volunteers)

    @property
    def limits(self) -> tuple[int | None, int | None]:
        """(lowest, highest) amount in EUR; None means no limit on that side."""
        return {
            Fund.ACTION: (1, 1_500),
            Fund.PROJECT: (5_000, None),
            Fund.BUILDING: (50_000, None),
            Fund.NONE: (None, None),
        }[self]


class Progress(enum.Enum):
    """What became of a proposal after the vote; each step is dated (ProposalStep)."""

    PROPOSED = "proposed"
    DECIDED = "decided"  # decided by the Quartiersrat
    FUNDED = "funded"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"  # with a reason


class Proposal(Base):
    """A measure (Maßnahme) of a concept, in one field of action; texts in several languages."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_concept_field", "concept_id", "field_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(
        ForeignKey("fields_of_action.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[dict[str, str]] = mapped_column(Translations, comment="language code -> title")
    description: Mapped[dict[str, str]] = mapped_column(Translations, default=dict)
    effect: Mapped[dict[str, str]] = mapped_column(
        Translations, default=dict, comment="expected effect, language code -> text"
    )
    fund: Mapped[Fund] = mapped_column(value_enum(Fund), default=Fund.NONE)
    amount: Mapped[int | None] = mapped_column(Integer, comment="EUR, whole euros")
    progress: Mapped[Progress] = mapped_column(value_enum(Progress), default=Progress.PROPOSED)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    yes_count: Mapped[int] = mapped_column(
        Integer, default=0, comment="kept in the same transaction as the vote rows"
    )
    no_count: Mapped[int] = mapped_column(Integer, default=0)
    abstain_count: Mapped[int] = mapped_column(Integer, default=0)

    concept: Mapped[Concept] = relationship(lazy="raise")
    field: Mapped[FieldOfAction] = relationship(lazy="raise")


class ProposalIdea(Base):
    """An idea a proposal came from."""

    __tablename__ = "proposal_ideas"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProposalStep(Base):
    """One dated step of a proposal's progress after the vote."""

    __tablename__ = "proposal_steps"
    __table_args__ = (Index("ix_proposal_steps_proposal", "proposal_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    progress: Mapped[Progress] = mapped_column(value_enum(Progress))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", comment="required when dropped")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PhaseKind(enum.Enum):
    """The phases of a concept's participation process, in their order."""

    IDEAS = "ideas"  # idea collection
    CONSULTATION = "consultation"  # comments on proposals
    VOTING = "voting"
    DECISION = "decision"  # the Quartiersrat decides
    IMPLEMENTATION = "implementation"


class Process(Base):
    """The participation process of a concept: who may vote, and how results are shown."""

    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), unique=True
    )
    voter_roles: Mapped[list[str]] = mapped_column(
        JSON, default=list, comment="stakeholder roles that may vote; empty: every member"
    )
    verified_only: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="only members the QM office verified may vote"
    )
    show_running_totals: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="show counts while the vote runs (default: at the end)"
    )

    phases: Mapped[list[Phase]] = relationship(
        lazy="raise", order_by="Phase.starts_at", passive_deletes=True
    )


class Phase(Base):
    """One phase of a process, from `starts_at` until before `ends_at` (UTC)."""

    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("process_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    kind: Mapped[PhaseKind] = mapped_column(value_enum(PhaseKind))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Choice(enum.Enum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Vote(Base):
    """One person's vote on one proposal; at most one row per pair, changed until the end."""

    __tablename__ = "votes"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choice: Mapped[Choice] = mapped_column(value_enum(Choice))
    roles: Mapped[list[str]] = mapped_column(
        JSON, default=list, comment="the voter's stakeholder roles when voting, for the breakdown"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")


class ProposalComment(Base):
    """A comment on a proposal during the consultation."""

    __tablename__ = "proposal_comments"
    __table_args__ = (Index("ix_proposal_comments_proposal", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")
