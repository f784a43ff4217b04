"""Sign-up, sign-in, sign-out, the profile, and joining an area."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts.forms import JoinForm, SignInForm, SignUpForm
from participation.accounts.models import StakeholderRole
from participation.accounts.recovery import account_mails
from participation.accounts.services import AccountService
from participation.areas.services import AreaService
from participation.errors import Conflict, DomainError
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.security import safe_next
from participation.templating import flash
from participation.web import (
    client_address,
    error_page,
    limiter,
    redirect,
    render,
    sign_in,
    sign_in_redirect,
    sign_out,
    signed_in_user,
    transaction,
    url,
)

SIGNUP_LIMIT_ADDRESS = "3/hour"


async def signup(request: Request) -> Response:
    """Create an account; the answer is the same whether or not the address has one already."""
    if request.method != "POST":
        await signed_in_user(request)
        return render(request, "accounts/signup.html", {"form": SignUpForm()})
    form = await SignUpForm.from_request(request)
    if not form.validate():
        await signed_in_user(request)
        return render(request, "accounts/signup.html", {"form": form}, status_code=422)
    client = client_address(request)
    settings = request.app.state.settings
    allowed = await limiter(request).hit(
        settings.signup_client_rate_limit, "signup-client", client
    ) and await limiter(request).hit(SIGNUP_LIMIT_ADDRESS, "signup-address", form.email.data)
    if not allowed:
        await signed_in_user(request)
        form.add_error(
            "email", _("Too many sign-ups were tried just now. Please try again in an hour.")
        )
        return render(request, "accounts/signup.html", {"form": form}, status_code=429)
    if not form.is_robot:
        async with transaction(request, write=True) as session:
            accounts = AccountService(session)
            mails = account_mails(request, session)
            existing = await accounts.by_email(form.email.data)
            if existing is None:
                try:
                    user = await accounts.sign_up(
                        email=form.email.data,
                        display_name=form.display_name.data,
                        password=form.password.data,
                        locale=get_locale(),
                    )
                except Conflict:
                    pass  # signed up a moment ago by a request racing this one
                else:
                    await mails.verification(user)
            else:
                await mails.already_registered(existing)
    await signed_in_user(request)
    return render(request, "accounts/signup_done.html", {"email": form.email.data})


async def signin(request: Request) -> Response:
    fallback = url(request, "areas.home")
    if request.method == "GET":
        form = SignInForm(
            data={
                "next": request.query_params.get("next", ""),
                "email": request.query_params.get("email", "")[:254],
            }
        )
        return render(request, "accounts/signin.html", {"form": form})
    form = await SignInForm.from_request(request)
    error = None
    limited = False
    if form.validate():
        settings = request.app.state.settings
        client = client_address(request)
        allowed = await limiter(request).hit(
            settings.signin_rate_limit, "signin-address", form.email.data
        ) and await limiter(request).hit(settings.signin_client_rate_limit, "signin-client", client)
        if not allowed:
            limited = True
            error = _("Too many sign-in attempts. Please wait a few minutes and try again.")
        else:
            async with transaction(request, write=True) as session:
                user = await AccountService(session).authenticate(
                    form.email.data, form.password.data
                )
            if user is not None:
                sign_in(request, user)
                flash(request, _("You are signed in."))
                return redirect(safe_next(form.next.data, fallback))
            error = _("The e-mail address or the password is not right.")
    return render(
        request,
        "accounts/signin.html",
        {"form": form, "error": error},
        status_code=429 if limited else 422,
    )


async def signout(request: Request) -> Response:
    sign_out(request)
    flash(request, _("You are signed out."))
    return redirect(url(request, "areas.home"))


async def join(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        try:
            area = await AreaService(session).by_slug(request.path_params["slug"])
        except DomainError as error:
            return error_page(request, error)
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        accounts = AccountService(session)
        membership = await accounts.membership(user, area)
        if write:
            form = await JoinForm.from_request(request)
            if form.validate():
                try:
                    await accounts.join(user, area, [StakeholderRole(r) for r in form.roles.data])
                except DomainError as error:
                    if error.field is None:
                        return error_page(request, error)
                    form.add_error(error.field, error.message)
                else:
                    if membership is None:
                        message = _("Welcome! You can now take part in %(area)s.", area=area.name)
                        flash(request, message)
                    else:
                        flash(request, _("Your changes have been saved."))
                    return redirect(url(request, "areas.detail", slug=area.slug))
        else:
            roles = [r.role.value for r in membership.roles] if membership else []
            form = JoinForm(data={"roles": roles})
    return render(
        request,
        "accounts/join.html",
        {"area": area, "form": form, "membership": membership},
        status_code=422 if write else (200 if area.is_active else 403),
    )


routes = [
    Route("/signup", signup, name="accounts.signup", methods=["GET", "POST"]),
    Route("/signin", signin, name="accounts.signin", methods=["GET", "POST"]),
    Route("/signout", signout, name="accounts.signout", methods=["POST"]),
    Route("/areas/{slug}/join", join, name="accounts.join", methods=["GET", "POST"]),
]
