"""Concepts (IHEK) with their fields of action: the managers' rules for writing them and the
queries behind the concept pages. The proposals (measures) in them are written by
`ProposalService` (participation.concepts.proposals, exported here as well)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation import demo_content
from participation.accounts.models import User
from participation.areas.models import Area, Concept, FieldOfAction
from participation.concepts.models import Process, Proposal
from participation.concepts.proposals import (
    DESCRIPTION_MAX,
    EFFECT_MAX,
    IDEA_CHOICES,
    NOTE_MAX,
    STEP_PROGRESS,
    TITLE_MAX,
    LinkBuilder,
    ProposalInput,
    ProposalService,
)
from participation.concepts.rules import (
    Errors,
    Invalid,
    check_lengths,
    clean_texts,
    period,
    require_active,
    require_german,
    today,
)
from participation.errors import Conflict, NotFound
from participation.i18n import DEFAULT_LOCALE
from participation.i18n import gettext as _
from participation.ideas.models import Idea
from participation.moderation.access import require_moderator
from participation.moderation.log import record
from participation.moderation.models import Action

__all__ = [
    "DESCRIPTION_MAX",
    "EFFECT_MAX",
    "IDEA_CHOICES",
    "NOTE_MAX",
    "STEP_PROGRESS",
    "TITLE_MAX",
    "ConceptService",
    "Invalid",
    "LinkBuilder",
    "ProposalInput",
    "ProposalService",
    "newest_first",
    "period",
    "today",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_YEARS = 5
"""A concept covers at most this many calendar years (they are written for two to three)."""

VISION_MAX = PROFILE_MAX = 5000
NAME_MAX = 120


def _key_of(name: str, taken: set[str]) -> str:
    """A stable ASCII key for a new field of action, unique within its concept."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("ß", "ss")).encode("ascii", "ignore").decode()
    )
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50] or "field"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def newest_first(concepts: Iterable[Concept]) -> list[Concept]:
    """The concepts in the order of `ConceptService.concepts_of`: the latest period first."""
    return sorted(concepts, key=lambda c: (c.first_year, c.id), reverse=True)


class ConceptService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def concepts_of(self, area: Area) -> list[Concept]:
        """The area's concepts, newest first (nothing loaded with them)."""
        result = await self.session.execute(
            select(Concept)
            .where(Concept.area_id == area.id)
            .order_by(Concept.first_year.desc(), Concept.id.desc())
        )
        return list(result.scalars())

    async def get(self, concept_id: int) -> Concept:
        """Return the concept with its area and fields of action (one query), or raise
        NotFound."""
        concept = (
            (
                await self.session.execute(
                    select(Concept)
                    .where(Concept.id == concept_id)
                    .options(joinedload(Concept.area), joinedload(Concept.fields))
                )
            )
            .unique()
            .scalar_one_or_none()
        )
        if concept is None:
            raise NotFound(_("This concept does not exist."))
        return concept

    async def with_process(self, concept_id: int) -> tuple[Concept, Process | None]:
        """Return the concept with its fields of action, and its participation process with
        the phases in time order or None (one query); raise NotFound."""
        found = await self._with_process(Concept.id == concept_id)
        if found is None:
            raise NotFound(_("This concept does not exist."))
        return found

    async def current_with_process(self, area: Area) -> tuple[Concept, Process | None] | None:
        """Return the area's current concept with its fields of action and its process, as
        `with_process` does, or None (one query)."""
        return await self._with_process(Concept.area_id == area.id, Concept.is_current.is_(True))

    async def _with_process(self, *conditions: Any) -> tuple[Concept, Process | None] | None:
        row = (
            (
                await self.session.execute(
                    select(Concept, Process)
                    .outerjoin(Process, Process.concept_id == Concept.id)
                    .where(*conditions)
                    .options(joinedload(Concept.fields), joinedload(Process.phases))
                )
            )
            .unique()
            .one_or_none()
        )
        return None if row is None else (row[0], row[1])

    async def require_manager(self, actor: User | None, area: Area, *, new: bool = False) -> User:
        """Return the actor if they may write the area's concepts (its managers, the district
        office) and, for a `new` concept or proposal, the area is active; raise SignInRequired
        or Forbidden."""
        user = await require_moderator(self.session, actor, area)
        if new:
            require_active(area)
        return user

    async def fields_in_use(self, concept: Concept) -> set[int]:
        """Which of the concept's fields of action ideas or proposals use (one query)."""
        field_ids = select(FieldOfAction.id).where(FieldOfAction.concept_id == concept.id)
        used = union(  # distinct: one row per field, however many ideas
            select(Idea.field_id).where(Idea.field_id.in_(field_ids)),
            select(Proposal.field_id).where(Proposal.field_id.in_(field_ids)),
        )
        return set((await self.session.execute(used)).scalars())

    async def create(
        self,
        actor: User | None,
        area: Area,
        first_year: int | None,
        last_year: int | None,
        vision: Mapping[str, str],
        profile: Mapping[str, str],
    ) -> Concept:
        """Create the area's concept for these years with the standard fields of action. It
        becomes the current concept unless another one of the area starts later (an earlier
        IHEK entered for the record); the others stay readable. Raise Invalid with every
        broken rule; nothing is written then."""
        user = await self.require_manager(actor, area, new=True)
        # Two managers creating concepts at once: the second waits and sees the first.
        await self.session.execute(select(Area.id).where(Area.id == area.id).with_for_update())
        others = await self.concepts_of(area)
        errors: Errors = {}
        self._check_years(errors, first_year, last_year, others)
        vision, profile = self._check_texts(errors, vision, profile)
        if errors:
            raise Invalid(errors)
        assert first_year is not None and last_year is not None
        current = not any(other.first_year > first_year for other in others)
        if current:
            for other in others:
                other.is_current = False
            await self.session.flush()  # before the new row, for any "one current" index
        concept = Concept(
            area_id=area.id,
            first_year=first_year,
            last_year=last_year,
            vision=vision,
            profile=profile,
            is_current=current,
        )
        self.session.add(concept)
        await self.session.flush()
        self.session.add_all(
            FieldOfAction(
                concept_id=concept.id,
                key=data["key"],
                name=dict(data["name"]),
                cross_cutting=data["cross_cutting"],
                position=position,
            )
            for position, data in enumerate(demo_content.FIELDS_OF_ACTION)
        )
        await self.session.flush()
        await record(
            self.session,
            area.id,
            user,
            Action.CONCEPT,
            label=f"IHEK {period(concept)}",
            reason="concept created" + (" as the current one" if current else ""),
        )
        return concept

    def _check_years(
        self,
        errors: Errors,
        first_year: int | None,
        last_year: int | None,
        others: list[Concept],
    ) -> None:
        message = _(
            "Please enter a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR
        )
        for name, year in (("first_year", first_year), ("last_year", last_year)):
            if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                errors[name] = message
        if first_year is None or last_year is None or errors:
            return
        if last_year < first_year:
            errors["last_year"] = _("The last year cannot come before the first year.")
        elif last_year - first_year + 1 > MAX_YEARS:
            errors["last_year"] = _("A concept covers at most %(years)s years.", years=MAX_YEARS)
        else:
            for other in others:
                if other.first_year <= last_year and first_year <= other.last_year:
                    errors["first_year"] = _(
                        "The concept %(period)s of this area already covers some of these years.",
                        period=period(other),
                    )
                    break

    def _check_texts(
        self, errors: Errors, vision: Mapping[str, str], profile: Mapping[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        vision, profile = clean_texts(vision), clean_texts(profile)
        require_german(errors, "vision", vision, _("Please write the guiding vision in German."))
        check_lengths(errors, "vision", vision, VISION_MAX)
        if profile:
            require_german(
                errors, "profile", profile, _("Please write the area profile in German too.")
            )
        check_lengths(errors, "profile", profile, PROFILE_MAX)
        return vision, profile

    async def update(
        self,
        actor: User | None,
        concept: Concept,
        vision: Mapping[str, str],
        profile: Mapping[str, str],
    ) -> None:
        """Replace the concept's vision and profile in every language; raise Invalid."""
        user = await self.require_manager(actor, concept.area)
        errors: Errors = {}
        cleaned_vision, cleaned_profile = self._check_texts(errors, vision, profile)
        if errors:
            raise Invalid(errors)
        concept.vision, concept.profile = cleaned_vision, cleaned_profile
        await self.session.flush()
        await record(
            self.session,
            concept.area_id,
            user,
            Action.CONCEPT,
            label=f"IHEK {period(concept)}",
            reason="vision and profile changed",
        )

    async def _fields(self, concept: Concept) -> list[FieldOfAction]:
        result = await self.session.execute(
            select(FieldOfAction)
            .where(FieldOfAction.concept_id == concept.id)
            .order_by(FieldOfAction.position, FieldOfAction.id)
        )
        return list(result.scalars())

    async def save_field(
        self,
        actor: User | None,
        concept: Concept,
        field_id: int | None,
        names: Mapping[str, str],
        cross_cutting: bool,
    ) -> FieldOfAction:
        """Rename a field of action of the concept (field_id) or add one at the end (None);
        the German name is required. Raise NotFound or Invalid."""
        user = await self.require_manager(actor, concept.area)
        fields = await self._fields(concept)
        target = next((f for f in fields if f.id == field_id), None)
        if field_id is not None and target is None:
            raise NotFound(_("This field of action does not exist."))
        errors: Errors = {}
        cleaned = clean_texts(names)
        require_german(errors, "name", cleaned, _("Please write the name in German."))
        check_lengths(errors, "name", cleaned, NAME_MAX)
        german = cleaned.get(DEFAULT_LOCALE, "").casefold()
        if any(f.name.get(DEFAULT_LOCALE, "").casefold() == german for f in fields if f != target):
            errors.setdefault(
                f"name_{DEFAULT_LOCALE}",
                _("This concept already has a field of action with this name."),
            )
        if errors:
            raise Invalid(errors)
        if target is None:
            target = FieldOfAction(
                concept_id=concept.id,
                key=_key_of(cleaned[DEFAULT_LOCALE], {f.key for f in fields}),
                position=max((f.position for f in fields), default=-1) + 1,
            )
            self.session.add(target)
            reason = "field of action added"
        else:
            reason = "field of action changed"
        target.name, target.cross_cutting = cleaned, cross_cutting
        await self.session.flush()
        await record(
            self.session,
            concept.area_id,
            user,
            Action.CONCEPT,
            label=f"IHEK {period(concept)}: {cleaned[DEFAULT_LOCALE]}",
            reason=reason,
        )
        return target

    async def remove_field(self, actor: User | None, concept: Concept, field_id: int) -> None:
        """Remove a field of action no idea or proposal uses; raise NotFound or Conflict."""
        user = await self.require_manager(actor, concept.area)
        fields = await self._fields(concept)
        target = next((f for f in fields if f.id == field_id), None)
        if target is None:
            raise NotFound(_("This field of action does not exist."))
        if target.id in await self.fields_in_use(concept):
            raise Conflict(
                _(
                    "Ideas or proposals belong to this field of action, so it cannot be "
                    "removed. You can rename it instead."
                )
            )
        if len(fields) == 1:
            raise Conflict(_("A concept needs at least one field of action."))
        await self.session.delete(target)
        await self.session.flush()
        await record(
            self.session,
            concept.area_id,
            user,
            Action.CONCEPT,
            label=f"IHEK {period(concept)}: {target.name.get(DEFAULT_LOCALE, target.key)}",
            reason="field of action removed",
        )
