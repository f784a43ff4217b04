"""Reports: members report ideas and comments for a reason; the area's managers are told by mail
in their language; a member reports an item once; automatic hiding counts verified members."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import httpx
import pytest
from sqlalchemy import func, select, update

from participation import i18n
from participation.accounts.models import Membership
from participation.areas.models import Area
from participation.db import Database, utcnow
from participation.ideas.models import Comment, Idea, ModerationState
from participation.moderation.models import Action, ModerationAction, Reason, Report
from tests.conftest import (
    Browser,
    Loop,
    Mailbox,
    Person,
    Place,
    make_people,
    page,
    signed_in,
    text_of,
    unique,
)

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

REASON_LABELS = {
    # The texts of the reason_label macro in templates/_macros.html.
    Reason.SPAM: "Spam or advertising",
    Reason.INSULT: "Insult or hate",
    Reason.PERSONAL_DATA: "Personal data",
    Reason.OFF_TOPIC: "Off topic",
    Reason.OTHER: "Other reason",
}
THANKS = "Thank you. The QM team will look at it."
ALREADY = "You have already reported this. The QM team will look at it."


# -- helpers (also used by test_reviews and test_blocked) ----------------------------------


def translated(locale: str, message: str, **variables: object) -> str:
    """The interface text as the app shows it in this language (English until translated)."""
    token = i18n.set_locale(locale)
    try:
        return i18n.gettext(message, **variables)
    finally:
        i18n.reset_locale(token)


def body_of(mail: EmailMessage, kind: str = "plain") -> str:
    part = mail.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def make_comment(
    db: Database, loop: Loop, idea_id: int, author: Person, body: str | None = None
) -> int:
    """A visible comment on the idea, written directly in the database; return its id."""

    async def create() -> int:
        async with db.session(write=True) as session:
            comment = Comment(
                idea_id=idea_id,
                author_id=author.id,
                body=body or unique("Ein Kommentar "),
                language="de",
            )
            session.add(comment)
            await session.execute(
                update(Idea).where(Idea.id == idea_id).values(comment_count=Idea.comment_count + 1)
            )
            await session.flush()
            return comment.id

    return loop.run(create())


def report_rows(
    db: Database, loop: Loop, *, idea_id: int | None = None, comment_id: int | None = None
) -> list[Report]:
    async def read() -> list[Report]:
        async with db.session() as session:
            statement = select(Report)
            if comment_id is not None:
                statement = statement.where(Report.comment_id == comment_id)
            else:
                statement = statement.where(Report.idea_id == idea_id, Report.comment_id.is_(None))
            return list((await session.execute(statement)).scalars())

    return loop.run(read())


def idea_row(db: Database, loop: Loop, idea_id: int) -> Idea:
    async def read() -> Idea:
        async with db.session() as session:
            idea = await session.get(Idea, idea_id)
            assert idea is not None
            return idea

    return loop.run(read())


def comment_row(db: Database, loop: Loop, comment_id: int) -> Comment:
    async def read() -> Comment:
        async with db.session() as session:
            comment = await session.get(Comment, comment_id)
            assert comment is not None
            return comment

    return loop.run(read())


def audit_rows(
    db: Database, loop: Loop, action: Action, *, idea_id: int, comment_id: int | None = None
) -> list[ModerationAction]:
    async def read() -> list[ModerationAction]:
        async with db.session() as session:
            statement = select(ModerationAction).where(
                ModerationAction.action == action, ModerationAction.idea_id == idea_id
            )
            if comment_id is not None:
                statement = statement.where(ModerationAction.comment_id == comment_id)
            return list((await session.execute(statement)).scalars())

    return loop.run(read())


def report_path(kind: str, item_id: int, locale: str = "de") -> str:
    return f"/{locale}/report/{kind}/{item_id}"


def send_report(
    browser: Browser, kind: str, item_id: int, reason: str, text: str = ""
) -> httpx.Response:
    return browser.submit(report_path(kind, item_id), {"reason": reason, "text": text})


# -- helpers of this module -----------------------------------------------------------------


def idea_count(db: Database, loop: Loop, place: Place) -> int:
    async def read() -> int:
        async with db.session() as session:
            return int(await session.scalar(select(Area.idea_count).where(Area.id == place.id)))

    return loop.run(read())


def set_auto_hide(db: Database, loop: Loop, place: Place, after: int | None) -> None:
    async def write() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Area).where(Area.id == place.id).values(auto_hide_after=after)
            )

    loop.run(write())


def verify(db: Database, loop: Loop, place: Place, *people: Person) -> None:
    """Mark the people's memberships in the area as verified by the QM office."""

    async def write() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Membership)
                .where(
                    Membership.area_id == place.id,
                    Membership.user_id.in_([p.id for p in people]),
                )
                .values(verified_at=utcnow())
            )

    loop.run(write())


def count_reports_by(db: Database, loop: Loop, person: Person) -> int:
    async def read() -> int:
        async with db.session() as session:
            total = await session.scalar(
                select(func.count()).select_from(Report).where(Report.reporter_id == person.id)
            )
            return int(total or 0)

    return loop.run(read())


# -- reporting ------------------------------------------------------------------------------


def test_member_reports_ideas_and_comments_and_managers_are_told_in_their_language(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place = make_area()
    managers = {
        "de": make_user(manager_of=[place.slug], locale="de"),
        "ar": make_user(manager_of=[place.slug], locale="ar"),
    }
    author = make_member(place)
    reporter = signed_in(new_client, make_member(place))
    idea_id = make_idea(place, author)

    form = page(reporter.get(report_path("idea", idea_id)))
    assert len(form.select("main h1")) == 1
    assert form.select_one("fieldset#reason legend") is not None
    radios = form.select('fieldset#reason input[type="radio"][name="reason"]')
    assert [r["value"] for r in radios] == [r.value for r in Reason]
    for radio in radios:
        label = form.select_one(f'label[for="{radio["id"]}"]')
        assert label is not None
        assert label.get_text(strip=True) == translated("de", REASON_LABELS[Reason(radio["value"])])
    assert form.select_one('label[for="text"]') is not None
    title = form.select_one(".reported-item a[lang]")
    assert title is not None
    assert title.get_text(strip=True) == idea_row(db, loop, idea_id).title

    deliver_mail()
    for n, reason in enumerate(Reason, start=1):
        kind = "idea" if n % 2 else "comment"
        idea_id = make_idea(place, author)
        item_id = idea_id if kind == "idea" else make_comment(db, loop, idea_id, author)
        text = unique("Da steht eine Telefonnummer ") if reason is Reason.OTHER else ""
        response = send_report(reporter, kind, item_id, reason.value, text)
        assert response.status_code == 303, response.text
        anchor = f"#comment-{item_id}" if kind == "comment" else ""
        assert response.headers["location"] == f"/de/ideas/{idea_id}{anchor}"
        shown = reporter.get(response.headers["location"])
        assert translated("de", THANKS) in text_of(shown, ".flashes")

        rows = (
            report_rows(db, loop, comment_id=item_id)
            if kind == "comment"
            else report_rows(db, loop, idea_id=item_id)
        )
        assert [(r.reason, r.text, r.resolved_at) for r in rows] == [(reason, text, None)]

        deliver_mail()
        for locale, manager in managers.items():
            received = smtp_server.to(manager.email)
            assert len(received) == n, (locale, reason)
            mail = received[-1]
            assert mail["Content-Language"] == locale
            assert place.name in mail["Subject"]
            plain, html = body_of(mail), body_of(mail, "html")
            label = translated(locale, REASON_LABELS[reason])
            assert label in plain
            assert label in html
            assert f'<html lang="{locale}"' in html
            assert f"/{locale}/ideas/{idea_id}{anchor}" in plain
            assert f"/{locale}/areas/{place.slug}/moderation" in plain
            if text:
                assert text in plain


def test_reporting_twice_keeps_one_report_and_says_so(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place = make_area()
    manager = make_user(manager_of=[place.slug])
    author = make_member(place)
    reporter = signed_in(new_client, make_member(place))
    idea_id = make_idea(place, author)
    comment_id = make_comment(db, loop, idea_id, author)

    for kind, item_id in [("idea", idea_id), ("comment", comment_id)]:
        first = send_report(reporter, kind, item_id, "spam")
        assert first.status_code == 303
        reporter.get(first.headers["location"])
        again = send_report(reporter, kind, item_id, "insult")
        assert again.status_code == 303
        assert again.headers["location"] == first.headers["location"]
        shown = reporter.get(again.headers["location"])
        assert translated("de", ALREADY) in text_of(shown, ".flash--info")

    (idea_report,) = report_rows(db, loop, idea_id=idea_id)
    assert idea_report.reason is Reason.SPAM
    (comment_report,) = report_rows(db, loop, comment_id=comment_id)
    assert comment_report.reason is Reason.SPAM
    deliver_mail()
    assert len(smtp_server.to(manager.email)) == 2


def test_form_errors_keep_what_was_written(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    idea_id = make_idea(place, make_member(place))
    reporter = signed_in(new_client, make_member(place))

    # "Other" needs an explanation: the error stands next to the field.
    response = send_report(reporter, "idea", idea_id, "other", "   ")
    assert response.status_code == 422
    shown = page(response)
    error = shown.select_one(".field--error #text-error")
    assert error is not None
    assert error.get_text(strip=True) == translated("de", "Please tell the QM team what is wrong.")
    assert shown.select_one("#text")["aria-describedby"] == "text-hint text-error"  # type: ignore[index]
    assert shown.select_one("#reason-other").has_attr("checked")  # type: ignore[union-attr]
    summary = shown.select_one('.error-summary[role="alert"] a[href="#text"]')
    assert summary is not None

    # No reason chosen: the text comes back.
    text = "Der Beitrag wirbt für einen Laden <b>und</b> nennt Preise."
    response = send_report(reporter, "idea", idea_id, "", text)
    assert response.status_code == 422
    shown = page(response)
    assert shown.select_one("fieldset#reason #reason-error") is not None
    assert shown.select_one("fieldset#reason")["aria-invalid"] == "true"  # type: ignore[index]
    textarea = shown.select_one("textarea#text")
    assert textarea is not None
    assert textarea.get_text() == text

    # An unknown reason and a text that is too long are refused as well.
    assert send_report(reporter, "idea", idea_id, "boring", text).status_code == 422
    long_text = "x" * 2001
    response = send_report(reporter, "idea", idea_id, "other", long_text)
    assert response.status_code == 422
    assert page(response).select_one("textarea#text").get_text() == long_text  # type: ignore[union-attr]

    assert report_rows(db, loop, idea_id=idea_id) == []


def test_own_items_cannot_be_reported(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    author = make_member(place)
    idea_id = make_idea(place, author)
    comment_id = make_comment(db, loop, idea_id, author)
    browser = signed_in(new_client, author)
    message = translated("de", "You cannot report your own contribution.")

    for kind, item_id in [("idea", idea_id), ("comment", comment_id)]:
        response = browser.submit(
            report_path(kind, item_id), {"reason": "spam"}, page_path=f"/de/ideas/{idea_id}"
        )
        assert response.status_code == 409
        assert message in text_of(response, "main")
    assert report_rows(db, loop, idea_id=idea_id) == []
    assert report_rows(db, loop, comment_id=comment_id) == []


def test_people_who_may_not_take_part_cannot_report(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place, elsewhere = make_area(), make_area()
    make_user(manager_of=[place.slug])
    idea_id = make_idea(place, make_member(place))
    path = report_path("idea", idea_id)

    anonymous = new_client()
    response = anonymous.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/signin?next={path}"
    response = anonymous.submit(path, {"reason": "spam"}, page_path="/de/signin")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=")

    not_member = translated("de", "Please join this area first to take part here.")
    for person in [make_user(), make_member(elsewhere)]:
        browser = signed_in(new_client, person)
        response = browser.get(path)
        assert response.status_code == 403
        assert not_member in text_of(response, "main")
        response = browser.submit(path, {"reason": "spam"}, page_path="/de/")
        assert response.status_code == 403
        assert not_member in text_of(response, "main")

    assert report_rows(db, loop, idea_id=idea_id) == []


def test_unknown_items_and_kinds_are_not_found(
    new_client: NewClient, make_area: MakeArea, make_member: MakeMember
) -> None:
    browser = signed_in(new_client, make_member(make_area()))
    assert browser.get("/de/report/idea/999999999").status_code == 404
    assert browser.get("/de/report/comment/999999999").status_code == 404
    assert browser.get("/de/report/photo/1").status_code == 404


def test_reports_are_rate_limited_per_member(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    author = make_member(place)
    member = make_member(place)
    reporter = signed_in(new_client, member)
    for _ in range(20):
        assert send_report(reporter, "idea", make_idea(place, author), "spam").status_code == 303
    response = send_report(reporter, "idea", make_idea(place, author), "other", "Noch eins")
    assert response.status_code == 429
    assert page(response).select_one('[role="alert"]') is not None
    assert page(response).select_one("textarea#text").get_text() == "Noch eins"  # type: ignore[union-attr]
    assert count_reports_by(db, loop, member) == 20


# -- hiding after enough reports ------------------------------------------------------------


def test_reports_by_verified_members_hide_the_item_automatically(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    set_auto_hide(db, loop, place, 2)
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    comment_id = make_comment(db, loop, idea_id, author)
    unverified = make_people(db, loop, 3, place)
    verified = make_people(db, loop, 2, place)
    verify(db, loop, place, *verified)
    before = idea_count(db, loop, place)

    # Reports of members the QM office has not verified do not count, however many.
    for person in unverified:
        browser = signed_in(new_client, person)
        assert send_report(browser, "idea", idea_id, "spam").status_code == 303
        assert send_report(browser, "comment", comment_id, "insult").status_code == 303
    assert idea_row(db, loop, idea_id).moderation_state is ModerationState.VISIBLE
    assert comment_row(db, loop, comment_id).moderation_state is ModerationState.VISIBLE

    first, second = (signed_in(new_client, person) for person in verified)
    assert send_report(first, "comment", comment_id, "insult").status_code == 303
    assert comment_row(db, loop, comment_id).moderation_state is ModerationState.VISIBLE
    assert send_report(second, "comment", comment_id, "insult").status_code == 303
    comment = comment_row(db, loop, comment_id)
    assert comment.moderation_state is ModerationState.HIDDEN
    assert comment.hidden_category is Reason.INSULT
    assert idea_row(db, loop, idea_id).comment_count == 0

    assert send_report(first, "idea", idea_id, "spam").status_code == 303
    assert idea_row(db, loop, idea_id).moderation_state is ModerationState.VISIBLE
    assert idea_count(db, loop, place) == before
    assert send_report(second, "idea", idea_id, "off_topic").status_code == 303
    idea = idea_row(db, loop, idea_id)
    assert idea.moderation_state is ModerationState.HIDDEN
    assert idea.hidden_category is Reason.SPAM  # what most reports said
    assert idea_count(db, loop, place) == before - 1

    entries = audit_rows(db, loop, Action.AUTO_HIDE, idea_id=idea_id)
    assert sorted(e.comment_id or 0 for e in entries) == [0, comment_id]  # one row per item
    assert all(e.actor_id is None for e in entries)
    assert all(r.resolved_at is not None for r in report_rows(db, loop, idea_id=idea_id))

    # A hidden item cannot be reported any more.
    late = signed_in(new_client, make_member(place))
    response = late.submit(report_path("idea", idea_id), {"reason": "spam"}, page_path="/de/")
    assert response.status_code == 409
    assert len(report_rows(db, loop, idea_id=idea_id)) == 5

    # The author is told, with the category and the explanation.
    deliver_mail()
    subjects = [m["Subject"] for m in smtp_server.to(author.email)]
    assert translated("de", "Your idea was hidden") in subjects
    assert translated("de", "Your comment was hidden") in subjects


def test_nothing_is_hidden_automatically_when_the_area_does_not_ask_for_it(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    set_auto_hide(db, loop, place, None)
    idea_id = make_idea(place, make_member(place))
    people = make_people(db, loop, 4, place)
    verify(db, loop, place, *people)
    for person in people:
        assert (
            send_report(signed_in(new_client, person), "idea", idea_id, "spam").status_code == 303
        )
    assert idea_row(db, loop, idea_id).moderation_state is ModerationState.VISIBLE
    assert len(report_rows(db, loop, idea_id=idea_id)) == 4
    assert audit_rows(db, loop, Action.AUTO_HIDE, idea_id=idea_id) == []


@pytest.mark.parametrize("kind", ["idea", "comment"])
def test_report_page_shows_the_item_in_its_language(
    kind: str,
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    author = make_member(place)
    idea_id = make_idea(place, author, title="فكرة للحديقة", language="ar")
    text = unique("Kommentar mit Text ")
    item_id = idea_id if kind == "idea" else make_comment(db, loop, idea_id, author, text)
    response = signed_in(new_client, make_member(place)).get(report_path(kind, item_id))
    assert response.status_code == 200
    shown = page(response)
    if kind == "idea":
        title = shown.select_one('.reported-item a[lang="ar"][dir="rtl"]')
        assert title is not None
        assert title.get_text(strip=True) == "فكرة للحديقة"
    else:
        quote = shown.select_one('.reported-item blockquote[lang="de"][dir="ltr"]')
        assert quote is not None
        assert quote.get_text(strip=True) == text
    crumbs = shown.select(".breadcrumbs li")
    assert crumbs[-1].select_one('[aria-current="page"]') is not None


def test_comments_under_a_hidden_idea_cannot_be_reported(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    make_user(manager_of=[place.slug])
    author = make_member(place)
    idea_id = make_idea(place, author)
    text = unique("Unter einer verborgenen Idee ")
    comment_id = make_comment(db, loop, idea_id, author, text)

    async def hide_idea() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id == idea_id)
                .values(moderation_state=ModerationState.HIDDEN, hidden_category=Reason.SPAM)
            )

    loop.run(hide_idea())
    browser = signed_in(new_client, make_member(place))
    message = translated(
        "de", "This contribution is not shown at the moment; there is nothing to report."
    )
    response = browser.get(report_path("comment", comment_id))
    assert response.status_code == 409
    assert message in text_of(response, "main")
    assert text not in response.text
    response = browser.submit(
        report_path("comment", comment_id), {"reason": "spam"}, page_path="/de/"
    )
    assert response.status_code == 409
    assert report_rows(db, loop, comment_id=comment_id) == []
