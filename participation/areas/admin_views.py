"""The district office's page for appointing and removing quarter managers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.areas.managers import ManagerService
from participation.areas.services import AreaService
from participation.errors import DomainError, SignInRequired
from participation.forms import parse_id
from participation.i18n import gettext as _
from participation.templating import flash
from participation.web import error_page, redirect, render, transaction, url


async def managers(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            teams = await ManagerService(session).teams(request.state.user)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "admin/managers.html", {"teams": teams, "errors": {}, "emails": {}})


async def change(request: Request) -> Response:
    form = await request.form()
    slug = str(form.get("area", ""))
    email = str(form.get("email", "")).strip()[:254]
    remove_id = parse_id(form.get("remove"))
    async with transaction(request, write=True) as session:
        service = ManagerService(session)
        try:
            area = await AreaService(session).by_slug(slug)
            if remove_id is not None:
                await service.remove(request.state.user, area, remove_id)
                flash(request, _("The manager was removed."))
            else:
                user = await service.appoint(request.state.user, area, email)
                flash(
                    request,
                    _("%(name)s now manages %(area)s.", name=user.display_name, area=area.name),
                )
        except SignInRequired as error:
            return error_page(request, error)
        except DomainError as error:
            if error.field != "email":
                return error_page(request, error)
            teams = await service.teams(request.state.user)
            return render(
                request,
                "admin/managers.html",
                {"teams": teams, "errors": {slug: error.message}, "emails": {slug: email}},
                status_code=422,
            )
    return redirect(url(request, "admin.managers") + f"#area-{slug}")


routes = [
    Route("/admin/managers", managers, name="admin.managers"),
    Route("/admin/managers", change, name="admin.managers_change", methods=["POST"]),
]
