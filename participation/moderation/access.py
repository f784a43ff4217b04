"""Who may moderate an area: its quarter managers, and the district office everywhere."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.areas.models import Area, AreaManager
from participation.errors import Forbidden, SignInRequired
from participation.i18n import gettext as _


async def is_moderator(session: AsyncSession, user: User | None, area: Area) -> bool:
    """Whether the user manages the area or is an administrator (at most one query)."""
    if user is None:
        return False
    if user.is_admin:
        return True
    found = await session.execute(
        select(AreaManager.user_id).where(
            AreaManager.user_id == user.id, AreaManager.area_id == area.id
        )
    )
    return found.first() is not None


async def require_moderator(session: AsyncSession, user: User | None, area: Area) -> User:
    """Return the user if they may moderate the area; raise SignInRequired or Forbidden."""
    if user is None:
        raise SignInRequired(_("Please sign in to take part."))
    if not await is_moderator(session, user, area):
        raise Forbidden(_("Only the quarter managers of this area can do this."))
    return user


async def managed_area_ids(session: AsyncSession, user: User) -> list[int] | None:
    """The areas the user moderates; None means every area (the district office)."""
    if user.is_admin:
        return None
    rows = await session.execute(select(AreaManager.area_id).where(AreaManager.user_id == user.id))
    return list(rows.scalars())
