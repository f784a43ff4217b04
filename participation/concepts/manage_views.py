"""The managers' pages of the IHEK: create a concept, edit its vision, profile and fields of
action, write and edit proposals, record what became of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Concept
from participation.concepts.manage_forms import (
    OTHER_LANGUAGES,
    ConceptForm,
    FieldForm,
    ProposalForm,
    StepForm,
    field_form,
    fill_texts,
    parse_day,
    parse_year,
    proposal_data,
    proposal_input,
    set_field_choices,
    texts_of,
)
from participation.concepts.models import Fund, Progress, Proposal
from participation.concepts.rules import AMOUNT_MAX, Invalid
from participation.concepts.services import (
    DESCRIPTION_MAX,
    EFFECT_MAX,
    FIRST_YEAR,
    LAST_YEAR,
    NAME_MAX,
    NOTE_MAX,
    STEP_PROGRESS,
    TITLE_MAX,
    VISION_MAX,
    ConceptService,
    ProposalService,
    today,
)
from participation.errors import DomainError
from participation.forms import BaseForm, parse_id
from participation.i18n import gettext as _
from participation.moderation.access import area_to_moderate
from participation.templating import flash
from participation.web import (
    absolute_link,
    error_page,
    query_int,
    redirect,
    render,
    renderer,
    transaction,
    url,
)

LIMITS = {
    "first_year": FIRST_YEAR,
    "last_year": LAST_YEAR,
    "vision": VISION_MAX,
    "name": NAME_MAX,
    "title": TITLE_MAX,
    "description": DESCRIPTION_MAX,
    "effect": EFFECT_MAX,
    "note": NOTE_MAX,
    "amount": AMOUNT_MAX,
}


def _add_errors(form: BaseForm, error: Invalid) -> None:
    for name, message in error.errors.items():
        form.add_error(name, message)


def _common(**context: Any) -> dict[str, Any]:
    return {"other_languages": OTHER_LANGUAGES, "limits": LIMITS, **context}


# -- a new concept ------------------------------------------------------------------------


async def new_concept(request: Request) -> Response:
    if request.method == "POST":
        return await _create_concept(request)
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            concepts = ConceptService(session)
            await concepts.require_manager(request.state.user, area, new=True)
            existing = await concepts.concepts_of(area)
        except DomainError as error:
            return error_page(request, error)
    start = max((c.last_year for c in existing), default=today().year - 1) + 1
    form = ConceptForm(data={"first_year": str(start), "last_year": str(start + 2)})
    return render(
        request,
        "concepts/manage_new_concept.html",
        _common(area=area, form=form, existing=existing),
    )


async def _create_concept(request: Request) -> Response:
    form = await ConceptForm.from_request(request)
    async with transaction(request, write=True) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            concept = await ConceptService(session).create(
                request.state.user,
                area,
                first_year=parse_year(form.first_year.data),
                last_year=parse_year(form.last_year.data),
                vision=texts_of(form, "vision"),
                profile=texts_of(form, "profile"),
            )
        except Invalid as error:
            _add_errors(form, error)
        except DomainError as error:
            return error_page(request, error)
        else:
            flash(
                request,
                _(
                    "The concept has been created with the standard fields of action. "
                    "You can change them here."
                ),
            )
            return redirect(url(request, "concepts.edit", concept_id=concept.id))
        existing = await ConceptService(session).concepts_of(area)
    return render(
        request,
        "concepts/manage_new_concept.html",
        _common(area=area, form=form, existing=existing),
        status_code=422,
    )


# -- editing a concept and its fields of action --------------------------------------------


async def _concept_page(
    request: Request,
    session: AsyncSession,
    concept: Concept,
    *,
    status_code: int = 200,
    concept_form: ConceptForm | None = None,
    failed: FieldForm | None = None,
    failed_id: int | None = None,
    remove_error: tuple[int, str] | None = None,
) -> Response:
    """The concept's edit page; a form that failed replaces its fresh copy."""
    used = await ConceptService(session).fields_in_use(concept)
    proposals = await ProposalService(session).proposals_of(concept)
    if concept_form is None:
        concept_form = ConceptForm(
            data={**fill_texts("vision", concept.vision), **fill_texts("profile", concept.profile)}
        )
    field_forms = [
        (field, failed if failed is not None and failed_id == field.id else field_form(field))
        for field in concept.fields
    ]
    new_field = failed if failed is not None and failed_id is None else field_form(None)
    return render(
        request,
        "concepts/manage_concept.html",
        _common(
            area=concept.area,
            concept=concept,
            form=concept_form,
            field_forms=field_forms,
            new_field=new_field,
            failed=failed,
            used=used,
            proposals=proposals,
            remove_error=remove_error,
        ),
        status_code=status_code,
    )


async def edit_concept(request: Request) -> Response:
    if request.method == "POST":
        return await _save_concept(request)
    async with transaction(request) as session:
        try:
            concepts = ConceptService(session)
            concept = await concepts.get(request.path_params["concept_id"])
            await concepts.require_manager(request.state.user, concept.area)
        except DomainError as error:
            return error_page(request, error)
        return await _concept_page(request, session, concept)


async def _save_concept(request: Request) -> Response:
    formdata = await request.form()
    which = str(formdata.get("form", ""))
    async with transaction(request, write=True) as session:
        concepts = ConceptService(session)
        try:
            concept = await concepts.get(request.path_params["concept_id"])
        except DomainError as error:
            return error_page(request, error)
        user = request.state.user
        target = url(request, "concepts.edit", concept_id=concept.id)
        try:
            if which.startswith("remove-"):
                await concepts.remove_field(
                    user, concept, parse_id(which.removeprefix("remove-")) or 0
                )
                flash(request, _("The field of action has been removed."))
                return redirect(target + "#fields")
            if which.startswith("field-"):
                field_id = _field_id(which)
                form = _field_form_from(formdata, which)
                field = await concepts.save_field(
                    user,
                    concept,
                    field_id,
                    texts_of(form, "name"),
                    bool(form["cross_cutting"].data),
                )
                flash(request, _("The field of action has been saved."))
                return redirect(f"{target}#field-{field.id}")
            concept_form = ConceptForm(formdata=formdata)
            await concepts.update(
                user,
                concept,
                vision=texts_of(concept_form, "vision"),
                profile=texts_of(concept_form, "profile"),
            )
            flash(request, _("The vision and the profile have been saved."))
            return redirect(target)
        except Invalid as error:
            if which.startswith("field-"):
                form = _field_form_from(formdata, which)
                _add_errors(form, error)
                failed_id = _field_id(which)
                return await _concept_page(
                    request, session, concept, status_code=422, failed=form, failed_id=failed_id
                )
            concept_form = ConceptForm(formdata=formdata)
            _add_errors(concept_form, error)
            return await _concept_page(
                request, session, concept, status_code=422, concept_form=concept_form
            )
        except DomainError as error:
            if which.startswith("remove-") and error.status_code == 409:
                field_id = parse_id(which.removeprefix("remove-")) or 0
                return await _concept_page(
                    request,
                    session,
                    concept,
                    status_code=409,
                    remove_error=(field_id, error.message),
                )
            return error_page(request, error)


def _field_id(which: str) -> int | None:
    """The field of action a form is about: None for "field-new", 0 (none) for nonsense."""
    return None if which == "field-new" else parse_id(which.removeprefix("field-")) or 0


def _field_form_from(formdata: FormData, which: str) -> FieldForm:
    return FieldForm(formdata=formdata, prefix=f"{which}-")


# -- proposals ----------------------------------------------------------------------------


async def _proposal_page(
    request: Request,
    session: AsyncSession,
    concept: Concept,
    form: ProposalForm,
    proposal: Proposal | None,
    linked: set[int],
    *,
    status_code: int = 200,
) -> Response:
    ideas = await ProposalService(session).idea_choices(concept.area, linked)
    chosen = set(form["ideas"].data or [])
    # The ideas already chosen first, so that a long list does not hide them.
    ideas.sort(key=lambda idea: idea.id not in chosen)
    return render(
        request,
        "concepts/manage_proposal.html",
        _common(
            area=concept.area,
            concept=concept,
            form=form,
            proposal=proposal,
            ideas=ideas,
            chosen=chosen,
            funds=list(Fund),
        ),
        status_code=status_code,
    )


async def new_proposal(request: Request) -> Response:
    if request.method == "POST":
        return await _save_proposal(request, None)
    async with transaction(request) as session:
        try:
            concept = await ConceptService(session).get(request.path_params["concept_id"])
            await ConceptService(session).require_manager(
                request.state.user, concept.area, new=True
            )
        except DomainError as error:
            return error_page(request, error)
        form = ProposalForm(data={"field": query_int(request, "field")})
        set_field_choices(form, concept.fields)
        return await _proposal_page(request, session, concept, form, None, set())


async def edit_proposal(request: Request) -> Response:
    if request.method == "POST":
        return await _save_proposal(request, request.path_params["proposal_id"])
    async with transaction(request) as session:
        try:
            proposals = ProposalService(session)
            proposal = await proposals.get(request.path_params["proposal_id"])
            concept = await ConceptService(session).get(proposal.concept_id)
            await proposals.require_manager(request.state.user, concept)
            linked = await proposals.linked_idea_ids(proposal)
        except DomainError as error:
            return error_page(request, error)
        form = ProposalForm(data=proposal_data(proposal, linked))
        set_field_choices(form, concept.fields)
        return await _proposal_page(request, session, concept, form, proposal, linked)


async def _save_proposal(request: Request, proposal_id: int | None) -> Response:
    form = await ProposalForm.from_request(request)
    async with transaction(request, write=True) as session:
        proposals = ProposalService(
            session, renderer=renderer(request), link=absolute_link(request)
        )
        concepts = ConceptService(session)
        try:
            proposal = await proposals.get(proposal_id) if proposal_id else None
            concept = await concepts.get(
                proposal.concept_id if proposal else request.path_params["concept_id"]
            )
            linked = await proposals.linked_idea_ids(proposal) if proposal else set()
            await concepts.require_manager(request.state.user, concept.area, new=proposal is None)
        except DomainError as error:
            return error_page(request, error)
        set_field_choices(form, concept.fields)
        if form.validate():
            try:
                if proposal is None:
                    proposal = await proposals.create(
                        request.state.user, concept, proposal_input(form)
                    )
                    flash(request, _("The proposal has been published."))
                else:
                    await proposals.update(request.state.user, proposal, proposal_input(form))
                    flash(request, _("Your changes have been saved."))
            except Invalid as error:
                _add_errors(form, error)
            except DomainError as error:
                return error_page(request, error)
            else:
                return redirect(url(request, "concepts.proposal", proposal_id=proposal.id))
        return await _proposal_page(
            request, session, concept, form, proposal, linked, status_code=422
        )


# -- progress -----------------------------------------------------------------------------


async def _progress_page(
    request: Request,
    session: AsyncSession,
    proposal: Proposal,
    form: StepForm,
    *,
    status_code: int = 200,
) -> Response:
    steps = await ProposalService(session).steps_of(proposal)
    return render(
        request,
        "concepts/manage_progress.html",
        _common(
            area=proposal.concept.area,
            concept=proposal.concept,
            proposal=proposal,
            steps=steps,
            form=form,
            choices=STEP_PROGRESS,
            today=today(),
            progress=Progress,
        ),
        status_code=status_code,
    )


async def progress(request: Request) -> Response:
    if request.method == "POST":
        return await _add_step(request)
    async with transaction(request) as session:
        try:
            proposals = ProposalService(session)
            proposal = await proposals.get(request.path_params["proposal_id"])
            await proposals.require_manager(request.state.user, proposal.concept)
        except DomainError as error:
            return error_page(request, error)
        form = StepForm(data={"happened_on": today().isoformat()})
        return await _progress_page(request, session, proposal, form)


async def _add_step(request: Request) -> Response:
    form = await StepForm.from_request(request)
    async with transaction(request, write=True) as session:
        proposals = ProposalService(session)
        try:
            proposal = await proposals.get(request.path_params["proposal_id"])
            await proposals.require_manager(request.state.user, proposal.concept)
        except DomainError as error:
            return error_page(request, error)
        if form.validate():
            try:
                await proposals.add_step(
                    request.state.user,
                    proposal,
                    Progress(form.progress.data),
                    parse_day(form.happened_on.data),
                    form.note.data or "",
                )
            except Invalid as error:
                _add_errors(form, error)
            except DomainError as error:
                return error_page(request, error)
            else:
                flash(request, _("The step has been recorded."))
                return redirect(url(request, "concepts.progress", proposal_id=proposal.id))
        return await _progress_page(request, session, proposal, form, status_code=422)


routes = [
    Route("/areas/{slug}/concepts/new", new_concept, name="concepts.new", methods=["GET", "POST"]),
    Route(
        "/concepts/{concept_id:id}/edit",
        edit_concept,
        name="concepts.edit",
        methods=["GET", "POST"],
    ),
    Route(
        "/concepts/{concept_id:id}/proposals/new",
        new_proposal,
        name="concepts.proposal_new",
        methods=["GET", "POST"],
    ),
    Route(
        "/proposals/{proposal_id:id}/edit",
        edit_proposal,
        name="concepts.proposal_edit",
        methods=["GET", "POST"],
    ),
    Route(
        "/proposals/{proposal_id:id}/progress",
        progress,
        name="concepts.progress",
        methods=["GET", "POST"],
    ),
]
