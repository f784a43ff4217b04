"""On PostgreSQL a comment is read and written in one statement where the rules let its author
comment at once (`CommentService.read_and_comment`); everyone else takes the usual way on what
that statement read. The statement must never write where the rules say no, and whoever it
leaves to the usual way must get the usual answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from participation.accounts.models import User
from participation.areas.models import Area
from participation.db import Database, utcnow
from participation.errors import Conflict, DomainError, Forbidden, NotMember, SignInRequired
from participation.ideas.comments import CommentService
from participation.ideas.models import Comment, Idea, ModerationState
from participation.moderation.models import Block
from participation.web import person_columns
from tests.conftest import Loop, Person, Place

MakeArea = Callable[..., Place]
MakeMember = Callable[..., Person]
MakeIdea = Callable[..., int]
MakeUser = Callable[..., Person]


@pytest.fixture(autouse=True)
def _postgres_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite cannot write in a WITH clause: a comment there reads, then writes")


@dataclass
class Outcome:
    at_once: bool
    """Written by the one statement."""
    stored: ModerationState | None
    """The state of the comment stored in the end (None: nothing stored)."""
    error: type[DomainError] | None
    count: int
    """The idea's count of shown comments afterwards."""
    usual_accepts: bool
    """Whether the rules (`require_participant`, `require_published`) accept the viewer."""


def comment_as(db: Database, loop: Loop, idea_id: int, person: Person, epoch: int) -> Outcome:
    """Comment as the view does: at once where the statement may, else the usual way."""

    def accept(values: Sequence[Any]) -> User | None:
        user: User | None = values[0]
        return user if user is not None and user.session_epoch == epoch else None

    async def run() -> Outcome:
        at_once, error, usual_accepts = False, None, False
        async with db.session(write=True, single_write=True, read_first=True) as session:
            comments = CommentService(session)
            assert comments.comments_at_once()
            found = await comments.read_and_comment(
                idea_id,
                person.id,
                person_columns(),
                accept,
                epoch=epoch,
                body="Gute Idee, machen wir!",
                language="de",
            )
            assert found is not None
            view, comment = found
            try:
                comments.require_participant(view.viewer, view.idea.area)
                comments.require_published(view.idea)
                usual_accepts = True
            except DomainError:
                pass
            if comment is not None:
                at_once = True
                assert view.idea.comment_count == await count()
            else:  # the usual way, in the same session (its one writing statement is left)
                try:
                    await comments.comment(
                        view.viewer, view.idea, body="Gute Idee, machen wir!", language="de"
                    )
                except DomainError as raised:
                    error = type(raised)
        async with db.session() as session:
            stored = await session.scalar(
                select(Comment.moderation_state).where(
                    Comment.idea_id == idea_id, Comment.author_id == person.id
                )
            )
        return Outcome(at_once, stored, error, await count(), usual_accepts)

    async def count() -> int:
        async with db.session() as session:
            found = await session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))
            return int(found or 0)

    return loop.run(run())


def epoch_of(db: Database, loop: Loop, person: Person) -> int:
    async def run() -> int:
        async with db.session() as session:
            return int(await session.scalar(select(User.session_epoch).where(User.id == person.id)))

    return loop.run(run())


def change(db: Database, loop: Loop, *statements: Any, add: Sequence[Any] = ()) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            for statement in statements:
                await session.execute(statement)
            session.add_all(add)

    loop.run(run())


def test_the_statement_writes_only_what_the_rules_allow_and_leaves_the_rest_as_before(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
    make_user: MakeUser,
) -> None:
    place, elsewhere = make_area(), make_area()
    premoderated, archived = make_area(), make_area(status="consolidation")
    change(
        db,
        loop,
        update(Area).where(Area.id == premoderated.id).values(premoderated=True),
    )
    author = make_member(place)
    member, blocked, for_a_while, block_ended, block_lifted, unverified, signed_out = (
        make_member(place) for _ in range(7)
    )
    outsider = make_member(elsewhere)
    manager = make_user(manager_of=[place.slug])
    admin = make_user(admin=True)
    managing_member = make_user(manager_of=[place.slug], member_of={place.slug: ["resident"]})
    now = utcnow()
    change(
        db,
        loop,
        update(User).where(User.id == unverified.id).values(email_verified_at=None),
        add=[
            Block(area_id=place.id, user_id=blocked.id, until=None, reason="Test"),
            Block(
                area_id=place.id,
                user_id=for_a_while.id,
                until=now + timedelta(days=3),
                reason="Test",
            ),
            Block(
                area_id=place.id,
                user_id=block_ended.id,
                until=now - timedelta(days=1),
                reason="Test",
            ),
            Block(
                area_id=place.id,
                user_id=block_lifted.id,
                until=None,
                lifted_at=now,
                reason="Test",
            ),
        ],
    )
    hidden_idea, pending_idea = make_idea(place, author), make_idea(place, author)
    change(
        db,
        loop,
        update(Idea).where(Idea.id == hidden_idea).values(moderation_state=ModerationState.HIDDEN),
        update(Idea)
        .where(Idea.id == pending_idea)
        .values(moderation_state=ModerationState.PENDING),
    )
    waiting_member = make_member(premoderated)
    archived_member = make_member(archived)
    premoderated_idea = make_idea(premoderated, waiting_member)
    archived_idea = make_idea(archived, archived_member)

    visible, pending = ModerationState.VISIBLE, ModerationState.PENDING
    cases: list[tuple[str, Person, int, bool, ModerationState | None, type[DomainError] | None]] = [
        ("member", member, make_idea(place, author), True, visible, None),
        ("author", author, make_idea(place, author), True, visible, None),
        ("block ended", block_ended, make_idea(place, author), True, visible, None),
        ("block lifted", block_lifted, make_idea(place, author), True, visible, None),
        ("manager and member", managing_member, make_idea(place, author), True, visible, None),
        ("blocked for good", blocked, make_idea(place, author), False, None, Forbidden),
        ("blocked for 3 days", for_a_while, make_idea(place, author), False, None, Forbidden),
        ("not a member", outsider, make_idea(place, author), False, None, NotMember),
        ("manager", manager, make_idea(place, author), False, visible, None),
        ("district office", admin, make_idea(place, author), False, visible, None),
        ("e-mail not confirmed", unverified, make_idea(place, author), False, None, Forbidden),
        ("signed out everywhere", signed_out, make_idea(place, author), False, None, None),
        ("review first", waiting_member, premoderated_idea, False, pending, None),
        ("archived area", archived_member, archived_idea, False, None, Forbidden),
        ("hidden idea", member, hidden_idea, False, None, Conflict),
        ("idea waiting for review", author, pending_idea, False, None, Conflict),
    ]
    for name, person, idea_id, at_once, stored, error in cases:
        epoch = epoch_of(db, loop, person)
        if person is signed_out:  # the session's epoch is an old one
            epoch, error = epoch - 1, SignInRequired
        before = loop.run(db.content_version())
        outcome = comment_as(db, loop, idea_id, person, epoch)
        assert (outcome.at_once, outcome.stored, outcome.error) == (at_once, stored, error), name
        # Never written where the rules say no.
        assert not outcome.at_once or outcome.usual_accepts, name
        assert outcome.count == (1 if stored is visible else 0), name
        moved = loop.run(db.content_version()) > before
        assert moved == (stored is not None), name


def test_comments_written_at_once_at_the_same_time_are_each_stored_and_counted(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """Twenty members comment on one idea at the same moment: the statement locks the idea's
    row, so none of the twenty is lost from the count."""
    import asyncio

    place = make_area()
    people = [make_member(place) for _ in range(20)]
    idea_id = make_idea(place, people[0])
    epochs = {person.id: epoch_of(db, loop, person) for person in people}

    async def one(person: Person) -> bool:
        def accept(values: Sequence[Any]) -> User | None:
            user: User | None = values[0]
            return user

        async with db.session(write=True, single_write=True) as session:
            found = await CommentService(session).read_and_comment(
                idea_id,
                person.id,
                person_columns(),
                accept,
                epoch=epochs[person.id],
                body="Bin dabei.",
                language="de",
            )
            return found is not None and found[1] is not None

    async def run() -> tuple[list[bool], int, int]:
        written = await asyncio.gather(*(one(person) for person in people))
        async with db.session() as session:
            count = await session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))
            rows = await session.scalar(
                select(func.count()).select_from(Comment).where(Comment.idea_id == idea_id)
            )
        return list(written), int(count or 0), int(rows or 0)

    written, count, rows = loop.run(run())
    assert written == [True] * 20
    assert (count, rows) == (20, 20)
