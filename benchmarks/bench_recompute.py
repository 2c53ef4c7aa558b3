"""Recompute the cached due instants of every open ticket after a calendar change.

Run: ``.venv/bin/python benchmarks/bench_recompute.py [--tickets 100000] [--postgres URL]``.
SQLite uses a copy of the database of ``bench_queue.py`` (built the first time): that many
open tickets of demo data. PostgreSQL gets the same tickets, in the database ``--postgres``
names (empty) or else in a throw-away server started as the tests do, when the PostgreSQL
binaries are installed.

Each run adds a Laioutr company holiday period (so due instants really move) and times
``recompute_due`` over every ticket that may have a clock counting, as a lead's save does;
then it deletes the period and recomputes back (not timed). Median and 95th percentile
(nearest rank) of 20 runs.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queue import NOW, RESULTS, build
from postgres_target import postgres_database

RUNS = 20


def measure(url: str) -> dict[str, float]:
    """Seconds of a recompute after a holiday period is added (median and 95th percentile of
    ``RUNS``), and how many due instants moved."""
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.model import HolidayPeriod
    from console.domain.policy import load_policies
    from console.services.commands import RecomputeDue
    from console.services.handlers import handle
    from console.services.tickets import PolicyBook

    def recompute_due(uow: SqlUnitOfWork, book: PolicyBook) -> int:
        """What a lead's save of company holiday periods recomputes, in one transaction."""
        changed: int = handle(RecomputeDue(), uow, book, None)
        return changed

    database = Database.open(url)
    book = PolicyBook(load_policies())
    seconds: list[float] = []
    moved: list[int] = []
    try:
        for _ in range(RUNS):
            with SqlUnitOfWork(database, now=lambda: NOW) as uow:
                period = uow.holidays.add(
                    HolidayPeriod(
                        None, "laioutr", date(2026, 11, 23), date(2026, 11, 24), "Offsite"
                    )
                )
                uow.commit()
            started = time.perf_counter()
            moved.append(recompute_due(SqlUnitOfWork(database, now=lambda: NOW), book))
            seconds.append(time.perf_counter() - started)
            with SqlUnitOfWork(database, now=lambda: NOW) as uow:
                assert period.id is not None
                uow.holidays.delete(period.id, period.version)
                uow.commit()
            back = recompute_due(SqlUnitOfWork(database, now=lambda: NOW), book)
            if back != moved[-1]:
                raise SystemExit(f"{moved[-1]} due instants moved but {back} moved back")
    finally:
        database.dispose()
    ordered = sorted(seconds)
    return {
        "seconds": statistics.median(seconds),
        "p95_seconds": ordered[math.ceil(0.95 * len(ordered)) - 1],
        "runs": seconds,
        "moved": moved[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument("--json", type=Path, default=RESULTS / "bench_recompute.json")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    source = RESULTS / f"queue-{args.tickets}.sqlite3"
    if not source.exists():
        build(source, args.tickets)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "recompute.sqlite3"
        shutil.copy(source, copy)
        results["sqlite"] = measure(f"sqlite:///{copy}")

    with postgres_database(args.postgres, "recompute") as postgres_url:
        if postgres_url:
            build(postgres_url, args.tickets)
            results["postgres"] = measure(postgres_url)

    for name, figures in results.items():
        print(
            f"{name:10s} recompute the due instants of {args.tickets:,} open tickets after a "
            f"calendar change: {figures['seconds']:.2f} s median, {figures['p95_seconds']:.2f} s "
            f"p95 ({RUNS} runs; {figures['moved']:,.0f} due instants moved)"
        )
    args.json.write_text(
        json.dumps(
            {
                "tickets": args.tickets,
                **{
                    f"{name}_{key}": value
                    for name, f in results.items()
                    for key, value in f.items()
                },
                "measured_at": datetime.now(UTC).isoformat(),
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
