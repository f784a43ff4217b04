"""The profile: name and language, e-mail address, password, signing out everywhere."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from participation.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ProfileForm,
)
from participation.accounts.oidc import IdentityService
from participation.accounts.privacy import PrivacyService
from participation.accounts.recovery import account_mails
from participation.accounts.services import AccountService
from participation.areas.services import AreaService
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.templating import flash
from participation.web import redirect, render, sign_in, sign_in_redirect, transaction, url


async def profile(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        accounts = AccountService(session)
        if write:
            form = await ProfileForm.from_request(request)
            if form.validate():
                await accounts.update_profile(
                    user, display_name=form.display_name.data, locale=form.preferred_locale.data
                )
                flash(request, _("Your changes have been saved."))
                return redirect(url(request, "accounts.profile"))
        else:
            form = ProfileForm(
                data={"display_name": user.display_name, "preferred_locale": user.preferred_locale}
            )
        memberships = await accounts.memberships(user)
        areas = {a.id: a for a in await AreaService(session).all()}
        identities = await IdentityService(session).identities(user)
        managed = (
            {a.id for a in areas.values()}
            if user.is_admin
            else await accounts.managed_area_ids(user)
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "areas": areas,
            "identities": identities,
            "managed": managed,
        },
        status_code=422 if form.errors else 200,
    )


async def change_email(request: Request) -> Response:
    write = request.method == "POST"
    form = await ChangeEmailForm.from_request(request) if write else ChangeEmailForm()
    async with transaction(request, write=write) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        if write and form.validate():
            try:
                old = await AccountService(session).change_email(
                    user, form.email.data, form.password.data
                )
            except DomainError as error:
                form.add_error(error.field or "email", error.message)
            else:
                mails = account_mails(request, session)
                await mails.verification(user)
                await mails.email_changed(user, old)
                flash(
                    request,
                    _(
                        "Your e-mail address has been changed. Please confirm it with the link "
                        "we have sent to the new address."
                    ),
                )
                return redirect(url(request, "accounts.profile"))
    return render(
        request, "accounts/change_email.html", {"form": form}, status_code=422 if write else 200
    )


async def change_password(request: Request) -> Response:
    write = request.method == "POST"
    form = await ChangePasswordForm.from_request(request) if write else ChangePasswordForm()
    async with transaction(request, write=write) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        if write and form.validate():
            try:
                await AccountService(session).change_password(
                    user, form.current_password.data, form.password.data
                )
            except DomainError as error:
                form.add_error(error.field or "password", error.message)
            else:
                sign_in(request, user)  # this device stays signed in; all others are signed out
                flash(request, _("Your new password is set. Other devices have been signed out."))
                return redirect(url(request, "accounts.profile"))
    return render(
        request,
        "accounts/change_password.html",
        {"form": form},
        status_code=422 if write else 200,
    )


async def sign_out_everywhere(request: Request) -> Response:
    async with transaction(request, write=True) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        await AccountService(session).sign_out_everywhere(user)
    request.session.clear()
    flash(request, _("You have been signed out on all devices."))
    return redirect(url(request, "accounts.signin"))


async def download_data(request: Request) -> Response:
    async with transaction(request) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        data = await PrivacyService(session).export(user)
    return JSONResponse(
        data,
        headers={
            "content-disposition": 'attachment; filename="my-data.json"',
            "cache-control": "no-store",
        },
    )


async def delete_account(request: Request) -> Response:
    write = request.method == "POST"
    form = await DeleteAccountForm.from_request(request) if write else DeleteAccountForm()
    async with transaction(request, write=write) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        if write and form.validate():
            if not await AccountService(session).check_password(user, form.password.data):
                form.add_error("password", _("This is not your current password."))
            else:
                await PrivacyService(session).erase(
                    user, remove_contributions=form.contributions.data == "remove"
                )
                request.session.clear()
                flash(request, _("Your account has been deleted. Thank you for taking part."))
                return redirect(url(request, "areas.home"))
    return render(
        request, "accounts/delete.html", {"form": form}, status_code=422 if write else 200
    )


routes = [
    Route("/profile", profile, name="accounts.profile", methods=["GET", "POST"]),
    Route("/profile/email", change_email, name="accounts.email", methods=["GET", "POST"]),
    Route("/profile/password", change_password, name="accounts.password", methods=["GET", "POST"]),
    Route("/profile/data", download_data, name="accounts.data"),
    Route("/profile/delete", delete_account, name="accounts.delete", methods=["GET", "POST"]),
    Route(
        "/profile/sign-out-everywhere",
        sign_out_everywhere,
        name="accounts.signout_everywhere",
        methods=["POST"],
    ),
]
