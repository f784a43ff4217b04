"""Supports: supporting and withdrawing, exact counts, who may support, htmx, and concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import Tag
from sqlalchemy import func, select

from participation.db import Database
from participation.ideas.models import Idea, Support
from tests.conftest import Browser, Loop, Person, Place, make_people, page, signed_in, text_of

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

# -- helpers ------------------------------------------------------------------------------


def support_state(db: Database, loop: Loop, idea_id: int) -> tuple[int, int]:
    """The idea's support_count and its number of support rows."""

    async def run() -> tuple[int, int]:
        async with db.session() as session:
            counter = await session.scalar(select(Idea.support_count).where(Idea.id == idea_id))
            rows = await session.scalar(
                select(func.count()).select_from(Support).where(Support.idea_id == idea_id)
            )
            return int(counter if counter is not None else -1), int(rows or 0)

    return loop.run(run())


def supporters(db: Database, loop: Loop, idea_id: int) -> set[int]:
    async def run() -> set[int]:
        async with db.session() as session:
            result = await session.scalars(
                select(Support.user_id).where(Support.idea_id == idea_id)
            )
            return set(result)

    return loop.run(run())


def detail(idea_id: int) -> str:
    return f"/de/ideas/{idea_id}"


def support(
    browser: Browser,
    idea_id: int,
    *,
    wants: bool = True,
    htmx: bool = False,
    page_path: str | None = None,
    **extra: str,
) -> httpx.Response:
    headers = {"HX-Request": "true"} if htmx else {}
    return browser.submit(
        f"/de/ideas/{idea_id}/support",
        {"support": "1" if wants else "0", **extra},
        page_path=page_path or detail(idea_id),
        headers=headers,
    )


def shown_count(response: httpx.Response, idea_id: int) -> int:
    return int(text_of(response, f"#support-{idea_id}-count strong"))


def card_counts(response: httpx.Response, idea_id: int) -> str:
    card = page(response).select_one(f"li.idea-card:has(#idea-{idea_id}-title) .counts")
    assert card is not None, f"no card for idea {idea_id}"
    return card.get_text(" ", strip=True)


def together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls in as many threads, released at the same moment."""
    barrier = threading.Barrier(len(calls), timeout=60)

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def in_parallel(calls: list[Callable[[], object]]) -> None:
    with ThreadPoolExecutor(max_workers=min(len(calls), 50)) as pool:
        list(pool.map(lambda call: call(), calls))


# -- supporting ---------------------------------------------------------------------------


def test_support_and_withdraw_are_idempotent(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author, member = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, member)

    first = support(browser, idea_id)
    assert first.status_code == 303
    assert first.headers["location"] == detail(idea_id)
    assert support_state(db, loop, idea_id) == (1, 1)
    shown = browser.get(detail(idea_id))
    assert "Sie unterstützen diese Idee. 1 Person unterstützt sie." in text_of(shown, ".flashes")
    assert shown_count(shown, idea_id) == 1
    form = page(shown).select_one(f"#support-{idea_id} form")
    assert form is not None
    assert form.select_one('input[name="support"]')["value"] == "0"  # type: ignore[index]
    assert text_of(shown, f"#support-{idea_id} button") == "Unterstützung zurückziehen"

    assert support(browser, idea_id).status_code == 303
    assert support_state(db, loop, idea_id) == (1, 1)
    assert supporters(db, loop, idea_id) == {member.id}
    shown = browser.get(detail(idea_id))
    assert shown_count(shown, idea_id) == 1

    assert support(browser, idea_id, wants=False).status_code == 303
    assert support_state(db, loop, idea_id) == (0, 0)
    shown = browser.get(detail(idea_id))
    assert shown_count(shown, idea_id) == 0
    assert text_of(shown, f"#support-{idea_id} button") == "Idee unterstützen"

    assert support(browser, idea_id, wants=False).status_code == 303
    assert support_state(db, loop, idea_id) == (0, 0)
    assert shown_count(browser.get(detail(idea_id)), idea_id) == 0


def test_counts_are_exact_on_the_idea_and_the_list(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author = make_member(place)
    idea_id, other_id = make_idea(place, author), make_idea(place, author)
    browsers = [signed_in(new_client, p) for p in make_people(db, loop, 3, place)]

    for browser in browsers:
        assert support(browser, idea_id).status_code == 303
    assert support(browsers[0], other_id).status_code == 303
    assert support(browsers[1], idea_id).status_code == 303  # again: no change
    assert support(browsers[2], idea_id, wants=False).status_code == 303

    assert support_state(db, loop, idea_id) == (2, 2)
    assert support_state(db, loop, other_id) == (1, 1)
    anonymous = new_client()
    assert shown_count(anonymous.get(detail(idea_id)), idea_id) == 2
    assert shown_count(anonymous.get(detail(other_id)), other_id) == 1
    listing = anonymous.get(f"/de/areas/{place.slug}/ideas")
    assert card_counts(listing, idea_id).startswith("2 Unterstützer*innen")
    assert card_counts(listing, other_id).startswith("1 Unterstützer*in ")
    sorted_list = anonymous.get(f"/de/areas/{place.slug}/ideas", params={"sort": "supported"})
    titles = [str(h["id"]) for h in page(sorted_list).select("li.idea-card h3[id]")]
    assert titles == [f"idea-{idea_id}-title", f"idea-{other_id}-title"]


def test_unknown_idea_cannot_be_supported(
    make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    browser = signed_in(new_client, make_member(place))

    response = support(browser, 987654321, page_path=f"/de/areas/{place.slug}")

    assert response.status_code == 404


def test_unknown_idea_shows_the_member_signed_in(
    make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    """The idea page reads the signed-in person with the idea; without an idea they are read
    on their own, for the navigation of the error page."""
    place = make_area()
    person = make_member(place)
    browser = signed_in(new_client, person)

    response = browser.get(detail(987654321))

    assert response.status_code == 404
    assert page(response).select_one('nav a[href="/de/profile"]') is not None
    assert person.display_name in text_of(response, "nav")


def test_a_session_signed_out_everywhere_supports_nothing(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """The person read with the idea counts only while their account's session epoch still
    matches: after "sign out everywhere" an older session is signed out, on the idea page and
    when it supports (with the form token it had)."""
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    person = make_member(place)
    phone, tablet, laptop = (signed_in(new_client, person) for _ in range(3))
    token = tablet.form_token(detail(idea_id))
    assert page(phone.get(detail(idea_id))).select_one(f"#support-{idea_id} form") is not None
    signed_out = laptop.submit("/de/profile/sign-out-everywhere", {}, page_path="/de/profile")
    assert signed_out.status_code == 303

    shown = phone.get(detail(idea_id))
    assert shown.status_code == 200
    assert page(shown).select_one(f"#support-{idea_id} form") is None
    assert page(shown).select_one('nav a[href="/de/profile"]') is None

    response = tablet.post(
        f"/de/ideas/{idea_id}/support", data={"csrf_token": token, "support": "1"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=/")
    assert support_state(db, loop, idea_id) == (0, 0)


# -- who may support ----------------------------------------------------------------------


def test_non_member_cannot_support(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    idea_id = make_idea(place, make_member(place))
    browser = signed_in(new_client, make_member(elsewhere))

    shown = browser.get(detail(idea_id))
    assert page(shown).select_one(f"#support-{idea_id} form") is None
    join = page(shown).select_one(f'#support-{idea_id} a[href="/de/areas/{place.slug}/join"]')
    assert join is not None

    response = support(browser, idea_id)
    assert response.status_code == 403
    assert "Bitte treten Sie zuerst diesem Gebiet bei" in text_of(response, "main")
    htmx = support(browser, idea_id, htmx=True)
    assert htmx.status_code == 403
    assert support_state(db, loop, idea_id) == (0, 0)


def test_anonymous_visitor_cannot_support(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    client: Browser,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))

    shown = client.get(detail(idea_id))
    assert page(shown).select_one(f"#support-{idea_id} form") is None
    link = page(shown).select_one(f"#support-{idea_id} a")
    assert link is not None
    href = urlsplit(str(link["href"]))
    assert (href.path, parse_qs(href.query)) == ("/de/signin", {"next": [detail(idea_id)]})

    response = support(client, idea_id, page_path="/de/signin")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=/")
    htmx = support(client, idea_id, page_path="/de/signin", htmx=True)
    assert htmx.headers["hx-redirect"].startswith("/de/signin?next=/")
    assert support_state(db, loop, idea_id) == (0, 0)


def test_consolidation_area_refuses_supports(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area(status="consolidation")
    member = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    shown = browser.get(detail(idea_id))
    assert page(shown).select_one(f"#support-{idea_id} form") is None
    assert shown_count(shown, idea_id) == 0

    response = support(browser, idea_id)
    assert response.status_code == 403
    assert "Dieses Gebiet ist in der Verstetigung." in text_of(response, "main")
    withdraw = support(browser, idea_id, wants=False)
    assert withdraw.status_code == 403
    assert support_state(db, loop, idea_id) == (0, 0)


# -- htmx and redirects -------------------------------------------------------------------


def test_htmx_support_returns_the_updated_fragment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    earlier = make_member(place)
    assert support(signed_in(new_client, earlier), idea_id).status_code == 303
    browser = signed_in(new_client, make_member(place))

    response = support(browser, idea_id, htmx=True)

    assert response.status_code == 200
    assert "<html" not in response.text
    soup = page(response)
    roots = [element for element in soup.children if isinstance(element, Tag)]
    assert [(r.name, r.get("id")) for r in roots] == [("div", f"support-{idea_id}")]
    assert roots[0]["data-announce"] == "Sie unterstützen diese Idee. 2 Personen unterstützen sie."
    assert shown_count(response, idea_id) == 2
    button = soup.select_one("button[data-focus-after-swap]")
    assert button is not None and button.get_text(strip=True) == "Unterstützung zurückziehen"
    assert soup.select_one('input[name="support"]')["value"] == "0"  # type: ignore[index]
    assert support_state(db, loop, idea_id) == (2, 2)
    # An answer this short goes uncompressed (it fits into one TCP segment either way).
    assert response.request.headers["accept-encoding"].startswith("gzip")
    assert "content-encoding" not in response.headers
    assert len(response.content) < 1400
    whole_page = browser.get(detail(idea_id), headers={"Accept-Encoding": "gzip"})
    assert whole_page.headers["content-encoding"] == "gzip"

    withdrawn = support(browser, idea_id, wants=False, htmx=True)

    assert withdrawn.status_code == 200
    fragment = page(withdrawn).select_one(f"div#support-{idea_id}")
    assert fragment is not None
    assert (
        fragment["data-announce"]
        == "Sie unterstützen diese Idee nicht mehr. 1 Person unterstützt sie."
    )
    assert shown_count(withdrawn, idea_id) == 1
    assert text_of(withdrawn, "button") == "Idee unterstützen"
    assert support_state(db, loop, idea_id) == (1, 1)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:alert(1)",
        "evil.example",
        " https://evil.example/",
    ],
)
def test_next_never_leaves_the_site(
    target: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    browser = signed_in(new_client, make_member(place))

    response = support(browser, idea_id, next=target)

    assert response.status_code == 303
    assert response.headers["location"] == detail(idea_id)
    assert support_state(db, loop, idea_id) == (1, 1)


def test_local_next_is_followed(
    make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea, new_client: NewClient
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    browser = signed_in(new_client, make_member(place))
    listing = f"/de/areas/{place.slug}/ideas?sort=supported"

    response = support(browser, idea_id, next=listing)

    assert response.status_code == 303
    assert response.headers["location"] == listing


# -- concurrency --------------------------------------------------------------------------


def test_fifty_members_support_and_withdraw_at_once(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    people = make_people(db, loop, 50, place)
    browsers = [new_client() for _ in people]
    in_parallel([lambda b=b, p=p: b.sign_in(p) for b, p in zip(browsers, people, strict=True)])
    tokens = [b.form_token(detail(idea_id)) for b in browsers]
    path = f"/de/ideas/{idea_id}/support"

    def fire(value: str) -> list[httpx.Response]:
        return together(
            [
                lambda b=b, t=t: b.post(path, data={"csrf_token": t, "support": value})
                for b, t in zip(browsers, tokens, strict=True)
            ]
        )

    supported = fire("1")

    assert [r.status_code for r in supported] == [303] * 50
    assert {r.headers["location"] for r in supported} == {detail(idea_id)}
    assert support_state(db, loop, idea_id) == (50, 50)
    assert supporters(db, loop, idea_id) == {p.id for p in people}
    assert shown_count(new_client().get(detail(idea_id)), idea_id) == 50
    listing = new_client().get(f"/de/areas/{place.slug}/ideas")
    assert card_counts(listing, idea_id).startswith("50 Unterstützer*innen")

    withdrawn = fire("0")

    assert [r.status_code for r in withdrawn] == [303] * 50
    assert support_state(db, loop, idea_id) == (0, 0)
    assert shown_count(new_client().get(detail(idea_id)), idea_id) == 0


def test_one_member_supporting_twenty_times_at_once_counts_once(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    member = make_member(place)
    first = signed_in(new_client, member)
    token = first.form_token(detail(idea_id))
    browsers = [first]
    for _ in range(19):  # the same session, as with a double-clicking person on a slow line
        browser = new_client()
        browser.cookies = httpx.Cookies(first.cookies)
        browsers.append(browser)
    path = f"/de/ideas/{idea_id}/support"

    def fire(value: str) -> list[httpx.Response]:
        return together(
            [
                lambda b=b: b.post(path, data={"csrf_token": token, "support": value})
                for b in browsers
            ]
        )

    responses = fire("1")

    assert [r.status_code for r in responses] == [303] * 20
    assert support_state(db, loop, idea_id) == (1, 1)
    assert supporters(db, loop, idea_id) == {member.id}
    assert shown_count(first.get(detail(idea_id)), idea_id) == 1

    responses = fire("0")

    assert [r.status_code for r in responses] == [303] * 20
    assert support_state(db, loop, idea_id) == (0, 0)


def test_postgresql_plans_the_idea_with_its_reader_once(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
) -> None:
    """PostgreSQL plans each prepared statement once per connection: by default it planned the
    idea read with the signed-in person (its correlated subqueries for the navigation) anew on
    every support, comment and idea page, half a millisecond of the server's time each."""
    if db.is_sqlite:
        pytest.skip("query plans are PostgreSQL's")
    from participation.ideas.services import IdeaService
    from participation.web import person_columns

    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)

    async def plans() -> tuple[int, int]:
        async with db.session() as session:
            for _ in range(8):
                view = await IdeaService(session).view_with_person(
                    idea_id, member.id, person_columns(), lambda values: values[0]
                )
                assert view.viewer.user is not None and view.viewer.user.id == member.id
            connection = await session.connection()
            row = (
                await connection.exec_driver_sql(
                    "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                    " FROM pg_prepared_statements"
                )
            ).one()
            return int(row[0]), int(row[1])

    generic, custom = loop.run(plans())
    assert (generic >= 8, custom) == (True, 0)


def test_supports_go_on_after_the_database_closed_every_connection(
    db: Database,
    loop: Loop,
    database_url: str,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """A PostgreSQL restart closes the connections the app keeps in its pool: the next
    requests get new ones instead of failing (this is checked when a connection is taken from
    the pool, without a round trip)."""
    if db.is_sqlite:
        pytest.skip("only PostgreSQL closes connections from the server side")
    import asyncio

    import asyncpg
    from sqlalchemy.engine import make_url

    place = make_area()
    author, member = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, member)
    page_path = detail(idea_id)
    assert support(browser, idea_id, htmx=True).status_code == 200

    async def close_every_other_connection() -> int:
        dsn = make_url(database_url).set(drivername="postgresql")
        admin = await asyncpg.connect(dsn.render_as_string(hide_password=False))
        try:
            others = (
                "FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            closed = await admin.fetchval(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) " + others
            )
            for _ in range(100):  # until the server processes have ended
                if not await admin.fetchval("SELECT count(*) " + others):
                    break
                await asyncio.sleep(0.05)
            return int(closed)
        finally:
            await admin.close()

    assert asyncio.run(close_every_other_connection()) >= 2  # the app's and these tests' own
    token = browser.form_token(page_path)
    withdrawn = browser.post(
        f"/de/ideas/{idea_id}/support",
        data={"support": "0", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert shown_count(browser.get(page_path), idea_id) == 0
    assert support_state(db, loop, idea_id) == (0, 0)
