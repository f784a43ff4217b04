"""Comments on ideas, with one level of replies: the rules and the queries behind the page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, exists, insert, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from participation.accounts.models import Membership, User
from participation.areas.models import Area, AreaStatus
from participation.areas.services import manages, staff_role
from participation.db import DirectResult, run_direct, utcnow
from participation.errors import Conflict, Forbidden, NotFound, SignInRequired
from participation.i18n import CONTENT_LANGUAGES
from participation.i18n import gettext as _
from participation.ideas.models import COMMENTS, IDEAS, Comment, Idea, ModerationState
from participation.ideas.services import (
    IdeaService,
    IdeaView,
    Viewer,
    _brief_statement,
    active_block_columns,
)

_COMMENT_VALUES = (
    "idea_id",
    "parent_id",
    "author_id",
    "body",
    "language",
    "moderation_state",
    "created_at",
)
_ADD_COMMENT = (
    insert(COMMENTS)
    .values({column: bindparam(f"new_{column}") for column in _COMMENT_VALUES})
    .returning(COMMENTS.c.id, COMMENTS.c.idea_id)
)
_COUNT_COMMENTS = (
    update(IDEAS)
    .where(IDEAS.c.id == bindparam("idea"))
    .values(comment_count=IDEAS.c.comment_count + bindparam("delta"))
    .returning(IDEAS.c.comment_count, IDEAS.c.moderation_state)
)
_shown = (
    select(IDEAS.c.id)
    .where(
        IDEAS.c.id == bindparam("new_idea_id"),
        IDEAS.c.moderation_state == ModerationState.VISIBLE,
    )
    .with_for_update()
    .cte("shown")
)


def _added_to(shown: Any) -> Any:
    """A WITH clause that adds the comment (its `new_` parameters) to the idea `shown`
    selects, when it selects one; returning the new id and the idea's."""
    return (
        insert(COMMENTS)
        .from_select(
            list(_COMMENT_VALUES),
            select(
                shown.c.id,
                *(
                    bindparam(f"new_{column}", type_=COMMENTS.c[column].type)
                    for column in _COMMENT_VALUES[1:]
                ),
            ),
        )
        .returning(COMMENTS.c.id, COMMENTS.c.idea_id)
        .cte("added")
    )


def _parameters(values: dict[str, Any]) -> dict[str, Any]:
    """The `new_` parameters of a comment's values: named apart from the columns."""
    return {f"new_{column}": value for column, value in values.items()}


_added = _added_to(_shown)
_ADD_COUNTED_COMMENT = (
    update(IDEAS)
    .where(IDEAS.c.id == select(_added.c.idea_id).scalar_subquery())
    .values(comment_count=IDEAS.c.comment_count + 1)
    .returning(
        select(_added.c.id).scalar_subquery().label("comment_id"),
        IDEAS.c.comment_count,
        IDEAS.c.moderation_state,
    )
    .add_cte(_shown, _added)
)
"""Plain table statements with bound parameters, built once: the ORM's machinery, and
building them anew for every comment, cost more than running them. On PostgreSQL a shown
comment is one statement that stands on its own (see `Database.session(single_write=True)`):
it locks the idea's row while the idea is shown, adds the comment only then (in the WITH
clause, which SQLite cannot) and counts it in that row. Its parameters are named apart from
the columns: an UPDATE sets every column named by a parameter it gets."""


@functools.cache
def _read_and_comment(person: tuple[Any, ...]) -> Select[Any]:
    """A shown comment read and written in one statement, on PostgreSQL (see
    `CommentService.read_and_comment`): the columns of `_brief_statement`, then the new
    comment's id and the idea's new count of comments, both NULL when nothing was written.

    It writes only for someone the rules let comment at once: signed in (the session's epoch
    matches), e-mail confirmed, a member of the area without a running block, in an active
    area without review before publication, on a shown idea; it locks the idea's row for
    that, as `_ADD_COUNTED_COMMENT` does. Everyone else (managers who are not members, too)
    takes the usual way, on what it read."""
    user_id: Any = bindparam("user_id")
    areas, users = cast(Table, Area.__table__), cast(Table, User.__table__)
    area_id = IDEAS.c.area_id
    forever, until = active_block_columns(user_id, area_id, bindparam("now"))
    shown = (
        select(IDEAS.c.id)
        .select_from(IDEAS)
        .join(areas, areas.c.id == area_id)
        .join(users, users.c.id == user_id)
        .where(
            and_(
                IDEAS.c.id == bindparam("idea_id"),
                IDEAS.c.moderation_state == ModerationState.VISIBLE,
                areas.c.status == AreaStatus.ACTIVE,
                areas.c.premoderated.is_(False),
                users.c.session_epoch == bindparam("epoch", type_=users.c.session_epoch.type),
                users.c.email_verified_at.is_not(None),
                exists().where(Membership.user_id == user_id, Membership.area_id == area_id),
                ~forever,
                until.is_(None),
            )
        )
        .with_for_update(of=IDEAS)
        .cte("shown")
    )
    added = _added_to(shown)
    counted = (
        update(IDEAS)
        .where(IDEAS.c.id == select(added.c.idea_id).scalar_subquery())
        .values(comment_count=IDEAS.c.comment_count + 1)
        .returning(IDEAS.c.comment_count)
        .cte("counted")
    )
    return (
        _brief_statement(person)
        .add_columns(
            select(added.c.id).scalar_subquery(), select(counted.c.comment_count).scalar_subquery()
        )
        .add_cte(shown, added, counted)
    )


def _written(result: DirectResult) -> bool:
    return bool(result.rows) and result.rows[0][-2] is not None


@dataclass
class Thread:
    """A top-level comment with its replies; `comment` is None-bodied when deleted."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)


class CommentService(IdeaService):
    """Comments need the same checks of who takes part as ideas; hence the base class."""

    async def threads(
        self, idea: Idea, viewer: Viewer | None = None
    ) -> tuple[list[Thread], dict[int, str]]:
        """Return the idea's comment threads, oldest first; deleted ones only if replied to;
        and the staff roles of their authors who have one (one query).

        Hidden comments are included (the page shows a placeholder, or the text to their
        author and the managers); comments waiting for review only for those who may see them.
        """
        result = await self.session.execute(
            select(Comment, manages(Comment.author_id, idea.area_id))
            .where(Comment.idea_id == idea.id)
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
        threads: dict[int, Thread] = {}
        replies: list[Comment] = []
        staff: dict[int, str] = {}
        for comment, author_manages in result.all():
            role = staff_role(comment.author, bool(author_manages))
            if role is not None and comment.author_id is not None:
                staff[comment.author_id] = role
            if comment.moderation_state is ModerationState.PENDING and not (
                viewer is not None and viewer.sees_unpublished(comment.author_id)
            ):
                continue
            if comment.parent_id is None:
                threads[comment.id] = Thread(comment)
            else:
                replies.append(comment)
        for reply in replies:
            if reply.deleted_at is None and reply.parent_id in threads:
                threads[reply.parent_id].replies.append(reply)
        shown = [t for t in threads.values() if t.comment.deleted_at is None or t.replies]
        return shown, staff

    async def comment(
        self,
        viewer: Viewer,
        idea: Idea,
        *,
        body: str,
        language: str,
        parent_id: int | None = None,
        parent: Comment | None = None,
    ) -> Comment:
        """Comment on the idea, or reply to a comment (replies to replies join the thread).
        `parent` is the comment of `parent_id` when the caller read it already."""
        user = self.require_participant(viewer, idea.area)
        self.require_published(idea)
        if language not in CONTENT_LANGUAGES:
            raise Conflict(_("Please choose a language from the list."), field="language")
        if parent_id is not None:
            if parent is None or parent.id != parent_id:
                parent = await self.session.get(Comment, parent_id)
            if parent is None or parent.idea_id != idea.id or parent.deleted_at is not None:
                raise Conflict(_("The comment you replied to is no longer there."), field="body")
            parent_id = parent.parent_id or parent.id
        waits = idea.area.premoderated and not viewer.is_manager
        values = {
            "idea_id": idea.id,
            "parent_id": parent_id,
            "author_id": user.id,
            "body": body,
            "language": language,
            "moderation_state": ModerationState.PENDING if waits else ModerationState.VISIBLE,
            "created_at": utcnow(),
        }
        # Plain statements, built once: the ORM's unit of work cost more than them.
        parameters = _parameters(values)
        if waits:  # counted once it is published
            comment_id = (await run_direct(self.session, _ADD_COMMENT, parameters)).scalar_one()
        elif self.session.get_bind().dialect.name == "postgresql":
            # One statement: the INSERT in the WITH clause of the counter's UPDATE.
            row = (await run_direct(self.session, _ADD_COUNTED_COMMENT, parameters)).one_or_none()
            if row is None:  # hidden since it was read: nothing was written
                raise Conflict(_("This idea was hidden by moderation. Nobody can react to it now."))
            comment_id, count, state = row
            self._counted(idea, +1, count, state)
        else:
            comment_id = (await run_direct(self.session, _ADD_COMMENT, parameters)).scalar_one()
            await self._count_comments(idea, +1)
        # The new comment as the page shows it (nothing else of it is set yet).
        return Comment(id=comment_id, **values)

    def comments_at_once(self) -> bool:
        """Whether `read_and_comment` can run here: on PostgreSQL, on the driver (a
        single-write session, see `run_direct`)."""
        return (
            self.session.info.get("direct") is not None
            and self.session.get_bind().dialect.name == "postgresql"
        )

    async def read_and_comment(
        self,
        idea_id: int,
        user_id: int,
        person: tuple[Any, ...],
        accept: Callable[[Sequence[Any]], User | None],
        *,
        epoch: object,
        body: str,
        language: str,
    ) -> tuple[IdeaView, Comment | None] | None:
        """Read the idea as `IdeaService.view_with_person` does (brief) and, where the rules
        let the person comment at once (see `_read_and_comment`), add their comment (not a
        reply) in the same statement: one round trip to the database instead of two. Returns
        the view and the new comment, or None for the comment when nothing was written: the
        caller then checks and writes as usual, on this view. None when the idea is not
        there (nothing read). Only where `comments_at_once`."""
        if language not in CONTENT_LANGUAGES:
            raise Conflict(_("Please choose a language from the list."), field="language")
        values = {
            "idea_id": idea_id,
            "parent_id": None,
            "author_id": user_id,
            "body": body,
            "language": language,
            "moderation_state": ModerationState.VISIBLE,
            "created_at": utcnow(),
        }
        parameters = _parameters(values)
        parameters.update(idea_id=idea_id, user_id=user_id, now=values["created_at"], epoch=epoch)
        found = await run_direct(
            self.session, _read_and_comment(person), parameters, wrote=_written
        )
        row = found.one_or_none()
        if row is None:
            return None
        view = self._brief_from(row, person, accept)
        comment_id, count = row[-2:]
        if comment_id is None:
            return view, None
        # What the statement checked, the rules say too (the tests hold them to it).
        self.require_participant(view.viewer, view.idea.area)
        self.require_published(view.idea)
        set_committed_value(view.idea, "comment_count", count)
        return view, Comment(id=comment_id, **values)

    async def get_comment(self, comment_id: int) -> Comment:
        comment = await self.session.get(Comment, comment_id)
        if comment is None or comment.deleted_at is not None:
            raise NotFound(_("This comment does not exist or was deleted."))
        return comment

    def require_author(self, viewer: Viewer, comment: Comment) -> None:
        if viewer.user is None:
            raise SignInRequired(_("Please sign in to take part."))
        if comment.author_id != viewer.user.id:
            raise Forbidden(_("Only the author can change this comment."))

    async def edit_comment(self, viewer: Viewer, idea: Idea, comment: Comment, body: str) -> None:
        self.require_participant(viewer, idea.area)
        self.require_author(viewer, comment)
        if comment.moderation_state is ModerationState.HIDDEN:
            raise Conflict(_("This comment was hidden by moderation and can no longer be changed."))
        comment.body = body
        comment.edited_at = utcnow()

    async def delete_comment(self, viewer: Viewer, idea: Idea, comment: Comment) -> None:
        """Delete the author's comment; with replies it leaves a placeholder."""
        self.require_author(viewer, comment)
        result = await self.session.execute(
            update(Comment)
            .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
            .values(deleted_at=utcnow(), body="")
            .returning(Comment.moderation_state)
            .execution_options(synchronize_session=False)
        )
        if result.scalar_one_or_none() is ModerationState.VISIBLE:
            await self._count_comments(idea, -1)

    async def _count_comments(self, idea: Idea, delta: int) -> None:
        """Keep the idea's count of shown comments (neither hidden, waiting nor deleted)."""
        count, state = (
            await run_direct(self.session, _COUNT_COMMENTS, {"idea": idea.id, "delta": delta})
        ).one()
        self._counted(idea, delta, count, state)

    @staticmethod
    def _counted(idea: Idea, delta: int, count: int, state: ModerationState) -> None:
        if delta > 0 and state is not ModerationState.VISIBLE:
            # Read in an earlier transaction, hidden since: nothing is written.
            raise Conflict(_("This idea was hidden by moderation. Nobody can react to it now."))
        # Known to be stored already: setting it plainly would write it once more on commit.
        set_committed_value(idea, "comment_count", count)
