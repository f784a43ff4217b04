"""Areas, their current concept and its fields of action."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.areas.models import Area, AreaManager, Concept, FieldOfAction
from participation.errors import NotFound
from participation.i18n import gettext as _


def manages(user_id: Any, area_id: Any) -> Any:
    """A column for a SELECT: whether the user is a quarter manager of the area (each given as
    a column or a value)."""
    return exists().where(AreaManager.user_id == user_id, AreaManager.area_id == area_id)


def staff_role(user: User | None, manages_area: bool) -> str | None:
    """Whether the person speaks for the area's QM ("manager") or the district office
    ("admin"), shown as a badge that a display name cannot imitate; None for everybody else."""
    if user is None:
        return None
    if manages_area:
        return "manager"
    return "admin" if user.is_admin else None


class AreaService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Area]:
        """Return every area, active ones first, in their configured order."""
        result = await self.session.execute(select(Area).order_by(Area.position, Area.name))
        return list(result.scalars())

    async def by_slug(self, slug: str) -> Area:
        """Return the area or raise NotFound."""
        area = (
            await self.session.execute(select(Area).where(Area.slug == slug))
        ).scalar_one_or_none()
        if area is None:
            raise NotFound(_("There is no area at this address."))
        return area

    async def current_concept(self, area: Area) -> Concept | None:
        """Return the area's current concept with its fields of action, or None."""
        result = await self.session.execute(
            select(Concept)
            .where(Concept.area_id == area.id, Concept.is_current.is_(True))
            .options(joinedload(Concept.fields))
        )
        return result.unique().scalar_one_or_none()

    async def field(self, area: Area, field_id: int) -> FieldOfAction | None:
        """Return the field of action of the area's current concept, or None."""
        result = await self.session.execute(
            select(FieldOfAction)
            .join(Concept, Concept.id == FieldOfAction.concept_id)
            .where(
                FieldOfAction.id == field_id,
                Concept.area_id == area.id,
                Concept.is_current.is_(True),
            )
        )
        return result.scalar_one_or_none()
