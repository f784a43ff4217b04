"""The QM office's pages for answering an idea officially and for entering an idea on someone's
behalf (assisted intake)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wtforms import RadioField, StringField, TextAreaField
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Area
from participation.areas.services import AreaService
from participation.errors import DomainError, NotFound
from participation.forms import BaseForm, length, strip
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.ideas.forms import IdeaForm, LanguageField
from participation.ideas.models import Idea, IdeaStatus
from participation.ideas.services import IdeaInput, IdeaService
from participation.moderation.access import area_to_moderate
from participation.moderation.answers import ANSWER_MAX, ANSWER_STATUSES, AnswerService
from participation.moderation.intake import (
    CONTACT_MAX,
    NAME_MAX,
    NOTE_MAX,
    ContactInput,
    IntakeService,
)
from participation.templating import flash
from participation.web import (
    absolute_link,
    error_page,
    redirect,
    render,
    renderer,
    transaction,
    url,
)

STATUS_LABELS = {
    # The same texts as the status badges (_macros.html status_label).
    IdeaStatus.UNDER_REVIEW: _l("Under review"),
    IdeaStatus.ACCEPTED: _l("Taken into the concept"),
    IdeaStatus.REJECTED: _l("Not taken up"),
    IdeaStatus.IMPLEMENTED: _l("Implemented"),
}


class AnswerForm(BaseForm):
    status = RadioField(
        _l("New status of the idea"),
        [
            v.InputRequired(message=_l("Please choose a status from the list.")),
            v.AnyOf(
                [s.value for s in ANSWER_STATUSES],
                message=_l("Please choose a status from the list."),
            ),
        ],
        choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in ANSWER_STATUSES],
        validate_choice=False,
    )
    body = TextAreaField(
        _l("Answer of the QM office"),
        [v.Optional(), length(max_length=ANSWER_MAX)],
        filters=[strip],
    )
    language = LanguageField(_l("Language of your text"))


class IntakeForm(IdeaForm):
    """The idea form without photos, with the private contact of the person behind the idea."""

    photo_1 = photo_1_alt = photo_2 = photo_2_alt = photo_3 = photo_3_alt = None
    remove_photos = None
    contact_name = StringField(
        _l("Name of the person (optional)"),
        [v.Optional(), length(max_length=NAME_MAX)],
        filters=[strip],
    )
    contact = StringField(
        _l("Phone, e-mail or address (optional)"),
        [v.Optional(), length(max_length=CONTACT_MAX)],
        filters=[strip],
    )
    note = TextAreaField(
        _l("Note: where and when the idea was collected (optional)"),
        [v.Optional(), length(max_length=NOTE_MAX)],
        filters=[strip],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The QM office writes down somebody else's idea: the field keeps its place and rules.
        self.body.label.text = _("The idea, as the person described it")


# -- official answers ---------------------------------------------------------------------


def _answer_context(idea: Idea, form: AnswerForm, **extra: Any) -> dict[str, Any]:
    return {"idea": idea, "area": idea.area, "form": form, **extra}


async def answer(request: Request) -> Response:
    if request.method == "POST":
        return await _post_answer(request)
    async with transaction(request) as session:
        try:
            idea = await IdeaService(session).get(request.path_params["idea_id"])
            await AnswerService(session).require_answerer(request.state.user, idea)
        except DomainError as error:
            return error_page(request, error)
    current = idea.status.value if idea.status in ANSWER_STATUSES else None
    form = AnswerForm(data={"status": current, "language": get_locale()})
    form.language.localise()
    return render(request, "moderation/answer.html", _answer_context(idea, form))


async def _post_answer(request: Request) -> Response:
    form = await AnswerForm.from_request(request)
    form.language.localise()
    async with transaction(request, write=True) as session:
        try:
            idea = await IdeaService(session).get(request.path_params["idea_id"])
        except DomainError as error:
            return error_page(request, error)
        answers = AnswerService(session, renderer=renderer(request), link=absolute_link(request))
        try:
            await answers.require_answerer(request.state.user, idea)
        except DomainError as error:
            # Whatever went wrong (a session that ended, a role taken away), the text the
            # person wrote comes back to them.
            return render(
                request,
                "moderation/answer.html",
                _answer_context(idea, form, page_error=error.message),
                status_code=error.status_code if error.status_code != 401 else 403,
            )
        if form.validate():
            try:
                await answers.answer(
                    request.state.user,
                    idea,
                    IdeaStatus(form.status.data),
                    form.body.data or "",
                    form.language.data,
                )
            except DomainError as error:
                if error.field is None:
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                flash(request, _("Your answer has been published. We are telling the people."))
                return redirect(url(request, "ideas.detail", idea_id=idea.id) + "#answers")
    return render(request, "moderation/answer.html", _answer_context(idea, form), status_code=422)


# -- assisted intake ----------------------------------------------------------------------


def _intake_context(area: Area, form: IntakeForm, **extra: Any) -> dict[str, Any]:
    return {"area": area, "form": form, **extra}


async def intake(request: Request) -> Response:
    if request.method == "POST":
        return await _post_intake(request)
    async with transaction(request) as session:
        areas = AreaService(session)
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            await IntakeService(session).require_office(request.state.user, area)
        except DomainError as error:
            return error_page(request, error)
        form = IntakeForm(data={"language": get_locale()})
        form.set_fields(await areas.current_concept(area))
    return render(request, "moderation/intake.html", _intake_context(area, form))


async def _post_intake(request: Request) -> Response:
    form = await IntakeForm.from_request(request)
    async with transaction(request, write=True) as session:
        areas, office = AreaService(session), IntakeService(session)
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
        except NotFound as error:
            return error_page(request, error)
        form.set_fields(await areas.current_concept(area))
        try:
            await office.require_office(request.state.user, area)
        except DomainError as error:
            # As for answers: the text comes back, with what went wrong.
            return render(
                request,
                "moderation/intake.html",
                _intake_context(area, form, page_error=error.message),
                status_code=error.status_code if error.status_code != 401 else 403,
            )
        if form.validate():
            try:
                idea = await office.enter(
                    request.state.user,
                    area,
                    IdeaInput(
                        title=form.title.data,
                        body=form.body.data,
                        field_id=form.field.data or 0,
                        place=form.place.data or None,
                        language=form.language.data,
                    ),
                    ContactInput(
                        name=form.contact_name.data or "",
                        contact=form.contact.data or "",
                        note=form.note.data or "",
                    ),
                )
            except DomainError as error:
                form.add_error(error.field or "title", error.message)
            else:
                flash(request, _("The idea has been published as submitted via the QM office."))
                return redirect(url(request, "ideas.detail", idea_id=idea.id))
    return render(request, "moderation/intake.html", _intake_context(area, form), status_code=422)


routes = [
    Route("/ideas/{idea_id:id}/answer", answer, name="moderation.answer", methods=["GET", "POST"]),
    Route("/areas/{slug}/ideas/intake", intake, name="moderation.intake", methods=["GET", "POST"]),
]
