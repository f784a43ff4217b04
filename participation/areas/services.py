"""Areas, their current concept and its fields of action."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.areas.models import Area, AreaManager, Concept, FieldOfAction
from participation.errors import NotFound
from participation.i18n import gettext as _


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

    async def staff_roles(self, area: Area, user_ids: set[int]) -> dict[int, str]:
        """Which of these people speak for the area's QM ("manager") or the district office
        ("admin"); shown as badges that a display name cannot imitate (one query)."""
        if not user_ids:
            return {}
        manages = exists().where(AreaManager.user_id == User.id, AreaManager.area_id == area.id)
        rows = await self.session.execute(
            select(User.id, User.is_admin, manages).where(
                User.id.in_(user_ids), or_(User.is_admin.is_(True), manages)
            )
        )
        return {row[0]: "manager" if row[2] else "admin" for row in rows.all()}

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
