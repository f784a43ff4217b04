"""What the QM team sees of one person in an area: contributions there, and blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from participation.accounts.models import User
from participation.areas.models import Area
from participation.areas.services import manages
from participation.db import utcnow
from participation.errors import NotFound
from participation.i18n import gettext as _
from participation.ideas.models import Comment, Idea, ModerationState
from participation.moderation.access import require_moderator
from participation.moderation.log import label_of
from participation.moderation.models import Block
from participation.moderation.services import contributions

RECENT = 5
"""How many of the person's latest ideas and comments the page lists."""

PAST_BLOCKS = 50


@dataclass
class BlockEntry:
    block: Block
    created_by: str = ""
    """The display name of the manager who blocked; empty if that account was erased."""
    lifted_by: str = ""


@dataclass
class RecentComment:
    comment: Comment
    label: str
    """The start of the comment, as the moderation log names it."""


@dataclass
class PersonRecord:
    """One person as the area's managers see them (no e-mail address, no other areas)."""

    person: User
    is_moderator: bool
    """A manager of the area or the district office: they cannot be blocked."""
    ideas: int = 0
    comments: int = 0
    hidden: int = 0
    waiting: int = 0
    recent_ideas: list[Idea] = field(default_factory=list)
    recent_comments: list[RecentComment] = field(default_factory=list)
    current: BlockEntry | None = None
    past: list[BlockEntry] = field(default_factory=list)


class PeopleService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person(self, actor: User | None, area: Area, user_id: int) -> User:
        """Return the account for the area's managers; raise SignInRequired, Forbidden (before
        telling whether the account exists) or NotFound."""
        await require_moderator(self.session, actor, area)
        person = await self.session.get(User, user_id)
        if person is None:
            raise NotFound(_("This account does not exist or was deleted."))
        return person

    async def record(self, actor: User | None, area: Area, user_id: int) -> PersonRecord:
        """The person's contributions in the area (counts and the latest ones) and their
        blocks there, newest first (four queries)."""
        await require_moderator(self.session, actor, area)
        ideas, comments = contributions(area)
        row = (
            await self.session.execute(
                select(
                    User,
                    manages(User.id, area.id),
                    *(
                        counts.where(*condition).scalar_subquery()
                        for counts, state in ((ideas, Idea), (comments, Comment))
                        for condition in (
                            (),
                            (state.moderation_state == ModerationState.HIDDEN,),
                            (state.moderation_state == ModerationState.PENDING,),
                        )
                    ),
                ).where(User.id == user_id)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(_("This account does not exist or was deleted."))
        person = row[0]
        ideas_all, ideas_hidden, ideas_waiting, comments_all, comments_hidden, comments_waiting = (
            int(n) for n in row[2:]
        )
        record = PersonRecord(person, person.is_admin or bool(row[1]))
        record.ideas, record.comments = ideas_all, comments_all
        record.hidden = ideas_hidden + comments_hidden
        record.waiting = ideas_waiting + comments_waiting
        record.recent_ideas = list(
            (
                await self.session.execute(
                    select(Idea)
                    .where(Idea.area_id == area.id, Idea.author_id == person.id)
                    .order_by(Idea.created_at.desc(), Idea.id.desc())
                    .limit(RECENT)
                )
            ).scalars()
        )
        record.recent_comments = [
            RecentComment(comment, label_of(comment.body))
            for comment in (
                await self.session.execute(
                    select(Comment)
                    .join(Idea, Idea.id == Comment.idea_id)
                    .where(
                        Idea.area_id == area.id,
                        Comment.author_id == person.id,
                        Comment.deleted_at.is_(None),
                    )
                    .order_by(Comment.created_at.desc(), Comment.id.desc())
                    .limit(RECENT)
                )
            ).scalars()
        ]
        await self._add_blocks(area, record)
        return record

    async def _add_blocks(self, area: Area, record: PersonRecord) -> None:
        creator, lifter = aliased(User), aliased(User)
        now = utcnow()
        rows = (
            await self.session.execute(
                select(Block, creator.display_name, lifter.display_name)
                .outerjoin(creator, creator.id == Block.created_by_id)
                .outerjoin(lifter, lifter.id == Block.lifted_by_id)
                .where(Block.area_id == area.id, Block.user_id == record.person.id)
                .order_by(Block.created_at.desc(), Block.id.desc())
                .limit(PAST_BLOCKS)
            )
        ).all()
        for block, created_by, lifted_by in rows:
            entry = BlockEntry(block, created_by or "", lifted_by or "")
            # Running: the rule of ModerationService.active_blocks.
            runs = block.lifted_at is None and (block.until is None or block.until > now)
            # Should two blocks run at once, the longer one counts, as in IdeaService.viewer.
            if runs and (record.current is None or _ends_later(block, record.current.block)):
                if record.current is not None:
                    record.past.append(record.current)
                record.current = entry
            else:
                record.past.append(entry)
        record.past.sort(key=lambda e: (e.block.created_at, e.block.id), reverse=True)


def _ends_later(block: Block, other: Block) -> bool:
    if other.until is None:
        return False
    return block.until is None or block.until > other.until
