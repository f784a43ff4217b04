"""Comments: posting, replies (one level), validation, editing, deleting, and exact counts."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import func, select

from participation.db import Database
from participation.ideas.models import Comment, Idea
from tests.conftest import Browser, Loop, Person, Place, page, signed_in, text_of

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeMember = Callable[..., Person]
NewClient = Callable[[], Browser]

PUBLISHED = "Ihr Kommentar wurde veröffentlicht."
NOT_PUBLISHED = "Ihr Kommentar konnte nicht veröffentlicht werden. Bitte prüfen Sie das Formular."
PLACEHOLDER = "Dieser Kommentar wurde von der Person gelöscht, die ihn geschrieben hat."
LENGTH = "Bitte schreiben Sie zwischen 2 und 3000 Zeichen."

# -- helpers ------------------------------------------------------------------------------


def comment_row(db: Database, loop: Loop, comment_id: int) -> Comment | None:
    async def run() -> Comment | None:
        async with db.session() as session:
            return await session.get(Comment, comment_id)

    return loop.run(run())


def counts(db: Database, loop: Loop, idea_id: int) -> tuple[int, int]:
    """The idea's comment_count and the number of its comments that are not deleted."""

    async def run() -> tuple[int, int]:
        async with db.session() as session:
            counter = await session.scalar(select(Idea.comment_count).where(Idea.id == idea_id))
            rows = await session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(Comment.idea_id == idea_id, Comment.deleted_at.is_(None))
            )
            return int(counter or 0), int(rows or 0)

    return loop.run(run())


def rows_of(db: Database, loop: Loop, idea_id: int) -> int:
    async def run() -> int:
        async with db.session() as session:
            total = await session.scalar(
                select(func.count()).select_from(Comment).where(Comment.idea_id == idea_id)
            )
            return int(total or 0)

    return loop.run(run())


def detail(idea_id: int) -> str:
    return f"/de/ideas/{idea_id}"


def post_comment(
    browser: Browser,
    idea_id: int,
    body: str,
    *,
    parent: int | str | None = None,
    language: str = "de",
    htmx: bool = False,
) -> httpx.Response:
    data = {"body": body, "language": language}
    if parent is not None:
        data["parent"] = str(parent)
    headers = {"HX-Request": "true"} if htmx else {}
    return browser.submit(
        f"/de/ideas/{idea_id}/comments", data, page_path=detail(idea_id), headers=headers
    )


def posted_id(response: httpx.Response, idea_id: int) -> int:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    prefix = f"{detail(idea_id)}#comment-"
    assert location.startswith(prefix), location
    return int(location[len(prefix) :])


def delete(browser: Browser, comment_id: int, idea_id: int) -> httpx.Response:
    return browser.submit(f"/de/comments/{comment_id}/delete", {}, page_path=detail(idea_id))


def heading(response: httpx.Response) -> str:
    return text_of(response, "#comments-heading")


def thread_of(soup: BeautifulSoup, comment_id: int) -> Tag:
    """The list item of the top-level comment's thread."""
    article = soup.select_one(f"ol.comment-list > li > article#comment-{comment_id}")
    assert article is not None, f"comment {comment_id} is not a thread"
    assert isinstance(article.parent, Tag)
    return article.parent


def reply_ids(thread: Tag) -> list[int]:
    return [
        int(str(a["id"]).removeprefix("comment-"))
        for a in thread.select("ol.reply-list > li > article.comment")
    ]


# -- posting ------------------------------------------------------------------------------


def test_member_comments_and_replies_stay_one_level_deep(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author, ana, ben = (make_member(place) for _ in range(3))
    idea_id = make_idea(place, author)
    ana_browser, ben_browser = signed_in(new_client, ana), signed_in(new_client, ben)

    top = posted_id(post_comment(ana_browser, idea_id, "Finde ich gut!", language="tr"), idea_id)
    shown = ana_browser.get(detail(idea_id))
    assert PUBLISHED in text_of(shown, ".flashes")
    reply = posted_id(post_comment(ben_browser, idea_id, "Ich auch.", parent=top), idea_id)
    reply_to_reply = posted_id(
        post_comment(ana_browser, idea_id, "Danke, Ben!", parent=reply), idea_id
    )

    rows = [comment_row(db, loop, i) for i in (top, reply, reply_to_reply)]
    assert [(r.parent_id, r.author_id) for r in rows if r] == [
        (None, ana.id),
        (top, ben.id),
        (top, ana.id),
    ]
    assert counts(db, loop, idea_id) == (3, 3)

    response = ben_browser.get(detail(idea_id))
    soup = page(response)
    assert heading(response) == "3 Kommentare"
    thread = thread_of(soup, top)
    assert reply_ids(thread) == [reply, reply_to_reply]
    assert soup.select("ol.reply-list ol.reply-list") == []
    assert len(soup.select("ol.comment-list > li")) == 1
    body = soup.select_one(f"#comment-{top} div[lang]")
    assert body is not None
    assert (body["lang"], body.get_text(strip=True)) == ("tr", "Finde ich gut!")
    assert ana.display_name in text_of(response, f"#comment-{top} .meta")
    assert "Danke, Ben!" in text_of(response, f"#comment-{reply_to_reply}")


INVALID: list[tuple[str, str, str]] = [
    ("empty", "", "Bitte füllen Sie dieses Feld aus."),
    ("blank", "     ", "Bitte füllen Sie dieses Feld aus."),
    ("too short", "x", LENGTH),
    ("too long", "Sehr lang. " * 273, LENGTH),
]


@pytest.mark.parametrize(("body", "message"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_comment_is_refused_with_error_and_kept_text(
    body: str,
    message: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    response = post_comment(browser, idea_id, body)

    assert response.status_code == 422
    soup = page(response)
    error = soup.select_one("#comment-body-error.field-error")
    assert error is not None
    assert message in error.get_text(strip=True)
    textarea = soup.select_one("textarea#comment-body")
    assert textarea is not None
    assert textarea.get("aria-invalid") == "true"
    assert textarea.get_text() == body.strip()
    summary = soup.select_one("#comments .error-summary a[href='#comment-body']")
    assert summary is not None and message in summary.get_text(strip=True)
    assert rows_of(db, loop, idea_id) == 0
    assert counts(db, loop, idea_id) == (0, 0)


def test_invalid_language_is_explained(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """A refused comment must say why, also when the language is what is wrong."""
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    response = post_comment(browser, idea_id, "Ein guter Kommentar.", language="xx")

    assert response.status_code == 422
    assert "Bitte wählen Sie eine Sprache aus der Liste." in text_of(response, "#comments")
    assert rows_of(db, loop, idea_id) == 0


def test_comment_forms_offer_the_languages_named_in_the_interface_language(
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """Every comment form offers the languages texts may be written in, named in the
    interface's language, the interface's own chosen; a refused comment keeps its choice."""
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    posted_id(post_comment(browser, idea_id, "Ein erster Kommentar."), idea_id)

    def options(soup: BeautifulSoup, select: str) -> list[tuple[str, str, bool]]:
        return [
            (str(o["value"]), o.get_text(), o.has_attr("selected"))
            for o in soup.select(f"{select} option")
        ]

    turkish = page(browser.get(f"/tr/ideas/{idea_id}"))
    main = options(turkish, "#comment-language")
    assert [code for code, _, _ in main] == [
        "de", "tr", "ar", "en", "pl", "ru", "uk", "fa", "ku", "bs", "hr", "sr", "fr",
    ]  # fmt: skip
    assert ("de", "Almanca", False) in main and ("tr", "Türkçe", True) in main
    assert [code for code, _, chosen in main if chosen] == ["tr"]
    replies = turkish.select("select[id^='reply-'][id$='-language']")
    assert len(replies) == 1 and options(turkish, f"#{replies[0]['id']}") == main

    refused = page(post_comment(browser, idea_id, "", language="ar"))
    chosen = [code for code, _, chosen in options(refused, "#comment-language") if chosen]
    assert chosen == ["ar"]
    unknown = page(post_comment(browser, idea_id, "Gut.", language="xx"))
    assert [c for c, _, chosen in options(unknown, "#comment-language") if chosen] == []


def test_invalid_reply_keeps_text_in_its_thread(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    top = posted_id(post_comment(browser, idea_id, "Der erste Kommentar."), idea_id)

    response = post_comment(browser, idea_id, "y", parent=top)

    assert response.status_code == 422
    soup = page(response)
    thread = thread_of(soup, top)
    details = thread.select_one("details.reply")
    assert details is not None and details.has_attr("open")
    textarea = details.select_one(f"textarea#reply-{top}-body")
    assert textarea is not None
    assert textarea.get_text() == "y"
    assert textarea.get("aria-invalid") == "true"
    assert LENGTH in text_of(response, f"#reply-{top}-body-error")
    # the form for a new comment is not marked
    assert soup.select_one("textarea#comment-body[aria-invalid]") is None
    assert counts(db, loop, idea_id) == (1, 1)


@pytest.mark.parametrize("target", ["other idea", "deleted"])
def test_reply_to_a_missing_comment_is_refused(
    target: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id, other_idea = make_idea(place, member), make_idea(place, member)
    browser = signed_in(new_client, member)
    if target == "other idea":
        parent = posted_id(post_comment(browser, other_idea, "Anderswo."), other_idea)
    else:
        parent = posted_id(post_comment(browser, idea_id, "Gleich weg."), idea_id)
        assert delete(browser, parent, idea_id).status_code == 303

    response = post_comment(browser, idea_id, "Meine Antwort darauf.", parent=parent)

    assert response.status_code == 422
    assert "Den Kommentar, auf den Sie antworten, gibt es nicht mehr." in text_of(
        response, "#comments"
    )
    assert "Meine Antwort darauf." in text_of(response, "#comments form")
    assert rows_of(db, loop, idea_id) == (0 if target == "other idea" else 1)
    assert counts(db, loop, idea_id) == (0, 0)


@pytest.mark.parametrize("parent", ["9" * 25, "²", "abc"])
def test_odd_parent_values_do_not_break_the_page(
    parent: str,
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    response = post_comment(browser, idea_id, "Ein Kommentar mit komischem Bezug.", parent=parent)

    assert response.status_code in (303, 422)
    assert counts(db, loop, idea_id) == (rows_of(db, loop, idea_id),) * 2


def test_comment_text_is_escaped_and_links_are_safe(
    make_member: MakeMember, make_area: MakeArea, make_idea: MakeIdea, new_client: NewClient
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    body = (
        '<script>alert(1)</script> siehe https://example.org/a?b=1 <a href="javascript:x()">x</a>'
    )

    comment_id = posted_id(post_comment(browser, idea_id, body), idea_id)

    soup = page(browser.get(detail(idea_id)))
    article = soup.select_one(f"#comment-{comment_id}")
    assert article is not None
    assert article.select("script") == []
    assert "<script>alert(1)</script>" in article.get_text()
    links = article.select("div[lang] a")
    assert [a["href"] for a in links] == ["https://example.org/a?b=1"]
    assert {"nofollow", "ugc"} <= set(links[0]["rel"])
    assert not [a for a in soup.select("a[href]") if "javascript" in str(a["href"]).lower()]


@pytest.mark.parametrize("comment_id", ["987654321", "99999999999999999999999"])
def test_unknown_comment_gives_404(
    comment_id: str, make_member: MakeMember, make_area: MakeArea, new_client: NewClient
) -> None:
    browser = signed_in(new_client, make_member(make_area()))

    response = browser.get(f"/de/comments/{comment_id}/edit")

    assert response.status_code == 404
    assert text_of(response, "main h1") == "Seite nicht gefunden"


# -- who may comment ----------------------------------------------------------------------


def test_non_member_and_anonymous_cannot_comment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place, elsewhere = make_area(), make_area()
    author = make_member(place)
    outsider = make_member(elsewhere)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, outsider)

    shown = browser.get(detail(idea_id))
    assert page(shown).select_one("#comments form") is None
    assert page(shown).select_one(f'#comments a[href="/de/areas/{place.slug}/join"]') is not None
    refused = post_comment(browser, idea_id, "Darf ich das?")
    assert refused.status_code == 403
    assert "Bitte treten Sie zuerst diesem Gebiet bei" in text_of(refused, "main")

    anonymous = new_client()
    sent = anonymous.submit(
        f"/de/ideas/{idea_id}/comments",
        {"body": "Anonym geht das nicht.", "language": "de"},
        page_path="/de/signin",
    )
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/de/signin?next=/")
    assert rows_of(db, loop, idea_id) == 0
    assert counts(db, loop, idea_id) == (0, 0)


def test_consolidation_area_refuses_comments(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area(status="consolidation")
    member = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    shown = browser.get(detail(idea_id))
    assert shown.status_code == 200
    assert page(shown).select_one("#comments form") is None
    refused = post_comment(browser, idea_id, "Noch ein Gedanke.")
    assert refused.status_code == 403
    assert "Dieses Gebiet ist in der Verstetigung." in text_of(refused, "main")
    assert rows_of(db, loop, idea_id) == 0


# -- editing and deleting -----------------------------------------------------------------


def test_author_edits_comment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    comment_id = posted_id(post_comment(browser, idea_id, "Erste Fassung."), idea_id)
    shown = browser.get(detail(idea_id))
    edit_path = f"/de/comments/{comment_id}/edit"
    assert page(shown).select_one(f'#comment-{comment_id} a[href="{edit_path}"]') is not None

    form = browser.get(edit_path)
    assert form.status_code == 200
    assert text_of(form, "textarea#body") == "Erste Fassung."

    invalid = browser.submit(edit_path, {"body": ""})
    assert invalid.status_code == 422
    assert "Bitte füllen Sie dieses Feld aus." in text_of(invalid, "#body-error")
    assert page(invalid).select_one("textarea#body[aria-invalid=true]") is not None
    row = comment_row(db, loop, comment_id)
    assert row is not None and (row.body, row.edited_at) == ("Erste Fassung.", None)

    saved = browser.submit(edit_path, {"body": "Zweite, bessere Fassung."})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{detail(idea_id)}#comment-{comment_id}"
    row = comment_row(db, loop, comment_id)
    assert row is not None
    assert row.body == "Zweite, bessere Fassung."
    assert row.edited_at is not None
    after = browser.get(detail(idea_id))
    assert "Zweite, bessere Fassung." in text_of(after, f"#comment-{comment_id}")
    assert "bearbeitet" in text_of(after, f"#comment-{comment_id} .meta")
    assert counts(db, loop, idea_id) == (1, 1)


def test_others_cannot_edit_or_delete_a_comment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author, other = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    author_browser = signed_in(new_client, author)
    comment_id = posted_id(post_comment(author_browser, idea_id, "Mein Kommentar."), idea_id)
    browser = signed_in(new_client, other)
    edit_path = f"/de/comments/{comment_id}/edit"

    shown = browser.get(detail(idea_id))
    assert page(shown).select_one(f'a[href="{edit_path}"]') is None
    message = "Nur die Person, die diesen Kommentar geschrieben hat, kann ihn ändern."
    got = browser.get(edit_path)
    assert got.status_code == 403
    assert message in text_of(got, "main")
    edited = browser.submit(edit_path, {"body": "Übernommen!"}, page_path=detail(idea_id))
    assert edited.status_code == 403
    deleted = delete(browser, comment_id, idea_id)
    assert deleted.status_code == 403
    assert message in text_of(deleted, "main")

    anonymous = new_client()
    assert anonymous.get(edit_path).status_code == 303
    row = comment_row(db, loop, comment_id)
    assert row is not None
    assert (row.body, row.edited_at, row.deleted_at) == ("Mein Kommentar.", None, None)
    assert counts(db, loop, idea_id) == (1, 1)


def test_deleted_comment_with_replies_leaves_a_placeholder(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    ana, ben = make_member(place), make_member(place)
    idea_id = make_idea(place, ana)
    ana_browser, ben_browser = signed_in(new_client, ana), signed_in(new_client, ben)
    top = posted_id(post_comment(ana_browser, idea_id, "Geheimer Erstkommentar."), idea_id)
    reply = posted_id(post_comment(ben_browser, idea_id, "Eine Antwort.", parent=top), idea_id)

    response = delete(ana_browser, top, idea_id)

    assert response.status_code == 303
    assert response.headers["location"] == f"{detail(idea_id)}#comments"
    row = comment_row(db, loop, top)
    assert row is not None and row.deleted_at is not None
    assert counts(db, loop, idea_id) == (1, 1)
    shown = ben_browser.get(detail(idea_id))
    soup = page(shown)
    thread = thread_of(soup, top)
    placeholder = thread.select_one(f"#comment-{top} .placeholder")
    assert placeholder is not None and placeholder.get_text(strip=True) == PLACEHOLDER
    assert "Geheimer Erstkommentar." not in shown.text
    assert ana.display_name not in text_of(shown, f"#comment-{top}")
    assert reply_ids(thread) == [reply]
    assert thread.select_one("details.reply") is None
    assert heading(shown) == "1 Kommentar"
    assert ana_browser.get(f"/de/comments/{top}/edit").status_code == 404

    # when the last reply goes, the placeholder goes too
    assert delete(ben_browser, reply, idea_id).status_code == 303
    gone = ben_browser.get(detail(idea_id))
    assert page(gone).select_one(f"#comment-{top}") is None
    assert PLACEHOLDER not in gone.text
    assert heading(gone) == "0 Kommentare"
    assert counts(db, loop, idea_id) == (0, 0)


def test_deleted_comment_without_replies_disappears(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    keep = posted_id(post_comment(browser, idea_id, "Dieser bleibt."), idea_id)
    drop = posted_id(post_comment(browser, idea_id, "Dieser geht."), idea_id)

    response = delete(browser, drop, idea_id)

    assert response.status_code == 303
    shown = browser.get(detail(idea_id))
    assert "Ihr Kommentar wurde gelöscht." in text_of(shown, ".flashes")
    soup = page(shown)
    assert soup.select_one(f"#comment-{drop}") is None
    assert soup.select_one(f"#comment-{keep}") is not None
    assert PLACEHOLDER not in shown.text
    assert "Dieser geht." not in shown.text
    assert heading(shown) == "1 Kommentar"
    assert counts(db, loop, idea_id) == (1, 1)

    # deleting again changes nothing
    again = browser.post(
        f"/de/comments/{drop}/delete", data={"csrf_token": browser.form_token(detail(idea_id))}
    )
    assert again.status_code == 404
    assert counts(db, loop, idea_id) == (1, 1)


def test_comment_count_stays_exact(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    ana, ben = make_member(place), make_member(place)
    idea_id = make_idea(place, ana)
    ana_browser, ben_browser = signed_in(new_client, ana), signed_in(new_client, ben)

    def check(expected: int) -> None:
        assert counts(db, loop, idea_id) == (expected, expected)
        shown = ana_browser.get(detail(idea_id))
        assert heading(shown) == f"{expected} Kommentar" + ("" if expected == 1 else "e")
        listing = ana_browser.get(f"/de/areas/{place.slug}/ideas")
        card = page(listing).select_one(f"li.idea-card:has(#idea-{idea_id}-title) .counts")
        assert card is not None
        word = "Kommentar" if expected == 1 else "Kommentare"
        assert f"{expected} {word}" in card.get_text(" ", strip=True)

    first = posted_id(post_comment(ana_browser, idea_id, "Eins."), idea_id)
    second = posted_id(post_comment(ben_browser, idea_id, "Zwei."), idea_id)
    r1 = posted_id(post_comment(ben_browser, idea_id, "Drei.", parent=first), idea_id)
    r2 = posted_id(post_comment(ana_browser, idea_id, "Vier.", parent=first), idea_id)
    check(4)
    assert delete(ben_browser, r1, idea_id).status_code == 303
    check(3)
    assert delete(ana_browser, first, idea_id).status_code == 303  # keeps a placeholder
    check(2)
    assert post_comment(ana_browser, idea_id, "x").status_code == 422
    check(2)
    assert delete(ben_browser, second, idea_id).status_code == 303
    assert delete(ana_browser, r2, idea_id).status_code == 303
    check(0)


def test_commenting_changes_only_the_count_of_the_idea(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """The comment and the new count are stored together (on PostgreSQL in one statement):
    nothing of the comment, its author, text, language or time, may land in the idea."""
    place = make_area()
    author, member = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, member)

    def idea_row() -> dict[str, object]:
        async def run() -> dict[str, object]:
            async with db.session() as session:
                row = (
                    await session.execute(select(Idea.__table__).where(Idea.id == idea_id))
                ).one()
                return dict(row._mapping)

        return loop.run(run())

    before = idea_row()
    posted_id(post_comment(browser, idea_id, "Ganz anders als die Idee.", language="tr"), idea_id)
    assert post_htmx(browser, idea_id, "Noch ein Kommentar, per htmx.").status_code == 200
    after = idea_row()
    assert (before.pop("comment_count"), after.pop("comment_count")) == (0, 2)
    assert after == before
    assert counts(db, loop, idea_id) == (2, 2)


# -- htmx ---------------------------------------------------------------------------------


def test_htmx_comment_returns_the_comments_fragment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)

    response = post_comment(browser, idea_id, "Per htmx geschrieben.", htmx=True)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]
    soup = page(response)
    roots = [element for element in soup.children if isinstance(element, Tag)]
    assert [(r.name, r.get("id")) for r in roots] == [("section", "comments")]
    assert roots[0]["data-announce"] == PUBLISHED
    articles = soup.select("article.comment")
    assert len(articles) == 1
    assert articles[0].has_attr("data-focus-after-swap")
    assert "Per htmx geschrieben." in articles[0].get_text()
    assert heading(response) == "1 Kommentar"
    fresh = soup.select_one("textarea#comment-body")
    assert fresh is not None and fresh.get_text() == ""
    assert counts(db, loop, idea_id) == (1, 1)
    # the flash is not left over for the next page
    assert page(browser.get(detail(idea_id))).select_one(".flashes") is None


def test_htmx_comment_error_is_422_in_the_fragment(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    member = make_member(place)
    idea_id = make_idea(place, member)
    browser = signed_in(new_client, member)
    too_long = "Ä" * 3001

    response = post_comment(browser, idea_id, too_long, htmx=True)

    assert response.status_code == 422
    assert "<html" not in response.text
    soup = page(response)
    roots = [element for element in soup.children if isinstance(element, Tag)]
    assert [(r.name, r.get("id")) for r in roots] == [("section", "comments")]
    assert roots[0]["data-announce"] == NOT_PUBLISHED
    assert LENGTH in text_of(response, ".field-error")
    textarea = soup.select_one("textarea#comment-body")
    assert textarea is not None and textarea.get_text() == too_long
    assert rows_of(db, loop, idea_id) == 0


def test_htmx_comment_by_anonymous_asks_to_sign_in(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    client: Browser,
) -> None:
    place = make_area()
    idea_id = make_idea(place, make_member(place))
    token = client.form_token("/de/signin")

    response = client.post(
        f"/de/ideas/{idea_id}/comments",
        data={"csrf_token": token, "body": "Hallo!", "language": "de"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://elsewhere{detail(idea_id)}"},
    )

    assert response.status_code == 200
    target = urlsplit(response.headers["hx-redirect"])
    assert (target.path, parse_qs(target.query)) == ("/de/signin", {"next": [detail(idea_id)]})
    assert rows_of(db, loop, idea_id) == 0


# -- the htmx answer ----------------------------------------------------------------------


def post_htmx(browser: Browser, idea_id: int, body: str, **fields: str) -> httpx.Response:
    """Post as htmx does from the page's main form (with its hidden fields)."""
    form = page(browser.get(detail(idea_id))).select_one("#comment-form-area form")
    assert form is not None, "the page shows no comment form"
    data = {
        str(field["name"]): str(field.get("value", ""))
        for field in form.select("input[type=hidden]")
    }
    data.update(body=body, language="de", **fields)
    return browser.post(
        f"/de/ideas/{idea_id}/comments",
        data=data,
        headers={"HX-Request": "true", "HX-Target": "comments"},
    )


def without_swap_marks(tag: Tag) -> str:
    for marked in tag.select("[data-focus-after-swap]"):
        del marked["data-focus-after-swap"]
    del tag["data-announce"]
    return str(tag)


def test_a_new_comment_comes_back_alone_and_as_the_page_shows_it(
    db: Database,
    loop: Loop,
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """On a page that lists comments already, htmx gets the new thread (added to the end of
    the list) and the new count: what the whole page then shows. The form, which showed no
    errors, is emptied in the browser (app.js; the browser tests see it empty)."""
    place = make_area()
    author, ana, ben = (make_member(place) for _ in range(3))
    idea_id = make_idea(place, author)
    ana_browser, ben_browser = signed_in(new_client, ana), signed_in(new_client, ben)

    first = post_htmx(ana_browser, idea_id, "Erster Kommentar hier.")
    assert first.status_code == 200
    assert "hx-retarget" not in first.headers  # no list on the page yet: the whole block
    assert page(first).select_one("section#comments") is not None

    answer = post_htmx(ben_browser, idea_id, "Zweiter Kommentar, von Ben.")

    assert answer.status_code == 200
    assert answer.headers["hx-retarget"] == "#comment-list"
    assert answer.headers["hx-reswap"] == "beforeend"
    soup = page(answer)
    assert soup.select_one("section#comments") is None
    [thread] = soup.select("body > li") or soup.find_all("li", recursive=False)
    assert thread["data-announce"] == PUBLISHED
    [article] = thread.select("article.comment")
    comment_id = int(str(article["id"]).removeprefix("comment-"))
    assert article.has_attr("data-focus-after-swap")
    assert "Zweiter Kommentar, von Ben." in article.get_text()
    assert ben.display_name in article.get_text()
    heading_tag = soup.select_one("#comments-heading[hx-swap-oob]")
    assert heading_tag is not None and heading_tag.get_text(strip=True) == "2 Kommentare"
    assert soup.select_one("#comment-form-area") is None
    assert counts(db, loop, idea_id) == (2, 2)

    shown = page(ben_browser.get(detail(idea_id)))
    assert without_swap_marks(thread) == str(thread_of(shown, comment_id))


def test_a_form_that_showed_errors_comes_back_empty_and_without_them_after_its_comment(
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    """The form on a page with comments is emptied in the browser once its comment is
    stored. A form that showed errors is sent again, empty and without them."""
    place = make_area()
    author, ana = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, ana)
    post_htmx(browser, idea_id, "Ein erster Gedanke.")
    form = page(browser.get(detail(idea_id))).select_one("#comment-form-area form")
    assert form is not None and form.has_attr("data-reset-after-send")

    failed = post_htmx(browser, idea_id, "")
    assert failed.status_code == 422
    shown = page(failed).select_one("#comment-form-area form")
    assert shown is not None and shown.select_one(".error-summary") is not None
    assert not shown.has_attr("data-reset-after-send")
    assert shown.select_one('input[name="clean"]') is None

    answer = post_htmx(browser, idea_id, "Jetzt mit Text.", clean="")
    assert answer.headers["hx-reswap"] == "beforeend"
    form_area = page(answer).select_one("#comment-form-area[hx-swap-oob]")
    assert form_area is not None
    textarea = form_area.select_one("textarea#comment-body")
    assert textarea is not None and textarea.get_text() == ""
    assert form_area.select_one(".error-summary") is None
    assert form_area.select_one("form[data-reset-after-send]") is not None


def test_replies_and_comments_on_pages_without_a_list_get_the_whole_block(
    make_member: MakeMember,
    make_area: MakeArea,
    make_idea: MakeIdea,
    new_client: NewClient,
) -> None:
    place = make_area()
    author, ana = make_member(place), make_member(place)
    idea_id = make_idea(place, author)
    browser = signed_in(new_client, ana)
    top = posted_id(post_comment(browser, idea_id, "Ein erster Gedanke."), idea_id)

    reply = post_htmx(browser, idea_id, "Eine Antwort darauf.", parent=str(top))
    assert reply.status_code == 200 and "hx-retarget" not in reply.headers
    assert page(reply).select_one("section#comments") is not None

    # A page loaded before the first comment has no list: its form does not ask to append.
    stale = post_htmx(browser, idea_id, "Noch ein Gedanke.", appends="")
    assert stale.status_code == 200 and "hx-retarget" not in stale.headers
    assert len(page(stale).select("ol.comment-list > li")) == 2
