"""Forms of the managers' concept pages: a concept, a field of action, a proposal, a progress
step. Texts come in one input per content language; the services check the rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.support import LazyProxy
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice

from participation.areas.models import FieldOfAction
from participation.concepts.models import Fund
from participation.concepts.services import STEP_PROGRESS, ProposalInput
from participation.forms import BaseForm, parse_id, strip
from participation.i18n import CONTENT_LANGUAGES, DEFAULT_LOCALE, language_name
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.templating import translated

OTHER_LANGUAGES = [code for code in CONTENT_LANGUAGES if code != DEFAULT_LOCALE]

_AMOUNT = re.compile(r"[0-9]{1,3}(?:[ .,\u00a0\u202f][0-9]{3})+|[0-9]{1,12}")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def in_language(template: LazyProxy, code: str) -> LazyProxy:
    """A label like 'Title in Turkish', in the interface language of the moment."""
    return LazyProxy(lambda: str(template) % {"language": language_name(code)}, enable_cache=False)


def add_texts(form_class: type[BaseForm], *texts: tuple[str, LazyProxy, bool]) -> None:
    """Add one input `<name>_<code>` per text (name, label template, multi-line) and content
    language: German first, then language by language, as the page shows them (the error
    summary follows this order)."""
    for code in CONTENT_LANGUAGES:
        for name, template, textarea in texts:
            kind = TextAreaField if textarea else StringField
            label = in_language(template, code)
            setattr(form_class, f"{name}_{code}", kind(label, filters=[strip]))


def texts_of(form: BaseForm, name: str) -> dict[str, str]:
    return {code: form[f"{name}_{code}"].data or "" for code in CONTENT_LANGUAGES}


def fill_texts(name: str, texts: dict[str, str]) -> dict[str, str]:
    """Form data for the inputs of a text stored per language."""
    return {f"{name}_{code}": text for code, text in texts.items()}


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{4}", value) else None


def parse_amount(value: str | None) -> int | None:
    """Whole euros, with or without thousands separators ('1.500', '1 500', '1500')."""
    value = (value or "").strip().removesuffix("€").removesuffix("EUR").strip()
    if not _AMOUNT.fullmatch(value):
        raise ValueError(value)
    return int(re.sub(r"[^0-9]", "", value))


def parse_day(value: str | None) -> date:
    """An ISO date (what date inputs send) or day.month.year."""
    value = (value or "").strip()
    dotted = _DOTTED_DATE.fullmatch(value)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        return date(year, month, day)
    return date.fromisoformat(value)


# -- concepts and fields of action --------------------------------------------------------


class ConceptForm(BaseForm):
    """Years only when a concept is created; vision and profile on both pages."""

    first_year = StringField(_l("First year"), filters=[strip])
    last_year = StringField(_l("Last year"), filters=[strip])


add_texts(
    ConceptForm,
    ("vision", _l("Guiding vision in %(language)s"), True),
    ("profile", _l("Area profile in %(language)s"), True),
)


class FieldForm(BaseForm):
    """One field of action; on the page with a prefix per field (`field-12-`, `field-new-`)."""


add_texts(FieldForm, ("name", _l("Name in %(language)s"), False))
FieldForm.cross_cutting = BooleanField(
    _l("Cross-cutting theme: it runs through all fields (Querschnittsthema)")
)


def field_form(field: FieldOfAction | None, formdata: Any = None) -> FieldForm:
    prefix = f"field-{field.id if field else 'new'}-"
    if formdata is not None:
        return FieldForm(formdata=formdata, prefix=prefix)
    data: dict[str, Any] = {}
    if field is not None:
        data = {**fill_texts("name", field.name), "cross_cutting": field.cross_cutting}
    return FieldForm(data=data, prefix=prefix)


# -- proposals ----------------------------------------------------------------------------


def _amount_format(form: Any, field: Field) -> None:
    try:
        if field.data:
            parse_amount(field.data)
    except ValueError:
        raise ValidationError(
            _("Please enter the amount in whole euros, for example %(example)s.", example="1500")
        ) from None


class ProposalForm(BaseForm):
    field = SelectField(
        _l("Field of action"), coerce=lambda value: parse_id(str(value)), validate_choice=False
    )


add_texts(
    ProposalForm,
    ("title", _l("Title in %(language)s"), False),
    ("description", _l("Description in %(language)s"), True),
    ("effect", _l("Expected effect in %(language)s"), True),
)
ProposalForm.fund = RadioField(
    _l("Fund"),
    [
        v.InputRequired(message=_l("Please choose a fund from the list.")),
        v.AnyOf([f.value for f in Fund], message=_l("Please choose a fund from the list.")),
    ],
    choices=[SelectChoice(f.value) for f in Fund],
    validate_choice=False,
)
ProposalForm.amount = StringField(_l("Amount in EUR"), [_amount_format], filters=[strip])
ProposalForm.ideas = SelectMultipleField(
    _l("Ideas this proposal came from"),
    coerce=lambda value: parse_id(str(value)) or 0,
    validate_choice=False,
)


def set_field_choices(form: ProposalForm, fields: list[FieldOfAction]) -> None:
    form.field.choices = [SelectChoice(str(f.id), translated(f.name)) for f in fields]


def proposal_input(form: ProposalForm) -> ProposalInput:
    """What the form says, for the service (call after the form validated)."""
    amount = form["amount"].data
    return ProposalInput(
        field_id=form.field.data,
        titles=texts_of(form, "title"),
        descriptions=texts_of(form, "description"),
        effects=texts_of(form, "effect"),
        fund=Fund(form["fund"].data),
        amount=parse_amount(amount) if amount else None,
        idea_ids=[i for i in form["ideas"].data or [] if i],
    )


def proposal_data(proposal: Any, idea_ids: set[int]) -> dict[str, Any]:
    """Form data of a stored proposal."""
    return {
        "field": proposal.field_id,
        **fill_texts("title", proposal.title),
        **fill_texts("description", proposal.description),
        **fill_texts("effect", proposal.effect),
        "fund": proposal.fund.value,
        "amount": str(proposal.amount) if proposal.amount is not None else "",
        "ideas": sorted(idea_ids),
    }


# -- progress -----------------------------------------------------------------------------


def _day_format(form: Any, field: Field) -> None:
    try:
        parse_day(field.data)
    except ValueError:
        raise ValidationError(_("Please enter a valid date.")) from None


class StepForm(BaseForm):
    progress = RadioField(
        _l("What happened"),
        [
            v.InputRequired(message=_l("Please choose a step from the list.")),
            v.AnyOf(
                [p.value for p in STEP_PROGRESS], message=_l("Please choose a step from the list.")
            ),
        ],
        choices=[SelectChoice(p.value) for p in STEP_PROGRESS],
        validate_choice=False,
    )
    happened_on = StringField(
        _l("Date"), [v.InputRequired(message=_l("Please enter the date.")), _day_format]
    )
    note = TextAreaField(_l("Note"), filters=[strip])
