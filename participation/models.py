"""Every domain's models, imported once so the metadata is complete (Alembic, tests)."""

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.areas.models import Area, AreaManager, AreaStatus, Concept, FieldOfAction
from participation.db import Base
from participation.ideas.models import (
    Comment,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    ModerationState,
    PhotoVariant,
    Support,
)
from participation.notifications.models import OutboxMessage
from participation.pages.models import AccessibilityFeedback

__all__ = [
    "AccessibilityFeedback",
    "Area",
    "AreaManager",
    "AreaStatus",
    "Base",
    "Comment",
    "Concept",
    "FieldOfAction",
    "Idea",
    "IdeaPhoto",
    "IdeaStatus",
    "Membership",
    "MembershipRole",
    "ModerationState",
    "OutboxMessage",
    "PhotoVariant",
    "StakeholderRole",
    "Support",
    "User",
]
