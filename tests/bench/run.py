"""`make bench`: the app at district scale, on SQLite and PostgreSQL, against a bare ceiling.

For each database: build the dataset (tests/bench/dataset.py) and a small one with 1,000 ideas,
serve the app with the Procfile's `web` command, sign members in through the sign-in form, and
drive each endpoint with wrk (reads) or the benchmark's own client (writes, see client.py) at
10 and 50 connections. A bare Starlette application (ceiling.py) served the same way is the
ceiling. Prints a table and the targets, writes everything to a JSON file, and exits with 1
when a target is missed or a write was lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from participation.cli import migrate
from participation.concepts.models import Proposal, Vote
from participation.db import Database
from participation.ideas.models import Comment, Idea, Support
from participation.server import listening_sockets
from participation.settings import normalise_database_url
from tests.bench import client
from tests.bench.dataset import BENCH_PASSWORD, BIG_AREA, FULL, Dataset, Size, analyze, build

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("load.lua")
DEFAULT_POSTGRES = "postgresql://participation:participation@127.0.0.1:5432/postgres"

READS = ["list", "list_page_50", "list_filtered", "idea", "concept", "open_data"]
WRITES = ["support", "comment", "vote"]
PAGES = ["list", "list_page_50", "list_filtered", "idea", "concept"]
UNCACHED = " (no cache)"
"""Suffix of the reads measured again with the page cache off (no targets: for comparison)."""
"""The read endpoints that are HTML pages (the open-data JSON is the other read)."""

TARGETS = {
    "page_rps_ratio": 0.10,
    "write_rps_ratio": 0.05,
    "read_p99_ms_at_50": 150.0,
    "queries_per_request": 6,
    "list_p50_growth": 1.25,
    "worker_rss_mb": 150.0,
}


@dataclass
class Measurement:
    database: str
    endpoint: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    rps_ratio: float = 0.0
    """Requests per second as a share of the ceiling's at the same connections."""
    p50_ratio: float = 0.0
    """Median latency as a multiple of the ceiling's."""


@dataclass
class Probe:
    status: int
    queries: int | None
    bytes: int
    """Body bytes as sent, gzip-compressed where the response is compressed."""


@dataclass
class Report:
    settings: dict[str, Any]
    measurements: list[Measurement] = field(default_factory=list)
    probes: dict[str, dict[str, Probe]] = field(default_factory=dict)
    memory_mb: dict[str, float] = field(default_factory=dict)
    writes: dict[str, dict[str, Any]] = field(default_factory=dict)
    scaling: dict[str, dict[str, float]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)


# -- servers --------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def procfile_web(port: int) -> list[str]:
    """The Procfile's `web` command, listening on 127.0.0.1 at `port`."""
    line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    args = shlex.split(line.removeprefix("web:"))
    args[0] = str(BIN / args[0])
    if "--host" in args:
        args[args.index("--host") + 1] = "127.0.0.1"
    return [*args, "--port", str(port)]


def ceiling_command(port: int, workers: int) -> list[str]:
    """The ceiling, served by the same function as `participation serve` serves the app."""
    code = (
        "from participation.server import serve; "
        f"serve('tests.bench.ceiling:app', factory=False, host='127.0.0.1', port={port}, "
        f"workers={workers}, access_log=False)"
    )
    return [sys.executable, "-c", code]


class Server:
    def __init__(
        self, command: list[str], env: dict[str, str], port: int, log: Path, workers: int
    ) -> None:
        self.port = port
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start; see {log}")
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            # The first answer comes from the worker that started first; connections opened
            # before the others listen would all stay with it for the whole run.
            if listening_sockets(port) >= workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server's {workers} workers did not answer within 60 s; see {log}")

    def workers(self) -> list[int]:
        """The worker processes (uvicorn spawns them), or the server itself with one worker."""
        children = []
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
                cmdline = (status.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and b"spawn_main" in cmdline:
                children.append(int(status.parent.name))
        return children or [self.process.pid]

    def peak_rss_mb(self) -> float:
        """The largest peak resident memory (VmHWM) of a worker, in MB."""
        peaks = []
        for pid in self.workers():
            text = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


@contextmanager
def serving(
    command: list[str], env: dict[str, str], port: int, log: Path, workers: int
) -> Iterator[Server]:
    server = Server(command, env, port, log, workers)
    try:
        yield server
    finally:
        server.stop()


def app_env(database_url: str, port: int, workers: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEST_")}
    env.update(
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        BASE_URL=f"http://127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        EXPOSE_QUERY_COUNT="1",
        # The benchmark signs in its members from one address.
        SIGNIN_CLIENT_RATE_LIMIT="100000/minute",
        SIGNIN_RATE_LIMIT="100000/minute",
    )
    return env


# -- load -----------------------------------------------------------------------------------


def wrk(port: int, path: str, connections: int, duration: float) -> dict[str, Any]:
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "5s",
        "-s", str(LUA), f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    result: dict[str, Any] = json.loads(match.group(1))
    return result


def measure_read(
    database: str, endpoint: str, port: int, path: str, connections: int, duration: float
) -> Measurement:
    result = wrk(port, path, connections, duration)
    errors = sum(
        result[key]
        for key in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return Measurement(
        database,
        endpoint,
        connections,
        result["requests"],
        result["requests"] / (result["duration_us"] / 1e6),
        result["p50_us"] / 1000,
        result["p99_us"] / 1000,
        errors,
    )


def probe(http: httpx.Client, path: str, **kw: Any) -> Probe:
    response = http.request(kw.pop("method", "GET"), path, **kw)
    queries = response.headers.get("x-query-count")
    return Probe(
        response.status_code, int(queries) if queries else None, response.num_bytes_downloaded
    )


# -- members signed in through the form -----------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Member:
    cookie: str
    token: str


def sign_in(port: int, email: str) -> Member:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        form = http.get("/de/signin")
        token = TOKEN.search(form.text)
        assert token, "no CSRF token on the sign-in page"
        answer = http.post(
            "/de/signin",
            data={"email": email, "password": BENCH_PASSWORD, "csrf_token": token.group(1)},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"signing in {email} answered {answer.status_code}")
        page = http.get("/de/profile")
        token = TOKEN.search(page.text)
        assert token, "no CSRF token for the signed-in member"
        return Member(http.cookies["session"], token.group(1))


# -- write runs and their exactness --------------------------------------------------------


@dataclass
class Writer:
    """The requests of one write endpoint (see `pair`)."""

    endpoint: str
    members: list[Member]
    targets: list[int]
    success: int
    next_index: int = 0
    successes: set[int] = field(default_factory=set)
    """Numbers of the requests answered with success."""
    other: int = 0

    def pair(self, index: int) -> tuple[int, int]:
        """Member and target of request `index`: consecutive requests go to different targets
        (many people taking part in many ideas at once), and no pair repeats before every
        member has had every target."""
        targets = len(self.targets)
        return (index // targets) % len(self.members), index % targets

    def request(self, index: int) -> bytes:
        m, t = self.pair(index)
        member, target = self.members[m], self.targets[t]
        if self.endpoint == "support":
            return client.post(
                f"/de/ideas/{target}/support", "support=1",
                cookie=member.cookie, token=member.token, htmx=True,
            )  # fmt: skip
        if self.endpoint == "comment":
            text = quote(f"Gute Idee, ich bin dabei! Beitrag {index} aus dem Kiez.")
            # The fields of the page's form: it lists comments already and shows no errors,
            # so it sends `appends` and `clean`.
            return client.post(
                f"/de/ideas/{target}/comments", f"body={text}&language=de&appends=1&clean=1",
                cookie=member.cookie, token=member.token, htmx=True,
            )  # fmt: skip
        choice = ("yes", "no", "abstain")[index % 3]
        return client.post(
            f"/de/proposals/{target}/vote", f"choice={choice}",
            cookie=member.cookie, token=member.token, htmx=False,
        )  # fmt: skip

    def distinct_pairs(self) -> int:
        return len({self.pair(index) for index in self.successes})


def measure_write(
    database: str, writer: Writer, port: int, connections: int, duration: float
) -> Measurement:
    result = asyncio.run(
        client.run(
            port,
            writer.request,
            connections=connections,
            duration=duration,
            first_index=writer.next_index,
        )
    )
    writer.next_index += len(result.outcomes)
    for outcome in result.outcomes:
        if outcome.status == writer.success:
            writer.successes.add(outcome.index)
        else:
            writer.other += 1
    failed = sum(1 for o in result.outcomes if o.status != writer.success)
    return Measurement(
        database,
        writer.endpoint,
        connections,
        len(result.outcomes),
        len(result.outcomes) / result.duration,
        result.percentile(50) * 1000,
        result.percentile(99) * 1000,
        failed,
    )


async def tallies(
    database_url: str, idea_ids: list[int], proposal_ids: list[int]
) -> dict[str, int]:
    """Rows and the counters kept beside them, for the ideas and proposals written to."""
    db = Database(database_url)
    try:
        async with db.session() as session:

            async def one(statement: Any) -> int:
                return int((await session.execute(statement)).scalar_one() or 0)

            supports_rows = select(func.count()).select_from(Support)
            comment_rows = select(func.count()).where(
                Comment.idea_id == Idea.id, Comment.deleted_at.is_(None)
            )
            support_rows = select(func.count()).where(Support.idea_id == Idea.id)
            vote_rows = select(func.count()).where(Vote.proposal_id == Proposal.id)
            counted = Proposal.yes_count + Proposal.no_count + Proposal.abstain_count
            return {
                "support_rows": await one(supports_rows),
                "support_counters": await one(select(func.sum(Idea.support_count))),
                "comment_rows": await one(select(func.count()).select_from(Comment)),
                "comment_counters": await one(select(func.sum(Idea.comment_count))),
                "vote_rows": await one(select(func.count()).select_from(Vote)),
                "vote_counters": await one(select(func.sum(counted))),
                "ideas_off": await one(
                    select(func.count()).where(
                        Idea.id.in_(idea_ids),
                        (Idea.support_count != support_rows.scalar_subquery())
                        | (Idea.comment_count != comment_rows.scalar_subquery()),
                    )
                ),
                "proposals_off": await one(
                    select(func.count()).where(
                        Proposal.id.in_(proposal_ids), counted != vote_rows.scalar_subquery()
                    )
                ),
            }
    finally:
        await db.dispose()


def check_writes(
    before: dict[str, int], after: dict[str, int], writers: dict[str, Writer]
) -> dict[str, Any]:
    support, comment, vote = writers["support"], writers["comment"], writers["vote"]
    expected = {
        "support": support.distinct_pairs(),
        "comment": len(comment.successes),
        "vote": vote.distinct_pairs(),
    }
    found = {
        "support": after["support_rows"] - before["support_rows"],
        "comment": after["comment_rows"] - before["comment_rows"],
        "vote": after["vote_rows"] - before["vote_rows"],
    }
    counters = {
        "support": after["support_counters"] - before["support_counters"],
        "comment": after["comment_counters"] - before["comment_counters"],
        "vote": after["vote_counters"] - before["vote_counters"],
    }
    exact = (
        expected == found == counters and after["ideas_off"] == 0 and after["proposals_off"] == 0
    )
    return {
        "successful_responses": {name: len(w.successes) for name, w in writers.items()},
        "other_responses": {name: w.other for name, w in writers.items()},
        "expected_new_rows": expected,
        "new_rows": found,
        "counter_change": counters,
        "ideas_with_wrong_counters": after["ideas_off"],
        "proposals_with_wrong_counters": after["proposals_off"],
        "exact": exact,
    }


# -- one database ---------------------------------------------------------------------------


@dataclass
class Options:
    size: Size
    small: Size
    duration: float
    connections: list[int]
    workers: int
    work: Path


def read_paths(data: Dataset) -> dict[str, str]:
    base = f"/de/areas/{BIG_AREA}/ideas"
    return {
        "list": base,
        "list_page_50": f"{base}?page=50",
        "list_filtered": f"{base}?field={data.field_id}&sort=supported",
        "idea": f"/de/ideas/{data.detail_idea}",
        "concept": f"/de/areas/{BIG_AREA}/concept",
        "open_data": f"/api/areas/{BIG_AREA}/ideas",
    }


def ceiling(database: str, options: Options) -> dict[int, Measurement]:
    port = free_port()
    command = ceiling_command(port, options.workers)
    log = options.work / f"ceiling-{database}.log"
    found = {}
    with serving(command, dict(os.environ), port, log, options.workers):
        wrk(port, "/", 10, 1)
        for connections in options.connections:
            found[connections] = measure_read(
                database, "ceiling", port, "/", connections, options.duration
            )
    return found


K = TypeVar("K")


def best(*runs: dict[K, Measurement]) -> dict[K, Measurement]:
    """The best run per key (number of connections; for the writes also the endpoint). The
    ceiling is measured before and after the app, the writes in two rounds: one run alone
    varied by half, with what else the machine was doing (PostgreSQL writing out the new
    dataset) and with how the two workers happened to share the connections."""
    return {c: max((run[c] for run in runs), key=lambda m: m.rps) for c in runs[0]}


def list_scaling(
    small_url: str, options: Options, small_path: str, port: int, path: str, log: Path
) -> tuple[float, float]:
    """The list's p50 at the small dataset and at the full one (served at `port`), measured
    in turn, three times each, the best run of each counting: measured minutes apart, the
    machine's noise alone moved one of them by a third, and with two runs each still by two
    fifths once."""
    small_port = free_port()
    connections = options.connections[0]
    small: list[float] = []
    full: list[float] = []
    with serving(
        procfile_web(small_port),
        app_env(small_url, small_port, options.workers),
        small_port,
        log,
        options.workers,
    ):
        wrk(small_port, small_path, connections, 1)
        for _ in range(3):
            for found, at, address in ((small, small_port, small_path), (full, port, path)):
                run = measure_read("", "list", at, address, connections, options.duration)
                found.append(run.p50_ms)
    return min(small), min(full)


def bench_database(database: str, urls: tuple[str, str], options: Options, report: Report) -> None:
    url, small_url = urls
    print(f"\n== {database}: building the dataset", flush=True)
    started = time.monotonic()
    migrate(url)
    data = asyncio.run(build(url, options.size))
    asyncio.run(analyze(url))
    migrate(small_url)
    small = asyncio.run(build(small_url, options.small))
    asyncio.run(analyze(small_url))
    print(f"   built in {time.monotonic() - started:.0f} s", flush=True)
    paths = read_paths(data)

    ceiling_before = ceiling(database, options)
    port = free_port()
    env = app_env(url, port, options.workers)
    log = options.work / f"app-{database}.log"
    with serving(procfile_web(port), env, port, log, options.workers) as server:
        print(f"== {database}: signing in {options.size.sessions} members", flush=True)
        members = [sign_in(port, email) for email in data.session_emails]
        probe_member, members = members[-1], members[:-1]

        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Accept-Encoding": "gzip"}
        ) as http:
            probes = {name: probe(http, path) for name, path in paths.items()}
            cookies = {"session": probe_member.cookie}
            headers = {"X-CSRF-Token": probe_member.token, "HX-Request": "true"}
            target = data.target_ideas[-1]
            probes["support"] = probe(
                http, f"/de/ideas/{target}/support", method="POST",
                data={"support": "1"}, cookies=cookies, headers=headers,
            )  # fmt: skip
            probes["comment"] = probe(
                http, f"/de/ideas/{target}/comments", method="POST",
                data={"body": "Eine Probe.", "language": "de", "appends": "1", "clean": "1"},
                cookies=cookies, headers=headers,
            )  # fmt: skip
            probes["vote"] = probe(
                http, f"/de/proposals/{data.proposals[0]}/vote", method="POST",
                data={"choice": "yes"}, cookies=cookies,
                headers={"X-CSRF-Token": probe_member.token},
            )  # fmt: skip
        report.probes[database] = probes

        for name, path in paths.items():
            print(f"== {database}: {name}", flush=True)
            wrk(port, path, 10, 1)
            for connections in options.connections:
                report.measurements.append(
                    measure_read(database, name, port, path, connections, options.duration)
                )
        print(
            f"== {database}: the list at {options.small.ideas} and at {options.size.ideas} ideas",
            flush=True,
        )
        small_p50, full_p50 = list_scaling(
            small_url, options, read_paths(small)["list"], port, paths["list"],
            options.work / f"app-{database}-small.log",
        )  # fmt: skip
        report.scaling[database] = {
            "ideas_small": options.small.ideas,
            "ideas_full": options.size.ideas,
            "p50_ms_small": small_p50,
            "p50_ms_full": full_p50,
        }

        targets = data.target_ideas[:-1]
        writers = {
            "support": Writer("support", members, targets, 200),
            "comment": Writer("comment", members, targets, 200),
            "vote": Writer("vote", members, data.proposals[1:], 303),
        }
        before = asyncio.run(tallies(url, targets, data.proposals))
        # Each write is measured in two rounds, and its better run counts, as the ceiling's
        # does: one run alone moved by a quarter with what else the machine was doing.
        rounds: list[dict[tuple[str, int], Measurement]] = []
        for round_ in (1, 2):
            rounds.append({})
            for name, writer in writers.items():
                print(f"== {database}: {name} (round {round_} of 2)", flush=True)
                for connections in options.connections:
                    rounds[-1][name, connections] = measure_write(
                        database, writer, port, connections, options.duration
                    )
        for key, counted in best(*rounds).items():
            counted.errors = sum(r[key].errors for r in rounds)  # no failed answer goes unseen
            report.measurements.append(counted)
        after = asyncio.run(tallies(url, targets, data.proposals))
        report.writes[database] = check_writes(before, after, writers)
        report.memory_mb[database] = server.peak_rss_mb()

    # The same reads rendered every time (page cache off): what a page costs after a change.
    port = free_port()
    env = app_env(url, port, options.workers)
    env["PAGE_CACHE_SECONDS"] = "0"
    log = options.work / f"app-{database}-uncached.log"
    with serving(procfile_web(port), env, port, log, options.workers):
        print(f"== {database}: the reads without the page cache", flush=True)
        connections = options.connections[0]
        for name, path in paths.items():
            wrk(port, path, connections, 1)
            m = measure_read(database, name, port, path, connections, options.duration)
            m.endpoint = f"{name}{UNCACHED}"
            report.measurements.append(m)

    print(f"== {database}: the ceiling once more", flush=True)
    base = best(ceiling_before, ceiling(database, options))
    first = next(i for i, m in enumerate(report.measurements) if m.database == database)
    report.measurements[first:first] = base.values()
    for m in report.measurements:
        if m.database == database and m.endpoint != "ceiling":
            m.rps_ratio = m.rps / base[m.connections].rps
            m.p50_ratio = m.p50_ms / base[m.connections].p50_ms if base[m.connections].p50_ms else 0


# -- databases ------------------------------------------------------------------------------


def sqlite_urls(work: Path) -> tuple[str, str]:
    urls = []
    for name in ("bench", "bench-small"):
        for suffix in ("", "-wal", "-shm"):
            (work / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
        urls.append(f"sqlite+aiosqlite:///{work / name}.sqlite3")
    return urls[0], urls[1]


async def _admin(url: str, statements: list[str]) -> None:
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def postgres_urls(admin_url: str, prefix: str) -> tuple[str, str] | str:
    """Fresh benchmark databases on the server, or why there are none."""
    base = normalise_database_url(admin_url)
    names = (prefix, f"{prefix}_small")
    statements = []
    for name in names:
        statements += [
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
        ]
    try:
        asyncio.run(_admin(base, statements))
    except Exception as error:  # any failure to reach the server means: skip
        return f"no PostgreSQL server at {make_url(base).render_as_string()} ({error})"
    first, second = (
        make_url(base).set(database=n).render_as_string(hide_password=False) for n in names
    )
    return first, second


def drop_postgres(admin_url: str, prefix: str) -> None:
    base = normalise_database_url(admin_url)
    names = (prefix, f"{prefix}_small")
    asyncio.run(_admin(base, [f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names]))


# -- the report -----------------------------------------------------------------------------


def evaluate(report: Report) -> None:
    """Compare each database's results with TARGETS; "correctness" ones must hold anywhere."""
    for database in report.probes:

        def target(name: str, value: float, limit: float, met: bool, kind: str = "speed") -> None:
            report.targets.append(
                {
                    "target": name,
                    "database": database,  # noqa: B023 (used before the loop moves on)
                    "value": round(value, 3),
                    "limit": limit,
                    "met": met,
                    "kind": kind,
                }
            )

        for m in (m for m in report.measurements if m.database == database):
            share = f"{m.endpoint} @{m.connections}: share of ceiling req/s"
            if m.endpoint in PAGES:
                limit = TARGETS["page_rps_ratio"]
                target(share, m.rps_ratio, limit, m.rps_ratio >= limit)
            if m.endpoint in ("support", "comment"):
                limit = TARGETS["write_rps_ratio"]
                target(share, m.rps_ratio, limit, m.rps_ratio >= limit)
            if m.endpoint in READS and m.connections == 50:
                limit = TARGETS["read_p99_ms_at_50"]
                target(f"{m.endpoint} @50: p99 ms", m.p99_ms, limit, m.p99_ms < limit)
            if m.endpoint != "ceiling" and m.errors:
                failed = f"{m.endpoint} @{m.connections}: failed requests"
                target(failed, m.errors, 0, False, "correctness")
        for name, p in report.probes[database].items():
            if name in PAGES:
                queries = p.queries if p.queries is not None else 99
                limit = TARGETS["queries_per_request"]
                target(f"{name}: SQL queries", queries, limit, queries <= limit, "correctness")
        s = report.scaling[database]
        growth = s["p50_ms_full"] / s["p50_ms_small"]
        limit = TARGETS["list_p50_growth"]
        name = f"list p50 at {s['ideas_full']:,} / at {s['ideas_small']:,} ideas"
        target(name, growth, limit, growth <= limit)
        rss = report.memory_mb[database]
        limit = TARGETS["worker_rss_mb"]
        target("peak memory per worker, MB", rss, limit, rss < limit)
        exact = report.writes[database]["exact"]
        target("writes: database = successful answers", exact, 1, exact, "correctness")


def print_report(report: Report) -> None:
    print()
    header = (
        f"{'database':<10} {'endpoint':<24} {'conn':>4} {'req/s':>8} {'× ceil':>7} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'queries':>7} {'bytes':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for m in report.measurements:
        p = report.probes.get(m.database, {}).get(m.endpoint.removesuffix(UNCACHED))
        queries = "" if p is None or p.queries is None else str(p.queries)
        size = "" if p is None else str(p.bytes)
        ratio = "" if m.endpoint == "ceiling" else f"{m.rps_ratio:.3f}"
        print(
            f"{m.database:<10} {m.endpoint:<24} {m.connections:>4} {m.rps:>8.0f} {ratio:>7} "
            f"{m.p50_ms:>8.1f} {m.p99_ms:>8.1f} {queries:>7} {size:>7} {m.errors:>6}"
        )
    for database, rss in report.memory_mb.items():
        print(f"\n{database}: peak resident memory per worker {rss:.0f} MB")
        s = report.scaling[database]
        print(
            f"{database}: list p50 {s['p50_ms_small']:.1f} ms at {s['ideas_small']:,} ideas, "
            f"{s['p50_ms_full']:.1f} ms at {s['ideas_full']:,} ideas"
        )
        w = report.writes[database]
        print(
            f"{database}: writes {w['successful_responses']} successful answers, new rows "
            f"{w['new_rows']} (expected {w['expected_new_rows']}), counters "
            f"{w['counter_change']}: {'exact' if w['exact'] else 'NOT EXACT'}"
        )
    for database, why in report.skipped.items():
        print(f"\n{database}: skipped: {why}")
    missed = [t for t in report.targets if not t["met"]]
    print(f"\ntargets: {len(report.targets) - len(missed)} of {len(report.targets)} met")
    for t in missed:
        print(f"  missed ({t['database']}): {t['target']}: {t['value']} (limit {t['limit']})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="a tiny dataset (for the tests)")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per measurement")
    parser.add_argument("--connections", default="10,50")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a server where the role may create databases",
    )
    parser.add_argument(
        "--postgres-prefix", default="participation_bench", help="names of the databases made"
    )
    parser.add_argument(
        "--check",
        choices=["targets", "correctness"],
        default="targets",
        help="exit with 1 when a target is missed, or only when a write was lost or doubled, a "
        "request failed or a page ran more than 6 SQL statements (for the tests)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "bench.json")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    size = replace(FULL.scaled(0.01), sessions=20) if args.tiny else FULL
    options = Options(
        size=size,
        small=replace(FULL.scaled(1000 / FULL.ideas * (0.1 if args.tiny else 1)), sessions=2),
        duration=args.duration,
        connections=[int(c) for c in args.connections.split(",")],
        workers=args.workers,
        work=args.out.parent,
    )
    options.work.mkdir(parents=True, exist_ok=True)
    report = Report(
        settings={
            "size": asdict(options.size),
            "small": asdict(options.small),
            "duration_s": options.duration,
            "connections": options.connections,
            "workers": options.workers,
            "server": " ".join(procfile_web(0)[:-2]),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    )
    started = time.monotonic()
    for database in args.databases.split(","):
        if database == "sqlite":
            bench_database("sqlite", sqlite_urls(options.work), options, report)
        elif database == "postgresql":
            urls = postgres_urls(args.postgres_url, args.postgres_prefix)
            if isinstance(urls, str):
                report.skipped["postgresql"] = urls
                print(f"\n== postgresql: skipped: {urls}")
                continue
            try:
                bench_database("postgresql", urls, options, report)
            finally:
                drop_postgres(args.postgres_url, args.postgres_prefix)
    report.settings["seconds"] = round(time.monotonic() - started)
    evaluate(report)
    print_report(report)
    args.out.write_text(json.dumps(asdict(report), indent=2) + "\n")
    print(f"\nwritten to {args.out} in {report.settings['seconds']} s")
    missed = [t for t in report.targets if not t["met"]]
    if args.check == "correctness":
        missed = [t for t in missed if t["kind"] == "correctness"]
    if missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
