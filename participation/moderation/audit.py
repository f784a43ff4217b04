"""Reading the audit log: the managers' filtered list and export, and public monthly counts."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.accounts.models import User
from participation.areas.models import Area
from participation.db import utcnow
from participation.forms import parse_id
from participation.i18n import BERLIN
from participation.ideas.services import Page
from participation.moderation.access import require_moderator
from participation.moderation.models import Action, ModerationAction, Report

PER_PAGE = 50

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class LogFilter:
    """Which log entries to show; None means any."""

    action: Action | None = None
    month: date | None = None
    """The first day of a month in Berlin time."""
    actor_id: int | None = None

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links that keep it)."""
        params = {
            "what": self.action.value if self.action else "",
            "month": f"{self.month:%Y-%m}" if self.month else "",
            "person": str(self.actor_id) if self.actor_id else "",
        }
        return {name: value for name, value in params.items() if value}


def parse_month(value: object) -> date | None:
    """The first day of a month written YYYY-MM, or None."""
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if 2000 <= year <= 9999 and 1 <= month <= 12 else None


def parse_filter(params: Mapping[str, str]) -> LogFilter:
    """Read the log's filters from a query string; unknown values mean 'any'."""
    try:
        action = Action(params.get("what", ""))
    except ValueError:
        action = None
    return LogFilter(
        action=action,
        month=parse_month(params.get("month")),
        actor_id=parse_id(params.get("person")),
    )


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """Midnight in Berlin at the start of the month, in UTC."""
    return datetime(month.year, month.month, 1, tzinfo=BERLIN).astimezone(UTC)


def berlin_month(moment: datetime) -> date:
    """The month (its first day) a moment falls in, in Berlin time."""
    local = moment.astimezone(BERLIN)
    return date(local.year, local.month, 1)


@dataclass(frozen=True)
class Person:
    """Someone who appears in an area's log as acting, under their current name."""

    id: int
    name: str


@dataclass
class LogPage(Page[ModerationAction]):
    """One page of log entries, with the people to filter by."""

    people: list[Person] = field(default_factory=list)


@dataclass
class MonthCounts:
    """What moderation did in an area in one month (Berlin time)."""

    month: date
    hidden: int = 0
    """By a manager or automatically after reports."""
    restored: int = 0
    review_requests: int = 0
    kept_hidden: int = 0
    """Review requests answered by leaving the item hidden."""
    approved: int = 0
    """Pre-moderated items published."""
    reports: int = 0
    blocked: int = 0


COUNTED: dict[Action, str] = {
    Action.HIDE: "hidden",
    Action.AUTO_HIDE: "hidden",
    Action.RESTORE: "restored",
    Action.REVIEW_REQUESTED: "review_requests",
    Action.KEEP_HIDDEN: "kept_hidden",
    Action.APPROVE: "approved",
    Action.BLOCK: "blocked",
}
"""Which field of MonthCounts each counted action adds to."""


class AuditService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _conditions(area: Area, flt: LogFilter) -> ColumnElement[bool]:
        conditions = [ModerationAction.area_id == area.id]
        if flt.action is not None:
            conditions.append(ModerationAction.action == flt.action)
        if flt.month is not None:
            conditions.append(ModerationAction.created_at >= month_start(flt.month))
            conditions.append(ModerationAction.created_at < month_start(next_month(flt.month)))
        if flt.actor_id is not None:
            conditions.append(ModerationAction.actor_id == flt.actor_id)
        return and_(*conditions)

    async def entries(
        self, actor: User | None, area: Area, flt: LogFilter, page: int = 1
    ) -> LogPage:
        """Return one page of the area's log, newest first, with the people who appear in it
        as acting; for the area's managers and admins only (at most four queries)."""
        await require_moderator(self.session, actor, area)
        where = self._conditions(area, flt)
        total = (
            await self.session.execute(select(func.count(ModerationAction.id)).where(where))
        ).scalar_one()
        pages = max(1, math.ceil(total / PER_PAGE))
        number = min(max(1, page), pages)
        rows = await self.session.execute(
            select(ModerationAction)
            .where(where)
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(PER_PAGE)
            .offset((number - 1) * PER_PAGE)
        )
        return LogPage(
            items=list(rows.scalars()),
            number=number,
            per_page=PER_PAGE,
            total=total,
            people=await self._people(area),
        )

    async def _people(self, area: Area) -> list[Person]:
        """Everyone with an account who acted in the area, by their current name."""
        acted = select(ModerationAction.actor_id).where(
            ModerationAction.area_id == area.id, ModerationAction.actor_id.is_not(None)
        )
        rows = await self.session.execute(
            select(User.id, User.display_name)
            .where(User.id.in_(acted))
            .order_by(User.display_name, User.id)
        )
        return [Person(user_id, name) for user_id, name in rows.all()]

    async def csv_rows(
        self, actor: User | None, area: Area, flt: LogFilter
    ) -> list[ModerationAction]:
        """Every entry of the area's log that matches the filter, newest first; for the area's
        managers and admins only."""
        await require_moderator(self.session, actor, area)
        rows = await self.session.execute(
            select(ModerationAction)
            .where(self._conditions(area, flt))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        )
        return list(rows.scalars())

    async def monthly_counts(
        self, area: Area, months: int = 12, now: datetime | None = None
    ) -> list[MonthCounts]:
        """What moderation did in the area in each of the last `months` months (Berlin time,
        the current one included), newest first; public (two queries)."""
        current = berlin_month(now or utcnow())
        first = current
        for _ in range(months - 1):
            first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
        since = month_start(first)
        # Grouped here rather than in SQL: months in Berlin time are not portable between
        # SQLite and PostgreSQL, and a year of one area's log is small.
        actions = await self.session.execute(
            select(ModerationAction.action, ModerationAction.created_at).where(
                ModerationAction.area_id == area.id,
                ModerationAction.created_at >= since,
                ModerationAction.action.in_(list(COUNTED)),
            )
        )
        counts: Counter[tuple[date, str]] = Counter(
            (berlin_month(created_at), COUNTED[action]) for action, created_at in actions.all()
        )
        reports = await self.session.execute(
            select(Report.created_at).where(Report.area_id == area.id, Report.created_at >= since)
        )
        counts.update((berlin_month(created_at), "reports") for created_at in reports.scalars())
        result = []
        month = first
        while month <= current:
            values: dict[str, Any] = {
                name: counts[(month, name)] for name in {*COUNTED.values(), "reports"}
            }
            result.append(MonthCounts(month, **values))
            month = next_month(month)
        return result[::-1]
