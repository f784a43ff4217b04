"""The real application on a real port, over a real database migrated with Alembic.

The suite runs against SQLite by default and against PostgreSQL when TEST_DATABASE_URL names a
PostgreSQL server: a fresh database is created there for the run and dropped afterwards.
Tests share one migrated database with the demo data loaded; each test makes its own people,
areas and ideas with unique names, so tests do not depend on each other.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from bs4 import BeautifulSoup
from sqlalchemy.engine import make_url
from starlette.datastructures import Secret

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.accounts.services import AccountService
from participation.app import create_app
from participation.areas.models import Area, AreaStatus, Concept, FieldOfAction
from participation.cli import migrate
from participation.db import Database, utcnow
from participation.demo import seed_demo
from participation.ideas.models import Idea
from participation.security import hash_password
from participation.settings import Settings, normalise_database_url

T = TypeVar("T")
PASSWORD = "a long test password"
_counter = itertools.count(1)


def unique(prefix: str = "t") -> str:
    return f"{prefix}{next(_counter)}{uuid.uuid4().hex[:6]}"


# -- the database -------------------------------------------------------------------------


class Loop:
    """An event loop in a thread, for async set-up code called from sync tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=120)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="session")
def loop() -> Iterator[Loop]:
    runner = Loop()
    yield runner
    runner.close()


async def _postgres_admin(url: str, statement: str) -> None:
    import asyncpg

    parsed = make_url(url).set(drivername="postgresql")
    connection = await asyncpg.connect(parsed.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("TEST_DATABASE_URL")
    if not configured:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite+aiosqlite:///{path}"
        return
    base = normalise_database_url(configured)
    name = f"participation_test_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_postgres_admin(base, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_postgres_admin(base, f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    migrate(database_url)
    asyncio.run(seed_demo(database_url))
    return database_url


@pytest.fixture(scope="session")
def db(migrated: str, loop: Loop) -> Iterator[Database]:
    database = loop.run(_make_database(migrated))
    yield database
    loop.run(database.dispose())


async def _make_database(url: str) -> Database:
    return Database(url)


# -- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def start_server(settings: Settings) -> Server:
    port = free_port()
    if settings.base_url == Settings.base_url:  # the default: links in mails point here
        settings = replace(settings, base_url=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return Server(f"http://127.0.0.1:{port}", settings, server, thread)


@pytest.fixture(scope="session")
def settings(migrated: str) -> Settings:
    return Settings(
        database_url=migrated,
        secret_key=Secret(secrets.token_urlsafe(48)),
        environment="test",
        expose_query_count=True,
        signin_client_rate_limit="100000/minute",
        signup_client_rate_limit="100000/minute",
    )


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[Server]:
    running = start_server(settings)
    yield running
    running.stop()


@pytest.fixture
def make_server(settings: Settings) -> Iterator[Callable[..., Server]]:
    """Start another instance of the app with changed settings (stopped after the test)."""
    started: list[Server] = []

    def make(**changes: Any) -> Server:
        running = start_server(replace(settings, **changes))
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


# -- people and content -------------------------------------------------------------------


@dataclass
class Person:
    id: int
    email: str
    password: str
    display_name: str


@dataclass
class Place:
    """An area made for one test, with its current concept's fields of action."""

    id: int
    slug: str
    name: str
    field_ids: list[int] = field(default_factory=list)


@pytest.fixture
def make_user(db: Database, loop: Loop) -> Callable[..., Person]:
    """Create an account; `member_of` maps area slugs to stakeholder role values."""

    def make(
        *,
        member_of: dict[str, list[str]] | None = None,
        manager_of: list[str] | None = None,
        admin: bool = False,
        locale: str = "de",
        display_name: str | None = None,
    ) -> Person:
        email = f"{unique('person')}@example.org"
        name = display_name or unique("Kiez ")

        async def create() -> int:
            async with db.session(write=True) as session:
                accounts = AccountService(session)
                user = await accounts.sign_up(
                    email=email, display_name=name, password=PASSWORD, locale=locale, is_admin=admin
                )
                user.email_verified_at = utcnow()
                for slug, roles in (member_of or {}).items():
                    area = await _area(session, slug)
                    session.add(
                        Membership(
                            user_id=user.id,
                            area_id=area.id,
                            roles=[MembershipRole(role=StakeholderRole(r)) for r in roles],
                        )
                    )
                for slug in manager_of or []:
                    await accounts.make_manager(user, await _area(session, slug))
                await session.flush()
                return user.id

        return Person(loop.run(create()), email, PASSWORD, name)

    return make


async def _area(session: Any, slug: str) -> Area:
    from participation.areas.services import AreaService

    return await AreaService(session).by_slug(slug)


@pytest.fixture
def make_area(db: Database, loop: Loop) -> Callable[..., Place]:
    """Create an area with a current concept and three fields of action."""

    def make(*, status: str = "active") -> Place:
        slug = unique("area-")
        name = f"Testkiez {slug}"

        async def create() -> Place:
            async with db.session(write=True) as session:
                area = Area(
                    slug=slug,
                    name=name,
                    status=AreaStatus(status),
                    description={"de": "Ein Gebiet für Tests.", "en": "An area for tests."},
                    position=100,
                    idea_count=0,
                )
                concept = Concept(area=area, first_year=2025, last_year=2027, is_current=True)
                fields = [
                    FieldOfAction(
                        concept=concept,
                        key=key,
                        name={"de": de, "en": en, "tr": en, "ar": en},
                        position=n,
                    )
                    for n, (key, de, en) in enumerate(
                        [
                            ("education", "Bildung", "Education"),
                            ("public-space", "Öffentlicher Raum", "Public space"),
                            ("climate", "Klimaschutz und -anpassung", "Climate"),
                        ]
                    )
                ]
                session.add_all([area, concept, *fields])
                await session.flush()
                return Place(area.id, slug, name, [f.id for f in fields])

        return loop.run(create())

    return make


@pytest.fixture
def make_idea(db: Database, loop: Loop) -> Callable[..., int]:
    """Create a visible idea directly in the database; return its id."""

    def make(
        place: Place,
        author: Person,
        *,
        title: str | None = None,
        language: str = "de",
        field_index: int = 0,
        body: str = "Eine Idee, die lang genug ist, um gültig zu sein.",
    ) -> int:
        async def create() -> int:
            from sqlalchemy import update

            async with db.session(write=True) as session:
                idea = Idea(
                    area_id=place.id,
                    field_id=place.field_ids[field_index],
                    author_id=author.id,
                    title=title or unique("Idee "),
                    body=body,
                    language=language,
                )
                session.add(idea)
                await session.execute(
                    update(Area).where(Area.id == place.id).values(idea_count=Area.idea_count + 1)
                )
                await session.flush()
                return idea.id

        return loop.run(create())

    return make


# -- talking to the app -------------------------------------------------------------------


def page(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def csrf_from(response: httpx.Response) -> str:
    element = page(response).select_one('input[name="csrf_token"]')
    assert element is not None, "no CSRF token on the page"
    return str(element["value"])


class Browser(httpx.Client):
    """An HTTP client that keeps cookies and knows the CSRF token of the last page it read."""

    def form_token(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return csrf_from(response)

    def submit(
        self, path: str, data: dict[str, Any], *, page_path: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """GET the page with the form (page_path or path), then POST the form with its token."""
        token = self.form_token(page_path or path)
        return self.post(path, data={"csrf_token": token, **data}, **kwargs)

    def sign_in(self, person: Person, locale: str = "de") -> None:
        response = self.submit(
            f"/{locale}/signin", {"email": person.email, "password": person.password}
        )
        assert response.status_code == 303, response.text


@pytest.fixture
def client(server: Server) -> Iterator[Browser]:
    with Browser(base_url=server.url, follow_redirects=False, timeout=30) as browser:
        yield browser


@pytest.fixture
def new_client(server: Server) -> Iterator[Callable[[], Browser]]:
    made: list[Browser] = []

    def make() -> Browser:
        browser = Browser(base_url=server.url, follow_redirects=False, timeout=30)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.close()


def text_of(response: httpx.Response, selector: str) -> str:
    element = page(response).select_one(selector)
    assert element is not None, f"nothing matches {selector!r}"
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


ROOT = Path(__file__).resolve().parent.parent


# -- mail -----------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What a real SMTP server (aiosmtpd on 127.0.0.1) received."""

    url: str
    messages: list[Any] = field(default_factory=list)

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            mailbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted for delivery"

    port = free_port()
    mailbox = Mailbox(f"smtp://127.0.0.1:{port}")
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def deliver_mail(
    smtp_server: Mailbox, db: Database, loop: Loop, settings: Settings
) -> Callable[[], int]:
    """Run the mail worker once against the test SMTP server; return how many it sent."""
    from participation.notifications.services import SmtpTarget, Worker

    def run() -> int:
        worker = Worker(
            db,
            SmtpTarget.from_url(smtp_server.url),
            sender="noreply@example.org",
            site_name=settings.site_name,
        )
        return loop.run(worker.run_once())

    return run


# -- many people at once ----------------------------------------------------------------


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_people(db: Database, loop: Loop, n: int, *places: Place) -> list[Person]:
    """Create n members of the places at once (one password hash for all, to stay fast)."""

    async def create() -> list[Person]:
        async with db.session(write=True) as session:
            users = [
                User(
                    email=f"{unique('many')}@example.org",
                    display_name=unique("Nachbar "),
                    password_hash=_password_hash(),
                    preferred_locale="de",
                    email_verified_at=utcnow(),
                )
                for _ in range(n)
            ]
            session.add_all(users)
            await session.flush()
            session.add_all(
                Membership(
                    user_id=user.id,
                    area_id=place.id,
                    roles=[MembershipRole(role=StakeholderRole.RESIDENT)],
                )
                for user in users
                for place in places
            )
            await session.flush()
            return [Person(u.id, u.email, PASSWORD, u.display_name) for u in users]

    return loop.run(create())


@pytest.fixture
def make_member(db: Database, loop: Loop) -> Callable[..., Person]:
    """Create one person who is a member (resident) of the given places."""

    def make(*places: Place) -> Person:
        return make_people(db, loop, 1, *places)[0]

    return make


def signed_in(new_client: Callable[[], Browser], person: Person, locale: str = "de") -> Browser:
    """A browser signed in as the person, having seen the page it was sent to."""
    browser = new_client()
    browser.sign_in(person, locale)
    assert browser.get(f"/{locale}/").status_code == 200
    return browser
