"""The audit log: role changes are logged once, only an area's managers and admins read it,
filters and the CSV export, the database refuses changes, and the public monthly counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from participation.areas.models import Area
from participation.db import Database, utcnow
from participation.demo import create_user
from participation.ideas.models import Comment
from participation.moderation.audit import (
    AuditService,
    berlin_month,
    month_start,
)
from participation.moderation.models import Action, ModerationAction, Reason, Report
from tests.conftest import Browser, Loop, Person, Place, page, signed_in

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
NewClient = Callable[[], Browser]


def log_rows(db: Database, loop: Loop, place: Place, *rows: dict[str, Any]) -> list[int]:
    """Write log entries with chosen times and contents, as the services would."""

    async def add() -> list[int]:
        async with db.session(write=True) as session:
            entries = [ModerationAction(area_id=place.id, **row) for row in rows]
            session.add_all(entries)
            await session.flush()
            return [entry.id for entry in entries]

    return loop.run(add())


def logged(db: Database, loop: Loop, place: Place, action: Action) -> list[ModerationAction]:
    async def read() -> list[ModerationAction]:
        async with db.session() as session:
            rows = await session.execute(
                select(ModerationAction)
                .where(ModerationAction.area_id == place.id, ModerationAction.action == action)
                .order_by(ModerationAction.id)
            )
            return list(rows.scalars())

    return loop.run(read())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def table_rows(response: httpx.Response) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("th, td")]
        for row in page(response).select("#results tbody tr")
    ]


def csv_lines(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


# -- role actions -------------------------------------------------------------------------


def test_appointing_and_removing_a_manager_is_logged_once(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    admin = make_user(admin=True)
    office = signed_in(new_client, admin)
    person = make_user()

    def change(data: dict[str, str]) -> None:
        response = office.submit(
            "/de/admin/managers", {"area": place.slug, **data}, page_path="/de/admin/managers"
        )
        assert response.status_code == 303

    change({"email": person.email})
    change({"email": person.email})  # already a manager: nothing happens, nothing is logged
    appointed = logged(db, loop, place, Action.APPOINT)
    assert [(e.actor_id, e.actor_name, e.target_user_id, e.item_label) for e in appointed] == [
        (admin.id, admin.display_name, person.id, person.display_name)
    ]

    change({"remove": str(person.id)})
    change({"remove": str(person.id)})  # no longer a manager: nothing removed, nothing logged
    removed = logged(db, loop, place, Action.REMOVE_MANAGER)
    assert [(e.actor_id, e.target_user_id, e.item_label) for e in removed] == [
        (admin.id, person.id, person.display_name)
    ]
    assert len(logged(db, loop, place, Action.APPOINT)) == 1


def test_command_line_appointment_is_logged_once(
    make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    person = make_user()
    for _ in range(2):
        loop.run(
            create_user(
                db.url,
                email=person.email,
                password=person.password,
                display_name=None,
                admin=False,
                manager_of=[place.slug],
            )
        )
    appointed = logged(db, loop, place, Action.APPOINT)
    assert [(e.actor_id, e.actor_name, e.target_user_id, e.reason) for e in appointed] == [
        (None, "", person.id, "command line")
    ]


# -- who may read the log -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["log", "log.csv"])
def test_only_the_areas_managers_and_admins_read_the_log(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
    suffix: str,
) -> None:
    place, other = make_area(), make_area()
    log_rows(
        db,
        loop,
        place,
        {"action": Action.HIDE, "actor_name": "Frau Keller", "item_label": "Altkleider"},
    )
    path = f"/de/areas/{place.slug}/moderation/{suffix}"
    for person in [make_user(manager_of=[place.slug]), make_user(admin=True)]:
        response = signed_in(new_client, person).get(path)
        assert response.status_code == 200
        assert "Altkleider" in response.text
    for person in [
        make_user(manager_of=[other.slug]),
        make_user(member_of={place.slug: ["resident"]}),
    ]:
        response = signed_in(new_client, person).get(path)
        assert response.status_code == 403
        assert "Altkleider" not in response.text
        assert page(response).select_one("h1") is not None  # the translated error page
    anonymous = new_client().get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/de/signin?next=")


def test_unknown_area_is_not_found(new_client: NewClient, make_user: MakeUser) -> None:
    browser = signed_in(new_client, make_user(admin=True))
    assert browser.get("/de/areas/no-such-area/moderation/log").status_code == 404
    assert browser.get("/de/areas/no-such-area/moderation/statistics").status_code == 404


# -- the log page ---------------------------------------------------------------------------


def test_log_shows_entries_newest_first_with_links_to_the_items(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    idea_id = make_idea(place, manager, title="Bank am Brunnen")

    async def add_comment() -> int:
        async with db.session(write=True) as session:
            comment = Comment(idea_id=idea_id, author_id=manager.id, body="Gut!", language="de")
            session.add(comment)
            await session.flush()
            return comment.id

    comment_id = loop.run(add_comment())
    log_rows(
        db,
        loop,
        place,
        {
            "action": Action.HIDE,
            "actor_id": manager.id,
            "actor_name": manager.display_name,
            "idea_id": idea_id,
            "item_label": "Bank am Brunnen",
            "category": Reason.SPAM,
            "reason": "Werbung",
            "created_at": at("2026-05-02T10:00:00+00:00"),
        },
        {
            "action": Action.AUTO_HIDE,
            "idea_id": idea_id,
            "comment_id": comment_id,
            "item_label": "Gut!",
            "created_at": at("2026-05-03T10:00:00+00:00"),
        },
        {
            "action": Action.BLOCK,
            "actor_id": manager.id,
            "actor_name": manager.display_name,
            "item_label": "Jemand",
            "reason": "Beleidigungen",
            "created_at": at("2026-05-01T10:00:00+00:00"),
        },
    )
    response = signed_in(new_client, manager).get(f"/de/areas/{place.slug}/moderation/log")
    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("h1")) == 1
    assert soup.select_one(".breadcrumbs a[href$='/areas/" + place.slug + "']") is not None
    region = soup.select_one("div.table-scroll[role=region][tabindex='0']")
    assert region is not None
    caption = soup.select_one("#" + str(region["aria-labelledby"]))
    assert caption is not None and caption.name == "caption"
    assert [th.get("scope") for th in soup.select("thead th")] == ["col"] * 6
    rows = table_rows(response)
    assert [row[3] for row in rows] == ["Gut!", "Bank am Brunnen", "Jemand"]
    platform, hidden, blocked = rows
    assert platform[1]  # "Platform (automatic rule)", in the page's language
    assert hidden[1] == manager.display_name and hidden[5] == "Werbung"
    assert hidden[4] and not blocked[4]  # a category only where one was given
    links = [a["href"] for a in soup.select("#results tbody td a")]
    assert links == [f"/de/ideas/{idea_id}#comment-{comment_id}", f"/de/ideas/{idea_id}"]
    times = [t["datetime"] for t in soup.select("#results tbody time")]
    assert times[0] == "2026-05-03T10:00:00+00:00"
    assert len(soup.select("#filter-action option")) == len(Action) + 1
    people = [o["value"] for o in soup.select("#filter-person option")]
    assert people == ["", str(manager.id)]


def test_filters_narrow_the_rows(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    keller, yilmaz = make_user(manager_of=[place.slug]), make_user(manager_of=[place.slug])

    def by(person: Person) -> dict[str, Any]:
        return {"actor_id": person.id, "actor_name": person.display_name}

    log_rows(
        db,
        loop,
        place,
        {
            "action": Action.HIDE,
            "item_label": "m1",
            "created_at": at("2026-03-15T12:00Z"),
            **by(keller),
        },
        # 00:30 on 1 April in Berlin (summer time): April, though it is still March in UTC
        {
            "action": Action.BLOCK,
            "item_label": "a1",
            "created_at": at("2026-03-31T22:30Z"),
            **by(yilmaz),
        },
        {"action": Action.AUTO_HIDE, "item_label": "a2", "created_at": at("2026-04-20T08:00Z")},
        {
            "action": Action.HIDE,
            "item_label": "a3",
            "created_at": at("2026-04-30T21:59Z"),
            **by(yilmaz),
        },
        # 00:10 on 1 May in Berlin: May
        {
            "action": Action.HIDE,
            "item_label": "y1",
            "created_at": at("2026-04-30T22:10Z"),
            **by(keller),
        },
    )
    browser = signed_in(new_client, keller)
    base = f"/de/areas/{place.slug}/moderation/log"

    def items(query: dict[str, str]) -> list[str]:
        response = browser.get(base, params=query)
        assert response.status_code == 200
        return [row[3] for row in table_rows(response)]

    assert items({}) == ["y1", "a3", "a2", "a1", "m1"]
    assert items({"what": "hide"}) == ["y1", "a3", "m1"]
    assert items({"month": "2026-04"}) == ["a3", "a2", "a1"]
    assert items({"month": "2026-03"}) == ["m1"]
    assert items({"person": str(yilmaz.id)}) == ["a3", "a1"]
    assert items({"what": "hide", "month": "2026-04", "person": str(yilmaz.id)}) == ["a3"]
    assert items({"what": "approve"}) == []
    # Values that mean nothing are ignored rather than refused.
    assert items({"what": "explode", "month": "2026-13", "person": "x"}) == items({})

    response = browser.get(base, params={"what": "block", "month": "2026-04"})
    soup = page(response)
    selected = soup.select_one("#filter-action option[selected]")
    assert selected is not None and selected["value"] == "block"
    month = soup.select_one("#filter-month")
    assert month is not None and month["value"] == "2026-04" and month["type"] == "month"
    people = {o["value"] for o in soup.select("#filter-person option")}
    assert people == {"", str(keller.id), str(yilmaz.id)}
    download = soup.select_one("a[href*='/moderation/log.csv']")
    assert download is not None
    assert download["href"] == f"/de/areas/{place.slug}/moderation/log.csv?what=block&month=2026-04"
    assert len(csv_lines(browser.get(str(download["href"])))) == 2  # header and the one row


def test_log_is_paginated_in_a_constant_number_of_queries(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    browser = signed_in(new_client, manager)
    base = f"/de/areas/{place.slug}/moderation/log"
    start = at("2026-01-01T00:00Z")
    people = [make_user() for _ in range(3)]
    log_rows(
        db,
        loop,
        place,
        *[
            {
                "action": Action.HIDE,
                "actor_id": people[0].id,
                "actor_name": "p0",
                "item_label": f"i{n}",
                "created_at": start + timedelta(hours=n),
            }
            for n in range(2)
        ],
    )
    few = browser.get(base)
    log_rows(
        db,
        loop,
        place,
        *[
            {
                "action": Action.HIDE,
                "actor_id": people[n % 3].id,
                "actor_name": f"p{n % 3}",
                "item_label": f"i{n}",
                "created_at": start + timedelta(hours=n),
            }
            for n in range(2, 60)
        ],
    )
    many = browser.get(base)
    assert few.headers["x-query-count"] == many.headers["x-query-count"]
    assert len(table_rows(many)) == 50
    assert table_rows(many)[0][3] == "i59"
    following = page(many).select_one(".pagination a[rel=next]")
    assert following is not None
    second = browser.get(str(following["href"]))
    assert [row[3] for row in table_rows(second)] == [f"i{n}" for n in range(9, -1, -1)]
    assert len(csv_lines(browser.get(base + ".csv"))) == 61


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_log_page_in_each_direction(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place = make_area()
    log_rows(db, loop, place, {"action": Action.RESTORE, "actor_name": "سارة", "item_label": "x"})
    browser = signed_in(new_client, make_user(admin=True), locale)
    response = browser.get(f"/{locale}/areas/{place.slug}/moderation/log")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html is not None
    assert soup.html["lang"] == locale
    assert soup.html["dir"] == ("rtl" if locale == "ar" else "ltr")
    assert table_rows(response)[0][1] == "سارة"
    form = soup.select_one("form[role=search]")
    assert form is not None and form["method"] == "get"
    assert form.select_one("button[type=submit]") is not None
    for field in form.select("select, input"):
        assert soup.select_one(f"label[for='{field['id']}']") is not None


# -- the CSV export -------------------------------------------------------------------------


def test_csv_export_is_safe_for_spreadsheets_and_keeps_names_intact(
    new_client: NewClient, make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    log_rows(
        db,
        loop,
        place,
        {
            "action": Action.HIDE,
            "actor_id": manager.id,
            "actor_name": "سارة الأحمد",
            "item_label": '=HYPERLINK("http://example.org","klick")',
            "category": Reason.PERSONAL_DATA,
            "reason": "+49 30 1234567 stand im Text",
            "created_at": at("2026-06-01T08:15:30+02:00"),
        },
        {
            "action": Action.AUTO_HIDE,
            "item_label": "@everyone",
            "reason": "-1 Punkt, Zeile\nzwei",
            "created_at": at("2026-06-02T09:00Z"),
        },
    )
    response = signed_in(new_client, manager).get(f"/de/areas/{place.slug}/moderation/log.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="moderation-log-{place.slug}.csv"'
    )
    lines = csv_lines(response)
    assert lines[0] == [
        "created_at",
        "actor",
        "action",
        "idea_id",
        "comment_id",
        "item",
        "category",
        "reason",
    ]
    assert lines[1:] == [
        [
            "2026-06-02T09:00:00Z",
            "",
            "auto_hide",
            "",
            "",
            "'@everyone",
            "",
            "'-1 Punkt, Zeile\nzwei",
        ],
        [
            "2026-06-01T06:15:30Z",
            "سارة الأحمد",
            "hide",
            "",
            "",
            '\'=HYPERLINK("http://example.org","klick")',
            "personal_data",
            "'+49 30 1234567 stand im Text",
        ],
    ]


# -- the database keeps the log as it was ---------------------------------------------------


def test_database_refuses_to_change_or_delete_log_entries(
    make_user: MakeUser, make_area: MakeArea, db: Database, loop: Loop
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    [entry_id] = log_rows(
        db,
        loop,
        place,
        {"action": Action.HIDE, "actor_id": manager.id, "actor_name": "K", "reason": "Spam"},
    )
    where = ModerationAction.id == entry_id

    async def run(statement: Any) -> None:
        async with db.session(write=True) as session:
            await session.execute(statement)

    with pytest.raises(DBAPIError):
        loop.run(run(update(ModerationAction).where(where).values(reason="nichts")))
    with pytest.raises(DBAPIError):
        loop.run(run(update(ModerationAction).where(where).values(action=Action.RESTORE)))
    with pytest.raises(DBAPIError):
        loop.run(run(delete(ModerationAction).where(where)))
    # Erasing an account forgets who it was, and nothing else.
    loop.run(run(update(ModerationAction).where(where).values(actor_id=None)))

    async def read() -> tuple[int | None, str, str, int]:
        async with db.session() as session:
            entry = (await session.execute(select(ModerationAction).where(where))).scalar_one()
            count = await session.execute(select(func.count()).where(where))
            return entry.actor_id, entry.actor_name, entry.reason, count.scalar_one()

    assert loop.run(read()) == (None, "K", "Spam", 1)


# -- the public page ------------------------------------------------------------------------


def test_monthly_counts_group_by_berlin_months(
    make_user: MakeUser, make_area: MakeArea, make_idea: MakeIdea, db: Database, loop: Loop
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    log_rows(
        db,
        loop,
        place,
        {"action": Action.HIDE, "created_at": at("2026-10-31T22:59Z")},  # 23:59 in Berlin
        {"action": Action.HIDE, "created_at": at("2026-10-31T23:30Z")},  # 1 Nov, 00:30 in Berlin
        {"action": Action.AUTO_HIDE, "created_at": at("2026-11-02T10:00Z")},
        {"action": Action.KEEP_HIDDEN, "created_at": at("2026-11-03T10:00Z")},
        {"action": Action.DISMISS, "created_at": at("2026-11-03T10:00Z")},  # not counted
        {"action": Action.APPROVE, "created_at": at("2025-12-01T10:00Z")},  # first month shown
        {"action": Action.APPROVE, "created_at": at("2025-11-30T22:59Z")},  # 23:59, too old
    )

    async def counts() -> list[Any]:
        async with db.session(write=True) as session:
            session.add(
                Report(
                    area_id=place.id,
                    idea_id=idea_id,
                    reporter_id=author.id,
                    reason=Reason.SPAM,
                    created_at=at("2026-10-31T23:00Z"),  # midnight in Berlin: November
                )
            )
            await session.flush()
            area = await session.get(Area, place.id)
            assert area is not None
            return await AuditService(session).monthly_counts(area, now=at("2026-11-27T12:00:00Z"))

    months = loop.run(counts())
    assert [m.month for m in months][:2] == [date(2026, 11, 1), date(2026, 10, 1)]
    assert len(months) == 12 and months[-1].month == date(2025, 12, 1)
    november, october = months[0], months[1]
    assert (november.hidden, november.kept_hidden, november.reports) == (2, 1, 1)
    assert (october.hidden, october.reports) == (1, 0)
    assert months[-1].approved == 1
    assert sum(m.restored + m.blocked + m.review_requests for m in months) == 0


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_statistics_page_is_public_and_counts_per_month(
    new_client: NewClient,
    make_user: MakeUser,
    make_member: Callable[..., Person],
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place = make_area(status="consolidation")
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    now = utcnow()
    current = berlin_month(now)
    last = previous_month(current)
    before = previous_month(last)
    # Half an hour into last month in Berlin time is still the month before in UTC.
    boundary = month_start(last) + timedelta(minutes=30)
    assert boundary.month == before.month
    mid_last = month_start(last) + timedelta(days=10)
    log_rows(
        db,
        loop,
        place,
        {"action": Action.HIDE, "created_at": mid_last},
        {"action": Action.HIDE, "created_at": mid_last},
        {"action": Action.AUTO_HIDE, "created_at": boundary},
        {"action": Action.REVIEW_REQUESTED, "created_at": mid_last},
        {"action": Action.RESTORE, "created_at": mid_last + timedelta(days=1)},
        {"action": Action.KEEP_HIDDEN, "created_at": mid_last},
        {"action": Action.APPROVE, "created_at": month_start(before) + timedelta(days=3)},
        {"action": Action.BLOCK, "created_at": now},
        {"action": Action.ANSWER, "created_at": now},  # not counted
    )

    reporters = [make_member(place), make_member(place)]

    async def report() -> None:
        async with db.session(write=True) as session:
            for person, when in [
                (reporters[0], mid_last),
                (reporters[1], boundary - timedelta(hours=1)),  # the month before
            ]:
                session.add(
                    Report(
                        area_id=place.id,
                        idea_id=idea_id,
                        reporter_id=person.id,
                        reason=Reason.INSULT,
                        created_at=when,
                    )
                )

    loop.run(report())
    response = new_client().get(f"/{locale}/areas/{place.slug}/moderation/statistics")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html is not None
    assert soup.html["lang"] == locale
    assert soup.html["dir"] == ("rtl" if locale == "ar" else "ltr")
    assert len(soup.select("h1")) == 1
    assert soup.select_one("table caption") is not None
    assert soup.select_one("div.table-scroll[role=region]") is not None
    months = soup.select("tbody tr")
    assert len(months) == 12
    assert [row["id"] for row in months[:3]] == [
        f"month-{m:%Y-%m}" for m in (current, last, before)
    ]
    oldest = current
    for _ in range(11):
        oldest = previous_month(oldest)
    assert months[-1]["id"] == f"month-{oldest:%Y-%m}"

    def counts(month: date) -> list[str]:
        row = soup.select_one(f"#month-{month:%Y-%m}")
        assert row is not None
        return [td.get_text(strip=True) for td in row.select("td")]

    # hidden, restored, review requests, kept hidden, approved, reports, blocked
    assert counts(current) == ["0", "0", "0", "0", "0", "0", "1"]
    assert counts(last) == ["3", "1", "1", "1", "0", "1", "0"]
    assert counts(before) == ["0", "0", "0", "0", "1", "1", "0"]
    assert all(counts(m) == ["0"] * 7 for m in [previous_month(before)])


def test_area_page_links_to_how_moderation_works(client: Browser, make_area: MakeArea) -> None:
    place = make_area()
    response = client.get(f"/de/areas/{place.slug}")
    assert response.status_code == 200
    link = page(response).select_one(f"a[href='/de/areas/{place.slug}/moderation/statistics']")
    assert link is not None
