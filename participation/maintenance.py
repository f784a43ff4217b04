"""Periodic housekeeping, run by the worker: data that must not be kept longer than promised."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from participation.accounts.services import AccountService
from participation.db import Database, utcnow
from participation.ratelimit import delete_expired

UNVERIFIED_ACCOUNT_DAYS = 30
MAINTENANCE_INTERVAL = 3600.0
log = logging.getLogger(__name__)


async def run_maintenance(db: Database, now: datetime | None = None) -> dict[str, int]:
    """Delete what has expired; return how many rows of each kind went."""
    now = now or utcnow()
    async with db.session(write=True) as session:
        accounts = await AccountService(session).delete_unverified(
            now - timedelta(days=UNVERIFIED_ACCOUNT_DAYS)
        )
    counters = await delete_expired(db, now)
    return {"unverified_accounts": accounts, "rate_limit_counters": counters}


async def maintain_forever(db: Database, interval: float) -> None:
    while True:
        log.info("housekeeping: %s", await run_maintenance(db))
        await asyncio.sleep(interval)
