"""The participation process of a concept: where it stands, its phases (set by date or started
by hand), the votes on its proposals and their results.

Phases switch by date: the phase in force is the one whose `starts_at <= now < ends_at`, read at
the server's clock on every request, so nobody has to act when a phase begins or ends. Who may
vote is decided in `participation.concepts.eligibility`, the counts are made in
`participation.concepts.results`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from participation.accounts.models import StakeholderRole, User
from participation.areas.models import Area, Concept
from participation.concepts.eligibility import (
    Eligibility,
    assess,
    standing_columns,
    standing_from,
)
from participation.concepts.models import Choice, Phase, PhaseKind, Process, Proposal, Vote
from participation.concepts.phases import (
    PHASE_ORDER,
    PhasePlan,
    check_plan,
    day_start,
    first_day,
    format_start,
    format_until,
    last_day,
    phase_name,
    summary,
)
from participation.concepts.results import ProposalResult, count_votes
from participation.db import utcnow
from participation.errors import Conflict, Forbidden, NotFound, SignInRequired
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.ideas.services import Viewer
from participation.moderation.access import is_moderator, note_moderator, require_moderator
from participation.moderation.log import record
from participation.moderation.models import Action

CHOICE_NAMES = {Choice.YES: _l("yes"), Choice.NO: _l("no"), Choice.ABSTAIN: _l("abstain")}
"""The choices inside a sentence ("Your vote is counted: yes.")."""


def choice_name(choice: Choice) -> str:
    return str(CHOICE_NAMES[choice])


# -- what the process allows now ------------------------------------------------------------


@dataclass
class ProcessStatus:
    """Where a concept's process stands at one moment, and what the person may do now."""

    process: Process | None
    phase: Phase | None
    """The phase in force, or None between phases, before the first and after the last."""
    next_phase: Phase | None
    can_comment: bool
    can_vote_now: bool
    """The voting phase is in force (whether this person may vote is `eligibility`)."""
    results_visible: bool
    summary: str
    eligibility: Eligibility
    area: Area
    now: datetime

    @property
    def phases(self) -> list[Phase]:
        return list(self.process.phases) if self.process else []

    @property
    def voting(self) -> Phase | None:
        """The voting phase of the process, whenever it is."""
        return next((p for p in self.phases if p.kind is PhaseKind.VOTING), None)

    @property
    def may_vote(self) -> bool:
        return self.can_vote_now and self.eligibility.ok

    @property
    def voting_ahead(self) -> bool:
        voting = self.voting
        return voting is not None and self.now < voting.starts_at

    @property
    def results_message(self) -> str:
        """Why the results are not shown (yet)."""
        voting = self.voting
        if voting is None:
            return _("There is no vote in this participation process.")
        return _(
            "The results will be shown when the vote has ended, after %(until)s.",
            until=format_until(voting.ends_at),
        )

    def phase_name(self, kind: PhaseKind) -> str:
        return phase_name(kind)

    def start_of(self, phase: Phase) -> str:
        return format_start(phase.starts_at)

    def end_of(self, phase: Phase) -> str:
        return format_until(phase.ends_at)


@dataclass(frozen=True)
class ProposalStanding:
    """A proposal (with its concept, the concept's area and its field of action) as one
    person sees it: where the concept's process stands, what the person may do in the area,
    and their own vote, never shown to anyone else."""

    proposal: Proposal
    status: ProcessStatus
    viewer: Viewer
    my_choice: Choice | None = None
    locked: bool = False
    """Whether the proposal's row is locked until the transaction ends (PostgreSQL)."""


class ProcessService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def proposal_standing(
        self, proposal_id: int, user: User | None, *, for_vote: bool = False
    ) -> ProposalStanding:
        """Return the proposal with where its process stands for the user (one query); raise
        NotFound. `for_vote` locks the proposal's row on PostgreSQL, as `VoteService.change`
        needs it."""
        known = standing_columns(user, Concept.area_id)
        columns = list(known)
        if user is not None:
            mine = select(Vote.choice).where(
                Vote.proposal_id == Proposal.id, Vote.user_id == user.id
            )
            columns.append(mine.scalar_subquery())
        statement = (
            select(Proposal, Process, *columns)
            .join(Concept, Concept.id == Proposal.concept_id)
            .outerjoin(Process, Process.concept_id == Proposal.concept_id)
            .where(Proposal.id == proposal_id)
            .options(
                contains_eager(Proposal.concept).joinedload(Concept.area),
                joinedload(Proposal.field),
                joinedload(Process.phases),
            )
        )
        locked = for_vote and self.session.get_bind().dialect.name == "postgresql"
        if locked:
            statement = statement.with_for_update(of=Proposal)
        row = (await self.session.execute(statement)).unique().one_or_none()
        if row is None:
            raise NotFound(_("This proposal does not exist."))
        proposal, process = row[0], row[1]
        area = proposal.concept.area
        standing = standing_from(user, row[2 : 2 + len(known)])
        note_moderator(self.session, user, area, standing.viewer.is_manager)
        status = self.status_of(process, area, standing.eligibility(area, process))
        my_choice = row[-1] if user is not None else None
        return ProposalStanding(proposal, status, standing.viewer, my_choice, locked)

    async def process_for(self, concept: Concept) -> Process | None:
        """Return the concept's process with its phases in time order, or None (one query)."""
        result = await self.session.execute(
            select(Process)
            .where(Process.concept_id == concept.id)
            .options(joinedload(Process.phases))
            .execution_options(populate_existing=True)
        )
        return result.unique().scalar_one_or_none()

    @staticmethod
    def phase_at(process: Process | None, moment: datetime) -> Phase | None:
        """Return the phase in force at the UTC moment, or None."""
        if process is None:
            return None
        return next((p for p in process.phases if p.starts_at <= moment < p.ends_at), None)

    @staticmethod
    def next_phase_after(process: Process | None, moment: datetime) -> Phase | None:
        if process is None:
            return None
        return next((p for p in process.phases if p.starts_at > moment), None)

    async def status(self, concept: Concept, user: User | None) -> ProcessStatus:
        """Return where the concept's process stands now (server time) and whether the user
        may vote (at most two queries)."""
        process = await self.process_for(concept)
        known = concept.area if "area" not in inspect(concept).unloaded else None
        area, eligibility = await assess(self.session, user, known, concept.area_id, process)
        return self.status_of(process, area, eligibility)

    @classmethod
    def status_of(
        cls, process: Process | None, area: Area, eligibility: Eligibility
    ) -> ProcessStatus:
        """Return where the process (with its phases loaded) stands now (server time), for a
        person whose eligibility is known (no query)."""
        now = utcnow()
        phase = cls.phase_at(process, now)
        voting = next(
            (p for p in (process.phases if process else []) if p.kind is PhaseKind.VOTING), None
        )
        results_visible = voting is not None and (
            now >= voting.ends_at
            or (process is not None and process.show_running_totals and now >= voting.starts_at)
        )
        next_phase = cls.next_phase_after(process, now)
        return ProcessStatus(
            process=process,
            phase=phase,
            next_phase=next_phase,
            can_comment=phase is not None and phase.kind is PhaseKind.CONSULTATION,
            can_vote_now=phase is not None and phase.kind is PhaseKind.VOTING,
            results_visible=results_visible,
            summary=summary(process, phase, next_phase),
            eligibility=eligibility,
            area=area,
            now=now,
        )

    async def _area_of(self, concept: Concept) -> Area:
        if "area" not in inspect(concept).unloaded:
            return concept.area
        area = await self.session.get(Area, concept.area_id)
        if area is None:
            raise NotFound(_("There is no area at this address."))
        return area

    async def set_phases(
        self,
        actor: User | None,
        concept: Concept,
        phases: Sequence[tuple[PhaseKind, date, date]],
        voter_roles: Iterable[StakeholderRole | str],
        verified_only: bool,
        show_running_totals: bool,
    ) -> Process:
        """Set the phases (Berlin calendar days, first and last day of each) and the voting
        rules of the concept's process; managers of the area only. Every rule is checked
        before anything is written."""
        area = await self._area_of(concept)
        user = await require_moderator(self.session, actor, area)
        roles = _voter_roles(voter_roles)
        kinds = [kind for kind, _first, _last in phases]
        for kind in kinds:
            if kinds.count(kind) > 1:
                raise Conflict(_("Each phase can be given only once."), field=f"{kind.value}_start")
        for kind, first, last in phases:
            if last < first:
                raise Conflict(
                    _("This phase runs backwards: its last day is before its first day."),
                    field=f"{kind.value}_end",
                )
        process = await self.process_for(concept)
        existing = {p.kind: p for p in process.phases} if process else {}
        plan: PhasePlan = {}
        for kind, first, last in phases:
            starts_at, ends_at = day_start(first), day_start(last + timedelta(days=1))
            kept = existing.get(kind)
            # A phase started or ended by hand keeps its exact moment while its day is unchanged,
            # so that saving the form again does not make it overlap its neighbour.
            if kept is not None and first_day(kept.starts_at) == first:
                starts_at = kept.starts_at
            if kept is not None and last_day(kept.ends_at) == last:
                ends_at = kept.ends_at
            plan[kind] = (starts_at, ends_at)
        check_plan(plan)

        if process is None:
            process = Process(concept_id=concept.id)
            self.session.add(process)
        process.voter_roles = roles
        process.verified_only = verified_only
        process.show_running_totals = show_running_totals
        await self.session.flush()
        for kind, phase in existing.items():
            if kind not in plan:
                await self.session.delete(phase)
        for kind, (starts_at, ends_at) in plan.items():
            phase = existing.get(kind) or Phase(process_id=process.id, kind=kind)
            phase.starts_at, phase.ends_at = starts_at, ends_at
            self.session.add(phase)
        await self.session.flush()
        summary = "; ".join(
            f"{kind.value} {first_day(s).isoformat()}–{last_day(e).isoformat()}"
            for kind, (s, e) in sorted(plan.items(), key=lambda item: PHASE_ORDER[item[0]])
        )
        await record(
            self.session,
            area.id,
            user,
            Action.CONCEPT,
            label=_concept_label(concept),
            reason=(
                f"phases changed: {summary or 'none'}; voter roles: {','.join(roles) or 'all'}; "
                f"verified only: {verified_only}; running totals: {show_running_totals}"
            ),
        )
        found = await self.process_for(concept)
        assert found is not None
        return found

    async def switch_now(self, actor: User | None, concept: Concept, kind: PhaseKind) -> Process:
        """Start the phase now, by hand: the phase in force ends now. Managers only."""
        area = await self._area_of(concept)
        user = await require_moderator(self.session, actor, area)
        process = await self.process_for(concept)
        phases = {p.kind: p for p in process.phases} if process else {}
        target = phases.get(kind)
        if process is None or target is None:
            raise Conflict(
                _("Give this phase its first and last day before starting it."),
                field=f"{kind.value}_start",
            )
        now = utcnow()
        current = self.phase_at(process, now)
        if current is target:
            raise Conflict(_("This phase is already running."), field=f"{kind.value}_start")
        if target.ends_at <= now:
            raise Conflict(
                _("This phase has already ended. Give it a new last day first."),
                field=f"{kind.value}_end",
            )
        for earlier in phases.values():
            if PHASE_ORDER[earlier.kind] < PHASE_ORDER[kind] and earlier.starts_at > now:
                raise Conflict(
                    _(
                        "The phase “%(phase)s” has not taken place yet. Change its dates or "
                        "leave it out, then start this phase.",
                        phase=phase_name(earlier.kind),
                    ),
                    field=f"{earlier.kind.value}_start",
                )
        plan: PhasePlan = {p.kind: (p.starts_at, p.ends_at) for p in process.phases}
        plan[kind] = (now, target.ends_at)
        if current is not None:
            plan[current.kind] = (current.starts_at, now)
        check_plan(plan)
        target.starts_at = now
        if current is not None:
            current.ends_at = now
        await self.session.flush()
        await record(
            self.session,
            area.id,
            user,
            Action.CONCEPT,
            label=_concept_label(concept),
            reason=f"phase started by hand: {kind.value}"
            + (f"; {current.kind.value} ended" if current is not None else ""),
        )
        found = await self.process_for(concept)
        assert found is not None
        return found


def _concept_label(concept: Concept) -> str:
    return f"IHEK {concept.first_year}–{concept.last_year}"


def _voter_roles(values: Iterable[StakeholderRole | str]) -> list[str]:
    chosen: set[StakeholderRole] = set()
    for value in values:
        try:
            chosen.add(value if isinstance(value, StakeholderRole) else StakeholderRole(value))
        except ValueError:
            raise Conflict(
                _("Please choose the roles from the list."), field="voter_roles"
            ) from None
    return [role.value for role in StakeholderRole if role in chosen]


# -- votes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteChange:
    choice: Choice
    previous: Choice | None
    """The person's choice before, None for a first vote."""


class VoteService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def proposal(self, proposal_id: int) -> Proposal:
        """Return the proposal with its concept and area, or raise NotFound."""
        proposal = (
            await self.session.execute(
                select(Proposal)
                .where(Proposal.id == proposal_id)
                .options(joinedload(Proposal.concept).joinedload(Concept.area))
            )
        ).scalar_one_or_none()
        if proposal is None:
            raise NotFound(_("This proposal does not exist."))
        return proposal

    async def eligibility(
        self, user: User | None, area: Area, process: Process | None
    ) -> Eligibility:
        """Return whether the user may vote in the area's process, and why not (one query)."""
        return (await self.assess(user, area, None, process))[1]

    async def assess(
        self, user: User | None, area: Area | None, concept: Concept | None, process: Process | None
    ) -> tuple[Area, Eligibility]:
        """The area (given, or that of the concept) and the user's eligibility (one query; none
        for anonymous visitors when the area is given)."""
        area_id = area.id if area is not None else concept.area_id if concept is not None else 0
        return await assess(self.session, user, area, area_id, process)

    async def change(
        self,
        user: User | None,
        proposal: Proposal,
        choice: Choice,
        seen: ProposalStanding | None = None,
    ) -> VoteChange:
        """Vote on the proposal or change the vote, as `cast`; also say what it was before.
        `seen`: the proposal as `ProcessService.proposal_standing` read it for the user in this
        transaction, if it did (then where its process stands is not read again)."""
        if user is None:
            raise SignInRequired(_("Sign in to vote."))
        if seen is not None:
            status = seen.status
        else:
            status = await ProcessService(self.session).status(proposal.concept, user)
        process, now, phase = status.process, status.now, status.phase
        if phase is None or phase.kind is not PhaseKind.VOTING:
            voting = next(
                (p for p in (process.phases if process else []) if p.kind is PhaseKind.VOTING),
                None,
            )
            if voting is None:
                raise Conflict(_("There is no vote on this proposal."))
            if now < voting.starts_at:
                raise Conflict(
                    _(
                        "Voting has not started yet. It starts on %(day)s.",
                        day=format_start(voting.starts_at),
                    )
                )
            raise Conflict(_("Voting has ended on %(day)s.", day=format_until(voting.ends_at)))
        eligibility = status.eligibility
        if not eligibility.ok:
            raise Forbidden(eligibility.reason or _("You cannot vote here."))

        locked = seen is not None and seen.locked
        if self.session.get_bind().dialect.name == "postgresql" and not locked:
            # Changes by the same person one after the other, so that the counters stay exact
            # (SQLite serialises writers already).
            await self.session.execute(
                select(Proposal.id).where(Proposal.id == proposal.id).with_for_update()
            )
        previous = (
            await self.session.execute(
                select(Vote.choice).where(Vote.proposal_id == proposal.id, Vote.user_id == user.id)
            )
        ).scalar_one_or_none()
        insert = (
            pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        statement = insert(Vote).values(
            proposal_id=proposal.id,
            user_id=user.id,
            choice=choice,
            roles=list(eligibility.roles),
            created_at=now,
            updated_at=now,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[Vote.proposal_id, Vote.user_id],
                set_={
                    "choice": statement.excluded.choice,
                    "roles": statement.excluded.roles,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )
        if previous is not choice:
            counters = {f"{choice.value}_count": getattr(Proposal, f"{choice.value}_count") + 1}
            if previous is not None:
                column = f"{previous.value}_count"
                counters[column] = getattr(Proposal, column) - 1
            row = (
                await self.session.execute(
                    update(Proposal)
                    .where(Proposal.id == proposal.id)
                    .values(**counters)
                    .returning(Proposal.yes_count, Proposal.no_count, Proposal.abstain_count)
                    .execution_options(synchronize_session=False)
                )
            ).one()
            # Known to be stored already: setting them plainly would write them once more.
            for name, value in zip(("yes_count", "no_count", "abstain_count"), row, strict=True):
                set_committed_value(proposal, name, value)
        return VoteChange(choice, previous)

    async def cast(self, user: User | None, proposal: Proposal, choice: Choice) -> Choice:
        """Vote yes, no or abstain on the proposal (the proposal's concept and area loaded), or
        change the vote, while the voting phase is in force; return the choice counted."""
        return (await self.change(user, proposal, choice)).choice

    async def results(
        self, concept: Concept, process: Process | None = None
    ) -> list[ProposalResult]:
        """The counts of every proposal of the concept in the order of the concept page, with
        the breakdown by role (two queries; counts only, never who voted)."""
        return await count_votes(self.session, concept, process)

    async def results_for(
        self, user: User | None, status: ProcessStatus, concept: Concept
    ) -> list[ProposalResult] | None:
        """The results when the user may see them now: once visible to all, and for the area's
        managers at any time; else None."""
        if not status.results_visible and not await is_moderator(self.session, user, status.area):
            return None
        return await self.results(concept, status.process)
