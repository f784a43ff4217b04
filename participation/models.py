"""Every domain's models, imported once so the metadata is complete (Alembic, tests)."""

from participation.accounts.models import (
    ExternalIdentity,
    Membership,
    MembershipRole,
    StakeholderRole,
    User,
    VerificationCode,
    VerificationEvent,
)
from participation.areas.models import Area, AreaManager, AreaStatus, Concept, FieldOfAction
from participation.concepts.models import (
    Phase,
    Process,
    Proposal,
    ProposalComment,
    ProposalIdea,
    ProposalStep,
    Vote,
)
from participation.db import Base, ContentVersion
from participation.ideas.models import (
    Comment,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    ModerationState,
    PhotoVariant,
    Support,
)
from participation.moderation.models import (
    Block,
    IntakeContact,
    ModerationAction,
    OfficialAnswer,
    Report,
)
from participation.notifications.models import OutboxMessage
from participation.pages.models import AccessibilityFeedback
from participation.ratelimit import RateLimitCounter

__all__ = [
    "AccessibilityFeedback",
    "Area",
    "AreaManager",
    "AreaStatus",
    "Base",
    "Block",
    "Comment",
    "Concept",
    "ContentVersion",
    "ExternalIdentity",
    "FieldOfAction",
    "Idea",
    "IdeaPhoto",
    "IdeaStatus",
    "IntakeContact",
    "Membership",
    "MembershipRole",
    "ModerationAction",
    "ModerationState",
    "OfficialAnswer",
    "OutboxMessage",
    "Phase",
    "PhotoVariant",
    "Process",
    "Proposal",
    "ProposalComment",
    "ProposalIdea",
    "ProposalStep",
    "RateLimitCounter",
    "Report",
    "StakeholderRole",
    "Support",
    "User",
    "VerificationCode",
    "VerificationEvent",
    "Vote",
]
