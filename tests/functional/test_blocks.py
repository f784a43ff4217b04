"""Blocking members: the managers' person page, what a blocked member is told, unblocking,
who may block whom, and that a block holds in one area only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from bs4 import Tag
from sqlalchemy import func, select

from participation import i18n
from participation.db import Database, utcnow
from participation.ideas.models import Comment, Idea, Support
from participation.moderation.models import Action, Block, ModerationAction
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of, unique

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

BLOCKED = "The QM team has blocked you from taking part in this area"

# -- helpers ------------------------------------------------------------------------------


def person_path(place: Place, person: Person, locale: str = "en") -> str:
    return f"/{locale}/areas/{place.slug}/moderation/people/{person.id}"


def blocks_of(db: Database, loop: Loop, place: Place, person: Person) -> list[Block]:
    async def run() -> list[Block]:
        async with db.session() as session:
            result = await session.scalars(
                select(Block)
                .where(Block.area_id == place.id, Block.user_id == person.id)
                .order_by(Block.id)
            )
            return list(result)

    return loop.run(run())


def log_of(db: Database, loop: Loop, place: Place, action: Action) -> list[ModerationAction]:
    async def run() -> list[ModerationAction]:
        async with db.session() as session:
            result = await session.scalars(
                select(ModerationAction)
                .where(ModerationAction.area_id == place.id, ModerationAction.action == action)
                .order_by(ModerationAction.id)
            )
            return list(result)

    return loop.run(run())


def count(db: Database, loop: Loop, statement: Any) -> int:
    async def run() -> int:
        async with db.session() as session:
            return int(await session.scalar(statement) or 0)

    return loop.run(run())


def block(
    browser: Browser,
    place: Place,
    person: Person,
    period: str | None = "7",
    reason: str = "Beleidigt andere wiederholt.",
    locale: str = "en",
) -> httpx.Response:
    data = {"decision": "block", "reason": reason}
    if period is not None:
        data["period"] = period
    return browser.submit(person_path(place, person, locale), data)


def unblock(
    browser: Browser, place: Place, person: Person, reason: str = "", locale: str = "en"
) -> httpx.Response:
    return browser.submit(
        person_path(place, person, locale), {"decision": "unblock", "reason": reason}
    )


def followed(browser: Browser, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    shown = browser.get(response.headers["location"])
    assert shown.status_code == 200
    return shown


def in_english(value: datetime) -> str:
    """The moment as English pages show it."""
    token = i18n.set_locale("en")
    try:
        return re.sub(r"\s+", " ", i18n.format_moment(value))  # as text_of reads it
    finally:
        i18n.reset_locale(token)


def idea_data(place: Place) -> dict[str, str]:
    return {
        "title": unique("Mehr Bäume "),
        "body": "Mehr Bäume in der Straße, damit es im Sommer kühler bleibt.",
        "field": str(place.field_ids[0]),
        "place": "",
        "language": "de",
    }


def try_everything(browser: Browser, place: Place, idea_id: int) -> list[httpx.Response]:
    """Post an idea, comment on one and support it, as the browser's person (English pages)."""
    return [
        browser.submit(
            f"/en/areas/{place.slug}/ideas/new", idea_data(place), page_path="/en/profile"
        ),
        browser.submit(
            f"/en/ideas/{idea_id}/comments",
            {"body": "Ich finde das gut.", "language": "de"},
            page_path="/en/profile",
        ),
        browser.submit(f"/en/ideas/{idea_id}/support", {"support": "1"}, page_path="/en/profile"),
    ]


def contributions(db: Database, loop: Loop, place: Place, person: Person) -> tuple[int, int, int]:
    """The person's ideas in the area, comments and supports (rows in the database)."""
    ideas = count(
        db,
        loop,
        select(func.count())
        .select_from(Idea)
        .where(Idea.area_id == place.id, Idea.author_id == person.id),
    )
    comments = count(
        db,
        loop,
        select(func.count()).select_from(Comment).where(Comment.author_id == person.id),
    )
    supports = count(
        db, loop, select(func.count()).select_from(Support).where(Support.user_id == person.id)
    )
    return ideas, comments, supports


# -- blocking -----------------------------------------------------------------------------


def test_manager_blocks_a_member_for_seven_days(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug], locale="en")
    member = make_member(place)
    idea_id = make_idea(place, make_member(place))
    office = signed_in(new_client, manager, "en")

    before = utcnow()
    response = block(office, place, member, "7", "Beleidigt andere wiederholt.")
    assert response.headers["location"] == person_path(place, member)

    [row] = blocks_of(db, loop, place, member)
    assert row.until is not None
    assert before + timedelta(days=7) <= row.until <= utcnow() + timedelta(days=7)
    assert (row.reason, row.created_by_id, row.lifted_at) == (
        "Beleidigt andere wiederholt.",
        manager.id,
        None,
    )
    [entry] = log_of(db, loop, place, Action.BLOCK)
    assert (entry.actor_id, entry.target_user_id) == (manager.id, member.id)
    assert entry.reason == "Beleidigt andere wiederholt."

    shown = followed(office, response)
    until = in_english(row.until)
    assert f"is blocked in {place.name} until {until}" in text_of(shown, ".flashes")
    assert "Blocked in this area until" in text_of(shown, "#current-block")
    assert "Beleidigt andere wiederholt." in text_of(shown, "#current-block")
    assert shown.headers["x-query-count"] and int(shown.headers["x-query-count"]) <= 14

    browser = signed_in(new_client, member, "en")
    for refused in try_everything(browser, place, idea_id):
        assert refused.status_code == 403, refused.request.url
        message = text_of(refused, "main")
        assert f"{BLOCKED} until {until}." in message
    assert contributions(db, loop, place, member) == (0, 0, 0)


def test_block_for_good_then_unblock(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    member = make_member(place)
    idea_id = make_idea(place, make_member(place))
    office = signed_in(new_client, manager, "en")

    shown = followed(office, block(office, place, member, "forever"))
    assert f"is blocked in {place.name} for good" in text_of(shown, ".flashes")
    [row] = blocks_of(db, loop, place, member)
    assert row.until is None

    browser = signed_in(new_client, member, "en")
    refused = browser.submit(
        f"/en/ideas/{idea_id}/support", {"support": "1"}, page_path="/en/profile"
    )
    assert refused.status_code == 403
    message = text_of(refused, "main")
    assert f"{BLOCKED}." in message and "until" not in message

    lifted = followed(office, unblock(office, place, member, "Hat sich entschuldigt."))
    assert f"can take part in {place.name} again" in text_of(lifted, ".flashes")
    assert "Not blocked in this area." in text_of(lifted, "#current-block")
    assert "Hat sich entschuldigt." not in text_of(lifted, "#past-blocks")
    [row] = blocks_of(db, loop, place, member)
    assert row.lifted_at is not None and row.lifted_by_id == manager.id
    [entry] = log_of(db, loop, place, Action.UNBLOCK)
    assert (entry.actor_id, entry.target_user_id, entry.reason) == (
        manager.id,
        member.id,
        "Hat sich entschuldigt.",
    )

    supported = browser.submit(
        f"/en/ideas/{idea_id}/support", {"support": "1"}, page_path=f"/en/ideas/{idea_id}"
    )
    assert supported.status_code == 303
    assert contributions(db, loop, place, member) == (0, 0, 1)

    again = followed(office, unblock(office, place, member))
    assert "This person is not blocked here. Nothing was changed." in text_of(again, ".flashes")
    assert len(log_of(db, loop, place, Action.UNBLOCK)) == 1
    assert len(blocks_of(db, loop, place, member)) == 1


def test_a_new_block_replaces_the_running_one(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    member = make_member(place)

    assert block(office, place, member, "1", "Erste Warnung.").status_code == 303
    shown = followed(office, block(office, place, member, "30", "Wieder beleidigend."))

    first, second = blocks_of(db, loop, place, member)
    assert first.lifted_at is not None and second.lifted_at is None
    assert first.until is not None and second.until is not None
    assert second.until - first.until > timedelta(days=28)
    assert len(log_of(db, loop, place, Action.BLOCK)) == 2
    assert "Wieder beleidigend." in text_of(shown, "#current-block")
    assert "Erste Warnung." in text_of(shown, "#past-blocks")


def test_missing_reason_or_period_is_explained_next_to_the_field(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    member = make_member(place)

    response = block(office, place, member, "30", "   ")
    assert response.status_code == 422
    soup = page(response)
    error = soup.select_one("#reason-error.field-error")
    assert error is not None and "Please write why you block this person." in error.get_text()
    field = soup.select_one("textarea#reason")
    assert isinstance(field, Tag) and field["aria-invalid"] == "true"
    assert "reason-error" in str(field["aria-describedby"]).split()
    assert soup.select_one('.error-summary a[href="#reason"]') is not None
    kept = soup.select_one("input#period-30")
    assert isinstance(kept, Tag) and kept.has_attr("checked")

    response = block(office, place, member, None, "Spam in jedem Kommentar.")
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("fieldset#period #period-error") is not None
    reason = soup.select_one("textarea#reason")
    assert reason is not None and reason.get_text() == "Spam in jedem Kommentar."

    assert block(office, place, member, "365", "Zu lang?").status_code == 422
    assert blocks_of(db, loop, place, member) == []
    assert log_of(db, loop, place, Action.BLOCK) == []


@pytest.mark.parametrize(("locale", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_person_page_in_other_languages(
    locale: str,
    direction: str,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)
    member = make_member(place)
    idea_id = make_idea(place, member, title="Ein Brunnen für den Platz")

    shown = office.get(person_path(place, member, locale))
    assert shown.status_code == 200
    soup = page(shown)
    assert soup.html is not None
    assert (soup.html["lang"], soup.html["dir"]) == (locale, direction)
    [heading] = soup.select("h1")
    assert member.display_name in heading.get_text()
    assert soup.select_one("nav.breadcrumbs") is not None
    assert len(soup.select("fieldset#period legend")) == 1
    assert len(soup.select('fieldset#period input[type="radio"][name="period"]')) == 5
    assert soup.select_one('label[for="reason"]') is not None
    link = soup.select_one(f'#recent-ideas a[href="/{locale}/ideas/{idea_id}"]')
    assert link is not None and link.get_text() == "Ein Brunnen für den Platz"

    refused = block(office, place, member, "7", "", locale=locale)
    assert refused.status_code == 422
    soup = page(refused)
    assert soup.html is not None and soup.html["lang"] == locale
    assert soup.select_one("#reason-error") is not None


def test_members_page_links_to_the_person_page(
    make_user: MakeUser, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    member = make_member(place)
    members = office.get(f"/de/areas/{place.slug}/manage/members")
    assert members.status_code == 200
    target = person_path(place, member, "de")
    assert page(members).select_one(f'a[href="{target}"]') is not None


# -- who may block whom -------------------------------------------------------------------


def test_only_the_areas_managers_reach_the_page(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    member = make_member(place)
    for person in [make_user(manager_of=[elsewhere.slug]), make_member(place)]:
        browser = signed_in(new_client, person, "en")
        shown = browser.get(person_path(place, member))
        assert shown.status_code == 403
        assert "Only the quarter managers of this area can do this." in text_of(shown, "main")
        token = browser.form_token("/en/profile")
        for data in [
            {"decision": "block", "period": "7", "reason": "Weil ich es kann."},
            {"decision": "unblock"},
        ]:
            sent = browser.post(person_path(place, member), data={"csrf_token": token, **data})
            assert sent.status_code == 403
    anonymous = new_client()
    shown = anonymous.get(person_path(place, member, "de"))
    assert shown.status_code == 303
    assert shown.headers["location"].startswith("/de/signin?next=/de/areas/")
    token = anonymous.form_token("/de/signin")
    sent = anonymous.post(
        person_path(place, member, "de"),
        data={"csrf_token": token, "decision": "block", "period": "7", "reason": "Anonym."},
    )
    assert sent.status_code == 303 and sent.headers["location"].startswith("/de/signin")
    assert blocks_of(db, loop, place, member) == []
    assert log_of(db, loop, place, Action.BLOCK) == []


def test_unknown_person_is_404_for_managers_only(
    make_user: MakeUser, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    missing = f"/en/areas/{place.slug}/moderation/people/999999999"
    assert office.get(missing).status_code == 404
    assert office.get(f"/en/areas/no-such-area/moderation/people/{1}").status_code == 404
    outsider = signed_in(new_client, make_member(place), "en")
    assert outsider.get(missing).status_code == 403


def test_managers_and_the_district_office_cannot_be_blocked(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    office = signed_in(new_client, manager, "en")
    colleague = make_user(manager_of=[place.slug])
    admin = make_user(admin=True)

    shown = office.get(person_path(place, colleague))
    assert "Quarter managers and the district office cannot be blocked." in text_of(shown, "#block")
    assert page(shown).select_one("textarea#reason") is None
    for person in [colleague, admin, manager]:
        refused = followed(office, block(office, place, person, "7", "Versuch.", "en"))
        assert "cannot be blocked" in text_of(refused, ".flashes")
        assert blocks_of(db, loop, place, person) == []
    assert log_of(db, loop, place, Action.BLOCK) == []


def test_a_block_holds_in_its_area_only(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    member = make_member(place, elsewhere)
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    assert block(office, place, member, "90").status_code == 303

    browser = signed_in(new_client, member, "en")
    refused = browser.submit(
        f"/en/areas/{place.slug}/ideas/new", idea_data(place), page_path="/en/profile"
    )
    assert refused.status_code == 403
    posted = browser.submit(f"/en/areas/{elsewhere.slug}/ideas/new", idea_data(elsewhere))
    assert posted.status_code == 303
    assert contributions(db, loop, elsewhere, member)[0] == 1
    assert contributions(db, loop, place, member)[0] == 0
