"""Path convertors used in route paths: `{locale:lang}`, `{name:id}` and `{kind:kind}`.

Starlette compiles a route's path when the route is created, so the convertors are registered
when this module is imported; every module with routes imports it first.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from participation.i18n import LANGUAGES


class LanguageConvertor(Convertor[str]):
    """An interface language code."""

    regex = "|".join(LANGUAGES)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class IdConvertor(Convertor[int]):
    """A database id: digits that fit a 64-bit integer (longer ones are not found)."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class KindConvertor(Convertor[str]):
    """What moderation acts on: an idea or a comment."""

    regex = "idea|comment"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("lang", LanguageConvertor())
register_url_convertor("kind", KindConvertor())
register_url_convertor("id", IdConvertor())
