"""Open data: areas and their ideas as JSON and CSV, with no personal data but display names."""

from __future__ import annotations

import csv
import io
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from participation.areas.models import Area
from participation.areas.services import AreaService
from participation.errors import DomainError
from participation.i18n import set_locale
from participation.ideas.forms import parse_filter
from participation.ideas.models import Idea
from participation.ideas.services import IdeaService
from participation.templating import translated
from participation.text import spreadsheet_safe
from participation.web import query_int, transaction

API_PER_PAGE = 50
API_MAX_PER_PAGE = 200


def area_json(request: Request, area: Area) -> dict[str, Any]:
    return {
        "slug": area.slug,
        "name": area.name,
        "status": area.status.value,
        "description": area.description,
        "idea_count": area.idea_count,
        "ideas_url": str(request.url_for("api.ideas", slug=area.slug)),
        "url": str(request.url_for("areas.detail", locale="de", slug=area.slug)),
    }


def idea_json(request: Request, idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.id,
        "title": idea.title,
        "body": idea.body,
        "language": idea.language,
        "place": idea.place,
        "field_of_action": {"key": idea.field.key, "name": idea.field.name},
        "status": idea.status.value,
        # Ideas collected on paper are entered by the QM office; the manager is not the author.
        "author": _author(idea),
        "submitted_by_office": idea.submitted_by_office,
        "supports": idea.support_count,
        "comments": idea.comment_count,
        "created_at": idea.created_at.isoformat(timespec="seconds"),
        "url": str(request.url_for("ideas.detail", locale="de", idea_id=idea.id)),
    }


def not_found(error: DomainError) -> JSONResponse:
    return JSONResponse({"error": error.message}, status_code=error.status_code)


async def areas(request: Request) -> Response:
    set_locale("en")
    async with transaction(request) as session:
        items = await AreaService(session).all()
    return JSONResponse({"areas": [area_json(request, a) for a in items]})


async def _ideas_page(request: Request) -> tuple[Area, Any] | DomainError:
    set_locale("en")
    per_page = min(query_int(request, "per_page") or API_PER_PAGE, API_MAX_PER_PAGE)
    async with transaction(request) as session:
        try:
            area = await AreaService(session).by_slug(request.path_params["slug"])
        except DomainError as error:
            return error
        page = await IdeaService(session).find(
            area, parse_filter(request.query_params), per_page=per_page
        )
    return area, page


async def ideas(request: Request) -> Response:
    result = await _ideas_page(request)
    if isinstance(result, DomainError):
        return not_found(result)
    area, page = result
    base = str(request.url_for("api.ideas", slug=area.slug))
    query = dict(request.query_params)

    def link(number: int) -> str:
        return base + "?" + "&".join(f"{k}={v}" for k, v in {**query, "page": number}.items())

    return JSONResponse(
        {
            "area": area.slug,
            "page": page.number,
            "per_page": page.per_page,
            "pages": page.pages,
            "total": page.total,
            "next": link(page.number + 1) if page.has_next else None,
            "previous": link(page.number - 1) if page.has_previous else None,
            "ideas": [idea_json(request, i) for i in page.items],
        }
    )


def _author(idea: Idea) -> str | None:
    if idea.submitted_by_office or idea.author is None:
        return None
    return idea.author.display_name


async def ideas_csv(request: Request) -> Response:
    result = await _ideas_page(request)
    if isinstance(result, DomainError):
        return not_found(result)
    area, page = result
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "title",
            "language",
            "field_of_action",
            "status",
            "author",
            "supports",
            "comments",
            "created_at",
            "place",
        ]
    )
    for idea in page.items:
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                idea.id,
                idea.title,
                idea.language,
                translated(idea.field.name),
                idea.status.value,
                _author(idea) or "",
                idea.support_count,
                idea.comment_count,
                idea.created_at.isoformat(timespec="seconds"),
                idea.place or "",
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="ideas-{area.slug}-{page.number}.csv"'
        },
    )


routes = [
    Route("/api/areas", areas, name="api.areas"),
    Route("/api/areas/{slug}/ideas", ideas, name="api.ideas"),
    Route("/api/areas/{slug}/ideas.csv", ideas_csv, name="api.ideas_csv"),
]
