"""The site with the keyboard alone: no mouse, only Tab, Shift+Tab, Enter and Space (and the
arrow keys to choose in a drop-down list, as anybody using a keyboard does).

- a journey with JavaScript: the skip link, signing in, an idea form sent empty (focus on the
  error summary, errors tied to their fields), posting the idea, a comment sent with Enter and
  a support given with Space (announced in #announcer, focus kept where it belongs);
- every element that gets focus shows a focus indicator;
- the Tab order on an idea page follows the visual order, left to right in German and right
  to left in Arabic;
- the Arabic page mirrors the German one: skip link and brand at the right, breadcrumbs from
  right to left.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.browser.conftest import PHONE, assert_no_page_errors, open_page, screenshot
from tests.browser.pages import Site
from tests.conftest import Person

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
NOT_EMPTY = re.compile(r"\S")
SIZES = {"360": PHONE, "1280": {"width": 1280, "height": 800}}
UP_TOLERANCE = 4  # px a later Tab stop may start above the one before (baseline alignment)

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'),
    role: e.getAttribute('role'), cls: e.getAttribute('class') || '',
    text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50),
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    shadow: s.boxShadow,
    x: r.left + scrollX, right: r.right + scrollX, y: r.top + scrollY,
    width: r.width, height: r.height,
    inMain: !!e.closest('main'), inFooter: !!e.closest('footer'),
  };
}"""


def name(focus: dict[str, Any] | None) -> str:
    if not focus:
        return "nothing"
    label = focus["tag"] + (f"#{focus['id']}" if focus["id"] else "")
    label += f"[href={focus['href']}]" if focus["href"] else ""
    return f"{label} {focus['text']!r}"


class Keyboard:
    """Presses keys and remembers every element that got focus."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[dict[str, Any]] = []

    def focus(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.page.evaluate(FOCUS)
        return found

    def record(self) -> dict[str, Any] | None:
        found = self.focus()
        if found:
            self.seen.append({**found, "url": self.page.url})
        return found

    def press(self, key: str) -> dict[str, Any] | None:
        self.page.keyboard.press(key)
        return self.record()

    def on(self, selector: str) -> bool:
        return bool(
            self.page.evaluate(
                "s => !!document.activeElement && document.activeElement.matches(s)", selector
            )
        )

    def tab_to(self, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
        """Press Tab (or Shift+Tab) until the element matching `selector` has focus."""
        path: list[str] = []
        for _ in range(limit):
            if self.on(selector):
                return
            path.append(name(self.press("Shift+Tab" if backwards else "Tab")))
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}; went {path}")

    def follow(self, key: str = "Enter") -> Response | None:
        """Press the key on a link or submit button and wait for the next page."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        response = navigation.value
        self.record()
        return response

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def has_indicator(focus: dict[str, Any]) -> bool:
    outline = focus["outline"] != "none" and focus["outlineWidth"] > 0
    return outline or focus["shadow"] not in ("", "none")


def focus_problems(seen: list[dict[str, Any]]) -> list[str]:
    """Elements that had focus without a visible indicator (main, the skip link's target that
    nobody operates, is left out: it is focused only so that reading starts there)."""
    problems = []
    for focus in seen:
        if focus["tag"] == "main":
            continue
        if not has_indicator(focus):
            problems.append(
                f"{name(focus)} on {focus['url']}: outline-style {focus['outline']} "
                f"{focus['outlineWidth']}px, box-shadow {focus['shadow']}"
            )
    return sorted(set(problems))


# -- the journey ----------------------------------------------------------------------------


def test_keyboard_only_journey(new_context: NewContext, make_user: Callable[..., Person]) -> None:
    person = make_user(member_of={"mehringplatz": ["resident"]})
    page = open_page(new_context(language="de"))
    keys = Keyboard(page)
    page.goto("/de/")

    # The skip link is the first Tab stop, and Enter moves focus to <main>.
    skip = keys.press("Tab")
    assert skip and skip["href"] == "#main", f"the first Tab stop is {name(skip)}"
    assert skip["y"] >= 0, "the focused skip link is not on the screen"
    keys.press("Enter")
    assert (keys.focus() or {}).get("id") == "main", "the skip link does not move focus to main"

    # Sign in: back up into the header with Shift+Tab, then the form.
    keys.tab_to('header a[href="/de/signin"]', backwards=True)
    keys.follow()
    expect(page).to_have_url(re.compile(r"/de/signin$"))
    keys.tab_to("#email")
    keys.type(person.email)
    assert (keys.press("Tab") or {}).get("id") == "password", "Tab from e-mail skips password"
    keys.type(person.password)
    keys.tab_to("main form:has(#password) [type=submit]")
    keys.follow()
    expect(page).to_have_url(re.compile(r"/de/$"))

    # To the new-idea form of Mehringplatz.
    keys.tab_to('main a[href="/de/areas/mehringplatz"]')
    keys.follow()
    keys.tab_to('main a[href="/de/areas/mehringplatz/ideas/new"]')
    keys.follow()
    expect(page).to_have_url(re.compile(r"/de/areas/mehringplatz/ideas/new$"))

    # Sent empty: focus lands on the error summary, whose links lead to the fields.
    keys.tab_to("main form:has(#title) [type=submit]")
    answer = keys.follow()
    assert answer is not None and answer.status == 422
    summary = keys.focus()
    assert summary and summary["role"] == "alert", f"focus is on {name(summary)}, not the summary"
    links = page.locator("main [role=alert] a[href^='#']")
    targets: list[str] = links.evaluate_all("ls => ls.map(l => l.getAttribute('href').slice(1))")
    assert {"title", "body", "field"} <= set(targets), f"error summary links to {targets}"
    for index, target in enumerate(targets):
        field = page.locator(f"[id='{target}']")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"[id='{i}']").inner_text().strip() for i in described]
        link_text = links.nth(index).inner_text()
        assert any(m and m in link_text for m in messages), (
            f"#{target}: aria-describedby={described} names no element with its error "
            f"({link_text!r}); texts: {messages}"
        )
    first_link = keys.press("Tab")
    assert first_link and first_link["href"] == f"#{targets[0]}", (
        f"Tab from the summary goes to {name(first_link)}, not its first link"
    )
    keys.press("Enter")
    assert (keys.focus() or {}).get("id") == targets[0], "the error link does not focus its field"

    # Fill in the form with the keyboard and post the idea.
    title = f"Trinkbrunnen am Platz {uuid.uuid4().hex[:6]}"
    keys.tab_to("#title")
    keys.type(title)
    keys.tab_to("#body")
    keys.type("Im Sommer fehlt am Mehringplatz Trinkwasser für alle, die dort sitzen.")
    keys.tab_to("#field")
    for _ in range(3):
        if page.locator("#field").input_value():
            break
        page.keyboard.press("ArrowDown")
    assert page.locator("#field").input_value(), "the arrow keys do not choose a field of action"
    keys.tab_to("main form:has(#title) [type=submit]")
    keys.follow()
    expect(page).to_have_url(re.compile(r"/de/ideas/\d+$"))
    match = re.search(r"/ideas/(\d+)$", page.url)
    assert match
    idea_id = match.group(1)
    expect(page.locator("main h1")).to_have_text(title)

    # Comment: Tab to the text area, type, Enter on the button. The comment is announced and
    # gets focus.
    comment_text = f"Ja, bitte mit Becherhalter {uuid.uuid4().hex[:6]}"
    keys.tab_to("#comment-body")
    keys.type(comment_text)
    keys.tab_to("#comments form:has(#comment-body) [type=submit]")
    page.keyboard.press("Enter")
    comment = page.locator("#comments .comment").filter(has_text=comment_text)
    expect(comment).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(NOT_EMPTY)
    expect(page).to_have_url(re.compile(rf"/de/ideas/{idea_id}$"))
    keys.record()

    # Support with Space: the count changes, it is announced, focus stays on the button.
    announced_before = page.locator("#announcer").inner_text()
    keys.tab_to(f"#support-{idea_id} [type=submit]", backwards=True)
    page.keyboard.press("Space")
    expect(page.locator(f"#support-{idea_id}-count strong")).to_have_text("1")
    announcer = page.locator("#announcer")
    expect(announcer).not_to_have_text(announced_before)
    expect(announcer).to_contain_text("1")
    expect(page.locator(f"#support-{idea_id} [type=submit]")).to_be_focused()
    expect(page.locator(f"#support-{idea_id} input[name=support]")).to_have_value("0")
    keys.record()

    screenshot(page, "de-keyboard-journey")
    problems = focus_problems(keys.seen)
    assert not problems, "focused without a visible focus indicator:\n- " + "\n- ".join(problems)
    assert_no_page_errors(page, expected_status=422)  # the form sent empty


# -- tab order and the mirrored layout ----------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_tab_order_follows_the_visual_order(
    new_context: NewContext, site: Site, lang: str, size: str
) -> None:
    """On an idea page with comments, replies and forms (seen by a member who commented)."""
    context = new_context(language=lang, storage_state=site.state("author"), viewport=SIZES[size])
    page = open_page(context)
    page.goto(f"/{lang}/ideas/{site.ids['discussed_idea']}")
    keys = Keyboard(page)
    stops: list[dict[str, Any]] = []
    for _ in range(200):
        focus = keys.press("Tab")
        if focus is None or focus["inFooter"]:
            break
        if focus["inMain"]:
            stops.append(focus)
    assert len(stops) >= 10, f"only {len(stops)} Tab stops in main: {[name(s) for s in stops]}"

    rtl = lang == "ar"
    problems = []
    for before, after in pairwise(stops):
        if after["y"] < before["y"] - UP_TOLERANCE:
            problems.append(
                f"{name(after)} (y {after['y']:.0f}) comes after {name(before)} "
                f"(y {before['y']:.0f}) but stands above it"
            )
        same_line = abs(after["y"] - before["y"]) <= UP_TOLERANCE
        if same_line and (after["right"] > before["right"] if rtl else after["x"] < before["x"]):
            problems.append(
                f"{name(after)} comes after {name(before)} on the same line but stands "
                f"{'right' if rtl else 'left'} of it"
            )
    problems += focus_problems(keys.seen)
    assert not problems, f"{page.url} at {size} px:\n- " + "\n- ".join(problems)
    assert_no_page_errors(page)


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return {**found, "right": found["x"] + found["width"]}


CONTENT_EDGES = """() => {
  const main = document.querySelector('main');
  const r = main.getBoundingClientRect(), s = getComputedStyle(main);
  return [r.left + parseFloat(s.paddingLeft), r.right - parseFloat(s.paddingRight), innerWidth];
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_arabic_mirrors_the_layout(
    new_context: NewContext, site: Site, lang: str, size: str
) -> None:
    page = open_page(new_context(language=lang, viewport=SIZES[size]))
    page.goto(f"/{lang}/ideas/{site.ids['discussed_idea']}")
    left, right, width = page.evaluate(CONTENT_EDGES)
    rtl = lang == "ar"
    problems = []

    page.keyboard.press("Tab")
    skip = box(page, "a[href='#main']")
    if rtl and not (skip["right"] >= width - 24 and skip["x"] + skip["width"] / 2 > width / 2):
        problems.append(f"the skip link is not at the right edge: {skip} of {width}px")
    if not rtl and not skip["x"] <= 24:
        problems.append(f"the skip link is not at the left edge: {skip}")

    brand = box(page, f"header a[href='/{lang}/']")
    if rtl and not abs(brand["right"] - right) <= 2:
        problems.append(f"the brand ends at {brand['right']:.0f}px, the content at {right:.0f}px")
    if not rtl and not abs(brand["x"] - left) <= 2:
        problems.append(f"the brand starts at {brand['x']:.0f}px, the content at {left:.0f}px")

    crumbs = page.locator(".breadcrumbs li")
    boxes = [box(page, f".breadcrumbs li >> nth={n}") for n in range(crumbs.count())]
    assert len(boxes) >= 3, "the idea page has no breadcrumbs"
    start = boxes[0]["right"] if rtl else boxes[0]["x"]
    if abs(start - (right if rtl else left)) > 2:
        problems.append(f"the breadcrumbs start at {start:.0f}px, not at the content's start")
    for before, after in pairwise(boxes):
        if abs(after["y"] - before["y"]) > UP_TOLERANCE:
            continue  # the next line of the breadcrumbs
        if rtl and not after["right"] <= before["x"] + 1:
            problems.append(f"breadcrumb at x {after['x']:.0f} is not left of {before['x']:.0f}")
        if not rtl and not after["x"] >= before["right"] - 1:
            problems.append(f"breadcrumb at x {after['x']:.0f} is not right of {before['x']:.0f}")
    screenshot(page, f"{lang}-mirroring-{size}")
    assert not problems, f"{page.url} at {size} px:\n- " + "\n- ".join(problems)
    assert_no_page_errors(page)
