"""Rules shared by concepts and proposals: texts that managers write in several languages
(vision, profile, names, proposals), the fund limits in words, periods and days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from participation.areas.models import Area, Concept
from participation.concepts.models import Fund
from participation.db import utcnow
from participation.errors import Conflict, Forbidden
from participation.i18n import BERLIN, CONTENT_LANGUAGES, DEFAULT_LOCALE, format_number
from participation.i18n import gettext as _

AMOUNT_MAX = 100_000_000
"""EUR; far above any QM fund, below the database integer's limit."""

Errors = dict[str, str]
"""Form field name -> translated message, in the order the page shows the fields."""


class Invalid(Conflict):
    """Several rules were broken at once; `errors` says which field broke which rule. Nothing
    has been written."""

    def __init__(self, errors: Errors) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def clean_texts(texts: Mapping[str, str]) -> dict[str, str]:
    """The trimmed, non-empty texts per language, in the order of CONTENT_LANGUAGES; raise
    Conflict for a language that is not offered."""
    unknown = set(texts) - set(CONTENT_LANGUAGES)
    if unknown:
        raise Conflict(_("Please choose a language from the list."))
    cleaned = {code: (texts.get(code) or "").strip() for code in CONTENT_LANGUAGES}
    return {code: text for code, text in cleaned.items() if text}


def check_lengths(errors: Errors, name: str, texts: Mapping[str, str], max_length: int) -> None:
    """Add an error for each language whose text is longer than `max_length` characters."""
    for code, text in texts.items():
        if len(text) > max_length:
            errors.setdefault(
                f"{name}_{code}", _("Please write at most %(max)d characters.", max=max_length)
            )


def require_german(errors: Errors, name: str, texts: Mapping[str, str], message: str) -> None:
    """German is the language every text falls back to, so it must be there."""
    if DEFAULT_LOCALE not in texts:
        errors.setdefault(f"{name}_{DEFAULT_LOCALE}", message)


def amount_problem(fund: Fund, amount: int | None) -> str | None:
    """Why the amount does not fit the fund (translated, naming the limit), or None."""
    lowest, highest = fund.limits
    if amount is None:
        return None if fund is Fund.NONE else _("Please enter the amount in EUR.")
    if amount < 1:
        return _("Please enter a positive amount in whole euros.")
    if amount > AMOUNT_MAX:
        return _("Please enter at most %(amount)s EUR.", amount=format_number(AMOUNT_MAX))
    if highest is not None and amount > highest and fund is Fund.ACTION:
        return _(
            "The Aktionsfonds pays at most %(amount)s EUR per action.",
            amount=format_number(highest),
        )
    if lowest is not None and amount < lowest:
        if fund is Fund.PROJECT:
            return _("The Projektfonds starts at %(amount)s EUR.", amount=format_number(lowest))
        if fund is Fund.BUILDING:
            return _("The Baufonds starts at %(amount)s EUR.", amount=format_number(lowest))
    return None


def today() -> date:
    """Today in Berlin, the day the QM offices live in."""
    return utcnow().astimezone(BERLIN).date()


def period(concept: Concept) -> str:
    return f"{concept.first_year}–{concept.last_year}"


def require_active(area: Area) -> None:
    """New concepts and proposals only in an active area; the others are an archive."""
    if not area.is_active:
        raise Forbidden(_("This area is in consolidation. Its pages stay readable as an archive."))
