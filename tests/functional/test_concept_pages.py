"""The public IHEK pages: the concept with its fields of action, proposals and the ideas behind
them; a proposal in the visitor's language; comments during the consultation; older concepts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from participation.areas.models import Concept, FieldOfAction
from participation.concepts.models import PhaseKind, Proposal, ProposalComment, ProposalIdea
from participation.db import Database
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of
from tests.functional.process_helpers import (
    add_process,
    add_proposals,
    berlin_midnight,
    block,
    concept_id,
)


def consultation_now(db: Database, loop: Loop, place: Place) -> int:
    return add_process(
        db,
        loop,
        place,
        {
            PhaseKind.CONSULTATION: (berlin_midnight(-3), berlin_midnight(5)),
            PhaseKind.VOTING: (berlin_midnight(5), berlin_midnight(12)),
        },
    )


def set_texts(db: Database, loop: Loop, proposal_id: int, **texts: dict[str, str]) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Proposal).where(Proposal.id == proposal_id).values(**texts)
            )

    loop.run(run())


def link(db: Database, loop: Loop, proposal_id: int, idea_id: int) -> None:
    async def run() -> None:
        async with db.session(write=True) as session:
            session.add(ProposalIdea(proposal_id=proposal_id, idea_id=idea_id))

    loop.run(run())


@pytest.mark.parametrize("locale", ["de", "tr", "ar"])
def test_the_concept_page_shows_the_whole_ihek(
    locale: str,
    client: Browser,
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    make_idea: Callable[..., int],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author, title="Bänke im Schatten")
    (proposal_id,) = add_proposals(db, loop, place, titles=["Schattenplätze am Platz"])
    set_texts(
        db,
        loop,
        proposal_id,
        title={"de": "Schattenplätze am Platz", "ar": "أماكن ظليلة في الساحة"},
    )
    link(db, loop, proposal_id, idea_id)
    consultation_now(db, loop, place)

    response = client.get(f"/{locale}/areas/{place.slug}/concept")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html is not None and soup.html["dir"] == ("rtl" if locale == "ar" else "ltr")
    assert len(soup.select("h1")) == 1
    # Every field of action is there, the proposal under its own field.
    assert len(soup.select(".concept-field")) == len(place.field_ids)
    card = soup.select_one(f"#proposal-{proposal_id}")
    assert card is not None
    assert card.find_parent("section")["aria-labelledby"] == f"field-{place.field_ids[0]}-heading"
    title = card.select_one(".proposal-card__title a")
    assert title is not None
    if locale == "ar":
        assert title.get_text() == "أماكن ظليلة في الساحة" and title["lang"] == "ar"
    else:
        assert title.get_text() == "Schattenplätze am Platz" and title["lang"] == "de"
    # In Turkish the page says that the title is shown in another language.
    assert (card.select_one(".hint") is not None) == (locale == "tr")
    # The idea behind it, linked.
    assert card.select_one(f'a[href="/{locale}/ideas/{idea_id}"]') is not None
    # Where the process stands.
    assert soup.select_one(".process-status [aria-current=step]") is not None


def test_the_area_page_leads_to_the_concept(
    client: Browser, make_area: Callable[..., Place], db: Database, loop: Loop
) -> None:
    place = make_area()
    consultation_now(db, loop, place)
    soup = page(client.get(f"/de/areas/{place.slug}"))
    assert soup.select_one(f'a[href="/de/areas/{place.slug}/concept"]') is not None
    assert soup.select_one(".process-status") is not None


def test_an_earlier_concept_stays_readable_with_its_own_fields(
    client: Browser, make_area: Callable[..., Place], db: Database, loop: Loop
) -> None:
    place = make_area()
    current = concept_id(db, loop, place)

    async def add_earlier() -> int:
        async with db.session(write=True) as session:
            earlier = Concept(
                area_id=place.id,
                first_year=2019,
                last_year=2021,
                vision={"de": "Ein Platz für alle, damals."},
                is_current=False,
            )
            session.add(earlier)
            await session.flush()
            session.add(
                FieldOfAction(
                    concept_id=earlier.id,
                    key="wohnen",
                    name={"de": "Wohnen und Wohnumfeld"},
                    position=0,
                )
            )
            return earlier.id

    earlier_id = loop.run(add_earlier())
    response = client.get(f"/de/concepts/{earlier_id}")
    assert response.status_code == 200
    assert "Wohnen und Wohnumfeld" in response.text
    assert "Ein Platz für alle, damals." in response.text
    soup = page(response)
    assert soup.select_one(f'.notice a[href="/de/areas/{place.slug}/concept"]') is not None
    assert soup.select_one(f'a[href="/de/concepts/{current}"]') is not None
    assert client.get("/de/concepts/987654").status_code == 404


def test_proposal_comments_are_open_during_the_consultation_only(
    new_client: Callable[[], Browser],
    make_area: Callable[..., Place],
    make_member: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    (proposal_id,) = add_proposals(db, loop, place)
    process_id = consultation_now(db, loop, place)
    member = signed_in(new_client, make_member(place))
    path = f"/de/proposals/{proposal_id}"
    response = member.submit(
        f"{path}/comments", {"body": "Gute Sache!", "language": "de"}, page_path=path
    )
    assert response.status_code == 303
    shown = member.get(path)
    assert "Gute Sache!" in text_of(shown, "#comments")
    empty = member.submit(f"{path}/comments", {"body": "", "language": "de"}, page_path=path)
    assert empty.status_code == 422

    # A blocked member cannot comment.
    blocked = make_member(place)
    block(db, loop, blocked.id, place)
    refused = signed_in(new_client, blocked).submit(
        f"{path}/comments", {"body": "Ich darf nicht.", "language": "de"}, page_path=path
    )
    assert refused.status_code == 403

    # After the consultation, comments are closed.
    async def close() -> None:
        from participation.concepts.models import Phase

        async with db.session(write=True) as session:
            await session.execute(
                update(Phase)
                .where(Phase.process_id == process_id, Phase.kind == PhaseKind.CONSULTATION)
                .values(ends_at=berlin_midnight(0))
            )

    loop.run(close())
    late = member.submit(f"{path}/comments", {"body": "Zu spät.", "language": "de"}, page_path=path)
    assert late.status_code == 409

    async def count() -> int:
        from sqlalchemy import func, select

        async with db.session() as session:
            return int(
                (
                    await session.execute(
                        select(func.count()).where(ProposalComment.proposal_id == proposal_id)
                    )
                ).scalar_one()
            )

    assert loop.run(count()) == 1
