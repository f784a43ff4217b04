"""Appointing and removing the quarter managers of an area: the district office's job."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.accounts.services import AccountService
from participation.areas.models import Area, AreaManager
from participation.errors import Conflict, Forbidden, SignInRequired
from participation.i18n import gettext as _
from participation.moderation.log import record
from participation.moderation.models import Action


@dataclass
class AreaTeam:
    area: Area
    managers: list[User] = field(default_factory=list)


class ManagerService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def require_admin(actor: User | None) -> User:
        if actor is None:
            raise SignInRequired(_("Please sign in to take part."))
        if not actor.is_admin:
            raise Forbidden(_("Only the district office can do this."))
        return actor

    async def teams(self, actor: User | None) -> list[AreaTeam]:
        """Every area with its managers, for the district office."""
        self.require_admin(actor)
        areas = (await self.session.execute(select(Area).order_by(Area.position))).scalars()
        teams = {area.id: AreaTeam(area) for area in areas}
        rows = await self.session.execute(
            select(AreaManager.area_id, User)
            .join(User, User.id == AreaManager.user_id)
            .order_by(User.display_name)
        )
        for area_id, user in rows.all():
            teams[area_id].managers.append(user)
        return list(teams.values())

    async def appoint(self, actor: User | None, area: Area, email: str) -> User:
        """Make the account with this address a manager of the area (idempotent; logged when
        the person was not a manager before)."""
        admin = self.require_admin(actor)
        accounts = AccountService(self.session)
        user = await accounts.by_email(email)
        if user is None:
            raise Conflict(
                _("There is no account with this e-mail address. Ask the person to sign up first."),
                field="email",
            )
        if await accounts.make_manager(user, area):
            await record(
                self.session,
                area.id,
                admin,
                Action.APPOINT,
                target_user_id=user.id,
                label=user.display_name,
            )
        return user

    async def remove(self, actor: User | None, area: Area, user_id: int) -> None:
        """Remove the person from the area's managers (logged when they were one)."""
        admin = self.require_admin(actor)
        removed = await self.session.execute(
            delete(AreaManager)
            .where(AreaManager.area_id == area.id, AreaManager.user_id == user_id)
            .returning(AreaManager.user_id)
        )
        if removed.first() is None:
            return
        user = await self.session.get(User, user_id)
        await record(
            self.session,
            area.id,
            admin,
            Action.REMOVE_MANAGER,
            target_user_id=user_id,
            label=user.display_name if user else "",
        )
