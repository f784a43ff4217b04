"""Rate-limit counters in the database, so that every app process counts the same attempts.

A storage for the `limits` package: fixed windows kept in one table. Keys are stored only as
keyed hashes, so no e-mail or IP address is written; expired rows are deleted by the worker's
housekeeping.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from limits.aio.storage import Storage
from sqlalchemy import Integer, String, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from participation.db import Base, Database, utcnow
from participation.types import UTCDateTime


class RateLimitCounter(Base):
    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True, comment="keyed hash")
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limit_counters` table."""

    STORAGE_SCHEME = ["participation+database"]  # noqa: RUF012 (declared so by `limits`)

    def __init__(self, db: Database, secret: str) -> None:
        super().__init__()
        self.db = db
        self._secret = secret.encode()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def _hash(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = utcnow()
        table = RateLimitCounter.__table__
        async with self.db.session(write=True) as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            insert = pg_insert if postgres else sqlite_insert
            expired = table.c.expires_at <= now
            statement = (
                insert(RateLimitCounter)
                .values(
                    key=self._hash(key), count=amount, expires_at=now + timedelta(seconds=expiry)
                )
                .on_conflict_do_update(
                    index_elements=[table.c.key],
                    set_={
                        "count": case((expired, amount), else_=table.c.count + amount),
                        "expires_at": case(
                            (expired, now + timedelta(seconds=expiry)), else_=table.c.expires_at
                        ),
                    },
                )
                .returning(table.c.count)
            )
            return int((await session.execute(statement)).scalar_one())

    async def _row(self, key: str) -> RateLimitCounter | None:
        async with self.db.session() as session:
            row = await session.get(RateLimitCounter, self._hash(key))
            return row if row is not None and row.expires_at > utcnow() else None

    async def get(self, key: str) -> int:
        row = await self._row(key)
        return row.count if row else 0

    async def get_expiry(self, key: str) -> float:
        row = await self._row(key)
        return (row.expires_at if row else utcnow()).timestamp()

    async def check(self) -> bool:
        async with self.db.session() as session:
            await session.execute(select(1))
        return True

    async def reset(self) -> int | None:
        async with self.db.session(write=True) as session:
            result = await session.execute(delete(RateLimitCounter))
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def clear(self, key: str) -> None:
        async with self.db.session(write=True) as session:
            await session.execute(
                delete(RateLimitCounter).where(RateLimitCounter.key == self._hash(key))
            )


async def delete_expired(db: Database, now: datetime | None = None) -> int:
    """Forget counters whose window has passed."""
    async with db.session(write=True) as session:
        result = await session.execute(
            delete(RateLimitCounter).where(RateLimitCounter.expires_at <= (now or utcnow()))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
