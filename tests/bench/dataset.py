"""A district-sized dataset for the benchmark, written through the project's own models.

The demo data comes first (areas, fields of action, concepts with proposals, processes, the demo
accounts), then bulk inserts on the models' tables add the crowd: members with memberships,
ideas in German, Turkish, Arabic and English, comments with replies, supports and votes. The
counters kept in rows (supports and comments per idea, ideas per area, votes per proposal) are
set to exactly what the rows say, as the app keeps them.

Deterministic: the same size and seed give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from participation import demo_content
from participation.accounts.models import Membership, MembershipRole, User
from participation.areas.models import Area, Concept, FieldOfAction
from participation.concepts.models import Fund, Proposal, Vote
from participation.db import Database, utcnow
from participation.demo import seed_demo
from participation.ideas.models import Comment, Idea, IdeaStatus, Support
from participation.security import hash_password

BENCH_PASSWORD = "kiez-bench-2025"
BIG_AREA = "mehringplatz"
"""The area with a third of all ideas, whose pages the benchmark drives."""
DETAIL_COMMENTS = 30
"""Comments (with replies) on the idea whose page the benchmark reads."""


@dataclass(frozen=True)
class Size:
    members: int
    ideas: int
    big_area_ideas: int
    comments: int
    supports: int
    votes: int
    proposals: int
    """Proposals of the big area's concept (its voting runs now); the demo brings some."""
    sessions: int
    """Extra members who sign in during the benchmark: they support, comment and vote only
    there, so every one of their writes is new."""

    def scaled(self, factor: float) -> Size:
        def part(n: int, least: int) -> int:
            return max(least, round(n * factor))

        return Size(
            members=part(self.members, 60),
            ideas=part(self.ideas, 60),
            big_area_ideas=part(self.big_area_ideas, 40),
            comments=part(self.comments, 200),
            supports=part(self.supports, 400),
            votes=part(self.votes, 100),
            proposals=self.proposals,
            sessions=self.sessions,
        )


FULL = Size(
    members=10_000,
    ideas=30_000,
    big_area_ideas=10_000,
    comments=300_000,
    supports=1_000_000,
    votes=200_000,
    proposals=30,
    sessions=200,
)


@dataclass
class Dataset:
    """What the benchmark needs to know about the data it drives."""

    detail_idea: int
    """A visible idea of the big area with DETAIL_COMMENTS comments."""
    field_id: int
    """A field of action of the big area, for the filtered list."""
    target_ideas: list[int]
    """Visible ideas of the big area with one to ten comments: the benchmark supports and
    comments on these."""
    proposals: list[int]
    """Proposals of the big area, whose voting runs now."""
    session_emails: list[str]


def _texts() -> dict[str, list[tuple[str, str]]]:
    """Titles and bodies of the demo ideas, per language."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for idea in demo_content.IDEAS:
        texts.setdefault(idea["language"], []).append((idea["title"], idea["body"]))
    return texts


def _comment_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for idea in demo_content.IDEAS:
        for comment in idea["comments"]:
            texts.setdefault(comment["language"], []).append(comment["body"])
            for reply in comment["replies"]:
                texts.setdefault(reply["language"], []).append(reply["body"])
    return texts


FIRST_NAMES = [
    "Ayşe", "Mehmet", "Fatma", "Emre", "Zeynep", "Murat", "Leyla", "Omar", "Nour", "Karim",
    "Rania", "Yusuf", "Anna", "Jonas", "Lena", "Paul", "Marie", "Felix", "Sophie", "Lukas",
    "Aleksandra", "Piotr", "Olena", "Dmytro", "Sara", "Amir", "Hanna", "David", "Mia", "Elif",
]  # fmt: skip
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTUVWYZ"


def _chunks(rows: Iterable[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def _bulk(conn: AsyncConnection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        await conn.execute(insert(table), chunk)
        count += len(chunk)
    return count


async def _next_id(conn: AsyncConnection, column: Any) -> int:
    return int((await conn.execute(select(func.coalesce(func.max(column), 0)))).scalar_one()) + 1


def _spread(rng: random.Random, total: int, slots: int, *, cap: int) -> list[int]:
    """`total` items over `slots`, skewed as real attention is (a few popular ideas, many
    quiet ones), none above `cap`."""
    weights = [rng.paretovariate(1.3) for _ in range(slots)]
    scale = sum(weights)
    counts = [min(cap, int(w / scale * total)) for w in weights]
    missing = total - sum(counts)
    order = list(range(slots))
    while missing > 0:
        rng.shuffle(order)
        for slot in order:
            if missing == 0:
                break
            if counts[slot] < cap:
                counts[slot] += 1
                missing -= 1
    return counts


async def build(database_url: str, size: Size, *, seed: int = 7) -> Dataset:
    """Fill a migrated, empty database; return what the benchmark drives."""
    await seed_demo(database_url, only_if_empty=False)
    rng = random.Random(seed)
    now = utcnow()
    password_hash = hash_password(BENCH_PASSWORD)
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            return await _fill(conn, size, rng, now, password_hash)
    finally:
        await db.dispose()


async def _fill(
    conn: AsyncConnection, size: Size, rng: random.Random, now: Any, password_hash: str
) -> Dataset:
    areas = (await conn.execute(select(Area.id, Area.slug).order_by(Area.position))).all()
    area_ids = {slug: area_id for area_id, slug in areas}
    big = area_ids[BIG_AREA]
    fields: dict[int, list[int]] = {}
    for field_id, area_id in await conn.execute(
        select(FieldOfAction.id, Concept.area_id)
        .join(Concept, Concept.id == FieldOfAction.concept_id)
        .where(Concept.is_current.is_(True))
    ):
        fields.setdefault(area_id, []).append(field_id)

    # -- members, and the accounts the benchmark signs in with ------------------------------
    first_user = await _next_id(conn, User.id)
    member_ids = list(range(first_user, first_user + size.members))
    session_ids = list(range(member_ids[-1] + 1, member_ids[-1] + 1 + size.sessions))
    locales = ["de", "de", "de", "tr", "tr", "ar", "ar", "en"]

    def users() -> Iterator[dict[str, Any]]:
        for n, user_id in enumerate(member_ids + session_ids):
            bench = user_id in session_set
            yield {
                "id": user_id,
                "email": f"bench-{n}@bench.example.org" if bench else f"member-{n}@example.org",
                "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
                "password_hash": password_hash,
                "preferred_locale": rng.choice(locales),
                "is_admin": False,
                "email_verified_at": now - timedelta(days=rng.randrange(1, 900)),
                "session_epoch": 0,
                "created_at": now - timedelta(days=rng.randrange(900, 1000)),
            }

    session_set = set(session_ids)
    await _bulk(conn, User.__table__, users())  # type: ignore[arg-type]
    session_emails = [
        f"bench-{n}@bench.example.org" for n in range(size.members, size.members + size.sessions)
    ]

    # Every member belongs to the big area or another one (or both), with stakeholder roles.
    first_membership = await _next_id(conn, Membership.id)
    memberships: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    big_members: list[int] = []
    others = [area_id for slug, area_id in area_ids.items() if slug != BIG_AREA]
    for user_id in member_ids + session_ids:
        joined = []
        if user_id in session_set or rng.random() < 0.7:
            joined.append(big)
            big_members.append(user_id)
        if not joined or rng.random() < 0.3:
            joined.append(rng.choice(others))
        for area_id in joined:
            membership_id = first_membership + len(memberships)
            memberships.append(
                {
                    "id": membership_id,
                    "user_id": user_id,
                    "area_id": area_id,
                    "joined_at": now - timedelta(days=rng.randrange(1, 800)),
                    "verified_at": now if rng.random() < 0.4 else None,
                }
            )
            role = rng.choices(["resident", "business", "owner"], weights=[8, 2, 1])[0]
            roles.append({"membership_id": membership_id, "role": role})
    await _bulk(conn, Membership.__table__, memberships)  # type: ignore[arg-type]
    await _bulk(conn, MembershipRole.__table__, roles)  # type: ignore[arg-type]
    voter_roles = {m["user_id"]: r["role"] for m, r in zip(memberships, roles, strict=True)}

    # -- ideas: a third in the big area, the rest spread over the other four -----------------
    texts = _texts()
    languages = ["de", "de", "de", "tr", "tr", "ar", "ar", "en"]
    first_idea = await _next_id(conn, Idea.id)
    idea_area: list[int] = [big] * size.big_area_ideas + [
        others[n % len(others)] for n in range(size.ideas - size.big_area_ideas)
    ]
    idea_ids = list(range(first_idea, first_idea + size.ideas))
    created = sorted(
        now - timedelta(minutes=rng.randrange(10, 3 * 365 * 24 * 60)) for _ in idea_ids
    )
    statuses = [IdeaStatus.NEW] * 12 + [IdeaStatus.UNDER_REVIEW] * 3 + [IdeaStatus.REJECTED]
    statuses += [IdeaStatus.ACCEPTED] * 2 + [IdeaStatus.IMPLEMENTED]

    # Comments per idea (the first idea of the big area gets exactly DETAIL_COMMENTS) and
    # supports per idea, skewed.
    detail_index = 0
    comment_counts = _spread(
        rng, size.comments - DETAIL_COMMENTS, size.ideas - 1, cap=min(400, size.comments)
    )
    comment_counts.insert(detail_index, DETAIL_COMMENTS)
    support_counts = _spread(rng, size.supports, size.ideas, cap=size.members)

    def ideas() -> Iterator[dict[str, Any]]:
        for n, idea_id in enumerate(idea_ids):
            language = rng.choice(languages)
            title, body = rng.choice(texts[language])
            yield {
                "id": idea_id,
                "area_id": idea_area[n],
                "field_id": rng.choice(fields[idea_area[n]]),
                "author_id": rng.choice(member_ids),
                "title": title,
                "body": body,
                "place": None,
                "language": language,
                "status": rng.choice(statuses),
                "moderation_state": "visible",
                "submitted_by_office": rng.random() < 0.05,
                "support_count": support_counts[n],
                "comment_count": comment_counts[n],
                "created_at": created[n],
            }

    await _bulk(conn, Idea.__table__, ideas())  # type: ignore[arg-type]
    for area_id in area_ids.values():
        count = select(func.count()).where(
            Idea.area_id == area_id, Idea.moderation_state == "visible"
        )
        await conn.execute(
            update(Area).where(Area.id == area_id).values(idea_count=count.scalar_subquery())
        )

    # -- comments with replies ----------------------------------------------------------------
    comment_texts = _comment_texts()
    first_comment = await _next_id(conn, Comment.id)

    def comments() -> Iterator[dict[str, Any]]:
        next_id = first_comment
        for n, idea_id in enumerate(idea_ids):
            top: list[int] = []
            for m in range(comment_counts[n]):
                language = rng.choice(languages)
                parent = rng.choice(top) if top and rng.random() < 0.25 else None
                yield {
                    "id": next_id,
                    "idea_id": idea_id,
                    "parent_id": parent,
                    "author_id": rng.choice(member_ids),
                    "body": rng.choice(comment_texts[language]),
                    "language": language,
                    "moderation_state": "visible",
                    "created_at": created[n] + timedelta(minutes=7 * (m + 1)),
                }
                if parent is None:
                    top.append(next_id)
                next_id += 1

    # Comments first, then the replies, with the planner's statistics refreshed in between:
    # PostgreSQL plans the check of a reply's parent once per connection, and planned while
    # the table was nearly empty it scanned the whole table for every reply (the build then
    # took minutes instead of seconds, unless autovacuum happened to refresh them meanwhile).
    every_comment = list(comments())
    table = Comment.__table__
    await _bulk(conn, table, (c for c in every_comment if c["parent_id"] is None))  # type: ignore[arg-type]
    if conn.dialect.name == "postgresql":
        await conn.execute(text("ANALYZE comments"))
    await _bulk(conn, table, (c for c in every_comment if c["parent_id"] is not None))  # type: ignore[arg-type]

    # -- supports -----------------------------------------------------------------------------
    def supports() -> Iterator[dict[str, Any]]:
        for n, idea_id in enumerate(idea_ids):
            for user_id in rng.sample(member_ids, support_counts[n]):
                yield {"idea_id": idea_id, "user_id": user_id, "created_at": created[n]}

    await _bulk(conn, Support.__table__, supports())  # type: ignore[arg-type]

    # -- the big area's proposals and their votes ----------------------------------------------
    concept_id, demo_proposals = (
        await conn.execute(
            select(Concept.id, func.count(Proposal.id))
            .join(Proposal, Proposal.concept_id == Concept.id, isouter=True)
            .where(Concept.area_id == big, Concept.is_current.is_(True))
            .group_by(Concept.id)
        )
    ).one()
    first_proposal = await _next_id(conn, Proposal.id)
    extra = max(0, size.proposals - demo_proposals)
    proposal_texts = [p for p in demo_content.PROPOSALS if p["area"] == BIG_AREA]
    await _bulk(
        conn,
        Proposal.__table__,  # type: ignore[arg-type]
        (
            {
                "id": first_proposal + n,
                "concept_id": concept_id,
                "field_id": fields[big][n % len(fields[big])],
                "title": {
                    lang: f"{title} ({n + 2})"
                    for lang, title in proposal_texts[n % len(proposal_texts)]["title"].items()
                },
                "description": proposal_texts[n % len(proposal_texts)]["description"],
                "effect": {},
                "fund": Fund.PROJECT.value,
                "amount": 5_000 + 500 * n,
                "progress": "proposed",
                "position": 100 + n,
                "yes_count": 0,
                "no_count": 0,
                "abstain_count": 0,
                "created_at": now,
            }
            for n in range(extra)
        ),
    )
    proposal_ids = list(
        (
            await conn.execute(
                select(Proposal.id).where(Proposal.concept_id == concept_id).order_by(Proposal.id)
            )
        ).scalars()
    )
    voters = [user_id for user_id in big_members if user_id not in session_set]
    per_proposal = _spread(rng, size.votes, len(proposal_ids), cap=len(voters))
    tally: dict[int, dict[str, int]] = {}

    def votes() -> Iterator[dict[str, Any]]:
        for proposal_id, count in zip(proposal_ids, per_proposal, strict=True):
            counts = tally.setdefault(proposal_id, {"yes": 0, "no": 0, "abstain": 0})
            for user_id in rng.sample(voters, count):
                choice = rng.choices(["yes", "no", "abstain"], weights=[6, 3, 1])[0]
                counts[choice] += 1
                yield {
                    "proposal_id": proposal_id,
                    "user_id": user_id,
                    "choice": choice,
                    "roles": [voter_roles.get(user_id, "resident")],
                    "created_at": now,
                    "updated_at": now,
                }

    await _bulk(conn, Vote.__table__, votes())  # type: ignore[arg-type]
    for proposal_id, counts in tally.items():
        await conn.execute(
            update(Proposal)
            .where(Proposal.id == proposal_id)
            .values(
                yes_count=Proposal.yes_count + counts["yes"],
                no_count=Proposal.no_count + counts["no"],
                abstain_count=Proposal.abstain_count + counts["abstain"],
            )
        )

    if conn.dialect.name == "postgresql":
        for table in ("users", "memberships", "ideas", "comments", "proposals"):
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            )

    big_ideas = [idea_ids[n] for n in range(size.big_area_ideas)]
    # Ideas with a few comments: their pages list comments, so the form sends `appends`.
    quiet = [idea_id for n, idea_id in enumerate(big_ideas) if 1 <= comment_counts[n] <= 10]
    return Dataset(
        detail_idea=big_ideas[detail_index],
        field_id=fields[big][0],
        target_ideas=quiet[:2000],
        proposals=proposal_ids,
        session_emails=session_emails,
    )


async def analyze(database_url: str) -> None:
    """Refresh the planner's statistics, as a database in use has them."""
    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
            else:
                await conn.execute(text("ANALYZE"))
                await conn.commit()
    finally:
        await db.dispose()
