"""The page cache: visitors without a session get kept pages, and every change shows at once.

Each test changes content the way people do (through the server, or through the database as
another process does) and reads the page as a visitor who is not signed in right after.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select, update

from participation.accounts.models import User
from participation.db import Database
from participation.settings import Settings
from tests.conftest import (
    Browser,
    Loop,
    Person,
    Place,
    Server,
    make_people,
    page,
    signed_in,
    text_of,
    unique,
)

MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
MakeUser = Callable[..., Person]
NewClient = Callable[[], Browser]


def queries(response: httpx.Response) -> int:
    assert response.status_code == 200, response.status_code
    return int(response.headers["x-query-count"])


def visitor(server: Server) -> Browser:
    """Someone who is not signed in and has no cookies."""
    return Browser(base_url=server.url, follow_redirects=False, timeout=30)


def supports_shown(response: httpx.Response, idea_id: int) -> int:
    return int(text_of(response, f"#support-{idea_id}-count strong"))


def test_visitors_get_kept_pages_without_any_session(
    server: Server, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    paths = [
        "/de/",
        f"/de/areas/{place.slug}",
        f"/de/areas/{place.slug}/ideas",
        f"/tr/areas/{place.slug}/ideas?sort=supported",
        f"/ar/ideas/{idea_id}",
        "/de/areas/mehringplatz/concept",
        f"/api/areas/{place.slug}/ideas",
    ]
    with visitor(server) as browser:
        for path in paths:
            first = browser.get(path)
            again = browser.get(path)
            assert "session" not in first.cookies, path
            assert again.text == first.text, path
            assert again.headers["etag"] == first.headers["etag"], path
            # Only the content version was read for the kept page.
            assert queries(again) == 1, path
            assert queries(first) > 1, path


def test_a_kept_page_is_not_sent_again_to_a_browser_that_has_it(
    server: Server, make_area: MakeArea
) -> None:
    place = make_area()
    path = f"/de/areas/{place.slug}/ideas"
    with visitor(server) as browser:
        first = browser.get(path)
        browser.get(path)
        unchanged = browser.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == first.headers["etag"]
        other = browser.get(path, headers={"If-None-Match": 'W/"something-else"'})
        assert other.status_code == 200
        assert other.text == first.text


def test_a_support_shows_on_the_very_next_request_of_a_visitor(
    server: Server,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    member = signed_in(new_client, make_member(place))
    with visitor(server) as browser:
        for _ in range(2):
            assert supports_shown(browser.get(f"/de/ideas/{idea_id}"), idea_id) == 0
        api = browser.get(f"/api/areas/{place.slug}/ideas").json()
        assert [i["supports"] for i in api["ideas"] if i["id"] == idea_id] == [0]

        answer = member.submit(
            f"/de/ideas/{idea_id}/support", {"support": "1"}, page_path=f"/de/ideas/{idea_id}"
        )
        assert answer.status_code == 303

        after = browser.get(f"/de/ideas/{idea_id}")
        assert supports_shown(after, idea_id) == 1
        api = browser.get(f"/api/areas/{place.slug}/ideas").json()
        assert [i["supports"] for i in api["ideas"] if i["id"] == idea_id] == [1]


def test_a_comment_shows_on_the_very_next_request_of_a_visitor(
    server: Server,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    member = signed_in(new_client, make_member(place))
    path = f"/de/ideas/{idea_id}"
    with visitor(server) as browser:
        before = browser.get(path)
        assert browser.get(path).text == before.text
        answer = member.submit(
            f"{path}/comments",
            {"body": "Da mache ich mit, gleich am Samstag.", "language": "de", "parent": ""},
            page_path=path,
        )
        assert answer.status_code == 303
        after = browser.get(path)
        bodies = [c.get_text(" ", strip=True) for c in page(after).select("article.comment")]
        assert any("Da mache ich mit, gleich am Samstag." in body for body in bodies)
        assert after.headers["etag"] != before.headers["etag"]


def test_supports_made_at_once_each_show_on_the_next_request_of_a_visitor(
    server: Server,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """Writes that finish together may share one move of the content version (PostgreSQL):
    still, right after each answer a visitor sees at least the count that answer showed."""
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    path = f"/de/ideas/{idea_id}"
    people = make_people(db, loop, 12, place)
    with ThreadPoolExecutor(max_workers=12) as pool:
        members = list(pool.map(lambda person: signed_in(new_client, person), people))
        tokens = [member.form_token(path) for member in members]
        barrier = threading.Barrier(len(members), timeout=60)

        def support_then_look(index: int) -> tuple[int, int]:
            barrier.wait()
            answer = members[index].post(
                f"{path}/support",
                data={"csrf_token": tokens[index], "support": "1"},
                headers={"HX-Request": "true"},
            )
            with visitor(server) as browser:
                return supports_shown(answer, idea_id), supports_shown(browser.get(path), idea_id)

        seen = list(pool.map(support_then_look, range(len(members))))

    assert sorted(own for own, _ in seen) == list(range(1, 13))
    assert [(own, later) for own, later in seen if later < own] == []


def test_a_change_made_by_another_process_shows_on_the_next_request(
    server: Server, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """make_idea writes through its own connection, as the worker or a second app process
    would: the server's kept list must not hide the new idea."""
    place = make_area()
    author = make_member(place)
    path = f"/de/areas/{place.slug}/ideas"
    with visitor(server) as browser:
        assert page(browser.get(path)).select("li.idea-card") == []
        browser.get(path)
        make_idea(place, author, title="Bänke am Spielplatz")
        titles = [t.get_text(strip=True) for t in page(browser.get(path)).select("li.idea-card h3")]
        assert titles == ["Bänke am Spielplatz"]


def test_signed_in_people_never_get_or_leave_kept_pages(
    server: Server, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    person = make_member(place)
    member = signed_in(new_client, person)
    path = f"/de/areas/{place.slug}/ideas"
    with visitor(server) as browser:
        browser.get(path)
        browser.get(path)
        for _ in range(2):
            mine = member.get(path)
            assert queries(mine) > 1
            assert person.display_name in mine.text
            assert "etag" not in mine.headers
        theirs = browser.get(path)
        assert person.display_name not in theirs.text


def test_pages_that_start_a_session_are_not_kept(server: Server) -> None:
    """The sign-in form carries a CSRF token of the visitor's own session."""
    tokens = set()
    for _ in range(2):
        with visitor(server) as browser:
            response = browser.get("/de/signin")
            assert "session" in response.cookies
            assert "etag" not in response.headers
            tokens.add(page(response).select_one('input[name="csrf_token"]')["value"])  # type: ignore[index]
    assert len(tokens) == 2


def test_kept_pages_expire(
    make_server: Callable[..., Server], make_area: MakeArea, settings: Settings
) -> None:
    """Pages also change with time alone (a phase begins at midnight): they are kept for
    PAGE_CACHE_SECONDS at most."""
    server = make_server(page_cache_seconds=0.5)
    place = make_area()
    path = f"/de/areas/{place.slug}/ideas"
    with visitor(server) as browser:
        assert queries(browser.get(path)) > 1
        assert queries(browser.get(path)) == 1
        time.sleep(0.6)
        assert queries(browser.get(path)) > 1


def test_the_page_cache_can_be_turned_off(
    make_server: Callable[..., Server], make_area: MakeArea
) -> None:
    server = make_server(page_cache_seconds=0)
    place = make_area()
    path = f"/de/areas/{place.slug}/ideas"
    with visitor(server) as browser:
        first, again = browser.get(path), browser.get(path)
        assert queries(first) == queries(again) > 1
        assert "etag" not in again.headers


def test_many_visitors_at_once_after_a_change_cost_one_rendering(
    server: Server, make_area: MakeArea, make_member: MakeMember, make_idea: MakeIdea
) -> None:
    """After a change (or when a page expires) everybody asks for the new page at once: the
    server renders it once and hands it to all of them."""
    place = make_area()
    author = make_member(place)
    path = f"/de/areas/{place.slug}/ideas"
    make_idea(place, author, title="Tauschregal im Hof")

    def read(_: int) -> httpx.Response:
        with visitor(server) as browser:
            return browser.get(path)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(read, range(40)))

    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    assert "Tauschregal im Hof" in answers[0].text
    rendered = [a for a in answers if queries(a) > 1]
    assert len(rendered) == 1, [queries(a) for a in answers]


def test_writes_finishing_while_the_version_moves_on_share_the_next_move(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember
) -> None:
    """On PostgreSQL the content version moves on in a round trip of its own after a write.
    Writes that commit while one such move runs (here: is held up) need one that starts after
    them, and one serves them all: under load one round trip serves several writes."""
    if db.is_sqlite:
        pytest.skip("on SQLite the version moves on inside each write transaction")
    place = make_area()
    people = [make_member(place) for _ in range(5)]
    name = unique("Neu im Kiez ")

    async def rename(person: Person) -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(User).where(User.id == person.id).values(display_name=name)
            )

    async def renamed() -> int:
        async with db.session() as session:
            found = await session.scalar(select(func.count()).where(User.display_name == name))
            return int(found or 0)

    async def run() -> tuple[int, int]:
        before = await db.content_version()
        async with db._version_lock:  # a move of the version, held up
            writes = [asyncio.create_task(rename(person)) for person in people]
            for _ in range(500):  # until all five have committed (and wait for the version)
                if await renamed() == len(people):
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)
            assert not any(write.done() for write in writes)
        await asyncio.gather(*writes)
        return before, await db.content_version()

    before, after = loop.run(run())
    assert after == before + 1
