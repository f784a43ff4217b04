"""The managers' form for a process: the days of each phase and who may vote."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import BooleanField, SelectMultipleField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from participation.concepts.models import PhaseKind, Process
from participation.concepts.phases import first_day, last_day
from participation.concepts.results import ROLE_HEADINGS
from participation.forms import BaseForm, strip
from participation.i18n import lazy_gettext as _l

FIRST_DAY_LABELS = {
    PhaseKind.IDEAS: _l("First day of the idea collection"),
    PhaseKind.CONSULTATION: _l("First day of the consultation"),
    PhaseKind.VOTING: _l("First day of the vote"),
    PhaseKind.DECISION: _l("First day of the decision"),
    PhaseKind.IMPLEMENTATION: _l("First day of the implementation"),
}
LAST_DAY_LABELS = {
    PhaseKind.IDEAS: _l("Last day of the idea collection"),
    PhaseKind.CONSULTATION: _l("Last day of the consultation"),
    PhaseKind.VOTING: _l("Last day of the vote"),
    PhaseKind.DECISION: _l("Last day of the decision"),
    PhaseKind.IMPLEMENTATION: _l("Last day of the implementation"),
}
PHASE_HINTS = {
    PhaseKind.IDEAS: _l("Members post ideas for the area."),
    PhaseKind.CONSULTATION: _l("Members comment on the proposals."),
    PhaseKind.VOTING: _l("Members who may vote vote yes, no or abstain on each proposal."),
    PhaseKind.DECISION: _l("The Quartiersrat decides which proposals are carried out."),
    PhaseKind.IMPLEMENTATION: _l("The measures are carried out."),
}

DATE_MESSAGE = _l("Please enter a date like 2026-12-31.")
BOTH_MESSAGE = _l("Please give both the first and the last day, or leave both empty.")


def parse_day(value: str | None) -> date | None:
    """A date written as YYYY-MM-DD (what date inputs send), or None."""
    if not value or len(value) != 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2200 else None


def _a_day(form: Any, field: Any) -> None:
    if field.data and parse_day(field.data) is None:
        raise ValidationError(str(DATE_MESSAGE))


class ProcessForm(BaseForm):
    voter_roles = SelectMultipleField(
        _l("Who may vote"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_HEADINGS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    verified_only = BooleanField(_l("Only members verified by the QM office may vote"))
    show_running_totals = BooleanField(_l("Show the running totals during the vote"))

    @classmethod
    def of(cls, process: Process | None) -> ProcessForm:
        """The form filled with the process as it is."""
        data: dict[str, Any] = {"voter_roles": [], "verified_only": False}
        if process is not None:
            data.update(
                voter_roles=list(process.voter_roles),
                verified_only=process.verified_only,
                show_running_totals=process.show_running_totals,
            )
            for phase in process.phases:
                data[f"{phase.kind.value}_start"] = first_day(phase.starts_at).isoformat()
                data[f"{phase.kind.value}_end"] = last_day(phase.ends_at).isoformat()
        form: ProcessForm = cls(data=data)
        return form

    def phase_fields(self) -> list[tuple[PhaseKind, Any, Any]]:
        return [
            (kind, self[f"{kind.value}_start"], self[f"{kind.value}_end"]) for kind in PhaseKind
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for _kind, start, end in self.phase_fields():
            if bool(start.data) != bool(end.data) and not start.errors and not end.errors:
                self.add_error(end.name if start.data else start.name, str(BOTH_MESSAGE))
                valid = False
        return valid

    def phases(self) -> list[tuple[PhaseKind, date, date]]:
        """The phases given (after `validate`): kind, first and last day."""
        chosen = []
        for kind, start, end in self.phase_fields():
            first, last = parse_day(start.data), parse_day(end.data)
            if first is not None and last is not None:
                chosen.append((kind, first, last))
        return chosen


for _kind in PhaseKind:
    setattr(
        ProcessForm,
        f"{_kind.value}_start",
        StringField(FIRST_DAY_LABELS[_kind], [_a_day], filters=[strip]),
    )
    setattr(
        ProcessForm,
        f"{_kind.value}_end",
        StringField(LAST_DAY_LABELS[_kind], [_a_day], filters=[strip]),
    )
