"""The members' side of moderation: reporting an idea or a comment, and the author of a hidden
item asking the QM team, once, to look at it again."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from wtforms import RadioField, TextAreaField
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice

from participation import routing  # noqa: F401  (path convertors)
from participation.errors import Conflict, DomainError, Forbidden
from participation.forms import BaseForm, length, required, strip
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.ideas.models import ModerationState
from participation.ideas.services import IdeaService, Viewer
from participation.moderation.deps import moderation
from participation.moderation.models import Reason
from participation.moderation.services import REASON_MAX, Kind, Target
from participation.templating import flash
from participation.web import (
    error_page,
    limiter,
    redirect,
    render,
    sign_in_redirect,
    signed_in_user,
    transaction,
    url,
)

REPORT_LIMIT = "20/hour"
"""Reports per member: plenty for honest use, too few to flood the QM team's queue."""


class ReportForm(BaseForm):
    reason = RadioField(
        _l("Why are you reporting this?"),
        [
            v.InputRequired(message=_l("Please choose a reason.")),
            v.AnyOf([r.value for r in Reason], message=_l("Please choose a reason.")),
        ],
        # The labels come from the reason_label macro, the same texts everywhere.
        choices=[SelectChoice(r.value, r.value) for r in Reason],
        validate_choice=False,
    )
    text = TextAreaField(
        _l("What is wrong? (required for “Other reason”)"),
        [v.Optional(), length(max_length=REASON_MAX)],
        filters=[strip],
    )


class ReviewForm(BaseForm):
    message = TextAreaField(
        _l("Why should it be shown again?"),
        [required(), length(max_length=REASON_MAX)],
        filters=[strip],
    )


def _item_url(request: Request, target: Target) -> str:
    link = url(request, "ideas.detail", idea_id=target.idea.id)
    return link + (f"#comment-{target.comment.id}" if target.comment is not None else "")


async def _load(session: AsyncSession, request: Request) -> tuple[Target, Viewer]:
    """The item named by the path, and what the signed-in person may do in its area."""
    kind = Kind(request.path_params["kind"])
    target = await moderation(request, session).target(kind, request.path_params["item_id"])
    viewer = await IdeaService(session).viewer(request.state.user, target.area)
    return target, viewer


def _context(target: Target, viewer: Viewer, form: BaseForm, **extra: Any) -> dict[str, Any]:
    idea = target.idea
    return {
        "target": target,
        # A hidden idea's title is shown to its author and the managers only.
        "idea_shown": idea.moderation_state is ModerationState.VISIBLE
        or viewer.sees_unpublished(idea.author_id),
        "kind": target.kind.value,
        "item": target.item,
        "idea": target.idea,
        "area": target.area,
        "form": form,
        "reason_max": REASON_MAX,
        **extra,
    }


# -- reports ------------------------------------------------------------------------------


def _check_shown(target: Target) -> None:
    """Hidden or waiting items are not offered for reporting (report() refuses them too), so
    that the form never shows what others cannot see."""
    if any(
        item.moderation_state is not ModerationState.VISIBLE for item in (target.idea, target.item)
    ):
        raise Conflict(
            _("This contribution is not shown at the moment; there is nothing to report.")
        )


async def report(request: Request) -> Response:
    if request.method == "POST":
        return await _post_report(request)
    async with transaction(request) as session:
        if request.state.user is None:
            return sign_in_redirect(request)
        try:
            target, viewer = await _load(session, request)
            IdeaService(session).require_participant(viewer, target.area)
            _check_shown(target)
        except DomainError as error:
            return error_page(request, error)
    return render(request, "moderation/report.html", _context(target, viewer, ReportForm()))


async def _post_report(request: Request) -> Response:
    form = await ReportForm.from_request(request)
    user = await signed_in_user(request)
    if user is None:
        return sign_in_redirect(request)
    # Counted in a transaction of its own, before the write transaction begins.
    allowed = await limiter(request).hit(REPORT_LIMIT, "report", str(user.id))
    extra: dict[str, Any] = {}
    status = 422
    async with transaction(request, write=allowed) as session:
        try:
            target, viewer = await _load(session, request)
            IdeaService(session).require_participant(viewer, target.area)
            _check_shown(target)
        except DomainError as error:
            return error_page(request, error)
        if not allowed:
            extra["page_error"] = _(
                "You have sent many reports in a short time. Please wait an hour and try again."
            )
            status = 429
        elif form.validate():
            try:
                new = await moderation(request, session).report(
                    viewer, target, Reason(form.reason.data), form.text.data or ""
                )
            except DomainError as error:
                if error.field is None:
                    return error_page(request, error)
                form.add_error(error.field, error.message)
            else:
                if new:
                    flash(request, _("Thank you. The QM team will look at it."))
                else:
                    flash(
                        request,
                        _("You have already reported this. The QM team will look at it."),
                        "info",
                    )
                return redirect(_item_url(request, target))
    return render(
        request,
        "moderation/report.html",
        _context(target, viewer, form, **extra),
        status_code=status,
    )


# -- review requests ----------------------------------------------------------------------


def _check_author(viewer: Viewer, target: Target) -> None:
    """Only the author sees the manager's full reason and may ask for a review (the service
    checks it again when the request is sent)."""
    if viewer.user is None or target.author_id != viewer.user.id:
        raise Forbidden(_("Only the author can ask for a review."))


def _check_hidden(target: Target) -> None:
    if target.item.moderation_state is not ModerationState.HIDDEN:
        raise Conflict(_("This item is not hidden; there is nothing to review."))


async def review(request: Request) -> Response:
    write = request.method == "POST"
    form = await ReviewForm.from_request(request) if write else ReviewForm()
    extra: dict[str, Any] = {}
    status = 200
    async with transaction(request, write=write) as session:
        if request.state.user is None:
            return sign_in_redirect(request)
        try:
            target, viewer = await _load(session, request)
            _check_author(viewer, target)
            _check_hidden(target)
        except DomainError as error:
            return error_page(request, error)
        if write and target.item.review_requested_at is not None:
            # A second request (another tab, the back button): the page says what happened to
            # the first one.
            extra["page_error"] = _("You have already asked for a review of this item.")
            status = 409
        elif write:
            status = 422
            if form.validate():
                try:
                    await moderation(request, session).request_review(
                        viewer, target, form.message.data or ""
                    )
                except DomainError as error:
                    if error.field is None:
                        return error_page(request, error)
                    form.add_error(error.field, error.message)
                else:
                    flash(request, _("Your request has been sent to the QM team."))
                    return redirect(_item_url(request, target))
    return render(
        request,
        "moderation/review.html",
        _context(target, viewer, form, **extra),
        status_code=status,
    )


routes = [
    Route(
        "/report/{kind:kind}/{item_id:id}",
        report,
        name="moderation.report",
        methods=["GET", "POST"],
    ),
    Route(
        "/review/{kind:kind}/{item_id:id}",
        review,
        name="moderation.review",
        methods=["GET", "POST"],
    ),
]
