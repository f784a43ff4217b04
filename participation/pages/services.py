"""Accessibility feedback: kept in the database and mailed to the administrators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.notifications.services import Mail, enqueue
from participation.pages.models import AccessibilityFeedback
from participation.templating import Renderer


class FeedbackService:
    def __init__(self, session: AsyncSession, renderer: Renderer) -> None:
        self.session = session
        self.renderer = renderer

    async def submit(
        self,
        *,
        message: str,
        page: str | None,
        name: str | None,
        email: str | None,
        locale: str,
        user: User | None,
        contact: str = "",
    ) -> AccessibilityFeedback:
        """Store the feedback and write a mail to every administrator (and the contact)."""
        feedback = AccessibilityFeedback(
            message=message,
            page=page or None,
            name=name or None,
            email=email or None,
            locale=locale,
            user_id=user.id if user else None,
        )
        self.session.add(feedback)
        await self.session.flush()
        admins = (
            await self.session.execute(
                select(User.email, User.preferred_locale).where(User.is_admin.is_(True))
            )
        ).all()
        recipients = {row.email: row.preferred_locale for row in admins}
        if contact:
            recipients.setdefault(contact, "de")
        mails = []
        for recipient, recipient_locale in recipients.items():
            subject, text, html = self.renderer.mail(
                "accessibility_feedback", recipient_locale, feedback=feedback
            )
            mails.append(Mail(recipient, recipient_locale, subject, text, html))
        await enqueue(self.session, f"accessibility-feedback:{feedback.id}", mails)
        return feedback
