"""The results of a vote: counts and shares per proposal, and the same by stakeholder role.

Counts only: nothing here ever says who voted how."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from babel.numbers import format_percent
from sqlalchemy import Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from participation.accounts.models import StakeholderRole
from participation.areas.models import Concept, FieldOfAction
from participation.concepts.models import Choice, Process, Proposal, Vote
from participation.i18n import get_locale
from participation.i18n import lazy_gettext as _l

ROLE_HEADINGS = {
    StakeholderRole.RESIDENT: _l("Residents"),
    StakeholderRole.BUSINESS: _l("Businesses"),
    StakeholderRole.OWNER: _l("Property owners"),
    StakeholderRole.INSTITUTION: _l("Local institutions"),
}


def role_heading(role: StakeholderRole) -> str:
    return str(ROLE_HEADINGS[role])


def format_share(percent: float) -> str:
    """A share given in percent, as the current language writes it ("33,3 %")."""
    return format_percent(round(percent / 100, 3), locale=get_locale(), decimal_quantization=False)


@dataclass
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain

    def count(self, choice: Choice) -> int:
        return int(getattr(self, choice.value))

    def add(self, choice: Choice, number: int) -> None:
        setattr(self, choice.value, self.count(choice) + number)

    def share(self, choice: Choice) -> float:
        """The choice's share of all votes in percent, to one decimal."""
        return round(100 * self.count(choice) / self.total, 1) if self.total else 0.0


@dataclass
class ProposalResult(Tally):
    """The counts of one proposal, and the same broken down by the voters' roles at the time
    they voted (a voter with two roles counts in both)."""

    proposal: Proposal = field(kw_only=True)
    by_role: dict[StakeholderRole, Tally] = field(kw_only=True, default_factory=dict)


async def count_votes(
    session: AsyncSession, concept: Concept, process: Process | None
) -> list[ProposalResult]:
    """Every proposal of the concept with its field of action, in the order of the concept page,
    with its counts (the exact counters on the proposal) and the breakdown by the roles the
    process lets vote and any role that voted (two queries)."""
    proposals = (
        (
            await session.execute(
                select(Proposal)
                .join(Proposal.field)
                .where(Proposal.concept_id == concept.id)
                .options(contains_eager(Proposal.field))
                .order_by(FieldOfAction.position, Proposal.position, Proposal.id)
            )
        )
        .scalars()
        .all()
    )
    # Grouped by the roles' JSON text: equal lists are written alike, and any that are not
    # are merged below anyway.
    roles_text = cast(Vote.roles, Text)
    groups = (
        await session.execute(
            select(Vote.proposal_id, Vote.choice, roles_text, func.count())
            .join(Proposal, Proposal.id == Vote.proposal_id)
            .where(Proposal.concept_id == concept.id)
            .group_by(Vote.proposal_id, Vote.choice, roles_text)
        )
    ).all()
    allowed = {StakeholderRole(r) for r in process.voter_roles} if process else set()
    seen: set[StakeholderRole] = set()
    breakdown: dict[int, dict[StakeholderRole, Tally]] = {}
    for proposal_id, choice, roles, number in groups:
        for value in json.loads(roles) if roles else []:
            role = StakeholderRole(value)
            seen.add(role)
            breakdown.setdefault(proposal_id, {}).setdefault(role, Tally()).add(choice, number)
    shown = [r for r in StakeholderRole if r in (allowed or set(StakeholderRole)) | seen]
    return [
        ProposalResult(
            proposal.yes_count,
            proposal.no_count,
            proposal.abstain_count,
            proposal=proposal,
            by_role={r: breakdown.get(proposal.id, {}).get(r, Tally()) for r in shown},
        )
        for proposal in proposals
    ]
