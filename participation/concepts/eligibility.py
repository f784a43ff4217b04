"""Who may vote in a process: members of the area with a confirmed e-mail address, not blocked,
in an active area, holding a stakeholder role the process allows (every role when it names
none), and verified by the QM office when the process asks for that.

Quarter managers and the district office take no part as such: they vote only as members of
the area, under the same rules as everyone else, so that the QM team's role never adds a vote.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.areas.models import Area, AreaManager
from participation.concepts.models import Process
from participation.errors import NotFound
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.ideas.services import Viewer, active_block_columns

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
    forever, until = active_block_columns(user.id, Area.id)
    manages = exists().where(AreaManager.user_id == user.id, AreaManager.area_id == Area.id)
    rows = (
        await session.execute(
            select(
                Area,
                Membership.id,
                Membership.verified_at,
                MembershipRole.role,
                manages,
                forever,
                until,
            )
            .select_from(Area)
            .outerjoin(
                Membership, and_(Membership.area_id == Area.id, Membership.user_id == user.id)
            )
            .outerjoin(MembershipRole, MembershipRole.membership_id == Membership.id)
            .where(Area.id == area_id)
        )
    ).all()
    if not rows:
        raise NotFound(_("There is no area at this address."))
    found, membership_id, verified_at, _role, manager, blocked_forever, blocked_until = rows[0]
    roles = tuple(sorted(row[3].value for row in rows if row[3] is not None))
    is_manager = bool(manager) or user.is_admin
    # The same rule as IdeaService.viewer: the QM team and the district office are not blocked.
    blocked = not is_manager and (bool(blocked_forever) or blocked_until is not None)
    viewer = Viewer(
        user,
        is_member=membership_id is not None,
        is_manager=is_manager,
        blocked=blocked,
        blocked_until=None if not blocked or blocked_forever else blocked_until,
    )
    return found, judge(viewer, found, process, roles, verified=verified_at is not None)


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
