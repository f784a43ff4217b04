"""Sign-in through an OpenID Connect provider (e.g. a district's single sign-on) with Authlib.

Discovery, PKCE, state and nonce are handled by Authlib; this module decides which account a
provider's person is: the one linked before, else the account with the same confirmed e-mail
address, else a new account.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import i18n
from participation.accounts.models import ExternalIdentity, User
from participation.accounts.services import AccountService
from participation.db import utcnow
from participation.i18n import LANGUAGES, get_locale
from participation.i18n import gettext as _
from participation.security import safe_next
from participation.settings import Settings
from participation.templating import flash
from participation.web import redirect, render, sign_in, transaction, url

log = logging.getLogger(__name__)

NAME_MAX = 60


class ProviderProblem(Exception):
    """The provider did not give what sign-in needs (e.g. no confirmed e-mail address)."""


def make_client(settings: Settings) -> OAuth | None:
    """The Authlib client for the configured provider, or None when none is configured."""
    if not settings.oidc_enabled:
        return None
    oauth = OAuth()
    oauth.register(
        "provider",
        client_id=settings.oidc_client_id,
        client_secret=str(settings.oidc_client_secret or ""),
        server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )
    return oauth


class IdentityService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def account_for(self, issuer: str, claims: dict[str, Any], locale: str) -> User:
        """Return the account of the provider's person, linking or creating it."""
        subject = str(claims.get("sub") or "")
        if not subject:
            raise ProviderProblem
        identity = (
            await self.session.execute(
                select(ExternalIdentity).where(
                    ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
                )
            )
        ).scalar_one_or_none()
        if identity is not None:
            identity.last_used_at = utcnow()
            user = await self.session.get(User, identity.user_id)
            if user is None:
                raise ProviderProblem
            return user
        email = str(claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is not True:
            raise ProviderProblem
        accounts = AccountService(self.session)
        user = await accounts.by_email(email)
        if user is None:
            name = str(claims.get("name") or claims.get("preferred_username") or "").strip()
            user = User(
                email=email,
                display_name=(name or email.split("@")[0])[:NAME_MAX],
                password_hash=None,
                preferred_locale=locale if locale in LANGUAGES else "de",
                email_verified_at=utcnow(),
            )
            self.session.add(user)
            await self.session.flush()
        elif user.email_verified_at is None:
            # Someone registered this address without confirming it; the provider has now
            # confirmed it belongs to this person, so whoever registered it loses access.
            user.password_hash = None
            user.session_epoch += 1
            user.email_verified_at = utcnow()
        self.session.add(
            ExternalIdentity(user_id=user.id, issuer=issuer, subject=subject, last_used_at=utcnow())
        )
        await self.session.flush()
        return user

    async def identities(self, user: User) -> list[ExternalIdentity]:
        result = await self.session.execute(
            select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
        )
        return list(result.scalars())


def _client(request: Request) -> Any:
    oauth: OAuth | None = request.app.state.oauth
    return oauth.provider if oauth is not None else None


def _problem(request: Request, message: str, status_code: int) -> Response:
    return render(
        request, "accounts/oidc_problem.html", {"message": message}, status_code=status_code
    )


async def start(request: Request) -> Response:
    client = _client(request)
    if client is None:
        return _problem(request, _("Signing in with another service is not set up here."), 404)
    settings: Settings = request.app.state.settings
    request.session["oidc_locale"] = get_locale()
    request.session["oidc_next"] = request.query_params.get("next", "")
    callback = settings.base_url + str(request.app.url_path_for("accounts.oidc_callback"))
    try:
        response: Response = await client.authorize_redirect(request, callback)
    except (httpx.HTTPError, OAuthError, ValueError) as error:
        log.warning("sign-in provider unreachable: %s", error)
        return _problem(
            request,
            _("The sign-in service cannot be reached at the moment. Please try again later."),
            502,
        )
    return response


async def callback(request: Request) -> Response:
    """The provider sends the person back here, outside any language prefix."""
    locale = request.session.get("oidc_locale", "de")
    token_locale = i18n.set_locale(locale if locale in LANGUAGES else "de")
    try:
        return await _callback(request)
    finally:
        i18n.reset_locale(token_locale)


async def _callback(request: Request) -> Response:
    client = _client(request)
    if client is None:
        return _problem(request, _("Signing in with another service is not set up here."), 404)
    settings: Settings = request.app.state.settings
    try:
        token = await client.authorize_access_token(request)
    except (OAuthError, JoseError, httpx.HTTPError, ValueError, KeyError) as error:
        log.warning("sign-in through the provider failed: %s", error)
        return _problem(
            request,
            _(
                "Signing in with the other service did not work. Please try again, or sign in "
                "with your e-mail address and password."
            ),
            400,
        )
    claims = dict(token.get("userinfo") or {})
    async with transaction(request, write=True) as session:
        try:
            user = await IdentityService(session).account_for(
                settings.oidc_issuer, claims, get_locale()
            )
        except ProviderProblem:
            return _problem(
                request,
                _(
                    "The sign-in service did not confirm an e-mail address for you, so we cannot "
                    "sign you in with it. Please sign up with your e-mail address instead."
                ),
                400,
            )
    next_path = str(request.session.get("oidc_next") or "")
    sign_in(request, user)
    flash(request, _("You are signed in."))
    return redirect(safe_next(next_path, url(request, "areas.home")))


routes = [Route("/signin/provider", start, name="accounts.oidc_start")]
callback_routes = [Route("/oidc/callback", callback, name="accounts.oidc_callback")]
