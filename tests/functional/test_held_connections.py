"""On PostgreSQL a support's and a comment's statements run on driver connections held for
single-write sessions (`Database._single_write`), not on the pages' pool: they must never get
lost, be shared by two writes at once or outlive a broken connection, and the session's ORM
statements must keep the same books."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import bindparam, func, select, text, update

from participation.accounts.models import User
from participation.db import HELD_CONNECTIONS, Database, SingleWriteError, run_direct
from participation.ideas.models import Idea
from tests.conftest import Loop, Person, Place

MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]

COUNT = (
    update(Idea)
    .where(Idea.id == bindparam("idea"))
    .values(comment_count=Idea.comment_count + 1)
    .returning(Idea.comment_count, func.pg_backend_pid())
)
SLEEP = select(func.pg_sleep(bindparam("seconds")), func.pg_backend_pid())


@pytest.fixture(autouse=True)
def _postgres_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("on SQLite a single-write session is an ordinary write transaction")


async def count_once(db: Database, idea_id: int) -> int:
    """Count one comment in a single-write session; the backend that ran it."""
    async with db.session(write=True, single_write=True) as session:
        _count, backend = (await run_direct(session, COUNT, {"idea": idea_id})).one()
        return int(backend)


def stored_count(db: Database, loop: Loop, idea_id: int) -> int:
    async def run() -> int:
        async with db.session() as session:
            found = await session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))
            return int(found or 0)

    return loop.run(run())


def test_single_writes_share_a_few_held_connections_without_losing_a_write(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    writes = 3 * HELD_CONNECTIONS

    async def burst() -> list[int]:
        return list(await asyncio.gather(*(count_once(db, idea_id) for _ in range(writes))))

    first = loop.run(burst())
    again = loop.run(burst())
    assert stored_count(db, loop, idea_id) == 2 * writes
    assert len(set(first)) <= HELD_CONNECTIONS
    assert set(again) <= set(first)  # kept, not made anew
    # The pages' pool lent none of its connections to them.
    assert db.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_single_write_cancelled_during_its_statement_leaves_its_connection_behind(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """A request cancelled while its statement runs (the client went away) may leave the
    connection in the middle of the statement: it is closed, and the next write gets another
    that works."""
    place = make_area()
    idea_id = make_idea(place, make_member(place))

    async def run() -> tuple[int, list[int]]:
        started: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def sleeping() -> None:
            async with db.session(write=True, single_write=True) as session:
                _slept, pid = (await run_direct(session, SLEEP, {"seconds": 0})).one()
                started.set_result(int(pid))
                await run_direct(session, SLEEP, {"seconds": 2})

        task = asyncio.ensure_future(sleeping())
        cancelled = await started
        await asyncio.sleep(0.2)  # the long sleep runs on the server now
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        after = [await count_once(db, idea_id) for _ in range(HELD_CONNECTIONS + 1)]
        return cancelled, after

    cancelled, after = loop.run(run())
    assert cancelled not in after
    assert stored_count(db, loop, idea_id) == HELD_CONNECTIONS + 1


def test_a_held_connection_the_server_closed_is_replaced(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """A database restart or an idle timeout closes held connections: the next write takes
    a new one instead of failing."""
    place = make_area()
    idea_id = make_idea(place, make_member(place))

    async def run() -> tuple[int, int]:
        before = await count_once(db, idea_id)
        async with db.session() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        for _ in range(100):  # the driver notices the closed socket in its own time
            async with db.session() as session:
                gone = not await session.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": before},
                )
            if gone:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)
        return before, await count_once(db, idea_id)

    before, after = loop.run(run())
    assert after != before
    assert stored_count(db, loop, idea_id) == 2


def test_the_orm_statements_of_a_single_write_session_keep_its_books(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """A write through the ORM in a single-write session counts as its one writing statement,
    as one on the driver does, and moves the content version for the page cache; the
    connection it took keeps no trace of the session once it is back in the pool."""
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    rename = update(User).where(User.id == member.id).values(display_name="Umbenannt")

    async def orm_then_direct() -> None:
        async with db.session(write=True, single_write=True) as session:
            await session.execute(rename)
            await run_direct(session, COUNT, {"idea": idea_id})

    async def direct_then_orm() -> None:
        async with db.session(write=True, single_write=True) as session:
            await run_direct(session, COUNT, {"idea": idea_id})
            await session.execute(rename)

    version = loop.run(db.content_version())
    with pytest.raises(SingleWriteError):
        loop.run(orm_then_direct())
    assert loop.run(db.content_version()) > version
    version = loop.run(db.content_version())
    with pytest.raises(SingleWriteError):
        loop.run(direct_then_orm())
    assert loop.run(db.content_version()) > version
    assert stored_count(db, loop, idea_id) == 1

    async def two_writes() -> None:  # in an ordinary write session, on any pool connection
        async with db.session(write=True) as session:
            await session.execute(rename)
            await session.execute(rename)

    for _ in range(25):
        loop.run(two_writes())
