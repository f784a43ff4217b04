"""A support and a comment run in a single-write session (`Database.session(single_write=True)`):
on PostgreSQL one statement each, committed as it runs, without a transaction that could undo
part of it. What they depend on (the idea still shown) they check in that statement."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import Update, bindparam, select, update

from participation.accounts.models import User
from participation.db import Database, SingleWriteError, run_direct
from participation.errors import Conflict
from participation.ideas.comments import CommentService
from participation.ideas.models import Idea, ModerationState
from participation.ideas.services import IdeaService, IdeaView
from tests.conftest import Loop, Person, Place
from tests.functional.test_comments import counts as comment_counts
from tests.functional.test_comments import rows_of
from tests.functional.test_supports import support_state

MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]


def read_then_hide(db: Database, loop: Loop, idea_id: int, member: Person) -> IdeaView:
    """The idea as the member saw it (shown), and then a moderator hides it."""

    async def run() -> IdeaView:
        async with db.session() as session:
            user = await session.get(User, member.id)
            view = await IdeaService(session).view(idea_id, user)
        assert view.idea.moderation_state is ModerationState.VISIBLE
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id == idea_id)
                .values(moderation_state=ModerationState.HIDDEN)
            )
        return view

    return loop.run(run())


def test_a_support_and_a_comment_on_an_idea_hidden_since_it_was_read_store_nothing(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, make_member(place))
    view = read_then_hide(db, loop, idea_id, member)

    async def support() -> None:
        async with db.session(write=True, single_write=True) as session:
            await IdeaService(session).set_support(view.viewer, view.idea, support=True)

    async def comment() -> None:
        async with db.session(write=True, single_write=True) as session:
            await CommentService(session).comment(
                view.viewer, view.idea, body="Bin dabei!", language="de"
            )

    for attempt in (support, comment):
        with pytest.raises(Conflict):
            loop.run(attempt())

    support_count, supports = support_state(db, loop, idea_id)
    comment_count, _ = comment_counts(db, loop, idea_id)
    comments = rows_of(db, loop, idea_id)
    assert (support_count, comment_count, supports, comments) == (0, 0, 0, 0)


def test_a_single_write_session_refuses_a_second_writing_statement(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea
) -> None:
    """On PostgreSQL each statement of the session has committed as it ran: two writes there
    would not be atomic, so the second never runs."""
    if db.is_sqlite:
        pytest.skip("on SQLite a single-write session is an ordinary write transaction")
    member = make_member(make_area())

    def rename(name: str) -> Update:
        return update(User).where(User.id == member.id).values(display_name=name)

    async def two_writes() -> None:
        async with db.session(write=True, single_write=True) as session:
            await session.execute(rename("Erste"))
            await session.execute(rename("Zweite"))

    with pytest.raises(SingleWriteError):
        loop.run(two_writes())

    async def name() -> str | None:
        async with db.session() as session:
            return await session.scalar(select(User.display_name).where(User.id == member.id))

    assert loop.run(name()) == "Erste"


@pytest.mark.parametrize("single_write", [False, True], ids=["write", "single write"])
def test_on_sqlite_a_write_session_holds_the_write_lock_from_its_start(
    db: Database, loop: Loop, single_write: bool
) -> None:
    """A writer on SQLite waits for its turn before it reads (BEGIN IMMEDIATE): what it read
    cannot change before it writes. A read session leaves writing to others."""
    if not db.is_sqlite:
        pytest.skip("SQLite's write lock")
    outside = sqlite3.connect(
        db.sqlite_path, timeout=0, isolation_level=None, check_same_thread=False
    )

    async def run() -> None:
        async with db.session() as session:
            assert await session.scalar(select(1)) == 1
            outside.execute("BEGIN IMMEDIATE")
            outside.execute("ROLLBACK")
        async with db.session(write=True, single_write=single_write) as session:
            assert await session.scalar(select(1)) == 1
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                outside.execute("BEGIN IMMEDIATE")
        outside.execute("BEGIN IMMEDIATE")  # the writer is done: free again
        outside.execute("ROLLBACK")

    try:
        loop.run(run())
    finally:
        outside.close()


def test_on_sqlite_a_session_that_reads_first_lets_others_write_until_it_starts_writing(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea
) -> None:
    """A support or a comment reads before it waits for the writer's turn: other writers do
    not wait for its reading. Writing before `start_writing` raises, and stores nothing."""
    if not db.is_sqlite:
        pytest.skip("SQLite's write lock")
    member = make_member(make_area())
    outside = sqlite3.connect(
        db.sqlite_path, timeout=0, isolation_level=None, check_same_thread=False
    )
    rename = update(User).where(User.id == member.id).values(display_name="Zu früh")

    async def run() -> None:
        async with db.session(write=True, read_first=True) as session:
            assert await session.scalar(select(User.id).where(User.id == member.id))
            outside.execute("BEGIN IMMEDIATE")
            outside.execute("ROLLBACK")
            with pytest.raises(SingleWriteError):
                await session.execute(rename)
        async with db.session(write=True, read_first=True) as session:
            assert await session.scalar(select(1)) == 1
            await db.start_writing(session)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                outside.execute("BEGIN IMMEDIATE")
            await session.execute(
                update(User).where(User.id == member.id).values(display_name="Rechtzeitig")
            )

    try:
        loop.run(run())
    finally:
        outside.close()

    async def name() -> str | None:
        async with db.session() as session:
            return await session.scalar(select(User.display_name).where(User.id == member.id))

    assert loop.run(name()) == "Rechtzeitig"


def test_many_writers_at_once_all_finish_whether_they_read_first_or_not(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea
) -> None:
    """More writers at once than the pool has connections, half of them reading first: the
    one that has the writer's turn never waits for a connection held by one waiting for the
    turn, so all of them finish."""
    member = make_member(make_area())
    writers = 40

    async def write(number: int) -> None:
        rename = update(User).where(User.id == member.id).values(display_name=f"Nr. {number}")
        async with db.session(write=True, single_write=True, read_first=number % 2 == 0) as s:
            await s.scalar(select(User.id).where(User.id == member.id))
            await asyncio.sleep(0)  # let the others come in meanwhile
            await db.start_writing(s)
            await s.execute(rename)

    async def run() -> None:
        await asyncio.wait_for(asyncio.gather(*(write(n) for n in range(writers))), 20)

    loop.run(run())


def test_a_statement_run_straight_on_the_driver_keeps_the_books_of_the_session(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea
) -> None:
    """`run_direct` (a support's and a comment's statements) runs after what the session has
    not written yet, is refused where the session would refuse it (before `start_writing`; a
    second write in a single-write session on PostgreSQL), and converts values by type."""
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    count = (
        update(Idea)
        .where(Idea.id == bindparam("idea"))
        .values(comment_count=Idea.comment_count + bindparam("delta"))
        .returning(Idea.comment_count, Idea.moderation_state)
    )

    async def run() -> tuple[int, ModerationState]:
        async with db.session(write=True, single_write=True, read_first=True) as session:
            idea = await session.get(Idea, idea_id)
            assert idea is not None
            if db.is_sqlite:  # not its turn yet (on PostgreSQL start_writing does nothing)
                with pytest.raises(SingleWriteError):
                    await run_direct(session, count, {"idea": idea_id, "delta": 1})
            await db.start_writing(session)
            if db.is_sqlite:  # an ordinary transaction: the change not yet written comes first
                idea.comment_count = 40
            found, state = (await run_direct(session, count, {"idea": idea_id, "delta": 2})).one()
            if not db.is_sqlite:
                with pytest.raises(SingleWriteError):
                    await run_direct(session, count, {"idea": idea_id, "delta": 5})
            return found, state

    found, state = loop.run(run())
    assert found == (42 if db.is_sqlite else 2)
    assert state is ModerationState.VISIBLE

    async def stored() -> int | None:
        async with db.session() as session:
            return await session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))

    assert loop.run(stored()) == found
