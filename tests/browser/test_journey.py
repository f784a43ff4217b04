"""A person's way through the site in a real browser, with and without JavaScript.

Elements are found by their ids, names and link targets rather than by their wording, so the
tests hold while translations change. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import (
    assert_no_horizontal_scrolling,
    assert_no_page_errors,
    open_page,
    screenshot,
)
from tests.conftest import PASSWORD, Mailbox

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
NOT_EMPTY = re.compile(r"\S")
MARKER = "() => { window.__noNavigation = 'still the same document'; }"
READ_MARKER = "() => window.__noNavigation || null"


def set_marker(page: Page) -> None:
    """Mark the current document; a full navigation would wipe the mark."""
    page.evaluate(MARKER)


def assert_same_document(page: Page, url: str) -> None:
    assert page.evaluate(READ_MARKER) == "still the same document", "the page was reloaded"
    assert page.url == url


def arrive(page: Page, url: str | re.Pattern[str]) -> None:
    """Wait for the address, then make sure nothing failed on the way (5xx, script errors)."""
    expect(page).to_have_url(url)
    assert_no_page_errors(page)


def type_into_labelled(page: Page, field_id: str, value: str) -> None:
    """Find the field through its <label>, whatever the label says, and type into it."""
    label = page.locator(f'label[for="{field_id}"]').inner_text().strip()
    assert label, f"#{field_id} has an empty label"
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_id(field_id)
    field.press_sequentially(value)


def submit_button(page: Page, field_selector: str) -> Locator:
    """The submit button of the form that holds the field."""
    return page.locator(f"main form:has({field_selector}) button[type=submit]")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_sign_up_join_post_comment_and_support(
    new_context: NewContext,
    javascript: bool,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    page = open_page(new_context(language="de", javascript=javascript))
    page.goto("/de/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # Sign up through the link in the header.
    page.locator('header .account-nav a[href="/de/signup"]').click()
    arrive(page, re.compile(r"/de/signup$"))
    email = f"journey-{uuid.uuid4().hex}@example.org"
    name = f"Journey {uuid.uuid4().hex[:8]}"
    type_into_labelled(page, "email", email)
    type_into_labelled(page, "display_name", name)
    type_into_labelled(page, "password", PASSWORD)
    submit_button(page, "#email").click()
    arrive(page, re.compile(r"/de/signup$"))
    expect(page.locator("main")).to_contain_text(email)  # "please look in your mailbox"

    # Confirm the address with the link from the mail, delivered by the mail worker, then sign in.
    deliver_mail()
    (mail,) = smtp_server.to(email)
    found = re.search(r"https?://[^/\s]+(/de/verify/\S+)", mail.get_body(("plain",)).get_content())
    assert found, "no confirmation link in the mail"
    page.goto(found.group(1))
    arrive(page, re.compile(r"/de/signin\?"))
    expect(page.locator("#email")).to_have_value(email)
    type_into_labelled(page, "password", PASSWORD)
    submit_button(page, "#password").click()
    arrive(page, re.compile(r"/de/$"))
    expect(page.locator("header .account-nav")).to_contain_text(name)

    # From the home page to Mehringplatz, and join it as a resident.
    page.locator("header a.brand").click()
    arrive(page, re.compile(r"/de/$"))
    page.locator('.cards a[href="/de/areas/mehringplatz"]').click()
    arrive(page, re.compile(r"/de/areas/mehringplatz$"))
    page.locator('main .actions a[href="/de/areas/mehringplatz/join"]').click()
    arrive(page, re.compile(r"/de/areas/mehringplatz/join$"))
    page.locator("#role-resident").check()
    submit_button(page, "#role-resident").click()
    arrive(page, re.compile(r"/de/areas/mehringplatz$"))
    expect(page.locator(".flash")).to_be_visible()

    # Post an idea.
    page.locator('main .actions a[href="/de/areas/mehringplatz/ideas/new"]').click()
    arrive(page, re.compile(r"/de/areas/mehringplatz/ideas/new$"))
    title = f"Mehr Bänke am Platz {uuid.uuid4().hex[:6]}"
    page.locator("#title").fill(title)
    page.locator("#body").fill(
        "Am Mehringplatz fehlen Sitzplätze im Schatten, vor allem für Ältere."
    )
    first_field = page.locator('#field option:not([value=""])').first.get_attribute("value")
    assert first_field
    page.locator("#field").select_option(first_field)
    submit_button(page, "#title").click()
    arrive(page, re.compile(r"/de/ideas/\d+$"))
    expect(page.locator("#idea-title")).to_have_text(title)
    idea_url = page.url
    match = re.search(r"/ideas/(\d+)$", idea_url)
    assert match
    idea_id = match.group(1)

    # Comment on it.
    comment_text = f"Gute Idee, gerne auch mit Trinkbrunnen {uuid.uuid4().hex[:6]}"
    comment = page.locator("#comments .comment").filter(has_text=comment_text)
    if javascript:
        set_marker(page)
    page.locator("#comment-body").fill(comment_text)
    submit_button(page, "#comment-body").click()
    if javascript:
        expect(comment).to_be_visible()
        assert_same_document(page, idea_url)
        expect(page.locator("#announcer")).to_have_text(NOT_EMPTY)
        expect(comment).to_be_focused()
        expect(page.locator("#comment-body")).to_have_value("")
    else:
        arrive(page, re.compile(rf"/de/ideas/{idea_id}#comment-\d+$"))
        expect(comment).to_be_visible()
        expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("1")

    # A second comment joins the list (with JavaScript, only the new thread comes back).
    second_text = f"Und Schatten für die Bänke {uuid.uuid4().hex[:6]}"
    second = page.locator("#comment-list > li .comment").filter(has_text=second_text)
    page.locator("#comment-body").fill(second_text)
    submit_button(page, "#comment-body").click()
    if javascript:
        expect(second).to_be_visible()
        assert_same_document(page, idea_url)
        expect(second).to_be_focused()
        expect(page.locator("#comment-body")).to_have_value("")
    else:
        arrive(page, re.compile(rf"/de/ideas/{idea_id}#comment-\d+$"))
        expect(second).to_be_visible()
    expect(page.locator("#comment-list > li")).to_have_count(2)
    expect(page.locator("#comments-heading")).to_contain_text("2")

    # Support it, from the keyboard.
    support = page.locator(f"#support-{idea_id}")
    expect(support.locator(f"#support-{idea_id}-count strong")).to_have_text("0")
    expect(support.locator('input[name="support"]')).to_have_value("1")
    support.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(support.locator(f"#support-{idea_id}-count strong")).to_have_text("1")
    # The button now offers to withdraw the support.
    expect(support.locator('input[name="support"]')).to_have_value("0")
    button = support.locator("button[type=submit]")
    expect(button).to_have_class(re.compile(r"\bbutton--secondary\b"))
    if javascript:
        assert_same_document(page, idea_url)
        expect(button).to_be_focused()
        assert page.evaluate(
            f"() => document.activeElement === document.querySelector('#support-{idea_id} button')"
        )
        expect(page.locator("#announcer")).to_contain_text("1")
    else:
        arrive(page, idea_url)
        expect(page.locator(".flash")).to_be_visible()

    assert_no_horizontal_scrolling(page)
    screenshot(page, f"de-journey-{'js' if javascript else 'nojs'}")
    assert_no_page_errors(page)


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return {**found, "right": found["x"] + found["width"]}


def test_arabic_pages_are_right_to_left(new_context: NewContext) -> None:
    german = open_page(new_context(language="de"))
    german.goto("/de/")
    expect(german.locator("html")).to_have_attribute("dir", "ltr")
    assert box(german.locator("header a.brand"))["x"] <= 20, "German brand not at the left"
    assert_no_horizontal_scrolling(german)
    screenshot(german, "de-home")
    german.goto("/de/areas/mehringplatz/ideas")
    screenshot(german, "de-ideas")

    page = open_page(new_context(language="ar"))
    page.goto("/ar/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"

    # The header starts at the right: its first child is the brand, flush with the right edge.
    width = page.evaluate("() => window.innerWidth")
    first_child = page.evaluate(
        "() => document.querySelector('.site-header__inner').firstElementChild.className"
    )
    assert first_child == "brand"
    brand = box(page.locator("header a.brand"))
    assert brand["right"] >= width - 20, f"brand ends at {brand['right']}px of {width}px"
    switcher = box(page.locator("header .language-nav"))
    if abs(brand["y"] - switcher["y"]) < 5:  # on one line: the switcher is left of the brand
        assert brand["x"] > switcher["x"]
    assert_no_horizontal_scrolling(page)
    screenshot(page, "ar-home")

    # An idea list: breadcrumbs run from right to left, fields fill the line from the right.
    page.goto("/ar/areas/mehringplatz/ideas")
    crumbs = page.locator(".breadcrumbs li")
    first_crumb, second_crumb = box(crumbs.nth(0)), box(crumbs.nth(1))
    if abs(first_crumb["y"] - second_crumb["y"]) < 5:
        assert first_crumb["x"] > second_crumb["x"], "breadcrumbs are not mirrored"
    heading = page.locator("main h1")
    assert heading.evaluate("element => getComputedStyle(element).direction") == "rtl"
    label = box(page.locator('label[for="filter-sort"]'))
    select = box(page.locator("#filter-sort"))
    assert abs(label["right"] - select["right"]) < 4, "the label is not above its field's start"
    assert_no_horizontal_scrolling(page)
    screenshot(page, "ar-ideas")

    # An idea page and the sign-up form, for the eye.
    page.locator("#results .idea-card h3 a").first.click()
    arrive(page, re.compile(r"/ar/ideas/\d+$"))
    assert_no_horizontal_scrolling(page)
    screenshot(page, "ar-idea")
    page.goto("/ar/signup")
    email = box(page.locator("#email"))
    assert email["right"] >= width - 20
    assert_no_horizontal_scrolling(page)
    screenshot(page, "ar-signup")

    assert_no_page_errors(german)
    assert_no_page_errors(page)


def test_sorting_ideas_updates_the_results_in_place(new_context: NewContext) -> None:
    page = open_page(new_context(language="de"))
    page.goto("/de/areas/mehringplatz/ideas")
    expect(page.locator("#results .idea-card").first).to_be_visible()
    set_marker(page)

    with page.expect_request(
        lambda request: (
            "sort=supported" in request.url and request.headers.get("hx-request") == "true"
        )
    ):
        page.locator("#filter-sort").select_option("supported")
    expect(page).to_have_url(re.compile(r"[?&]sort=supported(&|$)"))
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.evaluate(READ_MARKER) == "still the same document", "the page was reloaded"
    expect(page.locator("#announcer")).to_have_text(NOT_EMPTY)
    expect(page.locator("#filter-sort")).to_have_value("supported")

    # The order on the page, checked against the support counts of the open-data API.
    api = page.request.get("/api/areas/mehringplatz/ideas?per_page=100")
    assert api.ok
    supports = {idea["id"]: idea["supports"] for idea in api.json()["ideas"]}
    shown = page.locator("#results .idea-card article").evaluate_all(
        "articles => articles.map(a => Number(a.getAttribute('aria-labelledby').split('-')[1]))"
    )
    counts = [supports[idea_id] for idea_id in shown]
    assert counts, "no ideas after sorting"
    assert counts == sorted(counts, reverse=True), f"not sorted by support: {counts}"
    assert_no_horizontal_scrolling(page)
    assert_no_page_errors(page)
