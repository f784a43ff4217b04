"""The managers' queue: reported and waiting items with their context, and every action on them,
checked for each role, with and without JavaScript, alone and in bulk, and when two managers
act on one item at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from participation.areas.models import Area
from participation.db import Database
from participation.ideas.models import Comment, Idea, ModerationState
from participation.moderation.models import Action, ModerationAction, Reason, Report
from tests.conftest import (
    Browser,
    Loop,
    Mailbox,
    Person,
    Place,
    csrf_from,
    page,
    signed_in,
    text_of,
)

REASON = "Beleidigt eine Nachbarin namentlich."


def add_comment(db: Database, loop: Loop, idea_id: int, author: Person, body: str) -> int:
    async def create() -> int:
        async with db.session(write=True) as session:
            comment = Comment(idea_id=idea_id, author_id=author.id, body=body, language="de")
            session.add(comment)
            await session.execute(
                update(Idea).where(Idea.id == idea_id).values(comment_count=Idea.comment_count + 1)
            )
            await session.flush()
            return comment.id

    return loop.run(create())


def add_report(
    db: Database,
    loop: Loop,
    place: Place,
    idea_id: int,
    reporter: Person,
    reason: Reason = Reason.INSULT,
    comment_id: int | None = None,
    text: str = "",
) -> None:
    async def create() -> None:
        async with db.session(write=True) as session:
            session.add(
                Report(
                    area_id=place.id,
                    idea_id=idea_id,
                    comment_id=comment_id,
                    reporter_id=reporter.id,
                    reason=reason,
                    text=text,
                )
            )

    loop.run(create())


def state_of(db: Database, loop: Loop, model: Any, item_id: int) -> ModerationState:
    async def read() -> ModerationState:
        async with db.session() as session:
            found: ModerationState = (
                await session.execute(select(model.moderation_state).where(model.id == item_id))
            ).scalar_one()
            return found

    return loop.run(read())


def log_rows(db: Database, loop: Loop, place: Place, action: Action) -> list[ModerationAction]:
    async def read() -> list[ModerationAction]:
        async with db.session() as session:
            rows = await session.execute(
                select(ModerationAction)
                .where(ModerationAction.area_id == place.id, ModerationAction.action == action)
                .order_by(ModerationAction.id)
            )
            return list(rows.scalars())

    return loop.run(read())


def open_reports(db: Database, loop: Loop, place: Place) -> int:
    async def read() -> int:
        async with db.session() as session:
            return int(
                (
                    await session.execute(
                        select(func.count()).where(
                            Report.area_id == place.id, Report.resolved_at.is_(None)
                        )
                    )
                ).scalar_one()
            )

    return loop.run(read())


def idea_count(db: Database, loop: Loop, place: Place) -> int:
    async def read() -> int:
        async with db.session() as session:
            return int(
                (
                    await session.execute(select(Area.idea_count).where(Area.id == place.id))
                ).scalar_one()
            )

    return loop.run(read())


class Kiez:
    """An area with a manager, an author, two reporting members and an idea with a comment."""

    def __init__(
        self,
        make_area: Callable[..., Place],
        make_user: Callable[..., Person],
        make_member: Callable[..., Person],
        make_idea: Callable[..., int],
        db: Database,
        loop: Loop,
        manager_locale: str = "de",
    ) -> None:
        self.place = make_area()
        self.manager = make_user(manager_of=[self.place.slug], locale=manager_locale)
        self.author = make_user(member_of={self.place.slug: ["resident"]}, locale="ar")
        self.reporters = [make_member(self.place), make_member(self.place)]
        self.idea_id = make_idea(self.place, self.author, title="Bänke am Platz")
        self.comment_id = add_comment(
            db, loop, self.idea_id, self.author, "Herr Beispiel aus Nr. 5 ist ein Idiot."
        )


@pytest.fixture
def kiez(
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    make_member: Callable[..., Person],
    make_idea: Callable[..., int],
    db: Database,
    loop: Loop,
) -> Kiez:
    return Kiez(make_area, make_user, make_member, make_idea, db, loop)


def item_path(kiez: Kiez, kind: str = "comment", locale: str = "de") -> str:
    item_id = kiez.comment_id if kind == "comment" else kiez.idea_id
    return f"/{locale}/areas/{kiez.place.slug}/moderation/{kind}/{item_id}"


def act(
    browser: Browser,
    kiez: Kiez,
    data: dict[str, str],
    kind: str = "comment",
    locale: str = "de",
    **kw: Any,
) -> Any:
    path = item_path(kiez, kind, locale)
    queue = f"/{locale}/areas/{kiez.place.slug}/moderation"
    return browser.submit(path, data, page_path=queue, **kw)


def test_queue_groups_reports_by_item_with_reasons_and_context(
    kiez: Kiez, new_client: Callable[[], Browser], db: Database, loop: Loop
) -> None:
    for reporter in kiez.reporters:
        add_report(
            db, loop, kiez.place, kiez.idea_id, reporter, Reason.INSULT, kiez.comment_id, "Name!"
        )
    add_report(db, loop, kiez.place, kiez.idea_id, kiez.reporters[0], Reason.SPAM)
    manager = signed_in(new_client, kiez.manager)
    response = manager.get(f"/en/areas/{kiez.place.slug}/moderation?sort=reports")
    assert response.status_code == 200
    entries = page(response).select(".queue-entry")
    assert len(entries) == 2  # one per item, not per report
    first = entries[0].get_text(" ", strip=True)
    assert "Reported 2 times" in first
    assert "Herr Beispiel" in first  # the comment's text
    assert "Bänke am Platz" in first  # the idea it belongs to
    assert "Insult or hate" in first and "Name!" in first
    # The author's history in the area is shown.
    assert "1 idea · 1 comment · 0 hidden" in first
    assert "Reported 1 time" in entries[1].get_text(" ", strip=True)
    # The navigation counts what waits.
    assert "2" in text_of(response, ".account-nav")


def test_hide_without_javascript_tells_everyone_the_right_things(
    kiez: Kiez,
    new_client: Callable[[], Browser],
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    add_report(
        db, loop, kiez.place, kiez.idea_id, kiez.reporters[0], Reason.INSULT, kiez.comment_id
    )
    manager = signed_in(new_client, kiez.manager)
    response = act(manager, kiez, {"decision": "hide", "category": "insult", "reason": REASON})
    assert response.status_code == 303
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.HIDDEN
    assert open_reports(db, loop, kiez.place) == 0
    rows = log_rows(db, loop, kiez.place, Action.HIDE)
    assert len(rows) == 1
    assert rows[0].actor_id == kiez.manager.id and rows[0].reason == REASON
    assert rows[0].category is Reason.INSULT and rows[0].comment_id == kiez.comment_id

    # Others see a placeholder with the category, not the text.
    other = signed_in(new_client, kiez.reporters[1])
    idea_page = other.get(f"/en/ideas/{kiez.idea_id}")
    assert "Herr Beispiel" not in idea_page.text
    assert "Insult or hate" in text_of(idea_page, f"#comment-{kiez.comment_id}")
    anonymous = new_client().get(f"/ar/ideas/{kiez.idea_id}")
    assert "Herr Beispiel" not in anonymous.text
    # The author sees the full reason on the item and may ask for a review.
    author = signed_in(new_client, kiez.author)
    own = author.get(f"/de/ideas/{kiez.idea_id}")
    assert REASON in own.text and "Herr Beispiel" in own.text
    assert page(own).select_one(f'a[href="/de/review/comment/{kiez.comment_id}"]') is not None
    # And by mail, in their language (Arabic).
    deliver_mail()
    mails = smtp_server.to(kiez.author.email)
    assert len(mails) == 1
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert REASON in body


def test_hide_needs_a_category_and_a_reason_and_keeps_what_was_written(
    kiez: Kiez, new_client: Callable[[], Browser], db: Database, loop: Loop
) -> None:
    manager = signed_in(new_client, kiez.manager, "ar")
    response = manager.submit(
        f"/ar/areas/{kiez.place.slug}/moderation/comment/{kiez.comment_id}",
        {"decision": "hide", "category": "insult", "reason": "  "},
    )
    assert response.status_code == 422
    soup = page(response)
    assert soup.html is not None and soup.html["dir"] == "rtl"
    assert soup.select_one(f"#hide-reason-comment-{kiez.comment_id}-error") is not None
    response = manager.submit(
        f"/ar/areas/{kiez.place.slug}/moderation/comment/{kiez.comment_id}",
        {"decision": "hide", "category": "", "reason": "Bitte ohne Namen."},
    )
    assert response.status_code == 422
    field = page(response).select_one(f"#hide-reason-comment-{kiez.comment_id}")
    assert field is not None and field.get_text() == "Bitte ohne Namen."
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.VISIBLE
    assert log_rows(db, loop, kiez.place, Action.HIDE) == []


def test_with_htmx_the_entry_is_replaced_and_the_result_announced(
    kiez: Kiez, new_client: Callable[[], Browser], db: Database, loop: Loop
) -> None:
    add_report(db, loop, kiez.place, kiez.idea_id, kiez.reporters[0], Reason.SPAM, kiez.comment_id)
    manager = signed_in(new_client, kiez.manager)
    response = act(manager, kiez, {"decision": "dismiss"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    soup = page(response)
    assert soup.html is None  # a fragment
    entry = soup.select_one(f"#entry-comment-{kiez.comment_id}")
    assert entry is not None and entry.get("data-announce")
    assert open_reports(db, loop, kiez.place) == 0
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.VISIBLE
    assert len(log_rows(db, loop, kiez.place, Action.DISMISS)) == 1


def test_actions_are_idempotent_with_a_clear_message(
    kiez: Kiez, new_client: Callable[[], Browser], db: Database, loop: Loop
) -> None:
    manager = signed_in(new_client, kiez.manager)
    hide = {"decision": "hide", "category": "spam", "reason": "Werbung."}
    assert act(manager, kiez, hide, kind="idea").status_code == 303
    assert idea_count(db, loop, kiez.place) == 0
    again = act(manager, kiez, hide, kind="idea", locale="en")
    assert again.status_code == 303
    shown = manager.get(again.headers["location"])
    assert "already hidden" in shown.text
    assert len(log_rows(db, loop, kiez.place, Action.HIDE)) == 1

    assert act(manager, kiez, {"decision": "restore"}, kind="idea").status_code == 303
    assert state_of(db, loop, Idea, kiez.idea_id) is ModerationState.VISIBLE
    assert idea_count(db, loop, kiez.place) == 1
    again = act(manager, kiez, {"decision": "restore"}, kind="idea", locale="en")
    assert "is not hidden" in manager.get(again.headers["location"]).text
    assert len(log_rows(db, loop, kiez.place, Action.RESTORE)) == 1

    again = act(manager, kiez, {"decision": "dismiss"}, locale="en")
    assert "no open reports" in manager.get(again.headers["location"]).text
    assert log_rows(db, loop, kiez.place, Action.DISMISS) == []


def test_redacting_keeps_the_rest_and_marks_the_text(
    kiez: Kiez, new_client: Callable[[], Browser], db: Database, loop: Loop
) -> None:
    add_report(
        db, loop, kiez.place, kiez.idea_id, kiez.reporters[0], Reason.PERSONAL_DATA, kiez.comment_id
    )
    manager = signed_in(new_client, kiez.manager)
    path = f"/de/areas/{kiez.place.slug}/moderation/comment/{kiez.comment_id}/redact"
    form = manager.get(path)
    assert form.status_code == 200
    unchanged = manager.submit(
        path, {"body": "Herr Beispiel aus Nr. 5 ist ein Idiot.", "reason": "Name entfernt"}
    )
    assert unchanged.status_code == 422
    response = manager.submit(
        path, {"body": "[…] ist ein Idiot.", "reason": "Name und Hausnummer entfernt"}
    )
    assert response.status_code == 303
    idea_page = new_client().get(f"/en/ideas/{kiez.idea_id}")
    assert "Herr Beispiel" not in idea_page.text
    assert "[…] ist ein Idiot." in idea_page.text
    assert "edited by moderation" in text_of(idea_page, f"#comment-{kiez.comment_id}")
    assert open_reports(db, loop, kiez.place) == 0
    rows = log_rows(db, loop, kiez.place, Action.REDACT)
    assert len(rows) == 1 and "Herr Beispiel" not in rows[0].item_label


def test_review_request_comes_back_to_the_queue_and_can_be_answered(
    kiez: Kiez,
    new_client: Callable[[], Browser],
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    manager = signed_in(new_client, kiez.manager)
    act(manager, kiez, {"decision": "hide", "category": "insult", "reason": REASON})

    async def ask() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Comment)
                .where(Comment.id == kiez.comment_id)
                .values(review_requested_at=func.now(), review_message="Ich nehme es zurück.")
            )

    loop.run(ask())
    queue = manager.get(f"/de/areas/{kiez.place.slug}/moderation")
    assert "Ich nehme es zurück." in queue.text
    assert act(manager, kiez, {"decision": "keep_hidden", "reason": ""}).status_code == 422
    response = act(manager, kiez, {"decision": "keep_hidden", "reason": "Bleibt beleidigend."})
    assert response.status_code == 303
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.HIDDEN
    assert len(log_rows(db, loop, kiez.place, Action.KEEP_HIDDEN)) == 1
    assert "Ich nehme es zurück." not in manager.get(f"/de/areas/{kiez.place.slug}/moderation").text
    deliver_mail()
    assert any(
        "Bleibt beleidigend." in m.get_body(preferencelist=("plain",)).get_content()
        for m in smtp_server.to(kiez.author.email)
    )


def test_premoderated_items_are_published_in_bulk(
    kiez: Kiez,
    new_client: Callable[[], Browser],
    make_idea: Callable[..., int],
    db: Database,
    loop: Loop,
) -> None:
    waiting = [make_idea(kiez.place, kiez.author) for _ in range(2)]

    async def make_pending() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id.in_(waiting))
                .values(moderation_state=ModerationState.PENDING)
            )
            await session.execute(update(Area).where(Area.id == kiez.place.id).values(idea_count=1))

    loop.run(make_pending())
    manager = signed_in(new_client, kiez.manager)
    queue_path = f"/de/areas/{kiez.place.slug}/moderation"
    items = [f"idea:{n}" for n in waiting]
    token = csrf_from(manager.get(queue_path))
    # Hiding in bulk without a reason: nothing changes, the choice is kept.
    refused = manager.post(
        f"{queue_path}/bulk",
        data={"csrf_token": token, "decision": "hide", "category": "spam", "item": items},
    )
    assert refused.status_code == 422
    assert page(refused).select_one("#bulk-reason-error") is not None
    assert len(page(refused).select('input[name="item"][checked]')) == 2
    response = manager.post(
        f"{queue_path}/bulk", data={"csrf_token": token, "decision": "approve", "item": items}
    )
    assert response.status_code == 303
    assert all(state_of(db, loop, Idea, n) is ModerationState.VISIBLE for n in waiting)
    assert idea_count(db, loop, kiez.place) == 3
    assert len(log_rows(db, loop, kiez.place, Action.APPROVE)) == 2


ACTIONS = [
    ("hide", {"decision": "hide", "category": "spam", "reason": "Werbung."}),
    ("restore", {"decision": "restore"}),
    ("dismiss", {"decision": "dismiss"}),
    ("approve", {"decision": "approve"}),
    ("keep_hidden", {"decision": "keep_hidden", "reason": "Bleibt."}),
]


@pytest.mark.parametrize(("name", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_nobody_but_the_areas_managers_can_act(
    name: str,
    data: dict[str, str],
    kiez: Kiez,
    new_client: Callable[[], Browser],
    make_area: Callable[..., Place],
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    add_report(db, loop, kiez.place, kiez.idea_id, kiez.reporters[0], Reason.SPAM, kiez.comment_id)
    elsewhere = make_area()
    other_manager = signed_in(new_client, make_user(manager_of=[elsewhere.slug]))
    member = signed_in(new_client, kiez.reporters[0])
    anonymous = new_client()
    path = item_path(kiez)
    for browser, expected in ((other_manager, 403), (member, 403)):
        token = csrf_from(browser.get("/de/"))
        assert browser.get(path).status_code == expected
        assert browser.post(path, data={"csrf_token": token, **data}).status_code == expected
        bulk = browser.post(
            f"/de/areas/{kiez.place.slug}/moderation/bulk",
            data={"csrf_token": token, "item": f"comment:{kiez.comment_id}", **data},
        )
        assert bulk.status_code in {expected, 303}
        redact = f"{path}/redact"
        assert browser.get(redact).status_code == expected
        assert (
            browser.post(redact, data={"csrf_token": token, "body": "x", "reason": "y"}).status_code
            == expected
        )
    for queue in ("", "?view=hidden"):
        assert (
            other_manager.get(f"/de/areas/{kiez.place.slug}/moderation{queue}").status_code == 403
        )
        assert member.get(f"/de/areas/{kiez.place.slug}/moderation{queue}").status_code == 403
        gone = anonymous.get(f"/de/areas/{kiez.place.slug}/moderation{queue}")
        assert gone.status_code == 303 and "/de/signin" in gone.headers["location"]
    token = csrf_from(anonymous.get("/de/signin"))
    assert anonymous.post(path, data={"csrf_token": token, **data}).status_code == 303
    # Nothing changed, nothing logged.
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.VISIBLE
    assert open_reports(db, loop, kiez.place) == 1
    assert all(not log_rows(db, loop, kiez.place, a) for a in Action)


def test_the_district_office_moderates_every_area(
    kiez: Kiez,
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    office = signed_in(new_client, make_user(admin=True))
    response = act(office, kiez, {"decision": "hide", "category": "spam", "reason": "Werbung."})
    assert response.status_code == 303
    assert state_of(db, loop, Comment, kiez.comment_id) is ModerationState.HIDDEN
    overview = office.get("/de/moderation")
    assert overview.status_code == 200 and kiez.place.name in overview.text


def test_two_managers_hiding_at_once_one_wins_and_the_other_is_told(
    kiez: Kiez,
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    managers = [
        signed_in(new_client, kiez.manager),
        signed_in(new_client, make_user(manager_of=[kiez.place.slug])),
    ]
    path = item_path(kiez, "idea", "en")
    tokens = [csrf_from(b.get(path)) for b in managers]
    barrier = threading.Barrier(len(managers))
    answers: list[str] = []

    def hide(browser: Browser, token: str) -> None:
        barrier.wait()
        response = browser.post(
            path,
            data={
                "csrf_token": token,
                "decision": "hide",
                "category": "spam",
                "reason": "Werbung.",
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        answers.append(response.text)

    threads = [
        threading.Thread(target=hide, args=(b, t)) for b, t in zip(managers, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2
    assert sum("already hidden" in a for a in answers) == 1
    assert len(log_rows(db, loop, kiez.place, Action.HIDE)) == 1
    assert idea_count(db, loop, kiez.place) == 0
