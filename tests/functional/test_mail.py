"""The outbox and the worker: written with the event, sent once, retried with back-off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from participation.db import Database
from participation.notifications.models import OutboxMessage
from participation.notifications.services import Mail, SmtpTarget, Worker, enqueue
from tests.conftest import Loop, Mailbox, free_port, unique


def put(db: Database, loop: Loop, event: str, *recipients: str) -> int:
    async def write() -> int:
        async with db.session(write=True) as session:
            mails = [Mail(r, "de", f"Betreff {event}", "Text", "<p>Text</p>") for r in recipients]
            return await enqueue(session, event, mails)

    return loop.run(write())


def rows(db: Database, loop: Loop, event: str) -> list[OutboxMessage]:
    async def read() -> list[OutboxMessage]:
        async with db.session() as session:
            result = await session.execute(
                select(OutboxMessage).where(OutboxMessage.event_key == event)
            )
            return list(result.scalars())

    return loop.run(read())


def test_the_same_event_is_written_once_per_recipient(db: Database, loop: Loop) -> None:
    event = unique("event:")
    assert put(db, loop, event, "a@example.org", "b@example.org") == 2
    assert put(db, loop, event, "a@example.org") == 0
    assert sorted(r.recipient for r in rows(db, loop, event)) == ["a@example.org", "b@example.org"]


def test_worker_sends_each_mail_once(
    db: Database, loop: Loop, smtp_server: Mailbox, deliver_mail: Callable[[], int]
) -> None:
    event = unique("event:")
    recipient = f"{unique('r')}@example.org"
    put(db, loop, event, recipient)
    deliver_mail()
    deliver_mail()
    received = smtp_server.to(recipient)
    assert len(received) == 1
    assert received[0]["Subject"] == f"Betreff {event}"
    assert received[0]["Content-Language"] == "de"
    (row,) = rows(db, loop, event)
    assert row.sent_at is not None
    assert row.attempts == 1


def test_worker_retries_later_when_the_server_is_down(db: Database, loop: Loop) -> None:
    event = unique("event:")
    put(db, loop, event, f"{unique('r')}@example.org")
    down = SmtpTarget.from_url(f"smtp://127.0.0.1:{free_port()}")
    worker = Worker(db, down, sender="noreply@example.org", site_name="Test")
    loop.run(worker.run_once())
    (row,) = rows(db, loop, event)
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error
    assert row.next_attempt_at > row.created_at  # backed off, not retried at once
    loop.run(worker.run_once())
    assert rows(db, loop, event)[0].attempts == 1


def test_file_sink_writes_eml_files(db: Database, loop: Loop, tmp_path: Path) -> None:
    event = unique("event:")
    recipient = f"{unique('r')}@example.org"
    put(db, loop, event, recipient)
    worker = Worker(
        db, SmtpTarget.from_url(f"file://{tmp_path}"), sender="noreply@example.org", site_name="T"
    )
    loop.run(worker.run_once())
    texts = [p.read_text() for p in tmp_path.glob("*.eml")]
    assert any(recipient in t and f"Betreff {event}" in t for t in texts)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, None, "plain")),
        (
            "smtp+starttls://qm%40example.org:geheim@mail.example.org",
            ("mail.example.org", 587, "qm@example.org", "starttls"),
        ),
        ("smtps://mail.example.org:2465", ("mail.example.org", 2465, None, "ssl")),
    ],
)
def test_smtp_url(url: str, expected: tuple[str, int, str | None, str]) -> None:
    target = SmtpTarget.from_url(url)
    assert (target.host, target.port, target.username, target.mode) == expected


def test_unknown_smtp_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        SmtpTarget.from_url("http://mail.example.org")
