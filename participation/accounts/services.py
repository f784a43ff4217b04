"""Accounts: sign-up, sign-in, memberships in areas, the profile."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.accounts.tokens import TokenInvalid, Tokens
from participation.areas.models import Area, AreaManager
from participation.db import utcnow
from participation.errors import Conflict, Forbidden
from participation.i18n import LANGUAGES
from participation.i18n import gettext as _
from participation.security import hash_password_async, needs_rehash, verify_password_async


class AccountService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        """Return the user or None."""
        return await self.session.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        """Return the user with this e-mail address (any case) or None."""
        result = await self.session.execute(select(User).where(User.email == email.lower()))
        return result.scalar_one_or_none()

    async def sign_up(
        self,
        *,
        email: str,
        display_name: str,
        password: str,
        locale: str,
        is_admin: bool = False,
    ) -> User:
        """Create an account; raise Conflict when the address is taken."""
        user = User(
            email=email.strip().lower(),
            display_name=display_name.strip(),
            password_hash=await hash_password_async(password),
            preferred_locale=locale if locale in LANGUAGES else "de",
            is_admin=is_admin,
        )
        self.session.add(user)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError:
            raise Conflict(
                _("An account with this e-mail address already exists. Please sign in."),
                field="email",
            ) from None
        return user

    async def authenticate(self, email: str, password: str) -> User | None:
        """Return the user when the password is right, else None (same work either way)."""
        user = await self.by_email(email)
        stored = user.password_hash if user else None
        if not await verify_password_async(stored, password) or user is None:
            return None
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = await hash_password_async(password)
        return user

    async def set_password(self, user: User, password: str) -> None:
        user.password_hash = await hash_password_async(password)

    async def verify_email(self, user_id: int, email: str) -> User:
        """Confirm the address a link was sent to; raise TokenInvalid if it is no longer theirs."""
        user = await self.get(user_id)
        if user is None or user.email != email:
            raise TokenInvalid
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
        return user

    async def reset_password(self, user_id: int, state: str, password: str) -> User:
        """Set a new password from a reset link (once) and end every session of the account."""
        user = await self.get(user_id)
        if user is None or not Tokens.reset_still_valid(user, state):
            raise TokenInvalid
        await self.set_password(user, password)
        user.session_epoch += 1
        if user.email_verified_at is None:  # the link proves the mailbox is theirs
            user.email_verified_at = utcnow()
        return user

    async def sign_out_everywhere(self, user: User) -> None:
        """End every session of the account, on every device."""
        user.session_epoch += 1

    async def check_password(self, user: User, password: str) -> bool:
        return await verify_password_async(user.password_hash, password)

    async def change_password(self, user: User, current: str, new: str) -> None:
        if not await verify_password_async(user.password_hash, current):
            raise Conflict(_("This is not your current password."), field="current_password")
        await self.set_password(user, new)
        user.session_epoch += 1

    async def change_email(self, user: User, new_email: str, password: str) -> str:
        """Move the account to a new address (to be verified again); return the old one."""
        if not await verify_password_async(user.password_hash, password):
            raise Conflict(_("This is not your current password."), field="password")
        new_email = new_email.strip().lower()
        if new_email == user.email:
            raise Conflict(_("This is already your e-mail address."), field="email")
        if await self.by_email(new_email) is not None:
            raise Conflict(_("Another account uses this e-mail address."), field="email")
        old = user.email
        user.email = new_email
        user.email_verified_at = None
        return old

    async def delete_unverified(self, older_than: datetime) -> int:
        """Delete accounts whose address was never confirmed, created before the given time."""
        result = await self.session.execute(
            delete(User).where(User.email_verified_at.is_(None), User.created_at < older_than)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def update_profile(self, user: User, *, display_name: str, locale: str) -> None:
        user.display_name = display_name.strip()
        if locale in LANGUAGES:
            user.preferred_locale = locale

    async def memberships(self, user: User) -> list[Membership]:
        """Return the user's memberships with roles, in the areas' order."""
        result = await self.session.execute(
            select(Membership)
            .join(Area, Area.id == Membership.area_id)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.roles))
            .order_by(Area.position)
        )
        return list(result.scalars())

    async def membership(self, user: User, area: Area) -> Membership | None:
        """Return the user's membership in the area with its roles, or None."""
        result = await self.session.execute(
            select(Membership)
            .where(Membership.user_id == user.id, Membership.area_id == area.id)
            .options(selectinload(Membership.roles))
        )
        return result.scalar_one_or_none()

    async def join(self, user: User, area: Area, roles: Iterable[StakeholderRole]) -> Membership:
        """Join the area in these roles, or change the roles of an existing membership."""
        if not area.is_active:
            raise Forbidden(
                _("This area is in consolidation. Its pages stay readable as an archive.")
            )
        wanted = set(roles)
        if not wanted:
            raise Conflict(_("Please choose at least one."), field="roles")
        membership = await self.membership(user, area)
        if membership is None:
            membership = Membership(user_id=user.id, area_id=area.id, roles=[])
            self.session.add(membership)
        current = {r.role: r for r in membership.roles}
        membership.roles = [
            current.get(role) or MembershipRole(role=role)
            for role in sorted(wanted, key=lambda r: r.value)
        ]
        await self.session.flush()
        return membership

    async def leave(self, user: User, area: Area) -> None:
        await self.session.execute(
            delete(Membership).where(Membership.user_id == user.id, Membership.area_id == area.id)
        )

    async def make_manager(self, user: User, area: Area) -> bool:
        """Appoint the user as a quarter manager of the area (idempotent); return whether
        they were not one before."""
        existing = await self.session.get(AreaManager, (area.id, user.id))
        if existing is not None:
            return False
        self.session.add(AreaManager(area_id=area.id, user_id=user.id))
        await self.session.flush()
        return True

    async def managed_area_ids(self, user: User) -> set[int]:
        result = await self.session.execute(
            select(AreaManager.area_id).where(AreaManager.user_id == user.id)
        )
        return set(result.scalars())
