"""Moderation: reports by members, the managers' queue and actions, blocks, review requests.

Every action is checked here, not only in the views: a manager acts in their areas only, the
district office everywhere. An action reads the item's state under a row lock (PostgreSQL) or
inside SQLite's write lock, so when two managers act on one item at once, one wins and the
other is told; the audit log gets one row per action that happened, in its transaction.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from participation.accounts.models import Membership, User
from participation.areas.models import Area, AreaManager
from participation.db import utcnow
from participation.errors import Conflict, Forbidden, NotFound
from participation.i18n import gettext as _
from participation.ideas.models import Comment, Idea, ModerationState
from participation.ideas.services import IdeaService, Viewer
from participation.moderation.access import is_moderator, require_moderator
from participation.moderation.log import label_of, record
from participation.moderation.models import Action, Block, Reason, Report
from participation.notifications.services import Mail, enqueue
from participation.templating import Renderer

REASON_MAX = 2000
"""Longest explanation of a report, a hiding, a block or a review request."""

LinkBuilder = Callable[..., str]
"""link(route_name, locale=..., **path_params) -> absolute URL."""


class Kind(enum.Enum):
    IDEA = "idea"
    COMMENT = "comment"


@dataclass
class Target:
    """An idea or a comment that moderation acts on, with the idea (and its area) it is in."""

    idea: Idea
    comment: Comment | None = None
    parent: Comment | None = None
    """The comment a reply answers, when it was loaded with the reply (see `target`)."""

    @property
    def kind(self) -> Kind:
        return Kind.COMMENT if self.comment is not None else Kind.IDEA

    @property
    def item(self) -> Idea | Comment:
        return self.comment if self.comment is not None else self.idea

    @property
    def area(self) -> Area:
        return self.idea.area

    @property
    def author_id(self) -> int | None:
        return self.item.author_id

    @property
    def label(self) -> str:
        return label_of(self.idea.title if self.comment is None else self.comment.body)

    @property
    def key(self) -> str:
        """`idea:12` or `comment:34`: how forms name the item."""
        return f"{self.kind.value}:{self.item.id}"

    def log_ids(self) -> dict[str, Any]:
        return {
            "idea_id": self.idea.id,
            "comment_id": self.comment.id if self.comment else None,
            "target_user_id": self.author_id,
            "label": self.label,
        }


def parse_key(value: str) -> tuple[Kind, int] | None:
    """Read `idea:12` / `comment:34`; None for anything else."""
    kind, _sep, number = value.partition(":")
    if kind not in {k.value for k in Kind} or not number.isdigit() or len(number) > 12:
        return None
    return Kind(kind), int(number)


@dataclass
class AuthorHistory:
    """What a manager needs to know about the author of a queued item, in this area."""

    ideas: int = 0
    comments: int = 0
    hidden: int = 0
    blocked: Block | None = None


@dataclass
class QueueEntry:
    target: Target
    reports: list[Report] = field(default_factory=list)
    waiting_since: datetime | None = None
    parent: Comment | None = None
    """The comment a reply answers, for context."""
    history: AuthorHistory = field(default_factory=AuthorHistory)

    @property
    def pending(self) -> bool:
        return self.target.item.moderation_state is ModerationState.PENDING

    @property
    def review_requested(self) -> bool:
        item = self.target.item
        return (
            item.moderation_state is ModerationState.HIDDEN
            and item.review_requested_at is not None
            and item.review_decided_at is None
        )

    @property
    def reason_counts(self) -> list[tuple[Reason, int]]:
        return Counter(r.reason for r in self.reports).most_common()


class QueueView(enum.Enum):
    OPEN = "open"  # reported, waiting for approval, review requested
    HIDDEN = "hidden"  # hidden items, to restore


class QueueSort(enum.Enum):
    OLDEST = "oldest"
    MOST_REPORTED = "reports"


HIDDEN_SHOWN = 100
"""The queue's view of hidden items shows the newest this many ideas and as many comments."""

BLOCK_PERIODS = {"1": 1, "7": 7, "30": 30, "90": 90, "forever": None}
"""Block lengths offered to managers, in days (None: for good)."""


class ModerationMails:
    """Mails of moderation, written to the outbox in the action's transaction."""

    def __init__(self, session: AsyncSession, renderer: Renderer, link: LinkBuilder) -> None:
        self.session = session
        self.renderer = renderer
        self.link = link

    async def _managers(self, area: Area) -> list[tuple[str, str]]:
        """Addresses and languages of the area's managers; the district office if none."""
        rows = (
            await self.session.execute(
                select(User.email, User.preferred_locale)
                .join(AreaManager, AreaManager.user_id == User.id)
                .where(AreaManager.area_id == area.id)
            )
        ).all()
        if not rows:
            rows = (
                await self.session.execute(
                    select(User.email, User.preferred_locale).where(User.is_admin.is_(True))
                )
            ).all()
        return [(row[0], row[1]) for row in rows]

    def _item_link(self, target: Target, locale: str) -> str:
        link = self.link("ideas.detail", locale=locale, idea_id=target.idea.id)
        return link + (f"#comment-{target.comment.id}" if target.comment else "")

    async def to_managers(self, event: str, template: str, target: Target, **ctx: Any) -> None:
        mails = []
        for address, locale in await self._managers(target.area):
            queue = self.link("moderation.queue", locale=locale, slug=target.area.slug)
            subject, text, html = self.renderer.mail(
                template,
                locale,
                area=target.area,
                target=target,
                item_link=self._item_link(target, locale),
                queue_link=queue,
                **ctx,
            )
            mails.append(Mail(address, locale, subject, text, html))
        await enqueue(self.session, event, mails)

    async def to_author(self, event: str, target: Target, decision: Action, **ctx: Any) -> None:
        if target.author_id is None:
            return
        author = await self.session.get(User, target.author_id)
        if author is None:
            return
        locale = author.preferred_locale
        subject, text, html = self.renderer.mail(
            "moderation_decision",
            locale,
            user=author,
            area=target.area,
            target=target,
            decision=decision.value,
            item_link=self._item_link(target, locale),
            **ctx,
        )
        await enqueue(self.session, event, [Mail(author.email, locale, subject, text, html)])


class ModerationService:
    def __init__(self, session: AsyncSession, mails: ModerationMails) -> None:
        self.session = session
        self.mails = mails

    # -- finding items ------------------------------------------------------------------

    async def target(self, kind: Kind, item_id: int) -> Target:
        """Load an idea or a comment with its idea, area and author, and the comment a reply
        answers (one query); raise NotFound."""
        if kind is Kind.IDEA:
            idea = (
                await self.session.execute(
                    select(Idea)
                    .where(Idea.id == item_id)
                    .options(joinedload(Idea.area), joinedload(Idea.author))
                )
            ).scalar_one_or_none()
            if idea is None:
                raise NotFound(_("This idea does not exist or is no longer shown."))
            return Target(idea)
        parent = aliased(Comment)
        row = (
            await self.session.execute(
                select(Comment, Idea, parent)
                .join(Idea, Idea.id == Comment.idea_id)
                .outerjoin(parent, parent.id == Comment.parent_id)
                .where(Comment.id == item_id)
                .options(
                    joinedload(Comment.author),
                    joinedload(Idea.area),
                    joinedload(Idea.author),
                    joinedload(parent.author),
                )
            )
        ).one_or_none()
        if row is None or row[0].deleted_at is not None:
            raise NotFound(_("This comment does not exist or was deleted."))
        return Target(row[1], row[0], row[2])

    async def _current_state(self, target: Target) -> ModerationState:
        """Read the item's state again, locking its row until the transaction ends."""
        model: Any = Comment if target.comment is not None else Idea
        state: ModerationState = (
            await self.session.execute(
                select(model.moderation_state).where(model.id == target.item.id).with_for_update()
            )
        ).scalar_one()
        target.item.moderation_state = state
        return state

    async def _set_state(self, target: Target, new: ModerationState, **values: Any) -> None:
        """Change the item's state (read under lock just before) and keep the counters of
        shown ideas and comments exact."""
        old = target.item.moderation_state
        model: Any = Comment if target.comment is not None else Idea
        await self.session.execute(
            update(model)
            .where(model.id == target.item.id)
            .values(moderation_state=new, **values)
            .execution_options(synchronize_session=False)
        )
        # Known to be stored already: setting them plainly would write them once more.
        set_committed_value(target.item, "moderation_state", new)
        for name, value in values.items():
            set_committed_value(target.item, name, value)
        delta = (new is ModerationState.VISIBLE) - (old is ModerationState.VISIBLE)
        if not delta:
            return
        if target.comment is None:
            await self.session.execute(
                update(Area)
                .where(Area.id == target.area.id)
                .values(idea_count=Area.idea_count + delta)
            )
        elif target.comment.deleted_at is None:
            await self.session.execute(
                update(Idea)
                .where(Idea.id == target.idea.id)
                .values(comment_count=Idea.comment_count + delta)
            )

    def _open_reports(self, target: Target) -> Any:
        if target.comment is not None:
            return and_(Report.comment_id == target.comment.id, Report.resolved_at.is_(None))
        return and_(
            Report.idea_id == target.idea.id,
            Report.comment_id.is_(None),
            Report.resolved_at.is_(None),
        )

    async def _resolve_reports(self, target: Target) -> int:
        result = await self.session.execute(
            update(Report)
            .where(self._open_reports(target))
            .values(resolved_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # -- reports ------------------------------------------------------------------------

    async def report(self, viewer: Viewer, target: Target, reason: Reason, text: str) -> bool:
        """Report the item for the area's managers; return False if this member had already
        reported it (nothing changes then)."""
        ideas = IdeaService(self.session)
        user = ideas.require_participant(viewer, target.area)
        # A comment under a hidden or waiting idea is not shown to members either.
        if any(
            state is not ModerationState.VISIBLE
            for state in (target.item.moderation_state, target.idea.moderation_state)
        ):
            raise Conflict(
                _("This contribution is not shown at the moment; there is nothing to report.")
            )
        if target.author_id == user.id:
            raise Conflict(_("You cannot report your own contribution."))
        text = text.strip()
        if reason is Reason.OTHER and not text:
            raise Conflict(_("Please tell the QM team what is wrong."), field="text")
        if len(text) > REASON_MAX:
            raise Conflict(
                _("Please write at most %(max)s characters.", max=REASON_MAX), field="text"
            )
        insert = (
            pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        result = await self.session.execute(
            insert(Report)
            .values(
                area_id=target.area.id,
                idea_id=target.idea.id,
                comment_id=target.comment.id if target.comment else None,
                reporter_id=user.id,
                reason=reason.value,
                text=text,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing()
            .returning(Report.id)
        )
        report_id = result.scalar_one_or_none()
        if report_id is None:
            return False
        await self.mails.to_managers(
            f"report:{report_id}", "moderation_report", target, reason=reason.value, text=text
        )
        await self._maybe_hide_automatically(target)
        return True

    async def _maybe_hide_automatically(self, target: Target) -> None:
        """Hide the item when the area asks for it after N open reports by distinct members
        whose membership the QM office verified."""
        threshold = target.area.auto_hide_after
        if not threshold:
            return
        verified = (
            await self.session.execute(
                select(func.count(func.distinct(Report.reporter_id)))
                .join(
                    Membership,
                    and_(
                        Membership.user_id == Report.reporter_id,
                        Membership.area_id == Report.area_id,
                    ),
                )
                .where(self._open_reports(target), Membership.verified_at.is_not(None))
            )
        ).scalar_one()
        if verified < threshold:
            return
        if await self._current_state(target) is not ModerationState.VISIBLE:
            return
        reasons = (
            await self.session.execute(select(Report.reason).where(self._open_reports(target)))
        ).scalars()
        category = Counter(reasons).most_common(1)[0][0]
        explanation = _(
            "Hidden automatically after %(num)s reports by verified members, until the QM "
            "team has looked at it.",
            num=threshold,
        )
        await self._hide(None, target, category, explanation, Action.AUTO_HIDE)

    # -- the queue ----------------------------------------------------------------------

    async def queue(
        self,
        actor: User | None,
        area: Area,
        view: QueueView = QueueView.OPEN,
        sort: QueueSort = QueueSort.OLDEST,
    ) -> list[QueueEntry]:
        """The area's items that need a manager, grouped by item, with their open reports,
        the thread they are in and their author's history in the area (three queries however
        long the queue, two for the hidden items)."""
        await require_moderator(self.session, actor, area)
        reports: list[Report] = []
        if view is QueueView.OPEN:
            reports = list(
                (
                    await self.session.execute(
                        select(Report)
                        .where(Report.area_id == area.id, Report.resolved_at.is_(None))
                        .options(joinedload(Report.reporter))
                        .order_by(Report.created_at)
                    )
                ).scalars()
            )
            reported_ideas = {r.idea_id for r in reports if r.comment_id is None}
            reported_comments = {r.comment_id for r in reports if r.comment_id is not None}
            queued_idea = or_(Idea.id.in_(reported_ideas), _waiting(Idea))

            def queued_comment(comment: Any) -> Any:
                return or_(
                    comment.id.in_(reported_comments),
                    and_(comment.deleted_at.is_(None), _waiting(comment)),
                )

        else:
            queued_idea = Idea.id.in_(_newest_hidden_ideas(area))
            hidden_comments = _newest_hidden_comments(area)

            def queued_comment(comment: Any) -> Any:
                return comment.id.in_(hidden_comments)

        entries = await self._queued(area, queued_idea, queued_comment)
        for r in reports:
            key = (Kind.COMMENT, r.comment_id) if r.comment_id else (Kind.IDEA, r.idea_id)
            if key in entries:
                entries[key].reports.append(r)
        for entry in entries.values():
            item = entry.target.item
            moments = [r.created_at for r in entry.reports]
            if entry.pending:
                moments.append(item.created_at)
            if entry.review_requested and item.review_requested_at is not None:
                moments.append(item.review_requested_at)
            entry.waiting_since = min(moments) if moments else item.created_at
        await self._add_histories(area, list(entries.values()))
        ordered = list(entries.values())
        if view is QueueView.HIDDEN:
            ordered.sort(key=lambda e: e.target.item.created_at, reverse=True)
        elif sort is QueueSort.MOST_REPORTED:
            ordered.sort(key=lambda e: (-len(e.reports), e.waiting_since))
        else:
            ordered.sort(key=lambda e: e.waiting_since or e.target.item.created_at)
        return ordered

    async def _queued(
        self, area: Area, queued_idea: Any, queued_comment: Callable[[Any], Any]
    ) -> dict[tuple[Kind, int], QueueEntry]:
        """The area's ideas and comments that meet the conditions as queue entries, ideas
        first, with the ideas the comments are on and the comments replies answer (one
        query)."""
        child, child_idea = aliased(Comment), aliased(Idea)
        answered = Comment.id.in_(
            select(child.parent_id)
            .join(child_idea, child_idea.id == child.idea_id)
            .where(child_idea.area_id == area.id, queued_comment(child))
        )
        rows = (
            await self.session.execute(
                select(Idea, Comment, queued_idea, queued_comment(Comment))
                .outerjoin(
                    Comment,
                    and_(Comment.idea_id == Idea.id, or_(queued_comment(Comment), answered)),
                )
                .where(Idea.area_id == area.id, or_(queued_idea, Comment.id.is_not(None)))
                .options(joinedload(Idea.author), joinedload(Idea.area), joinedload(Comment.author))
                .order_by(Idea.id, Comment.id)
            )
        ).all()
        ideas: dict[int, Idea] = {}
        comments: dict[int, Comment] = {}
        entries: dict[tuple[Kind, int], QueueEntry] = {}
        queued: list[Comment] = []
        for idea, comment, idea_queued, comment_queued in rows:
            ideas[idea.id] = idea
            if idea_queued:
                entries.setdefault((Kind.IDEA, idea.id), QueueEntry(Target(idea)))
            if comment is not None:
                comments[comment.id] = comment
                if comment_queued:
                    queued.append(comment)
        for comment in queued:
            parent = comments.get(comment.parent_id) if comment.parent_id else None
            entries[(Kind.COMMENT, comment.id)] = QueueEntry(
                Target(ideas[comment.idea_id], comment), parent=parent
            )
        return entries

    async def entry(self, actor: User | None, target: Target) -> QueueEntry:
        """One item as the queue shows it: its open reports, thread and author's history."""
        await require_moderator(self.session, actor, target.area)
        reports = list(
            (
                await self.session.execute(
                    select(Report)
                    .where(self._open_reports(target))
                    .options(joinedload(Report.reporter))
                    .order_by(Report.created_at)
                )
            ).scalars()
        )
        parent = target.parent
        if parent is None and target.comment is not None and target.comment.parent_id:
            parent = (
                await self.session.execute(
                    select(Comment)
                    .where(Comment.id == target.comment.parent_id)
                    .options(joinedload(Comment.author))
                )
            ).scalar_one_or_none()
        moments = [r.created_at for r in reports] or [target.item.created_at]
        entry = QueueEntry(target, reports, waiting_since=min(moments), parent=parent)
        await self._add_histories(target.area, [entry])
        return entry

    async def _add_histories(self, area: Area, entries: list[QueueEntry]) -> None:
        """Give each entry its author's history in the area (one query)."""
        author_ids = {e.target.author_id for e in entries if e.target.author_id}
        if not author_ids:
            return
        histories = {author_id: AuthorHistory() for author_id in author_ids}
        ideas, comments = contributions(area)
        now = utcnow()
        running = and_(
            Block.user_id == User.id,
            Block.area_id == area.id,
            Block.lifted_at.is_(None),
            or_(Block.until.is_(None), Block.until > now),
        )
        rows = await self.session.execute(
            select(
                User.id,
                ideas.scalar_subquery(),
                comments.scalar_subquery(),
                ideas.where(Idea.moderation_state == ModerationState.HIDDEN).scalar_subquery(),
                comments.where(
                    Comment.moderation_state == ModerationState.HIDDEN
                ).scalar_subquery(),
                Block,
            )
            .outerjoin(Block, running)
            .where(User.id.in_(author_ids))
        )
        for author_id, idea_count, comment_count, hidden_ideas, hidden_comments, block in rows:
            history = histories[author_id]
            history.ideas, history.comments = int(idea_count), int(comment_count)
            history.hidden = int(hidden_ideas) + int(hidden_comments)
            if block is not None:
                history.blocked = block
        for entry in entries:
            if entry.target.author_id:
                entry.history = histories[entry.target.author_id]

    async def areas_to_moderate(self, user: User | None) -> list[tuple[Area, int]]:
        """The areas the user moderates, each with how many items wait there (one query)."""
        if user is None:
            return []
        reported = select(
            func.count(func.distinct(func.coalesce(-Report.comment_id, Report.idea_id)))
        ).where(Report.area_id == Area.id, Report.resolved_at.is_(None))
        waiting_ideas = select(func.count()).where(Idea.area_id == Area.id, _waiting(Idea))
        waiting_comments = (
            select(func.count())
            .select_from(Comment)
            .join(Idea, Idea.id == Comment.idea_id)
            .where(Idea.area_id == Area.id, Comment.deleted_at.is_(None), _waiting(Comment))
        )
        waiting = (
            reported.scalar_subquery()
            + waiting_ideas.scalar_subquery()
            + waiting_comments.scalar_subquery()
        )
        statement = select(Area, waiting).order_by(Area.position, Area.name)
        if not user.is_admin:
            managed = select(AreaManager.area_id).where(AreaManager.user_id == user.id)
            statement = statement.where(Area.id.in_(managed))
        return [(area, int(count)) for area, count in (await self.session.execute(statement))]

    # -- actions on items ---------------------------------------------------------------

    @staticmethod
    def _check_reason(reason: str, *, required: bool = True) -> str:
        reason = reason.strip()
        if required and not reason:
            raise Conflict(_("Please write the reason; the author will read it."), field="reason")
        if len(reason) > REASON_MAX:
            raise Conflict(
                _("Please write at most %(max)s characters.", max=REASON_MAX), field="reason"
            )
        return reason

    async def hide(
        self, actor: User | None, target: Target, category: Reason | None, reason: str
    ) -> None:
        """Hide the item with a public reason category and an explanation for its author; also
        how a manager declines an item waiting for approval."""
        user = await require_moderator(self.session, actor, target.area)
        if category is None:
            raise Conflict(_("Please choose why the item is hidden."), field="category")
        reason = self._check_reason(reason)
        if await self._current_state(target) is ModerationState.HIDDEN:
            raise Conflict(_("This item is already hidden. Nothing was changed."))
        await self._hide(user, target, category, reason, Action.HIDE)

    async def _hide(
        self, actor: User | None, target: Target, category: Reason, reason: str, action: Action
    ) -> None:
        await self._set_state(
            target,
            ModerationState.HIDDEN,
            hidden_category=category,
            hidden_reason=reason,
            review_requested_at=None,
            review_message=None,
            review_decided_at=None,
        )
        await self._resolve_reports(target)
        entry = await record(
            self.session,
            target.area.id,
            actor,
            action,
            category=category,
            reason=reason,
            **target.log_ids(),
        )
        await self.mails.to_author(
            f"hidden:{entry.id}", target, Action.HIDE, category=category.value, reason=reason
        )

    async def restore(self, actor: User | None, target: Target, reason: str = "") -> None:
        """Show a hidden item again (also the answer to a review request that succeeds)."""
        user = await require_moderator(self.session, actor, target.area)
        reason = self._check_reason(reason, required=False)
        if await self._current_state(target) is not ModerationState.HIDDEN:
            raise Conflict(_("This item is not hidden. Nothing was changed."))
        reviewed = target.item.review_requested_at is not None
        await self._set_state(
            target,
            ModerationState.VISIBLE,
            hidden_category=None,
            hidden_reason=None,
            review_decided_at=utcnow() if reviewed else None,
        )
        entry = await record(
            self.session, target.area.id, user, Action.RESTORE, reason=reason, **target.log_ids()
        )
        await self.mails.to_author(f"restored:{entry.id}", target, Action.RESTORE, reason=reason)

    async def keep_hidden(self, actor: User | None, target: Target, reason: str) -> None:
        """Answer a review request: the item stays hidden, and the author is told why."""
        user = await require_moderator(self.session, actor, target.area)
        reason = self._check_reason(reason)
        await self._current_state(target)
        result = await self.session.execute(
            update(type(target.item))
            .where(
                type(target.item).id == target.item.id,
                type(target.item).moderation_state == ModerationState.HIDDEN,
                type(target.item).review_requested_at.is_not(None),
                type(target.item).review_decided_at.is_(None),
            )
            .values(review_decided_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("There is no open review request for this item. Nothing was changed."))
        entry = await record(
            self.session,
            target.area.id,
            user,
            Action.KEEP_HIDDEN,
            category=target.item.hidden_category,
            reason=reason,
            **target.log_ids(),
        )
        await self.mails.to_author(
            f"kept-hidden:{entry.id}", target, Action.KEEP_HIDDEN, reason=reason
        )

    async def approve(self, actor: User | None, target: Target) -> None:
        """Publish an item that waited for approval (pre-moderation)."""
        user = await require_moderator(self.session, actor, target.area)
        if await self._current_state(target) is not ModerationState.PENDING:
            raise Conflict(_("This item is not waiting for approval. Nothing was changed."))
        await self._set_state(target, ModerationState.VISIBLE)
        await record(self.session, target.area.id, user, Action.APPROVE, **target.log_ids())

    async def dismiss(self, actor: User | None, target: Target, reason: str = "") -> int:
        """Close the item's open reports; the item stays as it is. Return how many."""
        user = await require_moderator(self.session, actor, target.area)
        reason = self._check_reason(reason, required=False)
        await self._current_state(target)
        closed = await self._resolve_reports(target)
        if not closed:
            raise Conflict(
                _("There are no open reports on this item any more. Nothing was changed.")
            )
        await record(
            self.session, target.area.id, user, Action.DISMISS, reason=reason, **target.log_ids()
        )
        return closed

    async def redact(
        self, actor: User | None, target: Target, *, title: str | None, body: str, reason: str
    ) -> None:
        """Replace the item's text with one the manager cleaned of personal data; the item is
        marked as edited by moderation and its open reports are closed."""
        user = await require_moderator(self.session, actor, target.area)
        reason = self._check_reason(reason)
        body = body.strip()
        if not body:
            raise Conflict(_("Please keep the rest of the text."), field="body")
        if target.comment is None and not (title or "").strip():
            raise Conflict(_("Please keep a title."), field="title")
        await self._current_state(target)
        values: dict[str, Any] = {"body": body, "redacted_at": utcnow()}
        if target.comment is None and title is not None:
            values["title"] = title.strip()
        if all(getattr(target.item, k) == v for k, v in values.items() if k != "redacted_at"):
            raise Conflict(_("The text is unchanged. Remove what must not be shown."), field="body")
        model: Any = type(target.item)
        await self.session.execute(
            update(model)
            .where(model.id == target.item.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        for name, value in values.items():
            set_committed_value(target.item, name, value)
        await self._resolve_reports(target)
        await record(
            self.session,
            target.area.id,
            user,
            Action.REDACT,
            category=Reason.PERSONAL_DATA,
            reason=reason,
            **target.log_ids(),
        )

    async def request_review(self, viewer: Viewer, target: Target, message: str) -> None:
        """The author of a hidden item asks the managers, once, to look at it again."""
        if viewer.user is None or target.author_id != viewer.user.id:
            raise Forbidden(_("Only the author can ask for a review."))
        message = message.strip()
        if not message:
            raise Conflict(_("Please tell the QM team why it should be shown."), field="message")
        if len(message) > REASON_MAX:
            raise Conflict(
                _("Please write at most %(max)s characters.", max=REASON_MAX), field="message"
            )
        if await self._current_state(target) is not ModerationState.HIDDEN:
            raise Conflict(_("This item is not hidden; there is nothing to review."))
        model: Any = type(target.item)
        result = await self.session.execute(
            update(model)
            .where(model.id == target.item.id, model.review_requested_at.is_(None))
            .values(review_requested_at=utcnow(), review_message=message)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("You have already asked for a review of this item."))
        target.item.review_requested_at = utcnow()
        target.item.review_message = message
        entry = await record(
            self.session,
            target.area.id,
            viewer.user,
            Action.REVIEW_REQUESTED,
            reason=message,
            **target.log_ids(),
        )
        await self.mails.to_managers(
            f"review:{entry.id}", "moderation_review", target, message=message
        )

    async def bulk(
        self,
        actor: User | None,
        area: Area,
        keys: Iterable[tuple[Kind, int]],
        action: str,
        category: Reason | None,
        reason: str,
    ) -> tuple[int, list[str]]:
        """Apply one action to several items of the area; return how many it changed and the
        messages about the ones it left alone. Permission is checked for the area and for each
        item."""
        await require_moderator(self.session, actor, area)
        if action == "hide":
            if category is None:
                raise Conflict(_("Please choose why the items are hidden."), field="category")
            self._check_reason(reason)
        done, skipped = 0, []
        for kind, item_id in keys:
            target = await self.target(kind, item_id)
            if target.area.id != area.id:
                raise Forbidden(_("Only the quarter managers of this area can do this."))
            try:
                if action == "hide":
                    await self.hide(actor, target, category, reason)
                elif action == "restore":
                    await self.restore(actor, target, reason)
                elif action == "dismiss":
                    await self.dismiss(actor, target, reason)
                elif action == "approve":
                    await self.approve(actor, target)
                else:
                    raise Conflict(_("Please choose an action."), field="decision")
            except Conflict as error:
                if error.field is not None:
                    raise
                skipped.append(f"{target.label}: {error.message}")
            else:
                done += 1
        return done, skipped

    # -- blocks -------------------------------------------------------------------------

    async def active_blocks(self, area: Area, user_ids: Iterable[int]) -> list[Block]:
        ids = list(user_ids)
        if not ids:
            return []
        now = utcnow()
        return list(
            (
                await self.session.execute(
                    select(Block).where(
                        Block.area_id == area.id,
                        Block.user_id.in_(ids),
                        Block.lifted_at.is_(None),
                        or_(Block.until.is_(None), Block.until > now),
                    )
                )
            ).scalars()
        )

    async def block(
        self, actor: User | None, area: Area, person: User, days: int | None, reason: str
    ) -> Block:
        """Block a member from taking part in the area for some days or for good; a running
        block is replaced by the new one."""
        user = await require_moderator(self.session, actor, area)
        reason = self._check_reason(reason)
        if person.id == user.id or await is_moderator(self.session, person, area):
            raise Conflict(_("Quarter managers and the district office cannot be blocked."))
        now = utcnow()
        await self.session.execute(
            update(Block)
            .where(
                Block.area_id == area.id,
                Block.user_id == person.id,
                Block.lifted_at.is_(None),
                # Only the running block: one that ended by itself keeps its history.
                or_(Block.until.is_(None), Block.until > now),
            )
            .values(lifted_at=now, lifted_by_id=user.id)
        )
        block = Block(
            area_id=area.id,
            user_id=person.id,
            until=now + timedelta(days=days) if days is not None else None,
            reason=reason,
            created_by_id=user.id,
            created_at=now,
        )
        self.session.add(block)
        await self.session.flush()
        await record(
            self.session,
            area.id,
            user,
            Action.BLOCK,
            target_user_id=person.id,
            label=person.display_name,
            reason=reason,
        )
        return block

    async def unblock(self, actor: User | None, area: Area, person: User, reason: str = "") -> None:
        user = await require_moderator(self.session, actor, area)
        reason = self._check_reason(reason, required=False)
        now = utcnow()
        result = await self.session.execute(
            update(Block)
            .where(
                Block.area_id == area.id,
                Block.user_id == person.id,
                Block.lifted_at.is_(None),
                or_(Block.until.is_(None), Block.until > now),
            )
            .values(lifted_at=now, lifted_by_id=user.id)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise Conflict(_("This person is not blocked here. Nothing was changed."))
        await record(
            self.session,
            area.id,
            user,
            Action.UNBLOCK,
            target_user_id=person.id,
            label=person.display_name,
            reason=reason,
        )

    # -- the area's settings ------------------------------------------------------------

    async def configure(
        self, actor: User | None, area: Area, *, premoderated: bool, auto_hide_after: int | None
    ) -> bool:
        """Set pre-moderation and automatic hiding for the area; return whether they changed."""
        user = await require_moderator(self.session, actor, area)
        if auto_hide_after is not None and not 2 <= auto_hide_after <= 100:
            raise Conflict(
                _("Please enter a number from 2 to 100, or leave the field empty."),
                field="auto_hide_after",
            )
        if area.premoderated == premoderated and area.auto_hide_after == auto_hide_after:
            return False
        await self.session.execute(
            update(Area)
            .where(Area.id == area.id)
            .values(premoderated=premoderated, auto_hide_after=auto_hide_after)
        )
        area.premoderated, area.auto_hide_after = premoderated, auto_hide_after
        await record(
            self.session,
            area.id,
            user,
            Action.SETTINGS,
            reason=f"premoderated={premoderated}; auto_hide_after={auto_hide_after or 'off'}",
        )
        return True


def contributions(area: Area) -> tuple[Select[Any], Select[Any]]:
    """Counts of a person's ideas and (not deleted) comments in the area, correlated to
    `users`: add conditions with `.where`, then select them as scalar subqueries."""
    ideas = select(func.count()).where(Idea.area_id == area.id, Idea.author_id == User.id)
    comments = (
        select(func.count())
        .select_from(Comment)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(
            Idea.area_id == area.id,
            Comment.author_id == User.id,
            Comment.deleted_at.is_(None),
        )
    )
    return ideas, comments


def attention_columns() -> tuple[Any, Any]:
    """Two columns to select with a `User` row: whether the person moderates any area, and
    how many items wait for a manager in the areas they moderate. Correlated to `users`, so
    that loading the signed-in person and this count is one query."""
    managed = select(AreaManager.area_id).where(AreaManager.user_id == User.id).correlate(User)
    in_areas = or_(User.is_admin.is_(True), Report.area_id.in_(managed))
    idea_in_areas = or_(User.is_admin.is_(True), Idea.area_id.in_(managed))
    reported = (
        select(func.count(func.distinct(func.coalesce(-Report.comment_id, Report.idea_id))))
        .where(in_areas, Report.resolved_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )
    waiting_ideas = (
        select(func.count())
        .select_from(Idea)
        .where(
            idea_in_areas,
            _waiting(Idea),
        )
        .correlate(User)
        .scalar_subquery()
    )
    waiting_comments = (
        select(func.count())
        .select_from(Comment)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(
            idea_in_areas,
            Comment.deleted_at.is_(None),
            _waiting(Comment),
        )
        .correlate(User)
        .scalar_subquery()
    )
    moderates = or_(
        User.is_admin.is_(True), exists().where(AreaManager.user_id == User.id).correlate(User)
    )
    # CASE: the counts run only for people who moderate, not on every member's page.
    return moderates, case((moderates, reported + waiting_ideas + waiting_comments), else_=None)


def _newest_hidden_ideas(area: Area, newest: int = HIDDEN_SHOWN) -> Select[int]:
    """Ids of the area's newest hidden ideas, for a condition on ideas."""
    idea = aliased(Idea)
    return (
        select(idea.id)
        .where(idea.area_id == area.id, idea.moderation_state == ModerationState.HIDDEN)
        .order_by(idea.id.desc())
        .limit(newest)
    )


def _newest_hidden_comments(area: Area, newest: int = HIDDEN_SHOWN) -> Select[int]:
    """Ids of the area's newest hidden comments (not deleted), for a condition on comments."""
    comment, idea = aliased(Comment), aliased(Idea)
    return (
        select(comment.id)
        .join(idea, idea.id == comment.idea_id)
        .where(
            idea.area_id == area.id,
            comment.deleted_at.is_(None),
            comment.moderation_state == ModerationState.HIDDEN,
        )
        .order_by(comment.id.desc())
        .limit(newest)
    )


def _waiting(model: Any) -> Any:
    """An idea or comment that needs a manager: waiting for approval, or hidden with a review
    request nobody has answered yet."""
    return or_(
        model.moderation_state == ModerationState.PENDING,
        and_(
            model.moderation_state == ModerationState.HIDDEN,
            model.review_requested_at.is_not(None),
            model.review_decided_at.is_(None),
        ),
    )
