"""Voting on proposals, the results of a vote (page and CSV), and the managers' page for the
phases and voting rules of a concept's process."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.accounts.models import StakeholderRole, User
from participation.areas.models import Area, Concept
from participation.concepts.eligibility import area_standing
from participation.concepts.models import Choice, PhaseKind
from participation.concepts.phases import phase_name
from participation.concepts.process import ProcessService, ProcessStatus, VoteService, choice_name
from participation.concepts.process_forms import PHASE_HINTS, ProcessForm
from participation.concepts.results import format_share, role_heading
from participation.concepts.services import ConceptService
from participation.errors import Conflict, DomainError, NotFound, SignInRequired
from participation.i18n import gettext as _
from participation.moderation.access import require_moderator
from participation.security import safe_next
from participation.templating import flash, is_htmx
from participation.text import spreadsheet_safe
from participation.web import error_page, redirect, render, transaction, url


class InvalidChoice(Conflict):
    status_code = 422


def _choice(value: object) -> Choice:
    try:
        return Choice(value)
    except ValueError:
        raise InvalidChoice(_("Please choose yes, no or abstain.")) from None


def _message(choice: Choice, previous: Choice | None) -> str:
    if previous is None:
        return _("Your vote is counted: %(choice)s.", choice=choice_name(choice))
    if previous is choice:
        return _("Your vote is unchanged: %(choice)s.", choice=choice_name(choice))
    return _("You changed your vote to: %(choice)s.", choice=choice_name(choice))


async def vote(request: Request) -> Response:
    form = await request.form()
    raw_next = form.get("next")
    user = None
    refusal: DomainError | None = None
    message = ""
    async with transaction(request, write=True) as session:
        user = request.state.user
        try:
            seen = await ProcessService(session).proposal_standing(
                request.path_params["proposal_id"], user, for_vote=True
            )
        except DomainError as error:
            return error_page(request, error)
        proposal, my_choice = seen.proposal, seen.my_choice
        try:
            change = await VoteService(session).change(
                user, proposal, _choice(form.get("choice")), seen
            )
        except SignInRequired as error:
            return error_page(request, error)
        except DomainError as error:
            refusal = error
        else:
            message = _message(change.choice, change.previous)
            my_choice = change.choice
        fallback = url(request, "concepts.proposal", proposal_id=proposal.id)
        back = safe_next(raw_next if isinstance(raw_next, str) else None, fallback)
        if is_htmx(request):
            # The same block the page shows, with the outcome; 200 so that htmx swaps it in.
            # A vote changes neither the phase nor who may vote: the status read above holds.
            context: dict[str, Any] = {
                "proposal": proposal,
                "status": seen.status,
                "my_choice": my_choice,
                "vote_next": back,
            }
            if refusal is not None:
                context.update(vote_error=refusal.message, announcement=refusal.message)
            else:
                context["announcement"] = message
            return render(request, "concepts/_vote.html", context, block="vote")
    if refusal is not None:
        return error_page(request, refusal)
    flash(request, message)
    return redirect(back if "#" in back else f"{back}#vote-{proposal.id}")


async def _current(
    session: AsyncSession, slug: str, user: User | None
) -> tuple[Area, Concept, ProcessStatus]:
    """The area, its current concept with its fields of action, and where the concept's process
    stands for the user (two queries); raise NotFound."""
    area, standing = await area_standing(session, user, slug=slug)
    current = await ConceptService(session).current_with_process(area)
    if current is None:
        raise NotFound(_("This area has no action and development concept yet."))
    concept, process = current
    status = ProcessService.status_of(process, area, standing.eligibility(area, process))
    return area, concept, status


async def results(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            area, concept, status = await _current(
                session, request.path_params["slug"], request.state.user
            )
            shown = await VoteService(session).results_for(request.state.user, status, concept)
        except DomainError as error:
            return error_page(request, error)
    return render(
        request,
        "concepts/results.html",
        {
            "area": area,
            "concept": concept,
            "status": status,
            "results": shown,
            "early": shown is not None and not status.results_visible,
            "choices": list(Choice),
            "percent": format_share,
            "role_heading": role_heading,
        },
    )


async def results_csv(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            area, concept, status = await _current(
                session, request.path_params["slug"], request.state.user
            )
            shown = await VoteService(session).results_for(request.state.user, status, concept)
            if shown is None:
                raise Conflict(status.results_message)
        except DomainError as error:
            return error_page(request, error)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "proposal_id",
            "title",
            "field_of_action",
            "yes",
            "no",
            "abstain",
            "total",
            *(f"{role.value}_{choice.value}" for role in StakeholderRole for choice in Choice),
        ]
    )
    for result in shown:
        proposal = result.proposal
        writer.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    proposal.id,
                    _german_or_first(proposal.title),
                    _german_or_first(proposal.field.name),
                    result.yes,
                    result.no,
                    result.abstain,
                    result.total,
                    *(
                        result.by_role[role].count(choice) if role in result.by_role else 0
                        for role in StakeholderRole
                        for choice in Choice
                    ),
                )
            ]
        )
    filename = f"results-{area.slug}-{concept.first_year}-{concept.last_year}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


def _german_or_first(texts: dict[str, str]) -> str:
    return texts.get("de") or next(iter(texts.values()), "")


# -- the managers' page ---------------------------------------------------------------------


def _process_context(
    area: Area, concept: Concept, status: ProcessStatus, form: ProcessForm, **extra: Any
) -> dict[str, Any]:
    configured = {p.kind: p for p in status.phases}
    startable = [
        kind
        for kind in PhaseKind
        if kind in configured
        and configured[kind] is not status.phase
        and configured[kind].ends_at > status.now
    ]
    return {
        "area": area,
        "concept": concept,
        "status": status,
        "form": form,
        "kinds": list(PhaseKind),
        "phase_name": phase_name,
        "hints": PHASE_HINTS,
        "startable": startable,
        **extra,
    }


async def process(request: Request) -> Response:
    write = request.method == "POST"
    form_data = await request.form() if write else None
    async with transaction(request, write=write) as session:
        user = request.state.user
        processes = ProcessService(session)
        try:
            area, concept, status = await _current(session, request.path_params["slug"], user)
            # Managers only, also for reading: the page is a form to change the process.
            await require_moderator(session, user, area)
        except DomainError as error:
            return error_page(request, error)
        if form_data is None:
            form = ProcessForm.of(status.process)
            return render(
                request, "concepts/process.html", _process_context(area, concept, status, form)
            )
        start_now = form_data.get("start_now")
        if start_now is not None:
            kind = next((k for k in PhaseKind if k.value == start_now), None)
            try:
                if kind is None:
                    raise Conflict(_("Please choose a phase from the list."))
                await processes.switch_now(user, concept, kind)
            except DomainError as error:
                problem = error.message
            else:
                flash(request, _("The phase “%(phase)s” has started.", phase=phase_name(kind)))
                return redirect(url(request, "concepts.process", slug=area.slug))
            status = await processes.status(concept, user)
            context = _process_context(
                area, concept, status, ProcessForm.of(status.process), switch_error=problem
            )
            return render(request, "concepts/process.html", context, status_code=409)
        form = ProcessForm(formdata=form_data)
        if form.validate():
            try:
                await processes.set_phases(
                    user,
                    concept,
                    form.phases(),
                    voter_roles=form.voter_roles.data or [],
                    verified_only=bool(form.verified_only.data),
                    show_running_totals=bool(form.show_running_totals.data),
                )
            except DomainError as error:
                if error.field is None or not hasattr(form, error.field):
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                flash(request, _("The phases and voting rules are saved."))
                return redirect(url(request, "concepts.process", slug=area.slug))
        status = await processes.status(concept, user)
    return render(
        request,
        "concepts/process.html",
        _process_context(area, concept, status, form),
        status_code=422,
    )


routes = [
    Route("/proposals/{proposal_id:id}/vote", vote, name="concepts.vote", methods=["POST"]),
    Route("/areas/{slug}/concept/results", results, name="concepts.results"),
    Route("/areas/{slug}/concept/results.csv", results_csv, name="concepts.results_csv"),
    Route(
        "/areas/{slug}/concept/process",
        process,
        name="concepts.process",
        methods=["GET", "POST"],
    ),
]
