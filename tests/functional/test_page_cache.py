"""The page cache: visitors without a session get kept pages, and every change shows at once.

Each test changes content the way people do (through the server, or through the database as
another process does) and reads the page as a visitor who is not signed in right after.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from participation.settings import Settings
from tests.conftest import Browser, Person, Place, Server, page, signed_in, text_of

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
