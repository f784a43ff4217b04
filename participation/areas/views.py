"""Home page and area pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.areas.services import AreaService
from participation.concepts.process import ProcessService
from participation.errors import DomainError
from participation.ideas.services import IdeaFilter, IdeaService
from participation.web import error_page, render, transaction


async def home(request: Request) -> Response:
    async with transaction(request) as session:
        areas = await AreaService(session).all()
    return render(request, "areas/home.html", {"areas": areas})


async def area_detail(request: Request) -> Response:
    async with transaction(request) as session:
        ideas = IdeaService(session)
        try:
            area, viewer = await ideas.area_for(request.path_params["slug"], request.state.user)
        except DomainError as error:
            return error_page(request, error)
        concept = await AreaService(session).current_concept(area)
        status = (
            await ProcessService(session).status(concept, request.state.user)
            if concept is not None
            else None
        )
        latest = await ideas.find(area, IdeaFilter(), per_page=5)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "concept": concept,
            "status": status,
            "latest": latest,
            "viewer": viewer,
        },
    )


routes = [
    Route("/", home, name="areas.home"),
    Route("/areas/{slug}", area_detail, name="areas.detail"),
]
