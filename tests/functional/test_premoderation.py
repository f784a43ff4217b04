"""Pre-moderation and the area's moderation settings: what waits, who sees it, approving it,
and the settings page with its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from bs4 import Tag
from sqlalchemy import select, update

from participation.accounts.models import User
from participation.areas.models import Area
from participation.assets import Assets
from participation.db import Database
from participation.errors import Conflict
from participation.ideas.models import Comment, Idea, ModerationState
from participation.moderation.models import Action, ModerationAction
from participation.moderation.services import Kind, ModerationMails, ModerationService
from participation.settings import Settings
from participation.templating import Renderer, create_environment
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of, unique

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

NUMBER_ERROR = "Please enter a number from 2 to 100, or leave the field empty."

# -- helpers ------------------------------------------------------------------------------


def settings_path(place: Place, locale: str = "en") -> str:
    return f"/{locale}/areas/{place.slug}/moderation/settings"


def read(db: Database, loop: Loop, statement: Any) -> Any:
    async def run() -> Any:
        async with db.session() as session:
            return await session.scalar(statement)

    return loop.run(run())


def area_row(db: Database, loop: Loop, place: Place) -> Area:
    area = read(db, loop, select(Area).where(Area.id == place.id))
    assert isinstance(area, Area)
    return area


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


def premoderate(db: Database, loop: Loop, place: Place) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(update(Area).where(Area.id == place.id).values(premoderated=True))

    loop.run(run())


def post_idea(browser: Browser, place: Place) -> int:
    data = {
        "title": unique("Ein Trinkbrunnen "),
        "body": "Ein Trinkbrunnen am Platz, damit im Sommer alle Wasser bekommen.",
        "field": str(place.field_ids[0]),
        "place": "",
        "language": "de",
    }
    response = browser.submit(f"/en/areas/{place.slug}/ideas/new", data)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def post_comment(browser: Browser, idea_id: int, body: str) -> int:
    response = browser.submit(
        f"/en/ideas/{idea_id}/comments",
        {"body": body, "language": "de"},
        page_path=f"/en/ideas/{idea_id}",
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("#comment-", 1)[1])


def api_ids(browser: Browser, place: Place) -> list[int]:
    answer = browser.get(f"/api/areas/{place.slug}/ideas?per_page=100")
    assert answer.status_code == 200
    return [idea["id"] for idea in answer.json()["ideas"]]


def listed(browser: Browser, place: Place, idea_id: int) -> bool:
    listing = browser.get(f"/en/areas/{place.slug}/ideas")
    assert listing.status_code == 200
    return page(listing).select_one(f'a[href="/en/ideas/{idea_id}"]') is not None


def approve(
    db: Database, loop: Loop, settings: Settings, manager: Person, kind: Kind, item_id: int
) -> None:
    """Approve through the service, built as the app builds it (no mail is sent on approval)."""
    renderer = Renderer(
        create_environment(settings.templates_dir, Assets(settings.static_dir)),
        settings.site_name,
        settings.base_url,
    )

    def link(name: str, **params: Any) -> str:
        return f"{settings.base_url}/{name}"

    async def run() -> None:
        async with db.session(write=True) as session:
            service = ModerationService(session, ModerationMails(session, renderer, link))
            actor = await session.get(User, manager.id)
            await service.approve(actor, await service.target(kind, item_id))

    loop.run(run())


def state_of(db: Database, loop: Loop, model: Any, item_id: int) -> ModerationState:
    state = read(db, loop, select(model.moderation_state).where(model.id == item_id))
    assert isinstance(state, ModerationState)
    return state


# -- the settings page --------------------------------------------------------------------


def test_manager_turns_premoderation_on(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    office = signed_in(new_client, manager, "en")
    shown = office.get(settings_path(place))
    assert shown.status_code == 200
    soup = page(shown)
    assert len(soup.select("h1")) == 1
    box = soup.select_one('input#premoderated[type="checkbox"]')
    assert isinstance(box, Tag) and not box.has_attr("checked")
    assert soup.select_one('label[for="premoderated"]') is not None
    number = soup.select_one("input#auto_hide_after")
    assert isinstance(number, Tag) and number["value"] == ""
    assert "auto_hide_after-hint" in str(number["aria-describedby"])

    saved = office.submit(settings_path(place), {"premoderated": "1", "auto_hide_after": ""})
    assert saved.status_code == 303
    assert saved.headers["location"] == settings_path(place)
    area = area_row(db, loop, place)
    assert (area.premoderated, area.auto_hide_after) == (True, None)
    [entry] = log_of(db, loop, place, Action.SETTINGS)
    assert entry.actor_id == manager.id

    shown = office.get(saved.headers["location"])
    assert "The moderation settings of" in text_of(shown, ".flashes")
    box = page(shown).select_one("input#premoderated")
    assert isinstance(box, Tag) and box.has_attr("checked")

    again = office.submit(settings_path(place), {"premoderated": "1", "auto_hide_after": ""})
    assert again.status_code == 303
    assert "Nothing was changed" in text_of(office.get(settings_path(place)), ".flashes")
    assert len(log_of(db, loop, place, Action.SETTINGS)) == 1

    # Digits of any script count; unticking turns pre-moderation off again.
    assert office.submit(settings_path(place), {"auto_hide_after": "٥"}).status_code == 303
    area = area_row(db, loop, place)
    assert (area.premoderated, area.auto_hide_after) == (False, 5)
    assert len(log_of(db, loop, place, Action.SETTINGS)) == 2


@pytest.mark.parametrize("value", ["1", "101", "abc", "-3", "2.5"])
def test_invalid_threshold_is_explained_next_to_the_field(
    value: str,
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    response = office.submit(settings_path(place), {"premoderated": "1", "auto_hide_after": value})
    assert response.status_code == 422
    soup = page(response)
    error = soup.select_one("#auto_hide_after-error.field-error")
    assert error is not None and NUMBER_ERROR in error.get_text()
    field = soup.select_one("input#auto_hide_after")
    assert isinstance(field, Tag)
    assert field["value"] == value and field["aria-invalid"] == "true"
    assert "auto_hide_after-error" in str(field["aria-describedby"]).split()
    summary = soup.select_one('.error-summary a[href="#auto_hide_after"]')
    assert summary is not None and NUMBER_ERROR in summary.get_text()
    box = soup.select_one("input#premoderated")
    assert isinstance(box, Tag) and box.has_attr("checked")
    area = area_row(db, loop, place)
    assert (area.premoderated, area.auto_hide_after) == (False, None)
    assert log_of(db, loop, place, Action.SETTINGS) == []


@pytest.mark.parametrize(("locale", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_settings_page_in_other_languages(
    locale: str, direction: str, make_user: MakeUser, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)
    response = office.submit(settings_path(place, locale), {"auto_hide_after": "1"})
    assert response.status_code == 422
    soup = page(response)
    assert soup.html is not None
    assert (soup.html["lang"], soup.html["dir"]) == (locale, direction)
    assert len(soup.select("h1")) == 1
    assert soup.select_one("#auto_hide_after-error") is not None


def test_only_the_areas_managers_change_its_settings(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    for person in [make_user(manager_of=[elsewhere.slug]), make_member(place)]:
        browser = signed_in(new_client, person, "en")
        assert browser.get(settings_path(place)).status_code == 403
        token = browser.form_token("/en/profile")
        sent = browser.post(settings_path(place), data={"csrf_token": token, "premoderated": "1"})
        assert sent.status_code == 403
        assert "Only the quarter managers of this area can do this." in text_of(sent, "main")
    anonymous = new_client()
    shown = anonymous.get(settings_path(place, "de"))
    assert shown.status_code == 303
    assert shown.headers["location"].startswith("/de/signin?next=")
    admin = signed_in(new_client, make_user(admin=True), "en")
    assert admin.get(settings_path(place)).status_code == 200
    assert area_row(db, loop, place).premoderated is False
    assert log_of(db, loop, place, Action.SETTINGS) == []


# -- what waits, and approving it -----------------------------------------------------------


def test_a_members_idea_waits_for_approval(
    db: Database,
    loop: Loop,
    settings: Settings,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    premoderate(db, loop, place)
    manager = make_user(manager_of=[place.slug])
    author = signed_in(new_client, make_member(place), "en")
    neighbour = signed_in(new_client, make_member(place), "en")
    anonymous = new_client()

    idea_id = post_idea(author, place)
    assert state_of(db, loop, Idea, idea_id) is ModerationState.PENDING
    assert area_row(db, loop, place).idea_count == 0

    own = author.get(f"/en/ideas/{idea_id}")
    assert own.status_code == 200
    assert "will be published as soon as the QM team has looked at it" in text_of(own, ".flashes")
    notice = page(own).select_one("main .notice")
    assert notice is not None and "waiting for review" in notice.get_text().lower()
    for other in [neighbour, anonymous]:
        assert other.get(f"/en/ideas/{idea_id}").status_code == 404
        assert not listed(other, place, idea_id)
    assert idea_id not in api_ids(anonymous, place)

    approve(db, loop, settings, manager, Kind.IDEA, idea_id)
    assert state_of(db, loop, Idea, idea_id) is ModerationState.VISIBLE
    assert area_row(db, loop, place).idea_count == 1
    [entry] = log_of(db, loop, place, Action.APPROVE)
    assert (entry.actor_id, entry.idea_id, entry.comment_id) == (manager.id, idea_id, None)
    for other in [neighbour, anonymous]:
        assert other.get(f"/en/ideas/{idea_id}").status_code == 200
        assert listed(other, place, idea_id)
    assert idea_id in api_ids(anonymous, place)

    with pytest.raises(Conflict):
        approve(db, loop, settings, manager, Kind.IDEA, idea_id)
    assert len(log_of(db, loop, place, Action.APPROVE)) == 1
    assert area_row(db, loop, place).idea_count == 1


def test_a_managers_idea_is_published_at_once(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    premoderate(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "en")
    idea_id = post_idea(office, place)
    assert state_of(db, loop, Idea, idea_id) is ModerationState.VISIBLE
    assert area_row(db, loop, place).idea_count == 1
    assert new_client().get(f"/en/ideas/{idea_id}").status_code == 200


def test_a_comment_waits_for_approval(
    db: Database,
    loop: Loop,
    settings: Settings,
    make_user: MakeUser,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    idea_id = make_idea(place, make_member(place))
    premoderate(db, loop, place)
    author = signed_in(new_client, make_member(place), "en")
    neighbour = signed_in(new_client, make_member(place), "en")

    comment_id = post_comment(author, idea_id, "Ja, und bitte mit Schatten daneben.")
    assert state_of(db, loop, Comment, comment_id) is ModerationState.PENDING
    assert read(db, loop, select(Idea.comment_count).where(Idea.id == idea_id)) == 0

    def shows_comment(browser: Browser) -> bool:
        response: httpx.Response = browser.get(f"/en/ideas/{idea_id}")
        assert response.status_code == 200
        return page(response).select_one(f"#comment-{comment_id}") is not None

    assert shows_comment(author)
    assert not shows_comment(neighbour)
    assert not shows_comment(new_client())

    approve(db, loop, settings, manager, Kind.COMMENT, comment_id)
    assert state_of(db, loop, Comment, comment_id) is ModerationState.VISIBLE
    assert read(db, loop, select(Idea.comment_count).where(Idea.id == idea_id)) == 1
    assert shows_comment(neighbour)
    [entry] = log_of(db, loop, place, Action.APPROVE)
    assert (entry.actor_id, entry.idea_id, entry.comment_id) == (manager.id, idea_id, comment_id)

    with pytest.raises(Conflict):
        approve(db, loop, settings, manager, Kind.COMMENT, comment_id)
    assert len(log_of(db, loop, place, Action.APPROVE)) == 1
    assert read(db, loop, select(Idea.comment_count).where(Idea.id == idea_id)) == 1
