"""The application factory: routes under a language prefix, middleware, error pages."""

from __future__ import annotations

import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from participation import api, i18n, routing  # noqa: F401  (path convertors)
from participation.accounts import membership_views as accounts_memberships
from participation.accounts import oidc as accounts_oidc
from participation.accounts import profile as accounts_profile
from participation.accounts import recovery as accounts_recovery
from participation.accounts import views as accounts_views
from participation.accounts.tokens import Tokens
from participation.areas import admin_views as areas_admin
from participation.areas import views as areas_views
from participation.assets import Assets, HashedStaticFiles
from participation.cache import PageCache
from participation.compression import GZipMiddleware
from participation.concepts import manage_views as concepts_manage
from participation.concepts import views as concepts_views
from participation.concepts import vote_views as concepts_votes
from participation.db import Database, query_counter
from participation.ideas import comment_views as ideas_comment_views
from participation.ideas import views as ideas_views
from participation.moderation import answer_views as moderation_answers
from participation.moderation import audit_views as moderation_audit
from participation.moderation import manage_views as moderation_manage
from participation.moderation import member_views as moderation_members
from participation.moderation import views as moderation_views
from participation.pages import views as pages_views
from participation.ratelimit import DatabaseStorage
from participation.security import (
    BodyLimitAndCSRFMiddleware,
    RateLimiter,
    SecurityHeadersMiddleware,
)
from participation.settings import Settings
from participation.templating import Renderer, create_environment
from participation.web import transaction

LOCALE_COOKIE = "lang"

GZIP_MINIMUM_BYTES = 1400
"""Answers shorter than this go uncompressed: with their headers they fit into one TCP
segment either way, so compressing them saves the visitor no time. It cost a support's
answer (750 bytes) about a tenth of its CPU time, for a zlib stream set up and torn down."""


@functools.cache
def _locale_cookie(code: str) -> bytes:
    """The Set-Cookie header that remembers the interface language `code` for a year."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[LOCALE_COOKIE] = code
    cookie[LOCALE_COOKIE].update({"path": "/", "max-age": str(365 * 24 * 3600), "samesite": "lax"})
    return cookie.output(header="").strip().encode()


class LocaleMiddleware:
    """Take the interface language from the URL's first segment and remember it in a cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        segment = scope["path"].split("/", 2)[1] if scope["path"].count("/") else ""
        in_path = segment in i18n.LANGUAGES
        token = i18n.set_locale(segment if in_path else i18n.DEFAULT_LOCALE)
        remembered = Request(scope).cookies.get(LOCALE_COOKIE)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and in_path and remembered != segment:
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", _locale_cookie(segment)))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            i18n.reset_locale(token)


class QueryCountMiddleware:
    """Report the number of SQL statements per request in X-Query-Count (tests, benchmark)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        counter = [0]
        token = query_counter.set(counter)

        async def send_with_count(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-query-count", str(counter[0]).encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_count)
        finally:
            query_counter.reset(token)


async def root(request: Request) -> Response:
    """Send / to the language of the account, the cookie, the browser, or German."""
    locale = None
    uid = request.session.get("uid")
    if isinstance(uid, int):
        async with transaction(request) as _session:
            user = request.state.user
            locale = user.preferred_locale if user else None
    if locale not in i18n.LANGUAGES:
        locale = request.cookies.get(LOCALE_COOKIE)
    if locale not in i18n.LANGUAGES:
        locale = i18n.negotiate(request.headers.get("accept-language"))
    response = RedirectResponse(f"/{locale or i18n.DEFAULT_LOCALE}/", status_code=302)
    response.headers["vary"] = "Accept-Language, Cookie"
    return response


async def healthz(request: Request) -> Response:
    db: Database = request.app.state.db
    async with db.session() as session:
        await session.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


async def robots(request: Request) -> Response:
    return PlainTextResponse("User-agent: *\nDisallow: /api/\n")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    """A translated page for an unexpected failure (the traceback goes to the log)."""
    request.state.user = None  # the failed transaction may have left the account unusable
    return error_response(request, 500)


def error_response(request: Request, status_code: int) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": status_code}, status_code=status_code)
    renderer: Renderer = request.app.state.renderer
    messages = {
        403: i18n.gettext(
            "This form has expired or was sent from another page. Please go back, reload the "
            "page and try again."
        ),
        404: i18n.gettext("This page does not exist. Perhaps the link is old or mistyped."),
        405: i18n.gettext("This address cannot be used like this."),
        413: i18n.gettext("What you sent is too large. Please shorten it and try again."),
    }
    message = messages.get(status_code, i18n.gettext("Something went wrong. Please try again."))
    return renderer.render(
        request,
        "errors/error.html",
        {"status_code": status_code, "message": message},
        status_code=status_code,
    )


def reject_app(scope: Scope, receive: Receive, send: Send) -> Any:
    """Answer a request the security middleware refused (403 or 413), as a translated page."""
    request = Request(scope, receive)
    return error_response(request, scope["state"]["rejected_status"])(scope, receive, send)


def origin_of(url: str) -> str:
    """scheme://host[:port] of an absolute URL, or '' (for operator-configured media)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


def create_app(settings: Settings) -> Starlette:
    """Build the application for these settings (no global state; tests build their own)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await app.state.db.dispose()

    assets = Assets(settings.static_dir)
    # Starlette tries the routes in turn: the ones people use most come first (a support
    # passed 36 others). No two paths of different modules match the same address, so the
    # order decides nothing else.
    localised = [
        *ideas_views.routes,
        *ideas_comment_views.routes,
        *concepts_votes.routes,
        *areas_views.routes,
        *areas_admin.routes,
        *accounts_views.routes,
        *accounts_profile.routes,
        *accounts_recovery.routes,
        *accounts_oidc.routes,
        *accounts_memberships.routes,
        *concepts_manage.routes,
        *moderation_answers.routes,
        *pages_views.routes,
        *moderation_audit.routes,
        *moderation_manage.routes,
        *moderation_members.routes,
        *moderation_views.routes,
        *concepts_views.routes,
    ]
    routes = [
        Mount("/{locale:lang}", routes=localised),
        Route("/", root, name="root"),
        Route("/healthz", healthz, name="healthz"),
        Route("/robots.txt", robots, name="robots"),
        *api.routes,
        *accounts_oidc.callback_routes,
        *ideas_views.photo_routes,
        Mount("/static", HashedStaticFiles(assets), name="static"),
    ]
    db = Database(settings.database_url)
    # Outside the compression, so that it keeps what it sends compressed.
    page_cache = (
        [Middleware(PageCache, database=db, max_age=settings.page_cache_seconds)]
        if settings.page_cache_seconds > 0
        else []
    )
    middleware = [
        Middleware(
            SecurityHeadersMiddleware,
            https=settings.https,
            media_origin=origin_of(settings.sign_language_video_url),
        ),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="session",
            max_age=settings.session_max_age,
            same_site="lax",
            https_only=settings.https,
        ),
        Middleware(LocaleMiddleware),
        *page_cache,
        Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=6),
        Middleware(
            BodyLimitAndCSRFMiddleware,
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.max_upload_bytes,
            reject=reject_app,
        ),
    ]
    if settings.expose_query_count:
        middleware.insert(0, Middleware(QueryCountMiddleware))
    app = Starlette(
        debug=False,
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.renderer = Renderer(
        create_environment(settings.templates_dir, assets),
        settings.site_name,
        settings.base_url,
        (settings.oidc_name or urlsplit(settings.oidc_issuer).hostname or "")
        if settings.oidc_enabled
        else "",
    )
    app.state.rate_limiter = RateLimiter(
        DatabaseStorage(app.state.db, str(settings.secret_key))
        if settings.rate_limit_storage_url == "database"
        else settings.rate_limit_storage_url
    )
    app.state.tokens = Tokens(str(settings.secret_key))
    app.state.oauth = accounts_oidc.make_client(settings)
    return app


def from_environment() -> Starlette:
    """The application configured from environment variables (for `uvicorn --factory`).

    What exists once it is made (modules, routes, translations) lives as long as the server
    process, so it is moved out of the garbage collector's way (`gc.freeze`): full
    collections then scan only what requests made, and no longer pause a worker for tens of
    milliseconds."""
    from participation.settings import load_settings

    app = create_app(load_settings())
    gc.collect()
    gc.freeze()
    return app
