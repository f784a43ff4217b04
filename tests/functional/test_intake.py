"""Assisted intake: the QM office enters an idea from paper or a Kiez event; it is public with
the office's mark, and the person's contact is seen by the area's QM team only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from participation import i18n
from participation.areas.models import Area
from participation.db import Database
from participation.ideas.models import Idea, ModerationState
from participation.moderation.models import Action, IntakeContact, ModerationAction
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of, unique

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
NewClient = Callable[[], Browser]

BODY = "Beim Kiezfest gesammelt: Mehr Schatten auf dem Spielplatz, am besten mit Bäumen."
CONTACT = {
    "contact_name": "Frau Yilmaz",
    "contact": "030 1234567",
    "note": "Kiezfest am Mehringplatz, Stand des QM, 14. Juni",
}


def translated(locale: str, message: str, **variables: Any) -> str:
    token = i18n.set_locale(locale)
    try:
        return i18n.gettext(message, **variables)
    finally:
        i18n.reset_locale(token)


def intake_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/ideas/intake"


def idea_data(place: Place, title: str, **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "body": BODY,
        "field": str(place.field_ids[1]),
        "place": "Spielplatz Friedrichstraße",
        "language": "de",
        **extra,
    }


def ideas_titled(db: Database, loop: Loop, title: str) -> list[Idea]:
    async def read() -> list[Idea]:
        async with db.session() as session:
            return list((await session.execute(select(Idea).where(Idea.title == title))).scalars())

    return loop.run(read())


def contact_of(db: Database, loop: Loop, idea_id: int) -> IntakeContact | None:
    async def read() -> IntakeContact | None:
        async with db.session() as session:
            return await session.get(IntakeContact, idea_id)

    return loop.run(read())


def idea_count(db: Database, loop: Loop, place: Place) -> int:
    async def read() -> int:
        async with db.session() as session:
            count = await session.scalar(select(Area.idea_count).where(Area.id == place.id))
            return int(count or 0)

    return loop.run(read())


def log_of(db: Database, loop: Loop, idea_id: int) -> list[ModerationAction]:
    async def read() -> list[ModerationAction]:
        async with db.session() as session:
            result = await session.execute(
                select(ModerationAction).where(
                    ModerationAction.idea_id == idea_id, ModerationAction.action == Action.INTAKE
                )
            )
            return list(result.scalars())

    return loop.run(read())


def office_mark() -> list[str]:
    """The words of the author line of an idea the office entered, around its date, as the app
    says them in German (the date's place depends on the language)."""
    marker = "\u2063"
    line = translated("de", "Submitted via the QM office on %(date)s", date=marker)
    return [part.strip() for part in line.split(marker) if part.strip()]


def test_office_enters_an_idea_with_a_private_contact(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug], display_name=unique("Jana vom QM "))
    office = signed_in(new_client, manager)
    ideas_page = page(office.get(f"/de/areas/{place.slug}/ideas"))
    assert ideas_page.select_one(f'a[href="{intake_path(place)}"]') is not None
    form = page(office.get(intake_path(place)))
    for name in ("title", "body", "field", "place", "language", "contact_name", "contact", "note"):
        assert form.select_one(f'label[for="{name}"]') is not None, name
    assert form.select_one('input[type="file"]') is None

    title = unique("Schatten am Spielplatz ")
    before = idea_count(db, loop, place)
    response = office.submit(intake_path(place), idea_data(place, title, **CONTACT))
    assert response.status_code == 303
    (idea,) = ideas_titled(db, loop, title)
    assert response.headers["location"] == f"/de/ideas/{idea.id}"
    assert idea.submitted_by_office
    assert idea.author_id == manager.id
    assert idea.moderation_state is ModerationState.VISIBLE
    assert idea.field_id == place.field_ids[1]
    assert idea_count(db, loop, place) == before + 1
    contact = contact_of(db, loop, idea.id)
    assert contact is not None
    assert (contact.name, contact.contact, contact.note) == tuple(CONTACT.values())
    (entry,) = log_of(db, loop, idea.id)
    assert (entry.actor_id, entry.item_label, entry.area_id) == (manager.id, title, place.id)

    mark = office_mark()
    member = signed_in(new_client, make_user(member_of={place.slug: ["resident"]}))
    for browser in (new_client(), member):
        shown = browser.get(f"/de/ideas/{idea.id}")
        assert shown.status_code == 200
        author_line = text_of(shown, ".idea .meta")
        assert all(part in author_line for part in mark)
        assert f"QM {place.name}" in author_line
        assert manager.display_name not in shown.text
        for secret in CONTACT.values():
            assert secret not in shown.text
        assert page(shown).select_one("#private-contact-heading") is None
        listed = browser.get(f"/de/areas/{place.slug}/ideas")
        card = text_of(listed, f"#idea-{idea.id}-title + .meta")
        assert all(part in card for part in mark)
        assert manager.display_name not in listed.text

    for viewer in (office, signed_in(new_client, make_user(admin=True))):
        shown = viewer.get(f"/de/ideas/{idea.id}")
        box = page(shown).select_one("section[aria-labelledby=private-contact-heading]")
        assert box is not None
        for secret in CONTACT.values():
            assert secret in box.get_text()

    # The open data never carries the contact.
    for path in (f"/api/areas/{place.slug}/ideas", f"/api/areas/{place.slug}/ideas.csv"):
        exported = new_client().get(path)
        assert exported.status_code == 200
        assert title in exported.text
        for secret in CONTACT.values():
            assert secret not in exported.text


def test_without_contact_nothing_private_is_kept(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    title = unique("Idee vom Papier ")
    empty = {"contact_name": " ", "contact": "", "note": ""}
    response = office.submit(intake_path(place), idea_data(place, title, **empty))
    assert response.status_code == 303
    (idea,) = ideas_titled(db, loop, title)
    assert idea.submitted_by_office
    assert contact_of(db, loop, idea.id) is None
    assert page(office.get(f"/de/ideas/{idea.id}")).select_one("#private-contact-heading") is None
    assert len(log_of(db, loop, idea.id)) == 1


def test_validation_errors_keep_the_text(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    office = signed_in(new_client, make_user(manager_of=[place.slug]), "ar")
    response = office.submit(
        intake_path(place, "ar"), idea_data(place, "Bank", field="", **CONTACT)
    )
    assert response.status_code == 422
    soup = page(response)
    assert soup.html is not None and soup.html["lang"] == "ar"
    assert text_of(response, "#title-error") == translated(
        "ar", "Please write between %(min)d and %(max)d characters.", min=5, max=120
    )
    assert soup.select_one("#field-error") is not None
    title = soup.select_one("#title")
    assert title is not None and title["value"] == "Bank" and title["aria-invalid"] == "true"
    assert text_of(response, "#body") == BODY
    for name in ("contact_name", "contact"):
        field = soup.select_one(f"#{name}")
        assert field is not None and field["value"] == CONTACT[name]
    assert text_of(response, "#note") == CONTACT["note"]
    assert ideas_titled(db, loop, "Bank") == []


def test_only_the_areas_office_can_enter_ideas(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place, elsewhere = make_area(), make_area()
    title = unique("Nicht erlaubt ")
    before = idea_count(db, loop, place)
    member = make_user(member_of={place.slug: ["resident"]})
    other_manager = make_user(manager_of=[elsewhere.slug], member_of={place.slug: ["owner"]})
    for person in (other_manager, member):
        browser = signed_in(new_client, person)
        assert browser.get(intake_path(place)).status_code == 403
        listed = page(browser.get(f"/de/areas/{place.slug}/ideas"))
        assert listed.select_one(f'a[href="{intake_path(place)}"]') is None
        token = browser.form_token(f"/de/areas/{place.slug}/ideas")
        response = browser.post(
            intake_path(place), data={"csrf_token": token, **idea_data(place, title, **CONTACT)}
        )
        assert response.status_code == 403
        assert text_of(response, "#body") == BODY  # what they wrote is not lost

    visitor = new_client()
    response = visitor.get(intake_path(place))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=")
    token = visitor.form_token("/de/signin")
    response = visitor.post(
        intake_path(place), data={"csrf_token": token, **idea_data(place, title)}
    )
    assert response.status_code == 403

    assert ideas_titled(db, loop, title) == []
    assert idea_count(db, loop, place) == before


def test_no_intake_in_an_area_in_consolidation(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area(status="consolidation")
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    assert office.get(intake_path(place)).status_code == 403
    title = unique("Zu spät ")
    token = office.form_token(f"/de/areas/{place.slug}/ideas")
    response = office.post(
        intake_path(place), data={"csrf_token": token, **idea_data(place, title)}
    )
    assert response.status_code == 403
    assert ideas_titled(db, loop, title) == []
