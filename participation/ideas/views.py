"""Idea lists, idea pages, posting and editing ideas, comments and supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Area
from participation.areas.services import AreaService
from participation.errors import DomainError, NotMember
from participation.i18n import get_locale, ngettext
from participation.i18n import gettext as _
from participation.ideas.forms import CommentEditForm, CommentForm, IdeaForm, parse_filter
from participation.ideas.models import Idea, IdeaStatus
from participation.ideas.services import IdeaInput, IdeaService, Sort, Viewer
from participation.security import safe_next
from participation.templating import flash, is_htmx
from participation.web import error_page, redirect, render, transaction, url


async def idea_list(request: Request) -> Response:
    async with transaction(request) as session:
        ideas = IdeaService(session)
        try:
            area, viewer = await ideas.area_for(request.path_params["slug"], request.state.user)
        except DomainError as error:
            return error_page(request, error)
        flt = parse_filter(request.query_params)
        concept = await AreaService(session).current_concept(area)
        page = await ideas.find(area, flt, viewer=viewer.user)
    announcement = ngettext("%(num)s idea found.", "%(num)s ideas found.", page.total)
    return render(
        request,
        "ideas/list.html",
        {
            "area": area,
            "concept": concept,
            "page": page,
            "filter": flt,
            "viewer": viewer,
            "supported": page.supported_ids,
            "statuses": list(IdeaStatus),
            "sorts": list(Sort),
            "announcement": announcement,
        },
        block="results",
    )


def _idea_input(form: IdeaForm) -> IdeaInput:
    return IdeaInput(
        title=form.title.data,
        body=form.body.data,
        field_id=form.field.data or 0,
        place=form.place.data or None,
        language=form.language.data,
    )


async def idea_new(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        areas, ideas = AreaService(session), IdeaService(session)
        if write:
            form = await IdeaForm.from_request(request)
        else:
            form = IdeaForm(data={"language": get_locale()})
        form.language.localise()
        area: Area | None = None
        try:
            area, viewer = await ideas.area_for(request.path_params["slug"], request.state.user)
            ideas.require_participant(viewer, area)
        except DomainError as error:
            if not write:
                if isinstance(error, NotMember):
                    flash(request, error.message, "info")
                    return redirect(url(request, "accounts.join", slug=request.path_params["slug"]))
                return error_page(request, error)
            # Whatever went wrong, the text the person wrote comes back to them.
            form.set_fields(await areas.current_concept(area) if area else None)
            return render(
                request,
                "ideas/form.html",
                {"area": area, "form": form, "idea": None, "page_error": error.message},
                status_code=error.status_code if error.status_code != 401 else 403,
            )
        form.set_fields(await areas.current_concept(area))
        if write and form.validate():
            try:
                idea = await ideas.post(viewer, area, _idea_input(form))
            except DomainError as error:
                form.add_error(error.field or "title", error.message)
            else:
                flash(request, _("Thank you! Your idea has been posted."))
                return redirect(url(request, "ideas.detail", idea_id=idea.id))
    return render(
        request,
        "ideas/form.html",
        {"area": area, "form": form, "idea": None},
        status_code=422 if write else 200,
    )


async def _load_idea(session: AsyncSession, request: Request) -> tuple[Idea, Viewer]:
    ideas = IdeaService(session)
    idea = await ideas.get(request.path_params["idea_id"])
    viewer = await ideas.viewer(request.state.user, idea.area)
    return idea, viewer


async def _detail_context(
    session: AsyncSession, idea: Idea, viewer: Viewer, **extra: Any
) -> dict[str, Any]:
    ideas = IdeaService(session)
    threads = await ideas.threads(idea)
    supported = await ideas.supported_ids(viewer.user, [idea.id])
    comment_form = extra.pop("comment_form", None) or CommentForm(data={"language": get_locale()})
    comment_form.language.localise()
    return {
        "idea": idea,
        "area": idea.area,
        "viewer": viewer,
        "threads": threads,
        "supported": supported,
        "can_edit": ideas.can_edit(viewer, idea),
        "comment_form": comment_form,
        **extra,
    }


async def idea_detail(request: Request) -> Response:
    async with transaction(request) as session:
        try:
            idea, viewer = await _load_idea(session, request)
        except DomainError as error:
            return error_page(request, error)
        context = await _detail_context(session, idea, viewer)
    return render(request, "ideas/detail.html", context)


async def idea_edit(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        try:
            idea, viewer = await _load_idea(session, request)
            ideas = IdeaService(session)
            ideas.check_editable(viewer, idea)
        except DomainError as error:
            return error_page(request, error)
        concept = await AreaService(session).current_concept(idea.area)
        if write:
            form = await IdeaForm.from_request(request)
            form.set_fields(concept)
            if form.validate():
                try:
                    await ideas.edit(viewer, idea, _idea_input(form))
                except DomainError as error:
                    if error.field is None:
                        return error_page(request, error)
                    form.add_error(error.field, error.message)
                else:
                    flash(request, _("Your changes have been saved."))
                    return redirect(url(request, "ideas.detail", idea_id=idea.id))
        else:
            form = IdeaForm(
                data={
                    "title": idea.title,
                    "body": idea.body,
                    "field": idea.field_id,
                    "place": idea.place or "",
                    "language": idea.language,
                }
            )
            form.set_fields(concept)
    return render(
        request,
        "ideas/form.html",
        {"area": idea.area, "form": form, "idea": idea},
        status_code=422 if write else 200,
    )


async def idea_support(request: Request) -> Response:
    form = await request.form()
    wants_support = form.get("support") == "1"
    async with transaction(request, write=True) as session:
        try:
            idea, viewer = await _load_idea(session, request)
            count = await IdeaService(session).set_support(viewer, idea, support=wants_support)
        except DomainError as error:
            return error_page(request, error)
    if wants_support:
        message = ngettext(
            "You support this idea. %(num)s person supports it.",
            "You support this idea. %(num)s people support it.",
            count,
        )
    else:
        message = ngettext(
            "You no longer support this idea. %(num)s person supports it.",
            "You no longer support this idea. %(num)s people support it.",
            count,
        )
    if is_htmx(request):
        return render(
            request,
            "ideas/_support.html",
            {
                "idea": idea,
                "area": idea.area,
                "viewer": viewer,
                "supported": {idea.id} if wants_support else set(),
                "announcement": message,
            },
            block="support",
        )
    flash(request, message)
    fallback = url(request, "ideas.detail", idea_id=idea.id)
    target = form.get("next")
    return redirect(safe_next(target if isinstance(target, str) else None, fallback))


async def idea_comment(request: Request) -> Response:
    async with transaction(request, write=True) as session:
        try:
            idea, viewer = await _load_idea(session, request)
        except DomainError as error:
            return error_page(request, error)
        form = await CommentForm.from_request(request)
        comment = None
        if form.validate():
            try:
                comment = await IdeaService(session).comment(
                    viewer,
                    idea,
                    body=form.body.data,
                    language=form.language.data,
                    parent_id=form.parent_id,
                )
            except DomainError as error:
                if error.field is None:
                    return error_page(request, error)
                form.add_error(error.field, error.message)
        if comment is not None and not is_htmx(request):
            flash(request, _("Your comment has been published."))
            return redirect(
                url(request, "ideas.detail", idea_id=idea.id) + f"#comment-{comment.id}"
            )
        if comment is not None:
            extra: dict[str, Any] = {
                "announcement": _("Your comment has been published."),
                "new_comment_id": comment.id,
            }
        else:
            extra = {
                "comment_form": form,
                "announcement": _("Your comment could not be published. Please check the form."),
            }
        context = await _detail_context(session, idea, viewer, **extra)
    return render(
        request,
        "ideas/detail.html",
        context,
        block="comments",
        status_code=200 if comment is not None else 422,
    )


async def _load_comment(session: AsyncSession, request: Request) -> tuple[Any, Idea, Viewer]:
    ideas = IdeaService(session)
    comment = await ideas.get_comment(request.path_params["comment_id"])
    idea = await ideas.get(comment.idea_id)
    viewer = await ideas.viewer(request.state.user, idea.area)
    return comment, idea, viewer


async def comment_edit(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        try:
            comment, idea, viewer = await _load_comment(session, request)
            ideas = IdeaService(session)
            ideas.require_author(viewer, comment)
        except DomainError as error:
            return error_page(request, error)
        if write:
            form = await CommentEditForm.from_request(request)
            if form.validate():
                try:
                    await ideas.edit_comment(viewer, idea, comment, form.body.data)
                except DomainError as error:
                    return error_page(request, error)
                flash(request, _("Your changes have been saved."))
                return redirect(
                    url(request, "ideas.detail", idea_id=idea.id) + f"#comment-{comment.id}"
                )
        else:
            form = CommentEditForm(data={"body": comment.body})
    return render(
        request,
        "ideas/comment_edit.html",
        {"comment": comment, "idea": idea, "area": idea.area, "form": form},
        status_code=422 if write else 200,
    )


async def comment_delete(request: Request) -> Response:
    async with transaction(request, write=True) as session:
        try:
            comment, idea, viewer = await _load_comment(session, request)
            await IdeaService(session).delete_comment(viewer, idea, comment)
        except DomainError as error:
            return error_page(request, error)
    flash(request, _("Your comment has been deleted."))
    return redirect(url(request, "ideas.detail", idea_id=idea.id) + "#comments")


routes = [
    Route("/areas/{slug}/ideas", idea_list, name="ideas.list"),
    Route("/areas/{slug}/ideas/new", idea_new, name="ideas.new", methods=["GET", "POST"]),
    Route("/ideas/{idea_id:id}", idea_detail, name="ideas.detail"),
    Route("/ideas/{idea_id:id}/edit", idea_edit, name="ideas.edit", methods=["GET", "POST"]),
    Route("/ideas/{idea_id:id}/support", idea_support, name="ideas.support", methods=["POST"]),
    Route("/ideas/{idea_id:id}/comments", idea_comment, name="ideas.comment", methods=["POST"]),
    Route(
        "/comments/{comment_id:id}/edit",
        comment_edit,
        name="ideas.comment_edit",
        methods=["GET", "POST"],
    ),
    Route(
        "/comments/{comment_id:id}/delete",
        comment_delete,
        name="ideas.comment_delete",
        methods=["POST"],
    ),
]
