"""Headless Chromium (Debian's, never a downloaded one) driving the real app on a real port.

The `browser` fixture is shared by the session; each test opens its own contexts at a phone's
viewport (360×740), so cookies and storage never leak between tests. Pages opened through
`open_page` record uncaught script errors, console errors (a blocked script or a CSP violation
shows up there) and server errors (5xx), which a test checks with `assert_no_page_errors`.

While Playwright's sync API is running it keeps an asyncio event loop running in the main
thread, so `asyncio.run` fails there until the browser is closed. The browser therefore starts
only after the server and its database are set up, and the browser tests run last.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    sync_playwright,
)

from tests.conftest import ROOT, Server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740}
LOCALES = {"de": "de-DE", "en": "en-GB", "tr": "tr-TR", "ar": "ar"}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests after all others (a stable sort keeps each group's order)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; without it the browser tests are skipped, except on CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: browser tests must run on CI")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path, server: Server) -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(chromium_path),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, server: Server) -> Iterator[Callable[..., BrowserContext]]:
    """Make a phone-sized browser context for a language, with or without JavaScript."""
    made: list[BrowserContext] = []

    def make(*, language: str = "de", javascript: bool = True, **options: Any) -> BrowserContext:
        """`options` go to Browser.new_context (viewport, storage_state, device_scale_factor)."""
        options.setdefault("viewport", PHONE)
        context = browser.new_context(
            base_url=server.url,
            locale=LOCALES[language],
            java_script_enabled=javascript,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


# Keyed by id(page); the page is kept so that an id is never reused during the run.
_errors: dict[int, tuple[Page, list[str]]] = {}


def open_page(context: BrowserContext) -> Page:
    """A new page that remembers script errors, console errors and server errors (5xx)."""
    page = context.new_page()
    errors: list[str] = []
    _errors[id(page)] = (page, errors)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        # The app has no favicon; Chromium asks for /favicon.ico anyway and logs the 404.
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({where})")

    def on_response(response: Response) -> None:
        if response.status >= 500:
            errors.append(
                f"server error {response.status}: {response.request.method} {response.url}"
            )

    page.on("console", on_console)
    page.on("response", on_response)
    return page


def clear_page_errors(page: Page) -> None:
    """Forget the errors recorded so far (for a page that is reused by the next test)."""
    if id(page) in _errors:
        _errors[id(page)][1].clear()


def assert_no_page_errors(page: Page, *, expected_status: int | None = None) -> None:
    """No script, console or server errors; `expected_status` allows the page's own 4xx.

    Chromium logs a page answered with 404 or 422 as a console error ("Failed to load
    resource"); a test that asked for such a page passes its status to ignore that message.
    """
    errors = _errors[id(page)][1] if id(page) in _errors else []
    if expected_status is not None:
        expected = f"the server responded with a status of {expected_status} "
        errors = [e for e in errors if not (e.startswith("console: ") and expected in e)]
    assert not errors, f"errors while on {page.url}: {errors}"


def assert_no_horizontal_scrolling(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert sizes[0] <= sizes[1], f"{sizes[2]} scrolls sideways: {sizes[0]}px > {sizes[1]}px"


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": hiding the caret would inject a <style>, which the CSP refuses.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


# -- the pages of tests/browser/pages.py ----------------------------------------------------

_site: list[Any] = []


@pytest.fixture
def site(browser: Browser, server: Server, make_user: Callable[..., Any]) -> Any:
    """The ids and signed-in roles the page types of pages.py need, made once per run.

    The people are made with `make_user` (a per-test factory) on first use and kept, so the
    many page tests share them; their sessions are kept as Playwright storage state.
    """
    from tests.browser.pages import build_site

    if not _site:
        _site.append(build_site(browser, server.url, make_user))
    return _site[0]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the page-weight table of test_accessibility.py, if it ran."""
    from tests.browser.pages import weight_table

    table = weight_table()
    if table:
        terminalreporter.write_sep("-", "page weight (first load, bytes)")
        terminalreporter.write(table)
