"""Answers are compressed with a deflate window sized to their body (participation/compression.py):
what arrives is the same page, as small as with zlib's default window."""

from __future__ import annotations

import random
import zlib

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from participation.compression import GZipMiddleware, window_bits
from tests.conftest import Loop

SIZES = [1_400, 2_500, 4_096, 4_097, 9_000, 20_000, 70_000]


def page(size: int) -> bytes:
    """HTML-like text with repeats near and far, as pages have."""
    words = [f"<li class='idea-{n % 37}'>Idee {n} im Kiez</li>" for n in range(400)]
    picked = random.Random(size).choices(words, k=size // 10)
    return "".join(picked).encode()[:size]


def app() -> Starlette:
    async def sized(request: Request) -> Response:
        return Response(page(int(request.path_params["size"])), media_type="text/html")

    async def streamed(request: Request) -> StreamingResponse:
        async def parts():  # type: ignore[no-untyped-def]
            for _ in range(3):
                yield page(5_000)

        return StreamingResponse(parts(), media_type="text/html")

    return Starlette(
        routes=[Route("/sized/{size:int}", sized), Route("/streamed", streamed)],
        middleware=[Middleware(GZipMiddleware, minimum_size=1_000, compresslevel=6)],
    )


def fetch(loop: Loop, path: str, encoding: str) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers={"accept-encoding": encoding})

    return loop.run(run())


@pytest.mark.parametrize("size", SIZES)
def test_a_compressed_answer_is_the_page_and_as_small_as_with_the_default_window(
    loop: Loop, size: int
) -> None:
    answer = fetch(loop, f"/sized/{size}", "gzip")
    assert answer.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in answer.headers["vary"].lower()
    assert answer.content == page(size)  # httpx decompressed it
    sent = int(answer.headers["content-length"])
    default = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    assert sent == len(default.compress(page(size)) + default.flush())
    assert (1 << window_bits(size)) >= size or window_bits(size) == zlib.MAX_WBITS


def test_answers_not_compressed_when_small_unasked_or_streamed_stay_intact(loop: Loop) -> None:
    small = fetch(loop, "/sized/900", "gzip")
    assert "content-encoding" not in small.headers and small.content == page(900)
    plain = fetch(loop, "/sized/9000", "identity")
    assert "content-encoding" not in plain.headers and plain.content == page(9_000)
    streamed = fetch(loop, "/streamed", "gzip")
    assert streamed.headers["content-encoding"] == "gzip"
    assert streamed.content == page(5_000) * 3
