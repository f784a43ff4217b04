"""Assisted intake: the QM office enters an idea collected on paper or at a Kiez event, on
behalf of a person who does not post online; the person's contact stays private."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.areas.models import Area
from participation.errors import Forbidden
from participation.i18n import gettext as _
from participation.ideas.models import Idea, ModerationState
from participation.ideas.services import IdeaInput, IdeaService, Viewer
from participation.moderation.access import require_moderator
from participation.moderation.log import record
from participation.moderation.models import Action, IntakeContact

NAME_MAX = 120
CONTACT_MAX = 250
NOTE_MAX = 2000


@dataclass
class ContactInput:
    """Who brought the idea in and how to reach them; every part may be empty."""

    name: str = ""
    contact: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.contact.strip() or self.note.strip())


class IntakeService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def require_office(self, actor: User | None, area: Area) -> User:
        """Return the actor if they may enter ideas in the area (its managers, the district
        office) and the area still takes ideas; raise SignInRequired or Forbidden."""
        user = await require_moderator(self.session, actor, area)
        if not area.is_active:
            raise Forbidden(
                _("This area is in consolidation. Its pages stay readable as an archive.")
            )
        return user

    async def enter(
        self, actor: User | None, area: Area, data: IdeaInput, contact: ContactInput
    ) -> Idea:
        """Publish the idea in the area as submitted via the QM office, keep the contact (if
        any is given) for the area's managers, and log it. Every rule is checked before
        anything is written."""
        user = await self.require_office(actor, area)
        ideas = IdeaService(self.session)
        await ideas.check_input(area, data)
        idea = await ideas.add(
            area, user, data, state=ModerationState.VISIBLE, submitted_by_office=True
        )
        if not contact.is_empty:
            self.session.add(
                IntakeContact(
                    idea_id=idea.id,
                    name=contact.name.strip()[:NAME_MAX],
                    contact=contact.contact.strip()[:CONTACT_MAX],
                    note=contact.note.strip()[:NOTE_MAX],
                )
            )
        await record(self.session, area.id, user, Action.INTAKE, idea_id=idea.id, label=idea.title)
        return idea

    async def private_contact(self, viewer: Viewer, idea: Idea) -> IntakeContact | None:
        """The contact of the person behind an idea the office entered, for the area's managers
        and the district office only; None for anyone else (then without a query)."""
        if not (viewer.is_manager and idea.submitted_by_office):
            return None
        return await self.session.get(IntakeContact, idea.id)
