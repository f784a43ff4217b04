"""The one list of page types that the accessibility tests visit.

Adding a kind of page to the site means adding one `PageType` to `PAGES`: the accessibility
checks (axe-core, reflow, structure, without JavaScript, page weight, screenshots) then run on
it in every language and at every size. A page type names its address (with `{lang}` and, where
it needs one, an id made by `build_site`), who looks at it, and what status it answers with.

`build_site` makes what the pages need once per run: an idea with comments and a reply (from
the demo data, found through the open-data API), people in each role signed in through the real
sign-in form, a fresh idea and a comment by its author. The signed-in state of each role is kept
as Playwright storage state, so every test opens a fresh context without signing in again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, TIMEOUT_MS, assert_no_page_errors, open_page
from tests.conftest import Person

Role = Literal["anonymous", "signed-in", "member", "author", "manager", "admin"]
"""Who looks at the page: nobody signed in; an account without an area; a member of
Mehringplatz; a member of Mehringplatz who wrote `own_idea` (not yet reacted to, so still
editable) and `own_comment` (on `discussed_idea`); a quarter manager of Mehringplatz; an
administrator of the district office."""

LANGUAGES = ["de", "tr", "ar"]
"""The interface languages every page is checked in: German, Turkish and Arabic (right to left)."""

DIRECTION = {"de": "ltr", "en": "ltr", "tr": "ltr", "ar": "rtl"}


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    """Address template: `{lang}` and the ids of `Site.ids` (discussed_idea, own_idea,
    own_comment, member_id) are filled in."""
    role: Role = "anonymous"
    status: int = 200
    """The HTTP status of the page as shown (after `submit_empty`, of the answer to it)."""
    form: str | None = None
    """A field of the page's main form (a CSS selector): the form must work without JavaScript."""
    submit_empty: bool = False
    """Send the form holding `form` without filling anything in, and check the page that comes
    back (the form with its validation errors)."""

    def url(self, lang: str, site: Site) -> str:
        return self.path.format(lang=lang, **site.ids)


PAGES: list[PageType] = [
    PageType("home", "/{lang}/"),
    PageType("area-active", "/{lang}/areas/mehringplatz"),
    PageType("area-consolidation", "/{lang}/areas/mariannenplatz"),
    PageType("idea-list", "/{lang}/areas/mehringplatz/ideas", form="#filter-sort"),
    PageType("idea", "/{lang}/ideas/{discussed_idea}"),
    # The same idea for a member who commented on it: support button, comment and reply forms.
    PageType("idea-signed-in", "/{lang}/ideas/{discussed_idea}", "author", form="#comment-body"),
    PageType("idea-new", "/{lang}/areas/mehringplatz/ideas/new", "member", form="#title"),
    PageType("idea-edit", "/{lang}/ideas/{own_idea}/edit", "author", form="#title"),
    PageType("comment-edit", "/{lang}/comments/{own_comment}/edit", "author", form="#body"),
    PageType("signup", "/{lang}/signup", form="#email"),
    PageType("signin", "/{lang}/signin", form="#email"),
    PageType("profile", "/{lang}/profile", "member", form="#display_name"),
    PageType("join", "/{lang}/areas/mehringplatz/join", "signed-in", form="#role-resident"),
    PageType("accessibility", "/{lang}/accessibility", form="#message"),
    PageType("easy-read", "/{lang}/easy-read"),
    PageType("privacy", "/{lang}/privacy"),
    PageType("imprint", "/{lang}/imprint"),
    PageType("forgot-password", "/{lang}/password/forgot", form="#email"),
    PageType("broken-link", "/{lang}/password/reset/not-a-real-token", status=400),
    PageType("change-email", "/{lang}/profile/email", "member", form="#email"),
    PageType("change-password", "/{lang}/profile/password", "member", form="#current_password"),
    PageType("delete-account", "/{lang}/profile/delete", "member", form="#password"),
    PageType("enter-code", "/{lang}/areas/mehringplatz/verify", "member", form="#code"),
    PageType("members", "/{lang}/areas/mehringplatz/manage/members", "manager"),
    PageType("codes", "/{lang}/areas/mehringplatz/manage/codes", "manager", form="#count"),
    PageType("admin-managers", "/{lang}/admin/managers", "admin", form="#email-mehringplatz"),
    PageType("not-found", "/{lang}/no-such-page", status=404),
    PageType("form-errors", "/{lang}/signup", status=422, form="#email", submit_empty=True),
    PageType(
        "moderation-log",
        "/{lang}/areas/mehringplatz/moderation/log",
        "manager",
        form="#filter-action",
    ),
    PageType("moderation-statistics", "/{lang}/areas/mehringplatz/moderation/statistics"),
    PageType("answer", "/{lang}/ideas/{discussed_idea}/answer", "manager", form="#body"),
    PageType("intake", "/{lang}/areas/mehringplatz/ideas/intake", "manager", form="#title"),
    PageType(
        "moderation-settings",
        "/{lang}/areas/mehringplatz/moderation/settings",
        "manager",
        form="#premoderated",
    ),
    PageType(
        "moderation-person",
        "/{lang}/areas/mehringplatz/moderation/people/{member_id}",
        "manager",
        form="#reason",
    ),
    # A member of Mehringplatz reports the author's comment (not their own).
    PageType("report", "/{lang}/report/comment/{own_comment}", "member", form="#reason-spam"),
    # The demo data puts reported, hidden and reviewed comments into Mehringplatz's queue.
    PageType("moderation-queue", "/{lang}/areas/mehringplatz/moderation", "manager", form="#sort"),
    PageType("moderation-hidden", "/{lang}/areas/mehringplatz/moderation?view=hidden", "manager"),
    PageType("moderation-overview", "/{lang}/moderation", "manager"),
    PageType(
        "moderation-item",
        "/{lang}/areas/mehringplatz/moderation/comment/{own_comment}",
        "manager",
        form="select[name=category]",
    ),
    PageType(
        "moderation-redact",
        "/{lang}/areas/mehringplatz/moderation/comment/{own_comment}/redact",
        "manager",
        form="#reason",
    ),
    # The IHEK: the demo data's Mehringplatz votes now.
    PageType("concept", "/{lang}/areas/mehringplatz/concept"),
    PageType("concept-member", "/{lang}/areas/mehringplatz/concept", "member"),
    PageType("proposal", "/{lang}/proposals/{proposal}"),
    PageType("proposal-vote", "/{lang}/proposals/{proposal}", "member", form="[name=choice]"),
    PageType("results", "/{lang}/areas/zentrum-kreuzberg/concept/results"),
    PageType("process", "/{lang}/areas/mehringplatz/concept/process", "manager"),
    PageType("concept-new", "/{lang}/areas/mehringplatz/concepts/new", "manager"),
    PageType("concept-edit", "/{lang}/concepts/{concept}/edit", "manager"),
    PageType("proposal-new", "/{lang}/concepts/{concept}/proposals/new", "manager"),
    PageType("proposal-edit", "/{lang}/proposals/{proposal}/edit", "manager"),
    PageType("progress", "/{lang}/proposals/{proposal}/progress", "manager"),
]

assert len({p.name for p in PAGES}) == len(PAGES), "page type names must be unique"


# -- what the pages need ------------------------------------------------------------------


@dataclass
class Site:
    """Ids for the page addresses and the signed-in storage state of each role."""

    ids: dict[str, int] = field(default_factory=dict)
    states: dict[Role, Any] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    """Text written by people, with the language it was written in (to check its `lang`)."""

    def state(self, role: Role) -> Any:
        """Playwright storage state for a new context (None: nobody signed in)."""
        return self.states.get(role)


MakeUser = Callable[..., Person]


def sign_in_through_form(page: Page, person: Person, lang: str = "de") -> None:
    """Sign in with the real form, as a person would, and land on the start page."""
    page.goto(f"/{lang}/signin")
    page.locator("#email").fill(person.email)
    page.locator("#password").fill(person.password)
    page.locator("main form:has(#password) button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def discussed_idea(page: Page) -> dict[str, Any]:
    """A demo idea at Mehringplatz with several comments and at least one reply (as the
    open-data API describes it)."""
    answer = page.request.get("/api/areas/mehringplatz/ideas?sort=discussed&per_page=20")
    assert answer.ok, f"open-data API: {answer.status}"
    candidates = [i for i in answer.json()["ideas"] if i["comments"] >= 3]
    for idea in candidates:
        page.goto(f"/de/ideas/{idea['id']}")
        if page.locator("#comments .reply-list .comment").count():
            return dict(idea)
    raise AssertionError(f"no demo idea with comments and a reply among {candidates}")


def demo_proposal(page: Page) -> tuple[int, int]:
    """A proposal of Mehringplatz's current concept (the demo data votes there now), and the
    concept's id."""
    page.goto("/de/areas/mehringplatz/concept")
    card = page.locator(".proposal-card").first.get_attribute("id") or ""
    proposal = int(card.removeprefix("proposal-"))
    page.goto(f"/de/proposals/{proposal}")
    crumb = page.locator('.breadcrumbs a[href^="/de/concepts/"]').first.get_attribute("href")
    return proposal, int((crumb or "").rsplit("/", 1)[-1])


def build_site(browser: Browser, base_url: str, make_user: MakeUser) -> Site:
    site = Site()
    people: dict[Role, Person] = {
        "signed-in": make_user(),
        "member": make_user(member_of={"mehringplatz": ["resident"]}),
        "author": make_user(member_of={"mehringplatz": ["resident"]}),
        "manager": make_user(manager_of=["mehringplatz"]),
        "admin": make_user(admin=True),
    }
    site.ids["member_id"] = people["member"].id
    for role, person in people.items():
        context = browser.new_context(base_url=base_url, viewport=PHONE, locale="de-DE")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = open_page(context)
            if "discussed_idea" not in site.ids:
                idea = discussed_idea(page)
                site.ids["discussed_idea"] = idea["id"]
                site.languages[idea["title"]] = idea["language"]
                site.ids["proposal"], site.ids["concept"] = demo_proposal(page)
            sign_in_through_form(page, person)
            if role == "author":
                site.ids["own_idea"] = post_idea(page)
                site.languages[OWN_IDEA_TITLE] = "de"
                site.ids["own_comment"] = post_comment(page, site.ids["discussed_idea"])
                site.languages[OWN_COMMENT] = "de"
            page.goto("/de/")  # shows (and so clears) any message left for the next page
            assert_no_page_errors(page)
            site.states[role] = context.storage_state()
        finally:
            context.close()
    return site


OWN_IDEA_TITLE = "Schattige Sitzplätze am Brunnen"
OWN_COMMENT = "Da stimme ich zu, gerne auch mit einem Trinkbrunnen."


def post_idea(page: Page) -> int:
    """Post an idea in German (the form's language is that of the page)."""
    page.goto("/de/areas/mehringplatz/ideas/new")
    page.locator("#title").fill(OWN_IDEA_TITLE)
    page.locator("#body").fill("Am Brunnen fehlen Bänke im Schatten, besonders für Ältere.")
    first = page.locator('#field option:not([value=""])').first.get_attribute("value")
    assert first, "the new-idea form offers no field of action"
    page.locator("#field").select_option(first)
    page.locator("main form:has(#title) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/de/ideas/\d+$"))
    match = re.search(r"/ideas/(\d+)$", page.url)
    assert match
    return int(match.group(1))


def post_comment(page: Page, idea_id: int) -> int:
    page.goto(f"/de/ideas/{idea_id}")
    page.locator("#comment-body").fill(OWN_COMMENT)
    page.locator("#comments form:has(#comment-body) button[type=submit]").click()
    edit = page.locator('#comments a[href*="/comments/"][href$="/edit"]').first
    edit.wait_for()
    match = re.search(r"/comments/(\d+)/edit$", edit.get_attribute("href") or "")
    assert match, "no edit link on the new comment"
    return int(match.group(1))


# -- page weight --------------------------------------------------------------------------

PAGE_WEIGHTS: dict[tuple[str, str], int] = {}
"""Bytes transferred for the first load of (page type, language), filled by the weight test."""


def weight_table() -> str:
    """The recorded page weights as a plain-text table, one page type a row."""
    if not PAGE_WEIGHTS:
        return ""
    names = [p.name for p in PAGES if any((p.name, lang) in PAGE_WEIGHTS for lang in LANGUAGES)]
    width = max(len(n) for n in [*names, "page type"])
    lines = [f"{'page type':<{width}}" + "".join(f"{lang:>10}" for lang in LANGUAGES)]
    for name in names:
        cells = [PAGE_WEIGHTS.get((name, lang)) for lang in LANGUAGES]
        lines.append(
            f"{name:<{width}}" + "".join(f"{c:>10,}" if c else f"{'-':>10}" for c in cells)
        )
    lines.append("(bytes transferred: response bodies as sent, gzip, plus response headers)")
    return "\n".join(lines) + "\n"
