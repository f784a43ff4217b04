"""The moderation service as views build it: with mails rendered and linked for this site."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from participation.moderation.services import ModerationMails, ModerationService
from participation.web import absolute_link, renderer


def moderation(request: Request, session: AsyncSession) -> ModerationService:
    return ModerationService(
        session, ModerationMails(session, renderer(request), absolute_link(request))
    )
