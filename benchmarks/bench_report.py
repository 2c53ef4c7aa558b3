"""The SLA report of a year: from the stored clock outcomes over 1,000,000 tickets, on SQLite
and on PostgreSQL, with the report computed from every history (the way before outcomes
were stored) on 100,000 tickets beside it for the ratio.

Run: ``.venv/bin/python benchmarks/bench_report.py [--tickets 1000000] [--small 100000]
[--postgres URL] [--json FILE]``.

The databases are demo data made at a fixed instant (``demo --tickets N``: a year of a
team's tickets at 1,000,000). The SQLite files are kept in ``benchmarks/results`` between
runs (delete them to build them again); PostgreSQL is a database named on the command line
(filled when empty) or a throw-away server's. Each figure is the median of three runs of the
whole report (the ``Report`` query the window asks: counts in the database, the pending and
unsettled clocks in Python), in a fresh process' unit of work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from postgres_target import postgres_database

RESULTS = Path(__file__).parent / "results"
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=3)  # the report is read a little after the data was made
YEAR = (NOW - timedelta(days=365), NOW + timedelta(days=1))


def build(url: str, tickets: int) -> None:
    """``demo --tickets N`` into the database at ``url`` unless it has tickets already."""
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork

    database = Database.open(url)
    database.upgrade()
    with SqlUnitOfWork(database, write=False) as uow:
        count = uow.tickets.count()
    database.dispose()
    if count:
        print(f"using {count:,} tickets already in {_safe(url)}")
        return
    started = time.perf_counter()
    command = [sys.executable, "-m", "console", "--db", url]
    subprocess.run(
        [*command, "demo", "--tickets", str(tickets), "--now", NOW.isoformat()], check=True
    )
    print(f"built {tickets:,} tickets in {_safe(url)} in {time.perf_counter() - started:.0f} s")


def _safe(url: str) -> str:
    return url.split("@")[-1]


MEASURE = r"""
import hashlib, json, sys, time
from datetime import datetime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.services import report
from console.services.tickets import PolicyBook

url, way, since, until, at = sys.argv[1:6]
since, until, at = (datetime.fromisoformat(v) for v in (since, until, at))
compute = report.sla_report if way == "stored" else report.sla_report_from_histories
database = Database.open(url)
book = PolicyBook(load_policies())
with SqlUnitOfWork(database, write=False, now=lambda: at) as uow:
    current = book.current(uow)
    started = time.perf_counter()
    lines = compute(uow, current, since, until, at)
    seconds = time.perf_counter() - started
    tickets = uow.tickets.count()
    unsettled = len(uow.tickets.unsettled_outcomes(since, until, at)) if way == "stored" else 0
    growing = len(uow.tickets.growing_outcomes(since, until, at)) if way == "stored" else 0
clocks = sum(line.clocks for line in lines)
digest = hashlib.sha256(repr(lines).encode()).hexdigest()[:16]
print(json.dumps({"seconds": seconds, "lines": len(lines), "clocks": clocks,
                  "tickets": tickets, "unsettled": unsettled, "growing": growing,
                  "digest": digest}))
"""


def measure(url: str, way: str, runs: int = 3) -> dict[str, float]:
    """The report over a year at ``LATER``, ``way`` stored or histories: the median of
    ``runs`` fresh processes."""
    figures = []
    for _ in range(runs):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                MEASURE,
                url,
                way,
                YEAR[0].isoformat(),
                YEAR[1].isoformat(),
                LATER.isoformat(),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        figures.append(json.loads(result.stdout))
    best = dict(figures[0])
    best["seconds"] = statistics.median(f["seconds"] for f in figures)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to use")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--json", type=Path, default=RESULTS / "bench_report.json")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"tickets": args.tickets, "small": args.small}

    large = f"sqlite:///{RESULTS / f'report-{args.tickets}.sqlite3'}"
    small = f"sqlite:///{RESULTS / f'report-{args.small}.sqlite3'}"
    build(large, args.tickets)
    build(small, args.small)
    figures["sqlite_stored"] = measure(large, "stored")
    figures["sqlite_small_stored"] = measure(small, "stored")
    figures["sqlite_small_histories"] = measure(small, "histories", runs=1)
    if not args.no_postgres:
        with postgres_database(args.postgres, "bench_report") as url:
            if url is not None:
                build(url, args.tickets)
                figures["postgres_stored"] = measure(url, "stored")

    def line(name: str, key: str) -> None:
        found = figures.get(key)
        if isinstance(found, dict):
            how = (
                f"{found['unsettled']:,} tickets and the credits of {found['growing']:,} "
                "clocks from histories"
                if key.endswith("stored")
                else "every ticket from its history"
            )
            print(
                f"{name:<52} {found['seconds']:6.2f} s  ({found['tickets']:,} tickets, "
                f"{found['clocks']:,} clocks, {found['lines']} lines; {how})"
            )

    print(
        f"The year's SLA report (tickets submitted in 365 days), clocks at {LATER:%Y-%m-%d %H:%M}Z"
    )
    line(f"SQLite, stored outcomes, {args.tickets:,} tickets", "sqlite_stored")
    line(f"PostgreSQL 15, stored outcomes, {args.tickets:,} tickets", "postgres_stored")
    line(f"SQLite, stored outcomes, {args.small:,} tickets", "sqlite_small_stored")
    line(f"SQLite, every history (before), {args.small:,} tickets", "sqlite_small_histories")
    stored = figures["sqlite_small_stored"]
    before = figures["sqlite_small_histories"]
    assert isinstance(stored, dict) and isinstance(before, dict)
    ratio = before["seconds"] / stored["seconds"]
    figures["ratio_small"] = ratio
    same = "the same lines" if stored["digest"] == before["digest"] else "DIFFERENT lines"
    print(f"on {args.small:,} tickets the stored outcomes are {ratio:.0f}x faster, with {same}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
