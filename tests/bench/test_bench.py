"""`make bench` in small: a tiny dataset and a second of load per endpoint, so it cannot rot.

It runs against the database of the test run (SQLite, or the PostgreSQL server of
TEST_DATABASE_URL), and checks what must hold whatever the machine: every endpoint answered,
no request failed, the pages stay within their SQL budget, and the database holds exactly the
writes that were answered as successful. Speed targets are for the full benchmark.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.run import PAGES, READS, UNCACHED, WRITES
from tests.conftest import ROOT


def test_the_benchmark_runs_and_every_write_is_counted_exactly(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("wrk is not installed: the benchmark test must run on CI")
        pytest.skip("wrk is not installed (apt-get install wrk): benchmark test skipped")
    database = os.environ.get("TEST_DATABASE_URL", "")
    command = [
        sys.executable, "-m", "tests.bench", "--tiny", "--duration", "1",
        "--connections", "4", "--check", "correctness", "--out", str(tmp_path / "bench.json"),
    ]  # fmt: skip
    if database.startswith("postgres"):
        prefix = f"participation_bench_{secrets.token_hex(3)}"
        command += ["--databases", "postgresql", "--postgres-url", database]
        command += ["--postgres-prefix", prefix]
        name = "postgresql"
    else:
        command += ["--databases", "sqlite"]
        name = "sqlite"

    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["skipped"] == {}
    measured = {m["endpoint"] for m in report["measurements"] if m["database"] == name}
    assert measured == {"ceiling", *READS, *WRITES, *(r + UNCACHED for r in READS)}
    for m in report["measurements"]:
        assert m["requests"] > 0 and m["errors"] == 0, m
    probes = report["probes"][name]
    for page in PAGES:
        assert probes[page]["status"] == 200
        assert 1 <= probes[page]["queries"] <= 6, (page, probes[page])
        assert probes[page]["bytes"] < 20_000, (page, probes[page])
    writes = report["writes"][name]
    assert writes["exact"], writes
    assert min(writes["successful_responses"].values()) > 0, writes
    assert writes["new_rows"] == writes["expected_new_rows"] == writes["counter_change"]
    assert report["memory_mb"][name] > 0
    assert f"{name}: writes" in run.stdout and ": exact" in run.stdout
