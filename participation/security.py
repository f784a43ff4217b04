"""Passwords, CSRF tokens, safe redirects, rate limits and the security middleware."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import limits
from anyio import CapacityLimiter, to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from limits.aio.strategies import RateLimiter as RateLimiterStrategy
from limits.storage import storage_from_string
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
"""Argon2id with OWASP's first recommendation (19 MiB, two passes, one lane). argon2-cffi's
default takes 64 MiB per hash: several sign-ins at once made a worker's memory jump by that
much each. Hashes made with other parameters still verify, and are renewed at sign-in."""
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
_hashing: CapacityLimiter | None = None
HASHES_AT_ONCE = 2
"""Hashes computed at the same time per process; more sign-ins at once wait their turn, so
that a burst of them cannot take the memory of the server."""

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _limiter() -> CapacityLimiter:
    global _hashing
    if _hashing is None:
        _hashing = CapacityLimiter(HASHES_AT_ONCE)
    return _hashing


async def hash_password_async(password: str) -> str:
    """hash_password in a worker thread, at most HASHES_AT_ONCE at a time."""
    return await to_thread.run_sync(hash_password, password, limiter=_limiter())


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """verify_password in a worker thread, at most HASHES_AT_ONCE at a time."""
    return await to_thread.run_sync(verify_password, password_hash, password, limiter=_limiter())


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password in constant time; an account without a password never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def csrf_token(session: dict[str, Any]) -> str:
    """Return the session's CSRF token, creating it on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return fallback
    return target


class RateLimiter:
    """Limits per key, counted in the database (default) or the store named by a URL.

    Counting in the database writes in a transaction of its own: call `hit` before opening a
    write transaction, never inside one (SQLite has one writer at a time).
    """

    def __init__(self, storage: Storage | str) -> None:
        if isinstance(storage, str):
            url = storage if storage.startswith("async+") else "async+" + storage
            self._limiter: RateLimiterStrategy = MovingWindowRateLimiter(storage_from_string(url))
        else:
            self._limiter = FixedWindowRateLimiter(storage)

    async def hit(self, rule: str, *key: str) -> bool:
        """Count one attempt; return False when the limit is already reached."""
        return await self._limiter.hit(limits.parse(rule), *key)

    async def clear(self, rule: str, *key: str) -> None:
        await self._limiter.clear(limits.parse(rule), *key)


class SecurityHeadersMiddleware:
    """Send the same strict headers with every response."""

    def __init__(self, app: ASGIApp, *, https: bool, media_origin: str = "") -> None:
        self.app = app
        media = f"media-src 'self' {media_origin}".strip()
        self.headers = {
            "content-security-policy": (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"font-src 'self'; connect-src 'self'; {media}; form-action 'self'; "
                "base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
            ),
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "x-frame-options": "DENY",
            "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            "cross-origin-opener-policy": "same-origin",
        }
        if https:
            self.headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestRejected(Exception):
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


class BodyLimitAndCSRFMiddleware:
    """Refuse bodies over the limit (413) and state changes without the session's token (403).

    The body of an unsafe request is read here, up to the limit, to find the token; the
    application then receives the same bytes. `multipart/form-data` bodies (forms with photos)
    have their own, larger limit.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        reject: ASGIApp,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.reject = reject

    def _limit(self, headers: Headers) -> int:
        if headers.get("content-type", "").startswith("multipart/form-data"):
            return self.max_upload_bytes
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in self.SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self._limit(headers)
        try:
            declared = int(headers.get("content-length", "0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await self._reject(scope, receive, send, 413)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._reject(scope, receive, send, 413)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if not await self._token_matches(scope, headers, body):
            await self._reject(scope, receive, send, 403)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _token_matches(self, scope: Scope, headers: Headers, body: bytes) -> bool:
        expected = scope.get("session", {}).get("csrf")
        if not isinstance(expected, str):
            return False
        given = headers.get(CSRF_HEADER)
        if given is None:
            content_type = headers.get("content-type", "")
            if content_type.startswith("application/x-www-form-urlencoded"):
                fields = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
                given = fields.get(CSRF_FIELD)
            elif content_type.startswith("multipart/form-data"):
                given = await self._multipart_token(scope, body)
        return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())

    @staticmethod
    async def _multipart_token(scope: Scope, body: bytes) -> str | None:
        async def receive_once() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(scope, receive_once)
        try:
            form = await request.form()
        except (HTTPException, MultiPartException, ValueError):
            return None  # a malformed body carries no valid token
        value = form.get(CSRF_FIELD)
        await form.close()
        return value if isinstance(value, str) else None

    async def _reject(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        scope.setdefault("state", {})["rejected_status"] = status
        await self.reject(scope, receive, send)
