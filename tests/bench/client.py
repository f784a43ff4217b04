"""The benchmark's HTTP/1.1 client for write runs: keep-alive connections that stop gracefully.

wrk drops the requests in flight when its time is up, so nobody knows whether the server
stored them. The write runs use this client instead: when the time is up, every connection
finishes the request it sent, so each write sent has its answer and the database can be
compared with the answers exactly. It is plain asyncio streams, a few microseconds per request.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    index: int
    """Which request of the run (see `run`), so the caller knows what it asked for."""
    status: int
    headers: dict[str, str]
    body_bytes: int


@dataclass
class WriteRun:
    outcomes: list[Outcome] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    """Seconds per request."""
    duration: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split(b" ", 2)[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            chunk = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    return status, headers, size


async def run(
    port: int,
    make_request: Callable[[int], bytes],
    *,
    connections: int,
    duration: float,
    first_index: int = 0,
) -> WriteRun:
    """Send requests `make_request(first_index)`, `make_request(first_index + 1)`, ... over
    `connections` keep-alive connections for `duration` seconds, and wait for every answer."""
    result = WriteRun()
    numbers = itertools.count(first_index)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while loop.time() < deadline:
                index = next(numbers)
                started = time.perf_counter()
                writer.write(make_request(index))
                status, headers, size = await _read_response(reader)
                result.latencies.append(time.perf_counter() - started)
                result.outcomes.append(Outcome(index, status, headers, size))
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    result.duration = time.perf_counter() - started
    return result


def post(path: str, body: str, *, cookie: str, token: str, htmx: bool) -> bytes:
    """A form POST as a browser sends it, with the session cookie and the CSRF token."""
    encoded = body.encode()
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Accept-Encoding: gzip",
        "Accept-Language: de",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(encoded)}",
        f"Cookie: session={cookie}",
        f"X-CSRF-Token: {token}",
    ]
    if htmx:
        lines.append("HX-Request: true")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + encoded
