"""The district office appoints and removes quarter managers; nobody else can."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from participation.areas.models import AreaManager
from participation.db import Database
from tests.conftest import Browser, Loop, Person, Place, page


def is_manager(db: Database, loop: Loop, person: Person, place: Place) -> bool:
    async def read() -> bool:
        async with db.session() as session:
            found = await session.execute(
                select(func.count()).where(
                    AreaManager.user_id == person.id, AreaManager.area_id == place.id
                )
            )
            return bool(found.scalar_one())

    return loop.run(read())


def test_admin_appoints_and_removes_a_manager(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    office = new_client()
    office.sign_in(make_user(admin=True))
    person = make_user()
    appointed = office.submit(
        "/de/admin/managers",
        {"area": place.slug, "email": person.email.upper()},
        page_path="/de/admin/managers",
    )
    assert appointed.status_code == 303
    assert is_manager(db, loop, person, place)
    manager = new_client()
    manager.sign_in(person)
    assert manager.get(f"/de/areas/{place.slug}/manage/members").status_code == 200

    removed = office.submit(
        "/de/admin/managers",
        {"area": place.slug, "remove": str(person.id)},
        page_path="/de/admin/managers",
    )
    assert removed.status_code == 303
    assert not is_manager(db, loop, person, place)
    assert manager.get(f"/de/areas/{place.slug}/manage/members").status_code == 403


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_unknown_address_is_explained_next_to_the_field(
    client: Browser, make_user: Callable[..., Person], make_area: Callable[..., Place], locale: str
) -> None:
    place = make_area()
    client.sign_in(make_user(admin=True))
    response = client.submit(
        f"/{locale}/admin/managers",
        {"area": place.slug, "email": "niemand@example.org"},
        page_path=f"/{locale}/admin/managers",
    )
    assert response.status_code == 422
    soup = page(response)
    assert soup.html is not None and soup.html["lang"] == locale
    assert soup.select_one(f"#email-{place.slug}-error") is not None
    field = soup.select_one(f"#email-{place.slug}")
    assert field is not None and field["value"] == "niemand@example.org"


def test_only_the_district_office_manages_managers(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    target = make_user()
    for person in [
        make_user(manager_of=[place.slug]),
        make_user(member_of={place.slug: ["resident"]}),
    ]:
        browser = new_client()
        browser.sign_in(person)
        assert browser.get("/de/admin/managers").status_code == 403
        token = browser.form_token("/de/profile")
        response = browser.post(
            "/de/admin/managers",
            data={"csrf_token": token, "area": place.slug, "email": target.email},
        )
        assert response.status_code == 403
    assert not is_manager(db, loop, target, place)
    assert new_client().get("/de/admin/managers").status_code == 303
