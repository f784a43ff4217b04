"""Compressed responses (Starlette's GZip middleware), each compressed with a window no larger
than its body needs.

zlib's default state (a 32 KiB window, hash tables for it) takes about 256 KiB to set up, and
for a body of a few KiB that setup cost more than the compressing: 70 µs of CPU time for a new
comment's answer of 2.5 KiB, 20 µs with a window of 4 KiB. A window at least as large as the
body finds every match a larger one would (the same bytes come out), so a body sent in one piece
gets the smallest such window, and hash tables sized to it; a streamed one keeps the default.
"""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.middleware import gzip
from starlette.types import Receive, Scope, Send


def window_bits(size: int) -> int:
    """The smallest deflate window (as zlib's wbits, 9 to 15) that holds `size` bytes."""
    return max(9, min(zlib.MAX_WBITS, size.bit_length()))


class _SizedResponder(gzip.GZipResponder):
    def _compress_body(self, body: bytes, more_body: bool) -> bytes:
        if self._compressor is None and not more_body:
            bits = window_bits(len(body))
            self._compressor = zlib.compressobj(
                self.compresslevel, zlib.DEFLATED, 16 + bits, max(1, min(8, bits - 6))
            )
        return super()._compress_body(body, more_body)


class GZipMiddleware(gzip.GZipMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            responder = _SizedResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
            await responder(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
