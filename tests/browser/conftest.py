"""Headless Chromium (Debian's, never a downloaded one) driving the real app on a real port.

The `browser` fixture is shared by the session; each test opens its own contexts at a phone's
viewport (360×740), so cookies and storage never leak between tests. Pages opened through
`open_page` record script errors and console errors (a blocked script or a CSP violation shows
up there), which a test checks with `assert_no_script_errors`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import ROOT, Server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740}
LOCALES = {"de": "de-DE", "en": "en-GB", "tr": "tr-TR", "ar": "ar"}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
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

    def make(*, language: str = "de", javascript: bool = True) -> BrowserContext:
        context = browser.new_context(
            base_url=server.url,
            viewport=PHONE,
            locale=LOCALES[language],
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


_errors: dict[int, list[str]] = {}


def open_page(context: BrowserContext) -> Page:
    """A new page that remembers uncaught script errors and console errors."""
    page = context.new_page()
    errors = _errors.setdefault(id(page), [])
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: errors.append(f"console: {message.text}")
        if message.type == "error"
        else None,
    )
    return page


def assert_no_script_errors(page: Page) -> None:
    errors = _errors.get(id(page), [])
    assert not errors, f"script or console errors on {page.url}: {errors}"


def assert_no_horizontal_scrolling(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert sizes[0] <= sizes[1], f"{sizes[2]} scrolls sideways: {sizes[0]}px > {sizes[1]}px"


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
