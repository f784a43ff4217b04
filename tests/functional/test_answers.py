"""Official answers: the QM office sets an idea's status with an answer shown apart from the
comments; the author and the supporters are told by mail in their language; nobody else can."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update

from participation import i18n
from participation.db import Database
from participation.ideas.models import Idea, IdeaStatus, ModerationState
from participation.moderation.models import Action, ModerationAction, OfficialAnswer
from tests.conftest import Browser, Loop, Mailbox, Person, Place, page, signed_in, text_of, unique

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
NewClient = Callable[[], Browser]

ANSWER = "Wir nehmen die Idee in das Konzept auf und sprechen im Mai mit dem Grünflächenamt."


def translated(locale: str, message: str) -> str:
    """The interface text as the app shows it in this language (English until translated)."""
    token = i18n.set_locale(locale)
    try:
        return i18n.gettext(message)
    finally:
        i18n.reset_locale(token)


def answers_of(db: Database, loop: Loop, idea_id: int) -> list[OfficialAnswer]:
    async def read() -> list[OfficialAnswer]:
        async with db.session() as session:
            result = await session.execute(
                select(OfficialAnswer).where(OfficialAnswer.idea_id == idea_id)
            )
            return list(result.scalars())

    return loop.run(read())


def status_of(db: Database, loop: Loop, idea_id: int) -> IdeaStatus:
    async def read() -> IdeaStatus:
        async with db.session() as session:
            status = await session.scalar(select(Idea.status).where(Idea.id == idea_id))
            assert status is not None
            return status

    return loop.run(read())


def log_of(db: Database, loop: Loop, idea_id: int) -> list[ModerationAction]:
    async def read() -> list[ModerationAction]:
        async with db.session() as session:
            result = await session.execute(
                select(ModerationAction).where(
                    ModerationAction.idea_id == idea_id, ModerationAction.action == Action.ANSWER
                )
            )
            return list(result.scalars())

    return loop.run(read())


def support(browser: Browser, idea_id: int) -> None:
    response = browser.submit(
        f"/de/ideas/{idea_id}/support", {"support": "1"}, page_path=f"/de/ideas/{idea_id}"
    )
    assert response.status_code == 303


def answer_path(idea_id: int, locale: str = "de") -> str:
    return f"/{locale}/ideas/{idea_id}/answer"


def body_of(mail: EmailMessage, kind: str) -> str:
    part = mail.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_manager_answers_and_author_and_supporters_are_told(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]}, locale="de")
    supporter = make_user(member_of={place.slug: ["business"]}, locale="ar")
    manager = make_user(manager_of=[place.slug], display_name="Jana vom QM")
    title = unique("Mehr Bänke ")
    idea_id = make_idea(place, author, title=title)
    support(signed_in(new_client, supporter), idea_id)
    office = signed_in(new_client, manager)
    support(office, idea_id)  # the manager answering gets no mail about it

    idea_page = page(office.get(f"/de/ideas/{idea_id}"))
    assert idea_page.select_one(f'a[href="{answer_path(idea_id)}"]') is not None
    form = page(office.get(answer_path(idea_id)))
    assert form.select_one("fieldset#status legend") is not None
    assert len(form.select('fieldset#status input[type="radio"]')) == 4
    assert form.select_one('label[for="body"]') is not None

    response = office.submit(
        answer_path(idea_id), {"status": "accepted", "body": ANSWER, "language": "de"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/ideas/{idea_id}#answers"
    assert page(office.get(response.headers["location"])).select_one(".flash") is not None

    assert status_of(db, loop, idea_id) is IdeaStatus.ACCEPTED
    (stored,) = answers_of(db, loop, idea_id)
    assert (stored.status, stored.body, stored.language) == ("accepted", ANSWER, "de")
    assert stored.author_id == manager.id

    shown = new_client().get(f"/de/ideas/{idea_id}")
    assert text_of(shown, ".idea .badge--status") == "Ins Konzept aufgenommen"
    assert text_of(shown, "#answers .badge--staff") == f"QM {place.name}"
    assert "Ins Konzept aufgenommen" in text_of(shown, "#answers")
    answer_text = page(shown).select_one(f"#answer-{stored.id} div[lang]")
    assert answer_text is not None
    assert (answer_text["lang"], answer_text["dir"]) == ("de", "ltr")
    assert ANSWER in answer_text.get_text()
    # Apart from the comments, and not counted as one.
    assert page(shown).select_one("#comments #answers") is None
    assert page(shown).select_one(f'a[href="{answer_path(idea_id)}"]') is None

    (entry,) = log_of(db, loop, idea_id)
    assert (entry.actor_id, entry.item_label, entry.reason) == (manager.id, title, ANSWER)
    assert entry.target_user_id == author.id

    deliver_mail()
    (to_author,) = smtp_server.to(author.email)
    assert to_author["Content-Language"] == "de"
    assert title in to_author["Subject"]
    text = body_of(to_author, "plain")
    assert ANSWER in text
    assert "Ins Konzept aufgenommen" in text
    assert f"/de/ideas/{idea_id}#answers" in text

    (to_supporter,) = smtp_server.to(supporter.email)
    assert to_supporter["Content-Language"] == "ar"
    html = body_of(to_supporter, "html")
    assert '<html lang="ar" dir="rtl">' in html
    assert translated("ar", "Taken into the concept") in html
    assert translated("ar", "Taken into the concept") != "Taken into the concept"
    assert f"/ar/ideas/{idea_id}#answers" in html
    assert '<blockquote lang="de" dir="ltr">' in html

    assert smtp_server.to(manager.email) == []


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_not_taken_up_needs_a_reason(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    locale: str,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}))
    office = signed_in(new_client, make_user(manager_of=[place.slug]), locale)

    response = office.submit(
        answer_path(idea_id, locale), {"status": "rejected", "body": "  ", "language": "de"}
    )
    assert response.status_code == 422
    soup = page(response)
    assert soup.html is not None and soup.html["lang"] == locale
    expected = translated(locale, "Please explain why the idea is not taken up.")
    assert text_of(response, "#body-error") == expected
    assert text_of(response, ".error-summary").endswith(expected)
    body = soup.select_one("#body")
    assert body is not None and body["aria-invalid"] == "true"
    assert "body-error" in str(body["aria-describedby"])
    checked = soup.select_one('input[name="status"][checked]')
    assert checked is not None and checked["value"] == "rejected"

    # Without a status, the text written comes back.
    response = office.submit(answer_path(idea_id, locale), {"body": ANSWER, "language": "ar"})
    assert response.status_code == 422
    assert text_of(response, "#status-error") == translated(
        locale, "Please choose a status from the list."
    )
    assert text_of(response, "#body") == ANSWER
    selected = page(response).select_one("#language option[selected]")
    assert selected is not None and selected["value"] == "ar"

    assert answers_of(db, loop, idea_id) == []
    assert status_of(db, loop, idea_id) is IdeaStatus.NEW
    assert log_of(db, loop, idea_id) == []


def test_a_manager_of_another_area_cannot_answer(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place, elsewhere = make_area(), make_area()
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}))
    # Managing another area and being a member here gives no say here.
    stranger = make_user(manager_of=[elsewhere.slug], member_of={place.slug: ["owner"]})
    browser = signed_in(new_client, stranger)
    assert browser.get(answer_path(idea_id)).status_code == 403
    assert (
        page(browser.get(f"/de/ideas/{idea_id}")).select_one(f'a[href="{answer_path(idea_id)}"]')
        is None
    )
    response = browser.post(
        answer_path(idea_id),
        data={
            "csrf_token": browser.form_token(f"/de/ideas/{idea_id}"),
            "status": "implemented",
            "body": ANSWER,
            "language": "de",
        },
    )
    assert response.status_code == 403
    assert text_of(response, "#body") == ANSWER  # what they wrote is not lost
    assert answers_of(db, loop, idea_id) == []
    assert status_of(db, loop, idea_id) is IdeaStatus.NEW
    assert log_of(db, loop, idea_id) == []


def test_members_and_visitors_cannot_answer(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    data = {"status": "accepted", "body": ANSWER, "language": "de"}

    for person in (author, make_user(member_of={place.slug: ["resident"]})):
        member = signed_in(new_client, person)
        assert member.get(answer_path(idea_id)).status_code == 403
        assert (
            page(member.get(f"/de/ideas/{idea_id}")).select_one(f'a[href="{answer_path(idea_id)}"]')
            is None
        )
        token = member.form_token(f"/de/ideas/{idea_id}")
        response = member.post(answer_path(idea_id), data={"csrf_token": token, **data})
        assert response.status_code == 403

    visitor = new_client()
    response = visitor.get(answer_path(idea_id))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/de/signin?next=")
    token = visitor.form_token("/de/signin")
    response = visitor.post(answer_path(idea_id), data={"csrf_token": token, **data})
    assert response.status_code == 403

    assert answers_of(db, loop, idea_id) == []
    assert status_of(db, loop, idea_id) is IdeaStatus.NEW


def test_a_hidden_idea_cannot_be_answered(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}))
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    token = office.form_token(answer_path(idea_id))

    async def hide() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea)
                .where(Idea.id == idea_id)
                .values(moderation_state=ModerationState.HIDDEN)
            )

    loop.run(hide())
    assert office.get(answer_path(idea_id)).status_code == 409
    response = office.post(
        answer_path(idea_id),
        data={"csrf_token": token, "status": "accepted", "body": ANSWER, "language": "de"},
    )
    assert response.status_code == 409
    assert text_of(response, "#body") == ANSWER
    assert answers_of(db, loop, idea_id) == []
    assert status_of(db, loop, idea_id) is IdeaStatus.NEW


def test_the_district_office_answers_anywhere_and_deleted_authors_get_no_mail(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place = make_area()
    supporter = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, make_user(member_of={place.slug: ["resident"]}))
    support(signed_in(new_client, supporter), idea_id)

    async def erase_author() -> None:
        async with db.session(write=True) as session:
            await session.execute(update(Idea).where(Idea.id == idea_id).values(author_id=None))

    loop.run(erase_author())
    admin = signed_in(new_client, make_user(admin=True))
    response = admin.submit(
        answer_path(idea_id), {"status": "implemented", "body": "", "language": "de"}
    )
    assert response.status_code == 303
    assert status_of(db, loop, idea_id) is IdeaStatus.IMPLEMENTED
    shown = new_client().get(f"/de/ideas/{idea_id}")
    assert text_of(shown, "#answers .badge--staff") == "Bezirksamt"
    assert "Umgesetzt" in text_of(shown, "#answers")
    assert len(log_of(db, loop, idea_id)) == 1

    deliver_mail()
    (mail,) = smtp_server.to(supporter.email)
    assert "Umgesetzt" in body_of(mail, "plain")
    assert len([m for m in smtp_server.messages if f"/ideas/{idea_id}#" in str(m)]) == 1


def test_answers_cost_one_query_however_many(
    new_client: NewClient,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    once, twice = make_idea(place, author), make_idea(place, author)
    office = signed_in(new_client, make_user(manager_of=[place.slug]))
    # Not "accepted": an idea taken into the concept also looks up its proposals (one query).
    for idea_id, statuses in ((once, ["under_review"]), (twice, ["under_review", "rejected"])):
        for status in statuses:
            response = office.submit(
                answer_path(idea_id), {"status": status, "body": ANSWER, "language": "de"}
            )
            assert response.status_code == 303
    visitor = new_client()
    unanswered = make_idea(place, author)

    def queries(idea_id: int) -> int:
        response = visitor.get(f"/de/ideas/{idea_id}")
        assert response.status_code == 200
        return int(response.headers["x-query-count"])

    # Each page's first request is rendered (later ones may come from the page cache).
    assert queries(once) == queries(twice) == queries(unanswered) + 1
    assert len(page(visitor.get(f"/de/ideas/{twice}")).select("#answers article")) == 2
