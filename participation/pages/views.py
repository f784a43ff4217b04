"""Accessibility statement with feedback form, Leichte Sprache, privacy, imprint."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.pages.forms import FeedbackForm
from participation.pages.services import FeedbackService
from participation.settings import Settings
from participation.templating import flash
from participation.web import (
    client_address,
    limiter,
    redirect,
    render,
    renderer,
    signed_in_user,
    transaction,
    url,
)

FEEDBACK_RATE_LIMIT = "5/hour"


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def accessibility(request: Request) -> Response:
    write = request.method == "POST"
    form = await FeedbackForm.from_request(request) if write else FeedbackForm()
    if write and form.validate():
        if form.is_robot:
            flash(request, _("Thank you. Your message has been sent to the district office."))
            return redirect(url(request, "pages.accessibility") + "#feedback")
        client = client_address(request)
        allowed = await limiter(request).hit(FEEDBACK_RATE_LIMIT, "accessibility-feedback", client)
        if allowed:
            async with transaction(request, write=True) as session:
                await FeedbackService(session, renderer(request)).submit(
                    message=form.message.data,
                    page=form.page.data,
                    name=form.name.data,
                    email=form.email.data,
                    locale=get_locale(),
                    user=request.state.user,
                    contact=settings_of(request).accessibility_contact,
                )
            flash(request, _("Thank you. Your message has been sent to the district office."))
            return redirect(url(request, "pages.accessibility") + "#feedback")
        form.add_error(
            "message", _("You have sent several messages just now. Please try again later.")
        )
    elif not write:
        form.page.data = request.query_params.get("page", "")[:500]
    await signed_in_user(request)
    return render(
        request,
        "pages/accessibility.html",
        {"form": form, "settings": settings_of(request)},
        status_code=422 if write else 200,
    )


async def easy_read(request: Request) -> Response:
    await signed_in_user(request)
    return render(request, "pages/easy_read.html", {"settings": settings_of(request)})


async def privacy(request: Request) -> Response:
    await signed_in_user(request)
    return render(request, "pages/privacy.html", {"settings": settings_of(request)})


async def imprint(request: Request) -> Response:
    await signed_in_user(request)
    return render(request, "pages/imprint.html", {"settings": settings_of(request)})


routes = [
    Route("/accessibility", accessibility, name="pages.accessibility", methods=["GET", "POST"]),
    Route("/easy-read", easy_read, name="pages.easy_read"),
    Route("/privacy", privacy, name="pages.privacy"),
    Route("/imprint", imprint, name="pages.imprint"),
]
