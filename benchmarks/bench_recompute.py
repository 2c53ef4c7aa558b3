"""Recompute the cached due instants of every open ticket after a calendar change.

Run: ``.venv/bin/python benchmarks/bench_recompute.py [--tickets 100000]``. Uses (and, the
first time, builds) the database of ``bench_queue.py``: that many open tickets of demo data
in SQLite. Adds a Laioutr company holiday period (so due instants really move) and times
``recompute_due`` over every ticket with a clock counting, on a copy of the database; median
of 3 runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queue import NOW, RESULTS, build


def once(source: Path) -> tuple[float, int]:
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.model import HolidayPeriod
    from console.domain.policy import load_policies
    from console.services.tickets import PolicyBook, recompute_due

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "recompute.sqlite3"
        shutil.copy(source, copy)
        database = Database.open(f"sqlite:///{copy}")
        with SqlUnitOfWork(database, clock=lambda: NOW) as uow:
            uow.holidays.add(
                HolidayPeriod(None, "laioutr", date(2026, 11, 23), date(2026, 11, 24), "Offsite")
            )
            uow.commit()
        book = PolicyBook(load_policies())
        started = time.perf_counter()
        changed = recompute_due(SqlUnitOfWork(database, clock=lambda: NOW), book)
        elapsed = time.perf_counter() - started
        database.dispose()
    return elapsed, changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=RESULTS / "bench_recompute.json")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    source = RESULTS / f"queue-{args.tickets}.sqlite3"
    if not source.exists():
        build(source, args.tickets)
    runs = [once(source) for _ in range(3)]
    seconds = statistics.median(r[0] for r in runs)
    print(
        f"recompute the due instants of {args.tickets:,} open tickets after a calendar "
        f"change: {seconds:.2f} s (median of 3; {runs[0][1]:,} due instants moved)"
    )
    args.json.write_text(
        json.dumps(
            {
                "tickets": args.tickets,
                "seconds": seconds,
                "moved": runs[0][1],
                "measured_at": datetime.now(UTC).isoformat(),
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
