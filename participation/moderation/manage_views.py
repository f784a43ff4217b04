"""The managers' pages for one person in an area (contributions, blocking, unblocking) and for
the area's moderation settings (pre-moderation, automatic hiding)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wtforms import BooleanField, RadioField, StringField, TextAreaField, ValidationError
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Area
from participation.errors import Conflict, DomainError
from participation.forms import BaseForm, length, strip
from participation.i18n import format_moment
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.moderation.access import area_to_moderate, require_moderator
from participation.moderation.deps import moderation
from participation.moderation.people import PeopleService, PersonRecord
from participation.moderation.services import BLOCK_PERIODS, REASON_MAX
from participation.templating import flash
from participation.web import error_page, redirect, render, transaction, url

PERIOD_LABELS = {
    "1": _l("1 day"),
    "7": _l("7 days"),
    "30": _l("30 days"),
    "90": _l("90 days"),
    "forever": _l("For good"),
}

AUTO_HIDE_MESSAGE = _l("Please enter a number from 2 to 100, or leave the field empty.")


class BlockForm(BaseForm):
    period = RadioField(
        _l("Block for how long?"),
        [
            v.InputRequired(message=_l("Please choose how long the block lasts.")),
            v.AnyOf(list(BLOCK_PERIODS), message=_l("Please choose how long the block lasts.")),
        ],
        choices=[SelectChoice(key, PERIOD_LABELS[key]) for key in BLOCK_PERIODS],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason for the block"),
        [
            v.DataRequired(message=_l("Please write why you block this person.")),
            length(max_length=REASON_MAX),
        ],
        filters=[strip],
    )


class UnblockForm(BaseForm):
    # Named like the block form's field in the request, with its own id on the page.
    reason = TextAreaField(
        _l("Note for the log (optional)"),
        [v.Optional(), length(max_length=REASON_MAX)],
        filters=[strip],
        id="unblock-reason",
    )


def _auto_hide_number(form: Any, field: Any) -> None:
    value = field.data or ""
    if value and not (value.isdecimal() and len(value) <= 6):
        raise ValidationError(str(AUTO_HIDE_MESSAGE))


class SettingsForm(BaseForm):
    premoderated = BooleanField(_l("New ideas and comments wait for approval (pre-moderation)"))
    auto_hide_after = StringField(
        _l("Hide an item automatically after this many reports by verified members"),
        [_auto_hide_number],
        filters=[strip],
    )

    @property
    def threshold(self) -> int | None:
        """The number entered (any script's digits), or None for an empty field."""
        return int(self.auto_hide_after.data) if self.auto_hide_after.data else None


# -- one person ---------------------------------------------------------------------------


def _person_context(
    area: Area, record: PersonRecord, block_form: BlockForm, unblock_form: UnblockForm
) -> dict[str, Any]:
    return {
        "area": area,
        "record": record,
        "person": record.person,
        "block_form": block_form,
        "unblock_form": unblock_form,
        "reason_max": REASON_MAX,
    }


def _person_url(request: Request, area: Area, user_id: int) -> str:
    return url(request, "moderation.person", slug=area.slug, user_id=user_id)


async def person(request: Request) -> Response:
    if request.method == "POST":
        return await _post_person(request)
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            record = await PeopleService(session).record(
                request.state.user, area, request.path_params["user_id"]
            )
        except DomainError as error:
            return error_page(request, error)
    return render(
        request, "moderation/person.html", _person_context(area, record, BlockForm(), UnblockForm())
    )


async def _post_person(request: Request) -> Response:
    data: FormData = await request.form()
    unblocking = data.get("decision") == "unblock"
    block_form = BlockForm() if unblocking else BlockForm(formdata=data)
    unblock_form = UnblockForm(formdata=data) if unblocking else UnblockForm()
    form: BlockForm | UnblockForm = unblock_form if unblocking else block_form
    user_id = request.path_params["user_id"]
    async with transaction(request, write=True) as session:
        people = PeopleService(session)
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            person = await people.person(request.state.user, area, user_id)
        except DomainError as error:
            return error_page(request, error)
        if form.validate():
            service = moderation(request, session)
            name = person.display_name
            try:
                if unblocking:
                    await service.unblock(request.state.user, area, person, form.reason.data or "")
                    message = _(
                        "%(name)s can take part in %(area)s again.", name=name, area=area.name
                    )
                else:
                    block = await service.block(
                        request.state.user,
                        area,
                        person,
                        BLOCK_PERIODS[block_form.period.data or ""],
                        block_form.reason.data or "",
                    )
                    if block.until is None:
                        message = _(
                            "%(name)s is blocked in %(area)s for good.", name=name, area=area.name
                        )
                    else:
                        message = _(
                            "%(name)s is blocked in %(area)s until %(date)s.",
                            name=name,
                            area=area.name,
                            date=format_moment(block.until),
                        )
            except DomainError as error:
                if isinstance(error, Conflict) and error.field is None:
                    # Nothing was changed (not blocked, or a manager): say so on the page.
                    flash(request, error.message, "info")
                    return redirect(_person_url(request, area, user_id))
                if error.field is None or not hasattr(form, error.field):
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                flash(request, message)
                return redirect(_person_url(request, area, user_id))
        record = await people.record(request.state.user, area, user_id)
    return render(
        request,
        "moderation/person.html",
        _person_context(area, record, block_form, unblock_form),
        status_code=422,
    )


# -- the area's settings ------------------------------------------------------------------


async def settings(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            # Managers only, also for reading: the page is a form to change the rules.
            await require_moderator(session, request.state.user, area)
        except DomainError as error:
            return error_page(request, error)
        if not write:
            form = SettingsForm(
                data={
                    "premoderated": area.premoderated,
                    "auto_hide_after": str(area.auto_hide_after or ""),
                }
            )
            return render(request, "moderation/settings.html", {"area": area, "form": form})
        form = await SettingsForm.from_request(request)
        if form.validate():
            try:
                changed = await moderation(request, session).configure(
                    request.state.user,
                    area,
                    premoderated=bool(form.premoderated.data),
                    auto_hide_after=form.threshold,
                )
            except DomainError as error:
                if error.field is None or not hasattr(form, error.field):
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                if changed:
                    flash(
                        request, _("The moderation settings of %(area)s are saved.", area=area.name)
                    )
                else:
                    flash(
                        request,
                        _("The settings were already like this. Nothing was changed."),
                        "info",
                    )
                return redirect(url(request, "moderation.settings", slug=area.slug))
    return render(
        request, "moderation/settings.html", {"area": area, "form": form}, status_code=422
    )


routes = [
    Route(
        "/areas/{slug}/moderation/people/{user_id:id}",
        person,
        name="moderation.person",
        methods=["GET", "POST"],
    ),
    Route(
        "/areas/{slug}/moderation/settings",
        settings,
        name="moderation.settings",
        methods=["GET", "POST"],
    ),
]
