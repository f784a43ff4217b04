"""The query budget of the whole site: every page type, the htmx fragments of the lists, and
supporting, commenting and voting (with htmx and without) run at most BUDGET SQL statements
each (X-Query-Count), whoever asks.

The page types are those of `tests.browser.pages.PAGES`, each for the role it names (the public
ones also for a member, a manager and an administrator), over the demo data; the ids they need
are made as `build_site` makes them, here through the real forms with plain HTTP. Whether a
count stays the same as data grows is checked in `test_queries.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.browser.pages import PAGES, PageType, Role
from tests.conftest import Browser, Person, page, signed_in
from tests.functional.test_queries import BUDGET

MakeUser = Callable[..., Person]
NewClient = Callable[[], Browser]

PUBLIC_ROLES: list[Role] = ["anonymous", "member", "manager", "admin"]
"""Who looks at the pages that anybody can see."""

MORE_PAGES: list[PageType] = [
    # An idea taken into the concept: its proposals and the official answers are shown too.
    PageType("idea-accepted", "/{lang}/ideas/{accepted_idea}"),
    PageType("concept-detail", "/{lang}/concepts/{concept}"),
    PageType("idea-list-filtered", "/{lang}/areas/mehringplatz/ideas?sort=discussed&page=2"),
    PageType("results-csv", "/{lang}/areas/zentrum-kreuzberg/concept/results.csv"),
    PageType("own-idea", "/{lang}/ideas/{own_idea}", "author"),
    PageType(
        "moderation-item-idea",
        "/{lang}/areas/mehringplatz/moderation/idea/{own_idea}",
        "manager",
    ),
    PageType("moderation-log-csv", "/{lang}/areas/mehringplatz/moderation/log.csv", "manager"),
]
"""Pages and downloads that `PAGES` leaves out. Not here: the download of one's own data
(/profile/data), which reads each kind of data kept about a person with a query of its own."""


@dataclass
class Site:
    """Browsers signed in for each role, and the ids the page addresses need."""

    browsers: dict[Role, Browser]
    ids: dict[str, int] = field(default_factory=dict)

    def path(self, page_type: PageType) -> str:
        return page_type.path.format(lang="de", **self.ids)


def _id_in(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in {text!r}"
    return int(match.group(1))


def _discussed_idea(browser: Browser) -> int:
    """A demo idea at Mehringplatz with several comments and a reply (as in build_site)."""
    answer = browser.get("/api/areas/mehringplatz/ideas?sort=discussed&per_page=20")
    assert answer.status_code == 200
    for idea in answer.json()["ideas"]:
        if idea["comments"] >= 3 and page(browser.get(f"/de/ideas/{idea['id']}")).select(
            "#comments .reply-list .comment"
        ):
            return int(idea["id"])
    raise AssertionError("no demo idea with comments and a reply")


def _accepted_idea(browser: Browser) -> int:
    """A demo idea at Mehringplatz taken into the concept by a proposal."""
    answer = browser.get("/api/areas/mehringplatz/ideas?status=accepted&per_page=20")
    assert answer.status_code == 200
    for idea in answer.json()["ideas"]:
        if page(browser.get(f"/de/ideas/{idea['id']}")).select('a[href^="/de/proposals/"]'):
            return int(idea["id"])
    raise AssertionError("no accepted demo idea with a proposal")


def _first_proposal(browser: Browser, slug: str) -> int:
    card = page(browser.get(f"/de/areas/{slug}/concept")).select_one(".proposal-card")
    assert card is not None, f"no proposal on the concept page of {slug}"
    return _id_in(r"^proposal-(\d+)$", str(card["id"]))


def _post_idea(browser: Browser) -> int:
    """Post an idea at Mehringplatz through the form; return its id."""
    form = page(browser.get("/de/areas/mehringplatz/ideas/new"))
    option = form.select_one('#field option:not([value=""])')
    assert option is not None, "the new-idea form offers no field of action"
    response = browser.submit(
        "/de/areas/mehringplatz/ideas/new",
        {
            "title": "Schattige Sitzplätze am Brunnen",
            "body": "Am Brunnen fehlen Bänke im Schatten, besonders für Ältere.",
            "field": str(option["value"]),
            "language": "de",
        },
    )
    assert response.status_code == 303, response.text
    return _id_in(r"/ideas/(\d+)$", response.headers["location"])


def _post_comment(
    browser: Browser, idea_id: int, parent: int | None = None, **headers: str
) -> httpx.Response:
    data = {"body": "Da stimme ich zu, gerne auch mit einem Trinkbrunnen.", "language": "de"}
    if parent is not None:
        data["parent"] = str(parent)
    return browser.submit(
        f"/de/ideas/{idea_id}/comments", data, page_path=f"/de/ideas/{idea_id}", headers=headers
    )


@pytest.fixture
def site(make_user: MakeUser, new_client: NewClient) -> Iterator[Site]:
    both = {"mehringplatz": ["resident"], "wassertorplatz": ["resident"]}
    people: dict[Role, Person] = {
        "signed-in": make_user(),
        "member": make_user(member_of=both),  # Wassertorplatz takes comments on proposals
        "author": make_user(member_of={"mehringplatz": ["resident"]}),
        "manager": make_user(manager_of=["mehringplatz"]),
        "admin": make_user(admin=True),
    }
    browsers: dict[Role, Browser] = {"anonymous": new_client()}
    for role, person in people.items():
        browsers[role] = signed_in(new_client, person)
    built = Site(browsers)
    # Looked up with a session, so that no page is kept for visitors without one before it is
    # measured.
    finder = browsers["signed-in"]
    built.ids["member_id"] = people["member"].id
    built.ids["discussed_idea"] = _discussed_idea(finder)
    built.ids["accepted_idea"] = _accepted_idea(finder)
    built.ids["proposal"] = _first_proposal(finder, "mehringplatz")
    built.ids["consulted_proposal"] = _first_proposal(finder, "wassertorplatz")
    crumb = page(finder.get(f"/de/proposals/{built.ids['proposal']}")).select_one(
        '.breadcrumbs a[href^="/de/concepts/"]'
    )
    assert crumb is not None
    built.ids["concept"] = _id_in(r"/concepts/(\d+)$", str(crumb["href"]))
    author = browsers["author"]
    built.ids["own_idea"] = _post_idea(author)
    commented = _post_comment(author, built.ids["discussed_idea"])
    assert commented.status_code == 303, commented.text
    built.ids["own_comment"] = _id_in(r"#comment-(\d+)$", commented.headers["location"])
    author.get("/de/")  # shows the message left for the next page
    yield built


def queries(response: httpx.Response) -> int:
    return int(response.headers["x-query-count"])


def _empty_submission(browser: Browser, path: str, selector: str) -> httpx.Response:
    """Send the form that holds the field without filling anything in."""
    form_page = browser.get(path)
    element = page(form_page).select_one(selector)
    assert element is not None, (path, selector)
    form = element.find_parent("form")
    assert form is not None, (path, selector)
    token = page(form_page).select_one('input[name="csrf_token"]')
    assert token is not None
    return browser.post(str(form.get("action") or path), data={"csrf_token": token["value"]})


def over_budget(counts: dict[str, int]) -> dict[str, int]:
    """The measured answers that ran more statements than the budget allows."""
    return {name: n for name, n in counts.items() if n > BUDGET}


def test_every_page_type_stays_within_the_budget(site: Site) -> None:
    """Each page type for the role it names; the public ones for every role."""
    counts: dict[str, int] = {}
    for page_type in PAGES + MORE_PAGES:
        roles = PUBLIC_ROLES if page_type.role == "anonymous" else [page_type.role]
        for role in roles:
            browser = site.browsers[role]
            path = site.path(page_type)
            if page_type.submit_empty:
                assert page_type.form is not None
                response = _empty_submission(browser, path, page_type.form)
            else:
                response = browser.get(path)
            assert response.status_code == page_type.status, (page_type.name, role)
            counts[f"{page_type.name} ({role})"] = queries(response)

    assert not over_budget(counts), f"more than {BUDGET} queries: {over_budget(counts)}"


def test_htmx_answers_and_taking_part_stay_within_the_budget(site: Site) -> None:
    """The htmx fragments, and supporting, commenting, replying and voting with and without
    JavaScript (each one a change, so that every write happens)."""
    member, manager = site.browsers["member"], site.browsers["manager"]
    idea, proposal = site.ids["discussed_idea"], site.ids["proposal"]
    htmx = {"HX-Request": "true"}
    counts: dict[str, int] = {}

    def count(name: str, response: httpx.Response, status: int = 200) -> None:
        assert response.status_code == status, (name, response.status_code, response.text)
        counts[name] = queries(response)

    for role in ("anonymous", "member"):
        browser = site.browsers[role]
        for query in ("", "?sort=supported", "?sort=discussed&page=2"):
            response = browser.get(f"/de/areas/mehringplatz/ideas{query}", headers=htmx)
            count(f"idea list{query} htmx ({role})", response)
    response = manager.get("/de/areas/mehringplatz/moderation/log?action=hide", headers=htmx)
    count("moderation log htmx (manager)", response)

    token = member.form_token(f"/de/ideas/{idea}")
    for support, headers, status in (("1", htmx, 200), ("0", htmx, 200), ("1", {}, 303)):
        response = member.post(
            f"/de/ideas/{idea}/support",
            data={"csrf_token": token, "support": support},
            headers=headers,
        )
        count(f"support={support}{' htmx' if headers else ''}", response, status)

    count("comment", _post_comment(member, idea), 303)
    count("comment htmx", _post_comment(member, idea, **htmx))
    count("reply", _post_comment(member, idea, site.ids["own_comment"]), 303)
    count("reply htmx", _post_comment(member, idea, site.ids["own_comment"], **htmx))

    token = member.form_token(f"/de/proposals/{proposal}")
    for choice, headers, status in (("yes", htmx, 200), ("no", htmx, 200), ("abstain", {}, 303)):
        response = member.post(
            f"/de/proposals/{proposal}/vote",
            data={"csrf_token": token, "choice": choice},
            headers=headers,
        )
        count(f"vote {choice}{' htmx' if headers else ''}", response, status)

    consulted = site.ids["consulted_proposal"]
    data = {"body": "Ein Kommentar zum Vorschlag, in Ruhe.", "language": "de"}
    for headers, status in (({}, 303), (htmx, 200)):
        response = member.submit(
            f"/de/proposals/{consulted}/comments",
            data,
            page_path=f"/de/proposals/{consulted}",
            headers=headers,
        )
        count(f"proposal comment{' htmx' if headers else ''}", response, status)

    assert not over_budget(counts), f"more than {BUDGET} queries: {over_budget(counts)}"
