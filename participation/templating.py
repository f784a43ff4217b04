"""Jinja2 environment, the page context, and rendering of whole pages or one named block."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from jinja2_fragments import render_block
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route, replace_params

from participation import i18n
from participation.assets import Assets
from participation.db import utcnow
from participation.security import CSRF_FIELD, csrf_token
from participation.text import render_text


def _route_format(
    routes: Sequence[BaseRoute],
    name: str,
    prefix: str = "",
    convertors: dict[str, Any] | None = None,
) -> tuple[str, dict[str, Any]] | None:
    """The path format and parameter convertors of the route called `name` (inside mounts
    without a name of their own, as the app's language mount), or None."""
    for route in routes:
        if isinstance(route, Route) and route.name == name:
            return prefix + route.path_format, {**(convertors or {}), **route.param_convertors}
        if isinstance(route, Mount) and route.name is None:
            found = _route_format(
                route.routes,
                name,
                prefix + route.path_format.removesuffix("/{path}"),
                {k: v for k, v in route.param_convertors.items() if k != "path"},
            )
            if found is not None:
                return found
    return None


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment (history restores want the whole page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def create_environment(templates_dir: Path, assets: Assets) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n.translations(i18n.get_locale()).ugettext(message),
        lambda singular, plural, n: i18n.translations(i18n.get_locale()).ungettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.policies["ext.i18n.trimmed"] = True

    env.globals.update(
        static=assets.url,
        language_name=i18n.language_name,
        language_options=i18n.language_options,
        direction=i18n.direction,
        LANGUAGES=i18n.LANGUAGES,
        CSRF_FIELD=CSRF_FIELD,
    )
    env.filters.update(
        text=render_text,
        number=lambda value: i18n.format_number(value),
        euros=lambda value: i18n.format_euros(value),
        calendar_day=lambda value: i18n.format_calendar_day(value),
        day=lambda value: i18n.format_day(value),
        moment=lambda value: i18n.format_moment(value),
        age=lambda value: i18n.format_age(value, utcnow()),
        isodate=lambda value: value.isoformat(timespec="seconds"),
        tr=translated,
    )
    return env


def translated(texts: dict[str, str] | None) -> str:
    """Pick a manager-written text in the current language, else German, else any."""
    if not texts:
        return ""
    locale = i18n.get_locale()
    return texts.get(locale) or texts.get(i18n.DEFAULT_LOCALE) or next(iter(texts.values()))


def translated_lang(texts: dict[str, str] | None) -> str:
    """The language of the text `translated` picks."""
    if not texts:
        return i18n.get_locale()
    locale = i18n.get_locale()
    if locale in texts:
        return locale
    return i18n.DEFAULT_LOCALE if i18n.DEFAULT_LOCALE in texts else next(iter(texts))


class Renderer:
    """Render templates with the page context every page needs."""

    def __init__(
        self, env: jinja2.Environment, site_name: str, base_url: str, oidc_name: str = ""
    ) -> None:
        self.env = env
        self.site_name = site_name
        self.base_url = base_url
        self.oidc_name = oidc_name
        """Label of the single sign-on button; empty when no provider is configured."""
        env.globals["site_name"] = site_name
        env.filters["tr_lang"] = translated_lang
        self._routes: dict[str, tuple[str, dict[str, Any]] | None] = {}
        """Path format and parameter convertors per route name, found once: Starlette tries
        each route in turn for every link, and a page with comments has hundreds of links."""

    def path_for(self, request: Request, name: str, params: dict[str, Any]) -> str:
        if name not in self._routes:
            self._routes[name] = _route_format(request.app.routes, name)
        found = self._routes[name]
        if found is None or set(params) != set(found[1]):
            return str(request.app.url_path_for(name, **params))
        path, _rest = replace_params(found[0], found[1], dict(params))
        return path

    def page_context(self, request: Request, *, fragment: bool = False) -> dict[str, Any]:
        locale = i18n.get_locale()
        session = request.scope.get("session", {})

        def url(name: str, /, query: dict[str, Any] | None = None, **params: Any) -> str:
            params.setdefault("locale", locale)
            path = self.path_for(request, name, params)
            if query:
                clean = {k: v for k, v in query.items() if v not in (None, "")}
                if clean:
                    path += "?" + urlencode(clean, doseq=True)
            return path

        def switch_to(code: str) -> str:
            """The current page in another language."""
            path = request.url.path
            parts = path.split("/", 2)
            if len(parts) > 1 and parts[1] in i18n.LANGUAGES:
                path = "/" + code + ("/" + parts[2] if len(parts) > 2 else "/")
            else:
                path = "/" + code + "/"
            query = request.url.query
            return path + ("?" + query if query else "")

        flashes = session.pop("flash", []) if session and not fragment else []
        return {
            "request": request,
            "locale": locale,
            "dir": i18n.direction(locale),
            "url": url,
            "switch_to": switch_to,
            "csrf_token": LazyToken(session) if session is not None else "",
            "user": getattr(request.state, "user", None),
            "moderation_count": getattr(request.state, "moderation_count", None),
            "flashes": flashes,
            "now": utcnow(),
            "base_url": self.base_url,
            "oidc_name": self.oidc_name,
        }

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        block: str | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """Render the page, or only `block` of it for an htmx request."""
        fragment = block is not None and is_htmx(request)
        data = self.page_context(request, fragment=fragment)
        data.update(context or {})
        if fragment:
            html = render_block(self.env, template, block, **data)  # type: ignore[arg-type]
        else:
            html = self.env.get_template(template).render(**data)
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        if block is not None:
            response.headers["vary"] = "HX-Request"
        response.headers["cache-control"] = "no-cache"
        return response

    def mail(self, template: str, locale: str, **context: Any) -> tuple[str, str, str]:
        """Render templates/mail/<template>.txt (subject line, blank line, body) and .html."""
        token = i18n.set_locale(locale)
        try:
            data = {
                "locale": locale,
                "dir": i18n.direction(locale),
                "base_url": self.base_url,
                **context,
            }
            text = self.env.get_template(f"mail/{template}.txt").render(**data)
            html = self.env.get_template(f"mail/{template}.html").render(**data)
        finally:
            i18n.reset_locale(token)
        subject, _sep, body = text.partition("\n")
        return subject.strip(), body.strip() + "\n", html


class LazyToken:
    """The session's CSRF token, made only when a page shows a form that needs it: a page
    without such a form starts no session, so it sets no cookie and the page cache can keep
    it for every visitor."""

    def __init__(self, session: dict[str, Any]) -> None:
        self.session = session

    def __str__(self) -> str:
        return csrf_token(self.session)

    def __html__(self) -> str:
        return str(self)


def flash(request: Request, message: str, kind: str = "success") -> None:
    """Show a short message on the next page this person sees."""
    pending = request.session.get("flash", [])
    request.session["flash"] = [*pending, {"message": message, "kind": kind}]
