"""The person's rights under the GDPR: a copy of their data, and erasing their account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import Membership, MembershipRole, User
from participation.areas.models import Area, AreaManager
from participation.db import utcnow
from participation.ideas.models import Comment, Idea, ModerationState, Support
from participation.moderation.models import Block, Report
from participation.notifications.models import OutboxMessage
from participation.pages.models import AccessibilityFeedback


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _moderation(item: Idea | Comment) -> dict[str, Any]:
    return {
        "state": item.moderation_state.value,
        "hidden_because": item.hidden_category.value if item.hidden_category else None,
        "explanation": item.hidden_reason,
        "review_requested_at": _when(item.review_requested_at),
        "review_message": item.review_message,
        "redacted_at": _when(item.redacted_at),
    }


class PrivacyService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, user: User) -> dict[str, Any]:
        """Everything stored about the person, as plain JSON-ready data."""
        areas = {a.id: a.slug for a in (await self.session.execute(select(Area))).scalars()}
        memberships = (
            (await self.session.execute(select(Membership).where(Membership.user_id == user.id)))
            .scalars()
            .all()
        )
        roles = (
            await self.session.execute(
                select(MembershipRole.membership_id, MembershipRole.role).where(
                    MembershipRole.membership_id.in_([m.id for m in memberships])
                )
            )
        ).all()
        managed = (
            (
                await self.session.execute(
                    select(AreaManager.area_id).where(AreaManager.user_id == user.id)
                )
            )
            .scalars()
            .all()
        )
        ideas = (
            (await self.session.execute(select(Idea).where(Idea.author_id == user.id)))
            .scalars()
            .all()
        )
        comments = (
            (await self.session.execute(select(Comment).where(Comment.author_id == user.id)))
            .scalars()
            .all()
        )
        reports = (
            (await self.session.execute(select(Report).where(Report.reporter_id == user.id)))
            .scalars()
            .all()
        )
        blocks = (
            (await self.session.execute(select(Block).where(Block.user_id == user.id)))
            .scalars()
            .all()
        )
        supports = (
            (await self.session.execute(select(Support).where(Support.user_id == user.id)))
            .scalars()
            .all()
        )
        mails = (
            (
                await self.session.execute(
                    select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                )
            )
            .scalars()
            .all()
        )
        feedback = (
            (
                await self.session.execute(
                    select(AccessibilityFeedback).where(AccessibilityFeedback.user_id == user.id)
                )
            )
            .scalars()
            .all()
        )
        return {
            "exported_at": _when(utcnow()),
            "account": {
                "email": user.email,
                "email_confirmed_at": _when(user.email_verified_at),
                "display_name": user.display_name,
                "preferred_language": user.preferred_locale,
                "administrator": user.is_admin,
                "created_at": _when(user.created_at),
                "password": "stored only as an argon2 hash" if user.password_hash else None,
            },
            "memberships": [
                {
                    "area": areas.get(m.area_id),
                    "roles": sorted(r.role.value for r in roles if r.membership_id == m.id),
                    "joined_at": _when(m.joined_at),
                    "verified_at": _when(m.verified_at),
                }
                for m in memberships
            ],
            "manager_of": sorted(areas[a] for a in managed if a in areas),
            "ideas": [
                {
                    "id": i.id,
                    "area": areas.get(i.area_id),
                    "title": i.title,
                    "text": i.body,
                    "place": i.place,
                    "language": i.language,
                    "status": i.status.value,
                    "moderation": _moderation(i),
                    "created_at": _when(i.created_at),
                    "edited_at": _when(i.edited_at),
                }
                for i in ideas
            ],
            "comments": [
                {
                    "id": c.id,
                    "idea": c.idea_id,
                    "reply_to": c.parent_id,
                    "text": c.body,
                    "language": c.language,
                    "moderation": _moderation(c),
                    "created_at": _when(c.created_at),
                    "deleted_at": _when(c.deleted_at),
                }
                for c in comments
            ],
            "reports_you_made": [
                {
                    "idea": r.idea_id,
                    "comment": r.comment_id,
                    "reason": r.reason.value,
                    "text": r.text,
                    "at": _when(r.created_at),
                    "dealt_with_at": _when(r.resolved_at),
                }
                for r in reports
            ],
            "blocks": [
                {
                    "area": areas.get(b.area_id),
                    "from": _when(b.created_at),
                    "until": _when(b.until),
                    "lifted_at": _when(b.lifted_at),
                }
                for b in blocks
            ],
            "supports": [{"idea": s.idea_id, "at": _when(s.created_at)} for s in supports],
            "mails_sent_to_you": [
                {
                    "subject": m.subject,
                    "written_at": _when(m.created_at),
                    "sent_at": _when(m.sent_at),
                }
                for m in mails
            ],
            "accessibility_feedback": [
                {"message": f.message, "page": f.page, "at": _when(f.created_at)} for f in feedback
            ],
        }

    async def erase(self, user: User, *, remove_contributions: bool) -> None:
        """Erase the account at once; contributions stay anonymous or are removed with it.

        Supports stay counted on their ideas but no longer point to anybody.
        """
        if remove_contributions:
            await self._remove_comments(user)
            await self._remove_ideas(user)
        await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.recipient == user.email)
        )
        await self.session.execute(
            update(AccessibilityFeedback)
            .where(AccessibilityFeedback.user_id == user.id)
            .values(user_id=None)
        )
        # The database's foreign-key rules do the rest: memberships, roles, manager posts and
        # support rows go; ideas and comments stay with no author (author_id NULL).
        await self.session.execute(delete(User).where(User.id == user.id))
        self.session.expunge(user)

    async def _remove_comments(self, user: User) -> None:
        rows = (
            await self.session.execute(
                select(Comment.idea_id, func.count())
                .where(
                    Comment.author_id == user.id,
                    Comment.deleted_at.is_(None),
                    Comment.moderation_state == ModerationState.VISIBLE,
                )
                .group_by(Comment.idea_id)
            )
        ).all()
        await self.session.execute(
            update(Comment)
            .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
            .values(deleted_at=utcnow(), body="")
        )
        for idea_id, count in rows:
            await self.session.execute(
                update(Idea)
                .where(Idea.id == idea_id)
                .values(comment_count=Idea.comment_count - count)
            )

    async def _remove_ideas(self, user: User) -> None:
        rows = (
            await self.session.execute(
                select(Idea.area_id, func.count())
                .where(
                    Idea.author_id == user.id,
                    Idea.moderation_state == ModerationState.VISIBLE,
                )
                .group_by(Idea.area_id)
            )
        ).all()
        await self.session.execute(delete(Idea).where(Idea.author_id == user.id))
        for area_id, count in rows:
            await self.session.execute(
                update(Area).where(Area.id == area_id).values(idea_count=Area.idea_count - count)
            )
