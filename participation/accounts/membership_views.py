"""Verifying memberships: members enter codes; managers list members, verify, print codes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts.verification import CodeProblem, VerificationService
from participation.areas.services import AreaService
from participation.errors import DomainError
from participation.forms import parse_id
from participation.i18n import gettext as _
from participation.moderation.access import area_to_moderate
from participation.templating import flash
from participation.web import (
    client_address,
    error_page,
    limiter,
    redirect,
    render,
    sign_in_redirect,
    signed_in_user,
    transaction,
    url,
)

CODE_LIMIT_ACCOUNT = "5/15 minutes"
CODE_LIMIT_CLIENT = "20/hour"


async def enter_code(request: Request) -> Response:
    write = request.method == "POST"
    code = ""
    error: CodeProblem | None = None
    status = 200
    user = await signed_in_user(request)
    if user is None:
        return sign_in_redirect(request)
    if write:
        code = str((await request.form()).get("code", ""))[:40]
        client = client_address(request)
        allowed = await limiter(request).hit(
            CODE_LIMIT_ACCOUNT, "code-account", str(user.id)
        ) and await limiter(request).hit(CODE_LIMIT_CLIENT, "code-client", client)
        if not allowed:
            error = CodeProblem(
                _("Too many codes were tried. Please wait a quarter of an hour and try again."),
                "limited",
            )
            status = 429
    async with transaction(request, write=write and error is None) as session:
        try:
            area = await AreaService(session).by_slug(request.path_params["slug"])
        except DomainError as problem:
            return error_page(request, problem)
        if write and error is None and request.state.user is not None:
            try:
                await VerificationService(session).redeem(request.state.user, area, code)
            except CodeProblem as problem:
                error, status = problem, 422
            except DomainError as problem:
                return error_page(request, problem)
            else:
                flash(
                    request,
                    _("Thank you! Your membership in %(area)s is verified.", area=area.name),
                )
                return redirect(url(request, "accounts.profile"))
    return render(
        request,
        "accounts/enter_code.html",
        {"area": area, "code": code, "error": error},
        status_code=status,
    )


async def members(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            service = VerificationService(session)
            people = await service.members(request.state.user, area)
        except DomainError as problem:
            if request.state.user is None:
                return sign_in_redirect(request)
            return error_page(request, problem)
        history = await service.history([m.id for m in people])
    return render(
        request,
        "accounts/members.html",
        {"area": area, "members": people, "history": history},
    )


async def verify_member(request: Request) -> Response:
    form = await request.form()
    membership_id = parse_id(form.get("membership"))
    verified = form.get("verified") == "1"
    async with transaction(request, write=True) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            await VerificationService(session).set_verified(
                request.state.user, area, membership_id or 0, verified=verified
            )
        except DomainError as problem:
            if request.state.user is None:
                return sign_in_redirect(request)
            return error_page(request, problem)
    flash(
        request,
        _("The membership is now verified.") if verified else _("The verification was withdrawn."),
    )
    return redirect(url(request, "accounts.members", slug=area.slug) + f"#member-{membership_id}")


async def codes(request: Request) -> Response:
    write = request.method == "POST"
    errors: dict[str, str] = {}
    values = {"count": "30", "valid_days": "90"}
    async with transaction(request, write=write) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            service = VerificationService(session)
            await service.require_manager(request.state.user, area)
        except DomainError as problem:
            if request.state.user is None:
                return sign_in_redirect(request)
            return error_page(request, problem)
        if write:
            form = await request.form()
            values = {k: str(form.get(k, ""))[:6] for k in values}
            count, days = parse_id(values["count"]), parse_id(values["valid_days"])
            try:
                batch = await service.generate(
                    request.state.user, area, count=count or 0, valid_days=days or 0
                )
            except DomainError as problem:
                errors[problem.field or "count"] = problem.message
            else:
                return render(request, "accounts/code_sheet.html", {"area": area, "batch": batch})
    return render(
        request,
        "accounts/codes.html",
        {"area": area, "values": values, "errors": errors},
        status_code=422 if errors else 200,
    )


routes = [
    Route("/areas/{slug}/verify", enter_code, name="accounts.enter_code", methods=["GET", "POST"]),
    Route("/areas/{slug}/manage/members", members, name="accounts.members"),
    Route(
        "/areas/{slug}/manage/members/verify",
        verify_member,
        name="accounts.verify_member",
        methods=["POST"],
    ),
    Route("/areas/{slug}/manage/codes", codes, name="accounts.codes", methods=["GET", "POST"]),
]
