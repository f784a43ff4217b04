"""Moderation on a phone (360×740): a member reports a comment, a quarter manager hides it from
the queue, and its author reads the reason and asks for a review; with and without JavaScript.

Elements are found by ids, names and link targets, not by wording, so the test holds while
translations change.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from participation.db import Database
from tests.browser.conftest import (
    assert_no_horizontal_scrolling,
    assert_no_page_errors,
    open_page,
    screenshot,
)
from tests.conftest import Loop, Person, Place
from tests.functional.test_moderation_queue import add_comment

pytestmark = pytest.mark.browser

NOT_EMPTY = re.compile(r"\S")
REASON = "Bitte greifen Sie Vorschläge an, nicht Menschen."


def signed_in_page(context: BrowserContext, person: Person) -> Page:
    page = open_page(context)
    page.goto("/de/signin")
    page.locator("#email").fill(person.email)
    page.locator("#password").fill(person.password)
    page.locator("main form:has(#password) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/de/$"))
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_report_hide_and_ask_for_review_on_a_phone(
    new_context: Callable[..., BrowserContext],
    javascript: bool,
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    make_idea: Callable[..., int],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    author = make_user(member_of={place.slug: ["resident"]})
    reporter = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    comment_id = add_comment(db, loop, idea_id, author, "Wer das will, soll wegziehen, du Depp.")
    comment = f"#comment-{comment_id}"

    # A member reports the comment.
    page = signed_in_page(new_context(javascript=javascript), reporter)
    page.goto(f"/de/ideas/{idea_id}")
    page.locator(f'{comment} a[href="/de/report/comment/{comment_id}"]').click()
    expect(page).to_have_url(re.compile(rf"/de/report/comment/{comment_id}$"))
    page.locator("#reason-insult").check()
    page.locator("textarea[name=text]").fill("Beschimpft andere.")
    page.locator("main form:has(#reason-insult) button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/de/ideas/{idea_id}"))
    expect(page.locator(".flash")).to_be_visible()
    assert_no_page_errors(page)

    # The manager sees the count in the navigation, opens the queue and hides the comment.
    page = signed_in_page(new_context(javascript=javascript), manager)
    nav_link = page.locator('header .account-nav a[href="/de/moderation"]')
    expect(nav_link).to_contain_text("1")
    nav_link.click()
    page.locator(f'main a[href="/de/areas/{place.slug}/moderation"]').click()
    expect(page).to_have_url(re.compile(rf"/de/areas/{place.slug}/moderation$"))
    entry = page.locator(f"#entry-comment-{comment_id}")
    expect(entry).to_contain_text("du Depp")
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"de-moderation-queue-{'js' if javascript else 'nojs'}")
    entry.locator("details.queue-entry__hide summary").first.click()
    # The reason category is preselected from the reports.
    expect(entry.locator("select[name=category]")).to_have_value("insult")
    entry.locator("textarea[name=reason]").first.fill(REASON)
    entry.locator("details.queue-entry__hide button[type=submit]").first.click()
    if javascript:
        replaced = page.locator(f"#entry-comment-{comment_id}")
        expect(replaced.locator(".flash")).to_be_visible()
        expect(page.locator("#announcer")).to_have_text(NOT_EMPTY)
        expect(replaced).to_be_focused()
        expect(page).to_have_url(re.compile(rf"/de/areas/{place.slug}/moderation$"))
    else:
        expect(page).to_have_url(re.compile(rf"/de/areas/{place.slug}/moderation$"))
        expect(page.locator(".flash")).to_be_visible()
        expect(page.locator(f"#entry-comment-{comment_id}")).to_have_count(0)
    assert_no_page_errors(page)

    # Everyone else sees a placeholder.
    anonymous = open_page(new_context(javascript=javascript))
    anonymous.goto(f"/de/ideas/{idea_id}")
    expect(anonymous.locator(comment)).not_to_contain_text("Depp")
    expect(anonymous.locator(f"{comment} .placeholder")).to_be_visible()

    # The author reads the reason on the item and asks, once, for a review.
    page = signed_in_page(new_context(javascript=javascript), author)
    page.goto(f"/de/ideas/{idea_id}")
    expect(page.locator(comment)).to_contain_text(REASON)
    page.locator(f'{comment} a[href="/de/review/comment/{comment_id}"]').click()
    expect(page).to_have_url(re.compile(rf"/de/review/comment/{comment_id}$"))
    expect(page.locator("main")).to_contain_text(REASON)
    page.locator("textarea[name=message]").fill("Das war unüberlegt, ich nehme es zurück.")
    page.locator("main form:has(textarea[name=message]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/de/ideas/{idea_id}"))
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator(f'{comment} a[href="/de/review/comment/{comment_id}"]')).to_have_count(0)
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"de-moderation-review-{'js' if javascript else 'nojs'}")
    assert_no_page_errors(page)

    # The request is back in the manager's queue.
    page = signed_in_page(new_context(javascript=javascript), manager)
    page.goto(f"/de/areas/{place.slug}/moderation")
    expect(page.locator(f"#entry-comment-{comment_id}")).to_contain_text("ich nehme es zurück")
