"""Security as an attacker or a browser sees it: CSRF, headers, cookies, limits, error pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from sqlalchemy import text
from starlette.datastructures import Secret
from starlette.routing import Mount, Route

from participation.app import create_app
from participation.db import Database
from participation.settings import Settings
from tests.conftest import (
    PASSWORD,
    ROOT,
    Browser,
    Loop,
    Person,
    Place,
    Server,
    page,
    text_of,
    unique,
)


@cache
def catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def tr(locale: str, msgid: str) -> str:
    message = catalog(locale).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated to {locale}"
    assert isinstance(message.string, str)
    return re.sub(r"\s+", " ", message.string).strip()


def visible_text(response: httpx.Response) -> str:
    return re.sub(r"\s+", " ", page(response).get_text(" ")).strip()


def scalar(db: Database, loop: Loop, sql: str, **params: Any) -> Any:
    async def run() -> Any:
        async with db.session() as session:
            return (await session.execute(text(sql), params)).scalar_one()

    return loop.run(run())


@pytest.fixture
def browser_for() -> Iterator[Callable[[Server], Browser]]:
    made: list[Browser] = []

    def make(server: Server) -> Browser:
        browser = Browser(base_url=server.url, follow_redirects=False, timeout=30)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.close()


# -- CSRF -----------------------------------------------------------------------------------


def _post_routes() -> list[str]:
    """Every POST route of the application, under the German prefix (found in the app itself)."""
    app = create_app(Settings(database_url="sqlite+aiosqlite://", secret_key=Secret("x" * 40)))
    paths = []
    for mount in app.routes:
        if not (isinstance(mount, Mount) and mount.path == "/{locale:lang}"):
            continue
        for route in mount.routes:
            assert isinstance(route, Route)
            if route.methods and "POST" in route.methods:
                # Every other path parameter is a database id.
                known = {"slug": "mehringplatz", "token": "x", "kind": "idea"}
                path = route.path_format.format(
                    **{name: known.get(name, 1) for name in route.param_convertors}
                )
                paths.append("/de" + path)
    return paths


POST_ROUTES = _post_routes()


def test_the_post_routes_are_known() -> None:
    assert "/de/signup" in POST_ROUTES
    assert "/de/ideas/1/comments" in POST_ROUTES
    assert "/de/ideas/1/support" in POST_ROUTES
    assert "/de/areas/mehringplatz/manage/members/verify" in POST_ROUTES
    assert len(POST_ROUTES) >= 20


def test_every_post_route_needs_the_session_token(
    client: Browser, make_user: Callable[..., Person]
) -> None:
    person = make_user(member_of={"mehringplatz": ["resident"]})
    client.sign_in(person)
    token = client.form_token("/de/")
    data = {"display_name": "Changed", "preferred_locale": "ar", "roles": ["owner"]}

    refused: list[str] = []
    kinds = ("missing", "wrong", "empty", "wrong header")
    for path in POST_ROUTES:
        attempts = [
            client.post(path, data=data),
            client.post(path, data={**data, "csrf_token": token[:-4] + "AAAA"}),
            client.post(path, data={**data, "csrf_token": ""}),
            client.post(path, data=data, headers={"x-csrf-token": "nope"}),
        ]
        for kind, response in zip(kinds, attempts, strict=True):
            if response.status_code == 403:
                assert page(response).html["lang"] == "de"  # type: ignore[index]
                assert text_of(response, "h1") == tr("de", "Not allowed")
                refused.append(f"{path} {kind}")
    assert refused == [f"{p} {k}" for p in POST_ROUTES for k in kinds]

    # the account is untouched: still signed in, same name
    home = client.get("/de/")
    assert person.display_name in text_of(home, ".account-nav")


def test_sign_up_without_a_valid_token_creates_nothing(
    client: Browser, db: Database, loop: Loop
) -> None:
    email = f"{unique('csrf')}@example.org"
    fields = {"email": email, "display_name": "Fälschung", "password": PASSWORD}
    client.form_token("/de/signup")  # the session has a token now

    assert client.post("/de/signup", data=fields).status_code == 403
    assert client.post("/de/signup", data={**fields, "csrf_token": "forged"}).status_code == 403
    assert scalar(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0

    # without any session, a request is refused as well
    with Browser(base_url=str(client.base_url), follow_redirects=False) as stranger:
        assert stranger.post("/de/signup", data=fields).status_code == 403
    assert scalar(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0

    # the same form with the token works (so the refusals above were about the token)
    assert client.submit("/de/signup", fields).status_code == 200
    assert scalar(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email) == 1


def test_comment_without_a_valid_token_is_not_published(
    client: Browser,
    new_client: Callable[[], Browser],
    db: Database,
    loop: Loop,
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
) -> None:
    place = make_area()
    member = make_user(member_of={place.slug: ["resident"]})
    idea = make_idea(place, member)
    client.sign_in(member)
    path = f"/de/ideas/{idea}/comments"
    fields = {"body": "Ein Kommentar, der nicht erscheinen darf.", "language": "de"}

    assert client.post(path, data=fields).status_code == 403
    assert client.post(path, data={**fields, "csrf_token": "forged"}).status_code == 403
    # a token from another person's session does not work either
    other = new_client()
    foreign = other.form_token("/de/signin")
    assert client.post(path, data={**fields, "csrf_token": foreign}).status_code == 403

    count = "SELECT count(*) FROM comments WHERE idea_id = :i"
    assert scalar(db, loop, count, i=idea) == 0
    assert scalar(db, loop, "SELECT comment_count FROM ideas WHERE id = :i", i=idea) == 0

    token = client.form_token("/de/")
    assert client.post(path, data={**fields, "csrf_token": token}).status_code == 303
    assert scalar(db, loop, count, i=idea) == 1


def test_support_without_a_valid_token_is_not_counted(
    client: Browser,
    db: Database,
    loop: Loop,
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    supporter = make_user(member_of={place.slug: ["business"]})
    idea = make_idea(place, author)
    client.sign_in(supporter)
    path = f"/de/ideas/{idea}/support"

    assert client.post(path, data={"support": "1"}).status_code == 403
    assert client.post(path, data={"support": "1", "csrf_token": "forged"}).status_code == 403
    assert client.post(path, data={"support": "1"}, headers={"x-csrf-token": ""}).status_code == 403

    rows = "SELECT count(*) FROM supports WHERE idea_id = :i"
    assert scalar(db, loop, rows, i=idea) == 0
    assert scalar(db, loop, "SELECT support_count FROM ideas WHERE id = :i", i=idea) == 0

    token = client.form_token("/de/")
    assert client.post(path, data={"support": "1", "csrf_token": token}).status_code == 303
    assert scalar(db, loop, rows, i=idea) == 1


# -- headers and cookies --------------------------------------------------------------------


def csp_directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers.get("content-security-policy", "")
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


@pytest.mark.parametrize("path", ["/de/", "/ar/signin", "/en/areas/mehringplatz", "/de/nowhere"])
def test_security_headers_on_html_pages(client: Browser, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None
    assert "'self'" in script_src
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(
        script_src
    )
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("style-src", directives["default-src"])
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client: Browser) -> None:
    """The CSP forbids inline code, so the pages must not depend on it."""
    for path in ["/de/", "/de/areas/mehringplatz", "/de/signup", "/ar/signin"]:
        soup = page(client.get(path))
        for script in soup.select("script"):
            assert script.get("src"), (path, str(script)[:80])
        assert not soup.select("style"), path
        for element in soup.find_all(True):
            inline = [a for a in element.attrs if a.startswith("on") or a == "style"]
            assert not inline, (path, element.name, inline)


def session_cookie(response: httpx.Response) -> str:
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_session_cookie_is_http_only_and_same_site(client: Browser) -> None:
    attributes = cookie_attributes(session_cookie(client.get("/de/signin")))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes  # BASE_URL is http here, so browsers must get it back


def test_session_cookie_is_secure_behind_https(
    make_server: Callable[..., Server], browser_for: Callable[[Server], Browser]
) -> None:
    server = make_server(base_url="https://beteiligung.example")
    browser = browser_for(server)
    response = browser.get("/de/signin")
    attributes = cookie_attributes(session_cookie(response))
    assert {"secure", "httponly", "samesite=lax"} <= attributes
    assert response.headers["strict-transport-security"].startswith("max-age=")


# -- limits ---------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused(
    make_server: Callable[..., Server],
    browser_for: Callable[[Server], Browser],
    db: Database,
    loop: Loop,
) -> None:
    server = make_server(max_body_bytes=2000)
    browser = browser_for(server)
    email = f"{unique('big')}@example.org"
    token = browser.form_token("/de/signup")
    fields = {"csrf_token": token, "email": email, "password": PASSWORD}

    response = browser.post("/de/signup", data={**fields, "display_name": "x" * 5000})
    assert response.status_code == 413
    assert page(response).html["lang"] == "de"  # type: ignore[index]
    assert tr("de", "What you sent is too large. Please shorten it and try again.") in (
        visible_text(response)
    )

    # a body sent in chunks, without a length, is measured as it arrives
    chunks = iter([b"csrf_token=" + token.encode() + b"&display_name="] + [b"y" * 1000] * 5)
    streamed = browser.post(
        "/ar/signup",
        content=chunks,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert streamed.status_code == 413
    assert page(streamed).html["dir"] == "rtl"  # type: ignore[index]
    assert tr("ar", "What you sent is too large. Please shorten it and try again.") in (
        visible_text(streamed)
    )
    assert scalar(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0

    # a body under the limit passes
    ok = browser.post("/de/signup", data={**fields, "display_name": "Klein"})
    assert ok.status_code == 200
    assert scalar(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email) == 1


def test_sign_in_attempts_per_address_are_limited(
    make_server: Callable[..., Server],
    browser_for: Callable[[Server], Browser],
    make_user: Callable[..., Person],
) -> None:
    server = make_server(signin_rate_limit="3/15 minutes")
    person = make_user()
    browser = browser_for(server)
    wrong = {"email": person.email, "password": "wrong password!"}

    for _ in range(3):
        assert browser.submit("/de/signin", wrong).status_code == 422
    limited = browser.submit("/de/signin", wrong)
    assert limited.status_code == 429
    expected = "Too many sign-in attempts. Please wait a few minutes and try again."
    assert text_of(limited, ".error-summary") == tr("de", expected)

    right = {"email": person.email, "password": person.password}
    refused = browser.submit("/ar/signin", right)
    assert refused.status_code == 429
    assert text_of(refused, ".error-summary") == tr("ar", expected)
    assert browser.get("/de/profile").status_code == 303  # not signed in

    # other addresses are not affected
    other = make_user()
    assert browser.submit(
        "/de/signin", {"email": other.email, "password": PASSWORD}
    ).status_code == (303)


# -- error pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "direction"), [("de", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("path", ["/no/such/page", "/areas/no-such-area", "/ideas/999999999"])
def test_not_found_page_is_translated(
    client: Browser, locale: str, direction: str, path: str
) -> None:
    response = client.get(f"/{locale}{path}")
    assert response.status_code == 404
    html = page(response).html
    assert html is not None
    assert (html["lang"], html["dir"]) == (locale, direction)
    assert text_of(response, "h1") == tr(locale, "Page not found")
    assert text_of(response, "h1") != "Page not found"
    home = page(response).select_one(f"main a[href='/{locale}/']")
    assert home is not None


def test_unknown_path_outside_a_language_is_a_german_404(client: Browser) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert page(response).html["lang"] == "de"  # type: ignore[index]
    assert text_of(response, "h1") == "Seite nicht gefunden"


# -- no third parties -----------------------------------------------------------------------


def test_no_page_loads_anything_from_another_host(
    client: Browser,
    server: Server,
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
) -> None:
    place = make_area()
    idea = make_idea(place, make_user())
    own_host = urlsplit(server.url).netloc
    paths = [
        "/de/",
        "/de/areas/mehringplatz",
        "/de/areas/mariannenplatz",
        f"/de/areas/{place.slug}/ideas",
        f"/de/ideas/{idea}",
        "/de/signin",
        "/ar/signup",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        soup = page(response)
        references = [
            *(str(s["src"]) for s in soup.select("script[src]")),
            *(str(link["href"]) for link in soup.select("link[href]")),
            *(str(i["src"]) for i in soup.select("img[src]")),
            *(str(i["srcset"]) for i in soup.select("img[srcset], source[srcset]")),
        ]
        assert any(r.startswith("/static/") for r in references), path
        for reference in references:
            parts = urlsplit(reference)
            assert not reference.startswith("//"), (path, reference)
            assert parts.scheme in ("", "http", "https"), (path, reference)
            assert parts.netloc in ("", own_host), (path, reference)
