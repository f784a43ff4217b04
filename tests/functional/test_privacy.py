"""The person's data: a complete copy, and erasing the account with or without contributions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from participation.accounts.models import Membership, User
from participation.areas.models import Area
from participation.db import Database
from participation.ideas.models import Comment, Idea, ModerationState, Support
from participation.moderation.models import Reason
from tests.conftest import Browser, Loop, Person, Place, page


def comment_on(client: Browser, idea_id: int, body: str) -> None:
    response = client.submit(
        f"/de/ideas/{idea_id}/comments",
        {"body": body, "language": "de"},
        page_path=f"/de/ideas/{idea_id}",
    )
    assert response.status_code == 303


def support(client: Browser, idea_id: int) -> None:
    response = client.submit(
        f"/de/ideas/{idea_id}/support", {"support": "1"}, page_path=f"/de/ideas/{idea_id}"
    )
    assert response.status_code == 303


@pytest.fixture
def active_person(
    client: Browser,
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    make_idea: Callable[..., int],
) -> tuple[Person, Place, int, int]:
    """A member with an idea of their own, a comment and a support on someone else's idea."""
    place = make_area()
    person = make_user(member_of={place.slug: ["resident", "owner"]})
    other = make_user(member_of={place.slug: ["business"]})
    own = make_idea(place, person, title="Meine eigene Idee für den Platz")
    theirs = make_idea(place, other)
    client.sign_in(person)
    comment_on(client, theirs, "Ein Kommentar von mir.")
    support(client, theirs)
    return person, place, own, theirs


def test_download_contains_everything_about_the_person(
    client: Browser, active_person: tuple[Person, Place, int, int]
) -> None:
    person, place, own, theirs = active_person
    response = client.get("/de/profile/data")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["account"]["email"] == person.email
    assert data["account"]["display_name"] == person.display_name
    assert data["memberships"] == [
        {
            "area": place.slug,
            "roles": ["owner", "resident"],
            "joined_at": data["memberships"][0]["joined_at"],
            "verified_at": None,
        }
    ]
    assert [i["id"] for i in data["ideas"]] == [own]
    assert [c["idea"] for c in data["comments"]] == [theirs]
    assert [s["idea"] for s in data["supports"]] == [theirs]
    assert "argon2" not in json.dumps(data["account"]).replace("an argon2 hash", "")


def test_download_contains_reports_and_moderation_of_ones_own_texts(
    client: Browser, active_person: tuple[Person, Place, int, int], db: Database, loop: Loop
) -> None:
    _person, _place, own, theirs = active_person
    report = client.submit(
        f"/de/report/idea/{theirs}",
        {"reason": "off_topic", "text": "Gehört nicht hierher."},
    )
    assert report.status_code == 303

    async def hide_own() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id == own)
                .values(
                    moderation_state=ModerationState.HIDDEN,
                    hidden_category=Reason.SPAM,
                    hidden_reason="Werbung für ein Geschäft.",
                )
            )

    loop.run(hide_own())
    data = json.loads(client.get("/de/profile/data").text)
    assert data["reports_you_made"] == [
        {
            "idea": theirs,
            "comment": None,
            "reason": "off_topic",
            "text": "Gehört nicht hierher.",
            "at": data["reports_you_made"][0]["at"],
            "dealt_with_at": None,
        }
    ]
    (idea,) = data["ideas"]
    assert idea["moderation"]["state"] == "hidden"
    assert idea["moderation"]["hidden_because"] == "spam"
    assert idea["moderation"]["explanation"] == "Werbung für ein Geschäft."
    assert data["blocks"] == []


def counts(db: Database, loop: Loop, user_id: int, idea_id: int, place_id: int) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        async with db.session() as session:
            idea = await session.get(Idea, idea_id)
            area = await session.get(Area, place_id)
            assert idea is not None and area is not None
            return {
                "user": await session.get(User, user_id) is not None,
                "memberships": (
                    await session.execute(select(func.count()).where(Membership.user_id == user_id))
                ).scalar_one(),
                "support_rows": (
                    await session.execute(select(func.count()).where(Support.user_id == user_id))
                ).scalar_one(),
                "support_count": idea.support_count,
                "comment_count": idea.comment_count,
                "idea_count": area.idea_count,
                "comments_by": (
                    await session.execute(select(func.count()).where(Comment.author_id == user_id))
                ).scalar_one(),
            }

    return loop.run(read())


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deleting_the_account(
    client: Browser,
    new_client: Callable[[], Browser],
    active_person: tuple[Person, Place, int, int],
    db: Database,
    loop: Loop,
    choice: str,
) -> None:
    person, place, own, theirs = active_person
    wrong = client.submit("/de/profile/delete", {"contributions": choice, "password": "falsch!!"})
    assert wrong.status_code == 422
    assert counts(db, loop, person.id, theirs, place.id)["user"] is True

    done = client.submit(
        "/de/profile/delete", {"contributions": choice, "password": person.password}
    )
    assert done.status_code == 303
    after = counts(db, loop, person.id, theirs, place.id)
    assert after["user"] is False
    assert after["memberships"] == 0
    assert after["support_rows"] == 0
    assert after["support_count"] == 1  # still counted, no longer linked
    assert after["comments_by"] == 0
    visitor = new_client()
    own_page = visitor.get(f"/de/ideas/{own}")
    their_page = visitor.get(f"/de/ideas/{theirs}")
    if choice == "keep":
        assert own_page.status_code == 200
        assert (
            "gelöschtes Konto" in page(own_page).get_text()
            or "deleted account" in page(own_page).get_text()
        )
        assert after["comment_count"] == 1
        assert after["idea_count"] == 2
        assert "Ein Kommentar von mir." in their_page.text
    else:
        assert own_page.status_code == 404
        assert after["comment_count"] == 0
        assert after["idea_count"] == 1
        assert "Ein Kommentar von mir." not in their_page.text
    assert person.display_name not in their_page.text
    again = new_client()
    refused = again.submit("/de/signin", {"email": person.email, "password": person.password})
    assert refused.status_code == 422
