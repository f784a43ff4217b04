"""Who may vote in a process: members of the area with a confirmed e-mail address, not blocked,
in an active area, holding a stakeholder role the process allows (every role when it names
none), and verified by the QM office when the process asks for that.

Quarter managers and the district office take no part as such: they vote only as members of
the area, under the same rules as everyone else, so that the QM team's role never adds a vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.areas.models import Area
from participation.concepts.models import Process
from participation.errors import NotFound
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.ideas.services import Viewer, viewer_columns, viewer_from
from participation.moderation.access import note_moderator

ROLE_GROUPS = {
    StakeholderRole.RESIDENT: _l("residents"),
    StakeholderRole.BUSINESS: _l("businesses"),
    StakeholderRole.OWNER: _l("property owners"),
    StakeholderRole.INSTITUTION: _l("local institutions"),
}
"""The roles as groups of people, inside a sentence."""


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may vote in a process, and if not, why (translated)."""

    ok: bool
    reason: str | None = None
    remedy: str | None = None
    """What the person can do about it: "sign_in", "join", "confirm_email", "verify" or None."""
    roles: tuple[str, ...] = ()
    """The person's stakeholder roles in the area (values, sorted)."""


@dataclass(frozen=True)
class Standing:
    """What is known about a person in an area: what they may do there (`viewer`), their
    stakeholder roles (values, sorted) and whether the QM office verified their membership."""

    viewer: Viewer
    roles: tuple[str, ...] = ()
    verified: bool = False

    def eligibility(self, area: Area, process: Process | None) -> Eligibility:
        """Whether the person may vote in the area's process, and why not (no query)."""
        if self.viewer.user is None:
            return Eligibility(False, _("Sign in to vote."), "sign_in")
        return judge(self.viewer, area, process, self.roles, verified=self.verified)


def standing_columns(user: User | None, area_id: Any) -> list[Any]:
    """Columns for a SELECT that has the area's id at hand (a column or a value): what
    `standing_from` needs to know about the user there; none for anonymous visitors."""
    if user is None:
        return []
    membership = and_(Membership.user_id == user.id, Membership.area_id == area_id)
    verified = exists().where(membership, Membership.verified_at.is_not(None))
    roles = [
        exists().where(
            membership, MembershipRole.membership_id == Membership.id, MembershipRole.role == role
        )
        for role in StakeholderRole
    ]
    return [*viewer_columns(user.id, area_id), verified, *roles]


def standing_from(user: User | None, values: Sequence[Any]) -> Standing:
    """The standing, from the values of `standing_columns`."""
    if user is None:
        return Standing(Viewer(None))
    viewer = viewer_from(user, *values[:4])
    held = zip(StakeholderRole, values[5:], strict=True)
    return Standing(viewer, tuple(sorted(r.value for r, has in held if has)), bool(values[4]))


async def area_standing(
    session: AsyncSession,
    user: User | None,
    *,
    slug: str | None = None,
    area_id: int | None = None,
    with_concepts: bool = False,
) -> tuple[Area, Standing]:
    """Return the area with this slug or id (with its concepts, if asked) and the user's
    standing there (one query); raise NotFound."""
    found = Area.slug == slug if slug is not None else Area.id == area_id
    statement = select(Area, *standing_columns(user, Area.id)).where(found)
    if with_concepts:
        statement = statement.options(joinedload(Area.concepts))
    row = (await session.execute(statement)).unique().one_or_none()
    if row is None:
        raise NotFound(_("There is no area at this address."))
    area, standing = row[0], standing_from(user, row[1:])
    note_moderator(session, user, area, standing.viewer.is_manager)
    return area, standing


async def assess(
    session: AsyncSession,
    user: User | None,
    area: Area | None,
    area_id: int,
    process: Process | None,
) -> tuple[Area, Eligibility]:
    """The area (given, or loaded by its id) and whether the user may vote in its process (one
    query; none for anonymous visitors when the area is given)."""
    if user is None:
        if area is None:
            area = await session.get(Area, area_id)
        if area is None:
            raise NotFound(_("There is no area at this address."))
        return area, Eligibility(False, _("Sign in to vote."), "sign_in")
    row = (
        await session.execute(
            select(Area, *standing_columns(user, Area.id)).where(Area.id == area_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound(_("There is no area at this address."))
    found, standing = row[0], standing_from(user, row[1:])
    return found, standing.eligibility(found, process)


def judge(
    viewer: Viewer,
    area: Area,
    process: Process | None,
    roles: tuple[str, ...],
    *,
    verified: bool,
) -> Eligibility:
    """Whether the signed-in viewer may vote, from what is known about them."""
    user = viewer.user
    assert user is not None
    if not area.is_active:
        return Eligibility(
            False, _("This area is in consolidation. Its pages stay readable as an archive.")
        )
    if not viewer.is_member:
        return Eligibility(False, _("Join the area to vote."), "join")
    if viewer.blocked:
        return Eligibility(False, viewer.block_message(), roles=roles)
    if user.email_verified_at is None:
        return Eligibility(
            False,
            _("Please confirm your e-mail address first: open the link we sent you."),
            "confirm_email",
            roles,
        )
    allowed = process.voter_roles if process else []
    if allowed and not set(allowed) & set(roles):
        names = [str(ROLE_GROUPS[r]) for r in StakeholderRole if r.value in allowed]
        return Eligibility(
            False,
            _("In this vote, %(roles)s can vote.", roles=format_list(names, locale=get_locale())),
            roles=roles,
        )
    if process is not None and process.verified_only and not verified:
        return Eligibility(
            False,
            _("Verify your membership at the QM office to vote: ask for a code there."),
            "verify",
            roles,
        )
    return Eligibility(True, roles=roles)
