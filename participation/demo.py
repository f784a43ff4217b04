"""Demo data for trying the platform, and account creation for the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import Membership, MembershipRole, StakeholderRole, User
from participation.accounts.services import AccountService
from participation.areas.models import Area, AreaManager, AreaStatus, Concept, FieldOfAction
from participation.areas.services import AreaService
from participation.concepts.models import (
    Choice,
    Fund,
    Phase,
    PhaseKind,
    Process,
    Progress,
    Proposal,
    ProposalIdea,
    ProposalStep,
    Vote,
)
from participation.db import Database, utcnow
from participation.errors import DomainError
from participation.i18n import BERLIN
from participation.ideas.models import Comment, Idea, IdeaStatus, ModerationState, Support
from participation.moderation.log import record
from participation.moderation.models import Action, Reason, Report

DEMO_PASSWORD = "kiez-demo-2025"  # noqa: S105 (published demo password)
"""Password of every demo account (demo data only; never use it on a real installation)."""


async def seed_demo(database_url: str, *, only_if_empty: bool = True) -> bool:
    """Load the demo areas, concepts, accounts and ideas; return False if data was there."""
    from participation import demo_content as content

    db = Database(database_url)
    try:
        async with db.session(write=True) as session:
            if only_if_empty and (await session.execute(select(func.count(Area.id)))).scalar():
                return False
            now = utcnow()
            areas: dict[str, Area] = {}
            fields: dict[tuple[str, str], FieldOfAction] = {}
            for position, data in enumerate(content.AREAS):
                area = Area(
                    slug=data["slug"],
                    name=data["name"],
                    status=AreaStatus(data["status"]),
                    description=data["description"],
                    position=position,
                    idea_count=0,
                )
                active = area.status is AreaStatus.ACTIVE
                concept = Concept(
                    area=area,
                    first_year=2025 if active else 2019,
                    last_year=2027 if active else 2021,
                    vision=content.CONCEPT_VISION.get(data["slug"], {}),
                    is_current=True,
                )
                session.add_all([area, concept])
                for index, field_data in enumerate(content.FIELDS_OF_ACTION):
                    field = FieldOfAction(
                        concept=concept,
                        key=field_data["key"],
                        name=field_data["name"],
                        cross_cutting=field_data["cross_cutting"],
                        position=index,
                    )
                    session.add(field)
                    fields[(area.slug, field.key)] = field
                areas[area.slug] = area
            await session.flush()

            accounts = AccountService(session)
            users: dict[str, User] = {}
            for user_data in content.USERS:
                user = await accounts.sign_up(
                    email=user_data["email"],
                    display_name=user_data["display_name"],
                    password=DEMO_PASSWORD,
                    locale=user_data["locale"],
                    is_admin=user_data["admin"],
                )
                user.email_verified_at = now
                users[user_data["key"]] = user
                for slug, roles in user_data["roles"].items():
                    session.add(
                        Membership(
                            user_id=user.id,
                            area_id=areas[slug].id,
                            roles=[MembershipRole(role=StakeholderRole(r)) for r in roles],
                            verified_at=now if len(users) % 2 else None,
                        )
                    )
                for slug in user_data["manager_of"]:
                    await accounts.make_manager(user, areas[slug])
            await session.flush()

            for idea_data in content.IDEAS:
                area = areas[idea_data["area"]]
                created = now - timedelta(days=idea_data["days_ago"], hours=len(idea_data["title"]))
                replies = sum(len(c["replies"]) for c in idea_data["comments"])
                idea = Idea(
                    area_id=area.id,
                    field_id=fields[(area.slug, idea_data["field"])].id,
                    author_id=users[idea_data["author"]].id,
                    title=idea_data["title"],
                    body=idea_data["body"],
                    place=idea_data["place"],
                    language=idea_data["language"],
                    status=IdeaStatus(idea_data["status"]),
                    support_count=len(idea_data["supporters"]),
                    comment_count=len(idea_data["comments"]) + replies,
                    created_at=created,
                )
                session.add(idea)
                area.idea_count += 1
                await session.flush()
                for supporter in idea_data["supporters"]:
                    session.add(Support(idea_id=idea.id, user_id=users[supporter].id))
                for n, comment_data in enumerate(idea_data["comments"]):
                    when = created + timedelta(hours=5 * (n + 1))
                    comment = Comment(
                        idea_id=idea.id,
                        author_id=users[comment_data["author"]].id,
                        body=comment_data["body"],
                        language=comment_data["language"],
                        created_at=when,
                    )
                    session.add(comment)
                    await session.flush()
                    for m, reply in enumerate(comment_data["replies"]):
                        session.add(
                            Comment(
                                idea_id=idea.id,
                                parent_id=comment.id,
                                author_id=users[reply["author"]].id,
                                body=reply["body"],
                                language=reply["language"],
                                created_at=when + timedelta(minutes=40 * (m + 1)),
                            )
                        )
            await _seed_moderation(session, content.MODERATION, areas, fields, users, now)
            await _seed_concepts(session, content, areas, fields, users, now)
        return True
    finally:
        await db.dispose()


async def _seed_moderation(
    session: AsyncSession,
    data: dict[str, Any],
    areas: dict[str, Area],
    fields: dict[tuple[str, str], FieldOfAction],
    users: dict[str, User],
    now: datetime,
) -> None:
    """Reports, a hidden comment with a review request, and a pre-moderated area, so that
    each demo manager finds something in the queue."""
    await session.flush()
    for slug in data["premoderated"]:
        areas[slug].premoderated = True
        manager = await _manager_of(session, areas[slug])
        await record(session, areas[slug].id, manager, Action.SETTINGS, reason="premoderated=True")
    for item in data["pending_ideas"]:
        area = areas[item["area"]]
        session.add(
            Idea(
                area_id=area.id,
                field_id=fields[(area.slug, item["field"])].id,
                author_id=users[item["author"]].id,
                title=item["title"],
                body=item["body"],
                language=item["language"],
                moderation_state=ModerationState.PENDING,
                created_at=now - timedelta(hours=3),
            )
        )
    for n, item in enumerate(data["reported_comments"] + data["hidden_comments"]):
        area = areas[item["area"]]
        idea = (
            await session.execute(
                select(Idea)
                .where(Idea.area_id == area.id, Idea.moderation_state == ModerationState.VISIBLE)
                .order_by(Idea.comment_count.desc(), Idea.id)
                .offset(n)
                .limit(1)
            )
        ).scalar_one()
        hidden = "category" in item
        comment = Comment(
            idea_id=idea.id,
            author_id=users[item["author"]].id,
            body=item["body"],
            language=item["language"],
            created_at=now - timedelta(hours=20 - n),
            moderation_state=ModerationState.HIDDEN if hidden else ModerationState.VISIBLE,
        )
        session.add(comment)
        if not hidden:
            idea.comment_count += 1
        await session.flush()
        for reporter, reason, text in item.get("reports", []):
            session.add(
                Report(
                    area_id=area.id,
                    idea_id=idea.id,
                    comment_id=comment.id,
                    reporter_id=users[reporter].id,
                    reason=Reason(reason),
                    text=text,
                    created_at=now - timedelta(hours=10 - n),
                )
            )
        if hidden:
            manager = await _manager_of(session, area)
            comment.hidden_category = Reason(item["category"])
            comment.hidden_reason = item["reason"]
            comment.review_requested_at = now - timedelta(hours=2)
            comment.review_message = item["review"]
            labels = {"comment_id": comment.id, "idea_id": idea.id, "label": item["body"]}
            await record(
                session,
                area.id,
                manager,
                Action.HIDE,
                target_user_id=comment.author_id,
                category=comment.hidden_category,
                reason=item["reason"],
                **labels,
            )
            await record(
                session,
                area.id,
                users[item["author"]],
                Action.REVIEW_REQUESTED,
                target_user_id=comment.author_id,
                reason=item["review"],
                **labels,
            )


async def _seed_concepts(
    session: AsyncSession,
    content: Any,
    areas: dict[str, Area],
    fields: dict[tuple[str, str], FieldOfAction],
    users: dict[str, User],
    now: datetime,
) -> None:
    """Proposals in each active area's current concept and a process per area: Mehringplatz
    votes now, Wassertorplatz discusses its proposals, Zentrum Kreuzberg has voted."""
    today = now.astimezone(BERLIN).date()

    def berlin_midnight(offset: int) -> datetime:
        day = today + timedelta(days=offset)
        return datetime(day.year, day.month, day.day, tzinfo=BERLIN).astimezone(UTC)

    concepts = {
        concept.area_id: concept
        for concept in (
            await session.execute(select(Concept).where(Concept.is_current.is_(True)))
        ).scalars()
    }
    ideas = {idea.title: idea for idea in (await session.execute(select(Idea))).scalars()}
    proposals: dict[str, list[Proposal]] = {}
    for position, data in enumerate(content.PROPOSALS):
        area = areas[data["area"]]
        proposal = Proposal(
            concept_id=concepts[area.id].id,
            field_id=fields[(area.slug, data["field"])].id,
            title=data["title"],
            description=data["description"],
            effect=data["effect"],
            fund=Fund(data["fund"]),
            amount=data["amount"],
            position=position,
            created_by_id=None,
        )
        session.add(proposal)
        await session.flush()
        proposals.setdefault(area.slug, []).append(proposal)
        for title in data["ideas"]:
            session.add(ProposalIdea(proposal_id=proposal.id, idea_id=ideas[title].id))
            if ideas[title].status in (IdeaStatus.NEW, IdeaStatus.UNDER_REVIEW):
                ideas[title].status = IdeaStatus.ACCEPTED
        for progress, days_ago, note in data.get("steps", []):
            session.add(
                ProposalStep(
                    proposal_id=proposal.id,
                    progress=Progress(progress),
                    happened_on=today - timedelta(days=days_ago),
                    note=note,
                )
            )
            proposal.progress = Progress(progress)
    for slug, data in content.PROCESSES.items():
        area = areas[slug]
        process = Process(
            concept_id=concepts[area.id].id,
            voter_roles=data["voter_roles"],
            verified_only=data["verified_only"],
            show_running_totals=data.get("show_running_totals", False),
        )
        session.add(process)
        await session.flush()
        for kind, (first, last) in data["phases"].items():
            session.add(
                Phase(
                    process_id=process.id,
                    kind=PhaseKind(kind),
                    starts_at=berlin_midnight(first),
                    ends_at=berlin_midnight(last + 1),
                )
            )
        for key, choice in data["votes"].items():
            roles = (
                await session.execute(
                    select(MembershipRole.role)
                    .join(Membership, Membership.id == MembershipRole.membership_id)
                    .where(Membership.user_id == users[key].id, Membership.area_id == area.id)
                )
            ).scalars()
            role_values = sorted(role.value for role in roles)
            for proposal in proposals.get(slug, []):
                session.add(
                    Vote(
                        proposal_id=proposal.id,
                        user_id=users[key].id,
                        choice=Choice(choice),
                        roles=role_values,
                    )
                )
                counter = f"{choice}_count"
                setattr(proposal, counter, (getattr(proposal, counter) or 0) + 1)


async def _manager_of(session: AsyncSession, area: Area) -> User | None:
    return (
        await session.execute(
            select(User)
            .join(AreaManager, AreaManager.user_id == User.id)
            .where(AreaManager.area_id == area.id)
            .limit(1)
        )
    ).scalar_one_or_none()


async def create_user(
    database_url: str,
    *,
    email: str,
    password: str,
    display_name: str | None,
    admin: bool,
    manager_of: list[str],
) -> str:
    """Create an account (or update the roles of an existing one); return what was done."""
    db = Database(database_url)
    try:
        async with db.session(write=True) as session:
            accounts = AccountService(session)
            areas = AreaService(session)
            user = await accounts.by_email(email)
            created = user is None
            if user is None:
                user = await accounts.sign_up(
                    email=email,
                    display_name=display_name or email.split("@")[0],
                    password=password,
                    locale="de",
                    is_admin=admin,
                )
                user.email_verified_at = utcnow()
            elif admin:
                user.is_admin = True
            for slug in manager_of:
                try:
                    area = await areas.by_slug(slug)
                except DomainError:
                    raise SystemExit(f"participation: there is no area {slug!r}") from None
                if await accounts.make_manager(user, area):
                    await record(
                        session,
                        area.id,
                        None,
                        Action.APPOINT,
                        target_user_id=user.id,
                        label=user.display_name,
                        reason="command line",
                    )
        roles = ["administrator"] if user.is_admin else []
        roles += [f"manager of {slug}" for slug in manager_of]
        what = "Created" if created else "Updated"
        return f"{what} account {email}" + (f" ({', '.join(roles)})" if roles else "") + "."
    finally:
        await db.dispose()
