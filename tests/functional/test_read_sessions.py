"""Read sessions (`Database.session()`): on PostgreSQL each statement runs on its own, outside
a transaction (two round trips fewer per session), so they must not write or lock rows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text, update

from participation.accounts.models import User
from participation.db import Database, ReadOnlySessionError
from participation.ideas.models import Idea
from tests.conftest import Loop, Person, Place

MakeArea = Callable[..., Place]
MakeMember = Callable[..., Person]
MakeIdea = Callable[..., int]


def postgres_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("on SQLite a read session is an ordinary transaction")


def test_on_postgresql_a_read_session_leaves_no_connection_idle_in_a_transaction(
    db: Database, loop: Loop
) -> None:
    """Between its statements the session's connection is idle, not idle in a transaction
    (which would hold back the server's cleanup of old rows, and cost BEGIN and COMMIT)."""
    postgres_only(db)

    async def run() -> str | None:
        async with db.session() as session:
            backend = await session.scalar(select(func.pg_backend_pid()))
            async with db.engine.connect() as other:
                state = await other.scalar(
                    text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": backend}
                )
            # The same connection goes on reading, and sees what others committed meanwhile.
            assert await session.scalar(select(func.count()).select_from(User)) is not None
            return str(state) if state is not None else None

    assert loop.run(run()) == "idle"


def test_on_postgresql_a_read_session_refuses_to_write_or_to_lock_rows(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
) -> None:
    """Each statement would commit on its own: a write is refused before it runs, as is a
    lock that would end with its statement."""
    postgres_only(db)
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)

    async def write() -> None:
        async with db.session() as session:
            await session.execute(
                update(User).where(User.id == member.id).values(display_name="Umbenannt")
            )

    async def lock() -> None:
        async with db.session() as session:
            await session.execute(select(Idea.id).where(Idea.id == idea_id).with_for_update())

    with pytest.raises(ReadOnlySessionError):
        loop.run(write())
    with pytest.raises(ReadOnlySessionError):
        loop.run(lock())

    async def name() -> str | None:
        async with db.session() as session:
            return await session.scalar(select(User.display_name).where(User.id == member.id))

    assert loop.run(name()) != "Umbenannt"

    async def write_session_still_writes() -> str | None:
        async with db.session(write=True) as session:
            await session.execute(select(Idea.id).where(Idea.id == idea_id).with_for_update())
            await session.execute(
                update(User).where(User.id == member.id).values(display_name="Umbenannt")
            )
        return await name()

    assert loop.run(write_session_still_writes()) == "Umbenannt"


def test_read_sessions_at_once_each_see_what_was_committed_before_their_statement(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember
) -> None:
    """Many read sessions at once, with a write committed among them: a statement that starts
    after the commit sees it (on both databases)."""
    member = make_member(make_area())

    async def read() -> str | None:
        async with db.session() as session:
            return await session.scalar(select(User.display_name).where(User.id == member.id))

    async def run() -> tuple[list[str | None], str | None]:
        before = await asyncio.gather(*(read() for _ in range(20)))
        async with db.session(write=True) as session:
            await session.execute(
                update(User).where(User.id == member.id).values(display_name="Neu im Kiez")
            )
        return list(before), await read()

    before, after = loop.run(run())
    assert "Neu im Kiez" not in before
    assert after == "Neu im Kiez"
