"""Reading concepts, proposals and their traces from the database, for the IHEK tests."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation import i18n
from participation.areas.models import Concept, FieldOfAction
from participation.concepts.models import Proposal, ProposalIdea, ProposalStep
from participation.db import Database
from participation.ideas.models import Idea
from participation.moderation.models import Action, ModerationAction
from participation.notifications.models import OutboxMessage
from tests.conftest import Browser, Loop, Person, Place, csrf_from

T = TypeVar("T")

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
NewClient = Callable[[], Browser]


def translated(locale: str, message: str, **variables: Any) -> str:
    """The interface text as the app shows it in this language (English until translated)."""
    token = i18n.set_locale(locale)
    try:
        return i18n.gettext(message, **variables)
    finally:
        i18n.reset_locale(token)


def number(locale: str, value: int) -> str:
    token = i18n.set_locale(locale)
    try:
        return i18n.format_number(value)
    finally:
        i18n.reset_locale(token)


def read(db: Database, loop: Loop, query: Callable[[AsyncSession], Coroutine[Any, Any, T]]) -> T:
    async def run() -> T:
        async with db.session() as session:
            return await query(session)

    return loop.run(run())


def concepts_of(db: Database, loop: Loop, place: Place) -> list[Concept]:
    async def query(session: AsyncSession) -> list[Concept]:
        result = await session.execute(
            select(Concept).where(Concept.area_id == place.id).order_by(Concept.first_year)
        )
        return list(result.scalars())

    return read(db, loop, query)


def current_concept_id(db: Database, loop: Loop, place: Place) -> int:
    (concept,) = [c for c in concepts_of(db, loop, place) if c.is_current]
    return concept.id


def fields_of(db: Database, loop: Loop, concept_id: int) -> list[FieldOfAction]:
    async def query(session: AsyncSession) -> list[FieldOfAction]:
        result = await session.execute(
            select(FieldOfAction)
            .where(FieldOfAction.concept_id == concept_id)
            .order_by(FieldOfAction.position)
        )
        return list(result.scalars())

    return read(db, loop, query)


def proposals_in(db: Database, loop: Loop, concept_id: int) -> list[Proposal]:
    async def query(session: AsyncSession) -> list[Proposal]:
        result = await session.execute(
            select(Proposal).where(Proposal.concept_id == concept_id).order_by(Proposal.id)
        )
        return list(result.scalars())

    return read(db, loop, query)


def proposal_by_id(db: Database, loop: Loop, proposal_id: int) -> Proposal:
    async def query(session: AsyncSession) -> Proposal:
        proposal = await session.get(Proposal, proposal_id)
        assert proposal is not None
        return proposal

    return read(db, loop, query)


def linked_ideas(db: Database, loop: Loop, proposal_id: int) -> set[int]:
    async def query(session: AsyncSession) -> set[int]:
        result = await session.execute(
            select(ProposalIdea.idea_id).where(ProposalIdea.proposal_id == proposal_id)
        )
        return set(result.scalars())

    return read(db, loop, query)


def steps_of(db: Database, loop: Loop, proposal_id: int) -> list[ProposalStep]:
    async def query(session: AsyncSession) -> list[ProposalStep]:
        result = await session.execute(
            select(ProposalStep)
            .where(ProposalStep.proposal_id == proposal_id)
            .order_by(ProposalStep.happened_on, ProposalStep.id)
        )
        return list(result.scalars())

    return read(db, loop, query)


def idea_by_id(db: Database, loop: Loop, idea_id: int) -> Idea:
    async def query(session: AsyncSession) -> Idea:
        idea = await session.get(Idea, idea_id)
        assert idea is not None
        return idea

    return read(db, loop, query)


def settings_log(db: Database, loop: Loop, place: Place) -> list[ModerationAction]:
    async def query(session: AsyncSession) -> list[ModerationAction]:
        result = await session.execute(
            select(ModerationAction)
            .where(ModerationAction.area_id == place.id, ModerationAction.action == Action.CONCEPT)
            .order_by(ModerationAction.id)
        )
        return list(result.scalars())

    return read(db, loop, query)


def outbox_count(db: Database, loop: Loop, event_prefix: str) -> int:
    async def query(session: AsyncSession) -> int:
        count = await session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.event_key.startswith(event_prefix)
            )
        )
        return int(count or 0)

    return read(db, loop, query)


def post_without_form(browser: Browser, path: str, data: dict[str, Any]) -> Any:
    """POST with a valid CSRF token taken from the start page (for pages the person may not
    open)."""
    token = csrf_from(browser.get("/de/"))
    return browser.post(path, data={"csrf_token": token, **data})
