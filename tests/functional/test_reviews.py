"""Review requests: the author of a hidden item learns why by mail and on the item's review page,
asks the QM team once to look again, and is told of the decision; nobody else can ask."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from participation.accounts.models import User
from participation.db import Database
from participation.ideas.models import ModerationState
from participation.moderation.models import Action, Reason
from participation.moderation.services import Kind, ModerationMails, ModerationService, Target
from tests.conftest import Browser, Loop, Mailbox, Person, Place, Server, page, signed_in, text_of
from tests.functional.test_reports import (
    audit_rows,
    body_of,
    comment_row,
    idea_row,
    make_comment,
    translated,
)

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

HIDE_REASON = "Bitte keine Beleidigungen: „Idiot“ ist hier nicht in Ordnung. Gruß, Jana vom QM"
MESSAGE = "Das war Ironie unter Nachbarn, niemand war gemeint. Ich formuliere es gern um."
SENT = "Your request has been sent to the QM team."
ASKED_BEFORE = "You have already asked for a review of this item."


def moderate(
    db: Database,
    loop: Loop,
    server: Server,
    action: Callable[[ModerationService, Target, User], Awaitable[Any]],
    kind: Kind,
    item_id: int,
    manager: Person,
) -> None:
    """Run a manager's action through the moderation service, with the mails rendered and
    linked as the running app does it."""
    app = server.server.config.app

    def link(name: str, **params: Any) -> str:
        return server.settings.base_url + str(app.url_path_for(name, **params))

    async def run() -> None:
        async with db.session(write=True) as session:
            service = ModerationService(session, ModerationMails(session, app.state.renderer, link))
            target = await service.target(kind, item_id)
            actor = await session.get(User, manager.id)
            assert actor is not None
            await action(service, target, actor)

    loop.run(run())


def hide(
    db: Database, loop: Loop, server: Server, kind: Kind, item_id: int, manager: Person
) -> None:
    moderate(
        db,
        loop,
        server,
        lambda service, target, actor: service.hide(actor, target, Reason.INSULT, HIDE_REASON),
        kind,
        item_id,
        manager,
    )


def review_path(kind: str, item_id: int, locale: str = "de") -> str:
    return f"/{locale}/review/{kind}/{item_id}"


@pytest.fixture
def setting(
    make_user: MakeUser, make_area: MakeArea, make_member: MakeMember
) -> tuple[Place, Person, Person]:
    """An area with a manager and a member who writes."""
    place = make_area()
    manager = make_user(manager_of=[place.slug], locale="de")
    author = make_user(member_of={place.slug: ["resident"]}, locale="de")
    return place, manager, author


def test_author_learns_why_and_asks_for_a_review_once(
    setting: tuple[Place, Person, Person],
    new_client: NewClient,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    server: Server,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place, manager, author = setting
    idea_id = make_idea(place, author)
    hide(db, loop, server, Kind.IDEA, idea_id, manager)

    # The author's mail gives the public category, the full reason and the way to a review.
    deliver_mail()
    (mail,) = smtp_server.to(author.email)
    assert mail["Subject"] == translated("de", "Your idea was hidden")
    assert mail["Content-Language"] == "de"
    for part in (body_of(mail), body_of(mail, "html")):
        assert translated("de", "Insult or hate") in part
        assert f"{server.url}/de/ideas/{idea_id}" in part
        assert translated("de", "Ask for a review") in part
    assert HIDE_REASON in body_of(mail)

    # The review page shows the same, to the author.
    browser = signed_in(new_client, author)
    shown = browser.get(review_path("idea", idea_id))
    assert shown.status_code == 200
    assert len(page(shown).select("main h1")) == 1
    reasons = text_of(shown, "main .terms")
    assert translated("de", "Insult or hate") in reasons
    assert HIDE_REASON in reasons
    assert page(shown).select_one('main form textarea#message[name="message"]') is not None
    assert page(shown).select_one('label[for="message"]') is not None

    response = browser.submit(review_path("idea", idea_id), {"message": MESSAGE})
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/ideas/{idea_id}"
    assert translated("de", SENT) in text_of(browser.get(response.headers["location"]), ".flashes")

    idea = idea_row(db, loop, idea_id)
    assert idea.moderation_state is ModerationState.HIDDEN
    assert idea.review_requested_at is not None
    assert idea.review_message == MESSAGE
    assert idea.review_decided_at is None
    (entry,) = audit_rows(db, loop, Action.REVIEW_REQUESTED, idea_id=idea_id)
    assert entry.actor_id == author.id
    assert entry.reason == MESSAGE

    deliver_mail()
    (asked,) = smtp_server.to(manager.email)
    assert asked["Subject"] == translated("de", "Review requested in %(area)s", area=place.name)
    assert MESSAGE in body_of(asked)
    assert f"{server.url}/de/areas/{place.slug}/moderation" in body_of(asked)
    assert f"{server.url}/de/ideas/{idea_id}" in body_of(asked)

    # Asked once: the page says so, with no form, and a second request changes nothing.
    shown = browser.get(review_path("idea", idea_id))
    assert shown.status_code == 200
    assert page(shown).select_one("main form textarea") is None
    assert MESSAGE in text_of(shown, "main blockquote[dir=auto]")
    response = browser.submit(
        review_path("idea", idea_id), {"message": "Noch einmal, bitte!"}, page_path="/de/"
    )
    assert response.status_code == 409
    assert translated("de", ASKED_BEFORE) in text_of(response, '[role="alert"]')
    assert idea_row(db, loop, idea_id).review_message == MESSAGE
    assert len(audit_rows(db, loop, Action.REVIEW_REQUESTED, idea_id=idea_id)) == 1
    deliver_mail()
    assert len(smtp_server.to(manager.email)) == 1


def test_comment_review_and_the_decisions_reach_the_author(
    setting: tuple[Place, Person, Person],
    new_client: NewClient,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
    server: Server,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    place, manager, author = setting
    idea_id = make_idea(place, make_member(place))
    kept_id = make_comment(db, loop, idea_id, author)
    restored_id = make_comment(db, loop, idea_id, author)
    for comment_id in (kept_id, restored_id):
        hide(db, loop, server, Kind.COMMENT, comment_id, manager)
    deliver_mail()
    subjects = [m["Subject"] for m in smtp_server.to(author.email)]
    assert subjects == [translated("de", "Your comment was hidden")] * 2

    browser = signed_in(new_client, author)
    response = browser.submit(review_path("comment", kept_id), {"message": MESSAGE})
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/ideas/{idea_id}#comment-{kept_id}"
    assert comment_row(db, loop, kept_id).review_requested_at is not None
    (entry,) = audit_rows(db, loop, Action.REVIEW_REQUESTED, idea_id=idea_id, comment_id=kept_id)
    assert entry.comment_id == kept_id

    decision = "Auch als Ironie bleibt es eine Beleidigung."
    moderate(
        db,
        loop,
        server,
        lambda service, target, actor: service.keep_hidden(actor, target, decision),
        Kind.COMMENT,
        kept_id,
        manager,
    )
    moderate(
        db,
        loop,
        server,
        lambda service, target, actor: service.restore(actor, target, ""),
        Kind.COMMENT,
        restored_id,
        manager,
    )
    deliver_mail()
    received = smtp_server.to(author.email)[2:]
    by_subject = {m["Subject"]: m for m in received}
    kept = by_subject[translated("de", "Your comment stays hidden")]
    assert decision in body_of(kept)
    assert f"/de/ideas/{idea_id}#comment-{kept_id}" in body_of(kept)
    restored = by_subject[translated("de", "Your comment is shown again")]
    assert f"/de/ideas/{idea_id}#comment-{restored_id}" in body_of(restored)
    assert translated("de", "The QM team wrote:") not in body_of(restored)

    # After the decision the page tells the outcome, and there is no second request.
    shown = browser.get(review_path("comment", kept_id))
    assert shown.status_code == 200
    assert page(shown).select_one("main form textarea") is None
    assert translated("de", "The QM team has reviewed it and it stays hidden.") in text_of(
        shown, "main"
    )
    # A restored comment has nothing to review.
    assert browser.get(review_path("comment", restored_id)).status_code == 409


def test_only_the_author_may_see_the_reason_and_ask(
    setting: tuple[Place, Person, Person],
    new_client: NewClient,
    make_idea: MakeIdea,
    make_member: MakeMember,
    db: Database,
    loop: Loop,
    server: Server,
) -> None:
    place, manager, author = setting
    idea_id = make_idea(place, author)
    hide(db, loop, server, Kind.IDEA, idea_id, manager)
    path = review_path("idea", idea_id)
    refused = translated("de", "Only the author can ask for a review.")

    for person in (make_member(place), manager):
        browser = signed_in(new_client, person)
        shown = browser.get(path)
        assert shown.status_code == 403
        assert refused in text_of(shown, "main")
        assert HIDE_REASON not in shown.text
        response = browser.submit(path, {"message": MESSAGE}, page_path="/de/")
        assert response.status_code == 403

    anonymous = new_client()
    response = anonymous.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/de/signin?next={path}"

    idea = idea_row(db, loop, idea_id)
    assert idea.review_requested_at is None
    assert idea.review_message is None
    assert audit_rows(db, loop, Action.REVIEW_REQUESTED, idea_id=idea_id) == []


def test_a_request_needs_a_message_and_a_hidden_item(
    setting: tuple[Place, Person, Person],
    new_client: NewClient,
    make_idea: MakeIdea,
    db: Database,
    loop: Loop,
    server: Server,
) -> None:
    place, manager, author = setting
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, author)
    response = browser.get(review_path("idea", idea_id))
    assert response.status_code == 409  # not hidden: nothing to review
    assert translated("de", "This item is not hidden; there is nothing to review.") in text_of(
        response, "main"
    )

    hide(db, loop, server, Kind.IDEA, idea_id, manager)
    response = browser.submit(review_path("idea", idea_id), {"message": "   "})
    assert response.status_code == 422
    shown = page(response)
    assert shown.select_one(".field--error #message-error") is not None
    assert shown.select_one('.error-summary a[href="#message"]') is not None
    long_message = "y" * 2001
    response = browser.submit(review_path("idea", idea_id), {"message": long_message})
    assert response.status_code == 422
    assert page(response).select_one("textarea#message").get_text() == long_message  # type: ignore[union-attr]
    assert idea_row(db, loop, idea_id).review_requested_at is None
