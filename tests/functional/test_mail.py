"""The outbox and the worker: written with the event, sent once, retried with back-off."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from participation.db import Database
from participation.notifications.models import OutboxMessage
from participation.notifications.services import (
    STOP_MESSAGE,
    Mail,
    SmtpTarget,
    Worker,
    enqueue,
)
from tests.conftest import Loop, Mailbox, free_port, unique

BIN = Path(sys.executable).parent


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


# -- a worker that dies or is stopped in the middle of a batch ------------------------------


class SlowOnce:
    """An SMTP handler that stalls the conversation for one recipient until told to go on."""

    def __init__(self, stall_for: str) -> None:
        self.stall_for = stall_for
        self.stalled = threading.Event()
        self.go_on = threading.Event()
        self.received: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address == self.stall_for and not self.go_on.is_set():
            self.stalled.set()
            await asyncio.to_thread(self.go_on.wait, 60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class Log:
    """The lines a worker writes to stderr, read as they come, so a test can wait for one."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self.read, args=(process,), daemon=True)
        self.reader.start()

    def read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            with self.changed:
                self.lines.append(raw.decode(errors="replace"))
                self.changed.notify_all()

    def close(self, process: subprocess.Popen[bytes]) -> None:
        """After the process ended: the reader has seen the end of the pipe, which is closed."""
        self.reader.join(10)
        assert process.stderr is not None
        process.stderr.close()

    def wait_for(self, text: str, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: any(text in line for line in self.lines), timeout)


def start_worker(
    url: str, smtp_port: int, *extra: str, stderr: int | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ENVIRONMENT": "production",
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    command = [str(BIN / "participation"), "worker", "--interval", "0.2", "--claim-seconds", "1"]
    return subprocess.Popen([*command, *extra], env=env, stderr=stderr)


@pytest.mark.parametrize("how", ["killed", "stopped"])
def test_a_worker_interrupted_mid_batch_loses_nothing_and_sends_nothing_twice(
    db: Database, loop: Loop, migrated: str, how: str
) -> None:
    from aiosmtpd.controller import Controller

    event = unique("batch:")
    recipients = [f"{unique('n')}-{i}@example.org" for i in range(30)]
    put(db, loop, event, *recipients)
    handler = SlowOnce(stall_for=recipients[10])
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker = start_worker(migrated, port, stderr=subprocess.PIPE)
        log = Log(worker)
        assert handler.stalled.wait(60), "the worker never reached the 11th mail"
        if how == "killed":
            worker.kill()  # SIGKILL in the middle of an SMTP conversation
            worker.wait(10)
            handler.go_on.set()
        else:
            # Asked to stop: finishes this mail, hands back the rest. The stalled mail goes on
            # only once the worker has taken the signal, which the kernel may deliver late.
            worker.send_signal(signal.SIGTERM)
            assert log.wait_for(STOP_MESSAGE, 30), "".join(log.lines)
            handler.go_on.set()
            assert worker.wait(30) == 0
        log.close(worker)
        mine = [r for r in handler.received if r in recipients]
        assert mine == recipients[: 11 if how == "stopped" else 10]

        time.sleep(1.2)  # the killed worker's claims run out
        again = start_worker(migrated, port, "--once")
        assert again.wait(60) == 0
    finally:
        controller.stop()
    mine = [r for r in handler.received if r in recipients]
    assert sorted(mine) == sorted(recipients)  # every mail arrived, none twice
    assert all(row.sent_at is not None for row in rows(db, loop, event))
