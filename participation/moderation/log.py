"""Writing the audit log: one row per moderation or role action, in the action's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.moderation.models import Action, ModerationAction, Reason

LABEL_LENGTH = 80


def label_of(text: str) -> str:
    """The start of a text, as the log names the item it was about."""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


async def record(
    session: AsyncSession,
    area_id: int,
    actor: User | None,
    action: Action,
    *,
    idea_id: int | None = None,
    comment_id: int | None = None,
    target_user_id: int | None = None,
    label: str = "",
    category: Reason | None = None,
    reason: str = "",
) -> ModerationAction:
    """Add one row to the audit log. `actor` None means the platform acted by a rule (for
    example hiding after enough reports). Call it in the same transaction as the action, after
    the action has succeeded, so that the log holds exactly what happened."""
    entry = ModerationAction(
        area_id=area_id,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "",
        action=action,
        idea_id=idea_id,
        comment_id=comment_id,
        target_user_id=target_user_id,
        item_label=label_of(label),
        category=category,
        reason=reason,
    )
    session.add(entry)
    await session.flush()
    return entry
