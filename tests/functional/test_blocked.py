"""Blocks: a member blocked in an area cannot post, comment, support or report there, and is told
until when; elsewhere, and once the block has ended or was lifted, they take part as before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from participation import i18n
from participation.db import Database, utcnow
from participation.ideas.models import Comment, Idea, Support
from participation.ideas.services import Viewer
from participation.moderation.models import Block, Report
from tests.conftest import Browser, Loop, Person, Place, signed_in, text_of, unique
from tests.functional.test_reports import make_comment

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]


def block(
    db: Database,
    loop: Loop,
    place: Place,
    person: Person,
    until: datetime | None,
    *,
    lifted: bool = False,
) -> None:
    async def write() -> None:
        async with db.session(write=True) as session:
            session.add(
                Block(
                    area_id=place.id,
                    user_id=person.id,
                    until=until,
                    reason="Wiederholt beleidigende Kommentare.",
                    created_at=utcnow(),
                    lifted_at=utcnow() if lifted else None,
                )
            )

    loop.run(write())


def block_message(until: datetime | None, locale: str = "de") -> str:
    """What the app tells a blocked member, in their language."""
    token = i18n.set_locale(locale)
    try:
        return Viewer(None, blocked=True, blocked_until=until).block_message()
    finally:
        i18n.reset_locale(token)


def contributions_of(db: Database, loop: Loop, person: Person) -> tuple[int, int, int, int]:
    """How many ideas, comments, supports and reports the person has made."""

    async def read() -> tuple[int, int, int, int]:
        async with db.session() as session:
            counts = []
            for model, column in [
                (Idea, Idea.author_id),
                (Comment, Comment.author_id),
                (Support, Support.user_id),
                (Report, Report.reporter_id),
            ]:
                total = await session.scalar(
                    select(func.count()).select_from(model).where(column == person.id)
                )
                counts.append(int(total or 0))
            return counts[0], counts[1], counts[2], counts[3]

    return loop.run(read())


def post_idea(browser: Browser, place: Place) -> httpx.Response:
    data = {
        "title": unique("Neue Bänke "),
        "body": "Am Spielplatz fehlen Bänke für Eltern und Großeltern.",
        "field": str(place.field_ids[0]),
        "language": "de",
    }
    return browser.submit(f"/de/areas/{place.slug}/ideas/new", data, page_path="/de/")


def comment(browser: Browser, idea_id: int) -> httpx.Response:
    return browser.submit(
        f"/de/ideas/{idea_id}/comments",
        {"body": "Gute Idee, das unterstütze ich.", "language": "de"},
        page_path="/de/",
    )


def support(browser: Browser, idea_id: int) -> httpx.Response:
    return browser.submit(f"/de/ideas/{idea_id}/support", {"support": "1"}, page_path="/de/")


def report(browser: Browser, idea_id: int) -> httpx.Response:
    return browser.submit(f"/de/report/idea/{idea_id}", {"reason": "spam"}, page_path="/de/")


def takes_part(browser: Browser, place: Place, idea_id: int) -> None:
    """Every kind of taking part succeeds."""
    assert post_idea(browser, place).status_code == 303
    assert comment(browser, idea_id).status_code == 303
    assert support(browser, idea_id).status_code == 303
    assert report(browser, idea_id).status_code == 303


@pytest.mark.parametrize("days", [30, None], ids=["until-a-date", "for-good"])
def test_a_blocked_member_is_refused_and_told_until_when(
    days: int | None,
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place, elsewhere = make_area(), make_area()
    make_user(manager_of=[place.slug, elsewhere.slug])
    author = make_member(place, elsewhere)
    idea_id = make_idea(place, author)
    make_comment(db, loop, idea_id, author)
    member = make_member(place, elsewhere)
    until = (utcnow() + timedelta(days=days)).replace(microsecond=0) if days is not None else None
    block(db, loop, place, member, until)
    browser = signed_in(new_client, member)
    message = block_message(until)
    if until is not None:
        assert str(until.astimezone(i18n.BERLIN).year) in message
    else:
        assert block_message(utcnow()) != message  # the wording for good has no date

    response = post_idea(browser, place)
    assert response.status_code == 403
    assert message in text_of(response, '[role="alert"]')
    for response in (comment(browser, idea_id), support(browser, idea_id)):
        assert response.status_code == 403
        assert message in text_of(response, "main")
    response = browser.get(f"/de/report/idea/{idea_id}")
    assert response.status_code == 403
    assert message in text_of(response, "main")
    response = report(browser, idea_id)
    assert response.status_code == 403
    assert message in text_of(response, "main")
    assert contributions_of(db, loop, member) == (0, 0, 0, 0)

    # The idea page says it too, instead of offering the comment form.
    shown = browser.get(f"/de/ideas/{idea_id}")
    assert message in text_of(shown, "#comments")

    # In another area the same person takes part as before.
    takes_part(browser, elsewhere, make_idea(elsewhere, author))
    assert contributions_of(db, loop, member) == (1, 1, 1, 1)


@pytest.mark.parametrize("ended", ["expired", "lifted"])
def test_a_block_that_ended_no_longer_stops_anyone(
    ended: str,
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    idea_id = make_idea(place, make_member(place))
    member = make_member(place)
    if ended == "expired":
        block(db, loop, place, member, utcnow() - timedelta(minutes=1))
    else:
        block(db, loop, place, member, utcnow() + timedelta(days=7), lifted=True)
        block(db, loop, place, member, None, lifted=True)
    takes_part(signed_in(new_client, member), place, idea_id)
    assert contributions_of(db, loop, member) == (1, 1, 1, 1)
