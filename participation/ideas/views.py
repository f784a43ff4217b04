"""Idea lists, idea pages, posting and editing ideas with photos, comments and supports."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Area
from participation.areas.services import AreaService
from participation.concepts.services import ProposalService
from participation.errors import DomainError, NotFound, NotMember
from participation.i18n import get_locale, ngettext
from participation.i18n import gettext as _
from participation.ideas.comments import CommentService
from participation.ideas.forms import (
    IdeaForm,
    chosen_file,
    parse_filter,
)
from participation.ideas.models import Idea, IdeaStatus, ModerationState, PhotoVariant
from participation.ideas.photos import (
    ACCEPTED_TYPES,
    MAX_PHOTOS,
    URL_DIGEST_LENGTH,
    NewPhoto,
    PhotoError,
    PhotoProblem,
    PhotoService,
    format_size,
    process_in_thread,
)
from participation.ideas.photos import message as photo_message
from participation.ideas.services import IdeaInput, IdeaService, IdeaView, Sort
from participation.moderation.answers import AnswerService
from participation.moderation.intake import IntakeService
from participation.security import safe_next
from participation.settings import Settings
from participation.templating import flash, is_htmx
from participation.web import (
    accept_person,
    database,
    error_page,
    load_user,
    person_columns,
    person_read,
    read_then_write,
    redirect,
    render,
    session_user_id,
    transaction,
    url,
)


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


def photo_url(request: Request) -> Callable[[PhotoVariant], str]:
    """For templates: the address of a stored photo size (outside the language prefix)."""

    def url_of(variant: PhotoVariant) -> str:
        digest = variant.sha256[:URL_DIGEST_LENGTH]
        return str(request.app.url_path_for("ideas.photo", variant_id=variant.id, digest=digest))

    return url_of


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _form_context(
    request: Request, area: Area | None, form: IdeaForm, idea: Idea | None, **extra: Any
) -> dict[str, Any]:
    photos = idea.photos if idea is not None else []
    return {
        "area": area,
        "form": form,
        "idea": idea,
        "photos": photos,
        "photo_slots": form.photo_slots()[: max(0, MAX_PHOTOS - len(photos))],
        "max_photos": MAX_PHOTOS,
        "max_photo_size": format_size(_settings(request).max_photo_bytes),
        "accepted_types": ACCEPTED_TYPES,
        "photo_url": photo_url(request),
        # Browsers do not refill file inputs: say so when chosen photos come back with errors.
        "choose_again": bool(form.errors)
        and any(chosen_file(file.data) for file, _alt in form.photo_slots()),
        **extra,
    }


async def _process_photos(request: Request, form: IdeaForm) -> list[NewPhoto]:
    """Check and re-encode the chosen photos; note on the form each one that cannot be used."""
    max_bytes = _settings(request).max_photo_bytes
    photos = []
    for file_field, alt_field in form.photo_slots():
        upload = chosen_file(file_field.data)
        if upload is None:
            continue
        try:
            if upload.size is not None and upload.size > max_bytes:
                raise PhotoError(PhotoProblem.TOO_LARGE)
            image = await process_in_thread(await upload.read(max_bytes + 1), max_bytes)
        except PhotoError as error:
            form.add_error(file_field.name, photo_message(error.problem, max_bytes))
            continue
        photos.append(NewPhoto(image, alt_field.data or "", field=file_field.name))
    return photos


async def idea_new(request: Request) -> Response:
    if request.method == "POST":
        try:
            return await _post_idea(request)
        finally:
            await request.close()  # the uploaded files
    async with transaction(request) as session:
        areas, ideas = AreaService(session), IdeaService(session)
        form = IdeaForm(data={"language": get_locale()})
        form.language.localise()
        try:
            area, viewer = await ideas.area_for(request.path_params["slug"], request.state.user)
            ideas.require_participant(viewer, area)
        except DomainError as error:
            if isinstance(error, NotMember):
                flash(request, error.message, "info")
                return redirect(url(request, "accounts.join", slug=request.path_params["slug"]))
            return error_page(request, error)
        form.set_fields(await areas.current_concept(area))
    return render(request, "ideas/form.html", _form_context(request, area, form, None))


async def _post_idea(request: Request) -> Response:
    form = await IdeaForm.from_request(request)
    form.language.localise()
    slug = request.path_params["slug"]
    async with transaction(request) as session:
        areas, ideas = AreaService(session), IdeaService(session)
        area: Area | None = None
        try:
            area, viewer = await ideas.area_for(slug, request.state.user)
            ideas.require_participant(viewer, area)
        except DomainError as error:
            # Whatever went wrong, the text the person wrote comes back to them.
            form.set_fields(await areas.current_concept(area) if area else None)
            return render(
                request,
                "ideas/form.html",
                _form_context(request, area, form, None, page_error=error.message),
                status_code=error.status_code if error.status_code != 401 else 403,
            )
        form.set_fields(await areas.current_concept(area))
    valid = form.validate()
    # Decoding photos takes a while: no transaction (and no SQLite write lock) is held meanwhile.
    photos = await _process_photos(request, form)
    if valid and not form.errors:
        async with transaction(request, write=True) as session:
            ideas = IdeaService(session)
            try:
                area, viewer = await ideas.area_for(slug, request.state.user)
                idea = await ideas.post(viewer, area, _idea_input(form), photos=photos)
            except DomainError as error:
                form.add_error(error.field or "title", error.message)
            else:
                if idea.moderation_state is ModerationState.PENDING:
                    flash(
                        request,
                        _(
                            "Thank you! Your idea will be published as soon as the QM team has "
                            "looked at it."
                        ),
                    )
                else:
                    flash(request, _("Thank you! Your idea has been posted."))
                return redirect(url(request, "ideas.detail", idea_id=idea.id))
    return render(
        request, "ideas/form.html", _form_context(request, area, form, None), status_code=422
    )


async def load_idea(
    session: AsyncSession,
    request: Request,
    *,
    with_photos: bool = False,
    with_comment: int | None = None,
    brief: bool = False,
) -> IdeaView:
    """The idea of the address with what the signed-in person may do there (one query; see
    `IdeaService.view`, also for `brief`). If the request has not read the signed-in person
    yet (`transaction(request, user=False)`), they are read in the same query."""
    ideas = IdeaService(session)
    idea_id = request.path_params["idea_id"]
    user_id = session_user_id(request)
    if person_read(request) or user_id is None:
        if not person_read(request):
            await load_user(request, session)  # nobody signed in: no query
        view = await ideas.view(
            idea_id,
            request.state.user,
            with_photos=with_photos,
            with_comment=with_comment,
            brief=brief,
        )
    else:
        try:
            view = await ideas.view_with_person(
                idea_id,
                user_id,
                person_columns(),
                functools.partial(accept_person, request),
                with_photos=with_photos,
                with_comment=with_comment,
                brief=brief,
            )
        except NotFound:
            await load_user(request, session)  # the error page shows who is signed in
            raise
    ideas.check_readable(view.viewer, view.idea)
    return view


async def comments_context(session: AsyncSession, view: IdeaView, **extra: Any) -> dict[str, Any]:
    """What the comments block of the idea page needs (one query)."""
    idea, viewer = view.idea, view.viewer
    threads, staff = await CommentService(session).threads(idea, viewer)
    if view.author_role is not None and idea.author_id is not None:
        staff[idea.author_id] = view.author_role
    return {
        "idea": idea,
        "area": idea.area,
        "viewer": viewer,
        "threads": threads,
        "staff": staff,
        # A form that came back with errors; None for the empty form (comment_form_markup).
        "comment_form": extra.pop("comment_form", None),
        **extra,
    }


async def detail_context(
    request: Request, session: AsyncSession, view: IdeaView, **extra: Any
) -> dict[str, Any]:
    """What the idea page needs (at most four queries: comments, answers, the proposals of an
    idea taken into a concept, and the private contact of one entered by the QM office)."""
    idea, viewer = view.idea, view.viewer
    context = await comments_context(session, view, **extra)
    answers, answer_staff = await AnswerService(session).answers_of(idea)
    # Only an idea taken into a concept can belong to a proposal: others cost no query.
    proposals = (
        await ProposalService(session).proposals_for_idea(idea.id)
        if idea.status in (IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED)
        else []
    )
    return {
        **context,
        "staff": {**answer_staff, **context["staff"]},
        "supported": {idea.id} if view.supported else set(),
        "can_edit": IdeaService(session).can_edit(viewer, idea),
        # Others see a hidden idea as a placeholder; its author and the managers see it all.
        "concealed": idea.moderation_state is ModerationState.HIDDEN
        and not viewer.sees_unpublished(idea.author_id),
        "answers": answers,
        "proposals": proposals,
        "is_moderator": viewer.is_manager,  # the area's managers and the district office
        "intake_contact": await IntakeService(session).private_contact(viewer, idea),
        "photo_url": photo_url(request),
    }


async def idea_detail(request: Request) -> Response:
    async with transaction(request, user=False) as session:
        try:
            view = await load_idea(session, request, with_photos=True)
        except DomainError as error:
            return error_page(request, error)
        context = await detail_context(request, session, view)
    return render(request, "ideas/detail.html", context)


async def idea_edit(request: Request) -> Response:
    if request.method == "POST":
        try:
            return await _save_idea(request)
        finally:
            await request.close()  # the uploaded files
    async with transaction(request) as session:
        try:
            view = await load_idea(session, request, with_photos=True)
            idea = view.idea
            IdeaService(session).check_editable(view.viewer, idea)
        except DomainError as error:
            return error_page(request, error)
        form = IdeaForm(
            data={
                "title": idea.title,
                "body": idea.body,
                "field": idea.field_id,
                "place": idea.place or "",
                "language": idea.language,
            }
        )
        form.set_fields(await AreaService(session).current_concept(idea.area))
    return render(request, "ideas/form.html", _form_context(request, idea.area, form, idea))


async def _save_idea(request: Request) -> Response:
    form = await IdeaForm.from_request(request)
    async with transaction(request) as session:
        try:
            view = await load_idea(session, request, with_photos=True)
            idea = view.idea
            IdeaService(session).check_editable(view.viewer, idea)
        except DomainError as error:
            return error_page(request, error)
        form.set_fields(await AreaService(session).current_concept(idea.area))
    valid = form.validate()
    # Decoding photos takes a while: no transaction (and no SQLite write lock) is held meanwhile.
    photos = await _process_photos(request, form)
    if valid and not form.errors:
        async with transaction(request, write=True) as session:
            try:
                current = await load_idea(session, request)
                await IdeaService(session).edit(
                    current.viewer,
                    current.idea,
                    _idea_input(form),
                    photos=photos,
                    remove_photo_ids=form.remove_photo_ids,
                )
            except DomainError as error:
                if error.field is None:
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                flash(request, _("Your changes have been saved."))
                return redirect(url(request, "ideas.detail", idea_id=idea.id))
    return render(
        request, "ideas/form.html", _form_context(request, idea.area, form, idea), status_code=422
    )


async def photo(request: Request) -> Response:
    """One stored size of a photo; cached for good, as its address names its content. The
    photos of an idea that is hidden or waits for review are shown only to its author and the
    area's managers, and never cached."""
    async with database(request).session() as session:
        variant = await PhotoService(session).variant(request.path_params["variant_id"])
    digest = request.path_params["digest"]
    if (
        variant is None
        or len(digest) != URL_DIGEST_LENGTH
        or variant.sha256[: len(digest)] != digest
    ):
        raise HTTPException(404)
    if not variant.public:
        async with transaction(request) as session:
            view = await IdeaService(session).view(variant.idea_id, request.state.user)
            if not view.viewer.sees_unpublished(view.idea.author_id):
                raise HTTPException(404)
            return Response(
                variant.content,
                media_type="image/jpeg",
                headers={"cache-control": "private, no-store"},
            )
    etag = f'"{variant.sha256}"'
    headers = {"cache-control": "public, max-age=31536000, immutable", "etag": etag}
    given = request.headers.get("if-none-match", "")
    if etag in (tag.strip().removeprefix("W/") for tag in given.split(",")):
        return Response(status_code=304, headers=headers)
    return Response(variant.content, media_type="image/jpeg", headers=headers)


async def idea_support(request: Request) -> Response:
    form = await request.form()
    wants_support = form.get("support") == "1"

    async def write(session: AsyncSession, view: IdeaView) -> int:
        return await IdeaService(session).set_support(view.viewer, view.idea, support=wants_support)

    try:
        view, count = await read_then_write(
            request, lambda session: load_idea(session, request, brief=True), write
        )
    except DomainError as error:
        return error_page(request, error)
    idea, viewer = view.idea, view.viewer
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


photo_routes = [
    # Outside the language prefix: one address per photo size for every language, no cookie.
    Route("/photos/{variant_id:id}-{digest}.jpg", photo, name="ideas.photo"),
]
"""Mounted at the top level by app.py."""

routes = [
    Route("/areas/{slug}/ideas", idea_list, name="ideas.list"),
    Route("/areas/{slug}/ideas/new", idea_new, name="ideas.new", methods=["GET", "POST"]),
    Route("/ideas/{idea_id:id}", idea_detail, name="ideas.detail"),
    Route("/ideas/{idea_id:id}/edit", idea_edit, name="ideas.edit", methods=["GET", "POST"]),
    Route("/ideas/{idea_id:id}/support", idea_support, name="ideas.support", methods=["POST"]),
]
