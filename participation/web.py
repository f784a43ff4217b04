"""What every view needs: the database, the signed-in person, rendering, redirects, errors."""

from __future__ import annotations

import functools
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from participation import i18n
from participation.accounts.models import User
from participation.db import Database
from participation.errors import DomainError, SignInRequired
from participation.forms import parse_id
from participation.moderation.services import attention_columns
from participation.security import RateLimiter
from participation.templating import Renderer, is_htmx

R = TypeVar("R")
W = TypeVar("W")


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


@asynccontextmanager
async def transaction(
    request: Request, *, write: bool = False, user: bool = True
) -> AsyncIterator[AsyncSession]:
    """A database session for this request, with the signed-in person loaded on first use.

    `user=False` leaves reading them to the caller's first query (`person_columns`,
    `accept_person`): one statement less on the pages and writes people use most."""
    async with database(request).session(write=write) as session:
        if user:
            await load_user(request, session)
        yield session


async def read_then_write(
    request: Request,
    read: Callable[[AsyncSession], Awaitable[R]],
    write: Callable[[AsyncSession, R], Awaitable[W]],
) -> tuple[R, W]:
    """Run `read`, then `write` with what it read (a support, a comment); return both results.

    `read` reads the signed-in person too (`load_idea` does, in its one query). `write`
    checks in SQL what could have changed since the read; on PostgreSQL it runs one writing
    statement at most (see `Database.session(single_write=True)`).

    Both run in one session. On SQLite, where writers take turns, `read` runs before the
    session waits for its turn (`read_first`), so that the turn holds only the statements
    that write. On PostgreSQL the session's statements each commit as they run, which saves
    a transaction's round trips. Either way an error that leaves `read` or `write` stores
    nothing.

    The signed-in person is taken out of the session once read: a rollback expires what the
    session loaded, and the error page still shows who is signed in."""
    db = database(request)
    async with db.session(write=True, single_write=True, read_first=True) as session:
        try:
            found = await read(session)
        finally:
            person = getattr(request.state, "user", None)
            if person is not None and person in session:
                session.expunge(person)
        await db.start_writing(session)
        return found, await write(session, found)


@functools.cache
def person_columns() -> tuple[Any, ...]:
    """The signed-in person's account and, for the navigation, whether they moderate and how
    many items wait for them (see `attention_columns`): columns of `User`, built once
    (building the correlated subqueries took longer than running them)."""
    return (User, *attention_columns())


@functools.cache
def _user_with_attention() -> Select[Any]:
    return select(*person_columns()).where(User.id == bindparam("uid"))


def session_user_id(request: Request) -> int | None:
    """The account id the session cookie names, not yet checked (see `accept_person`)."""
    user_id = request.session.get("uid")
    return user_id if isinstance(user_id, int) else None


def accept_person(request: Request, values: Sequence[Any] | None) -> User | None:
    """Take the values of `person_columns` read for `session_user_id`: the person is signed
    in while their account's session epoch matches the session's; otherwise (the account is
    gone, or signed out everywhere) the session is cleared. Sets `request.state.user` and
    `request.state.moderation_count` (None for people who moderate nothing)."""
    user, moderates, waiting = values if values is not None else (None, None, None)
    if user is not None and user.session_epoch == request.session.get("epoch"):
        request.state.moderation_count = int(waiting or 0) if moderates else None
    else:
        request.session.clear()
        user = None
    request.state.user = user
    return user


def person_read(request: Request) -> bool:
    """Whether this request has read the signed-in person (or found there is none)."""
    return hasattr(request.state, "user")


async def load_user(request: Request, session: AsyncSession) -> User | None:
    """Return the signed-in user (checked against the account's session epoch) or None.

    In the same query: what waits for them as a moderator, for the navigation
    (`request.state.moderation_count`)."""
    user_id = session_user_id(request)
    if user_id is None:
        request.state.user = None
        return None
    row = (await session.execute(_user_with_attention(), {"uid": user_id})).one_or_none()
    return accept_person(request, row)


async def signed_in_user(request: Request) -> User | None:
    """Load the signed-in person, for pages that need nothing else from the database."""
    async with transaction(request):
        user: User | None = request.state.user
        return user


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for the user (a new CSRF token; nothing carried over)."""
    request.session.clear()
    request.session.update(uid=user.id, epoch=user.session_epoch, csrf=secrets.token_urlsafe(32))


def sign_out(request: Request) -> None:
    request.session.clear()


def limiter(request: Request) -> RateLimiter:
    """The application's rate limiter (counts in its own transaction; call it before writing)."""
    found: RateLimiter = request.app.state.rate_limiter
    return found


def client_address(request: Request) -> str:
    """The client's address, the key of per-client rate limits (never stored as such)."""
    return request.client.host if request.client else "unknown"


def renderer(request: Request) -> Renderer:
    r: Renderer = request.app.state.renderer
    return r


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, **kw: Any
) -> HTMLResponse:
    return renderer(request).render(request, template, context, **kw)


def redirect(url: str) -> RedirectResponse:
    """See other (303): the answer to a successful POST."""
    return RedirectResponse(url, status_code=303)


def url(request: Request, name: str, **params: Any) -> str:
    params.setdefault("locale", i18n.get_locale())
    return str(request.app.url_path_for(name, **params))


def absolute_link(request: Request) -> Callable[..., str]:
    """A function that makes absolute links (for mails) from route names."""
    base: str = request.app.state.settings.base_url

    def link(name: str, **params: Any) -> str:
        return base + str(request.app.url_path_for(name, **params))

    return link


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path + ("?" + request.url.query if request.url.query else "")
    if request.method != "GET":
        target = request.headers.get("hx-current-url") or request.headers.get("referer") or target
    path = url(request, "accounts.signin") + "?next=" + quote(_path_only(target), safe="/")
    if is_htmx(request):
        return Response(status_code=200, headers={"hx-redirect": path})
    return redirect(path)


def _path_only(target: str) -> str:
    parts = urlsplit(target)
    return parts.path + ("?" + parts.query if parts.query else "")


def error_page(request: Request, error: DomainError) -> Response:
    """The translated page for a broken rule (or a sign-in redirect)."""
    if isinstance(error, SignInRequired):
        return sign_in_redirect(request)
    return render(
        request,
        "errors/error.html",
        {"status_code": error.status_code, "message": error.message},
        status_code=error.status_code,
    )


def query_int(request: Request, name: str) -> int | None:
    """A positive integer from the query string, or None."""
    return parse_id(request.query_params.get(name))
