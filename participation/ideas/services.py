"""Ideas, comments and supports: the rules of taking part, and the queries behind the pages."""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from participation.accounts.models import Membership, User
from participation.areas.models import Area, FieldOfAction
from participation.areas.services import AreaService, manages, staff_role
from participation.db import Columns, run_direct, utcnow
from participation.errors import Conflict, Forbidden, NotFound, NotMember, SignInRequired
from participation.i18n import CONTENT_LANGUAGES, format_moment
from participation.i18n import gettext as _
from participation.ideas.models import (
    IDEAS,
    SUPPORTS,
    Comment,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    ModerationState,
    Support,
)
from participation.ideas.photos import ALT_TEXT_MAX, MAX_PHOTOS, NewPhoto, PhotoService, too_many
from participation.moderation.models import Block

T = TypeVar("T")

PER_PAGE = 20


class Sort(enum.Enum):
    NEWEST = "newest"
    SUPPORTED = "supported"
    DISCUSSED = "discussed"


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int
    supported_ids: set[int] = field(default_factory=set)
    """Which of the items the viewer supports."""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class IdeaFilter:
    field_id: int | None = None
    status: IdeaStatus | None = None
    sort: Sort = Sort.NEWEST
    page: int = 1


@dataclass(frozen=True)
class Viewer:
    """Who is looking or acting, with what they may do in the area at hand."""

    user: User | None
    is_member: bool = False
    is_manager: bool = False
    """A quarter manager of the area, or the district office."""
    blocked: bool = False
    blocked_until: datetime | None = None
    """When the block ends; None with `blocked` means for good."""

    @property
    def can_take_part(self) -> bool:
        return (
            self.user is not None
            and self.user.email_verified_at is not None
            and (self.is_member or self.is_manager)
            and not self.blocked
        )

    def block_message(self) -> str:
        if self.blocked_until is None:
            return _(
                "The QM team has blocked you from taking part in this area. You can still read "
                "everything here. If you think this is a mistake, please contact the QM office."
            )
        return _(
            "The QM team has blocked you from taking part in this area until %(date)s. You can "
            "still read everything here. If you think this is a mistake, please contact the "
            "QM office.",
            date=format_moment(self.blocked_until),
        )

    def sees_unpublished(self, author_id: int | None) -> bool:
        """Whether the viewer may see a hidden or waiting item by this author: its author and
        the area's managers may."""
        return self.user is not None and (self.is_manager or author_id == self.user.id)


def active_block_columns(user_id: Any, area_id: Any, now: Any = None) -> tuple[Any, Any]:
    """Two columns for a SELECT: whether the user is blocked for good in the area, and the end
    of the latest block that has an end and is still running (at `now`, a value or a bound
    parameter; the current time by default)."""
    active = and_(Block.user_id == user_id, Block.area_id == area_id, Block.lifted_at.is_(None))
    forever = exists().where(active, Block.until.is_(None))
    now = utcnow() if now is None else now
    until = select(func.max(Block.until)).where(active, Block.until > now).scalar_subquery()
    return forever, until


def viewer_columns(user_id: Any, area_id: Any, now: Any = None) -> tuple[Any, Any, Any, Any]:
    """Four columns for a SELECT that has the area's id at hand (a column or a value): what
    `viewer_from` needs to know about the user there."""
    member = exists().where(Membership.user_id == user_id, Membership.area_id == area_id)
    return (member, manages(user_id, area_id), *active_block_columns(user_id, area_id, now))


def viewer_from(user: User, member: Any, manager: Any, forever: Any, until: Any) -> Viewer:
    """The viewer, from the values of `viewer_columns`."""
    is_manager = bool(manager) or user.is_admin
    blocked = not is_manager and (bool(forever) or until is not None)
    return Viewer(
        user,
        is_member=bool(member),
        is_manager=is_manager,
        blocked=blocked,
        blocked_until=None if not blocked or forever else until,
    )


@dataclass(frozen=True)
class IdeaView:
    """An idea as one person sees it: what they may do in its area, whether they support it,
    and the staff role of its author ("manager", "admin" or None)."""

    idea: Idea
    viewer: Viewer
    supported: bool = False
    author_role: str | None = None
    comment: Comment | None = None
    """The comment read with the idea on request (see `IdeaService.view`)."""


@dataclass
class IdeaInput:
    title: str
    body: str
    field_id: int
    place: str | None
    language: str


async def followers(
    session: AsyncSession, idea_ids: Sequence[int], *, except_user_id: int
) -> dict[int, list[User]]:
    """The authors and supporters of these ideas with a confirmed address, per idea, without
    the person who acts: who is told what became of an idea (one query)."""
    if not idea_ids:
        return {}
    supporters = select(Support.user_id).where(Support.idea_id == Idea.id).correlate(Idea)
    rows = await session.execute(
        select(Idea.id, User)
        .join(User, or_(User.id == Idea.author_id, User.id.in_(supporters)))
        .where(
            Idea.id.in_(list(idea_ids)),
            User.id != except_user_id,
            User.email_verified_at.is_not(None),
        )
        .order_by(Idea.id, User.id)
    )
    people: dict[int, list[User]] = {}
    for idea_id, person in rows.all():
        people.setdefault(idea_id, []).append(person)
    return people


@functools.cache
def _view_statement(
    with_photos: bool,
    signed_in: bool,
    with_comment: bool,
    person: tuple[Any, ...] = (),
    brief: bool = False,
) -> Select[Any]:
    """The statement of `IdeaService.view`, built once per shape with bound parameters
    (idea_id; user_id and now when signed in; comment_id): on the pages read most, building
    it took longer than running it. `person`: columns of `User` read for user_id too.
    `brief`: the idea with its area only (`IdeaService._select`), no role of its author."""
    columns: list[Any] = [null() if brief else manages(Idea.author_id, Idea.area_id)]
    user_id: Any = bindparam("user_id")
    if signed_in:
        columns += _seen_by(user_id)
    statement = IdeaService._select(bindparam("idea_id"), with_photos, brief)
    statement = statement.add_columns(*columns)
    if person:
        statement = statement.add_columns(*person).outerjoin_from(Idea, User, User.id == user_id)
    if with_comment:
        statement = statement.add_columns(Comment).outerjoin_from(
            Idea, Comment, Comment.id == bindparam("comment_id")
        )
    return statement


def _seen_by(user_id: Any) -> list[Any]:
    """Five columns about the idea's viewer: the four of `viewer_columns`, then whether they
    support it."""
    supports = exists().where(Support.idea_id == Idea.id, Support.user_id == user_id)
    return [*viewer_columns(user_id, Idea.area_id, bindparam("now")), supports]


_IDEA_COLUMNS = Columns(Idea)
_AREA_COLUMNS = Columns(Area)
_USER_COLUMNS = Columns(User)


@functools.cache
def _brief_statement(person: tuple[Any, ...]) -> Select[Any]:
    """`_view_statement` for a signed-in person read with the idea, `brief`, as table columns
    for `run_direct`: the idea's, its area's, the viewer's four and whether they support it,
    the person's (`User` first in `person`) and the other columns of `person`."""
    assert person[0] is User
    user_id: Any = bindparam("user_id")
    return (
        select(
            *_IDEA_COLUMNS.columns,
            *_AREA_COLUMNS.columns,
            *_seen_by(user_id),
            *_USER_COLUMNS.columns,
            *person[1:],
        )
        .select_from(IDEAS)
        .join(_AREA_COLUMNS.table, Area.id == Idea.area_id)
        .outerjoin(_USER_COLUMNS.table, User.id == user_id)
        .where(IDEAS.c.id == bindparam("idea_id"))
    )


@functools.cache
def _support_statements(dialect: str) -> tuple[Any, Any]:
    """Adding and withdrawing a support, each counted in the idea's row while the idea is
    shown, returning the new count (no row: the idea is not shown, and nothing changed).
    Plain table statements with bound parameters, built once: the ORM's machinery, and
    building them anew for every support, cost more than running them.

    On SQLite each is two statements (a list, run in turn in one transaction). On PostgreSQL
    each is one statement that stands on its own (see `Database.session(single_write=True)`):
    it locks the idea's row while the idea is shown, changes `supports` only then, and counts
    the change in that row; an idea hidden meanwhile is found hidden once its row is free."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    supports, ideas = SUPPORTS.c, IDEAS.c
    shown = and_(ideas.id == bindparam("idea"), ideas.moderation_state == ModerationState.VISIBLE)
    if dialect != "postgresql":
        add = (
            insert(SUPPORTS)
            .values(
                idea_id=bindparam("idea"), user_id=bindparam("user"), created_at=bindparam("now")
            )
            .on_conflict_do_nothing()
        )
        withdraw = delete(SUPPORTS).where(
            supports.idea_id == bindparam("idea"), supports.user_id == bindparam("user")
        )
        count = (
            update(IDEAS)
            .where(shown)
            .values(support_count=ideas.support_count + bindparam("delta"))
            .returning(ideas.support_count)
        )
        return [add, count], [withdraw, count]

    locked = select(ideas.id).where(shown).with_for_update().cte("shown")
    idea = select(locked.c.id).scalar_subquery()
    pg_add = (
        insert(SUPPORTS)
        .from_select(
            ["idea_id", "user_id", "created_at"],
            select(
                locked.c.id,
                bindparam("user", type_=supports.user_id.type),
                bindparam("now", type_=supports.created_at.type),
            ),
        )
        .on_conflict_do_nothing()
    )
    pg_withdraw = delete(SUPPORTS).where(
        supports.idea_id == idea, supports.user_id == bindparam("user")
    )

    def counted(change: Any, sign: int) -> Any:
        changed = change.returning(literal(1)).cte("changed")
        rows = select(func.count()).select_from(changed).scalar_subquery()
        return (
            update(IDEAS)
            .where(ideas.id == idea)
            .values(support_count=ideas.support_count + sign * rows)
            .returning(ideas.support_count)
            .add_cte(locked, changed)
        )

    return counted(pg_add, 1), counted(pg_withdraw, -1)


class IdeaService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- who is acting ------------------------------------------------------------------

    async def viewer(self, user: User | None, area: Area) -> Viewer:
        """Return what the user may do in the area (one query)."""
        if user is None:
            return Viewer(None)
        row = (await self.session.execute(select(*viewer_columns(user.id, area.id)))).one()
        return viewer_from(user, *row)

    async def area_for(self, slug: str, user: User | None) -> tuple[Area, Viewer]:
        """Return the area with what the user may do there (one query); raise NotFound."""
        if user is None:
            return await AreaService(self.session).by_slug(slug), Viewer(None)
        row = (
            await self.session.execute(
                select(Area, *viewer_columns(user.id, Area.id)).where(Area.slug == slug)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(_("There is no area at this address."))
        return row[0], viewer_from(user, *row[1:])

    def require_participant(self, viewer: Viewer, area: Area) -> User:
        if viewer.user is None:
            raise SignInRequired(_("Please sign in to take part."))
        if not area.is_active:
            raise Forbidden(
                _("This area is in consolidation. Its pages stay readable as an archive.")
            )
        if viewer.user.email_verified_at is None:
            raise Forbidden(
                _(
                    "Please confirm your e-mail address first: open the link we sent you. "
                    "On your profile page you can ask for a new one."
                )
            )
        if viewer.blocked:
            raise Forbidden(viewer.block_message())
        if not viewer.can_take_part:
            raise NotMember(_("Please join this area first to take part here."))
        return viewer.user

    @staticmethod
    def require_published(idea: Idea) -> None:
        """Raise unless people can react to the idea: not hidden, not waiting for review."""
        if idea.moderation_state is ModerationState.HIDDEN:
            raise Conflict(_("This idea was hidden by moderation. Nobody can react to it now."))
        if idea.moderation_state is ModerationState.PENDING:
            raise Conflict(_("This idea is waiting for review by the QM team."))

    def check_readable(self, viewer: Viewer, idea: Idea) -> None:
        """Raise NotFound for an idea waiting for review, unless its author or a manager asks;
        a hidden idea stays at its address as a placeholder."""
        if idea.moderation_state is ModerationState.PENDING and not viewer.sees_unpublished(
            idea.author_id
        ):
            raise NotFound(_("This idea does not exist or is no longer shown."))

    # -- reading ------------------------------------------------------------------------

    async def find(
        self,
        area: Area,
        flt: IdeaFilter,
        per_page: int = PER_PAGE,
        viewer: User | None = None,
    ) -> Page[Idea]:
        """Return one page of the area's visible ideas, with author and field loaded, and
        which of them the viewer supports (one query; two with a filter, which counts)."""
        conditions = [Idea.area_id == area.id, Idea.moderation_state == ModerationState.VISIBLE]
        if flt.field_id is not None:
            conditions.append(Idea.field_id == flt.field_id)
        if flt.status is not None:
            conditions.append(Idea.status == flt.status)
        where = and_(*conditions)
        if flt.field_id is None and flt.status is None:
            total = area.idea_count  # kept in the area's row with every change
        else:
            total = (await self.session.execute(select(func.count()).where(where))).scalar_one()
        order: list[Any] = {
            Sort.NEWEST: [Idea.created_at.desc(), Idea.id.desc()],
            Sort.SUPPORTED: [Idea.support_count.desc(), Idea.created_at.desc(), Idea.id.desc()],
            Sort.DISCUSSED: [Idea.comment_count.desc(), Idea.created_at.desc(), Idea.id.desc()],
        }[flt.sort]
        pages = max(1, math.ceil(total / per_page))
        number = min(max(1, flt.page), pages)
        supported = (
            exists().where(Support.idea_id == Idea.id, Support.user_id == viewer.id)
            if viewer is not None
            else literal(False)
        )
        rows = (
            await self.session.execute(
                select(Idea, supported)
                .where(where)
                .options(joinedload(Idea.author), joinedload(Idea.field))
                .order_by(*order)
                .limit(per_page)
                .offset((number - 1) * per_page)
            )
        ).all()
        return Page(
            [row[0] for row in rows],
            number,
            per_page,
            total,
            supported_ids={row[0].id for row in rows if row[1]},
        )

    @staticmethod
    def _select(idea_id: Any, with_photos: bool, brief: bool = False) -> Select[Any]:
        """The idea with area, field and author (`brief`: with its area only, what a support
        and a comment check and answer with; loading the others cost more than the query)."""
        statement = select(Idea).where(Idea.id == idea_id).options(joinedload(Idea.area))
        if not brief:
            statement = statement.options(joinedload(Idea.field), joinedload(Idea.author))
        if with_photos:
            statement = statement.options(joinedload(Idea.photos).joinedload(IdeaPhoto.variants))
        return statement

    async def get(self, idea_id: int, *, with_photos: bool = False) -> Idea:
        """Return the idea with area, field and author (and its photos with their variants, in
        the same query), or raise NotFound. It may be hidden or waiting for review: callers
        check with `check_readable` and `require_published`."""
        statement = self._select(idea_id, with_photos)
        idea: Idea | None = (await self.session.execute(statement)).unique().scalar_one_or_none()
        if idea is None:
            raise NotFound(_("This idea does not exist or is no longer shown."))
        return idea

    async def view(
        self,
        idea_id: int,
        user: User | None,
        *,
        with_photos: bool = False,
        with_comment: int | None = None,
        brief: bool = False,
    ) -> IdeaView:
        """Return the idea as `get` does, with what the user may do in its area, whether they
        support it and the staff role of its author, all in the same query; raise NotFound.
        `with_comment` names a comment to read in that query too (the one a reply answers): kept
        in `IdeaView.comment`, the session then finds it without asking the database again.
        `brief`: the idea with its area only, without field, author and the author's role."""
        user_id = user.id if user is not None else None
        return await self._view(
            idea_id,
            user_id,
            (),
            lambda _: user,
            with_photos=with_photos,
            with_comment=with_comment,
            brief=brief,
        )

    async def view_with_person(
        self,
        idea_id: int,
        user_id: int,
        person: tuple[Any, ...],
        accept: Callable[[Sequence[Any]], User | None],
        *,
        with_photos: bool = False,
        with_comment: int | None = None,
        brief: bool = False,
    ) -> IdeaView:
        """`view` for a person known so far only by the id a session names: the columns
        `person` (of `User`, the account first) are read for them in the same query, one
        query less than reading the account first. `accept` takes their values and returns
        the user it accepts as signed in, or None: the idea is then seen as by someone signed
        out. When the idea is not found (NotFound), the person has not been read."""
        return await self._view(
            idea_id,
            user_id,
            person,
            accept,
            with_photos=with_photos,
            with_comment=with_comment,
            brief=brief,
        )

    async def _view(
        self,
        idea_id: int,
        user_id: int | None,
        person: tuple[Any, ...],
        accept: Callable[[Sequence[Any]], User | None],
        *,
        with_photos: bool,
        with_comment: int | None,
        brief: bool,
    ) -> IdeaView:
        signed_in = user_id is not None
        direct = self.session.info.get("direct") is not None  # a support, a comment
        if direct and brief and person and not with_photos and with_comment is None:
            return await self._brief_view(idea_id, user_id, person, accept)
        statement = _view_statement(with_photos, signed_in, with_comment is not None, person, brief)
        values: dict[str, Any] = {"idea_id": idea_id}
        if signed_in:
            values.update(user_id=user_id, now=utcnow())
        if with_comment is not None:
            values["comment_id"] = with_comment
        row = (await self.session.execute(statement, values)).unique().one_or_none()
        if row is None:
            raise NotFound(_("This idea does not exist or is no longer shown."))
        user = accept(row[7 : 7 + len(person)]) if signed_in else None
        idea: Idea = row[0]
        author_role = None if brief else staff_role(idea.author, bool(row[1]))
        comment = row[-1] if with_comment is not None else None
        if user is None:
            return IdeaView(idea, Viewer(None), author_role=author_role, comment=comment)
        return IdeaView(idea, viewer_from(user, *row[2:6]), bool(row[6]), author_role, comment)

    async def _brief_view(
        self,
        idea_id: int,
        user_id: int | None,
        person: tuple[Any, ...],
        accept: Callable[[Sequence[Any]], User | None],
    ) -> IdeaView:
        """`_view` of a support and a comment (brief, with the person), read with `run_direct`:
        the ORM's loading of the idea, its area and the person cost more than the query."""
        values = {"idea_id": idea_id, "user_id": user_id, "now": utcnow()}
        row = (await run_direct(self.session, _brief_statement(person), values)).one_or_none()
        if row is None:
            raise NotFound(_("This idea does not exist or is no longer shown."))
        return self._brief_from(row, person, accept)

    @staticmethod
    def _brief_from(
        row: tuple[Any, ...],
        person: tuple[Any, ...],
        accept: Callable[[Sequence[Any]], User | None],
    ) -> IdeaView:
        """The view from a row of `_brief_statement` (the columns after those are left)."""
        seen_at = len(_IDEA_COLUMNS.keys) + len(_AREA_COLUMNS.keys)
        idea = _IDEA_COLUMNS.take(row, 0, area=_AREA_COLUMNS.take(row, len(_IDEA_COLUMNS.keys)))
        assert idea is not None
        *viewer, supported = row[seen_at : seen_at + 5]  # `_seen_by`
        people = seen_at + 5
        found = _USER_COLUMNS.take(row, people)
        rest = people + len(_USER_COLUMNS.keys)
        user = accept((found, *row[rest : rest + len(person) - 1]))
        if user is None:
            return IdeaView(idea, Viewer(None))
        return IdeaView(idea, viewer_from(user, *viewer), bool(supported))

    async def latest(self, area: Area, number: int) -> Page[Idea]:
        """Return the area's newest visible ideas with author and field loaded, and how many
        visible ideas it has (one query)."""
        visible = and_(Idea.area_id == area.id, Idea.moderation_state == ModerationState.VISIBLE)
        total = select(func.count()).select_from(Idea).where(visible).correlate(None)
        rows = (
            await self.session.execute(
                select(Idea, total.scalar_subquery())
                .where(visible)
                .options(joinedload(Idea.author), joinedload(Idea.field))
                .order_by(Idea.created_at.desc(), Idea.id.desc())
                .limit(number)
            )
        ).all()
        return Page([row[0] for row in rows], 1, number, int(rows[0][1]) if rows else 0)

    def check_editable(self, viewer: Viewer, idea: Idea) -> None:
        """Raise unless the viewer may edit the idea now."""
        user = self.require_participant(viewer, idea.area)
        if idea.author_id != user.id:
            raise Forbidden(_("Only the author can edit this idea."))
        if idea.moderation_state is ModerationState.HIDDEN:
            raise Conflict(_("This idea was hidden by moderation. Nobody can react to it now."))
        if idea.support_count or idea.comment_count:
            raise Conflict(
                _("This idea can no longer be edited because people have already reacted to it.")
            )

    def can_edit(self, viewer: Viewer, idea: Idea) -> bool:
        return (
            viewer.user is not None
            and idea.author_id == viewer.user.id
            and idea.area.is_active
            and not viewer.blocked
            and idea.moderation_state is not ModerationState.HIDDEN
            and idea.support_count == 0
            and idea.comment_count == 0
        )

    # -- writing ------------------------------------------------------------------------

    async def check_input(self, area: Area, data: IdeaInput) -> FieldOfAction:
        if data.language not in CONTENT_LANGUAGES:
            raise Conflict(_("Please choose a language from the list."), field="language")
        field_ = await AreaService(self.session).field(area, data.field_id)
        if field_ is None:
            raise Conflict(_("Please choose a field of action from the list."), field="field")
        return field_

    def _check_photos(self, photos: Sequence[NewPhoto], room: int) -> None:
        for photo in photos:
            if not 1 <= len(photo.alt_text.strip()) <= ALT_TEXT_MAX:
                raise Conflict(
                    _("Please describe what the photo shows, for people who cannot see it."),
                    field=f"{photo.field}_alt",
                )
        if len(photos) > room:
            raise Conflict(too_many(), field=photos[0].field)

    async def post(
        self, viewer: Viewer, area: Area, data: IdeaInput, *, photos: Sequence[NewPhoto] = ()
    ) -> Idea:
        """Post an idea in the area as the viewer, with up to MAX_PHOTOS photos; raise when
        they may not."""
        user = self.require_participant(viewer, area)
        await self.check_input(area, data)
        self._check_photos(photos, MAX_PHOTOS)
        waits = area.premoderated and not viewer.is_manager
        idea = await self.add(
            area,
            user,
            data,
            state=ModerationState.PENDING if waits else ModerationState.VISIBLE,
        )
        await PhotoService(self.session).add(idea.id, photos, language=data.language)
        return idea

    async def add(
        self,
        area: Area,
        author: User,
        data: IdeaInput,
        *,
        state: ModerationState,
        submitted_by_office: bool = False,
    ) -> Idea:
        """Store an idea whose input was checked, keeping the area's count of shown ideas."""
        idea = Idea(
            area_id=area.id,
            field_id=data.field_id,
            author_id=author.id,
            title=data.title,
            body=data.body,
            place=data.place or None,
            language=data.language,
            moderation_state=state,
            submitted_by_office=submitted_by_office,
        )
        self.session.add(idea)
        if state is ModerationState.VISIBLE:
            await self.session.execute(
                update(Area).where(Area.id == area.id).values(idea_count=Area.idea_count + 1)
            )
        await self.session.flush()
        return idea

    async def edit(
        self,
        viewer: Viewer,
        idea: Idea,
        data: IdeaInput,
        *,
        photos: Sequence[NewPhoto] = (),
        remove_photo_ids: Sequence[int] = (),
    ) -> None:
        """Change the idea's text, add photos and remove some of its photos; only its author,
        and only while nobody reacted to it. Every rule is checked before anything is written."""
        user = self.require_participant(viewer, idea.area)
        if idea.author_id != user.id:
            raise Forbidden(_("Only the author can edit this idea."))
        await self.check_input(idea.area, data)
        album = PhotoService(self.session)
        if photos:
            # Edits of one idea count its photos one after the other (a no-op on SQLite, where
            # writers are serialised anyway).
            await self.session.execute(select(Idea.id).where(Idea.id == idea.id).with_for_update())
            kept = await album.count(idea.id, excluding=remove_photo_ids)
            self._check_photos(photos, MAX_PHOTOS - kept)
        result = await self.session.execute(
            update(Idea)
            .where(
                Idea.id == idea.id,
                Idea.support_count == 0,
                Idea.comment_count == 0,
                Idea.moderation_state != ModerationState.HIDDEN,
            )
            .values(
                title=data.title,
                body=data.body,
                field_id=data.field_id,
                place=data.place or None,
                language=data.language,
                edited_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                _("This idea can no longer be edited because people have already reacted to it.")
            )
        await album.remove(idea.id, remove_photo_ids)
        await album.add(idea.id, photos, language=data.language)

    async def set_support(self, viewer: Viewer, idea: Idea, *, support: bool) -> int:
        """Support or withdraw support (idempotent); return the exact new count. The viewer and
        the idea may come from an earlier read transaction (see `views.idea_support`)."""
        user = self.require_participant(viewer, idea.area)
        self.require_published(idea)
        add, withdraw = _support_statements(self.session.get_bind().dialect.name)
        statement = add if support else withdraw
        values = {"idea": idea.id, "user": user.id, "now": utcnow()}
        if isinstance(statement, list):  # SQLite: the change, then the count by its rows
            change, count_change = statement
            rows = (await run_direct(self.session, change, values)).rowcount
            delta = (1 if support else -1) * rows
            values["delta"] = delta
            result = await run_direct(self.session, count_change, values)
        else:
            result = await run_direct(self.session, statement, values)
        count = result.scalar_one_or_none()
        if count is None:
            raise Conflict(_("This idea was hidden by moderation. Nobody can react to it now."))
        # Known to be stored already: setting it plainly would write it once more on commit.
        set_committed_value(idea, "support_count", count)
        return int(count)
