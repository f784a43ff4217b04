"""Concepts (IHEK) managed on the platform: the area's managers create one for a period with the
standard fields of action, edit its vision, profile and fields; earlier concepts stay readable;
bad years are refused with translated errors; nobody else can change anything."""

from __future__ import annotations

from typing import Any

import pytest

from participation.concepts.services import ConceptService
from participation.db import Database
from participation.demo_content import FIELDS_OF_ACTION
from tests.conftest import Loop, page, signed_in, text_of, unique
from tests.functional.concept_helpers import (
    MakeArea,
    MakeIdea,
    MakeUser,
    NewClient,
    concepts_of,
    current_concept_id,
    fields_of,
    post_without_form,
    read,
    settings_log,
    translated,
)

VISION = "Ein grüner, sicherer Kiez, in dem sich Nachbarinnen und Nachbarn kennen."
VISION_TR = "Komşuların birbirini tanıdığı yeşil ve güvenli bir mahalle."
PROFILE = "Rund 5.000 Menschen, viele Familien, wenig Grün."


def new_path(slug: str, locale: str = "de") -> str:
    return f"/{locale}/areas/{slug}/concepts/new"


def edit_path(concept_id: int, locale: str = "de") -> str:
    return f"/{locale}/concepts/{concept_id}/edit"


def concept_data(first: str, last: str, **extra: str) -> dict[str, str]:
    return {
        "first_year": first,
        "last_year": last,
        "vision_de": VISION,
        "vision_tr": VISION_TR,
        "profile_de": PROFILE,
        **extra,
    }


def test_manager_creates_a_concept_with_the_standard_fields(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    previous_id = current_concept_id(db, loop, place)
    manager = make_user(manager_of=[place.slug])
    office = signed_in(new_client, manager)

    form = page(office.get(new_path(place.slug)))
    assert len(form.select("h1")) == 1
    assert form.select_one(".breadcrumbs") is not None
    assert form.select_one("fieldset legend") is not None  # the period
    for name in ("first_year", "last_year", "vision_de", "profile_de", "vision_ar"):
        assert form.select_one(f'label[for="{name}"]') is not None, name
    arabic = form.select_one("#vision_ar")
    assert arabic is not None and (arabic["lang"], arabic["dir"]) == ("ar", "rtl")
    german = form.select_one("#vision_de")
    assert german is not None and (german["lang"], german["dir"]) == ("de", "ltr")
    assert form.select_one("details #vision_tr") is not None
    year = form.select_one("#first_year")
    assert year is not None and year["value"] == "2028"  # after the current concept

    response = office.submit(new_path(place.slug), concept_data("2028", "2030"))
    assert response.status_code == 303
    concepts = concepts_of(db, loop, place)
    assert [(c.first_year, c.last_year, c.is_current) for c in concepts] == [
        (2025, 2027, False),
        (2028, 2030, True),
    ]
    created = concepts[1]
    assert response.headers["location"] == edit_path(created.id)
    assert created.vision == {"de": VISION, "tr": VISION_TR}
    assert created.profile == {"de": PROFILE}

    fields = fields_of(db, loop, created.id)
    assert [(f.key, f.name, f.cross_cutting) for f in fields] == [
        (data["key"], data["name"], data["cross_cutting"]) for data in FIELDS_OF_ACTION
    ]
    assert fields[0].name["de"] == "Integration und Nachbarschaft"
    assert fields[-1].name["ar"] and fields[-1].cross_cutting

    # The earlier concept stays readable with its own fields of action.
    async def earlier(session: Any) -> tuple[bool, list[str]]:
        concept = await ConceptService(session).get(previous_id)
        return concept.is_current, [f.key for f in concept.fields]

    assert read(db, loop, earlier) == (False, ["education", "public-space", "climate"])

    edit = office.get(response.headers["location"])
    assert edit.status_code == 200
    assert page(edit).select_one(".flash") is not None
    assert len(page(edit).select(".field-list > li")) == len(FIELDS_OF_ACTION)
    (entry,) = settings_log(db, loop, place)
    assert (entry.actor_id, entry.item_label) == (manager.id, "IHEK 2028–2030")


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_years_that_overlap_or_run_backwards_are_refused(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)
    path = new_path(place.slug, locale)
    cases = [
        (
            concept_data("2026", "2028"),
            "first_year",
            translated(
                locale,
                "The concept %(period)s of this area already covers some of these years.",
                period="2025–2027",
            ),
        ),
        (
            concept_data("2030", "2028"),
            "last_year",
            translated(locale, "The last year cannot come before the first year."),
        ),
        (
            concept_data("2028", "2033"),
            "last_year",
            translated(locale, "A concept covers at most %(years)s years.", years=5),
        ),
        (
            concept_data("20x8", "2030"),
            "first_year",
            translated(
                locale, "Please enter a year from %(first)s to %(last)s.", first=2000, last=2100
            ),
        ),
        (
            concept_data("2028", "2030", vision_de=" "),
            "vision_de",
            translated(locale, "Please write the guiding vision in German."),
        ),
    ]
    for data, field, message in cases:
        response = office.submit(path, data)
        assert response.status_code == 422, data
        soup = page(response)
        assert soup.html is not None and soup.html["lang"] == locale
        assert text_of(response, f"#{field}-error") == message
        assert message in text_of(response, ".error-summary")
        element = soup.select_one(f"#{field}")
        assert element is not None and element["aria-invalid"] == "true"
        # What was written comes back.
        assert text_of(response, "#vision_tr") == VISION_TR
    assert len(concepts_of(db, loop, place)) == 1


def test_editing_vision_profile_and_fields_of_action(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    concept_id = current_concept_id(db, loop, place)
    make_idea(place, make_user(member_of={place.slug: ["resident"]}), field_index=0)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    path = edit_path(concept_id)

    soup = page(office.get(path))
    assert len(soup.select("h1")) == 1
    assert len(soup.select(".field-list > li")) == 3
    # The field ideas use cannot be removed; the others can.
    used, free, _climate = place.field_ids
    assert soup.select_one(f'#field-{used} input[name="form"][value="remove-{used}"]') is None
    assert soup.select_one(f'#field-{free} input[name="form"][value="remove-{free}"]') is not None
    name_ar = soup.select_one(f"#field-{used}-name_ar")
    assert name_ar is not None and name_ar["dir"] == "rtl"

    response = office.submit(
        path,
        {
            "form": "concept",
            "vision_de": "Neues Leitbild",
            "vision_en": "New vision",
            "profile_de": "",
        },
    )
    assert response.status_code == 303
    (concept,) = concepts_of(db, loop, place)
    assert (concept.vision, concept.profile) == ({"de": "Neues Leitbild", "en": "New vision"}, {})

    response = office.submit(
        path,
        {
            "form": f"field-{used}",
            f"field-{used}-name_de": "Bildung und Sprache",
            f"field-{used}-name_ar": "التعليم واللغة",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}#field-{used}"
    renamed = next(f for f in fields_of(db, loop, concept_id) if f.id == used)
    assert renamed.name == {"de": "Bildung und Sprache", "ar": "التعليم واللغة"}
    assert not renamed.cross_cutting

    response = office.submit(
        path,
        {
            "form": "field-new",
            "field-new-name_de": "Lokale Ökonomie",
            "field-new-cross_cutting": "y",
        },
    )
    assert response.status_code == 303
    added = fields_of(db, loop, concept_id)[-1]
    assert (added.key, added.name, added.cross_cutting, added.position) == (
        "lokale-okonomie",
        {"de": "Lokale Ökonomie"},
        True,
        3,
    )

    # Without a German name: refused, with the error at the field and the input kept.
    response = office.submit(
        path,
        {"form": f"field-{free}", f"field-{free}-name_de": "", f"field-{free}-name_tr": "Kamu"},
    )
    assert response.status_code == 422
    assert text_of(response, f"#field-{free}-name_de-error") == translated(
        "de", "Please write the name in German."
    )
    kept = page(response).select_one(f"#field-{free}-name_tr")
    assert kept is not None and kept["value"] == "Kamu"
    assert next(f for f in fields_of(db, loop, concept_id) if f.id == free).name["de"] == (
        "Öffentlicher Raum"
    )

    # A field that ideas use stays; an unused one goes.
    response = office.submit(path, {"form": f"remove-{used}"})
    assert response.status_code == 409
    assert text_of(response, f"#field-{used} .field-error") == translated(
        "de",
        "Ideas or proposals belong to this field of action, so it cannot be removed. "
        "You can rename it instead.",
    )
    response = office.submit(path, {"form": f"remove-{free}"})
    assert response.status_code == 303
    assert [f.id for f in fields_of(db, loop, concept_id)] == [used, _climate, added.id]
    assert [e.reason for e in settings_log(db, loop, place)] == [
        "vision and profile changed",
        "field of action changed",
        "field of action added",
        "field of action removed",
    ]


def test_only_the_areas_managers_manage_its_concepts(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place, elsewhere = make_area(), make_area()
    concept_id = current_concept_id(db, loop, place)
    outsider = signed_in(new_client, make_user(manager_of=[elsewhere.slug]))
    member = signed_in(new_client, make_user(member_of={place.slug: ["resident"]}))
    forbidden = translated("de", "Only the quarter managers of this area can do this.")

    for browser in (outsider, member):
        for path in (new_path(place.slug), edit_path(concept_id)):
            response = browser.get(path)
            assert response.status_code == 403, path
            assert forbidden in text_of(response, "main")
        response = post_without_form(browser, new_path(place.slug), concept_data("2028", "2030"))
        assert response.status_code == 403
        response = post_without_form(
            browser, edit_path(concept_id), {"form": "concept", "vision_de": "Übernommen"}
        )
        assert response.status_code == 403
        field = place.field_ids[1]
        response = post_without_form(browser, edit_path(concept_id), {"form": f"remove-{field}"})
        assert response.status_code == 403

    (concept,) = concepts_of(db, loop, place)
    assert concept.vision == {}
    assert len(fields_of(db, loop, concept_id)) == 3
    assert settings_log(db, loop, place) == []

    anonymous = new_client()
    for path in (new_path(place.slug), edit_path(concept_id)):
        response = anonymous.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/de/signin?next=")


def test_an_archived_area_gets_no_new_concept(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area(status="consolidation")
    office = signed_in(new_client, make_user(admin=True))
    assert office.get(new_path(place.slug)).status_code == 403
    response = post_without_form(office, new_path(place.slug), concept_data("2028", "2030"))
    assert response.status_code == 403
    assert len(concepts_of(db, loop, place)) == 1
    # Its concept can still be corrected.
    assert office.get(edit_path(current_concept_id(db, loop, place))).status_code == 200


def test_a_concept_entered_for_an_earlier_period_does_not_become_current(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(admin=True, display_name=unique("Bezirk ")))
    response = office.submit(new_path(place.slug), concept_data("2021", "2023"))
    assert response.status_code == 303
    assert [(c.first_year, c.is_current) for c in concepts_of(db, loop, place)] == [
        (2021, False),
        (2025, True),
    ]
