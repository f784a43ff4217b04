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
from participation.areas.models import Area, Concept
from participation.concepts.comments import ProposalCommentService
from participation.concepts.models import Fund, Progress, Proposal
from participation.concepts.process import ProcessService, VoteService
from participation.concepts.services import ConceptService, ProposalService
from participation.errors import DomainError, NotFound
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.ideas.forms import CommentForm
from participation.ideas.services import IdeaService, Viewer
from participation.templating import flash, is_htmx
from participation.web import error_page, redirect, render, transaction, url


async def _concept_context(
    request: Request, session: AsyncSession, area: Area, viewer: Viewer, concept: Concept
) -> dict[str, Any]:
    proposals = await ProposalService(session).proposals_of(concept)
    ids = [p.id for p in proposals]
    by_field: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_field[proposal.field_id].append(proposal)
    user = request.state.user
    return {
        "area": area,
        "concept": concept,
        "viewer": viewer,
        "concepts": await ConceptService(session).concepts_of(area),
        "by_field": by_field,
        "ideas": await ProposalService(session).ideas_of(ids),
        "status": await ProcessService(session).status(concept, user),
        "my_votes": await VoteService(session).my_votes(user, ids) if user else {},
        "funds": Fund,
        "progress": Progress,
    }


async def current_concept(request: Request) -> Response:
    """The area's current concept (IHEK)."""
    async with transaction(request) as session:
        try:
            area, viewer = await IdeaService(session).area_for(
                request.path_params["slug"], request.state.user
            )
            concepts = await ConceptService(session).concepts_of(area)
            current = next((c for c in concepts if c.is_current), None)
            if current is None:
                raise NotFound(_("This area has no action and development concept yet."))
            concept = await ConceptService(session).get(current.id)
            context = await _concept_context(request, session, area, viewer, concept)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "concepts/concept.html", context)


async def concept_detail(request: Request) -> Response:
    """Any concept of an area, also the earlier ones with their own fields of action."""
    async with transaction(request) as session:
        try:
            concept = await ConceptService(session).get(request.path_params["concept_id"])
            ideas = IdeaService(session)
            viewer = await ideas.viewer(request.state.user, concept.area)
            context = await _concept_context(request, session, concept.area, viewer, concept)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "concepts/concept.html", context)


async def _proposal_context(
    request: Request, session: AsyncSession, proposal: Proposal, **extra: Any
) -> dict[str, Any]:
    user = request.state.user
    area = proposal.concept.area
    viewer = await IdeaService(session).viewer(user, area)
    proposals = ProposalService(session)
    comment_form = extra.pop("comment_form", None) or CommentForm(data={"language": get_locale()})
    comment_form.language.localise()
    return {
        "area": area,
        "concept": proposal.concept,
        "proposal": proposal,
        "viewer": viewer,
        "ideas": (await proposals.ideas_of([proposal.id])).get(proposal.id, []),
        "steps": await proposals.steps_of(proposal),
        "comments": await ProposalCommentService(session).comments_of(proposal),
        "status": await ProcessService(session).status(proposal.concept, user),
        "my_votes": await VoteService(session).my_votes(user, [proposal.id]) if user else {},
        "comment_form": comment_form,
        "funds": Fund,
        "progress": Progress,
        **extra,
    }


async def proposal_detail(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            proposal = await ProposalService(session).get(request.path_params["proposal_id"])
            context = await _proposal_context(request, session, proposal)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "concepts/proposal.html", context)


async def proposal_comment(request: Request) -> Response:
    form = await CommentForm.from_request(request)
    form.language.localise()
    async with transaction(request, write=True) as session:
        try:
            proposal = await ProposalService(session).get(request.path_params["proposal_id"])
            viewer = await IdeaService(session).viewer(request.state.user, proposal.concept.area)
            status = await ProcessService(session).status(proposal.concept, request.state.user)
        except DomainError as error:
            return error_page(request, error)
        comment = None
        if form.validate():
            try:
                comment = await ProposalCommentService(session).comment(
                    viewer,
                    proposal,
                    body=form.body.data,
                    language=form.language.data,
                    open_now=status.can_comment,
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
        context = await _proposal_context(request, session, proposal, **extra)
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
