"""People's text as safe HTML: escaped, paragraphs kept, web links made clickable."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from linkify_it import LinkifyIt
from markupsafe import Markup, escape

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


@cache
def _linkify() -> LinkifyIt:
    return LinkifyIt()


_MAY_LINK = re.compile(r"[:@]|\.[^\W\d_]")
"""What every link that linkify finds contains: a scheme or an e-mail's @, or a dot followed
by a letter (the top-level domain of "example.org"). A line without it has no link, and
skipping the matcher there made long comment threads render several times faster."""


def _inline(text: str) -> Markup:
    if not _MAY_LINK.search(text):
        return escape(text)
    matches = _linkify().match(text) or []
    out = Markup()
    cursor = 0
    for match in matches:
        url = match.url
        if not url.lower().startswith(_ALLOWED_SCHEMES):
            continue
        out += escape(text[cursor : match.index])
        out += Markup('<a href="{}" rel="nofollow ugc noopener noreferrer">{}</a>').format(
            url, text[match.index : match.last_index]
        )
        cursor = match.last_index
    out += escape(text[cursor:])
    return out


@lru_cache(maxsize=4096)
def render_text(text: str) -> Markup:
    """Return paragraphs of escaped text with line breaks and safe links (the same text gives
    the same HTML: the most recent ones are kept, as pages show them again and again)."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(_inline(line) for line in p.split("\n")))
        for p in paragraphs
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """The value for a CSV cell, text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
