"""Voting on proposals: one vote per person, exact counters, the voting phase at server time,
who may vote and why not, secrecy, results (page, chart, CSV) and concurrency."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from bs4 import Tag

from participation.concepts.models import Choice, PhaseKind
from participation.concepts.phases import format_start, format_until
from participation.concepts.process import choice_name
from participation.db import Database
from tests.conftest import Browser, Loop, Person, Place, make_people, page, signed_in, text_of
from tests.functional.process_helpers import (
    add_proposals,
    berlin_midnight,
    block,
    cast,
    cast_as,
    end_voting,
    in_locale,
    move_phase,
    phases_of,
    translated,
    unconfirm,
    verify,
    vote_state,
    votes_on,
    voting_now,
)

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN


def results_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/concept/results"


def vote(
    browser: Browser,
    proposal_id: int,
    choice: str,
    place: Place,
    *,
    htmx: bool = False,
    **extra: str,
) -> httpx.Response:
    """Send the vote form as the browser would (the token from a page of the area)."""
    headers = {"HX-Request": "true"} if htmx else {}
    return browser.submit(
        f"/de/proposals/{proposal_id}/vote",
        {"choice": choice, "next": results_path(place), **extra},
        page_path=results_path(place),
        headers=headers,
    )


def plain(text: str) -> str:
    """Text with the no-break spaces Babel writes before % as plain spaces."""
    return text.replace("\xa0", " ").strip()


def flash_text(browser: Browser, response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    return text_of(browser.get(response.headers["location"]), ".flash")


def de(message: str, **variables: str) -> str:
    return translated("de", message, **variables)


def in_de(choice: Choice) -> str:
    return in_locale("de", choice_name, choice)


def add_proposals_for(db: Database, loop: Loop, place: Place, n: int = 1) -> list[int]:
    return add_proposals(db, loop, place, n)


# -- voting -----------------------------------------------------------------------------


def test_vote_change_and_abstain_keep_one_row_and_exact_counters(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    member = make_member(place)
    browser = signed_in(new_client, member)

    response = vote(browser, proposal, "yes", place)

    assert response.headers["location"] == f"{results_path(place)}#vote-{proposal}"
    assert flash_text(browser, response) == de(
        "Your vote is counted: %(choice)s.", choice=in_de(YES)
    )
    assert vote_state(db, loop, proposal) == (1, 0, 0, 1)
    assert votes_on(db, loop, proposal) == {member.id: (YES, ["resident"])}

    response = vote(browser, proposal, "no", place)

    assert flash_text(browser, response) == de(
        "You changed your vote to: %(choice)s.", choice=in_de(NO)
    )
    assert vote_state(db, loop, proposal) == (0, 1, 0, 1)

    response = vote(browser, proposal, "abstain", place)

    assert response.status_code == 303
    assert vote_state(db, loop, proposal) == (0, 0, 1, 1)

    response = vote(browser, proposal, "abstain", place)

    assert flash_text(browser, response) == de(
        "Your vote is unchanged: %(choice)s.", choice=in_de(ABSTAIN)
    )
    assert vote_state(db, loop, proposal) == (0, 0, 1, 1)
    assert votes_on(db, loop, proposal) == {member.id: (ABSTAIN, ["resident"])}


def test_votes_of_different_people_add_up(
    db: Database, loop: Loop, make_area: MakeArea, new_client: NewClient
) -> None:
    place = make_area()
    first, second = add_proposals_for(db, loop, place, 2)
    voting_now(db, loop, place)
    people = make_people(db, loop, 3, place)
    for person, choice in zip(people, [YES, YES, NO], strict=True):
        cast(db, loop, person.id, first, choice)
    cast(db, loop, people[0].id, second, ABSTAIN)

    assert vote_state(db, loop, first) == (2, 1, 0, 3)
    assert vote_state(db, loop, second) == (0, 0, 1, 1)


def test_htmx_vote_returns_the_block_with_an_announcement(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, "no", place, htmx=True)

    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    assert "<html" not in response.text
    soup = page(response)
    roots = [element for element in soup.children if isinstance(element, Tag)]
    assert [(r.name, r.get("id")) for r in roots] == [("div", f"vote-{proposal}")]
    assert roots[0]["data-announce"] == de("Your vote is counted: %(choice)s.", choice=in_de(NO))
    checked = soup.select('input[name="choice"][checked]')
    assert [c["value"] for c in checked] == ["no"]
    form = soup.select_one("form")
    assert form is not None
    assert form["action"] == form["hx-post"] == f"/de/proposals/{proposal}/vote"
    assert form["hx-target"] == f"#vote-{proposal}"
    assert soup.select_one("fieldset legend") is not None
    assert len(soup.select('fieldset input[type="radio"]')) == 3
    for radio in soup.select('input[type="radio"]'):
        assert soup.select_one(f'label[for="{radio["id"]}"]') is not None
    button = soup.select_one("button[data-focus-after-swap]")
    assert button is not None
    assert soup.select_one('input[name="next"]')["value"] == results_path(place)  # type: ignore[index]
    assert vote_state(db, loop, proposal) == (0, 1, 0, 1)


@pytest.mark.parametrize("value", ["", "maybe", "YES", "ja"])
def test_unknown_choice_changes_nothing(
    value: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    new_client: NewClient,
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, value, place)

    assert response.status_code == 422
    assert de("Please choose yes, no or abstain.") in response.text
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_unknown_proposal_is_404(
    make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, 999_999_999, "yes", place)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(
    target: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    new_client: NewClient,
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, "yes", place, next=target)

    assert response.status_code == 303
    assert response.headers["location"] == f"/de/proposals/{proposal}#vote-{proposal}"


# -- the voting phase, at server time -------------------------------------------------------


def test_no_vote_before_the_phase_opens(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    process = voting_now(db, loop, place)
    move_phase(db, loop, process, PhaseKind.CONSULTATION, ends_at=berlin_midnight(1))
    move_phase(db, loop, process, PhaseKind.VOTING, starts_at=berlin_midnight(1))
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, "yes", place)

    assert response.status_code == 409
    assert text_of(response, "main p") == de(
        "Voting has not started yet. It starts on %(day)s.",
        day=in_locale("de", format_start, berlin_midnight(1)),
    )
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)

    htmx = vote(browser, proposal, "yes", place, htmx=True)

    assert htmx.status_code == 200
    soup = page(htmx)
    assert soup.select_one("form") is None
    assert text_of(htmx, f"#vote-{proposal}-error") == de(
        "Voting has not started yet. It starts on %(day)s.",
        day=in_locale("de", format_start, berlin_midnight(1)),
    )
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_no_vote_after_the_phase_closed_even_with_a_form_opened_before(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    process = voting_now(db, loop, place)
    member = make_member(place)
    browser = signed_in(new_client, member)
    assert vote(browser, proposal, "yes", place).status_code == 303
    token = browser.form_token(results_path(place))  # the form is open ...

    end_voting(db, loop, process)  # ... when the vote ends
    response = browser.post(
        f"/de/proposals/{proposal}/vote",
        data={"csrf_token": token, "choice": "no", "next": results_path(place)},
    )

    assert response.status_code == 409
    ended = phases_of(db, loop, place)[PhaseKind.VOTING][1]
    assert text_of(response, "main p") == de(
        "Voting has ended on %(day)s.", day=in_locale("de", format_until, ended)
    )
    assert vote_state(db, loop, proposal) == (1, 0, 0, 1)
    assert votes_on(db, loop, proposal) == {member.id: (YES, ["resident"])}


def test_no_vote_without_a_voting_phase(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, "yes", place)

    assert response.status_code == 409
    assert text_of(response, "main p") == de("There is no vote on this proposal.")
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


# -- who may vote ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(
    db: Database, loop: Loop, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)

    response = client.submit(
        f"/de/proposals/{proposal}/vote",
        {"choice": "yes", "next": results_path(place)},
        page_path="/de/signin",
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=")
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_role_not_allowed(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place, voter_roles=["business", "owner"])
    browser = signed_in(new_client, make_member(place))  # a resident

    response = vote(browser, proposal, "yes", place)

    reason = de(
        "In this vote, %(roles)s can vote.",
        roles=f"{de('businesses')} und {de('property owners')}",
    )
    assert response.status_code == 403
    assert text_of(response, "main p") == reason
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)

    htmx = vote(browser, proposal, "yes", place, htmx=True)

    assert htmx.status_code == 200
    assert text_of(htmx, f"#vote-{proposal}-error") == reason
    assert page(htmx).select_one("form") is None
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_a_person_with_an_allowed_role_among_others_may_vote(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place, voter_roles=["business"])
    person = make_user(member_of={place.slug: ["resident", "business"]})

    response = vote(signed_in(new_client, person), proposal, "yes", place)

    assert response.status_code == 303
    assert votes_on(db, loop, proposal) == {person.id: (YES, ["business", "resident"])}


def test_verification_required(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place, verified_only=True)
    member = make_member(place)
    browser = signed_in(new_client, member)

    response = vote(browser, proposal, "yes", place, htmx=True)

    reason = de("Verify your membership at the QM office to vote: ask for a code there.")
    assert text_of(response, f"#vote-{proposal}-error") == reason
    link = page(response).select_one(f'#vote-{proposal} a[href="/de/areas/{place.slug}/verify"]')
    assert link is not None
    assert vote(browser, proposal, "yes", place).status_code == 403
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)

    verify(db, loop, member.id, place)

    assert vote(browser, proposal, "yes", place).status_code == 303
    assert vote_state(db, loop, proposal) == (1, 0, 0, 1)


def test_not_a_member(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_member(elsewhere))

    response = vote(browser, proposal, "yes", place, htmx=True)

    assert text_of(response, f"#vote-{proposal}-error") == de("Join the area to vote.")
    assert page(response).select_one(f'a[href="/de/areas/{place.slug}/join"]') is not None
    assert vote(browser, proposal, "yes", place).status_code == 403
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_managers_and_admins_vote_only_as_members(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    manager = make_user(manager_of=[place.slug])
    admin = make_user(admin=True)
    member_manager = make_user(manager_of=[place.slug], member_of={place.slug: ["resident"]})

    for person in (manager, admin):
        response = vote(signed_in(new_client, person), proposal, "yes", place)
        assert response.status_code == 403
        assert text_of(response, "main p") == de("Join the area to vote.")
    assert vote(signed_in(new_client, member_manager), proposal, "no", place).status_code == 303
    assert vote_state(db, loop, proposal) == (0, 1, 0, 1)


def test_blocked_member(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    member = make_member(place)
    browser = signed_in(new_client, member)
    block(db, loop, member.id, place)

    response = vote(browser, proposal, "yes", place)

    assert response.status_code == 403
    assert text_of(response, "main p").startswith(
        de(
            "The QM team has blocked you from taking part in this area. You can still read "
            "everything here. If you think this is a mistake, please contact the QM office."
        )
    )
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_unconfirmed_email(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    member = make_member(place)
    browser = signed_in(new_client, member)
    unconfirm(db, loop, member.id)

    response = vote(browser, proposal, "yes", place, htmx=True)

    assert text_of(response, f"#vote-{proposal}-error") == de(
        "Please confirm your e-mail address first: open the link we sent you."
    )
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


def test_consolidation_area_takes_no_votes(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area(status="consolidation")
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_member(place))

    response = vote(browser, proposal, "yes", place)

    assert response.status_code == 403
    assert vote_state(db, loop, proposal) == (0, 0, 0, 0)


# -- secrecy and results ---------------------------------------------------------------------


def test_a_vote_is_shown_only_to_the_person_who_cast_it(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    process = voting_now(db, loop, place, show_running_totals=True)
    voter = make_user(member_of={place.slug: ["resident"]}, display_name="Geheime Wählerin")
    other = make_user(member_of={place.slug: ["resident"]})
    vote(signed_in(new_client, voter), proposal, "no", place)
    others = signed_in(new_client, other)

    block_html = vote(others, proposal, "yes", place, htmx=True)

    assert [c["value"] for c in page(block_html).select("input[checked]")] == ["yes"]
    results = others.get(results_path(place))
    manager_csv = signed_in(new_client, make_user(manager_of=[place.slug])).get(
        f"/de/areas/{place.slug}/concept/results.csv"
    )
    end_voting(db, loop, process)
    after = others.get(results_path(place))
    for response in (block_html, results, after, manager_csv):
        assert response.status_code == 200
        assert "Geheime Wählerin" not in response.text
        assert voter.email not in response.text
    assert page(after).select("table")


def test_results_hidden_during_the_vote_by_default(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    member = make_member(place)
    cast(db, loop, member.id, proposal, YES)
    browser = signed_in(new_client, member)

    response = browser.get(results_path(place))

    assert response.status_code == 200
    assert page(response).select("table, svg") == []
    assert "notice" in str(page(response).select_one("main p.notice"))
    assert browser.get(f"/de/areas/{place.slug}/concept/results.csv").status_code == 409
    vote_block = vote(browser, proposal, "yes", place, htmx=True)
    assert page(vote_block).select_one(f"#vote-{proposal}-counts") is None

    manager = signed_in(new_client, make_user(manager_of=[place.slug]))
    early = manager.get(results_path(place))
    assert early.status_code == 200
    assert len(page(early).select("table")) == 2
    assert manager.get(f"/de/areas/{place.slug}/concept/results.csv").status_code == 200


def test_running_totals_shown_when_the_process_says_so(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, client: Browser
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place, show_running_totals=True)
    cast(db, loop, make_member(place).id, proposal, NO)

    response = client.get(results_path(place))

    assert response.status_code == 200
    cells = [plain(td.get_text()) for td in page(response).select("table")[0].select("td")]
    assert cells[:6] == ["0", "0 %", "1", "100 %", "0", "0 %"]
    assert client.get(f"/de/areas/{place.slug}/concept/results.csv").status_code == 200


def test_results_after_the_vote_with_shares_and_roles(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, client: Browser
) -> None:
    place = make_area()
    first, second = add_proposals_for(db, loop, place, 2)
    process = voting_now(db, loop, place)
    resident = make_user(member_of={place.slug: ["resident"]})
    both = make_user(member_of={place.slug: ["resident", "business"]})
    owner = make_user(member_of={place.slug: ["owner"]})
    cast(db, loop, resident.id, first, YES)
    cast(db, loop, both.id, first, YES)
    cast(db, loop, owner.id, first, NO)
    cast(db, loop, owner.id, second, ABSTAIN)
    end_voting(db, loop, process)

    response = client.get(results_path(place))

    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("h1")) == 1
    section = soup.select_one(f'section[aria-labelledby="result-{first}-title"]')
    assert section is not None
    counts, roles = section.select("table")
    assert counts.select_one("caption") is not None
    assert [th["scope"] for th in counts.select("thead th")] == ["col"] * 3
    rows = [[plain(c.get_text()) for c in tr.select("th, td")] for tr in counts.select("tbody tr")]
    assert rows == [
        [de("Yes"), "2", "66,7 %"],
        [de("No"), "1", "33,3 %"],
        [de("Abstain"), "0", "0 %"],
        [de("All votes"), "3", "100 %"],
    ]
    for td in counts.select("td"):
        assert td.get("data-label")
    role_rows = {
        tr.th.get_text(strip=True): [plain(td.get_text()) for td in tr.select("td")]
        for tr in roles.select("tbody tr")
        if tr.th is not None
    }
    assert role_rows[de("Residents")] == ["2 (100 %)", "0 (0 %)", "0 (0 %)", "2"]
    assert role_rows[de("Businesses")] == ["1 (100 %)", "0 (0 %)", "0 (0 %)", "1"]
    assert role_rows[de("Property owners")] == ["0 (0 %)", "1 (100 %)", "0 (0 %)", "1"]
    svg = section.select_one("svg")
    assert svg is not None and svg["role"] == "img"
    labelled = str(svg["aria-labelledby"]).split()
    assert [svg.select_one(f"#{i}").name for i in labelled] == ["title", "desc"]  # type: ignore[union-attr]
    desc = plain(svg.select_one("desc").get_text())  # type: ignore[union-attr]
    assert "2 (66,7 %)" in desc and "1 (33,3 %)" in desc
    widths = [float(rect["width"]) for rect in svg.select("rect")]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.5) and widths[2] == 0
    assert soup.select_one("script") is None or all(s.get("src") for s in soup.select("script"))


def test_chart_is_mirrored_in_arabic(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, client: Browser
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    process = voting_now(db, loop, place)
    cast(db, loop, make_member(place).id, proposal, YES)
    end_voting(db, loop, process)

    ltr = page(client.get(results_path(place, "en"))).select_one("svg rect")
    rtl_page = client.get(results_path(place, "ar"))
    rtl = page(rtl_page).select_one("svg rect")

    assert rtl_page.status_code == 200
    assert page(rtl_page).html["dir"] == "rtl"  # type: ignore[index]
    assert ltr is not None and rtl is not None
    width = float(ltr["width"])
    assert float(rtl["x"]) == pytest.approx(320 - float(ltr["x"]) - width)


def test_csv_has_counts_only(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, client: Browser
) -> None:
    place = make_area()
    first, second = add_proposals(db, loop, place, 2, titles=["=HYPERLINK(1)", "Spielplatz"])
    process = voting_now(db, loop, place)
    both = make_user(
        member_of={place.slug: ["resident", "business"]}, display_name="Nicht im Export"
    )
    resident = make_user(member_of={place.slug: ["resident"]})
    cast(db, loop, both.id, first, YES)
    cast(db, loop, resident.id, first, NO)
    cast(db, loop, resident.id, second, ABSTAIN)
    end_voting(db, loop, process)

    response = client.get(f"/de/areas/{place.slug}/concept/results.csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    header = rows[0]
    assert header[:7] == [
        "proposal_id",
        "title",
        "field_of_action",
        "yes",
        "no",
        "abstain",
        "total",
    ]
    assert header[7:10] == ["resident_yes", "resident_no", "resident_abstain"]
    assert len(header) == 7 + 4 * 3
    data = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert data[str(first)]["title"] == "'=HYPERLINK(1)"
    assert data[str(first)]["field_of_action"] == "Bildung"
    assert [data[str(first)][k] for k in ("yes", "no", "abstain", "total")] == ["1", "1", "0", "2"]
    assert data[str(first)]["resident_yes"] == "1"
    assert data[str(first)]["resident_no"] == "1"
    assert data[str(first)]["business_yes"] == "1"
    assert data[str(first)]["owner_no"] == "0"
    assert data[str(second)]["abstain"] == "1"
    assert "Nicht im Export" not in response.text
    assert both.email not in response.text


def test_results_page_needs_a_fixed_number_of_queries(
    db: Database, loop: Loop, make_area: MakeArea, client: Browser
) -> None:
    counts = []
    for n in (1, 6):
        place = make_area()
        proposals = add_proposals_for(db, loop, place, n)
        process = voting_now(db, loop, place)
        people = make_people(db, loop, 3, place)
        for person in people:
            for proposal in proposals:
                cast(db, loop, person.id, proposal, YES)
        end_voting(db, loop, process)
        response = client.get(results_path(place))
        assert response.status_code == 200
        counts.append(int(response.headers["x-query-count"]))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("locale", "direction"), [("de", "ltr"), ("tr", "ltr"), ("ar", "rtl")])
def test_results_pages_in_every_language(
    locale: str,
    direction: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_member: MakeMember,
    new_client: NewClient,
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    process = voting_now(db, loop, place)
    member = make_member(place)
    browser = signed_in(new_client, member, locale)
    token = browser.form_token(results_path(place, locale))
    htmx = browser.post(
        f"/{locale}/proposals/{proposal}/vote",
        data={"csrf_token": token, "choice": "yes"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200
    assert page(htmx).select_one("legend") is not None
    hidden = browser.get(results_path(place, locale))
    end_voting(db, loop, process)

    for response in (hidden, browser.get(results_path(place, locale))):
        assert response.status_code == 200
        html = page(response).html
        assert html is not None
        assert (html["lang"], html["dir"]) == (locale, direction)
        assert len(page(response).select("h1")) == 1
        assert page(response).select_one(".breadcrumbs") is not None


# -- concurrency ----------------------------------------------------------------------------


def together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls in as many threads, released at the same moment."""
    barrier = threading.Barrier(len(calls), timeout=60)

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_votes_by_one_person_at_once_leave_one_vote(
    db: Database, loop: Loop, make_area: MakeArea, make_member: MakeMember, new_client: NewClient
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    member = make_member(place)
    first = signed_in(new_client, member)
    token = first.form_token(results_path(place))
    browsers = [first]
    for _ in range(49):  # the same session, as with a person clicking again and again
        browser = new_client()
        browser.cookies = httpx.Cookies(first.cookies)
        browsers.append(browser)
    path = f"/de/proposals/{proposal}/vote"
    choices = ["yes", "no", "abstain"]

    responses = together(
        [
            lambda b=b, c=choices[i % 3]: b.post(
                path, data={"csrf_token": token, "choice": c, "next": results_path(place)}
            )
            for i, b in enumerate(browsers)
        ]
    )

    assert [r.status_code for r in responses] == [303] * 50
    yes, no, abstain, rows = vote_state(db, loop, proposal)
    assert rows == 1
    assert yes + no + abstain == 1
    [(choice, roles)] = votes_on(db, loop, proposal).values()
    assert {YES: yes, NO: no, ABSTAIN: abstain}[choice] == 1
    assert roles == ["resident"]


def test_five_hundred_voters_at_once_are_all_counted(
    db: Database, loop: Loop, make_area: MakeArea
) -> None:
    place = make_area()
    [proposal] = add_proposals_for(db, loop, place)
    voting_now(db, loop, place)
    people = make_people(db, loop, 500, place)
    choices = [(YES, NO, ABSTAIN)[i % 3] if i % 5 else YES for i in range(500)]

    async def everyone() -> list[Choice]:
        return await asyncio.gather(
            *(
                cast_as(db, person.id, proposal, choice)
                for person, choice in zip(people, choices, strict=True)
            )
        )

    counted = loop.run(everyone())

    assert counted == choices
    expected = (choices.count(YES), choices.count(NO), choices.count(ABSTAIN), 500)
    assert vote_state(db, loop, proposal) == expected
    assert {
        user_id: choice for user_id, (choice, _roles) in votes_on(db, loop, proposal).items()
    } == {person.id: choice for person, choice in zip(people, choices, strict=True)}
