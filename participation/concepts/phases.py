"""The phases of a process in time: Berlin calendar days and UTC moments, the phases' names,
the rules a set of phases follows, and the one line that says where a process stands."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from babel.dates import format_time

from participation.concepts.models import Phase, PhaseKind, Process
from participation.errors import Conflict
from participation.i18n import BERLIN, format_day, get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l

PHASE_ORDER = {kind: n for n, kind in enumerate(PhaseKind)}

PHASE_NAMES = {
    PhaseKind.IDEAS: _l("Idea collection"),
    PhaseKind.CONSULTATION: _l("Consultation"),
    PhaseKind.VOTING: _l("Voting"),
    PhaseKind.DECISION: _l("Decision"),
    PhaseKind.IMPLEMENTATION: _l("Implementation"),
}

PhasePlan = dict[PhaseKind, tuple[datetime, datetime]]
"""Phases by kind: (starts_at, ends_at) in UTC."""


def phase_name(kind: PhaseKind) -> str:
    return str(PHASE_NAMES[kind])


# -- Berlin calendar days and UTC moments -------------------------------------------------


def day_start(day: date) -> datetime:
    """00:00 in Berlin at the start of the day, in UTC."""
    return datetime.combine(day, time(0), BERLIN).astimezone(UTC)


def first_day(starts_at: datetime) -> date:
    """The Berlin calendar day a phase starts on."""
    return starts_at.astimezone(BERLIN).date()


def last_day(ends_at: datetime) -> date:
    """The last Berlin calendar day a phase that ends (exclusively) at `ends_at` runs on."""
    return (ends_at.astimezone(BERLIN) - timedelta(microseconds=1)).date()


def _at_midnight(moment: datetime) -> bool:
    return moment.astimezone(BERLIN).time() == time(0)


def _day_and_time(moment: datetime) -> str:
    return _(
        "%(day)s, %(time)s",
        day=format_day(moment),
        time=format_time(moment.astimezone(BERLIN), format="short", locale=get_locale()),
    )


def format_start(moment: datetime) -> str:
    """When a phase starts: its day, with the time when it does not start at midnight."""
    return format_day(moment) if _at_midnight(moment) else _day_and_time(moment)


def format_until(moment: datetime) -> str:
    """Until when a phase runs: its last day when it ends at midnight, else day and time."""
    if _at_midnight(moment):
        return format_day(moment - timedelta(microseconds=1))
    return _day_and_time(moment)


# -- rules and summary ----------------------------------------------------------------------


def check_plan(plan: PhasePlan) -> None:
    """Raise Conflict naming the field when phases run backwards, overlap or are out of order."""
    for kind, (starts_at, ends_at) in plan.items():
        if ends_at <= starts_at:
            raise Conflict(
                _("This phase runs backwards: its last day is before its first day."),
                field=f"{kind.value}_end",
            )
    ordered = sorted(plan.items(), key=lambda item: PHASE_ORDER[item[0]])
    for (before, (before_start, before_end)), (kind, (starts_at, _end)) in pairwise(ordered):
        if starts_at < before_start:
            raise Conflict(
                _(
                    "The phases follow each other in this order: idea collection, "
                    "consultation, voting, decision, implementation. This phase starts before "
                    "the phase “%(phase)s”.",
                    phase=phase_name(before),
                ),
                field=f"{kind.value}_start",
            )
        if starts_at < before_end:
            raise Conflict(
                _(
                    "This phase overlaps the phase “%(phase)s”: it can start only after that "
                    "phase's last day.",
                    phase=phase_name(before),
                ),
                field=f"{kind.value}_start",
            )


def summary(process: Process | None, phase: Phase | None, next_phase: Phase | None) -> str:
    """Where the process stands and what one can do now, in one translated line."""
    if process is None or not process.phases:
        return _("No participation process yet.")
    if phase is None:
        if next_phase is None:
            return _("The participation process has ended.")
        return _(
            "Next: %(phase)s, from %(day)s.",
            phase=phase_name(next_phase.kind),
            day=format_start(next_phase.starts_at),
        )
    until = format_until(phase.ends_at)
    if phase.kind is PhaseKind.IDEAS:
        return _("Idea collection until %(until)s. Post your ideas for the area.", until=until)
    if phase.kind is PhaseKind.CONSULTATION:
        return _("The proposals are open for comments until %(until)s.", until=until)
    if phase.kind is PhaseKind.VOTING:
        return _("Voting until %(until)s. Vote on the proposals below.", until=until)
    if phase.kind is PhaseKind.DECISION:
        return _("The Quartiersrat decides.")
    return _("Being implemented.")
