"""Verifying memberships: one-time codes handed out by the QM office, or a manager's word."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from participation.accounts.models import (
    Membership,
    User,
    VerificationCode,
    VerificationEvent,
    VerificationMethod,
)
from participation.areas.models import Area, AreaManager
from participation.db import utcnow
from participation.errors import Conflict, Forbidden, NotFound
from participation.i18n import gettext as _

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
CODE_LENGTH = 10
MAX_BATCH = 100


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True)
class Batch:
    codes: list[str]
    expires_at: datetime


class CodeProblem(Conflict):
    """The code was mistyped, used already, or expired; `kind` says which."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message, field="code")
        self.kind = kind


class VerificationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def require_manager(self, user: User | None, area: Area) -> User:
        """Raise Forbidden unless the user manages the area or is an administrator."""
        if user is not None and user.is_admin:
            return user
        if user is not None:
            manages = await self.session.scalar(
                select(
                    exists().where(AreaManager.user_id == user.id, AreaManager.area_id == area.id)
                )
            )
            if manages:
                return user
        raise Forbidden(_("Only the quarter managers of this area can do this."))

    async def generate(
        self, actor: User | None, area: Area, *, count: int, valid_days: int
    ) -> Batch:
        """Create `count` one-time codes for the area; the codes themselves are not stored."""
        manager = await self.require_manager(actor, area)
        if not 1 <= count <= MAX_BATCH:
            raise Conflict(_("Please choose between 1 and 100 codes."), field="count")
        if not 1 <= valid_days <= 365:
            raise Conflict(_("Please choose between 1 and 365 days."), field="valid_days")
        expires_at = utcnow() + timedelta(days=valid_days)
        codes = [new_code() for _ in range(count)]
        self.session.add_all(
            VerificationCode(
                area_id=area.id,
                code_hash=code_hash(code),
                created_by_id=manager.id,
                expires_at=expires_at,
            )
            for code in codes
        )
        await self.session.flush()
        return Batch(codes, expires_at)

    async def redeem(self, user: User, area: Area, code: str) -> Membership:
        """Verify the user's membership in the area with a one-time code."""
        membership = await self._membership_of(user, area)
        if membership is None:
            raise Forbidden(_("Please join this area first to take part here."))
        found = (
            await self.session.execute(
                select(VerificationCode).where(VerificationCode.code_hash == code_hash(code))
            )
        ).scalar_one_or_none()
        if found is None or found.area_id != area.id:
            raise CodeProblem(
                _("This code is not right. Please check it, letter by letter."), "unknown"
            )
        if found.used_at is not None:
            raise CodeProblem(_("This code has already been used."), "used")
        if found.expires_at <= utcnow():
            raise CodeProblem(_("This code has expired."), "expired")
        # Only one of two people typing the same code at once gets it.
        taken = await self.session.execute(
            update(VerificationCode)
            .where(VerificationCode.id == found.id, VerificationCode.used_at.is_(None))
            .values(used_at=utcnow(), used_by_id=user.id)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise CodeProblem(_("This code has already been used."), "used")
        await self._record(membership, verified=True, method=VerificationMethod.CODE, by=None)
        return membership

    async def set_verified(
        self, actor: User | None, area: Area, membership_id: int, *, verified: bool
    ) -> Membership:
        """A manager verifies or withdraws the verification of a membership by hand."""
        manager = await self.require_manager(actor, area)
        membership = await self.session.get(Membership, membership_id)
        if membership is None or membership.area_id != area.id:
            raise NotFound(_("This membership does not exist."))
        if (membership.verified_at is not None) != verified:
            await self._record(
                membership, verified=verified, method=VerificationMethod.MANUAL, by=manager
            )
        return membership

    async def members(self, actor: User | None, area: Area) -> list[Membership]:
        """The area's members with their roles and accounts, for its managers."""
        await self.require_manager(actor, area)
        result = await self.session.execute(
            select(Membership)
            .where(Membership.area_id == area.id)
            .options(joinedload(Membership.user), selectinload(Membership.roles))
            .order_by(Membership.joined_at.desc())
        )
        return list(result.unique().scalars())

    async def history(self, membership_ids: list[int]) -> dict[int, list[VerificationEvent]]:
        """Who verified or withdrew each membership, and when, newest first."""
        if not membership_ids:
            return {}
        result = await self.session.execute(
            select(VerificationEvent)
            .where(VerificationEvent.membership_id.in_(membership_ids))
            .options(joinedload(VerificationEvent.by))
            .order_by(VerificationEvent.at.desc(), VerificationEvent.id.desc())
        )
        history: dict[int, list[VerificationEvent]] = {}
        for event in result.scalars():
            history.setdefault(event.membership_id, []).append(event)
        return history

    async def _membership_of(self, user: User, area: Area) -> Membership | None:
        return (
            await self.session.execute(
                select(Membership).where(
                    Membership.user_id == user.id, Membership.area_id == area.id
                )
            )
        ).scalar_one_or_none()

    async def _record(
        self, membership: Membership, *, verified: bool, method: VerificationMethod, by: User | None
    ) -> None:
        now = utcnow()
        membership.verified_at = now if verified else None
        membership.verified_by_id = by.id if by is not None and verified else None
        self.session.add(
            VerificationEvent(
                membership_id=membership.id,
                verified=verified,
                method=method,
                by_id=by.id if by is not None else None,
                at=now,
            )
        )
        await self.session.flush()
