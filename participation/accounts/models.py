"""People, their memberships in areas and their stakeholder roles there."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.db import Base, utcnow
from participation.types import UTCDateTime, value_enum


class StakeholderRole(enum.Enum):
    RESIDENT = "resident"  # Anwohner*in
    BUSINESS = "business"  # Gewerbetreibende
    OWNER = "owner"  # Hauseigentümer*in, including housing companies
    INSTITUTION = "institution"  # local institution: school, daycare, association


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, comment="stored lower-cased")
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str | None] = mapped_column(
        String(255), comment="argon2; empty for accounts that only sign in through OIDC"
    )
    preferred_locale: Mapped[str] = mapped_column(String(8), default="de")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_epoch: Mapped[int] = mapped_column(
        Integer, default=0, comment="raised to end every session of the account at once"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user",
        lazy="raise",
        cascade="all, delete-orphan",
        foreign_keys="Membership.user_id",
    )


class Membership(Base):
    """A person taking part in one area, in one or more stakeholder roles."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="set when the QM office verified the roles"
    )
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), comment="the manager, if done by hand"
    )

    user: Mapped[User] = relationship(
        back_populates="memberships", lazy="raise", foreign_keys=[user_id]
    )
    roles: Mapped[list[MembershipRole]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="MembershipRole.role"
    )

    @property
    def role_values(self) -> set[StakeholderRole]:
        return {r.role for r in self.roles}


class MembershipRole(Base):
    __tablename__ = "membership_roles"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[StakeholderRole] = mapped_column(value_enum(StakeholderRole), primary_key=True)


class ExternalIdentity(Base):
    """An account at an OpenID Connect provider (e.g. the district's single sign-on)."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), comment="the provider's `sub` claim")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VerificationMethod(enum.Enum):
    CODE = "code"  # a one-time code handed out by the QM office
    MANUAL = "manual"  # a manager confirmed it by hand


class VerificationCode(Base):
    """A one-time code that verifies a membership in one area; stored only as a hash."""

    __tablename__ = "verification_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="sha256 of the code")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class VerificationEvent(Base):
    """Who verified or un-verified a membership, when and how (never changed afterwards)."""

    __tablename__ = "verification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    verified: Mapped[bool] = mapped_column(Boolean, comment="true: verified; false: withdrawn")
    method: Mapped[VerificationMethod] = mapped_column(value_enum(VerificationMethod))
    by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), comment="the manager; NULL for codes"
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship(lazy="raise")
