"""Who may moderate an area: its quarter managers, and the district office everywhere."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.areas.models import Area, AreaManager
from participation.areas.services import manages
from participation.errors import Forbidden, NotFound, SignInRequired
from participation.i18n import gettext as _

_KNOWN = "moderates"
"""Key in `AsyncSession.info`: (user id, area id) -> whether the user moderates the area, as
read earlier in the session's transaction. A session lives for one request, so nothing is kept
beyond it."""


def note_moderator(session: AsyncSession, user: User | None, area: Area, moderates: bool) -> None:
    """Remember for the rest of the transaction whether the user moderates the area, as read
    by a query that loaded more (so that `is_moderator` need not ask again)."""
    if user is not None:
        session.info.setdefault(_KNOWN, {})[(user.id, area.id)] = moderates


async def is_moderator(session: AsyncSession, user: User | None, area: Area) -> bool:
    """Whether the user manages the area or is an administrator (at most one query, none when
    the transaction knows it already)."""
    if user is None:
        return False
    if user.is_admin:
        return True
    known: dict[tuple[int, int], bool] = session.info.get(_KNOWN, {})
    if (user.id, area.id) in known:
        return known[(user.id, area.id)]
    found = await session.execute(
        select(AreaManager.user_id).where(
            AreaManager.user_id == user.id, AreaManager.area_id == area.id
        )
    )
    moderates = found.first() is not None
    note_moderator(session, user, area, moderates)
    return moderates


async def require_moderator(session: AsyncSession, user: User | None, area: Area) -> User:
    """Return the user if they may moderate the area; raise SignInRequired or Forbidden."""
    if user is None:
        raise SignInRequired(_("Please sign in to take part."))
    if not await is_moderator(session, user, area):
        raise Forbidden(_("Only the quarter managers of this area can do this."))
    return user


async def area_to_moderate(session: AsyncSession, slug: str, user: User | None) -> Area:
    """Return the area of the address (raise NotFound), knowing from then on in the
    transaction whether the user moderates it: one query for both, so that the checks of the
    moderation services ask nothing more."""
    columns = [manages(user.id, Area.id)] if user is not None else []
    row = (await session.execute(select(Area, *columns).where(Area.slug == slug))).one_or_none()
    if row is None:
        raise NotFound(_("There is no area at this address."))
    area: Area = row[0]
    if user is not None:
        note_moderator(session, user, area, user.is_admin or bool(row[1]))
    return area
