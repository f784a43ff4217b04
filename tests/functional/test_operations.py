"""Running the platform: health check, the command line, migrations, deployment files."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from participation.cli import alembic_config
from participation.db import Database
from tests.conftest import ROOT, Browser, Loop, page, unique

CLI = str(Path(sys.executable).with_name("participation"))


def run_cli(
    *args: str, database_url: str, secret_key: str | None = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ENVIRONMENT", "BASE_URL"}
    }
    env.update(DATABASE_URL=database_url, ENVIRONMENT="production")
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key or secrets.token_urlsafe(36)[:48]
    return subprocess.run(
        [CLI, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def rows(db: Database, loop: Loop, sql: str, **params: Any) -> list[Any]:
    async def run() -> list[Any]:
        async with db.session() as session:
            return list((await session.execute(text(sql), params)).all())

    return loop.run(run())


# -- the web process ------------------------------------------------------------------------


def test_health_check(client: Browser) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["content-type"].startswith("text/plain")


def test_root_redirects_to_german(new_client: Callable[[], Browser]) -> None:
    response = new_client().get("/")
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/de/"


def test_htmx_is_vendored_at_the_pinned_version(client: Browser) -> None:
    assert 'version:"2.0.11"' in (ROOT / "static" / "htmx.min.js").read_text()
    scripts = [str(s["src"]) for s in page(client.get("/de/")).select("script[src]")]
    htmx = [src for src in scripts if "htmx" in src]
    assert len(htmx) == 1
    assert re.fullmatch(r"/static/htmx\.min\.[0-9a-f]{12}\.js", htmx[0]), htmx[0]
    served = client.get(htmx[0])
    assert served.status_code == 200
    assert 'version:"2.0.11"' in served.text
    base = (ROOT / "templates" / "base.html").read_text()
    references = re.findall(r'(?:src|href)="([^"]*htmx[^"]*)"', base)
    assert references, "base.html does not load htmx"
    for reference in references:
        assert reference.startswith(("/static/", "{{ static(")), reference


# -- the command line -----------------------------------------------------------------------


def test_cli_help_lists_the_commands(migrated: str) -> None:
    result = run_cli("--help", database_url=migrated)
    assert result.returncode == 0, result.stderr
    for name in ["serve", "migrate", "seed-demo", "create-admin", "create-user"]:
        assert re.search(rf"\b{re.escape(name)}\b", result.stdout), name


def test_create_user_as_manager_who_can_sign_in(
    migrated: str, client: Browser, db: Database, loop: Loop
) -> None:
    email = f"{unique('qm')}@example.org"
    password = "manager password " + unique()
    result = run_cli(
        "create-user",
        email,
        "--password",
        password,
        "--manager-of",
        "mehringplatz",
        database_url=migrated,
    )
    assert result.returncode == 0, result.stderr
    assert email in result.stdout

    found = rows(
        db,
        loop,
        "SELECT u.is_admin, a.slug FROM users u JOIN area_managers m ON m.user_id = u.id "
        "JOIN areas a ON a.id = m.area_id WHERE u.email = :email",
        email=email,
    )
    assert [(bool(admin), slug) for admin, slug in found] == [(False, "mehringplatz")]

    response = client.submit("/de/signin", {"email": email, "password": password})
    assert response.status_code == 303
    # as a manager they may post in the area without joining it
    area = client.get("/de/areas/mehringplatz")
    assert page(area).select_one("a[href='/de/areas/mehringplatz/ideas/new']") is not None


@pytest.mark.parametrize("how", [("create-user", "--admin"), ("create-admin",)])
def test_create_an_administrator(
    migrated: str, client: Browser, db: Database, loop: Loop, how: tuple[str, ...]
) -> None:
    email = f"{unique('admin')}@example.org"
    result = run_cli(
        how[0], email, *how[1:], "--password", "admin password 123", database_url=migrated
    )
    assert result.returncode == 0, result.stderr
    found = rows(db, loop, "SELECT is_admin FROM users WHERE email = :email", email=email)
    assert [bool(r[0]) for r in found] == [True]


def test_create_user_for_an_unknown_area_fails_cleanly(
    migrated: str, db: Database, loop: Loop
) -> None:
    email = f"{unique('nobody')}@example.org"
    result = run_cli(
        "create-user",
        email,
        "--password",
        "some password 123",
        "--manager-of",
        "no-such-area",
        database_url=migrated,
    )
    assert result.returncode != 0
    assert "no-such-area" in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(db, loop, "SELECT id FROM users WHERE email = :email", email=email) == []


@pytest.mark.parametrize("secret_key", [None, "too-short"])
def test_migrate_refuses_to_run_without_a_secret_key(migrated: str, secret_key: str | None) -> None:
    result = run_cli("migrate", database_url=migrated, secret_key=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_is_idempotent(migrated: str) -> None:
    result = run_cli("migrate", database_url=migrated)
    assert result.returncode == 0, result.stderr


def test_models_and_migrations_agree(migrated: str) -> None:
    command.check(alembic_config(migrated))


# -- deployment files -----------------------------------------------------------------------


def procfile() -> dict[str, str]:
    path = ROOT / "Procfile"
    assert path.exists(), "there is no Procfile"
    processes = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _sep, command_line = line.partition(":")
            processes[name.strip()] = command_line.strip()
    return processes


def test_procfile_runs_the_web_process_and_migrates_on_release() -> None:
    processes = procfile()
    assert {"web", "release"} <= set(processes)
    assert processes["web"].startswith("participation serve")
    assert processes["release"].startswith("participation migrate")


def test_readme_documents_every_setting() -> None:
    source = (ROOT / "participation" / "settings.py").read_text()
    names = sorted(set(re.findall(r"""config\(\s*["']([A-Z][A-Z0-9_]*)["']""", source)))
    assert {"DATABASE_URL", "SECRET_KEY", "BASE_URL"} <= set(names)
    readme = ROOT / "README.md"
    assert readme.exists(), "there is no README.md"
    documented = readme.read_text()
    undocumented = [name for name in names if not re.search(rf"\b{name}\b", documented)]
    assert undocumented == []


def test_worker_processes_share_connections_that_arrive_together() -> None:
    """With several workers each listens on a socket of its own, and connections that arrive
    together, as from a proxy or a burst of visitors, go to all of them (one shared socket
    gave them all to the worker that woke first). Another server on the same address is still
    refused."""
    import asyncio
    import signal

    from participation.server import listening_sockets
    from tests.conftest import free_port

    port = free_port()
    code = (
        "from participation.server import serve; "
        f"serve('tests.functional.pid_app:app', factory=False, host='127.0.0.1', port={port}, "
        "workers=2, access_log=False)"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    async def pids_of_connections(count: int) -> list[int]:
        opened = await asyncio.gather(
            *(asyncio.open_connection("127.0.0.1", port) for _ in range(count))
        )
        for _reader, writer in opened:
            writer.write(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        answers = [await reader.read() for reader, _writer in opened]
        for _reader, writer in opened:
            writer.close()
        return [int(answer.rsplit(b"\r\n\r\n", 1)[1]) for answer in answers]

    async def wait_until_serving() -> None:
        # Both workers listening: the first answer comes from the one that started first.
        for _ in range(300):
            try:
                await pids_of_connections(1)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            if listening_sockets(port) == 2:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the server's two workers did not start")

    try:
        asyncio.run(wait_until_serving())
        pids = asyncio.run(pids_of_connections(20))
        assert len(set(pids)) == 2, pids
        second = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert second.returncode != 0
        assert "Address already in use" in second.stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
