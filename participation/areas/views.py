"""Home page and area pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.areas.services import AreaService
from participation.errors import DomainError
from participation.ideas.services import IdeaFilter, IdeaService
from participation.web import error_page, render, transaction


async def home(request: Request) -> Response:
    async with transaction(request) as session:
        areas = await AreaService(session).all()
    return render(request, "areas/home.html", {"areas": areas})


async def area_detail(request: Request) -> Response:
    async with transaction(request) as session:
        areas = AreaService(session)
        try:
            area = await areas.by_slug(request.path_params["slug"])
        except DomainError as error:
            return error_page(request, error)
        concept = await areas.current_concept(area)
        ideas = IdeaService(session)
        viewer = await ideas.viewer(request.state.user, area)
        latest = await ideas.find(area, IdeaFilter(), per_page=5)
    return render(
        request,
        "areas/detail.html",
        {"area": area, "concept": concept, "latest": latest, "viewer": viewer},
    )


routes = [
    Route("/", home, name="areas.home"),
    Route("/areas/{slug}", area_detail, name="areas.detail"),
]
