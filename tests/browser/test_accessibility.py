"""WCAG 2.1 AA (BITV 2.0) checks of every page type of pages.py, in German, Turkish and Arabic.

- axe-core (tests/browser/node_modules; `make` installs it with npm) at 360×740 and 1280×800,
  with the WCAG 2.0 and 2.1 rules of levels A and AA;
- structure: one h1, the skip link as the first Tab stop, leading to <main id="main">, and the
  right `<html lang dir>`;
- reflow: no sideways scrolling at 360 and 320 px, and at 1280 px zoomed to 200 % (a 640×400
  CSS viewport at device scale factor 2) all text stays on the screen, nothing cut off; the
  same with the text spacing of WCAG 1.4.12;
- language: the interface text is in the page's language (nothing left untranslated), and text
  people wrote in another language is marked with its `lang` wherever it is shown;
- without JavaScript: every page loads with its status, and its forms post to a real address;
- page weight of the first load (a fresh context: at most 60 KB over the wire);
- on every page: no request leaves 127.0.0.1, no script, console or server error.

A failure names the page type, language and size in the test id and lists every problem found.
Screenshots of every page type in German and Arabic at 360 px go to test-artifacts/, with the
page-weight table (page-weight.txt) and what axe could not decide (axe-needs-review.txt).

To stay quick, the tests other than the page weight share one page per role, language and
kind of context (`PagePool`), each opened from the role's saved sign-in (storage state); every
test navigates it afresh.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request

from tests.browser.conftest import (
    ARTIFACTS,
    LOCALES,
    PHONE,
    TIMEOUT_MS,
    assert_no_page_errors,
    clear_page_errors,
    open_page,
    screenshot,
)
from tests.browser.pages import (
    DIRECTION,
    LANGUAGES,
    PAGE_WEIGHTS,
    PAGES,
    PageType,
    Role,
    Site,
    weight_table,
)
from tests.conftest import ROOT, Server

# Rendering checks of every page type in every language and size: they do not depend on the
# database, so the PostgreSQL run leaves them to the SQLite run (see the Makefile).
pytestmark = [pytest.mark.browser, pytest.mark.page_matrix]

NewContext = Callable[..., BrowserContext]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations", "incomplete"],
}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"360": PHONE, "1280": DESKTOP}
NARROW = {"width": 320, "height": 740}
ZOOMED = {"width": 640, "height": 400}  # 1280×800 at 200 %
WEIGHT_BUDGET = 60_000  # bytes over the wire for the first load of a page
LOCAL_HOSTS = {"127.0.0.1"}
SCREENSHOT_LANGUAGES = ("de", "ar")
REVIEW_FILE = ARTIFACTS / "axe-needs-review.txt"


def page_cases(*extra: list[str]) -> list[Any]:
    """pytest params for every page type × language (× the values of each list in `extra`)."""
    combos: list[list[str]] = [[]]
    for values in extra:
        combos = [[*c, v] for c in combos for v in values]
    return [
        pytest.param(page_type, lang, *combo, id="-".join([page_type.name, lang, *combo]))
        for page_type in PAGES
        for lang in LANGUAGES
        for combo in combos
    ]


def report(page: Page, page_type: PageType, lang: str, problems: list[str]) -> str:
    return f"{page.url} ({page_type.name}, {lang}):\n- " + "\n- ".join(problems)


@cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing: run `make tests/browser/node_modules/axe-core/axe.min.js` "
            "(or `cd tests/browser && npm ci`)"
        )
    return AXE.read_text(encoding="utf-8")


# -- opening pages ------------------------------------------------------------------------


def leaves_machine(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return parts.hostname not in LOCAL_HOSTS


@dataclass
class Visit:
    page: Page
    page_type: PageType
    outside: list[str]
    """Requests that would leave 127.0.0.1."""

    def finish(self) -> None:
        """No request left the machine, and no script, console or server errors."""
        assert not self.outside, f"requests leave 127.0.0.1: {self.outside}"
        assert_no_page_errors(self.page, expected_status=self.page_type.status)


def visit(page: Page, page_type: PageType, lang: str, site: Site, outside: list[str]) -> Visit:
    """Open the page type (sending its form empty where it asks for that); check the status."""
    response = page.goto(page_type.url(lang, site))
    assert response is not None
    status = response.status
    if page_type.submit_empty:
        assert page_type.form, f"{page_type.name}: submit_empty needs a form field"
        assert status == 200, f"{page.url}: the form page answered {status}"
        with page.expect_navigation() as navigation:
            page.locator(f"form:has({page_type.form}) [type=submit]").first.click()
        answer = navigation.value
        assert answer is not None
        status = answer.status
    assert status == page_type.status, f"{page.url} answered {status}, not {page_type.status}"
    return Visit(page, page_type, outside)


@dataclass
class PagePool:
    """One open page per (role, language, JavaScript, device scale factor), reused by tests."""

    browser: Browser
    base_url: str
    limit: int = 12
    pages: OrderedDict[tuple[Any, ...], Page] = field(default_factory=OrderedDict)
    outside: list[str] = field(default_factory=list)

    def page(
        self, site: Site, role: Role, lang: str, *, javascript: bool = True, scale: int = 1
    ) -> Page:
        key = (role, lang, javascript, scale)
        if key in self.pages:
            self.pages.move_to_end(key)
            page = self.pages[key]
        else:
            context = self.browser.new_context(
                base_url=self.base_url,
                viewport=PHONE,
                locale=LOCALES[lang],
                java_script_enabled=javascript,
                device_scale_factor=scale,
                storage_state=site.state(role),
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            page = open_page(context)
            page.on("request", self._watch)
            self.pages[key] = page
            while len(self.pages) > self.limit:
                _, oldest = self.pages.popitem(last=False)
                oldest.context.close()
        clear_page_errors(page)
        self.outside.clear()
        return page

    def _watch(self, request: Request) -> None:
        if leaves_machine(request.url):
            self.outside.append(request.url)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()


@pytest.fixture(scope="module")
def pool(browser: Browser, server: Server) -> Iterator[PagePool]:
    opened = PagePool(browser, server.url)
    yield opened
    opened.close()


@pytest.fixture
def open_visit(pool: PagePool, site: Site) -> Callable[..., Visit]:
    """Open a page type for its role in a language, in the pool's page for that kind."""

    def open_(
        page_type: PageType,
        lang: str,
        *,
        viewport: dict[str, int] = PHONE,
        javascript: bool = True,
        scale: int = 1,
    ) -> Visit:
        page = pool.page(site, page_type.role, lang, javascript=javascript, scale=scale)
        page.set_viewport_size(viewport)
        return visit(page, page_type, lang, site, pool.outside)

    return open_


# -- axe-core ------------------------------------------------------------------------------


def describe(results: list[dict[str, Any]]) -> str:
    lines = []
    for rule in results:
        lines.append(f"- {rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
        if len(rule["nodes"]) > 8:
            lines.append(f"    … and {len(rule['nodes']) - 8} more")
    return "\n".join(lines)


def run_axe(page: Page) -> dict[str, Any]:
    """Inject axe-core (CDP evaluation is not bound by the page's CSP) and run the WCAG rules."""
    page.evaluate(axe_source())
    results: dict[str, Any] = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return results


@pytest.fixture(scope="module", autouse=True)
def review_file() -> Iterator[None]:
    REVIEW_FILE.unlink(missing_ok=True)
    yield


@pytest.mark.parametrize(("page_type", "lang", "size"), page_cases(list(VIEWPORTS)))
def test_axe_finds_no_wcag_violations(
    open_visit: Callable[..., Visit], page_type: PageType, lang: str, size: str
) -> None:
    shown = open_visit(page_type, lang, viewport=VIEWPORTS[size])
    results = run_axe(shown.page)
    if results["incomplete"]:  # what axe could not decide, for a person to look at
        ARTIFACTS.mkdir(exist_ok=True)
        with REVIEW_FILE.open("a", encoding="utf-8") as out:
            out.write(f"## {page_type.name}-{lang}-{size} {shown.page.url}\n")
            out.write(describe(results["incomplete"]) + "\n\n")
    violations = results["violations"]
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.1 A/AA rule(s) fail on {shown.page.url} "
        f"({page_type.name}) at {size} px:\n{describe(violations)}"
    )
    shown.finish()


# -- structure: one h1, the skip link first, lang and dir ---------------------------------

FIRST_TABBABLE = """() => {
  const candidates = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]'
  )].filter(e => {
    if (e.disabled || e.tabIndex < 0 || e.type === 'hidden') return false;
    const style = getComputedStyle(e);
    return style.visibility !== 'hidden' && e.getClientRects().length > 0;
  });
  const positive = candidates.filter(e => e.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex);
  const first = positive[0] || candidates.find(e => e.tabIndex === 0);
  return first ? first.outerHTML.slice(0, 200) : null;
}"""

ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'),
          role: e.getAttribute('role'), html: e.outerHTML.slice(0, 160),
          top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          width: innerWidth, height: innerHeight};
}"""


@pytest.mark.parametrize(("page_type", "lang"), page_cases())
def test_structure(open_visit: Callable[..., Visit], page_type: PageType, lang: str) -> None:
    shown = open_visit(page_type, lang)
    page = shown.page
    problems: list[str] = []

    html = page.evaluate(
        "() => [document.documentElement.getAttribute('lang'), "
        "document.documentElement.getAttribute('dir')]"
    )
    if html != [lang, DIRECTION[lang]]:
        problems.append(f"<html lang dir> is {html}, expected {[lang, DIRECTION[lang]]}")

    headings = page.locator("h1").all_inner_texts()
    if len(headings) != 1 or not headings[0].strip():
        problems.append(f"expected exactly one non-empty h1, found {headings}")

    main = page.evaluate("() => document.getElementById('main')?.tagName.toLowerCase() ?? null")
    if main != "main":
        problems.append(f"#main is {main!r}, not the <main> element")

    first = page.evaluate(FIRST_TABBABLE)
    if not first or 'href="#main"' not in first:
        problems.append(f"the first focusable element is not a skip link to #main: {first}")

    focused = page.evaluate(ACTIVE)
    if page_type.submit_empty:
        # The page with errors starts at the error summary (app.js), not at the top.
        if not focused or focused["role"] != "alert":
            problems.append(f"after sending the empty form, focus is on {focused}, not the summary")
    elif focused:
        problems.append(f"something has focus before any key is pressed: {focused}")
    else:
        page.keyboard.press("Tab")
        skip = page.evaluate(ACTIVE)
        if not skip or skip["href"] != "#main":
            problems.append(f"the first Tab stop is {skip}, not the skip link to #main")
        else:
            on_screen = (
                skip["top"] >= 0
                and skip["left"] >= 0
                and skip["right"] <= skip["width"]
                and skip["bottom"] <= skip["height"]
            )
            if not on_screen:
                problems.append(f"the focused skip link is not on the screen: {skip}")
            page.keyboard.press("Enter")
            target = page.evaluate(ACTIVE)
            if not target or target["id"] != "main":
                problems.append(f"the skip link moves focus to {target}, not to <main>")

    assert not problems, report(page, page_type, lang, problems)
    shown.finish()


# -- language: the page's text is in its language, other text says which it is ---------------

# The text a person sees or hears (text, title, accessible names), leaving out what is marked
# with another language.
TEXT_IN_PAGE_LANGUAGE = """lang => {
  const other = e => {
    const marked = e.closest('[lang]');
    return marked && marked.getAttribute('lang').split('-')[0] !== lang;
  };
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const e = node.parentElement;
    if (e && !['SCRIPT', 'STYLE'].includes(e.tagName) && !other(e)) parts.push(node.textContent);
  }
  const named = ['aria-label', 'alt', 'title', 'placeholder', 'aria-description'];
  for (const e of document.body.querySelectorAll(named.map(a => `[${a}]`).join(','))) {
    if (!other(e)) named.forEach(a => e.hasAttribute(a) && parts.push(e.getAttribute(a)));
  }
  return parts.join(' ').replace(/\\s+/g, ' ');
}"""

# Where each text written by a person stands, and the language its element is marked with.
MARKED_LANGUAGE = """texts => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const here = node.textContent.replace(/\\s+/g, ' ');
    for (const [text, language] of Object.entries(texts)) {
      if (!here.includes(text)) continue;
      const e = node.parentElement;
      if (!e || e.closest('textarea')) continue;  // what is typed into a field
      const marked = e.closest('[lang]')?.getAttribute('lang') ?? '';
      if (marked.split('-')[0] !== language) {
        const where = [];
        for (let a = e; a && a !== document.body && where.length < 4; a = a.parentElement) {
          where.unshift(a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') +
                        (a.classList.length ? '.' + [...a.classList].join('.') : ''));
        }
        found.push(`"${text}" (${language}) in ${where.join(' > ')} is marked lang="${marked}"`);
      }
    }
  }
  return found;
}"""

PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


def key(message_id: Any) -> Any:
    """A catalog's message id as a set member (plural ids are lists in compiled catalogs)."""
    return tuple(message_id) if isinstance(message_id, list | tuple) else message_id


@cache
def untranslated(lang: str) -> list[str]:
    """Interface texts that the compiled catalog of `lang` (what the app uses) lacks, so that
    the app shows them in English: their parts between placeholders of two words or more, or
    of one word of six letters or more."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    locales = ROOT / "locales"
    with (locales / "messages.pot").open("rb") as pot:
        template = read_po(pot)
    compiled = locales / lang / "LC_MESSAGES" / "messages.mo"
    translated: set[Any] = set()
    if compiled.exists():
        with compiled.open("rb") as mo:
            translated = {key(m.id) for m in read_mo(mo) if m.id and m.string and all(m.string)}
    found: set[str] = set()
    for message in template:
        if not message.id or key(message.id) in translated:
            continue
        english = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        for text in english:
            for part in PLACEHOLDER_OR_TAG.split(text):
                part = " ".join(part.split()).strip(" .,:;·")
                if len(part.split()) >= 2 or len(re.sub(r"\W", "", part)) >= 6:
                    found.add(part)
    return sorted(found, key=len, reverse=True)


@pytest.mark.parametrize(("page_type", "lang"), page_cases())
def test_text_is_in_the_page_language(
    open_visit: Callable[..., Visit], site: Site, page_type: PageType, lang: str
) -> None:
    """WCAG 3.1.1 and 3.1.2: interface text is in the page's language (no message left
    untranslated, which the app shows in English), and text that people wrote in another
    language is marked with its `lang` wherever it is shown (titles in breadcrumbs too)."""
    shown = open_visit(page_type, lang)
    page = shown.page
    problems: list[str] = []
    text = page.evaluate(TEXT_IN_PAGE_LANGUAGE, lang)
    english = [
        part for part in untranslated(lang) if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text)
    ]
    if english:
        problems.append(
            f'{len(english)} interface text(s) shown in English with no lang="en" (missing '
            f"from the compiled catalog locales/{lang}/LC_MESSAGES/messages.mo): "
            + "; ".join(repr(e) for e in english[:25])
            + (" …" if len(english) > 25 else "")
        )
    problems += page.evaluate(MARKED_LANGUAGE, site.languages)
    assert not problems, report(page, page_type, lang, problems)
    shown.finish()


# -- reflow: 360 px, 320 px and 200 % zoom ------------------------------------------------

SCROLL_WIDTH = (
    "() => [document.documentElement.scrollWidth, window.innerWidth, "
    "document.documentElement.clientWidth]"
)

# Text that is outside the screen, cut off by a box that clips it, or in a box that scrolls
# sideways. Text hidden on purpose (aria-hidden, display or visibility, a 1 px clipped box) is
# left out.
CUT_OFF_TEXT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const styles = new Map();
  const style = e => styles.get(e) || styles.set(e, getComputedStyle(e)).get(e);
  const hiddenOnPurpose = element => {
    for (let e = element; e && e !== document.documentElement; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true') return true;
      const s = style(e);
      if (s.visibility === 'hidden' || s.display === 'none') return true;
      const clips = s.clip !== 'auto' || s.clipPath !== 'none' || s.overflow === 'hidden';
      if (clips) {
        const r = e.getBoundingClientRect();
        if (r.width <= 1 && r.height <= 1) return true;
      }
    }
    return false;
  };
  const clipping = element => {
    const found = [];
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const s = style(e);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') found.push(e);
    }
    return found;
  };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.classList.length ? '.' + [...e.classList].join('.') : '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    if (!element || ['SCRIPT', 'STYLE', 'OPTION', 'NOSCRIPT'].includes(element.tagName)) continue;
    if (hiddenOnPurpose(element)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = node.textContent.trim().slice(0, 40);
    for (const rect of range.getClientRects()) {
      if (rect.width < 1 || rect.height < 1) continue;
      if (rect.left < -1 || rect.right > width + 1) {
        problems.push(`"${text}" in ${name(element)} is off the screen: x ` +
                      `${Math.round(rect.left)}..${Math.round(rect.right)} of ${width}`);
        break;
      }
      const cut = clipping(element).find(c => {
        const box = c.getBoundingClientRect();
        const sideways = style(c).overflowX !== 'visible' &&
          (rect.left < box.left - 1 || rect.right > box.right + 1);
        const clipsDown = ['hidden', 'clip'].includes(style(c).overflowY) &&
          (rect.top < box.top - 1 || rect.bottom > box.bottom + 1);
        return sideways || clipsDown;
      });
      if (cut) {
        problems.push(`"${text}" in ${name(element)} is cut off by ${name(cut)} (overflow ` +
                      `${style(cut).overflowX} ${style(cut).overflowY})`);
        break;
      }
    }
    if (problems.length >= 12) break;
  }
  return problems;
}"""


# WCAG 1.4.12: the spacing a reader may set with a user style sheet (added through the CSSOM,
# which the page's CSP does not restrict).
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`*, *::before, *::after {
      line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; }
    p { margin-block-end: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return getComputedStyle(document.body).letterSpacing;
}"""


def reflow_problems(page: Page, what: str) -> list[str]:
    scroll_width, inner_width, client_width = page.evaluate(SCROLL_WIDTH)
    problems = []
    if scroll_width > min(inner_width, client_width):
        problems.append(f"{what}: scrolls sideways ({scroll_width}px wide in {inner_width}px)")
    problems += [f"{what}: {p}" for p in page.evaluate(CUT_OFF_TEXT)]
    return problems


@pytest.mark.parametrize(("page_type", "lang"), page_cases())
def test_reflow(open_visit: Callable[..., Visit], page_type: PageType, lang: str) -> None:
    shown = open_visit(page_type, lang)  # 360×740
    page = shown.page
    problems = reflow_problems(page, "at 360 px")
    if lang in SCREENSHOT_LANGUAGES:
        screenshot(page, f"a11y-{lang}-{page_type.name}-360")
    page.set_viewport_size(NARROW)
    problems += reflow_problems(page, "at 320 px")
    page.set_viewport_size(PHONE)
    spacing = page.evaluate(TEXT_SPACING)
    assert spacing != "normal", "the text-spacing style sheet was not applied"
    problems += reflow_problems(page, "at 360 px with WCAG 1.4.12 text spacing")
    shown.finish()

    zoomed = open_visit(page_type, lang, viewport=ZOOMED, scale=2)
    problems += reflow_problems(zoomed.page, "at 1280 px zoomed to 200 %")
    zoomed.finish()
    assert not problems, report(page, page_type, lang, problems)


# -- without JavaScript -------------------------------------------------------------------

FORMS = """() => [...document.querySelectorAll('form')].map(f => ({
  html: f.outerHTML.slice(0, 160),
  method: f.getAttribute('method'),
  action: f.getAttribute('action'),
  resolved: f.action,
  hx: f.getAttribute('hx-post') ? ['post', f.getAttribute('hx-post')]
    : f.getAttribute('hx-get') ? ['get', f.getAttribute('hx-get')] : null,
  submit: !!f.querySelector('button:not([type]), button[type=submit], input[type=submit]'),
}))"""


def form_problems(form: dict[str, Any], origin: str) -> list[str]:
    problems = []
    method = (form["method"] or "").lower()
    action = form["action"] or ""
    if method not in ("get", "post"):
        problems.append(f"no method=get|post: {form['html']}")
    if not action or action.startswith(("#", "javascript:")):
        problems.append(f"no real action: {form['html']}")
    elif not form["resolved"].startswith(origin + "/"):
        problems.append(f"the action leaves the site ({form['resolved']}): {form['html']}")
    if form["hx"] and (form["hx"][0] != method or form["hx"][1] != action.split("#")[0]):
        problems.append(f"htmx and the plain form disagree ({form['hx']}): {form['html']}")
    if not form["submit"]:
        problems.append(f"no submit button: {form['html']}")
    return problems


@pytest.mark.parametrize(("page_type", "lang"), page_cases())
def test_without_javascript(
    open_visit: Callable[..., Visit], page_type: PageType, lang: str
) -> None:
    shown = open_visit(page_type, lang, javascript=False)
    page = shown.page
    assert page.evaluate("() => typeof htmx") == "undefined", "JavaScript is not off"
    problems: list[str] = []
    if page.evaluate("() => document.documentElement.lang") != lang:
        problems.append("wrong <html lang>")
    if page.locator("main h1").count() != 1:
        problems.append("no h1 in main")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    for form in page.evaluate(FORMS):
        problems += form_problems(form, origin)
    if page_type.form and page.locator(f"form:has({page_type.form})").count() != 1:
        problems.append(f"the page's form (with {page_type.form}) is missing")
    if page_type.submit_empty and not page.locator("main [role=alert] a[href^='#']").count():
        problems.append("no error summary with links after sending the empty form")
    assert not problems, report(page, page_type, lang, problems)
    shown.finish()


# -- page weight ----------------------------------------------------------------------------


@dataclass
class Traffic:
    """The requests of one page, in the order they started."""

    started: list[Request] = field(default_factory=list)
    done: list[Request] = field(default_factory=list)
    failed: list[Request] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        # Each load a first load: the page with errors is the second page of its context.
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.on("request", lambda r: self.started.append(r))
        page.on("requestfinished", lambda r: self.done.append(r))
        page.on("requestfailed", lambda r: self.failed.append(r))

    def settle(self, page: Page) -> None:
        """Wait until the icon is fetched (Chromium asks after `load`) and nothing is open."""
        icons = page.eval_on_selector_all('link[rel~="icon"]', "links => links.map(l => l.href)")
        for _ in range(150):
            ended = {r.url for r in self.done + self.failed}
            waiting = [r for r in self.started if r not in self.done and r not in self.failed]
            if not waiting and all(icon in ended for icon in icons):
                return
            page.wait_for_timeout(20)

    def last_load(self, page: Page) -> list[Request]:
        """The requests from the last navigation of the page on."""
        documents = [
            n
            for n, r in enumerate(self.started)
            if r.resource_type == "document" and r.frame == page.main_frame
        ]
        return self.started[documents[-1] :]


@pytest.mark.parametrize(("page_type", "lang"), page_cases())
def test_page_weight(new_context: NewContext, site: Site, page_type: PageType, lang: str) -> None:
    """The first load in a fresh context, as gzip goes over the wire (Chromium asks for it)."""
    context = new_context(language=lang, storage_state=site.state(page_type.role))
    page = open_page(context)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if leaves_machine(r.url) else None)
    traffic = Traffic()
    traffic.watch(page)
    shown = visit(page, page_type, lang, site, outside)
    traffic.settle(page)

    rows, problems, total = [], [], 0
    for request in traffic.last_load(page):
        if request in traffic.failed:
            problems.append(f"request failed: {request.url}: {request.failure}")
            continue
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        response = request.response()
        encoding = response.headers.get("content-encoding", "-") if response else "?"
        rows.append(f"{size:>8,}  {encoding:<5} {request.url}")
    PAGE_WEIGHTS[(page_type.name, lang)] = total
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weight.txt").write_text(weight_table(), encoding="utf-8")
    print(f"\n{page_type.name} {lang}: {total:,} bytes\n" + "\n".join(rows))

    if total > WEIGHT_BUDGET:
        problems.append(f"{total:,} bytes on first load, over the {WEIGHT_BUDGET:,} budget")
    assert not problems, report(page, page_type, lang, [*problems, *rows])
    shown.finish()
