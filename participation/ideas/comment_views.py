"""Commenting on ideas: posting, replying, editing and deleting one's own comments."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.ideas.comments import CommentService
from participation.ideas.forms import CommentEditForm, CommentForm
from participation.ideas.models import Comment, Idea, ModerationState
from participation.ideas.services import IdeaView, Viewer
from participation.ideas.views import (
    comments_context,
    detail_context,
    load_idea,
)
from participation.templating import flash, is_htmx
from participation.web import (
    accept_person,
    database,
    error_page,
    person_columns,
    person_read,
    read_then_write,
    redirect,
    render,
    session_user_id,
    transaction,
    url,
)

Found = tuple[IdeaView, Comment | None]
"""The idea read for a comment, and the comment when it was written with the read."""


async def idea_comment(request: Request) -> Response:
    form = await CommentForm.from_request(request)
    valid = form.validate()

    async def read(session: AsyncSession) -> Found:
        # Without JavaScript a form with errors comes back on the whole page, photos too;
        # htmx gets the comments block, which needs the idea with its area only.
        htmx = is_htmx(request)
        if htmx and valid and form.parent_id is None:
            found = await _read_and_comment(session, request, form)
            if found is not None:
                return found
        view = await load_idea(
            session, request, with_photos=not htmx, with_comment=form.parent_id, brief=htmx
        )
        return view, None

    async def write(
        session: AsyncSession, found: tuple[IdeaView, Comment | None]
    ) -> Comment | None:
        view, comment = found
        if comment is not None or not valid:  # written with the read already, or not at all
            return comment
        try:
            return await CommentService(session).comment(
                view.viewer,
                view.idea,
                body=form.body.data,
                language=form.language.data,
                parent_id=form.parent_id,
                parent=view.comment,
            )
        except DomainError as error:
            if error.field is None:
                raise
            # Raised before anything was written: the form comes back with the error.
            form.add_error(error.field, error.message)
            return None

    try:
        (view, _comment), comment = await read_then_write(request, read, write)
    except DomainError as error:
        return error_page(request, error)
    idea, viewer = view.idea, view.viewer
    published = comment is not None and comment.moderation_state is ModerationState.VISIBLE
    done = (
        _("Your comment has been published.")
        if published
        else _("Thank you! Your comment will be published as soon as the QM team has looked at it.")
    )
    if comment is not None and not is_htmx(request):
        flash(request, done)
        return redirect(url(request, "ideas.detail", idea_id=idea.id) + f"#comment-{comment.id}")
    sent = await request.form()
    if (
        comment is not None
        and published
        and comment.parent_id is None
        and not viewer.is_manager
        and sent.get("appends") == "1"
    ):
        return _added(request, view, comment, done, replace_form=sent.get("clean") != "1")
    if comment is not None:
        extra: dict[str, Any] = {"announcement": done, "new_comment_id": comment.id}
    else:
        extra = {
            "comment_form": form,
            "announcement": _("Your comment could not be published. Please check the form."),
        }
    async with database(request).session() as session:
        if is_htmx(request):  # only the comments block is sent back
            context = await comments_context(session, view, **extra)
        else:
            context = await detail_context(request, session, view, **extra)
    return render(
        request,
        "ideas/detail.html",
        context,
        block="comments",
        status_code=200 if comment is not None else 422,
    )


async def _read_and_comment(
    session: AsyncSession, request: Request, form: CommentForm
) -> Found | None:
    """`load_idea` (brief) and, where the rules let the person comment at once, their comment
    in the same statement (`CommentService.read_and_comment`); None where that cannot run or
    the idea is not there: `load_idea` then reads as usual (and says so)."""
    comments = CommentService(session)
    user_id = session_user_id(request)
    if user_id is None or person_read(request) or not comments.comments_at_once():
        return None
    found = await comments.read_and_comment(
        request.path_params["idea_id"],
        user_id,
        person_columns(),
        functools.partial(accept_person, request),
        epoch=request.session.get("epoch"),
        body=form.body.data,
        language=form.language.data,
    )
    if found is not None:
        comments.check_readable(found[0].viewer, found[0].idea)
    return found


def _added(
    request: Request,
    view: IdeaView,
    comment: Comment,
    announcement: str,
    *,
    replace_form: bool,
) -> Response:
    """The htmx answer to a new comment on a page that lists comments already: the new thread
    only, added to the end of the list, with the new count (out of band), and an empty form
    if the one sent showed errors (a form without them is emptied in the browser). Rendering
    the whole block again made commenting several times slower in long threads. (Managers'
    comments carry a role badge, replies go into their thread: both get the whole block.)"""
    set_committed_value(comment, "author", view.viewer.user)
    response = render(
        request,
        "ideas/_new_comment.html",
        {
            "idea": view.idea,
            "area": view.idea.area,
            "viewer": view.viewer,
            "comment": comment,
            "staff": {},
            "comment_form": None,  # the form below is empty: it needs none
            "new_comment_id": comment.id,
            "announcement": announcement,
            "replace_form": replace_form,
        },
    )
    response.headers["hx-retarget"] = "#comment-list"
    response.headers["hx-reswap"] = "beforeend"
    return response


async def _load_comment(session: AsyncSession, request: Request) -> tuple[Any, Idea, Viewer]:
    ideas = CommentService(session)
    comment = await ideas.get_comment(request.path_params["comment_id"])
    view = await ideas.view(comment.idea_id, request.state.user)
    return comment, view.idea, view.viewer


async def comment_edit(request: Request) -> Response:
    write = request.method == "POST"
    async with transaction(request, write=write) as session:
        try:
            comment, idea, viewer = await _load_comment(session, request)
            ideas = CommentService(session)
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
            await CommentService(session).delete_comment(viewer, idea, comment)
        except DomainError as error:
            return error_page(request, error)
    flash(request, _("Your comment has been deleted."))
    return redirect(url(request, "ideas.detail", idea_id=idea.id) + "#comments")


routes = [
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
