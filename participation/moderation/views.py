"""The managers' moderation queue: what waits, with its context, and the actions on it."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation import routing  # noqa: F401  (path convertors)
from participation.areas.models import Area
from participation.errors import Conflict, DomainError, NotFound
from participation.i18n import gettext as _
from participation.i18n import ngettext
from participation.moderation.access import area_to_moderate, require_moderator
from participation.moderation.deps import moderation
from participation.moderation.models import Reason
from participation.moderation.services import (
    Kind,
    ModerationService,
    QueueEntry,
    QueueSort,
    QueueView,
    Target,
    parse_key,
)
from participation.security import safe_next
from participation.templating import flash, is_htmx
from participation.web import (
    error_page,
    redirect,
    render,
    sign_in_redirect,
    signed_in_user,
    transaction,
    url,
)

ACTIONS = ("hide", "restore", "keep_hidden", "dismiss", "approve")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _category(form: FormData) -> Reason | None:
    try:
        return Reason(_text(form, "category"))
    except ValueError:
        return None


async def _refused(request: Request, error: DomainError) -> Response:
    """The error page after a transaction was rolled back (which expired the signed-in
    person, so they are read again for the page)."""
    await signed_in_user(request)
    return error_page(request, error)


def _done_message(action: str) -> str:
    return {
        "hide": _("Hidden. The author has been told why."),
        "restore": _("Shown again. The author has been told."),
        "keep_hidden": _("It stays hidden. The author has been told."),
        "dismiss": _("Reports dismissed. The item stays as it is."),
        "approve": _("Published."),
    }[action]


def _queue_context(
    area: Area, entries: list[QueueEntry], view: QueueView, sort: QueueSort, **extra: Any
) -> dict[str, Any]:
    return {
        "area": area,
        "entries": entries,
        "view": view,
        "sort": sort,
        "reasons": list(Reason),
        "selected": set(),
        "bulk_errors": {},
        "bulk_values": {},
        **extra,
    }


async def overview(request: Request) -> Response:
    """The areas a manager moderates, with what waits in each."""
    async with transaction(request) as session:
        user = request.state.user
        if user is None:
            return sign_in_redirect(request)
        areas = await moderation(request, session).areas_to_moderate(user)
    if not areas:
        return error_page(
            request,
            NotFound(_("You do not moderate any area. The district office appoints managers.")),
        )
    return render(request, "moderation/overview.html", {"areas": areas})


def _view_and_sort(request: Request) -> tuple[QueueView, QueueSort]:
    try:
        view = QueueView(request.query_params.get("view", "open"))
    except ValueError:
        view = QueueView.OPEN
    try:
        sort = QueueSort(request.query_params.get("sort", "oldest"))
    except ValueError:
        sort = QueueSort.OLDEST
    return view, sort


async def queue(request: Request) -> Response:
    view, sort = _view_and_sort(request)
    async with transaction(request) as session:
        try:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            entries = await moderation(request, session).queue(request.state.user, area, view, sort)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "moderation/queue.html", _queue_context(area, entries, view, sort))


async def _load(request: Request, service: ModerationService) -> tuple[Area, Target]:
    area = await area_to_moderate(service.session, request.path_params["slug"], request.state.user)
    target = await service.target(Kind(request.path_params["kind"]), request.path_params["item_id"])
    if target.area.id != area.id:
        raise NotFound(_("This item is not in this area."))
    return area, target


async def _item_context(
    request: Request, service: ModerationService, area: Area, target: Target, **extra: Any
) -> dict[str, Any]:
    return {
        "area": area,
        "entry": await service.entry(request.state.user, target),
        "reasons": list(Reason),
        "next": _text_next(request),
        "errors": {},
        "values": {},
        "done": None,
        "problem": None,
        "announcement": None,
        **extra,
    }


def _text_next(request: Request) -> str:
    return request.query_params.get("next", "")


async def item(request: Request) -> Response:
    """One item with its context and every action on it; POST performs an action."""
    if request.method == "POST":
        return await _act(request)
    async with transaction(request) as session:
        service = moderation(request, session)
        try:
            area, target = await _load(request, service)
            context = await _item_context(request, service, area, target)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "moderation/item.html", context)


async def _act(request: Request) -> Response:
    form = await request.form()
    action = _text(form, "decision")
    next_url = _text(form, "next")
    try:
        async with transaction(request, write=True) as session:
            service = moderation(request, session)
            area, target = await _load(request, service)
            actor = request.state.user
            if action == "hide":
                await service.hide(actor, target, _category(form), _text(form, "reason"))
            elif action == "restore":
                await service.restore(actor, target, _text(form, "reason"))
            elif action == "keep_hidden":
                await service.keep_hidden(actor, target, _text(form, "reason"))
            elif action == "dismiss":
                await service.dismiss(actor, target, _text(form, "reason"))
            elif action == "approve":
                await service.approve(actor, target)
            else:
                raise Conflict(_("Please choose an action."))
    except DomainError as error:  # raised inside the transaction, so nothing was written
        if error.field is None and not isinstance(error, Conflict):
            return await _refused(request, error)
        return await _show_problem(request, error, action, form)
    done = _done_message(action)
    if is_htmx(request):
        return await _entry_fragment(request, done=done)
    flash(request, done)
    fallback = url(request, "moderation.queue", slug=area.slug)
    return redirect(safe_next(next_url or None, fallback))


async def _show_problem(
    request: Request, error: DomainError, action: str, form: FormData
) -> Response:
    """A form error (shown next to its field, input kept) or a clash with another manager's
    action (the item as it is now, with the message)."""
    if error.field is None:
        if is_htmx(request):
            # 200: htmx swaps it in; the item as it is now, with what happened.
            return await _entry_fragment(request, problem=error.message)
        flash(request, error.message, "info")
        async with transaction(request) as session:
            service = moderation(request, session)
            area, target = await _load(request, service)
        return redirect(
            url(
                request,
                "moderation.item",
                slug=area.slug,
                kind=target.kind.value,
                item_id=target.item.id,
            )
        )
    errors = {(action, error.field): error.message}
    return await _entry_fragment(
        request,
        errors=errors,
        values={
            "decision": action,
            "category": _text(form, "category"),
            "reason": _text(form, "reason"),
        },
        status_code=422,
        full_page=not is_htmx(request),
    )


async def _entry_fragment(
    request: Request,
    *,
    done: str | None = None,
    problem: str | None = None,
    errors: dict[tuple[str, str], str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    full_page: bool = False,
) -> Response:
    async with transaction(request) as session:
        service = moderation(request, session)
        try:
            area, target = await _load(request, service)
            context = await _item_context(
                request,
                service,
                area,
                target,
                done=done,
                problem=problem,
                errors=errors or {},
                values=values or {},
                announcement=done or problem or (next(iter(errors.values())) if errors else None),
            )
        except DomainError as error:
            return error_page(request, error)
    if full_page:
        return render(request, "moderation/item.html", context, status_code=status_code)
    return render(request, "moderation/item.html", context, block="entry", status_code=status_code)


async def bulk(request: Request) -> Response:
    """One action on the selected items of the queue."""
    form = await request.form()
    action = _text(form, "decision")
    keys = [k for k in (parse_key(v) for v in form.getlist("item") if isinstance(v, str)) if k]
    back = url(request, "moderation.queue", slug=request.path_params["slug"])
    if not keys:
        flash(request, _("Please select at least one item."), "info")
        return redirect(back)
    problem: DomainError | None = None
    try:
        async with transaction(request, write=True) as session:
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            await require_moderator(session, request.state.user, area)
            if action not in ACTIONS or action == "keep_hidden":
                raise Conflict(_("Please choose an action."), field="decision")
            done, skipped = await moderation(request, session).bulk(
                request.state.user, area, keys, action, _category(form), _text(form, "reason")
            )
    except DomainError as error:  # raised inside the transaction, so nothing was written
        if error.field is None:
            return await _refused(request, error)
        problem = error
    if problem is not None:
        view, sort = _view_and_sort(request)
        async with transaction(request) as session:  # what the rollback expired, again
            area = await area_to_moderate(session, request.path_params["slug"], request.state.user)
            entries = await moderation(request, session).queue(request.state.user, area, view, sort)
        selected = {f"{kind.value}:{number}" for kind, number in keys}
        return render(
            request,
            "moderation/queue.html",
            _queue_context(
                area,
                entries,
                view,
                sort,
                bulk_errors={problem.field: problem.message},
                bulk_values={
                    "decision": action,
                    "category": _text(form, "category"),
                    "reason": _text(form, "reason"),
                },
                selected=selected,
            ),
            status_code=422,
        )
    flash(
        request,
        ngettext("%(num)s item changed.", "%(num)s items changed.", done),
    )
    for message in skipped:
        flash(request, message, "info")
    return redirect(back)


async def redact(request: Request) -> Response:
    """Remove personal data from an item's text, keeping the rest."""
    form = await request.form() if request.method == "POST" else None
    async with transaction(request) as session:
        service = moderation(request, session)
        try:
            area, target = await _load(request, service)
            await require_moderator(session, request.state.user, area)
        except DomainError as error:
            return error_page(request, error)
    values = {
        "title": target.idea.title if target.comment is None else "",
        "body": target.item.body,
        "reason": "",
    }
    errors: dict[str, str] = {}
    if form is not None:
        values = {name: _text(form, name) for name in ("title", "body", "reason")}
        try:
            async with transaction(request, write=True) as session:
                service = moderation(request, session)
                area, target = await _load(request, service)
                await service.redact(
                    request.state.user,
                    target,
                    title=values["title"] if target.comment is None else None,
                    body=values["body"],
                    reason=values["reason"],
                )
        except DomainError as error:  # raised inside the transaction, so nothing was written
            if error.field is None:
                return await _refused(request, error)
            errors[error.field] = error.message
            async with transaction(request) as session:  # what the rollback expired, again
                area, target = await _load(request, moderation(request, session))
        else:
            flash(request, _("The text has been changed and marked as edited by moderation."))
            return redirect(
                url(
                    request,
                    "moderation.item",
                    slug=area.slug,
                    kind=target.kind.value,
                    item_id=target.item.id,
                )
            )
    return render(
        request,
        "moderation/redact.html",
        {"area": area, "target": target, "values": values, "errors": errors},
        status_code=422 if errors else 200,
    )


routes = [
    Route("/moderation", overview, name="moderation.overview"),
    Route("/areas/{slug}/moderation", queue, name="moderation.queue"),
    Route("/areas/{slug}/moderation/bulk", bulk, name="moderation.bulk", methods=["POST"]),
    Route(
        "/areas/{slug}/moderation/{kind:kind}/{item_id:id}",
        item,
        name="moderation.item",
        methods=["GET", "POST"],
    ),
    Route(
        "/areas/{slug}/moderation/{kind:kind}/{item_id:id}/redact",
        redact,
        name="moderation.redact",
        methods=["GET", "POST"],
    ),
]
