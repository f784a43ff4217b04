"""E-mail verification and password reset: the links sent by mail, and asking for new ones."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from participation.accounts.mails import AccountMails
from participation.accounts.services import AccountService
from participation.accounts.tokens import TokenExpired, TokenInvalid, Tokens
from participation.i18n import gettext as _
from participation.templating import flash
from participation.web import (
    absolute_link,
    client_address,
    limiter,
    redirect,
    render,
    renderer,
    sign_in_redirect,
    signed_in_user,
    transaction,
    url,
)

RESEND_LIMIT = "3/hour"
FORGOT_LIMIT = "5/hour"


def tokens(request: Request) -> Tokens:
    found: Tokens = request.app.state.tokens
    return found


def account_mails(request: Request, session: AsyncSession) -> AccountMails:
    return AccountMails(session, renderer(request), tokens(request), absolute_link(request))


def link_problem(request: Request, *, expired: bool, kind: str, status_code: int = 400) -> Response:
    """The page for a link that is too old, changed or used, with the next step to take."""
    return render(
        request,
        "accounts/link_problem.html",
        {"expired": expired, "kind": kind},
        status_code=status_code,
    )


async def verify(request: Request) -> Response:
    try:
        user_id, email = tokens(request).read_verification(request.path_params["token"])
    except TokenExpired:
        async with transaction(request):
            return link_problem(request, expired=True, kind="verify")
    except TokenInvalid:
        async with transaction(request):
            return link_problem(request, expired=False, kind="verify")
    async with transaction(request, write=True) as session:
        try:
            user = await AccountService(session).verify_email(user_id, email)
        except TokenInvalid:
            return link_problem(request, expired=False, kind="verify")
        signed_in = request.state.user is not None and request.state.user.id == user.id
    flash(request, _("Thank you! Your e-mail address is confirmed."))
    if signed_in:
        return redirect(url(request, "accounts.profile"))
    return redirect(url(request, "accounts.signin") + "?" + urlencode({"email": email}))


async def resend(request: Request) -> Response:
    # Rate limits are counted in their own transaction, never inside a write transaction.
    user = await signed_in_user(request)
    if user is None:
        return sign_in_redirect(request)
    if user.email_verified_at is not None:
        flash(request, _("Your e-mail address is already confirmed."), "info")
    elif not await limiter(request).hit(RESEND_LIMIT, "verify-resend", str(user.id)):
        flash(
            request,
            _("We have sent you several links just now. Please wait an hour and try again."),
            "info",
        )
    else:
        async with transaction(request, write=True) as session:
            if request.state.user is not None:
                await account_mails(request, session).verification(request.state.user)
        flash(request, _("We have sent you a new link. Please look in your mailbox."))
    return redirect(url(request, "accounts.profile"))


async def forgot(request: Request) -> Response:
    write = request.method == "POST"
    form = await ForgotPasswordForm.from_request(request) if write else ForgotPasswordForm()
    if write and form.validate():
        client = client_address(request)
        allowed = await limiter(request).hit(
            FORGOT_LIMIT, "forgot-address", form.email.data
        ) and await limiter(request).hit(FORGOT_LIMIT, "forgot-client", client)
        async with transaction(request, write=allowed) as session:
            if allowed:
                user = await AccountService(session).by_email(form.email.data)
                if user is not None:
                    await account_mails(request, session).password_reset(user)
            # The same answer whether or not the address has an account.
            return render(request, "accounts/forgot_sent.html", {"email": form.email.data})
    await signed_in_user(request)
    return render(
        request, "accounts/forgot.html", {"form": form}, status_code=422 if write else 200
    )


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        user_id, state = tokens(request).read_reset(token)
    except (TokenExpired, TokenInvalid) as error:
        async with transaction(request):
            return link_problem(request, expired=isinstance(error, TokenExpired), kind="reset")
    write = request.method == "POST"
    form = await ResetPasswordForm.from_request(request) if write else ResetPasswordForm()
    async with transaction(request, write=write) as session:
        accounts = AccountService(session)
        user = await accounts.get(user_id)
        if user is None or not Tokens.reset_still_valid(user, state):
            return link_problem(request, expired=False, kind="reset")
        if write and form.validate():
            await accounts.reset_password(user_id, state, form.password.data)
            request.session.clear()
            flash(
                request,
                _("Your new password is set. You have been signed out everywhere; please sign in."),
            )
            return redirect(url(request, "accounts.signin"))
    return render(
        request,
        "accounts/reset.html",
        {"form": form, "token": token},
        status_code=422 if write else 200,
    )


routes = [
    Route("/verify/{token}", verify, name="accounts.verify"),
    Route("/verify", resend, name="accounts.resend", methods=["POST"]),
    Route("/password/forgot", forgot, name="accounts.forgot", methods=["GET", "POST"]),
    Route("/password/reset/{token}", reset, name="accounts.reset", methods=["GET", "POST"]),
]
