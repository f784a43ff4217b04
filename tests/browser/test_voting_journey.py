"""The IHEK on a phone (360×740): read the concept, open a proposal, vote, change the vote, and
see the result once the voting phase has ended; with and without JavaScript.

Elements are found by ids, names and link targets, not by wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select, update

from participation.areas.models import Concept
from participation.concepts.models import Fund, Phase, PhaseKind, Process, Proposal
from participation.db import Database, utcnow
from tests.browser.conftest import (
    assert_no_horizontal_scrolling,
    assert_no_page_errors,
    open_page,
    screenshot,
)
from tests.browser.test_moderation_journey import signed_in_page
from tests.conftest import Loop, Person, Place

pytestmark = pytest.mark.browser


def voting_concept(db: Database, loop: Loop, place: Place) -> tuple[int, int]:
    """A proposal in the place's current concept, with a voting phase running now; returns the
    proposal's and the voting phase's ids."""

    async def create() -> tuple[int, int]:
        async with db.session(write=True) as session:
            concept = (
                await session.execute(select(Concept).where(Concept.area_id == place.id))
            ).scalar_one()
            proposal = Proposal(
                concept_id=concept.id,
                field_id=place.field_ids[1],
                title={"de": "Trinkbrunnen am Spielplatz", "ar": "نافورة شرب عند الملعب"},
                description={"de": "Ein Trinkbrunnen für Kinder und Ältere."},
                effect={"de": "Wasser für alle im Sommer."},
                fund=Fund.PROJECT,
                amount=9_000,
            )
            process = Process(concept_id=concept.id, voter_roles=[], verified_only=False)
            session.add_all([proposal, process])
            await session.flush()
            now = utcnow()
            phase = Phase(
                process_id=process.id,
                kind=PhaseKind.VOTING,
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=1),
            )
            session.add(phase)
            await session.flush()
            return proposal.id, phase.id

    return loop.run(create())


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_read_vote_change_and_see_the_result(
    new_context: Callable[..., BrowserContext],
    javascript: bool,
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    proposal_id, phase_id = voting_concept(db, loop, place)
    member = make_user(member_of={place.slug: ["resident"]})
    page = signed_in_page(new_context(javascript=javascript), member)

    # From the area to the concept, and to the proposal.
    page.goto(f"/de/areas/{place.slug}")
    page.locator(f'main a[href="/de/areas/{place.slug}/concept"]').first.click()
    expect(page).to_have_url(re.compile(rf"/de/areas/{place.slug}/concept$"))
    expect(page.locator(f"#proposal-{proposal_id}")).to_be_visible()
    assert_no_horizontal_scrolling(page)
    page.locator(f'#proposal-{proposal_id} a[href="/de/proposals/{proposal_id}"]').first.click()
    expect(page).to_have_url(re.compile(rf"/de/proposals/{proposal_id}$"))
    expect(page.locator("h1")).to_have_text("Trinkbrunnen am Spielplatz")

    # Vote yes, then change to no.
    vote = page.locator(f"#vote-{proposal_id}")
    for choice in ("yes", "no"):
        vote.locator(f'input[name="choice"][value="{choice}"]').check()
        vote.locator("button[type=submit]").click()
        if javascript:
            expect(page.locator("#announcer")).to_have_text(re.compile(r"\S"))
            expect(page).to_have_url(re.compile(rf"/de/proposals/{proposal_id}$"))
        else:
            expect(page).to_have_url(re.compile(rf"/de/proposals/{proposal_id}"))
            expect(page.locator(".flash")).to_be_visible()
        expect(
            page.locator(f'#vote-{proposal_id} input[name="choice"][value="{choice}"]')
        ).to_be_checked()
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"de-vote-{'js' if javascript else 'nojs'}")
    assert_no_page_errors(page)

    # The phase ends: the result is shown, with one "no".
    async def end_voting() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Phase)
                .where(Phase.id == phase_id)
                .values(ends_at=utcnow() - timedelta(minutes=1))
            )

    loop.run(end_voting())
    page.goto(f"/de/areas/{place.slug}/concept/results")
    expect(page.locator("main")).to_contain_text("Trinkbrunnen am Spielplatz")
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"de-results-{'js' if javascript else 'nojs'}")
    assert_no_page_errors(page)

    # Arabic: the result page is right to left.
    arabic = open_page(new_context(language="ar", javascript=javascript))
    arabic.goto(f"/ar/areas/{place.slug}/concept/results")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    assert_no_horizontal_scrolling(arabic)
