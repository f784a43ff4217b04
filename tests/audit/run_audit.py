"""Lighthouse audit of the main pages: `make audit` runs this with the project's virtualenv.

Starts `participation serve` on a free port of 127.0.0.1 against a fresh SQLite database with
the demo data (migrated and seeded through the `participation` console script), runs Lighthouse
(tests/audit/node_modules, installed by `make audit` with `npm ci`) against Debian's Chromium in
its default mobile mode with simulated throttling, writes one JSON report per page into
test-artifacts/lighthouse/, prints the scores and exits 1 when a page misses a target.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
OUTPUT_DIR = ROOT / "test-artifacts" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
AREA = "mehringplatz"
STARTUP_SECONDS = 30.0
LIGHTHOUSE_SECONDS = 240.0


@dataclass(frozen=True)
class Page:
    name: str  # shown in the table
    report: str  # file name of the JSON report, without .json
    path: str  # `{idea_id}` stands for the first idea of AREA in the open-data API


# The audited pages, in table order. There is no separate concept page yet (the area page
# shows the concept), so the idea list stands in as the fourth page; add the concept page here.
PAGES: tuple[Page, ...] = (
    Page("home", "de-home", "/de/"),
    Page("area", "de-area", f"/de/areas/{AREA}"),
    Page("idea", "de-idea", "/de/ideas/{idea_id}"),
    Page("idea list", "de-idea-list", f"/de/areas/{AREA}/ideas"),
    Page("home (Arabic)", "ar-home", "/ar/"),
)

# Lighthouse category id -> (label, lowest passing score out of 100).
TARGETS: dict[str, tuple[str, int]] = {
    "performance": ("performance", 95),
    "accessibility": ("accessibility", 100),
    "best-practices": ("best practices", 100),
    "seo": ("SEO", 95),
}


@dataclass(frozen=True)
class Result:
    page: Page
    url: str
    report: Path
    scores: dict[str, int | None]  # None: Lighthouse could not score the category
    failed_audits: list[str]  # "category: audit-id (score) title" for categories below target

    @property
    def passed(self) -> bool:
        return all(
            (score := self.scores.get(category)) is not None and score >= minimum
            for category, (_, minimum) in TARGETS.items()
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def console_script() -> Path:
    """The `participation` script of the virtualenv that runs this file."""
    script = Path(sys.prefix) / "bin" / "participation"
    if not script.exists():
        sys.exit(f"run_audit: {script} not found; run `make audit` (it installs the project)")
    return script


def fetch(url: str, timeout: float = 5.0) -> bytes:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"refusing to fetch {url}: only the local audit server")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (checked above)
        body: bytes = response.read()
        return body


@contextmanager
def demo_server() -> Iterator[str]:
    """Serve the app with fresh demo data; yield its base URL and stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="participation-audit-") as tmp:
        yield from serve_in(Path(tmp))


def serve_in(workdir: Path) -> Iterator[str]:
    """Migrate and seed a database in workdir, serve it until the generator is closed."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{workdir / 'audit.sqlite3'}",
        "BASE_URL": base_url,
        "SMTP_URL": f"file://{workdir / 'mail'}",
    }
    script = console_script()
    for step in ("migrate", "seed-demo"):
        done = subprocess.run([str(script), step], env=env, cwd=ROOT, capture_output=True)
        if done.returncode != 0:
            sys.stderr.buffer.write(done.stdout + done.stderr)
            raise RuntimeError(f"`participation {step}` failed (exit {done.returncode})")
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_health(base_url, server, log_path)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_for_health(base_url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if fetch(f"{base_url}/healthz", timeout=2).strip() == b"ok":
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    sys.stderr.write(log_path.read_text(errors="replace"))
    raise RuntimeError(f"the server at {base_url} did not answer /healthz with ok")


def first_idea_id(base_url: str) -> int:
    data = json.loads(fetch(f"{base_url}/api/areas/{AREA}/ideas"))
    ideas = data["ideas"]
    if not ideas:
        raise RuntimeError(f"the demo data has no ideas in {AREA}")
    idea_id: int = ideas[0]["id"]
    return idea_id


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(TARGETS)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=LIGHTHOUSE_SECONDS
    )
    if done.returncode != 0 or not report.exists():
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"Lighthouse failed on {url} (exit {done.returncode})")
    data: dict[str, Any] = json.loads(report.read_text())
    if data.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {data['runtimeError']}")
    return data


def failed_audits(data: Mapping[str, Any], categories: list[str]) -> list[str]:
    """The audits that cost points in the given categories, weightiest first."""
    found: list[str] = []
    audits = data["audits"]
    for category in categories:
        refs = sorted(data["categories"][category]["auditRefs"], key=lambda r: -r["weight"])
        for ref in refs:
            audit = audits[ref["id"]]
            score = audit.get("score")
            if ref["weight"] > 0 and score is not None and score < 1:
                found.append(f"{category}: {ref['id']} ({score:.2f}) {audit['title']}")
                found += [f"    {line}" for line in offenders(audit)]
    return found


def offenders(audit: Mapping[str, Any], limit: int = 5) -> list[str]:
    """The elements or resources a failed audit names, with the reason where it gives one."""
    items = (audit.get("details") or {}).get("items") or []
    lines: list[str] = []
    for item in items[:limit]:
        what = ""
        for key in ("node", "source", "url"):
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get("snippet") or value.get("url") or value.get("selector")
            if value:
                what = str(value)
                break
        reasons = [
            str(sub.get("reason") or sub.get("failureReason") or "")
            for sub in (item.get("subItems") or {}).get("items", [])
        ]
        reason = "; ".join(r for r in reasons if r)
        lines.append(what + (f" ({reason})" if reason else "") if what else json.dumps(item)[:200])
    if len(items) > limit:
        lines.append(f"... and {len(items) - limit} more")
    return lines


def audit_page(base_url: str, page: Page, idea_id: int, output_dir: Path) -> Result:
    url = base_url + page.path.format(idea_id=idea_id)
    report = output_dir / f"{page.report}.json"
    data = lighthouse(url, report)
    scores: dict[str, int | None] = {}
    for category in TARGETS:
        score = data["categories"][category]["score"]
        scores[category] = None if score is None else round(score * 100)
    below = [
        category
        for category, (_, minimum) in TARGETS.items()
        if (score := scores[category]) is None or score < minimum
    ]
    return Result(page, url, report, scores, failed_audits(data, below))


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def table(results: list[Result]) -> str:
    headers = ["page", *(label for label, _ in TARGETS.values()), "result"]
    wanted = (str(m) if m == 100 else f"≥ {m}" for _, m in TARGETS.values())
    rows = [headers, ["", *wanted, ""]]
    for result in results:
        cells = [result.page.name]
        for category, (_, minimum) in TARGETS.items():
            score = result.scores[category]
            missed = score is None or score < minimum
            cells.append(("–" if score is None else str(score)) + (" ✗" if missed else ""))
        cells.append("pass" if result.passed else "FAIL")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines.insert(2, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output-dir", type=Path, default=OUTPUT_DIR)
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit(f"run_audit: {LIGHTHOUSE} not found; `make audit` installs it with npm ci")
    if not Path(CHROME_PATH).exists():
        sys.exit(f"run_audit: Chromium not found at {CHROME_PATH} (apt-get install chromium)")
    output_dir: Path = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    results: list[Result] = []
    with demo_server() as base_url:
        print(f"Serving demo data at {base_url}; Lighthouse (mobile) on {len(PAGES)} pages.")
        idea_id = first_idea_id(base_url)
        for page in PAGES:
            result = audit_page(base_url, page, idea_id, output_dir)
            print(f"  {page.name}: {result.url} -> {shown(result.report)}")
            results.append(result)

    print()
    print(table(results))
    failing = [r for r in results if not r.passed]
    for result in failing:
        print(f"\n{result.page.name} ({result.url}) misses a target:")
        for line in result.failed_audits:
            print(f"    {line}" if line.startswith(" ") else f"  - {line}")
    print(f"\n{len(results) - len(failing)} of {len(results)} pages meet every target", end="")
    print(f" ({time.monotonic() - started:.0f} s).")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
