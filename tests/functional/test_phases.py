"""Processes and phases: the phase in force by date, what each allows, the managers' page for
the phases and voting rules (validation, nothing saved on error), starting a phase by hand,
and who may change them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from participation.areas.models import Concept
from participation.concepts.models import Choice, PhaseKind
from participation.concepts.phases import format_start, format_until, phase_name
from participation.concepts.process import ProcessService, ProcessStatus
from participation.db import Database, query_counter, utcnow
from participation.i18n import BERLIN
from participation.moderation.models import Action, ModerationAction
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of
from tests.functional.process_helpers import (
    add_process,
    add_proposals,
    berlin_midnight,
    cast,
    concept_id,
    in_locale,
    phases_of,
    process_of,
    translated,
    vote_state,
    voting_now,
)

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]


def process_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/concept/process"


def de(message: str, **variables: str) -> str:
    return translated("de", message, **variables)


def status_of(
    db: Database, loop: Loop, place: Place, queries: list[int] | None = None
) -> ProcessStatus:
    cid = concept_id(db, loop, place)

    async def run() -> ProcessStatus:
        async with db.session() as session:
            concept = await session.get(Concept, cid)  # its area not loaded
            assert concept is not None
            token = query_counter.set(queries) if queries is not None else None
            try:
                return await ProcessService(session).status(concept, None)
            finally:
                if token is not None:
                    query_counter.reset(token)

    return loop.run(run())


def log_entries(db: Database, loop: Loop, place: Place) -> list[ModerationAction]:
    async def run() -> list[ModerationAction]:
        async with db.session() as session:
            rows = await session.scalars(
                select(ModerationAction)
                .where(ModerationAction.area_id == place.id)
                .order_by(ModerationAction.id)
            )
            return list(rows)

    return loop.run(run())


def form_data(**phases: tuple[str, str]) -> dict[str, str]:
    data = {}
    for kind, (first, last) in phases.items():
        data[f"{kind}_start"], data[f"{kind}_end"] = first, last
    return data


def save(browser: Browser, place: Place, data: dict[str, object]) -> httpx.Response:
    return browser.submit(process_path(place), data)


def manager_browser(make_user: MakeUser, new_client: NewClient, place: Place) -> Browser:
    return signed_in(new_client, make_user(manager_of=[place.slug]))


# -- the phase in force ---------------------------------------------------------------------


def test_phase_in_force_switches_by_date(db: Database, loop: Loop, make_area: MakeArea) -> None:
    place = make_area()
    minute = timedelta(minutes=1)
    now = utcnow()
    add_process(
        db,
        loop,
        place,
        {
            PhaseKind.IDEAS: (now - timedelta(days=20), now - minute),
            PhaseKind.CONSULTATION: (now - minute, now + timedelta(days=3)),
            PhaseKind.VOTING: (now + timedelta(days=3), now + timedelta(days=10)),
        },
    )

    status = status_of(db, loop, place)

    assert status.phase is not None and status.phase.kind is PhaseKind.CONSULTATION
    assert status.next_phase is not None and status.next_phase.kind is PhaseKind.VOTING
    assert status.can_comment and not status.can_vote_now and not status.results_visible
    assert status.summary == de(
        "The proposals are open for comments until %(until)s.",
        until=in_locale("de", format_until, now + timedelta(days=3)),
    )
    process = status.process
    assert process is not None
    starts = process.phases[1].starts_at
    kinds = [
        phase.kind if phase else None
        for phase in (
            ProcessService.phase_at(process, starts),
            ProcessService.phase_at(process, starts - timedelta(microseconds=1)),
            ProcessService.phase_at(process, now + timedelta(days=10)),
        )
    ]
    assert kinds == [PhaseKind.CONSULTATION, PhaseKind.IDEAS, None]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (PhaseKind.IDEAS, "Idea collection until %(until)s. Post your ideas for the area."),
        (PhaseKind.VOTING, "Voting until %(until)s. Vote on the proposals below."),
        (PhaseKind.DECISION, "The Quartiersrat decides."),
        (PhaseKind.IMPLEMENTATION, "Being implemented."),
    ],
)
def test_summary_says_what_one_can_do_now(
    kind: PhaseKind, message: str, db: Database, loop: Loop, make_area: MakeArea
) -> None:
    place = make_area()
    add_process(db, loop, place, {kind: (berlin_midnight(-1), berlin_midnight(5))})

    status = status_of(db, loop, place)

    until = in_locale("de", format_until, berlin_midnight(5))
    assert status.summary == de(message, until=until)
    assert status.can_vote_now is (kind is PhaseKind.VOTING)


def test_summary_without_a_process_and_between_phases(
    db: Database, loop: Loop, make_area: MakeArea
) -> None:
    empty, waiting, over = make_area(), make_area(), make_area()
    add_process(db, loop, waiting, {PhaseKind.VOTING: (berlin_midnight(3), berlin_midnight(5))})
    add_process(db, loop, over, {PhaseKind.VOTING: (berlin_midnight(-5), berlin_midnight(-2))})

    assert status_of(db, loop, empty).summary == de("No participation process yet.")
    assert status_of(db, loop, waiting).summary == de(
        "Next: %(phase)s, from %(day)s.",
        phase=in_locale("de", phase_name, PhaseKind.VOTING),
        day=in_locale("de", format_start, berlin_midnight(3)),
    )
    finished = status_of(db, loop, over)
    assert finished.summary == de("The participation process has ended.")
    assert finished.results_visible


def test_status_needs_at_most_two_queries(db: Database, loop: Loop, make_area: MakeArea) -> None:
    place = make_area()
    voting_now(db, loop, place)
    queries = [0]

    status = status_of(db, loop, place, queries)

    assert status.can_vote_now
    assert queries[0] <= 2


def test_until_names_the_last_day_or_the_moment() -> None:
    midnight = datetime(2026, 12, 13, tzinfo=BERLIN).astimezone(UTC)
    evening = datetime(2026, 12, 12, 18, 0, tzinfo=BERLIN).astimezone(UTC)

    assert in_locale("en", format_until, midnight) == "December 12, 2026"
    assert in_locale("en", format_until, evening) == "December 12, 2026, 6:00\u202fPM"
    assert in_locale("de", format_start, midnight) == "13. Dezember 2026"


# -- setting the phases -----------------------------------------------------------------------


def test_manager_sets_the_phases_in_berlin_days(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    browser = manager_browser(make_user, new_client, place)
    page_before = browser.get(process_path(place))
    assert page_before.status_code == 200
    assert len(page(page_before).select("h1")) == 1
    for field in page(page_before).select('input[type="date"]'):
        assert page(page_before).select_one(f'label[for="{field["id"]}"]') is not None
    assert page(page_before).select_one("fieldset#voter_roles legend") is not None

    response = save(
        browser,
        place,
        {
            **form_data(
                ideas=("2026-02-01", "2026-03-15"),
                consultation=("2026-03-16", "2026-03-28"),
                voting=("2026-03-29", "2026-04-12"),
            ),
            "voter_roles": ["resident", "business"],
            "verified_only": "y",
        },
    )

    assert response.status_code == 303, response.text
    assert response.headers["location"] == process_path(place)
    phases = phases_of(db, loop, place)
    assert set(phases) == {PhaseKind.IDEAS, PhaseKind.CONSULTATION, PhaseKind.VOTING}
    # 00:00 in Berlin on the first day (winter time: 23:00 UTC the day before) until 00:00
    # after the last day (summer time from 29 March: 22:00 UTC).
    assert phases[PhaseKind.IDEAS][0] == datetime(2026, 1, 31, 23, tzinfo=UTC)
    assert phases[PhaseKind.CONSULTATION][1] == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert phases[PhaseKind.VOTING] == (
        datetime(2026, 3, 28, 23, tzinfo=UTC),
        datetime(2026, 4, 12, 22, tzinfo=UTC),
    )
    process = process_of(db, loop, place)
    assert process is not None
    assert process.voter_roles == ["resident", "business"]
    assert process.verified_only and not process.show_running_totals
    [entry] = log_entries(db, loop, place)
    assert entry.action is Action.CONCEPT
    assert entry.reason.startswith("phases changed: ideas 2026-02-01–2026-03-15")

    shown = browser.get(process_path(place))
    soup = page(shown)
    assert soup.select_one("#voting_start")["value"] == "2026-03-29"  # type: ignore[index]
    assert soup.select_one("#voting_end")["value"] == "2026-04-12"  # type: ignore[index]
    assert soup.select_one("#voter-role-business").has_attr("checked")  # type: ignore[union-attr]
    assert not soup.select_one("#voter-role-owner").has_attr("checked")  # type: ignore[union-attr]

    cleared = save(browser, place, form_data(voting=("2026-03-29", "2026-04-12")))

    assert cleared.status_code == 303
    assert set(phases_of(db, loop, place)) == {PhaseKind.VOTING}
    process = process_of(db, loop, place)
    assert process is not None and process.voter_roles == [] and not process.verified_only


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            form_data(
                consultation=("2026-05-10", "2026-05-20"), voting=("2026-05-20", "2026-05-30")
            ),
            "voting_start",
            "This phase overlaps the phase “%(phase)s”: it can start only after that phase's "
            "last day.",
        ),
        (
            form_data(voting=("2026-05-20", "2026-05-10")),
            "voting_end",
            "This phase runs backwards: its last day is before its first day.",
        ),
        (
            form_data(
                consultation=("2026-06-10", "2026-06-20"), voting=("2026-05-01", "2026-05-09")
            ),
            "voting_start",
            "The phases follow each other in this order: idea collection, consultation, voting, "
            "decision, implementation. This phase starts before the phase “%(phase)s”.",
        ),
        (
            form_data(voting=("2026-05-01", "")),
            "voting_end",
            "Please give both the first and the last day, or leave both empty.",
        ),
        (
            form_data(voting=("1.5.2026", "2026-05-10")),
            "voting_start",
            "Please enter a date like 2026-12-31.",
        ),
        (
            {**form_data(voting=("2026-05-01", "2026-05-10")), "voter_roles": "mayor"},
            "voter_roles",
            "Please choose the roles from the list.",
        ),
    ],
)
def test_invalid_phases_are_refused_and_nothing_is_saved(
    data: dict[str, str],
    field: str,
    message: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    place = make_area()
    before = {PhaseKind.IDEAS: (berlin_midnight(-3), berlin_midnight(3))}
    add_process(db, loop, place, before)
    browser = manager_browser(make_user, new_client, place)

    response = save(browser, place, data)

    assert response.status_code == 422
    expected = de(message, phase=in_locale("de", phase_name, PhaseKind.CONSULTATION))
    if field == "voter_roles":
        assert text_of(response, "#voter_roles-error") == expected
    else:
        assert text_of(response, f"#{field}-error") == expected
        assert page(response).select_one(f"#{field}")["aria-invalid"] == "true"  # type: ignore[index]
        for name, value in data.items():
            assert page(response).select_one(f"#{name}")["value"] == value  # type: ignore[index]
    summary = page(response).select_one(".error-summary")
    assert summary is not None
    assert summary.select_one(f'a[href="#{field}"]') is not None
    assert phases_of(db, loop, place) == before
    assert log_entries(db, loop, place) == []


def test_first_phases_on_a_concept_without_process_are_checked_too(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    browser = manager_browser(make_user, new_client, place)

    response = save(browser, place, form_data(ideas=("2026-05-20", "2026-05-10")))

    assert response.status_code == 422
    assert process_of(db, loop, place) is None


# -- by hand --------------------------------------------------------------------------------


def test_manager_starts_the_vote_by_hand(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_user: MakeUser,
    make_member: MakeMember,
    new_client: NewClient,
) -> None:
    place = make_area()
    [proposal] = add_proposals(db, loop, place)
    add_process(
        db,
        loop,
        place,
        {
            PhaseKind.CONSULTATION: (berlin_midnight(-5), berlin_midnight(5)),
            PhaseKind.VOTING: (berlin_midnight(5), berlin_midnight(12)),
        },
    )
    member = make_member(place)
    browser = manager_browser(make_user, new_client, place)
    buttons = page(browser.get(process_path(place))).select('input[name="start_now"]')
    assert [b["value"] for b in buttons] == ["voting"]

    before = utcnow()
    response = browser.submit(process_path(place), {"start_now": "voting"})

    assert response.status_code == 303
    phases = phases_of(db, loop, place)
    started = phases[PhaseKind.VOTING][0]
    assert before <= started <= utcnow()
    assert phases[PhaseKind.CONSULTATION][1] == started
    assert phases[PhaseKind.VOTING][1] == berlin_midnight(12)
    assert status_of(db, loop, place).can_vote_now
    [entry] = log_entries(db, loop, place)
    assert entry.action is Action.CONCEPT and "voting" in entry.reason
    cast(db, loop, member.id, proposal, Choice.YES)
    assert vote_state(db, loop, proposal) == (1, 0, 0, 1)

    # Saving the form unchanged keeps the moments set by hand.
    form = page(browser.get(process_path(place)))
    values = {
        str(i["name"]): str(i.get("value", "")) for i in form.select('form input[type="date"]')
    }
    assert save(browser, place, values).status_code == 303
    assert phases_of(db, loop, place) == phases


@pytest.mark.parametrize(
    ("phases", "kind", "message"),
    [
        ({}, "voting", "Give this phase its first and last day before starting it."),
        (
            {PhaseKind.VOTING: (-3, 3)},
            "voting",
            "This phase is already running.",
        ),
        (
            {PhaseKind.VOTING: (-6, -3)},
            "voting",
            "This phase has already ended. Give it a new last day first.",
        ),
        (
            {PhaseKind.IDEAS: (-3, 3), PhaseKind.CONSULTATION: (3, 6), PhaseKind.VOTING: (6, 9)},
            "voting",
            "The phase “%(phase)s” has not taken place yet. Change its dates or leave it out, "
            "then start this phase.",
        ),
        ({PhaseKind.VOTING: (3, 6)}, "referendum", "Please choose a phase from the list."),
    ],
)
def test_starting_by_hand_is_checked(
    phases: dict[PhaseKind, tuple[int, int]],
    kind: str,
    message: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    place = make_area()
    plan = {k: (berlin_midnight(a), berlin_midnight(b)) for k, (a, b) in phases.items()}
    add_process(db, loop, place, plan)
    browser = manager_browser(make_user, new_client, place)

    response = browser.submit(process_path(place), {"start_now": kind})

    assert response.status_code == 409
    expected = de(message, phase=in_locale("de", phase_name, PhaseKind.CONSULTATION))
    assert text_of(response, ".error-summary p") == expected
    assert phases_of(db, loop, place) == plan
    assert log_entries(db, loop, place) == []


# -- who may change the process ---------------------------------------------------------------


def test_manager_of_another_area_and_members_may_not(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_user: MakeUser,
    make_member: MakeMember,
    new_client: NewClient,
) -> None:
    place, other = make_area(), make_area()
    plan = {PhaseKind.VOTING: (berlin_midnight(3), berlin_midnight(6))}
    add_process(db, loop, place, plan)
    outsiders = [
        signed_in(new_client, make_user(manager_of=[other.slug])),
        signed_in(new_client, make_member(place)),
    ]

    for browser in outsiders:
        assert browser.get(process_path(place)).status_code == 403
        token = browser.form_token(f"/de/areas/{place.slug}")
        for data in (
            {"start_now": "voting"},
            form_data(voting=("2030-01-01", "2030-01-10")),
        ):
            response = browser.post(process_path(place), data={"csrf_token": token, **data})
            assert response.status_code == 403
            assert text_of(response, "main p") == de(
                "Only the quarter managers of this area can do this."
            )
    assert phases_of(db, loop, place) == plan
    assert log_entries(db, loop, place) == []


def test_anonymous_visitor_is_sent_to_sign_in(make_area: MakeArea, client: Browser) -> None:
    place = make_area()

    response = client.get(process_path(place))

    assert response.status_code == 303
    assert response.headers["location"] == f"/de/signin?next={process_path(place)}"


def test_admin_may_set_the_phases(
    db: Database, loop: Loop, make_area: MakeArea, make_user: MakeUser, new_client: NewClient
) -> None:
    place = make_area()
    browser = signed_in(new_client, make_user(admin=True))

    response = save(browser, place, form_data(voting=("2030-01-01", "2030-01-10")))

    assert response.status_code == 303
    assert set(phases_of(db, loop, place)) == {PhaseKind.VOTING}


@pytest.mark.parametrize(("locale", "direction"), [("de", "ltr"), ("tr", "ltr"), ("ar", "rtl")])
def test_process_page_in_every_language(
    locale: str,
    direction: str,
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    place = make_area()
    voting_now(db, loop, place)
    browser = signed_in(new_client, make_user(manager_of=[place.slug]), locale)

    response = browser.get(process_path(place, locale))
    invalid = browser.submit(
        process_path(place, locale),
        form_data(voting=("2030-01-10", "2030-01-01")),
        page_path=process_path(place, locale),
    )

    for shown in (response, invalid):
        html = page(shown).html
        assert html is not None and (html["lang"], html["dir"]) == (locale, direction)
        assert len(page(shown).select("h1")) == 1
        current = page(shown).select('.phases [aria-current="step"]')
        assert len(current) == 1
    assert response.status_code == 200 and invalid.status_code == 422
