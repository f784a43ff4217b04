"""Home page and area pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.areas.services import AreaService
from participation.concepts.eligibility import area_standing
from participation.concepts.process import ProcessService
from participation.concepts.services import ConceptService
from participation.errors import DomainError
from participation.ideas.services import IdeaService
from participation.web import error_page, render, transaction

LATEST_IDEAS = 5
"""How many of its newest ideas the area page shows."""


async def home(request: Request) -> Response:
    async with transaction(request) as session:
        areas = await AreaService(session).all()
    return render(request, "areas/home.html", {"areas": areas})


async def area_detail(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            area, standing = await area_standing(
                session, request.state.user, slug=request.path_params["slug"]
            )
        except DomainError as error:
            return error_page(request, error)
        concept, status = None, None
        current = await ConceptService(session).current_with_process(area)
        if current is not None:
            concept, process = current
            eligibility = standing.eligibility(area, process)
            status = ProcessService.status_of(process, area, eligibility)
        latest = await IdeaService(session).latest(area, LATEST_IDEAS)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "concept": concept,
            "status": status,
            "latest": latest,
            "viewer": standing.viewer,
        },
    )


routes = [
    Route("/", home, name="areas.home"),
    Route("/areas/{slug}", area_detail, name="areas.detail"),
]
