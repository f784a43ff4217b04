"""The public IHEK pages: a concept with its fields of action, proposals and the ideas behind
them, and one proposal with its texts, votes, comments and progress."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.accounts.models import User
from participation.areas.models import Area, Concept
from participation.concepts.comments import ProposalCommentService
from participation.concepts.eligibility import Standing, area_standing
from participation.concepts.models import Fund, Process, Progress, Proposal
from participation.concepts.process import ProcessService, ProposalStanding
from participation.concepts.services import ConceptService, ProposalService, newest_first
from participation.errors import DomainError, NotFound
from participation.i18n import gettext as _
from participation.ideas.forms import CommentForm
from participation.templating import flash, is_htmx
from participation.web import error_page, redirect, render, transaction, url


async def _concept_context(
    session: AsyncSession,
    area: Area,
    standing: Standing,
    concept: Concept,
    process: Process | None,
    user: User | None,
) -> dict[str, Any]:
    """What a concept page needs besides the area and the concept (two queries)."""
    proposals, my_votes = await ProposalService(session).proposals_with_votes(concept, user)
    by_field: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_field[proposal.field_id].append(proposal)
    return {
        "area": area,
        "concept": concept,
        "viewer": standing.viewer,
        "concepts": newest_first(area.concepts),
        "by_field": by_field,
        "ideas": await ProposalService(session).ideas_of([p.id for p in proposals]),
        "status": ProcessService.status_of(process, area, standing.eligibility(area, process)),
        "my_votes": my_votes,
        "funds": Fund,
        "progress": Progress,
    }


async def current_concept(request: Request) -> Response:
    """The area's current concept (IHEK)."""
    async with transaction(request) as session:
        user = request.state.user
        try:
            area, standing = await area_standing(
                session, user, slug=request.path_params["slug"], with_concepts=True
            )
            current = next((c for c in area.concepts if c.is_current), None)
            if current is None:
                raise NotFound(_("This area has no action and development concept yet."))
            concept, process = await ConceptService(session).with_process(current.id)
            context = await _concept_context(session, area, standing, concept, process, user)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "concepts/concept.html", context)


async def concept_detail(request: Request) -> Response:
    """Any concept of an area, also the earlier ones with their own fields of action."""
    async with transaction(request) as session:
        user = request.state.user
        try:
            concept, process = await ConceptService(session).with_process(
                request.path_params["concept_id"]
            )
            area, standing = await area_standing(
                session, user, area_id=concept.area_id, with_concepts=True
            )
            context = await _concept_context(session, area, standing, concept, process, user)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "concepts/concept.html", context)


async def _proposal_context(
    session: AsyncSession, seen: ProposalStanding, *, whole_page: bool = True, **extra: Any
) -> dict[str, Any]:
    """What the proposal page needs (three queries), or only its comments block (one)."""
    proposal = seen.proposal
    context = {
        "area": proposal.concept.area,
        "concept": proposal.concept,
        "proposal": proposal,
        "viewer": seen.viewer,
        "comments": await ProposalCommentService(session).comments_of(proposal),
        "status": seen.status,
        "comment_form": extra.pop("comment_form", None),  # None: the empty form
        **extra,
    }
    if whole_page:
        proposals = ProposalService(session)
        context.update(
            ideas=(await proposals.ideas_of([proposal.id])).get(proposal.id, []),
            steps=await proposals.steps_of(proposal),
            my_votes={proposal.id: seen.my_choice} if seen.my_choice is not None else {},
            funds=Fund,
            progress=Progress,
        )
    return context


async def proposal_detail(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            seen = await ProcessService(session).proposal_standing(
                request.path_params["proposal_id"], request.state.user
            )
        except DomainError as error:
            return error_page(request, error)
        context = await _proposal_context(session, seen)
    return render(request, "concepts/proposal.html", context)


async def proposal_comment(request: Request) -> Response:
    form = await CommentForm.from_request(request)
    async with transaction(request, write=True) as session:
        try:
            seen = await ProcessService(session).proposal_standing(
                request.path_params["proposal_id"], request.state.user
            )
        except DomainError as error:
            return error_page(request, error)
        proposal = seen.proposal
        comment = None
        if form.validate():
            try:
                comment = await ProposalCommentService(session).comment(
                    seen.viewer,
                    proposal,
                    body=form.body.data,
                    language=form.language.data,
                    open_now=seen.status.can_comment,
                )
            except DomainError as error:
                if error.field is None:
                    return error_page(request, error)
                form.add_error(error.field, error.message)
        done = _("Your comment has been published.")
        if comment is not None and not is_htmx(request):
            flash(request, done)
            target = url(request, "concepts.proposal", proposal_id=proposal.id)
            return redirect(f"{target}#proposal-comment-{comment.id}")
        extra: dict[str, Any] = (
            {"announcement": done, "new_comment_id": comment.id}
            if comment is not None
            else {
                "comment_form": form,
                "announcement": _("Your comment could not be published. Please check the form."),
            }
        )
        # An htmx request gets only the comments block; without JavaScript a form with errors
        # comes back on the whole page.
        context = await _proposal_context(session, seen, whole_page=not is_htmx(request), **extra)
    return render(
        request,
        "concepts/proposal.html",
        context,
        block="comments",
        status_code=200 if comment is not None else 422,
    )


routes = [
    Route("/areas/{slug}/concept", current_concept, name="concepts.current"),
    Route("/concepts/{concept_id:id}", concept_detail, name="concepts.detail"),
    Route("/proposals/{proposal_id:id}", proposal_detail, name="concepts.proposal"),
    Route(
        "/proposals/{proposal_id:id}/comments",
        proposal_comment,
        name="concepts.comment",
        methods=["POST"],
    ),
]
