"""SQL statements per page (X-Query-Count): no N+1 on lists and idea pages, and a small budget."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import httpx
import pytest

from participation.accounts.models import User
from participation.db import Database
from participation.ideas.comments import CommentService
from participation.ideas.services import Viewer
from tests.conftest import Browser, Loop, Person, Place, make_people, page, signed_in

MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
NewClient = Callable[[], Browser]

BUDGET = 6

# -- helpers ------------------------------------------------------------------------------


def react(
    db: Database,
    loop: Loop,
    idea_id: int,
    *,
    supporters: Sequence[Person] = (),
    commenters: Sequence[Person] = (),
    replies: bool = False,
) -> None:
    """Support and comment on the idea through the service, as these members.

    With replies, every second commenter answers the comment before, and the first comment is
    deleted after it got a reply (so the page shows a placeholder too).
    """

    async def run() -> None:
        async with db.session(write=True) as session:
            ideas = CommentService(session)
            idea = await ideas.get(idea_id)
            for person in supporters:
                user = await session.get(User, person.id)
                await ideas.set_support(Viewer(user, is_member=True), idea, support=True)
            previous = None
            first = None
            for n, person in enumerate(commenters):
                user = await session.get(User, person.id)
                parent = previous.id if replies and previous is not None and n % 2 else None
                previous = await ideas.comment(
                    Viewer(user, is_member=True),
                    idea,
                    body=f"Kommentar Nummer {n} zu dieser Idee.",
                    language="de" if n % 3 else "tr",
                    parent_id=parent,
                )
                first = first or previous
            if replies and first is not None and len(commenters) > 2:
                author = await session.get(User, commenters[0].id)
                await ideas.delete_comment(Viewer(author, is_member=True), idea, first)

    loop.run(run())


def queries(response: httpx.Response) -> int:
    assert response.status_code == 200, response.status_code
    return int(response.headers["x-query-count"])


@dataclass
class Scene:
    small: Place  # 2 ideas
    large: Place  # 20 ideas
    talk: Place  # the two ideas below
    few_comments: int  # an idea with 1 comment
    many_comments: int  # an idea with 15 comments by 15 people, with replies and a placeholder
    member: Browser  # a member of both areas who supports and comments
    anonymous: Browser

    def list_path(self, place: Place) -> str:
        return f"/de/areas/{place.slug}/ideas"


@pytest.fixture
def scene(
    db: Database, loop: Loop, make_area: MakeArea, make_idea: MakeIdea, new_client: NewClient
) -> Iterator[Scene]:
    small, large, talk = make_area(), make_area(), make_area()
    people = make_people(db, loop, 24, small, large, talk)
    member = people[-1]
    ideas_small = [
        make_idea(small, people[n], field_index=n % 3, language="de" if n else "ar")
        for n in range(2)
    ]
    ideas_large = [
        make_idea(large, people[n], field_index=n % 3, language=("de", "tr", "en")[n % 3])
        for n in range(20)
    ]
    for n, idea_id in enumerate(ideas_small + ideas_large):
        react(
            db,
            loop,
            idea_id,
            supporters=people[20 : 20 + n % 4],
            commenters=[people[(n + 1) % 20], people[(n + 2) % 20]][: n % 3],
        )
    react(db, loop, ideas_small[0], supporters=[member])
    react(db, loop, ideas_large[5], supporters=[member], commenters=[member])

    few, many = make_idea(talk, people[0]), make_idea(talk, people[1])
    react(db, loop, few, commenters=[people[2]], supporters=[member])
    react(db, loop, many, commenters=people[2:17], supporters=[member, *people[:3]], replies=True)

    yield Scene(small, large, talk, few, many, signed_in(new_client, member), new_client())


# -- the tests ----------------------------------------------------------------------------


def test_scene_is_what_the_pages_show(scene: Scene) -> None:
    """The pages compared below really show 2 and 20 ideas, and 1 and 15 comments."""
    small = page(scene.anonymous.get(scene.list_path(scene.small)))
    large = page(scene.anonymous.get(scene.list_path(scene.large)))
    assert len(small.select("li.idea-card")) == 2
    assert len(large.select("li.idea-card")) == 20
    few = page(scene.member.get(f"/de/ideas/{scene.few_comments}"))
    many = page(scene.member.get(f"/de/ideas/{scene.many_comments}"))
    assert len(few.select("article.comment")) == 1
    assert len(many.select("article.comment")) == 15
    assert len(many.select("article.comment .placeholder")) == 1
    assert len(many.select("ol.reply-list article.comment")) == 7
    assert len({a.get_text() for a in many.select("article.comment .meta bdi")}) == 14


def test_idea_list_queries_do_not_grow_with_ideas(scene: Scene) -> None:
    """Anonymous and member, whole page and htmx fragment: 2 ideas cost what 20 cost."""
    for browser in (scene.anonymous, scene.member):
        for headers in ({}, {"HX-Request": "true"}):
            small = queries(browser.get(scene.list_path(scene.small), headers=headers))
            large = queries(browser.get(scene.list_path(scene.large), headers=headers))
            discussed = queries(
                browser.get(
                    scene.list_path(scene.large), params={"sort": "discussed"}, headers=headers
                )
            )
            assert small == large == discussed, (browser is scene.member, headers)


def test_idea_page_queries_do_not_grow_with_comments(scene: Scene) -> None:
    """Anonymous and member: an idea with 15 comments costs what one with 1 comment costs."""
    for browser in (scene.anonymous, scene.member):
        few = queries(browser.get(f"/de/ideas/{scene.few_comments}"))
        many = queries(browser.get(f"/de/ideas/{scene.many_comments}"))
        assert few == many, browser is scene.member


@pytest.mark.parametrize("kind", ["idea list", "idea page"])
def test_pages_stay_within_the_query_budget(kind: str, scene: Scene) -> None:
    if kind == "idea list":
        paths = [scene.list_path(scene.small), scene.list_path(scene.large)]
    else:
        paths = [f"/de/ideas/{scene.few_comments}", f"/de/ideas/{scene.many_comments}"]

    counts = {
        (who, path): queries(browser.get(path))
        for who, browser in (("anonymous", scene.anonymous), ("member", scene.member))
        for path in paths
    }

    assert max(counts.values()) <= BUDGET, counts
