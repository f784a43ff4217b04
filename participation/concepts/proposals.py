"""Proposals (measures, Maßnahmen) of a concept: the managers' rules for writing them, taking
ideas into the concept with a mail to their people, the dated steps of what became of them,
and the queries behind the proposal pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, joinedload

from participation.accounts.models import User
from participation.areas.models import Area, Concept, FieldOfAction
from participation.concepts.models import (
    Choice,
    Fund,
    Progress,
    Proposal,
    ProposalIdea,
    ProposalStep,
    Vote,
)
from participation.concepts.rules import (
    Errors,
    Invalid,
    amount_problem,
    check_lengths,
    clean_texts,
    period,
    require_active,
    require_german,
    today,
)
from participation.db import utcnow
from participation.errors import NotFound
from participation.i18n import DEFAULT_LOCALE
from participation.i18n import gettext as _
from participation.ideas.models import Idea, IdeaStatus, ModerationState
from participation.ideas.services import followers
from participation.moderation.access import require_moderator
from participation.moderation.log import record
from participation.moderation.models import Action
from participation.notifications.services import Mail, enqueue
from participation.templating import Renderer

TITLE_MAX = 160
DESCRIPTION_MAX = 5000
EFFECT_MAX = 3000
NOTE_MAX = 2000
IDEA_CHOICES = 200
"""The proposal form offers the area's newest visible ideas, at most this many (and those
already linked)."""

STEP_PROGRESS = [p for p in Progress if p is not Progress.PROPOSED]
"""The steps a manager can record; every proposal starts as PROPOSED."""

LinkBuilder = Callable[..., str]
"""link(route_name, locale=..., **path_params) -> absolute URL."""


@dataclass
class ProposalInput:
    """What a manager writes for a proposal; texts map a language code to the text."""

    field_id: int | None
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    effects: Mapping[str, str] = field(default_factory=dict)
    fund: Fund = Fund.NONE
    amount: int | None = None
    idea_ids: list[int] = field(default_factory=list)


class ProposalService:
    """Reading needs only the session; writing a proposal that takes ideas into the concept
    also needs the renderer and the link builder, to write the mails."""

    def __init__(
        self,
        session: AsyncSession,
        renderer: Renderer | None = None,
        link: LinkBuilder | None = None,
    ) -> None:
        self.session = session
        self.renderer = renderer
        self.link = link

    # -- reading ------------------------------------------------------------------------

    @staticmethod
    def _proposals(concept: Concept) -> Select[Proposal]:
        return (
            select(Proposal)
            .join(Proposal.field)
            .where(Proposal.concept_id == concept.id)
            .options(contains_eager(Proposal.field))
            .order_by(FieldOfAction.position, FieldOfAction.id, Proposal.position, Proposal.id)
        )

    async def proposals_of(self, concept: Concept) -> list[Proposal]:
        """The concept's proposals with their field of action, in the order of the fields and
        then their own (one query)."""
        return list((await self.session.execute(self._proposals(concept))).scalars())

    async def proposals_with_votes(
        self, concept: Concept, user: User | None
    ) -> tuple[list[Proposal], dict[int, Choice]]:
        """The concept's proposals as `proposals_of` gives them, and the user's own votes on
        them, never shown to anyone else (one query)."""
        if user is None:
            return await self.proposals_of(concept), {}
        mine = (
            select(Vote.choice)
            .where(Vote.proposal_id == Proposal.id, Vote.user_id == user.id)
            .scalar_subquery()
        )
        rows = (await self.session.execute(self._proposals(concept).add_columns(mine))).all()
        return [row[0] for row in rows], {row[0].id: row[1] for row in rows if row[1] is not None}

    async def get(self, proposal_id: int) -> Proposal:
        """Return the proposal with its concept, the concept's area and its field of action
        (one query), or raise NotFound."""
        proposal = (
            await self.session.execute(
                select(Proposal)
                .where(Proposal.id == proposal_id)
                .options(
                    joinedload(Proposal.concept).joinedload(Concept.area),
                    joinedload(Proposal.field),
                )
            )
        ).scalar_one_or_none()
        if proposal is None:
            raise NotFound(_("This proposal does not exist."))
        return proposal

    async def ideas_of(self, proposal_ids: list[int]) -> dict[int, list[Idea]]:
        """The published ideas each proposal came from, oldest first, with their field of
        action (one query; none without proposals)."""
        if not proposal_ids:
            return {}
        rows = await self.session.execute(
            select(ProposalIdea.proposal_id, Idea)
            .join(Idea, Idea.id == ProposalIdea.idea_id)
            .where(
                ProposalIdea.proposal_id.in_(proposal_ids),
                Idea.moderation_state == ModerationState.VISIBLE,
            )
            .options(joinedload(Idea.field))
            .order_by(Idea.created_at, Idea.id)
        )
        found: dict[int, list[Idea]] = {}
        for proposal_id, idea in rows.all():
            found.setdefault(proposal_id, []).append(idea)
        return found

    async def proposals_for_idea(self, idea_id: int) -> list[Proposal]:
        """The proposals that took the idea into a concept, oldest first (one query; nothing
        loaded with them)."""
        result = await self.session.execute(
            select(Proposal)
            .join(ProposalIdea, ProposalIdea.proposal_id == Proposal.id)
            .where(ProposalIdea.idea_id == idea_id)
            .order_by(Proposal.id)
        )
        return list(result.scalars())

    async def linked_idea_ids(self, proposal: Proposal) -> set[int]:
        """All ideas linked to the proposal, also those hidden since (one query)."""
        result = await self.session.execute(
            select(ProposalIdea.idea_id).where(ProposalIdea.proposal_id == proposal.id)
        )
        return set(result.scalars())

    async def idea_choices(self, area: Area, linked: set[int]) -> list[Idea]:
        """The ideas the proposal form offers: the area's newest IDEA_CHOICES published ideas
        and the published ones already linked, newest first, with their field of action (one
        query)."""
        newest = (
            select(Idea.id)
            .where(Idea.area_id == area.id, Idea.moderation_state == ModerationState.VISIBLE)
            .order_by(Idea.created_at.desc(), Idea.id.desc())
            .limit(IDEA_CHOICES)
        )
        offered: ColumnElement[bool] = Idea.id.in_(select(newest.subquery().c.id))
        if linked:
            offered = or_(offered, Idea.id.in_(linked))
        result = await self.session.execute(
            select(Idea)
            .where(
                offered,
                Idea.area_id == area.id,
                Idea.moderation_state == ModerationState.VISIBLE,
            )
            .options(joinedload(Idea.field))
            .order_by(Idea.created_at.desc(), Idea.id.desc())
        )
        return list(result.scalars())

    async def steps_of(self, proposal: Proposal) -> list[ProposalStep]:
        """The proposal's progress steps, oldest first (one query)."""
        result = await self.session.execute(
            select(ProposalStep)
            .where(ProposalStep.proposal_id == proposal.id)
            .order_by(ProposalStep.happened_on, ProposalStep.id)
        )
        return list(result.scalars())

    # -- writing ------------------------------------------------------------------------

    async def require_manager(self, actor: User | None, concept: Concept) -> User:
        """Return the actor if they may write the concept's proposals (the area's managers,
        the district office); raise SignInRequired or Forbidden. The concept's area must be
        loaded."""
        return await require_moderator(self.session, actor, concept.area)

    async def create(self, actor: User | None, concept: Concept, data: ProposalInput) -> Proposal:
        """Write a proposal at the end of its field of action, take its ideas into the concept
        and tell their authors and supporters. Raise Invalid with every broken rule; nothing
        is written then."""
        user = await self.require_manager(actor, concept)
        require_active(concept.area)
        cleaned, ideas = await self._check(concept, data, previous=set())
        proposal = Proposal(
            concept_id=concept.id,
            position=await self._next_position(concept, cleaned.field_id),
            created_by_id=user.id,
            progress=Progress.PROPOSED,
        )
        self._fill(proposal, cleaned)
        self.session.add(proposal)
        await self.session.flush()
        await self._log(user, concept, proposal, "proposal created")
        await self._link(user, concept, proposal, ideas)
        return proposal

    async def update(self, actor: User | None, proposal: Proposal, data: ProposalInput) -> None:
        """Change the proposal; ideas newly linked are taken into the concept as on create,
        unlinked ones keep their status. Links to ideas hidden since stay (the form cannot show
        them). Raise Invalid; nothing is written then."""
        concept = proposal.concept
        user = await self.require_manager(actor, concept)
        # Two managers saving at once: the second waits and sees the first one's links.
        await self.session.execute(
            select(Proposal.id).where(Proposal.id == proposal.id).with_for_update()
        )
        previous = await self.linked_idea_ids(proposal)
        cleaned, ideas = await self._check(concept, data, previous=previous)
        if cleaned.field_id != proposal.field_id:
            proposal.position = await self._next_position(concept, cleaned.field_id)
        self._fill(proposal, cleaned)
        proposal.updated_at = utcnow()
        wanted = set(cleaned.idea_ids)
        offered = await self._published(concept, previous)
        removed = (previous & offered) - wanted
        if removed:
            await self.session.execute(
                delete(ProposalIdea).where(
                    ProposalIdea.proposal_id == proposal.id, ProposalIdea.idea_id.in_(removed)
                )
            )
        await self.session.flush()
        await self._log(user, concept, proposal, "proposal changed")
        await self._link(user, concept, proposal, [i for i in ideas if i.id not in previous])

    async def _check(
        self, concept: Concept, data: ProposalInput, *, previous: set[int]
    ) -> tuple[ProposalInput, list[Idea]]:
        """The input cleaned, and the ideas it links; raise Invalid with every broken rule."""
        errors: Errors = {}
        field_ids = set(
            (
                await self.session.execute(
                    select(FieldOfAction.id).where(FieldOfAction.concept_id == concept.id)
                )
            ).scalars()
        )
        if data.field_id not in field_ids:
            errors["field"] = _("Please choose a field of action.")
        titles = clean_texts(data.titles)
        descriptions = clean_texts(data.descriptions)
        effects = clean_texts(data.effects)
        require_german(errors, "title", titles, _("Please write the title in German."))
        require_german(
            errors, "description", descriptions, _("Please write the description in German.")
        )
        for code in (set(descriptions) | set(effects)) - set(titles) - {DEFAULT_LOCALE}:
            errors.setdefault(f"title_{code}", _("Please write the title in this language too."))
        check_lengths(errors, "title", titles, TITLE_MAX)
        check_lengths(errors, "description", descriptions, DESCRIPTION_MAX)
        check_lengths(errors, "effect", effects, EFFECT_MAX)
        problem = amount_problem(data.fund, data.amount)
        if problem:
            errors["amount"] = problem
        idea_ids = list(dict.fromkeys(data.idea_ids))
        new_ids = [i for i in idea_ids if i not in previous]
        ideas: list[Idea] = []
        if new_ids:
            ideas = list(
                (
                    await self.session.execute(
                        select(Idea)
                        .where(
                            Idea.id.in_(new_ids),
                            Idea.area_id == concept.area_id,
                            Idea.moderation_state == ModerationState.VISIBLE,
                        )
                        .order_by(Idea.id)
                    )
                ).scalars()
            )
            if len(ideas) != len(new_ids):
                errors["ideas"] = _("Only published ideas of this area can be linked.")
        if errors:
            raise Invalid(errors)
        cleaned = ProposalInput(
            field_id=data.field_id,
            titles=titles,
            descriptions=descriptions,
            effects=effects,
            fund=data.fund,
            amount=data.amount,
            idea_ids=idea_ids,
        )
        return cleaned, ideas

    async def _published(self, concept: Concept, idea_ids: set[int]) -> set[int]:
        if not idea_ids:
            return set()
        result = await self.session.execute(
            select(Idea.id).where(
                Idea.id.in_(idea_ids), Idea.moderation_state == ModerationState.VISIBLE
            )
        )
        return set(result.scalars())

    async def _next_position(self, concept: Concept, field_id: int | None) -> int:
        highest = await self.session.scalar(
            select(func.max(Proposal.position)).where(
                Proposal.concept_id == concept.id, Proposal.field_id == field_id
            )
        )
        return 0 if highest is None else highest + 1

    @staticmethod
    def _fill(proposal: Proposal, data: ProposalInput) -> None:
        assert data.field_id is not None
        proposal.field_id = data.field_id
        # New dicts: the JSON columns notice only a new value, not a changed one.
        proposal.title = dict(data.titles)
        proposal.description = dict(data.descriptions)
        proposal.effect = dict(data.effects)
        proposal.fund = data.fund
        proposal.amount = data.amount

    async def _log(self, user: User, concept: Concept, proposal: Proposal, reason: str) -> None:
        amount = f"{proposal.amount} EUR" if proposal.amount is not None else "no amount"
        await record(
            self.session,
            concept.area_id,
            user,
            Action.CONCEPT,
            label=proposal.title[DEFAULT_LOCALE],
            reason=f"{reason} (IHEK {period(concept)}; {proposal.fund.value}, {amount})",
        )

    async def _link(
        self, user: User, concept: Concept, proposal: Proposal, ideas: list[Idea]
    ) -> None:
        """Link the ideas, mark them taken into the concept, log and tell the people."""
        if not ideas:
            return
        if self.renderer is None or self.link is None:
            raise RuntimeError("taking ideas into the concept needs the renderer and the links")
        self.session.add_all(ProposalIdea(proposal_id=proposal.id, idea_id=i.id) for i in ideas)
        for idea in ideas:
            if idea.status in (IdeaStatus.NEW, IdeaStatus.UNDER_REVIEW):
                idea.status = IdeaStatus.ACCEPTED
        await self.session.flush()
        for idea in ideas:
            await record(
                self.session,
                concept.area_id,
                user,
                Action.CONCEPT,
                idea_id=idea.id,
                target_user_id=idea.author_id,
                label=idea.title,
                reason=f"taken into the concept as: {proposal.title[DEFAULT_LOCALE]}",
            )
        await self._mail(user, concept, proposal, ideas)

    async def _mail(
        self, user: User, concept: Concept, proposal: Proposal, ideas: list[Idea]
    ) -> None:
        """One mail per idea to its author and each supporter with a confirmed address, in
        their language; not to the manager acting (one query for all the ideas)."""
        assert self.renderer is not None and self.link is not None
        people = await followers(self.session, [i.id for i in ideas], except_user_id=user.id)
        for idea in ideas:
            mails = []
            for person in people.get(idea.id, []):
                locale = person.preferred_locale
                language = locale if locale in proposal.title else DEFAULT_LOCALE
                subject, text, html = self.renderer.mail(
                    "idea_in_concept",
                    locale,
                    recipient=person,
                    is_author=person.id == idea.author_id,
                    idea=idea,
                    area=concept.area,
                    concept=concept,
                    proposal_title=proposal.title[language],
                    proposal_language=language,
                    link=self.link("concepts.proposal", locale=locale, proposal_id=proposal.id),
                )
                mails.append(Mail(person.email, locale, subject, text, html))
            await enqueue(self.session, f"proposal-idea:{proposal.id}:{idea.id}", mails)

    async def add_step(
        self,
        actor: User | None,
        proposal: Proposal,
        progress: Progress,
        happened_on: date,
        note: str,
    ) -> ProposalStep:
        """Record a dated step of what became of the proposal; a dropped proposal needs the
        reason. The proposal's progress becomes the latest step's. Raise Invalid."""
        concept = proposal.concept
        user = await self.require_manager(actor, concept)
        note = note.strip()
        errors: Errors = {}
        if progress not in STEP_PROGRESS:
            errors["progress"] = _("Please choose a step from the list.")
        if happened_on > today():
            errors["happened_on"] = _("The date cannot be in the future.")
        if progress is Progress.DROPPED and not note:
            errors["note"] = _("Please write why the proposal was dropped.")
        elif len(note) > NOTE_MAX:
            errors["note"] = _("Please write at most %(max)d characters.", max=NOTE_MAX)
        if errors:
            raise Invalid(errors)
        later = await self.session.scalar(
            select(func.count(ProposalStep.id)).where(
                ProposalStep.proposal_id == proposal.id, ProposalStep.happened_on > happened_on
            )
        )
        step = ProposalStep(
            proposal_id=proposal.id,
            progress=progress,
            happened_on=happened_on,
            note=note,
            created_by_id=user.id,
        )
        self.session.add(step)
        if not later:  # a step entered afterwards for an earlier date leaves the state as is
            proposal.progress = progress
            proposal.updated_at = utcnow()
        await self.session.flush()
        await record(
            self.session,
            concept.area_id,
            user,
            Action.CONCEPT,
            label=proposal.title[DEFAULT_LOCALE],
            reason=f"progress: {progress.value} on {happened_on.isoformat()}"
            + (f": {note}" if note else ""),
        )
        return step
