"""Loading demo data: ``support-console demo --tickets N`` into a fresh SQLite file (and into
PostgreSQL when ``--postgres URL`` names an empty database).

Run: ``.venv/bin/python benchmarks/bench_demo.py [--tickets 100000] [--postgres URL]``.
Prints the wall time of the whole command (generation, due instants, writing, commit) and
the database size, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-11-20T14:30Z"


def load(url: str, tickets: int) -> float:
    command = [sys.executable, "-m", "console", "--db", url]
    subprocess.run([*command, "db", "upgrade"], check=True, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "demo", "--tickets", str(tickets), "--now", NOW],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"demo failed: {result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_demo.json"
    )
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite3"
        figures["sqlite_seconds"] = load(f"sqlite:///{path}", args.tickets)
        figures["sqlite_megabytes"] = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
    print(
        f"demo --tickets {args.tickets:,} into SQLite: {figures['sqlite_seconds']:.1f} s, "
        f"{figures['sqlite_megabytes']:.0f} MB"
    )
    if args.postgres:
        figures["postgres_seconds"] = load(args.postgres, args.tickets)
        print(
            f"demo --tickets {args.tickets:,} into PostgreSQL: {figures['postgres_seconds']:.1f} s"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"tickets": args.tickets, **figures}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
