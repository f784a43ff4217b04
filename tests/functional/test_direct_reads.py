"""A support and a comment read the idea, its area and the signed-in person straight from the
driver (`run_direct`, `IdeaService._brief_view`): they must see what the pages' ORM read sees,
for every kind of viewer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, update
from sqlalchemy.exc import SQLAlchemyError

from participation.accounts.models import User
from participation.areas.models import Area
from participation.db import Database, utcnow
from participation.ideas.models import Idea, Support
from participation.ideas.services import IdeaService, IdeaView
from participation.moderation.models import Block
from participation.web import person_columns
from tests.conftest import Loop, Person, Place

MakeArea = Callable[..., Place]
MakeMember = Callable[..., Person]
MakeIdea = Callable[..., int]
MakeUser = Callable[..., Person]


def accept(values: Sequence[Any]) -> User | None:
    user: User | None = values[0]
    return user


def columns(instance: Any) -> dict[str, Any]:
    mapper = inspect(type(instance))
    return {attribute.key: getattr(instance, attribute.key) for attribute in mapper.column_attrs}


def both_views(db: Database, loop: Loop, idea_id: int, person: Person) -> tuple[IdeaView, IdeaView]:
    async def run() -> tuple[IdeaView, IdeaView]:
        async with db.session() as session:  # as a page reads it
            page = await IdeaService(session).view_with_person(
                idea_id, person.id, person_columns(), accept, brief=True
            )
        async with db.session(write=True, single_write=True, read_first=True) as session:
            direct = await IdeaService(session).view_with_person(
                idea_id, person.id, person_columns(), accept, brief=True
            )
        return page, direct

    return loop.run(run())


def test_a_support_and_a_comment_read_the_idea_and_the_viewer_as_the_pages_do(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
    make_user: MakeUser,
) -> None:
    place = make_area()
    author, supporter, blocked, for_a_while = (make_member(place) for _ in range(4))
    outsider = make_member(make_area())
    idea_id = make_idea(place, author)
    slug = place.slug

    async def arrange() -> None:
        async with db.session(write=True) as session:
            session.add(Support(idea_id=idea_id, user_id=supporter.id, created_at=utcnow()))
            session.add(Block(area_id=place.id, user_id=blocked.id, until=None, reason="Test"))
            session.add(
                Block(
                    area_id=place.id,
                    user_id=for_a_while.id,
                    until=utcnow() + timedelta(days=3),
                    reason="Test",
                )
            )
            await session.execute(
                update(Idea).where(Idea.id == idea_id).values(support_count=1, edited_at=utcnow())
            )

    loop.run(arrange())
    manager = make_user(manager_of=[slug])
    admin = make_user(admin=True)
    people = [author, supporter, blocked, for_a_while, outsider, manager, admin]

    for person in people:
        page, direct = both_views(db, loop, idea_id, person)
        assert columns(direct.idea) == columns(page.idea), person
        assert columns(direct.idea.area) == columns(page.idea.area), person
        assert isinstance(direct.idea.area, Area)
        assert direct.viewer.user is not None and page.viewer.user is not None
        assert columns(direct.viewer.user) == columns(page.viewer.user), person
        assert (direct.viewer.is_member, direct.viewer.is_manager) == (
            page.viewer.is_member,
            page.viewer.is_manager,
        ), person
        assert (direct.viewer.blocked, direct.viewer.blocked_until) == (
            page.viewer.blocked,
            page.viewer.blocked_until,
        ), person
        assert direct.supported == page.supported, person
        assert direct.viewer.can_take_part == page.viewer.can_take_part, person

    _page, direct = both_views(db, loop, idea_id, supporter)
    assert direct.supported and direct.viewer.can_take_part
    _page, direct = both_views(db, loop, idea_id, for_a_while)
    assert direct.viewer.blocked and direct.viewer.blocked_until is not None
    assert direct.idea.edited_at is not None and direct.idea.edited_at.tzinfo is not None
    # What the read did not load is refused, not made up (as after a session has closed).
    with pytest.raises(SQLAlchemyError):
        direct.idea.author  # noqa: B018
