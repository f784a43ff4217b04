"""Ideas: posting, validation, who may post and edit, the area's idea list, and people's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import func, select, update

from participation.accounts.models import User
from participation.areas.models import Area
from participation.db import Database
from participation.ideas.comments import CommentService
from participation.ideas.models import Idea, IdeaStatus
from participation.ideas.services import Viewer
from tests.conftest import (
    Browser,
    Loop,
    Person,
    Place,
    make_people,
    page,
    signed_in,
    text_of,
    unique,
)

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

BODY = "Mehr Bänke und Schatten am Platz, damit Ältere dort gern verweilen."
REQUIRED_DE = "Bitte füllen Sie dieses Feld aus."

# -- helpers ------------------------------------------------------------------------------


def scalar(db: Database, loop: Loop, statement: Any) -> Any:
    async def run() -> Any:
        async with db.session() as session:
            return await session.scalar(statement)

    return loop.run(run())


def idea_row(db: Database, loop: Loop, idea_id: int) -> Idea | None:
    async def run() -> Idea | None:
        async with db.session() as session:
            return await session.get(Idea, idea_id)

    return loop.run(run())


def ideas_in(db: Database, loop: Loop, place: Place) -> int:
    return int(
        scalar(db, loop, select(func.count()).select_from(Idea).where(Idea.area_id == place.id))
    )


def area_idea_count(db: Database, loop: Loop, place: Place) -> int:
    return int(scalar(db, loop, select(Area.idea_count).where(Area.id == place.id)))


def react(db: Database, loop: Loop, idea_id: int, person: Person, *, support: bool = False) -> None:
    """As a member, support the idea (support=True) or comment on it, through the service."""

    async def run() -> None:
        async with db.session(write=True) as session:
            user = await session.get(User, person.id)
            ideas = CommentService(session)
            idea = await ideas.get(idea_id)
            viewer = Viewer(user, is_member=True)
            if support:
                await ideas.set_support(viewer, idea, support=True)
            else:
                await ideas.comment(viewer, idea, body="Gute Idee, finde ich.", language="de")

    loop.run(run())


def set_status(db: Database, loop: Loop, idea_id: int, status: IdeaStatus) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(update(Idea).where(Idea.id == idea_id).values(status=status))

    loop.run(run())


def form_data(area: Place, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": unique("Schattige Bänke "),
        "body": BODY,
        "field": str(area.field_ids[1]),
        "place": "Mehringplatz, Nordseite",
        "language": "de",
    }
    data.update(changes)
    return data


def new_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/ideas/new"


def list_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/ideas"


def card_ids(response: httpx.Response) -> list[int]:
    """The ids of the idea cards on a list page, in order."""
    ids = []
    for heading in page(response).select("li.idea-card h3[id]"):
        ids.append(int(str(heading["id"]).split("-")[1]))
    return ids


def selected(soup: BeautifulSoup, select_id: str) -> str | None:
    option = soup.select_one(f"select#{select_id} option[selected]")
    return None if option is None else str(option["value"])


def assert_field_error(soup: BeautifulSoup, name: str, message: str) -> None:
    error = soup.select_one(f"#{name}-error.field-error")
    assert error is not None, f"no error shown next to {name}"
    assert message in error.get_text(" ", strip=True)
    control = soup.select_one(f"#{name}")
    assert isinstance(control, Tag)
    assert control.get("aria-invalid") == "true"
    assert f"{name}-error" in str(control.get("aria-describedby", "")).split()
    summary = soup.select_one(".error-summary")
    assert summary is not None, "no error summary"
    link = summary.select_one(f'a[href="#{name}"]')
    assert link is not None and message in link.get_text(" ", strip=True)


def assert_text_kept(soup: BeautifulSoup, data: dict[str, Any]) -> None:
    title = soup.select_one("input#title")
    assert title is not None
    assert title.get("value", "") == data["title"].strip()
    body = soup.select_one("textarea#body")
    assert body is not None
    assert body.get_text() == data["body"].strip()


# -- posting ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("ar", "rtl")])
def test_member_posts_an_idea(
    language: str,
    direction: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member)
    data = form_data(place, language=language, body=BODY + "\n\nZweiter Absatz.")

    response = browser.submit(new_path(place), data)

    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/de/ideas/")
    idea_id = int(location.rsplit("/", 1)[1])
    row = idea_row(db, loop, idea_id)
    assert row is not None
    assert (row.area_id, row.author_id, row.field_id) == (place.id, member.id, place.field_ids[1])
    assert (row.title, row.language, row.place) == (data["title"], language, data["place"])
    assert (row.support_count, row.comment_count) == (0, 0)
    assert area_idea_count(db, loop, place) == 1

    shown = browser.get(location)
    assert shown.status_code == 200
    soup = page(shown)
    heading = soup.select_one("h1#idea-title")
    assert heading is not None
    assert heading.get_text(strip=True) == data["title"]
    assert (heading["lang"], heading["dir"]) == (language, direction)
    body = soup.select_one(".idea__body")
    assert body is not None
    assert (body["lang"], body["dir"]) == (language, direction)
    assert [p.get_text() for p in body.select("p")] == [BODY, "Zweiter Absatz."]
    assert "Vielen Dank! Ihre Idee wurde veröffentlicht." in text_of(shown, ".flashes")

    listing = browser.get(list_path(place))
    assert listing.status_code == 200
    link = page(listing).select_one(f'li.idea-card a[href="/de/ideas/{idea_id}"]')
    assert link is not None
    assert link.get_text(strip=True) == data["title"]
    assert card_ids(listing) == [idea_id]


@pytest.mark.parametrize("locale", ["de", "tr", "ar", "en"])
def test_form_preselects_the_interface_language(
    locale: str, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member, locale)

    response = browser.get(new_path(place, locale))

    assert response.status_code == 200
    soup = page(response)
    assert selected(soup, "language") == locale
    assert soup.select_one("html")["lang"] == locale  # type: ignore[index]
    # the area's own fields of action are offered, nothing is chosen yet
    values = [o["value"] for o in soup.select("select#field option") if o["value"]]
    assert values == [str(i) for i in place.field_ids]
    assert selected(soup, "field") is None


def test_area_manager_may_post_without_membership(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    browser = signed_in(new_client, manager)

    response = browser.submit(new_path(place), form_data(place))

    assert response.status_code == 303
    assert ideas_in(db, loop, place) == 1


INVALID: list[tuple[str, dict[str, Any], str, str, str]] = [
    # (case, changes, locale, field with the error, message)
    ("empty title", {"title": ""}, "de", "title", REQUIRED_DE),
    ("blank title", {"title": "    "}, "de", "title", REQUIRED_DE),
    ("empty title (tr)", {"title": ""}, "tr", "title", "Lütfen bu alanı doldurun."),
    ("empty title (ar)", {"title": ""}, "ar", "title", "يُرجى ملء هذا الحقل."),
    (
        "title too short",
        {"title": "Bank"},
        "de",
        "title",
        "Bitte schreiben Sie zwischen 5 und 120 Zeichen.",
    ),
    (
        "title too long",
        {"title": "Ü" * 121},
        "de",
        "title",
        "Bitte schreiben Sie zwischen 5 und 120 Zeichen.",
    ),
    (
        "body too short",
        {"body": "Zu kurz, leider."},
        "de",
        "body",
        "Bitte schreiben Sie zwischen 20 und 5000 Zeichen.",
    ),
    (
        "body too long",
        {"body": "Lang " * 1000 + "x"},
        "de",
        "body",
        "Bitte schreiben Sie zwischen 20 und 5000 Zeichen.",
    ),
    (
        "no field of action",
        {"field": ""},
        "de",
        "field",
        "Bitte wählen Sie ein Handlungsfeld aus der Liste.",
    ),
    (
        "unknown field of action",
        {"field": "987654321"},
        "de",
        "field",
        "Bitte wählen Sie ein Handlungsfeld aus der Liste.",
    ),
    (
        "field of action that is no number",
        {"field": "bildung"},
        "de",
        "field",
        "Bitte wählen Sie ein Handlungsfeld aus der Liste.",
    ),
    (
        "field of action with a superscript digit",
        {"field": "²"},
        "de",
        "field",
        "Bitte wählen Sie ein Handlungsfeld aus der Liste.",
    ),
    (
        "field of action beyond any id",
        {"field": "9" * 30},
        "de",
        "field",
        "Bitte wählen Sie ein Handlungsfeld aus der Liste.",
    ),
    (
        "unknown language",
        {"language": "xx"},
        "de",
        "language",
        "Bitte wählen Sie eine Sprache aus der Liste.",
    ),
    (
        "unknown language (ar)",
        {"language": "klingon"},
        "ar",
        "language",
        "يُرجى اختيار لغة من القائمة.",
    ),
]


@pytest.mark.parametrize(
    ("changes", "locale", "name", "message"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_idea_is_refused_with_translated_error_and_kept_text(
    changes: dict[str, Any],
    locale: str,
    name: str,
    message: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member, locale)
    data = form_data(place, **changes)

    response = browser.submit(new_path(place, locale), data)

    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("html")["lang"] == locale  # type: ignore[index]
    assert_field_error(soup, name, message)
    assert_text_kept(soup, data)
    assert len(soup.select(".field-error")) == 1
    assert ideas_in(db, loop, place) == 0
    assert area_idea_count(db, loop, place) == 0


def test_field_of_action_of_another_area_is_refused(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place, other = make_area(), make_area()
    member = make_member(place, other)
    browser = signed_in(new_client, member)
    data = form_data(place, field=str(other.field_ids[0]))

    response = browser.submit(new_path(place), data)

    assert response.status_code == 422
    soup = page(response)
    assert_field_error(soup, "field", "Bitte wählen Sie ein Handlungsfeld aus der Liste.")
    assert_text_kept(soup, data)
    assert ideas_in(db, loop, place) == 0
    assert ideas_in(db, loop, other) == 0


def test_kept_text_is_escaped_in_the_form(
    make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member)
    data = form_data(
        place,
        title='"><script>alert(1)</script>',
        body="</textarea><script>x()</script>",
        field="",
    )

    response = browser.submit(new_path(place), data)

    assert response.status_code == 422
    soup = page(response)
    assert soup.select("main script") == []
    assert_text_kept(soup, data)


# -- who may post -------------------------------------------------------------------------


def test_non_member_is_sent_to_join_and_cannot_post(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place, elsewhere = make_area(), make_area()
    outsider = make_member(elsewhere)
    browser = signed_in(new_client, outsider)

    response = browser.get(new_path(place))
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/areas/{place.slug}/join"
    join = browser.get(response.headers["location"])
    assert join.status_code == 200
    assert "Bitte treten Sie zuerst diesem Gebiet bei" in text_of(join, ".flashes")

    data = form_data(place)
    refused = browser.submit(new_path(place), data, page_path=f"/de/areas/{place.slug}")
    assert refused.status_code == 403
    soup = page(refused)
    assert "Bitte treten Sie zuerst diesem Gebiet bei" in text_of(refused, ".error-summary")
    assert_text_kept(soup, data)
    assert ideas_in(db, loop, place) == 0
    assert area_idea_count(db, loop, place) == 0


def test_anonymous_visitor_is_sent_to_sign_in_and_cannot_post(
    db: Database, loop: Loop, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()

    response = client.get(new_path(place))

    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert (location.scheme, location.netloc, location.path) == ("", "", "/de/signin")
    target = parse_qs(location.query)["next"][0]
    assert target == new_path(place)
    assert target.startswith("/") and not target.startswith("//")

    data = form_data(place)
    refused = client.submit(new_path(place), data, page_path="/de/signin")
    assert refused.status_code in (401, 403)
    assert_text_kept(page(refused), data)
    assert ideas_in(db, loop, place) == 0


def test_sign_in_returns_to_the_form(
    make_member: MakeMember, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member = make_member(place)
    first = client.get(new_path(place))
    signin_path = first.headers["location"]

    response = client.submit(
        signin_path.split("?")[0],
        {"email": member.email, "password": member.password, "next": new_path(place)},
        page_path=signin_path,
    )

    assert response.status_code == 303
    assert response.headers["location"] == new_path(place)
    assert client.get(new_path(place)).status_code == 200


def test_signing_in_on_the_way_to_the_form_keeps_every_message(
    make_member: MakeMember, make_area: MakeArea, client: Browser
) -> None:
    """Sign in from the form, land on the join page: both messages are shown there."""
    place = make_area()
    outsider = make_member()
    signin_path = client.get(new_path(place)).headers["location"]

    signed = client.submit(
        "/de/signin",
        {"email": outsider.email, "password": outsider.password, "next": new_path(place)},
        page_path=signin_path,
    )
    assert signed.headers["location"] == new_path(place)
    sent_on = client.get(new_path(place))
    assert sent_on.headers["location"] == f"/de/areas/{place.slug}/join"
    join = client.get(sent_on.headers["location"])

    messages = [p.get_text(strip=True) for p in page(join).select(".flashes .flash")]
    assert "Sie sind angemeldet." in messages
    assert any("Bitte treten Sie zuerst diesem Gebiet bei" in m for m in messages), messages


def test_consolidation_area_refuses_ideas(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area(status="consolidation")
    member = make_user(member_of={place.slug: ["resident"]})
    browser = signed_in(new_client, member)

    shown = browser.get(new_path(place))
    assert shown.status_code == 403
    assert "Dieses Gebiet ist in der Verstetigung." in text_of(shown, "main")

    data = form_data(place)
    refused = browser.submit(new_path(place), data, page_path=f"/de/areas/{place.slug}")
    assert refused.status_code == 403
    assert "Dieses Gebiet ist in der Verstetigung." in text_of(refused, ".error-summary")
    assert_text_kept(page(refused), data)
    assert ideas_in(db, loop, place) == 0

    listing = browser.get(list_path(place))
    assert listing.status_code == 200
    assert page(listing).select_one(f'a[href="{new_path(place)}"]') is None


def test_page_with_kept_text_is_fully_translated(
    make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    """The note that the text is kept must be in the page's language, not in English."""
    place = make_area()
    outsider = make_member()
    browser = signed_in(new_client, outsider)

    refused = browser.submit(new_path(place), form_data(place), page_path=f"/de/areas/{place.slug}")

    assert refused.status_code == 403
    summary = text_of(refused, ".error-summary")
    assert "Bitte treten Sie zuerst diesem Gebiet bei" in summary
    assert "Your text is still here" not in summary


@pytest.mark.parametrize("path", ["/areas/gibt-es-nicht/ideas", "/areas/gibt-es-nicht/ideas/new"])
def test_unknown_area_gives_translated_404(path: str, client: Browser) -> None:
    german = client.get("/de" + path)
    arabic = client.get("/ar" + path)

    assert german.status_code == arabic.status_code == 404
    de, ar = page(german), page(arabic)
    assert (de.html["lang"], de.html["dir"]) == ("de", "ltr")  # type: ignore[index]
    assert (ar.html["lang"], ar.html["dir"]) == ("ar", "rtl")  # type: ignore[index]
    assert text_of(german, "main h1") == "Seite nicht gefunden"
    assert text_of(arabic, "main h1") == "الصفحة غير موجودة"
    assert "Unter dieser Adresse gibt es kein Gebiet." in text_of(german, "main")
    assert "لا توجد منطقة على هذا العنوان." in text_of(arabic, "main")
    assert text_of(german, "main") != text_of(arabic, "main")


def test_post_to_unknown_area_is_404_with_kept_text(
    make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member)
    data = form_data(place)

    response = browser.submit(
        "/de/areas/gibt-es-nicht/ideas/new", data, page_path=f"/de/areas/{place.slug}"
    )

    assert response.status_code == 404
    assert "Unter dieser Adresse gibt es kein Gebiet." in text_of(response, ".error-summary")
    assert_text_kept(page(response), data)


@pytest.mark.parametrize("path", ["/de/ideas/{}", "/de/ideas/{}/edit"])
@pytest.mark.parametrize("idea_id", ["987654321", "99999999999999999999999"])
def test_unknown_idea_gives_404(idea_id: str, path: str, client: Browser) -> None:
    response = client.get(path.format(idea_id))

    assert response.status_code == 404
    assert text_of(response, "main h1") == "Seite nicht gefunden"


# -- editing ------------------------------------------------------------------------------


def test_author_edits_idea(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author = make_member(place)
    idea_id = make_idea(place, author, title="Alter Titel der Idee")
    browser = signed_in(new_client, author)

    detail = browser.get(f"/de/ideas/{idea_id}")
    assert page(detail).select_one(f'a[href="/de/ideas/{idea_id}/edit"]') is not None
    form = browser.get(f"/de/ideas/{idea_id}/edit")
    assert form.status_code == 200
    soup = page(form)
    assert soup.select_one("input#title")["value"] == "Alter Titel der Idee"  # type: ignore[index]
    assert selected(soup, "field") == str(place.field_ids[0])
    assert selected(soup, "language") == "de"

    data = form_data(place, title="Neuer Titel der Idee", language="en", field=place.field_ids[2])
    response = browser.submit(f"/de/ideas/{idea_id}/edit", data)

    assert response.status_code == 303
    assert response.headers["location"] == f"/de/ideas/{idea_id}"
    row = idea_row(db, loop, idea_id)
    assert row is not None
    assert (row.title, row.body, row.language) == ("Neuer Titel der Idee", BODY, "en")
    assert row.field_id == place.field_ids[2]
    assert row.edited_at is not None
    shown = browser.get(f"/de/ideas/{idea_id}")
    assert text_of(shown, "h1#idea-title") == "Neuer Titel der Idee"
    assert "bearbeitet" in text_of(shown, "article.idea .meta")


def test_edit_validation_keeps_text_and_idea(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place, other = make_area(), make_area()
    author = make_member(place)
    idea_id = make_idea(place, author, title="Titel bleibt so")
    browser = signed_in(new_client, author)

    data = form_data(place, field=str(other.field_ids[0]))
    response = browser.submit(f"/de/ideas/{idea_id}/edit", data)

    assert response.status_code == 422
    soup = page(response)
    assert_field_error(soup, "field", "Bitte wählen Sie ein Handlungsfeld aus der Liste.")
    assert_text_kept(soup, data)
    row = idea_row(db, loop, idea_id)
    assert row is not None
    assert (row.title, row.field_id, row.edited_at) == ("Titel bleibt so", place.field_ids[0], None)


@pytest.mark.parametrize("reaction", ["comment", "support"])
def test_author_cannot_edit_after_a_reaction(
    reaction: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author = make_member(place)
    neighbour = make_member(place)
    idea_id = make_idea(place, author, title="Titel vor der Reaktion")
    browser = signed_in(new_client, author)
    token = browser.form_token(f"/de/ideas/{idea_id}/edit")
    react(db, loop, idea_id, neighbour, support=reaction == "support")

    shown = browser.get(f"/de/ideas/{idea_id}/edit")
    assert shown.status_code == 409
    message = "Diese Idee kann nicht mehr bearbeitet werden"
    assert message in text_of(shown, "main")

    data = {"csrf_token": token, **form_data(place, title="Titel nach der Reaktion")}
    response = browser.post(f"/de/ideas/{idea_id}/edit", data=data)
    assert response.status_code == 409
    assert message in text_of(response, "main")
    row = idea_row(db, loop, idea_id)
    assert row is not None
    assert (row.title, row.edited_at) == ("Titel vor der Reaktion", None)
    detail = browser.get(f"/de/ideas/{idea_id}")
    assert page(detail).select_one(f'a[href="/de/ideas/{idea_id}/edit"]') is None


def test_nobody_else_can_edit(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author = make_member(place)
    other = make_member(place)
    manager = make_user(manager_of=[place.slug])
    idea_id = make_idea(place, author, title="Titel der Autorin")

    for person in (other, manager):
        browser = signed_in(new_client, person)
        detail = browser.get(f"/de/ideas/{idea_id}")
        assert page(detail).select_one(f'a[href="/de/ideas/{idea_id}/edit"]') is None
        shown = browser.get(f"/de/ideas/{idea_id}/edit")
        assert shown.status_code == 403
        assert "Nur die Person, die diese Idee geschrieben hat" in text_of(shown, "main")
        response = browser.submit(
            f"/de/ideas/{idea_id}/edit",
            form_data(place, title="Fremder Titel"),
            page_path=f"/de/ideas/{idea_id}",
        )
        assert response.status_code == 403

    anonymous = new_client()
    assert anonymous.get(f"/de/ideas/{idea_id}/edit").status_code == 303
    row = idea_row(db, loop, idea_id)
    assert row is not None
    assert (row.title, row.edited_at) == ("Titel der Autorin", None)


# -- the list -----------------------------------------------------------------------------


def test_list_filters_by_field_and_status(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    client: Browser,
) -> None:
    place = make_area()
    author = make_member(place)
    education = [make_idea(place, author, field_index=0) for _ in range(2)]
    climate = [make_idea(place, author, field_index=2) for _ in range(3)]
    set_status(db, loop, climate[0], IdeaStatus.ACCEPTED)
    set_status(db, loop, education[1], IdeaStatus.ACCEPTED)

    everything = client.get(list_path(place))
    assert sorted(card_ids(everything)) == sorted(education + climate)
    assert text_of(everything, "#results-heading") == "5 Ideen"

    by_field = client.get(list_path(place), params={"field": place.field_ids[2]})
    assert sorted(card_ids(by_field)) == sorted(climate)
    assert selected(page(by_field), "filter-field") == str(place.field_ids[2])
    assert text_of(by_field, "#results-heading") == "3 Ideen"

    by_status = client.get(list_path(place), params={"status": "accepted"})
    assert sorted(card_ids(by_status)) == sorted([climate[0], education[1]])
    assert selected(page(by_status), "filter-status") == "accepted"

    both = client.get(list_path(place), params={"status": "accepted", "field": place.field_ids[0]})
    assert card_ids(both) == [education[1]]
    assert text_of(both, "#results-heading") == "1 Idee"

    none = client.get(list_path(place), params={"field": place.field_ids[1]})
    assert card_ids(none) == []
    assert text_of(none, "#results-heading") == "0 Ideen"
    assert "Keine Idee passt zu diesen Filtern." in text_of(none, "#results")


def test_list_sorts_newest_supported_discussed(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    client: Browser,
) -> None:
    place = make_area()
    author = make_member(place)
    people = make_people(db, loop, 3, place)
    oldest, middle, newest = (make_idea(place, author) for _ in range(3))
    # supports: middle 3, oldest 1, newest 0; comments: newest 2, oldest 1, middle 0
    for person in people:
        react(db, loop, middle, person, support=True)
    react(db, loop, oldest, people[0], support=True)
    react(db, loop, newest, people[0])
    react(db, loop, newest, people[1])
    react(db, loop, oldest, people[2])

    assert card_ids(client.get(list_path(place))) == [newest, middle, oldest]
    assert card_ids(client.get(list_path(place), params={"sort": "newest"})) == [
        newest,
        middle,
        oldest,
    ]
    supported = client.get(list_path(place), params={"sort": "supported"})
    assert card_ids(supported) == [middle, oldest, newest]
    assert selected(page(supported), "filter-sort") == "supported"
    discussed = client.get(list_path(place), params={"sort": "discussed"})
    assert card_ids(discussed) == [newest, oldest, middle]
    assert selected(page(discussed), "filter-sort") == "discussed"


def test_list_pagination(
    make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea, client: Browser
) -> None:
    place = make_area()
    author = make_member(place)
    made = [make_idea(place, author) for _ in range(25)]

    first = client.get(list_path(place))
    second = client.get(list_path(place), params={"page": 2})

    assert first.status_code == second.status_code == 200
    assert len(page(first).select("li.idea-card")) == 20
    assert len(page(second).select("li.idea-card")) == 5
    assert card_ids(first) + card_ids(second) == list(reversed(made))
    assert text_of(first, "#results-heading") == "25 Ideen"

    soup1, soup2 = page(first), page(second)
    assert soup1.select_one("a[rel~=prev]") is None
    next_link = soup1.select_one("a[rel~=next]")
    assert next_link is not None
    assert next_link["href"] == f"{list_path(place)}?page=2"
    assert soup2.select_one("a[rel~=next]") is None
    prev_link = soup2.select_one("a[rel~=prev]")
    assert prev_link is not None
    assert prev_link["href"] == list_path(place)
    assert card_ids(client.get(str(next_link["href"]))) == card_ids(second)

    # filters are kept in the page links
    sorted_first = client.get(list_path(place), params={"sort": "supported"})
    link = page(sorted_first).select_one("a[rel~=next]")
    assert link is not None
    assert parse_qs(urlsplit(str(link["href"])).query) == {"sort": ["supported"], "page": ["2"]}

    # a page beyond the last shows the last
    beyond = client.get(list_path(place), params={"page": 9})
    assert beyond.status_code == 200
    assert card_ids(beyond) == card_ids(second)


def test_list_ignores_unknown_filter_values(
    make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea, client: Browser
) -> None:
    place = make_area()
    author = make_member(place)
    made = [make_idea(place, author, field_index=i % 3) for i in range(3)]

    response = client.get(
        list_path(place),
        params={"field": "bildung", "status": "erledigt", "sort": "random", "page": "-3"},
    )

    assert response.status_code == 200
    assert card_ids(response) == list(reversed(made))
    soup = page(response)
    assert selected(soup, "filter-field") is None
    assert selected(soup, "filter-status") is None
    assert selected(soup, "filter-sort") == "newest"


@pytest.mark.parametrize(
    "params",
    [{"page": "²"}, {"field": "³"}, {"page": "99999999999999999999"}, {"field": "1" * 30}],
    ids=["superscript page", "superscript field", "huge page", "huge field"],
)
def test_list_ignores_odd_numbers(
    params: dict[str, str],
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    client: Browser,
) -> None:
    place = make_area()
    author = make_member(place)
    made = make_idea(place, author)

    response = client.get(list_path(place), params=params)

    assert response.status_code == 200
    assert card_ids(response) == [made]


def test_htmx_list_request_gets_only_the_results(
    make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea, client: Browser
) -> None:
    place = make_area()
    author = make_member(place)
    made = [make_idea(place, author, field_index=0), make_idea(place, author, field_index=1)]

    fragment = client.get(
        list_path(place), params={"field": place.field_ids[1]}, headers={"HX-Request": "true"}
    )
    whole = client.get(list_path(place), params={"field": place.field_ids[1]})

    assert fragment.status_code == whole.status_code == 200
    assert "HX-Request" in fragment.headers["vary"]
    assert "HX-Request" in whole.headers["vary"]
    assert "<html" not in fragment.text
    soup = page(fragment)
    roots = [element for element in soup.children if isinstance(element, Tag)]
    assert [(root.name, root.get("id")) for root in roots] == [("section", "results")]
    assert soup.select_one("form.filters") is None
    assert card_ids(fragment) == [made[1]]
    assert roots[0]["data-announce"] == "1 Idee gefunden."

    whole_soup = page(whole)
    assert whole_soup.select_one("html") is not None
    assert whole_soup.select_one("form.filters") is not None
    assert whole_soup.select_one("section#results") is not None
    assert card_ids(whole) == [made[1]]

    restore = client.get(
        list_path(place),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert page(restore).select_one("html") is not None


# -- people's text ------------------------------------------------------------------------


def test_peoples_text_is_escaped_and_links_are_safe(
    db: Database, loop: Loop, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    member = make_member(place)
    browser = signed_in(new_client, member)
    title = "<script>alert('x')</script> Bänke"
    body = (
        "Siehe https://example.org/kiez?a=1&b=2 und <b>fett</b>.\n"
        "Nicht klicken: javascript:alert(document.cookie) oder "
        '<a href="javascript:alert(1)">hier</a>'
    )

    response = browser.submit(
        new_path(place), form_data(place, title=title, body=body, place="<img src=x>")
    )
    assert response.status_code == 303
    shown = browser.get(response.headers["location"])

    soup = page(shown)
    article = soup.select_one("article.idea")
    assert article is not None
    assert article.select("script, img, b") == []
    assert soup.select("main script") == []
    assert text_of(shown, "h1#idea-title") == title
    idea_body = soup.select_one(".idea__body")
    assert idea_body is not None
    assert "<b>fett</b>" in idea_body.get_text()
    assert "javascript:alert(document.cookie)" in idea_body.get_text()
    links = idea_body.select("a")
    assert [link["href"] for link in links] == ["https://example.org/kiez?a=1&b=2"]
    rel = links[0]["rel"]
    assert "nofollow" in rel and "ugc" in rel
    assert not [
        a for a in soup.select("a[href]") if str(a["href"]).strip().lower().startswith("javascript")
    ]
    assert "<img src=x>" in text_of(shown, "article.idea")

    listing = browser.get(list_path(place))
    card = page(listing).select_one("li.idea-card")
    assert card is not None
    assert card.select("script") == []
    assert title in card.get_text()
