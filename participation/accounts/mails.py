"""Mails of the account life cycle, written to the outbox in the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.accounts.tokens import Tokens
from participation.db import utcnow
from participation.notifications.services import Mail, enqueue
from participation.templating import Renderer

LinkBuilder = Callable[..., str]
"""link(route_name, locale=..., **path_params) -> absolute URL."""


class AccountMails:
    def __init__(
        self, session: AsyncSession, renderer: Renderer, tokens: Tokens, link: LinkBuilder
    ) -> None:
        self.session = session
        self.renderer = renderer
        self.tokens = tokens
        self.link = link

    async def _send(
        self, event: str, recipient: str, locale: str, template: str, **ctx: object
    ) -> None:
        subject, text, html = self.renderer.mail(template, locale, **ctx)
        await enqueue(self.session, event, [Mail(recipient, locale, subject, text, html)])

    async def verification(self, user: User) -> None:
        """Send the link that confirms the account's current address."""
        token = self.tokens.verification(user)
        link = self.link("accounts.verify", locale=user.preferred_locale, token=token)
        await self._send(
            f"verify:{user.id}:{utcnow().isoformat()}",  # every request is its own event
            user.email,
            user.preferred_locale,
            "verify_email",
            user=user,
            link=link,
        )

    async def already_registered(self, user: User) -> None:
        """Someone signed up with this address again: tell its owner how to get in."""
        await self._send(
            f"signup-again:{user.id}:{utcnow().isoformat()}",
            user.email,
            user.preferred_locale,
            "already_registered",
            user=user,
            signin=self.link("accounts.signin", locale=user.preferred_locale),
            reset=self.link("accounts.forgot", locale=user.preferred_locale),
        )

    async def password_reset(self, user: User) -> None:
        token = self.tokens.reset(user)
        link = self.link("accounts.reset", locale=user.preferred_locale, token=token)
        await self._send(
            f"reset:{user.id}:{_digest(token)}",
            user.email,
            user.preferred_locale,
            "reset_password",
            user=user,
            link=link,
        )

    async def email_changed(self, user: User, old_address: str) -> None:
        """Tell the previous address that the account moved (in case it was not its owner)."""
        await self._send(
            f"email-changed:{user.id}:{utcnow().isoformat()}",
            old_address,
            user.preferred_locale,
            "email_changed",
            user=user,
            old_address=old_address,
            link=self.link("accounts.forgot", locale=user.preferred_locale),
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]
