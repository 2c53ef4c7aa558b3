"""Sync latency: a change committed in one process, to its arrival in others that follow the
change feed as a console does (LISTEN/NOTIFY on PostgreSQL, PRAGMA data_version polling on
SQLite). The change is a note an agent adds through the console's own command path: on
PostgreSQL as the agent's login, so through the database's command functions.

Run: ``.venv/bin/python benchmarks/bench_sync.py [--changes 200] [--listeners 1 20]
[--postgres URL]``. Without ``--postgres`` a throw-away PostgreSQL server is started (as the
tests do) when the PostgreSQL binaries are installed. Latency is the arrival time in a
listener minus the writer's clock at commit (same machine, same clock); median and 95th
percentile over every change and listener.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from postgres_target import postgres_database

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)

LISTEN = r"""
import json, sys, time
from datetime import UTC, datetime
from console.adapters.database import Database
from console.adapters.listen import ChangeFollower, listener_for
database = Database.open(sys.argv[1])
expected = int(sys.argv[2])
follower = ChangeFollower(database)
listener = listener_for(database)
print("ready", flush=True)
latencies = []
deadline = time.monotonic() + 120
while len(latencies) < expected and time.monotonic() < deadline:
    listener.wait(1.0)
    for change in follower.poll():
        if change.entity == "ticket" and change.kind.value == "event":
            latencies.append((datetime.now(UTC) - change.at).total_seconds() * 1000)
print(json.dumps(latencies), flush=True)
listener.close()
"""


def measure(url: str, changes: int, listeners: int) -> list[float]:
    """Each change is a note an agent adds as the console does (on PostgreSQL through the
    agent's own login, so through the database's command functions)."""
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.policy import load_policies
    from console.services.commands import AddNote
    from console.services.handlers import handle
    from console.services.tickets import PolicyBook

    book = PolicyBook(load_policies())
    database = Database.open(login_url(url))
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", LISTEN, login_url(url), str(changes)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(listeners)
    ]
    for process in processes:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(
                f"a listener failed: {process.stderr.read() if process.stderr else ''}"
            )
    time.sleep(0.5)
    with SqlUnitOfWork(database, write=False) as uow:
        keys = [t.key for t in uow.tickets.list()[:20]]
    for n in range(changes):
        key = keys[n % len(keys)]
        with SqlUnitOfWork(database, write=False) as uow:
            version = uow.tickets.get(key, with_events=False).version
        handle(AddNote(key, version, f"edit {n}"), SqlUnitOfWork(database), book, AGENT)
        time.sleep(0.05)
    latencies: list[float] = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        lines = out.strip().splitlines()
        if not lines:
            raise SystemExit(f"a listener reported nothing: {err[-2000:]}")
        latencies.extend(json.loads(lines[-1]))
    database.dispose()
    return latencies


AGENT = "ana.ortiz"  # an agent of the demo data


def login_url(url: str) -> str:
    """The URL of the agent's own login on PostgreSQL (``prepare`` grants it); SQLite's as
    it is."""
    from sqlalchemy.engine import make_url

    if url.startswith("sqlite"):
        return url
    return make_url(url).set(username=AGENT, password="pw").render_as_string(hide_password=False)


def prepare(url: str) -> None:
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.policy import load_policies
    from console.services.demo import load_demo
    from console.services.tickets import PolicyBook

    database = Database.open(url)
    database.upgrade()
    load_demo(
        SqlUnitOfWork(database, now=lambda: NOW),
        PolicyBook(load_policies()),
        tickets=100,
        seed=3,
        now=NOW,
    )
    if not database.is_sqlite:
        from console.adapters.grants import grant
        from console.domain.model import Role

        grant(database, AGENT, Role.AGENT, "pw")
    database.dispose()


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "count": len(ordered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--listeners", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_sync.json"
    )
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'sync.sqlite3'}"
        prepare(sqlite_url)
        for count in args.listeners:
            results[f"sqlite_{count}"] = summary(measure(sqlite_url, args.changes, count))
    with postgres_database(args.postgres, "sync") as postgres_url:
        if postgres_url:
            prepare(postgres_url)
            for count in args.listeners:
                results[f"postgres_{count}"] = summary(measure(postgres_url, args.changes, count))
    for name, figures in results.items():
        database, listeners = name.split("_")
        print(
            f"{database:10s} {listeners:>3s} listening: p50 {figures['p50_ms']:7.1f} ms, "
            f"p95 {figures['p95_ms']:7.1f} ms ({figures['count']:.0f} arrivals)"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
