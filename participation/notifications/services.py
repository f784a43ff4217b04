"""Writing mails into the outbox, and the worker that delivers them over SMTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from anyio import to_thread
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from participation.db import Database, utcnow
from participation.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

# Logged once when the worker accepts a stop; operators and tests can wait for it.
STOP_MESSAGE = "mail worker asked to stop"

MAX_ATTEMPTS = 8
CLAIM = timedelta(minutes=5)


@dataclass(frozen=True)
class Mail:
    recipient: str
    locale: str
    subject: str
    text: str
    html: str


async def enqueue(session: AsyncSession, event_key: str, mails: Iterable[Mail]) -> int:
    """Write the mails into the outbox in the caller's transaction; return how many are new.

    A mail for the same event and recipient is written once, however often the event is
    handled.
    """
    rows = [
        {
            "event_key": event_key,
            "recipient": mail.recipient,
            "locale": mail.locale,
            "subject": mail.subject,
            "text": mail.text,
            "html": mail.html,
            "created_at": utcnow(),
            "next_attempt_at": utcnow(),
            "attempts": 0,
        }
        for mail in mails
    ]
    if not rows:
        return 0
    postgres = session.get_bind().dialect.name == "postgresql"
    insert = pg_insert if postgres else sqlite_insert
    result = await session.execute(insert(OutboxMessage).values(rows).on_conflict_do_nothing())
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- delivery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpTarget:
    """Where mail goes: an SMTP server, or (development) a folder of .eml files."""

    host: str = ""
    port: int = 0
    username: str | None = None
    password: str | None = None
    mode: str = "plain"  # plain, starttls or ssl
    folder: Path | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        """smtp://host:25, smtp+starttls://user:pass@host:587, smtps://host:465, file:///dir."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            return cls(folder=Path(unquote(parts.path)))
        mode = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
        if mode is None or not parts.hostname:
            raise ValueError(f"unsupported SMTP_URL scheme {parts.scheme!r}")
        default_port = {"plain": 25, "starttls": 587, "ssl": 465}[mode]
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            mode=mode,
        )

    def send(self, message: EmailMessage) -> None:
        """Deliver one message (blocking; run it in a thread)."""
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = message["Message-ID"].strip("<>").replace("/", "_")
            (self.folder / f"{name}.eml").write_bytes(message.as_bytes())
            return
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.mode == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=30, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=30)
        with smtp:
            if self.mode == "starttls":
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def build_message(row: OutboxMessage, sender: str, site_name: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((site_name, sender))
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}", domain=sender.split("@")[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text)
    message.add_alternative(row.html, subtype="html")
    message["Content-Language"] = row.locale  # after set_content, which drops Content-* headers
    return message


class Worker:
    """Drains the outbox: claims due mails, sends them one by one, records each result.

    A mail is marked sent in its own transaction right after the server accepted it, so a
    worker that is killed loses nothing: mails it had claimed but not sent are claimed again
    once the claim runs out. A worker asked to stop (SIGTERM) finishes the mail it is sending
    and hands back the rest of its batch at once.
    """

    def __init__(
        self,
        db: Database,
        target: SmtpTarget,
        *,
        sender: str,
        site_name: str,
        batch: int = 20,
        claim: timedelta = CLAIM,
    ) -> None:
        self.db = db
        self.target = target
        self.sender = sender
        self.site_name = site_name
        self.batch = batch
        self.claim_for = claim
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Finish the current mail, then stop."""
        if not self._stop.is_set():
            log.info("%s: finishing the mail being sent, then stopping", STOP_MESSAGE)
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def claim(self) -> list[OutboxMessage]:
        """Mark up to `batch` due mails as being sent by this worker and return them."""
        now = utcnow()
        async with self.db.session(write=True) as session:
            query = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.sent_at.is_(None),
                    OutboxMessage.attempts < MAX_ATTEMPTS,
                    OutboxMessage.next_attempt_at <= now,
                    or_(
                        OutboxMessage.claimed_until.is_(None),
                        OutboxMessage.claimed_until < now,
                    ),
                )
                .order_by(OutboxMessage.id)
                .limit(self.batch)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.execute(query)).scalars())
            for row in rows:
                row.claimed_until = now + self.claim_for
            return rows

    async def release(self, rows: list[OutboxMessage]) -> None:
        """Hand claimed mails back so that the next worker sends them without waiting."""
        if not rows:
            return
        async with self.db.session(write=True) as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([r.id for r in rows]), OutboxMessage.sent_at.is_(None))
                .values(claimed_until=None)
            )

    async def deliver(self, row: OutboxMessage) -> bool:
        """Send one claimed mail; on failure schedule a retry with exponential back-off."""
        message = build_message(row, self.sender, self.site_name)
        try:
            await to_thread.run_sync(self.target.send, message)
        except (OSError, smtplib.SMTPException) as error:
            attempts = row.attempts + 1
            delay = timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1)))
            async with self.db.session(write=True) as session:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row.id)
                    .values(
                        attempts=attempts,
                        next_attempt_at=utcnow() + delay,
                        claimed_until=None,
                        last_error=str(error)[:500],
                    )
                )
            log.warning("mail %s not sent (attempt %s): %s", row.id, attempts, error)
            return False
        async with self.db.session(write=True) as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(sent_at=utcnow(), attempts=row.attempts + 1, claimed_until=None)
            )
        return True

    async def run_once(self) -> int:
        """Send what is due now; return how many mails were sent."""
        sent = 0
        while not self.stopping and (rows := await self.claim()):
            for index, row in enumerate(rows):
                if self.stopping:
                    await self.release(rows[index:])
                    return sent
                sent += await self.deliver(row)
            if len(rows) < self.batch:
                break
        return sent

    async def run_forever(self, interval: float = 2.0) -> None:
        """Send due mails every `interval` seconds until asked to stop."""
        while not self.stopping:
            await self.run_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), interval)
