"""Interface languages: the current locale, gettext, and Babel's formatting of dates and numbers."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_currency, format_decimal
from babel.support import LazyProxy, NullTranslations, Translations
from markupsafe import Markup

from participation import ROOT


@dataclass(frozen=True)
class Language:
    code: str
    direction: str  # "ltr" or "rtl"

    @property
    def native_name(self) -> str:
        return str(Locale.parse(self.code).get_display_name(self.code)).capitalize()


LANGUAGES: dict[str, Language] = {
    code: Language(code, direction)
    for code, direction in [("de", "ltr"), ("en", "ltr"), ("tr", "ltr"), ("ar", "rtl")]
}
"""Interface languages, in the order the language switcher shows them."""

DEFAULT_LOCALE = "de"

CONTENT_LANGUAGES = ["de", "tr", "ar", "en", "pl", "ru", "uk", "fa", "ku", "bs", "hr", "sr", "fr"]
"""Languages people may say their text is written in (more than the interface offers)."""

RTL_CONTENT_LANGUAGES = {"ar", "fa"}

LOCALES_DIR = ROOT / "locales"

BERLIN = ZoneInfo("Europe/Berlin")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


def set_locale(code: str) -> contextvars.Token[str]:
    return _current.set(code if code in LANGUAGES else DEFAULT_LOCALE)


def reset_locale(token: contextvars.Token[str]) -> None:
    _current.reset(token)


def get_locale() -> str:
    return _current.get()


def direction(code: str | None = None) -> str:
    code = code or get_locale()
    if code in LANGUAGES:
        return LANGUAGES[code].direction
    return "rtl" if code in RTL_CONTENT_LANGUAGES else "ltr"


@cache
def translations(code: str, directory: Path = LOCALES_DIR) -> NullTranslations:
    return Translations.load(str(directory), [code], domain="messages")


def gettext(message: str, **variables: Any) -> str:
    text = translations(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(get_locale()).ungettext(singular, plural, n)
    variables.setdefault("num", format_number(n))
    return text % variables


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """Translate when the text is shown, in the locale of that moment (for module-level texts)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def negotiate(accept_language: str | None) -> str | None:
    """Return the best interface language for an Accept-Language header, or None."""
    if not accept_language:
        return None
    preferred: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag:
            preferred.append((quality, tag.strip()))
    preferred.sort(key=lambda item: -item[0])
    tags = [tag.replace("-", "_") for _q, tag in preferred if _q > 0]
    best = Locale.negotiate(tags, list(LANGUAGES), sep="_")
    return str(best) if best else None


def format_number(value: float) -> str:
    if isinstance(value, int) and 0 <= value < 100_000:
        return _whole_number(value, get_locale())
    return format_decimal(value, locale=get_locale())


@lru_cache(maxsize=8192)
def _whole_number(value: int, locale: str) -> str:
    """Counts on the pages (supports, comments) in the current language's digits."""
    return format_decimal(value, locale=locale)


def format_euros(value: int) -> str:
    """An amount in whole euros, as the current language writes money (e.g. "1.500 €")."""
    pattern = Locale.parse(get_locale()).currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(value, "EUR", locale=get_locale(), format=pattern, currency_digits=False)


def format_calendar_day(value: date) -> str:
    """A calendar day (no time, no time zone) in the current language."""
    return format_date(value, format="long", locale=get_locale())


def format_day(value: datetime) -> str:
    """The day of a moment in Berlin, in the current language (e.g. "3. März 2026")."""
    return _long_date(value.astimezone(BERLIN).date(), get_locale())


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, format="long", locale=locale)


def format_moment(value: datetime) -> str:
    return format_datetime(value.astimezone(BERLIN), format="medium", locale=get_locale())


def format_age(value: datetime, now: datetime) -> str:
    """'3 days ago' in the current language."""
    return format_timedelta(
        value - now, granularity="minute", add_direction=True, locale=get_locale()
    )


def language_name(code: str, in_locale: str | None = None) -> str:
    return _language_name(code, in_locale or get_locale())


@cache
def _language_name(code: str, locale: str) -> str:
    try:
        name = Locale(locale).languages.get(code)
    except UnknownLocaleError:
        name = None
    return name or code


def language_options(selected: object) -> Markup:
    """The `<option>`s of a comment form's language: the languages people's texts may be
    written in, named in the interface language, `selected` chosen. Built once per interface
    language and choice: an idea page has a form in every thread, and rendering the options
    one by one was the largest part of rendering a comment's answer."""
    if selected not in CONTENT_LANGUAGES:
        selected = ""  # none chosen (a value not offered, from a form sent back)
    return _language_options(get_locale(), str(selected))


@cache
def _language_options(locale: str, selected: str) -> Markup:
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            code, Markup(" selected") if code == selected else "", _language_name(code, locale)
        )
        for code in CONTENT_LANGUAGES
    )
