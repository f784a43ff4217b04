"""The audit log for managers (page and CSV) and the public page on how moderation works."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date

from babel.dates import format_skeleton
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.errors import DomainError
from participation.i18n import get_locale, ngettext
from participation.i18n import lazy_gettext as _l
from participation.moderation.access import area_to_moderate, is_moderator
from participation.moderation.audit import AuditService, parse_filter
from participation.moderation.models import Action, Reason
from participation.text import spreadsheet_safe
from participation.web import error_page, query_int, render, transaction

"""Spreadsheets run a cell starting with one of these as a formula (CSV injection)."""

CSV_HEADER = [
    "created_at",
    "actor",
    "action",
    "idea_id",
    "comment_id",
    "item",
    "category",
    "reason",
]


ACTION_LABELS = {
    Action.HIDE: _l("Hidden"),
    Action.AUTO_HIDE: _l("Hidden automatically after reports"),
    Action.RESTORE: _l("Restored"),
    Action.DISMISS: _l("Reports dismissed"),
    Action.REDACT: _l("Text redacted"),
    Action.APPROVE: _l("Approved for publication"),
    Action.REVIEW_REQUESTED: _l("Review requested by the author"),
    Action.KEEP_HIDDEN: _l("Kept hidden after review"),
    Action.BLOCK: _l("Member blocked"),
    Action.UNBLOCK: _l("Block lifted"),
    Action.ANSWER: _l("Official answer"),
    Action.INTAKE: _l("Idea entered on someone's behalf"),
    Action.SETTINGS: _l("Moderation settings changed"),
    Action.CONCEPT: _l("Concept, proposals or process changed"),
    Action.APPOINT: _l("Manager appointed"),
    Action.REMOVE_MANAGER: _l("Manager removed"),
}

REASON_LABELS = {
    Reason.SPAM: _l("Spam"),
    Reason.INSULT: _l("Insult or hate"),
    Reason.PERSONAL_DATA: _l("Personal data"),
    Reason.OFF_TOPIC: _l("Off topic"),
    Reason.OTHER: _l("Other reason"),
}


def month_name(month: date) -> str:
    """'November 2026' in the current language."""
    return format_skeleton("yMMMM", month, locale=get_locale())


async def log(request: Request) -> Response:
    flt = parse_filter(request.query_params)
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            page = await AuditService(session).entries(
                request.state.user, area, flt, query_int(request, "page") or 1
            )
        except DomainError as error:
            return error_page(request, error)
    return render(
        request,
        "moderation/log.html",
        {
            "area": area,
            "page": page,
            "filter": flt,
            "action_labels": ACTION_LABELS,
            "reason_labels": REASON_LABELS,
            "month_value": f"{flt.month:%Y-%m}" if flt.month else "",
            "announcement": ngettext("%(num)s entry found.", "%(num)s entries found.", page.total),
        },
        block="results",
    )


async def log_csv(request: Request) -> Response:
    flt = parse_filter(request.query_params)
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            entries = await AuditService(session).csv_rows(request.state.user, area, flt)
        except DomainError as error:
            return error_page(request, error)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    entry.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    entry.actor_name,
                    entry.action.value,
                    entry.idea_id or "",
                    entry.comment_id or "",
                    entry.item_label,
                    entry.category.value if entry.category else "",
                    entry.reason,
                )
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="moderation-log-{area.slug}.csv"',
            "cache-control": "no-store",
        },
    )


async def statistics(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
        except DomainError as error:
            return error_page(request, error)
        months = await AuditService(session).monthly_counts(area)
        can_moderate = await is_moderator(session, request.state.user, area)
    return render(
        request,
        "moderation/statistics.html",
        {
            "area": area,
            "months": months,
            "month_name": month_name,
            "can_moderate": can_moderate,
        },
    )


routes = [
    Route("/areas/{slug}/moderation/log", log, name="moderation.log"),
    Route("/areas/{slug}/moderation/log.csv", log_csv, name="moderation.log_csv"),
    Route("/areas/{slug}/moderation/statistics", statistics, name="moderation.statistics"),
]
