"""Test data for processes, phases and votes, written straight into the database; time is
controlled through the phases' dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from participation import i18n
from participation.accounts.models import Membership, User
from participation.areas.models import Concept
from participation.concepts.models import Choice, Phase, PhaseKind, Process, Proposal, Vote
from participation.concepts.process import VoteService
from participation.db import Database, utcnow
from participation.i18n import BERLIN
from participation.moderation.models import Block
from tests.conftest import Loop, Place, unique


def translated(locale: str, message: str, **variables: Any) -> str:
    """The message as the app shows it in that language (the catalogs may come later)."""
    token = i18n.set_locale(locale)
    try:
        return i18n.gettext(message, **variables)
    finally:
        i18n.reset_locale(token)


def in_locale(locale: str, function: Any, *args: Any) -> str:
    token = i18n.set_locale(locale)
    try:
        return str(function(*args))
    finally:
        i18n.reset_locale(token)


def berlin_midnight(days_from_today: int) -> datetime:
    """00:00 in Berlin, that many days from today, in UTC."""
    day = utcnow().astimezone(BERLIN).date() + timedelta(days=days_from_today)
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN).astimezone(UTC)


def concept_id(db: Database, loop: Loop, place: Place) -> int:
    async def run() -> int:
        async with db.session() as session:
            found = await session.scalar(
                select(Concept.id).where(Concept.area_id == place.id, Concept.is_current)
            )
            assert found is not None
            return int(found)

    return loop.run(run())


def add_proposals(
    db: Database, loop: Loop, place: Place, n: int = 1, *, titles: Iterable[str] = ()
) -> list[int]:
    """Create proposals in the place's current concept, one per field of action in turn."""
    given = list(titles)
    cid = concept_id(db, loop, place)

    async def run() -> list[int]:
        async with db.session(write=True) as session:
            proposals = [
                Proposal(
                    concept_id=cid,
                    field_id=place.field_ids[i % len(place.field_ids)],
                    title={"de": given[i] if i < len(given) else unique("Maßnahme ")},
                    description={"de": "Beschreibung"},
                    position=i,
                )
                for i in range(n)
            ]
            session.add_all(proposals)
            await session.flush()
            return [p.id for p in proposals]

    return loop.run(run())


Plan = dict[PhaseKind, tuple[datetime, datetime]]


def add_process(
    db: Database,
    loop: Loop,
    place: Place,
    phases: Plan,
    *,
    voter_roles: Iterable[str] = (),
    verified_only: bool = False,
    show_running_totals: bool = False,
) -> int:
    cid = concept_id(db, loop, place)

    async def run() -> int:
        async with db.session(write=True) as session:
            process = Process(
                concept_id=cid,
                voter_roles=list(voter_roles),
                verified_only=verified_only,
                show_running_totals=show_running_totals,
            )
            session.add(process)
            await session.flush()
            session.add_all(
                Phase(process_id=process.id, kind=kind, starts_at=start, ends_at=end)
                for kind, (start, end) in phases.items()
            )
            return process.id

    return loop.run(run())


def voting_now(db: Database, loop: Loop, place: Place, **rules: Any) -> int:
    """A process whose consultation has ended and whose vote runs from yesterday to tomorrow."""
    return add_process(
        db,
        loop,
        place,
        {
            PhaseKind.CONSULTATION: (berlin_midnight(-10), berlin_midnight(-1)),
            PhaseKind.VOTING: (berlin_midnight(-1), berlin_midnight(2)),
            PhaseKind.DECISION: (berlin_midnight(2), berlin_midnight(30)),
        },
        **rules,
    )


def move_phase(
    db: Database,
    loop: Loop,
    process_id: int,
    kind: PhaseKind,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> None:
    values: dict[str, datetime] = {}
    if starts_at is not None:
        values["starts_at"] = starts_at
    if ends_at is not None:
        values["ends_at"] = ends_at

    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Phase)
                .where(Phase.process_id == process_id, Phase.kind == kind)
                .values(**values)
            )

    loop.run(run())


def end_voting(db: Database, loop: Loop, process_id: int) -> None:
    """The vote ended a minute ago (and the decision begins then)."""
    moment = utcnow() - timedelta(minutes=1)
    move_phase(db, loop, process_id, PhaseKind.VOTING, ends_at=moment)
    move_phase(db, loop, process_id, PhaseKind.DECISION, starts_at=moment)


def phases_of(db: Database, loop: Loop, place: Place) -> dict[PhaseKind, tuple[datetime, datetime]]:
    cid = concept_id(db, loop, place)

    async def run() -> dict[PhaseKind, tuple[datetime, datetime]]:
        async with db.session() as session:
            rows = await session.execute(
                select(Phase.kind, Phase.starts_at, Phase.ends_at)
                .join(Process, Process.id == Phase.process_id)
                .where(Process.concept_id == cid)
            )
            return {row[0]: (row[1], row[2]) for row in rows.all()}

    return loop.run(run())


def process_of(db: Database, loop: Loop, place: Place) -> Process | None:
    cid = concept_id(db, loop, place)

    async def run() -> Process | None:
        async with db.session() as session:
            return await session.scalar(select(Process).where(Process.concept_id == cid))

    return loop.run(run())


def vote_state(db: Database, loop: Loop, proposal_id: int) -> tuple[int, int, int, int]:
    """The proposal's yes, no and abstain counters and its number of vote rows."""

    async def run() -> tuple[int, int, int, int]:
        async with db.session() as session:
            row = (
                await session.execute(
                    select(Proposal.yes_count, Proposal.no_count, Proposal.abstain_count).where(
                        Proposal.id == proposal_id
                    )
                )
            ).one()
            rows = await session.scalar(
                select(func.count()).select_from(Vote).where(Vote.proposal_id == proposal_id)
            )
            return int(row[0]), int(row[1]), int(row[2]), int(rows or 0)

    return loop.run(run())


def votes_on(db: Database, loop: Loop, proposal_id: int) -> dict[int, tuple[Choice, list[str]]]:
    async def run() -> dict[int, tuple[Choice, list[str]]]:
        async with db.session() as session:
            rows = await session.execute(
                select(Vote.user_id, Vote.choice, Vote.roles).where(Vote.proposal_id == proposal_id)
            )
            return {row[0]: (row[1], list(row[2])) for row in rows.all()}

    return loop.run(run())


async def cast_as(db: Database, user_id: int, proposal_id: int, choice: Choice) -> Choice:
    """Vote through the service layer in a transaction of its own."""
    async with db.session(write=True) as session:
        user = await session.get(User, user_id)
        votes = VoteService(session)
        return await votes.cast(user, await votes.proposal(proposal_id), choice)


def cast(db: Database, loop: Loop, user_id: int, proposal_id: int, choice: Choice) -> Choice:
    return loop.run(cast_as(db, user_id, proposal_id, choice))


def verify(db: Database, loop: Loop, user_id: int, place: Place) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Membership)
                .where(Membership.user_id == user_id, Membership.area_id == place.id)
                .values(verified_at=utcnow())
            )

    loop.run(run())


def block(db: Database, loop: Loop, user_id: int, place: Place) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            session.add(Block(area_id=place.id, user_id=user_id, until=None, reason="Test"))

    loop.run(run())


def unconfirm(db: Database, loop: Loop, user_id: int) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(User).where(User.id == user_id).values(email_verified_at=None)
            )

    loop.run(run())
