"""Open data: areas and ideas as JSON and CSV, with display names but no personal data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import update

from participation.areas.models import Area
from participation.db import Database
from participation.ideas.models import Idea, ModerationState
from tests.conftest import Browser, Loop, Person, Place, unique

DEMO_AREAS = [
    ("mehringplatz", "Mehringplatz", "active"),
    ("wassertorplatz", "Wassertorplatz", "active"),
    ("zentrum-kreuzberg", "Zentrum Kreuzberg/Oranienstraße", "active"),
    ("mariannenplatz", "Mariannenplatz", "consolidation"),
    ("duettmann-siedlung", "Düttmann-Siedlung", "consolidation"),
]
PERSONAL_KEYS = {"email", "author_id", "user_id", "password", "password_hash", "is_admin", "uid"}


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


def test_areas(client: Browser) -> None:
    response = client.get("/api/areas")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    areas = response.json()["areas"]
    demo_slugs = {slug for slug, _name, _status in DEMO_AREAS}
    listed = [(a["slug"], a["name"], a["status"]) for a in areas if a["slug"] in demo_slugs]
    assert listed == DEMO_AREAS
    for area in areas:
        assert area["ideas_url"].endswith(f"/api/areas/{area['slug']}/ideas")
        assert isinstance(area["idea_count"], int)


@pytest.fixture
def author(make_user: Callable[..., Person]) -> Person:
    return make_user(display_name=unique("Autorin "))


@pytest.fixture
def place(make_area: Callable[..., Place]) -> Place:
    return make_area()


def test_ideas_are_paginated(
    client: Browser, author: Person, place: Place, make_idea: Callable[..., int]
) -> None:
    titles = [unique("API-Idee ") for _ in range(3)]
    ids = [make_idea(place, author, title=title) for title in titles]

    first = client.get(f"/api/areas/{place.slug}/ideas", params={"per_page": 2})
    assert first.status_code == 200
    data = first.json()
    assert (data["area"], data["page"], data["per_page"], data["total"]) == (place.slug, 1, 2, 3)
    assert data["pages"] == 2
    assert data["previous"] is None
    assert len(data["ideas"]) == 2
    assert data["next"]

    second = client.get(data["next"]).json()
    assert (second["page"], second["per_page"], second["total"]) == (2, 2, 3)
    assert second["next"] is None
    assert second["previous"]
    assert len(second["ideas"]) == 1

    listed = [*data["ideas"], *second["ideas"]]
    assert sorted(i["id"] for i in listed) == sorted(ids)
    assert {i["title"] for i in listed} == set(titles)
    for idea in listed:
        assert idea["author"] == author.display_name
        assert idea["field_of_action"]["key"] == "education"
        assert idea["url"].endswith(f"/de/ideas/{idea['id']}")


def test_ideas_page_size_is_capped(client: Browser, place: Place) -> None:
    data = client.get(f"/api/areas/{place.slug}/ideas", params={"per_page": 100000}).json()
    assert 0 < data["per_page"] <= 200
    assert data["total"] == 0
    assert data["ideas"] == []
    assert data["next"] is None


def test_no_personal_data_in_the_api(
    client: Browser,
    author: Person,
    place: Place,
    make_user: Callable[..., Person],
    make_idea: Callable[..., int],
) -> None:
    other = make_user()
    make_idea(place, author)
    make_idea(place, other)
    responses = [
        client.get(f"/api/areas/{place.slug}/ideas"),
        client.get(f"/api/areas/{place.slug}/ideas.csv"),
        client.get("/api/areas"),
    ]
    for response in responses:
        assert response.status_code == 200
        for person in (author, other):
            assert person.email not in response.text
            assert person.email.split("@")[0] not in response.text
        assert "@example.org" not in response.text
    ideas = responses[0].json()
    assert {i["author"] for i in ideas["ideas"]} == {author.display_name, other.display_name}
    for response in (responses[0], responses[2]):
        found = set(keys(response.json()))
        assert not found & PERSONAL_KEYS
        assert not [k for k in found if "mail" in k.lower()]
    header = next(csv.reader(io.StringIO(responses[1].text)))
    assert not set(header) & PERSONAL_KEYS


def test_hidden_ideas_are_not_published(
    client: Browser,
    db: Database,
    loop: Loop,
    author: Person,
    place: Place,
    make_idea: Callable[..., int],
) -> None:
    shown = make_idea(place, author)
    hidden = make_idea(place, author)

    async def hide() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id == hidden)
                .values(moderation_state=ModerationState.HIDDEN)
            )
            # As moderation does: the area counts the ideas it shows.
            await session.execute(
                update(Area).where(Area.id == place.id).values(idea_count=Area.idea_count - 1)
            )

    loop.run(hide())
    data = client.get(f"/api/areas/{place.slug}/ideas").json()
    assert [i["id"] for i in data["ideas"]] == [shown]
    assert data["total"] == 1
    rows = list(csv.reader(io.StringIO(client.get(f"/api/areas/{place.slug}/ideas.csv").text)))
    assert [row[0] for row in rows[1:]] == [str(shown)]


@pytest.mark.parametrize(
    "path",
    ["/api/areas/no-such-area/ideas", "/api/areas/no-such-area/ideas.csv", "/api/no-such-thing"],
)
def test_unknown_things_are_json_404(client: Browser, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "error" in response.json()
    assert "<html" not in response.text


def test_csv_export(
    client: Browser, author: Person, place: Place, make_idea: Callable[..., int]
) -> None:
    tricky = unique('Idee mit "Anführungszeichen", Komma ')
    ids = {make_idea(place, author, title=tricky), make_idea(place, author, field_index=2)}

    response = client.get(f"/api/areas/{place.slug}/ideas.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["id", "title"]
    assert {"author", "field_of_action", "status", "supports", "comments"} <= set(header)
    assert len(body) == 2
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert {int(r["id"]) for r in records} == ids
    assert tricky in {r["title"] for r in records}
    assert {r["author"] for r in records} == {author.display_name}
    assert {r["field_of_action"] for r in records} == {"Education", "Climate"}


def test_empty_area_csv_has_only_the_header(client: Browser, place: Place) -> None:
    rows = list(csv.reader(io.StringIO(client.get(f"/api/areas/{place.slug}/ideas.csv").text)))
    assert len(rows) == 1
    assert rows[0][0] == "id"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(
    client: Browser, author: Person, place: Place, make_idea: Callable[..., int]
) -> None:
    make_idea(place, author, title='=HYPERLINK("http://example.org","Klick")')
    rows = list(csv.reader(io.StringIO(client.get(f"/api/areas/{place.slug}/ideas.csv").text)))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["title"] == '\'=HYPERLINK("http://example.org","Klick")'
    # The JSON keeps the text as it was written.
    (idea,) = client.get(f"/api/areas/{place.slug}/ideas").json()["ideas"]
    assert idea["title"].startswith("=HYPERLINK")
