"""SQL statements per page (X-Query-Count): no N+1 on lists and idea pages, and a small budget."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import httpx
import pytest

from participation.accounts.models import User
from participation.concepts.models import Choice, ProposalIdea
from participation.db import Database
from participation.ideas.comments import CommentService
from participation.ideas.models import Comment, ModerationState
from participation.ideas.services import Viewer
from participation.moderation.models import Block, Reason, Report
from tests.conftest import Browser, Loop, Person, Place, make_people, page, signed_in
from tests.functional.process_helpers import add_proposals, cast, voting_now

MakeArea = Callable[..., Place]
MakeIdea = Callable[..., int]
MakeUser = Callable[..., Person]
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


# -- the concept page and the moderation queue ----------------------------------------------


def link_ideas(db: Database, loop: Loop, pairs: Sequence[tuple[int, int]]) -> None:
    """Take ideas into proposals: (proposal id, idea id) pairs."""

    async def run() -> None:
        async with db.session(write=True) as session:
            session.add_all(ProposalIdea(proposal_id=p, idea_id=i) for p, i in pairs)

    loop.run(run())


def test_concept_page_queries_do_not_grow_with_proposals(
    db: Database, loop: Loop, make_area: MakeArea, make_idea: MakeIdea, new_client: NewClient
) -> None:
    """Anonymous and a member who voted: a concept with 12 proposals, most of them with ideas
    behind them, costs what one with a single proposal costs; a proposal with 12 ideas behind
    it costs what one without any costs."""
    small, large = make_area(), make_area()
    voter = make_people(db, loop, 1, small, large)[0]
    first: list[int] = []
    for place, n in ((small, 1), (large, 12)):
        voting_now(db, loop, place)
        proposals = add_proposals(db, loop, place, n)
        ideas = [make_idea(place, voter, field_index=k % 3) for k in range(n)]
        link_ideas(db, loop, [(p, i) for p, i in zip(proposals, ideas, strict=True)][: n - 1])
        link_ideas(db, loop, [(proposals[0], i) for i in ideas[1:]])
        for proposal in proposals[::2]:
            cast(db, loop, voter.id, proposal, Choice.YES)
        first.append(proposals[0])
    member = signed_in(new_client, voter)
    for browser in (new_client(), member):
        shown = [browser.get(f"/de/areas/{p.slug}/concept") for p in (small, large)]
        assert [len(page(r).select(".proposal-card")) for r in shown] == [1, 12]
        counts = [queries(r) for r in shown]
        assert counts[0] == counts[1] <= BUDGET, (browser is member, counts)
        shown = [browser.get(f"/de/proposals/{proposal}") for proposal in first]
        assert [len(page(r).select('.proposal a[href^="/de/ideas/"]')) for r in shown] == [0, 12]
        counts = [queries(r) for r in shown]
        assert counts[0] == counts[1] <= BUDGET, (browser is member, counts)


def add_reported_items(
    db: Database, loop: Loop, place: Place, idea_id: int, people: Sequence[Person], n: int
) -> None:
    """n comments on the idea (every second one a reply), each reported by two people; the
    idea reported too; one more comment waiting for approval, and 1 + n // 3 hidden with a
    review request; the author of the idea blocked."""
    author, *reporters = people
    hidden = 1 + n // 3

    async def run() -> None:
        async with db.session(write=True) as session:
            comments: list[Comment] = []
            for k in range(n + 1 + hidden):
                comment = Comment(
                    idea_id=idea_id,
                    author_id=reporters[k % len(reporters)].id,
                    parent_id=comments[-1].id if k % 2 and comments else None,
                    body=f"Kommentar {k}",
                    language="de",
                )
                session.add(comment)
                await session.flush()
                comments.append(comment)
            comments[n].moderation_state = ModerationState.PENDING
            for comment in comments[n + 1 :]:
                comment.moderation_state = ModerationState.HIDDEN
                comment.hidden_category = Reason.SPAM
                comment.review_requested_at = comment.created_at
            for comment in comments[:n]:
                for reporter in (author, reporters[(comment.id + 1) % len(reporters)]):
                    session.add(
                        Report(
                            area_id=place.id,
                            idea_id=idea_id,
                            comment_id=comment.id,
                            reporter_id=reporter.id,
                            reason=Reason.INSULT,
                        )
                    )
            session.add(
                Report(
                    area_id=place.id,
                    idea_id=idea_id,
                    reporter_id=reporters[0].id,
                    reason=Reason.SPAM,
                )
            )
            session.add(Block(area_id=place.id, user_id=author.id, until=None, reason="Test"))

    loop.run(run())


def test_moderation_queue_queries_do_not_grow_with_reported_items(
    db: Database,
    loop: Loop,
    make_area: MakeArea,
    make_idea: MakeIdea,
    make_user: MakeUser,
    new_client: NewClient,
) -> None:
    """The queue of an area with 17 reported, waiting and reviewed items (replies among them,
    whose comments are shown for context) costs what one with 4 costs; its hidden items too."""
    small, large = make_area(), make_area()
    people = make_people(db, loop, 4, small, large)
    for place, n in ((small, 1), (large, 11)):
        add_reported_items(db, loop, place, make_idea(place, people[0]), people, n)
    manager = signed_in(new_client, make_user(manager_of=[small.slug, large.slug]))
    for view, entries in (("", [4, 17]), ("?view=hidden", [1, 4])):
        shown = [manager.get(f"/de/areas/{p.slug}/moderation{view}") for p in (small, large)]
        assert [len(page(r).select(".queue-entry")) for r in shown] == entries, view
        counts = [queries(r) for r in shown]
        assert counts[0] == counts[1] <= BUDGET, (view, counts)
