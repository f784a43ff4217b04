"""The page cache: what anonymous visitors see, rendered once per content version.

Most visitors read without signing in, and at a Kiez festival hundreds of them open the same
few pages within minutes. Each app process keeps the responses it rendered for visitors
without a session (compressed as sent), and serves one again while the content version
(`participation.db.ContentVersion`) is the one it was rendered at: a support, a vote or a
comment moves the version on before its response is sent, so the very next request renders
afresh. Entries also expire after `MAX_AGE` seconds, for what changes with time alone (a phase
that began at midnight, "3 hours ago").

Only GET requests for pages and open data of visitors without a session are served from the
cache, and only responses that did not start a session (a page that renders a form with a CSRF
token does), set no cookie, answered 200 and do not forbid storing. Each cached response carries
an `ETag`; a browser that sends it back gets `304 Not Modified` while the page is current.

Reading the version is one statement per request served from the cache, and one more for a
request rendered afresh.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from participation import i18n
from participation.db import Database

MAX_AGE = 10.0
"""Seconds an entry is served at most, even when no content changed."""
MAX_BYTES = 8_000_000
"""Bytes of responses kept per process; the least recently used go first."""
LARGEST = 512_000
"""Larger responses (a long CSV export) are not kept."""
CACHED_TYPES = ("text/html", "application/json", "text/csv")


Key = tuple[str, bytes, bool, bool]
"""Path, query string, htmx request, gzip accepted."""


@dataclass
class Entry:
    version: int
    stored: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class PageCache:
    """ASGI middleware between the session and the compression middleware (see module doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        database: Database,
        max_bytes: int = MAX_BYTES,
        max_age: float = MAX_AGE,
    ) -> None:
        self.app = app
        self.database = database
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0
        self.rendering: dict[Key, tuple[int, asyncio.Future[Entry | None]]] = {}
        """The pages being rendered now, with the version they are rendered at."""

    @staticmethod
    def cacheable(scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("session"):
            return False
        first = scope["path"].split("/", 2)[1] if scope["path"].count("/") else ""
        return first == "api" or first in i18n.LANGUAGES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.cacheable(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = (
            scope["path"],
            scope["query_string"],
            headers.get("hx-request") == "true",
            "gzip" in headers.get("accept-encoding", ""),
        )
        version = await self.database.content_version()
        entry = self.entries.get(key)
        now = time.monotonic()
        if entry is not None and entry.version == version and now - entry.stored < self.max_age:
            self.entries.move_to_end(key)
            await self._send_entry(entry, headers, send)
            return
        # One rendering per page and version: requests that arrive meanwhile wait for it
        # (after each change, or when a page expires, many ask for the same page at once).
        pending = self.rendering.get(key)
        if pending is not None and pending[0] == version:
            entry = await asyncio.shield(pending[1])
            if entry is not None:
                await self._send_entry(entry, headers, send)
                return
        done: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.rendering[key] = (version, done)
        try:
            await self._render(scope, receive, send, key, version, done)
        finally:
            if not done.done():
                done.set_result(None)  # not kept: the waiting requests render it themselves
            if self.rendering.get(key, (0, None))[1] is done:
                del self.rendering[key]

    async def _send_entry(self, entry: Entry, request_headers: Headers, send: Send) -> None:
        given = request_headers.get("if-none-match", "")
        if entry.etag.decode() in (tag.strip() for tag in given.split(",")):
            kept = [(n, v) for n, v in entry.headers if n in (b"etag", b"cache-control", b"vary")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": entry.headers}
        )
        await send({"type": "http.response.body", "body": entry.body})

    async def _render(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: Key,
        version: int,
        done: asyncio.Future[Entry | None],
    ) -> None:
        """Render the page and send it; keep it when it may be kept, and hand it to the
        requests that wait for the same page (`done`)."""
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    # A streamed response is passed on as it comes, and not kept.
                    passing = True
                    assert start is not None
                    await send(start)
                    body = b"".join(chunks)
                    await send({"type": "http.response.body", "body": body, "more_body": True})

        await self.app(scope, receive, capture)
        if passing or start is None:
            return
        body = b"".join(chunks)
        response_headers = list(start.get("headers", []))
        if self._keeps(scope, start["status"], response_headers, body):
            etag = b'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
            response_headers.append((b"etag", etag))
            entry = Entry(version, time.monotonic(), 200, response_headers, body, etag)
            self._store(key, entry)
            done.set_result(entry)
            start = {**start, "headers": response_headers}
        await send(start)
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _keeps(scope: Scope, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> bool:
        if status != 200 or scope.get("session") or len(body) > LARGEST:
            return False
        found = {name.lower(): value.lower() for name, value in headers}
        if b"set-cookie" in found or b"etag" in found:
            return False
        control = found.get(b"cache-control", b"")
        if b"no-store" in control or b"private" in control:
            return False
        content_type = found.get(b"content-type", b"").decode()
        return content_type.startswith(CACHED_TYPES)

    def _store(self, key: Key, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _key, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
