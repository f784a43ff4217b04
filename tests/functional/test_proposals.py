"""Proposals (measures) of a concept: managers write them in a field of action, in several
languages, with a fund and an amount inside the fund's limits, citing the ideas they came from;
those ideas are taken into the concept and their people told by mail; each proposal's progress
is recorded step by step. Bad input is refused with translated errors and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest

from participation.concepts.models import Fund, Progress
from participation.concepts.services import ProposalService, today
from participation.db import Database, query_counter
from participation.ideas.models import IdeaStatus
from tests.conftest import Browser, Loop, Mailbox, Place, page, signed_in, text_of, unique
from tests.functional.concept_helpers import (
    MakeArea,
    MakeIdea,
    MakeUser,
    NewClient,
    current_concept_id,
    idea_by_id,
    linked_ideas,
    number,
    outbox_count,
    post_without_form,
    proposal_by_id,
    proposals_in,
    read,
    settings_log,
    steps_of,
    translated,
)

DESCRIPTION = "Zwei Sitzbänke mit Schatten am Spielplatz, gebaut mit Jugendlichen aus dem Kiez."
EFFECT = "Ältere Menschen können sich ausruhen, Eltern haben einen Platz im Schatten."


def new_path(concept_id: int, locale: str = "de") -> str:
    return f"/{locale}/concepts/{concept_id}/proposals/new"


def edit_path(proposal_id: int, locale: str = "de") -> str:
    return f"/{locale}/proposals/{proposal_id}/edit"


def progress_path(proposal_id: int, locale: str = "de") -> str:
    return f"/{locale}/proposals/{proposal_id}/progress"


def proposal_data(place: Place, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "field": str(place.field_ids[1]),
        "title_de": title,
        "description_de": DESCRIPTION,
        "effect_de": EFFECT,
        "fund": "action",
        "amount": "1200",
        **extra,
    }


def created_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/de/proposals/")
    return int(location.rsplit("/", 1)[1])


def body_of(mail: EmailMessage, kind: str) -> str:
    part = mail.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def support(browser: Browser, idea_id: int) -> None:
    response = browser.submit(
        f"/de/ideas/{idea_id}/support", {"support": "1"}, page_path=f"/de/ideas/{idea_id}"
    )
    assert response.status_code == 303


def test_the_form_page(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    title = unique("Idee für Bänke ")
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}), title=title)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))

    response = office.get(new_path(concept_id))
    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("h1")) == 1
    assert soup.select_one(".breadcrumbs") is not None
    options = [o["value"] for o in soup.select("#field option")]
    assert options == ["", *map(str, place.field_ids)]
    for name in ("field", "title_de", "description_de", "effect_de", "amount"):
        assert soup.select_one(f'label[for="{name}"]') is not None, name
    for code, direction in (("tr", "ltr"), ("ar", "rtl"), ("en", "ltr"), ("fa", "rtl")):
        for text in ("title", "description", "effect"):
            element = soup.select_one(f"details #{text}_{code}")
            assert element is not None, (text, code)
            assert (element["lang"], element["dir"]) == (code, direction)
    assert soup.select_one("details[open]") is None  # nothing written in other languages yet
    assert soup.select_one("fieldset#fund legend") is not None
    assert len(soup.select('fieldset#fund input[type="radio"]')) == 4
    assert number("de", 1500) in text_of(response, "#fund-hint")
    assert soup.select_one("fieldset#ideas legend") is not None
    box = soup.select_one(f'fieldset#ideas input[type="checkbox"][value="{idea_id}"]')
    assert box is not None and not box.has_attr("checked")
    assert title in text_of(response, f'label[for="idea-{idea_id}"]')


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_amounts_are_checked_against_the_funds_limits(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)
    path = new_path(concept_id, locale)

    refused = [
        ("action", "1501", "The Aktionsfonds pays at most %(amount)s EUR per action.", 1500),
        ("action", "0", "Please enter a positive amount in whole euros.", None),
        ("action", "", "Please enter the amount in EUR.", None),
        ("project", "4999", "The Projektfonds starts at %(amount)s EUR.", 5000),
        ("building", "49999", "The Baufonds starts at %(amount)s EUR.", 50000),
        ("none", "0", "Please enter a positive amount in whole euros.", None),
        ("none", "-5", "Please enter the amount in whole euros, for example %(example)s.", None),
    ]
    for fund, amount, message, limit in refused:
        title = unique("Zu teuer ")
        response = office.submit(path, proposal_data(place, title, fund=fund, amount=amount))
        assert response.status_code == 422, (fund, amount)
        soup = page(response)
        assert soup.html is not None and soup.html["lang"] == locale
        if limit:
            expected = translated(locale, message, amount=number(locale, limit))
        elif "example" in message:
            expected = translated(locale, message, example="1500")
        else:
            expected = translated(locale, message)
        assert text_of(response, "#amount-error") == expected
        assert expected in text_of(response, ".error-summary")
        amount_input = soup.select_one("#amount")
        assert amount_input is not None and amount_input["aria-invalid"] == "true"
        title_input = soup.select_one("#title_de")
        assert title_input is not None and title_input["value"] == title
        checked = soup.select_one('input[name="fund"][checked]')
        assert checked is not None and checked["value"] == fund
    assert proposals_in(db, loop, concept_id) == []

    accepted = [
        ("action", "1500", 1500),
        ("action", "1", 1),
        ("project", "5000", 5000),
        ("building", "50000", 50000),
        ("none", "", None),
        ("none", "250", 250),  # money from elsewhere may be named too
    ]
    for fund, amount, _stored in accepted:
        response = office.submit(
            path, proposal_data(place, unique("Passt "), fund=fund, amount=amount)
        )
        assert response.status_code == 303, (fund, amount, response.text)
    assert [(p.fund, p.amount) for p in proposals_in(db, loop, concept_id)] == [
        (Fund(fund), stored) for fund, _amount, stored in accepted
    ]


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_a_field_of_action_and_the_german_title_are_required(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place, elsewhere = make_area(), make_area()
    concept_id = current_concept_id(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)
    path = new_path(concept_id, locale)
    field_message = translated(locale, "Please choose a field of action.")
    title_message = translated(locale, "Please write the title in German.")

    data = proposal_data(place, "", field="", title_tr="Gölgeli banklar", description_tr="Açıklama")
    response = office.submit(path, data)
    assert response.status_code == 422
    assert text_of(response, "#field-error") == field_message
    assert text_of(response, "#title_de-error") == title_message
    summary = [a.get_text(" ", strip=True) for a in page(response).select(".error-summary li a")]
    assert [a["href"] for a in page(response).select(".error-summary li a")] == [
        "#field",
        "#title_de",
    ]
    assert field_message in summary[0] and title_message in summary[1]
    # The text written stays, and its language is shown open.
    kept = page(response).select_one("details[open] #title_tr")
    assert kept is not None and kept["value"] == "Gölgeli banklar"
    assert text_of(response, "#description_de") == DESCRIPTION

    # A field of action of another area's concept is no field of this one.
    data = proposal_data(place, "Bänke", field=str(elsewhere.field_ids[0]))
    response = office.submit(path, data)
    assert response.status_code == 422
    assert text_of(response, "#field-error") == field_message

    # A translation needs its title.
    data = proposal_data(place, "Bänke", description_tr="Açıklama")
    response = office.submit(path, data)
    assert response.status_code == 422
    assert text_of(response, "#title_tr-error") == translated(
        locale, "Please write the title in this language too."
    )
    assert proposals_in(db, loop, concept_id) == []


def test_titles_and_texts_are_stored_per_language(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    data = proposal_data(
        place,
        "  Schattige Bänke  ",
        title_tr="Gölgeli banklar",
        description_tr="Oyun alanına iki gölgeli bank.",
        title_ar="مقاعد مظللة",
        effect_ar="مكان للراحة في الظل.",
        title_en="",
    )
    proposal_id = created_id(office.submit(new_path(concept_id), data))
    stored = proposal_by_id(db, loop, proposal_id)
    assert stored.title == {"de": "Schattige Bänke", "tr": "Gölgeli banklar", "ar": "مقاعد مظللة"}
    assert stored.description == {"de": DESCRIPTION, "tr": "Oyun alanına iki gölgeli bank."}
    assert stored.effect == {"de": EFFECT, "ar": "مكان للراحة في الظل."}
    assert (stored.field_id, stored.fund, stored.amount) == (place.field_ids[1], Fund.ACTION, 1200)
    assert stored.progress is Progress.PROPOSED

    edit = page(office.get(edit_path(proposal_id)))
    arabic = edit.select_one("details[open] #title_ar")
    assert arabic is not None and (arabic["value"], arabic["dir"]) == ("مقاعد مظللة", "rtl")
    assert edit.select_one("details[open] #title_en") is None

    # Changing it: another field of action, a translation removed, another fund.
    data = proposal_data(
        place, "Schattige Bänke", field=str(place.field_ids[2]), title_tr="", fund="none", amount=""
    )
    data["title_ar"], data["effect_ar"] = "مقاعد مظللة", ""
    response = office.submit(edit_path(proposal_id), data)
    assert response.status_code == 303
    stored = proposal_by_id(db, loop, proposal_id)
    assert stored.title == {"de": "Schattige Bänke", "ar": "مقاعد مظللة"}
    assert stored.effect == {"de": EFFECT}
    assert (stored.field_id, stored.fund, stored.amount) == (place.field_ids[2], Fund.NONE, None)
    assert stored.updated_at is not None
    assert [e.reason.split(" (")[0] for e in settings_log(db, loop, place)] == [
        "proposal created",
        "proposal changed",
    ]


def test_ideas_taken_into_the_concept_tell_their_people_once(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place, elsewhere = make_area(), make_area()
    concept_id = current_concept_id(db, loop, place)
    author = make_user(member_of={place.slug: ["resident"]}, locale="de")
    supporter = make_user(member_of={place.slug: ["business"]}, locale="ar")
    english = make_user(member_of={place.slug: ["owner"]}, locale="en")
    manager = make_user(manager_of=[place.slug])
    idea_title = unique("Bänke am Spielplatz ")
    idea_id = make_idea(place, author, title=idea_title)
    other_idea = make_idea(place, author)
    foreign_idea = make_idea(elsewhere, make_user(member_of={elsewhere.slug: ["resident"]}))
    support(signed_in(new_client, supporter), idea_id)
    support(signed_in(new_client, english), idea_id)
    office = signed_in(new_client, manager)
    support(office, idea_id)  # the manager writing the proposal gets no mail

    title = unique("Schattige Bänke ")
    data = proposal_data(
        place, title, title_ar="مقاعد مظللة", ideas=[str(idea_id), str(foreign_idea)]
    )
    response = office.submit(new_path(concept_id), data)
    assert response.status_code == 422
    assert text_of(response, "#ideas-error") == translated(
        "de", "Only published ideas of this area can be linked."
    )
    checked = {b["value"] for b in page(response).select("fieldset#ideas input[checked]")}
    assert checked == {str(idea_id)}
    assert proposals_in(db, loop, concept_id) == []
    assert idea_by_id(db, loop, idea_id).status is IdeaStatus.NEW

    proposal_id = created_id(office.submit(new_path(concept_id), {**data, "ideas": [str(idea_id)]}))
    assert linked_ideas(db, loop, proposal_id) == {idea_id}
    assert idea_by_id(db, loop, idea_id).status is IdeaStatus.ACCEPTED
    assert idea_by_id(db, loop, other_idea).status is IdeaStatus.NEW
    logged = [e for e in settings_log(db, loop, place) if e.idea_id == idea_id]
    assert [(e.actor_id, e.target_user_id, e.item_label) for e in logged] == [
        (manager.id, author.id, idea_title)
    ]

    deliver_mail()
    (to_author,) = smtp_server.to(author.email)
    assert to_author["Content-Language"] == "de"
    assert idea_title in to_author["Subject"]
    text = body_of(to_author, "plain")
    assert translated("de", 'It was taken into the concept as "%(title)s".', title=title) in text
    assert f"/de/proposals/{proposal_id}" in text

    (to_supporter,) = smtp_server.to(supporter.email)
    assert to_supporter["Content-Language"] == "ar"
    html = body_of(to_supporter, "html")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span lang="ar" dir="rtl">مقاعد مظللة</span>' in html  # the title in Arabic
    assert f"/ar/proposals/{proposal_id}" in html

    (to_english,) = smtp_server.to(english.email)
    assert f'<span lang="de" dir="ltr">{title}</span>' in body_of(to_english, "html")
    assert smtp_server.to(manager.email) == []

    # Saving again, or linking one more idea, tells nobody twice.
    response = office.submit(
        edit_path(proposal_id), {**data, "ideas": [str(idea_id), str(other_idea)]}
    )
    assert response.status_code == 303
    deliver_mail()
    assert len(smtp_server.to(supporter.email)) == 1
    assert len(smtp_server.to(author.email)) == 2  # the second idea is theirs too
    assert outbox_count(db, loop, f"proposal-idea:{proposal_id}:") == 4
    assert idea_by_id(db, loop, other_idea).status is IdeaStatus.ACCEPTED

    # Unlinking keeps the idea's status.
    response = office.submit(edit_path(proposal_id), {**data, "ideas": [str(idea_id)]})
    assert response.status_code == 303
    assert linked_ideas(db, loop, proposal_id) == {idea_id}
    assert idea_by_id(db, loop, other_idea).status is IdeaStatus.ACCEPTED

    # The idea's page says where it went.
    shown = new_client().get(f"/de/ideas/{idea_id}")
    link = page(shown).select_one(f'.taken-into a[href="/de/proposals/{proposal_id}"]')
    assert link is not None and link.get_text(strip=True) == title

    # The service's reading side: one query each.
    async def reading(session: Any) -> tuple[list[int], dict[int, list[int]], list[int], int]:
        counter = [0]
        token = query_counter.set(counter)
        try:
            service = ProposalService(session)
            concept = await _concept(session, concept_id)
            counter[0] = 0
            proposals = await service.proposals_of(concept)
            ideas = await service.ideas_of([p.id for p in proposals])
            taken = await service.proposals_for_idea(idea_id)
            field_names = [p.field.name["de"] for p in proposals]
            assert field_names == ["Öffentlicher Raum"]
            return (
                [p.id for p in proposals],
                {k: [i.id for i in v] for k, v in ideas.items()},
                [p.id for p in taken],
                counter[0],
            )
        finally:
            query_counter.reset(token)

    assert read(db, loop, reading) == ([proposal_id], {proposal_id: [idea_id]}, [proposal_id], 3)


async def _concept(session: Any, concept_id: int) -> Any:
    from participation.concepts.services import ConceptService

    return await ConceptService(session).get(concept_id)


def test_progress_is_recorded_in_dated_steps(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    manager = make_user(manager_of=[place.slug])
    writer = signed_in(new_client, manager)
    proposal_id = created_id(
        writer.submit(new_path(concept_id), proposal_data(place, unique("Bänke ")))
    )
    office = signed_in(new_client, manager, "ar")
    path = progress_path(proposal_id, "ar")
    soup = page(office.get(path))
    assert len(soup.select("h1")) == 1
    assert soup.select_one("fieldset#progress legend") is not None
    values = [i["value"] for i in soup.select('fieldset#progress input[type="radio"]')]
    assert values == ["decided", "funded", "in_progress", "done", "dropped"]
    day = soup.select_one('input#happened_on[type="date"]')
    assert day is not None and day["value"] == today().isoformat()

    decided = today() - timedelta(days=20)
    response = office.submit(path, {"progress": "decided", "happened_on": decided.isoformat()})
    assert response.status_code == 303
    assert proposal_by_id(db, loop, proposal_id).progress is Progress.DECIDED

    # Dropped needs a reason; a day in the future is refused; nothing is saved.
    response = office.submit(path, {"progress": "dropped", "happened_on": today().isoformat()})
    assert response.status_code == 422
    assert text_of(response, "#note-error") == translated(
        "ar", "Please write why the proposal was dropped."
    )
    tomorrow = today() + timedelta(days=2)
    response = office.submit(
        path, {"progress": "funded", "happened_on": tomorrow.isoformat(), "note": "Bewilligt"}
    )
    assert response.status_code == 422
    assert text_of(response, "#happened_on-error") == translated(
        "ar", "The date cannot be in the future."
    )
    assert text_of(response, "#note") == "Bewilligt"
    response = office.submit(path, {"progress": "proposed", "happened_on": "2026-01-01"})
    assert response.status_code == 422
    assert text_of(response, "#progress-error") == translated(
        "ar", "Please choose a step from the list."
    )
    response = office.submit(path, {"progress": "done", "happened_on": "31.02.2026"})
    assert response.status_code == 422
    assert text_of(response, "#happened_on-error") == translated("ar", "Please enter a valid date.")
    assert [s.progress for s in steps_of(db, loop, proposal_id)] == [Progress.DECIDED]
    assert proposal_by_id(db, loop, proposal_id).progress is Progress.DECIDED

    reason = "Der Träger hat sich aufgelöst; die Mittel gehen an ein anderes Projekt."
    response = office.submit(
        path, {"progress": "dropped", "happened_on": today().isoformat(), "note": reason}
    )
    assert response.status_code == 303
    # A step entered later for an earlier day does not change the state.
    funded = today() - timedelta(days=10)
    response = office.submit(path, {"progress": "funded", "happened_on": funded.isoformat()})
    assert response.status_code == 303
    steps = steps_of(db, loop, proposal_id)
    assert [(s.progress, s.happened_on, s.note) for s in steps] == [
        (Progress.DECIDED, decided, ""),
        (Progress.FUNDED, funded, ""),
        (Progress.DROPPED, today(), reason),
    ]
    assert proposal_by_id(db, loop, proposal_id).progress is Progress.DROPPED
    shown = office.get(path)
    assert len(page(shown).select("ol.steps li")) == 3
    assert reason in text_of(shown, "ol.steps")
    assert settings_log(db, loop, place)[-1].reason == f"progress: funded on {funded.isoformat()}"


def test_only_the_areas_managers_write_proposals(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place, elsewhere = make_area(), make_area()
    concept_id = current_concept_id(db, loop, place)
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}))
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    title = unique("Bänke ")
    proposal_id = created_id(office.submit(new_path(concept_id), proposal_data(place, title)))
    outsider = signed_in(new_client, make_user(manager_of=[elsewhere.slug]))
    member = signed_in(new_client, make_user(member_of={place.slug: ["resident"]}))
    forbidden = translated("de", "Only the quarter managers of this area can do this.")
    paths = [new_path(concept_id), edit_path(proposal_id), progress_path(proposal_id)]
    changed = proposal_data(place, "Übernommen", ideas=[str(idea_id)])

    for browser in (outsider, member):
        for path in paths:
            response = browser.get(path)
            assert response.status_code == 403, path
            assert forbidden in text_of(response, "main")
        assert post_without_form(browser, paths[0], changed).status_code == 403
        assert post_without_form(browser, paths[1], changed).status_code == 403
        step = {"progress": "done", "happened_on": today().isoformat()}
        assert post_without_form(browser, paths[2], step).status_code == 403

    (stored,) = proposals_in(db, loop, concept_id)
    assert (stored.title, stored.progress) == ({"de": title}, Progress.PROPOSED)
    assert steps_of(db, loop, proposal_id) == []
    assert idea_by_id(db, loop, idea_id).status is IdeaStatus.NEW

    anonymous = new_client()
    for path in paths:
        response = anonymous.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/de/signin?next=")
    assert anonymous.get("/de/proposals/999999999/edit").status_code == 404


def test_an_archived_area_gets_no_new_proposals(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area(status="consolidation")
    concept_id = current_concept_id(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    assert office.get(new_path(concept_id)).status_code == 403
    response = post_without_form(office, new_path(concept_id), proposal_data(place, "Bänke"))
    assert response.status_code == 403
    assert proposals_in(db, loop, concept_id) == []


def test_proposals_keep_the_order_of_their_fields(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    made = []
    for index in (2, 0, 2, 1):
        data = proposal_data(place, f"Maßnahme {index}", field=str(place.field_ids[index]))
        made.append((index, created_id(office.submit(new_path(concept_id), data))))

    async def order(session: Any) -> list[tuple[int, int]]:
        concept = await _concept(session, concept_id)
        proposals = await ProposalService(session).proposals_of(concept)
        return [(place.field_ids.index(p.field_id), p.position) for p in proposals]

    assert read(db, loop, order) == [(0, 0), (1, 0), (2, 0), (2, 1)]
