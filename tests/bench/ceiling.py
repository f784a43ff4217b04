"""The ceiling of the benchmark: a bare Starlette application answering a fixed 5 KB page.

Served with the same server and worker settings as the app, it shows what the machine, the
server and the load generator can do at most; the app's numbers are given as ratios to it.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

_ROW = "<p>Mitmachen im Kiez: Ideen, Kommentare und Abstimmungen im Quartier.</p>\n"
_HEAD = (
    '<!doctype html>\n<html lang="de">\n<head><meta charset="utf-8"><title>Kiez</title></head>\n'
    "<body>\n"
)
_TAIL = "</body>\n</html>\n"
PAGE = _HEAD + _ROW * ((5 * 1024 - len(_HEAD) - len(_TAIL)) // len(_ROW) + 1) + _TAIL
"""About 5 KB of HTML."""


async def page(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE)


app = Starlette(routes=[Route("/", page)])
