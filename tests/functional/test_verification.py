"""Verifying memberships: code sheets printed by managers, codes typed by members, by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from participation.accounts.models import Membership, VerificationCode, VerificationEvent
from participation.accounts.verification import code_hash
from participation.db import Database, utcnow
from tests.conftest import Browser, Loop, Person, Place, page, text_of


def print_codes(browser: Browser, place: Place, count: int = 3, days: int = 30) -> list[str]:
    response = browser.submit(
        f"/de/areas/{place.slug}/manage/codes", {"count": str(count), "valid_days": str(days)}
    )
    assert response.status_code == 200, response.text
    return [c.get_text(strip=True) for c in page(response).select(".slip__code code")]


def membership(db: Database, loop: Loop, person: Person, place: Place) -> Membership:
    async def read() -> Membership:
        async with db.session() as session:
            result = await session.execute(
                select(Membership).where(
                    Membership.user_id == person.id, Membership.area_id == place.id
                )
            )
            return result.scalar_one()

    return loop.run(read())


@pytest.fixture
def place(make_area: Callable[..., Place]) -> Place:
    return make_area()


@pytest.fixture
def manager(make_user: Callable[..., Person], place: Place) -> Person:
    return make_user(manager_of=[place.slug])


def test_manager_prints_a_sheet_and_a_member_verifies_with_a_code(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    place: Place,
    manager: Person,
    db: Database,
    loop: Loop,
) -> None:
    office = new_client()
    office.sign_in(manager)
    codes = print_codes(office, place, count=3)
    assert len(set(codes)) == 3
    assert all(len(code) == 11 and code[5] == "-" for code in codes)

    member = make_user(member_of={place.slug: ["resident"]})
    resident = new_client()
    resident.sign_in(member)
    typed = codes[0].lower().replace("-", " ")  # as read from paper
    done = resident.submit(f"/de/areas/{place.slug}/verify", {"code": typed})
    assert done.status_code == 303
    assert membership(db, loop, member, place).verified_at is not None

    other = make_user(member_of={place.slug: ["business"]})
    neighbour = new_client()
    neighbour.sign_in(other)
    used = neighbour.submit(f"/ar/areas/{place.slug}/verify", {"code": codes[0]})
    assert used.status_code == 422
    assert page(used).html["lang"] == "ar"  # type: ignore[index]
    assert page(used).select_one("#code-error") is not None
    assert membership(db, loop, other, place).verified_at is None

    listing = office.get(f"/de/areas/{place.slug}/manage/members")
    assert listing.status_code == 200
    assert "mit einem Code" in text_of(listing, f"#member-{membership(db, loop, member, place).id}")


def test_codes_of_another_area_or_expired_ones_do_not_work(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    place: Place,
    manager: Person,
    db: Database,
    loop: Loop,
) -> None:
    elsewhere = make_area()
    other_manager = make_user(manager_of=[elsewhere.slug])
    office = new_client()
    office.sign_in(other_manager)
    foreign = print_codes(office, elsewhere, count=1)[0]
    own_office = new_client()
    own_office.sign_in(manager)
    expiring = print_codes(own_office, place, count=1)[0]

    async def expire() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(VerificationCode)
                .where(VerificationCode.code_hash == code_hash(expiring))
                .values(expires_at=utcnow() - timedelta(minutes=1))
            )

    loop.run(expire())
    member = make_user(member_of={place.slug: ["resident"]})
    browser = new_client()
    browser.sign_in(member)
    wrong_area = browser.submit(f"/de/areas/{place.slug}/verify", {"code": foreign})
    expired = browser.submit(f"/de/areas/{place.slug}/verify", {"code": expiring})
    assert wrong_area.status_code == expired.status_code == 422
    assert text_of(wrong_area, "#code-error") != text_of(expired, "#code-error")
    assert "QM" in text_of(expired, ".error-summary")  # next step: ask the QM office
    assert membership(db, loop, member, place).verified_at is None


def test_entering_codes_is_rate_limited(
    client: Browser, make_user: Callable[..., Person], place: Place
) -> None:
    client.sign_in(make_user(member_of={place.slug: ["resident"]}))
    statuses = [
        client.submit(f"/de/areas/{place.slug}/verify", {"code": f"AAAAA-BBBB{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [422] * 5 + [429]


def test_manager_verifies_and_withdraws_by_hand_with_a_record(
    client: Browser,
    make_user: Callable[..., Person],
    place: Place,
    manager: Person,
    db: Database,
    loop: Loop,
) -> None:
    member = make_user(member_of={place.slug: ["owner"]})
    target = membership(db, loop, member, place)
    client.sign_in(manager)
    path = f"/de/areas/{place.slug}/manage/members/verify"
    page_path = f"/de/areas/{place.slug}/manage/members"
    verify = client.submit(
        path, {"membership": str(target.id), "verified": "1"}, page_path=page_path
    )
    assert verify.status_code == 303
    assert membership(db, loop, member, place).verified_at is not None
    withdraw = client.submit(
        path, {"membership": str(target.id), "verified": "0"}, page_path=page_path
    )
    assert withdraw.status_code == 303
    assert membership(db, loop, member, place).verified_at is None

    async def events() -> list[tuple[bool, str, int | None]]:
        async with db.session() as session:
            rows = await session.execute(
                select(
                    VerificationEvent.verified, VerificationEvent.method, VerificationEvent.by_id
                )
                .where(VerificationEvent.membership_id == target.id)
                .order_by(VerificationEvent.id)
            )
            return [(v, m.value, b) for v, m, b in rows.all()]

    assert loop.run(events()) == [(True, "manual", manager.id), (False, "manual", manager.id)]


def test_only_the_areas_managers_reach_the_management_pages(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    place: Place,
    db: Database,
    loop: Loop,
) -> None:
    member = make_user(member_of={place.slug: ["resident"]})
    target = membership(db, loop, member, place)
    elsewhere = make_area()
    for person in [member, make_user(manager_of=[elsewhere.slug])]:
        browser = new_client()
        browser.sign_in(person)
        assert browser.get(f"/de/areas/{place.slug}/manage/members").status_code == 403
        assert browser.get(f"/de/areas/{place.slug}/manage/codes").status_code == 403
        token = browser.form_token("/de/profile")
        response = browser.post(
            f"/de/areas/{place.slug}/manage/members/verify",
            data={"csrf_token": token, "membership": str(target.id), "verified": "1"},
        )
        assert response.status_code == 403
    assert membership(db, loop, member, place).verified_at is None
    anonymous = new_client()
    assert anonymous.get(f"/de/areas/{place.slug}/manage/members").status_code == 303
    admin = new_client()
    admin.sign_in(make_user(admin=True))
    assert admin.get(f"/de/areas/{place.slug}/manage/members").status_code == 200
