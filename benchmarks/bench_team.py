"""A team of a thousand consoles behind PgBouncer: how late a change reaches them, and how
many PostgreSQL server connections they take.

Starts a throw-away PostgreSQL 15 (``max_connections = 100``) and a throw-away PgBouncer in
front of it (``pool_mode = transaction``), as the tests do (``tests/pgserver.py``,
``tests/pgbouncer.py``); loads a demo database through the console's command line (``db
upgrade``, ``demo``); then runs ``--consoles`` simulated consoles (asyncio, psycopg async)
that follow the change feed as a console with ``?feed=poll&reads=team_reads`` does: each
logs in as a login of its own, polls the head (:data:`console.adapters.listen.HEAD_QUERY`,
autocommit) every ``--interval`` seconds and, when it moved, reads the feed since its
cursor with the statement :meth:`SqlChangeFeed.since` runs, in a transaction of the pool as
SQLAlchemy and the console run it (the pool's ping, BEGIN, the per-transaction timeouts,
the read, ROLLBACK), through the shared read pool. One writer, in a process of its own,
adds notes and responses to tickets through the console's command path
(:func:`console.services.handlers.handle`, so the database's command functions) as an
agent's login through the pooler, ``--rate`` a second.

A change's latency is the instant a console has read it minus the server's clock when its
transaction began (``changes.at``; same machine, same clock), for every change made in
the measured ``--seconds`` and every console. Printed and written to
``benchmarks/results/bench_team.json``: p50/p95/p99, the peak of PostgreSQL's client
backends (``pg_stat_activity``, sampled every 0.1 s, this benchmark's own sampling
connection not counted), and PgBouncer's pools and totals.

Run: ``.venv/bin/python benchmarks/bench_team.py [--consoles 1000] [--interval 0.5]
[--rate 2] [--seconds 30] [--tickets 10000] [--processes 1]``.

The simulated consoles do not run what a real console does with a change once read (the
rows of the tickets it names, :class:`console.services.views.QueueRows`); those reads go
through the same shared pool and are measured by ``bench_queue.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

AGENT = "ana.ortiz"  # the writer: an agent of the demo data
READER = "console.reader"
READS = "team_reads"
PASSWORD = "pw"
POSTGRES_SETTINGS: dict[str, str | int] = {"max_connections": 100}
PGBOUNCER_SETTINGS: dict[str, str | int] = {
    "pool_mode": "transaction",
    "default_pool_size": 20,
    "max_db_connections": 80,
    "max_client_conn": 5000,
    "server_idle_timeout": 60,
}
CONNECTS_AT_ONCE = 40


def console_name(number: int) -> str:
    return f"team.{number:04d}"


# --------------------------------------------------------------------------- set-up


def cli(url: str, *args: str) -> None:
    """The console's command line, as an administrator runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "console", "--db", url, *args], check=True, env=env, cwd=ROOT
    )


def prepare(admin_url: str, database: str, consoles: int, tickets: int) -> None:
    """Schema and demo data by the command line; the writer's login, the read-only login of
    the shared read pool, and a login for every simulated console."""
    from console.adapters.database import Database
    from console.adapters.grants import grant
    from console.domain.model import Role

    cli(admin_url, "db", "upgrade")
    began = time.perf_counter()
    cli(admin_url, "demo", "--tickets", str(tickets), "--seed", "11")
    print(f"demo of {tickets} tickets loaded in {time.perf_counter() - began:.0f} s")
    admin = Database.open(admin_url)
    try:
        grant(admin, AGENT, Role.AGENT, PASSWORD)
        grant(admin, READER, Role.AGENT)
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(
                f'ALTER ROLE "{READER}" SET default_transaction_read_only = on'
            )
            # The consoles' logins: they authenticate to the pooler, and read as READER.
            for number in range(consoles):
                name = console_name(number)
                connection.exec_driver_sql(
                    f"DO $$BEGIN CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}' "
                    "IN ROLE console_agent; EXCEPTION WHEN duplicate_object THEN NULL; END$$"
                )
    finally:
        admin.dispose()


# --------------------------------------------------------------------------- the consoles


def feed_statement() -> tuple[str, dict[str, Any]]:
    """The SQL text of :meth:`SqlChangeFeed.since` as the console sends it to PostgreSQL
    (captured from the repository itself), with its parameters; ``cursor`` to fill in."""
    from sqlalchemy.dialects.postgresql.psycopg import dialect

    from console.adapters.sql_repositories import SqlChangeFeed

    captured: list[Any] = []

    class Session:
        def scalars(self, statement: Any) -> list[Any]:
            captured.append(statement)
            return []

    class Uow:
        session = Session()

    SqlChangeFeed(Uow()).since(0)  # type: ignore[arg-type]
    compiled = captured[0].compile(dialect=dialect())
    return str(compiled), dict(compiled.params)


def transaction_statement() -> tuple[str, tuple[str, ...]]:
    """The statement the console runs at the start of each transaction through a pooler."""
    from console.adapters.database import transaction_settings

    settings = transaction_settings("postgresql://x@h/d?feed=poll")
    sql = "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings))
    return sql, tuple(part for pair in settings.items() for part in pair)


class Clock:
    """When the consoles start polling, the measured window, and when they stop: set by
    the main process once every console (and the writer) is connected."""

    start = stop = 0.0
    measured = (0.0, 0.0)


async def run_console(
    conninfo: str,
    interval: float,
    clock: Clock,
    started: asyncio.Event,
    latencies: list[float],
    counts: dict[str, int],
    gate: asyncio.Semaphore,
) -> None:
    import psycopg

    from console.adapters.listen import HEAD_QUERY

    feed_sql, feed_params = feed_statement()
    cursor_name = next(name for name in feed_params if name.startswith("seq"))
    set_sql, set_params = transaction_statement()
    async with gate:
        poller = await psycopg.AsyncConnection.connect(
            conninfo, autocommit=True, prepare_threshold=None
        )
        reader = await psycopg.AsyncConnection.connect(conninfo, prepare_threshold=None)
    counts["connected"] += 1
    try:
        await started.wait()
        # As ChangeFollower starts: from the feed's head when the console opens.
        row = await (await poller.execute(HEAD_QUERY)).fetchone()
        cursor = int((row or (0,))[0] or 0)
        head: int | None = None
        await asyncio.sleep(max(0.0, clock.start - time.time()) + random.random() * interval)
        while time.time() < clock.stop:
            row = await (await poller.execute(HEAD_QUERY)).fetchone()
            counts["polls"] += 1
            now_head = int((row or (0,))[0] or 0)
            if now_head != head:
                head = now_head
                # The pool's ping at checkout, then the follower's read in a transaction.
                await reader.set_autocommit(True)
                await reader.execute("SELECT 1")
                await reader.set_autocommit(False)
                await reader.execute(set_sql, set_params)
                rows = await (
                    await reader.execute(feed_sql, {**feed_params, cursor_name: cursor})
                ).fetchall()
                await reader.rollback()
                counts["reads"] += 1
                arrived = time.time()
                for seq, at, *_ in rows:
                    cursor = max(cursor, seq)
                    if clock.measured[0] <= at.timestamp() <= clock.measured[1]:
                        latencies.append(arrived - at.timestamp())
            await asyncio.sleep(interval)
    finally:
        await poller.close()
        await reader.close()


async def run_consoles(conninfos: list[str], interval: float, pipe: Any) -> dict[str, Any]:
    latencies: list[float] = []
    counts = {"polls": 0, "reads": 0, "connected": 0}
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
    started = asyncio.Event()
    clock = Clock()
    lags: list[float] = []

    async def conduct() -> None:
        while counts["connected"] < len(conninfos):
            await asyncio.sleep(0.1)
        # Thousands of connections make a large heap that the cyclic collector would walk
        # again and again: keep it out of the collections (a real console has one).
        gc.collect()
        gc.freeze()
        pipe.send("connected")
        loop = asyncio.get_running_loop()
        clock.start, clock.stop, clock.measured = await loop.run_in_executor(None, pipe.recv)
        started.set()
        while time.time() < clock.stop:  # how late the event loop itself runs
            before = time.perf_counter()
            await asyncio.sleep(0.1)
            lags.append(time.perf_counter() - before - 0.1)

    tasks = [
        run_console(info, interval, clock, started, latencies, counts, gate) for info in conninfos
    ]
    began = 0.0

    async def measure_cpu() -> None:
        nonlocal began
        await started.wait()
        began = time.process_time()

    await asyncio.gather(conduct(), measure_cpu(), *tasks)
    return {
        "latencies": latencies,
        "counts": counts,
        "cpu_seconds": time.process_time() - began,
        "loop_lag_p95": sorted(lags)[int(0.95 * (len(lags) - 1))] if lags else 0.0,
    }


def consoles_process(conninfos: list[str], interval: float, pipe: Any) -> None:
    pipe.send(asyncio.run(run_consoles(conninfos, interval, pipe)))


# --------------------------------------------------------------------------- the writer

WRITER = r"""
import random, sys, time
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.services.commands import AddNote, RecordResponse
from console.services.handlers import handle
from console.services.tickets import PolicyBook
url, agent, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
database = Database.open(url)
book = PolicyBook(load_policies())
with database.engine.connect() as connection:  # open tickets: a cheap list to pick from
    keys = list(connection.exec_driver_sql(
        "SELECT key FROM tickets WHERE status = 'open' ORDER BY id LIMIT 500"
    ).scalars())
print("ready", flush=True)
rng = random.Random(5)
start, stop = (float(x) for x in sys.stdin.readline().split())
time.sleep(max(0.0, start - time.time()))
made = failed = 0
while time.time() < stop:
    key = rng.choice(keys)
    try:
        with SqlUnitOfWork(database, write=False) as uow:
            version = uow.tickets.get(key).version
        if rng.random() < 0.5:
            command = AddNote(key, version, "Checked the logs")
        else:
            command = RecordResponse(key, version, "We are on it")
        handle(command, SqlUnitOfWork(database), book, agent)
        made += 1
    except Exception as error:
        failed += 1
        print(f"writer: {error}", file=sys.stderr)
    time.sleep(rng.expovariate(rate))
print(made, failed, flush=True)
database.dispose()
"""


# --------------------------------------------------------------------------- measuring


class ConnectionSampler:
    """Samples PostgreSQL's client backends every 0.1 s on a connection of its own."""

    def __init__(self, dsn: str) -> None:
        import psycopg

        self._connection = psycopg.connect(dsn, autocommit=True)
        self.peak = 0
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            row = self._connection.execute(
                "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"
            ).fetchone()
            count = int(row[0]) if row else 0
            self.samples.append(count)
            self.peak = max(self.peak, count)
            self._stop.wait(0.1)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._connection.close()


def server_cpu_seconds(user: str = "postgres") -> float:
    """CPU time used so far by the processes of ``user`` (PostgreSQL's and PgBouncer's),
    those that exited included when their parent waited for them (cutime, cstime)."""
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consoles", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=0.5, help="head poll, seconds")
    parser.add_argument("--rate", type=float, default=2.0, help="changes a second")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured")
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=1, help="for the consoles")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_team.json"
    )
    args = parser.parse_args()

    from pgbouncer import PgBouncer
    from pgserver import PostgresServer

    with PostgresServer(settings=POSTGRES_SETTINGS) as server:
        admin_url = server.create_database("team")
        prepare(admin_url, "team", args.consoles, args.tickets)
        with PgBouncer(server, settings=PGBOUNCER_SETTINGS) as bouncer:
            bouncer.add_database(READS, "team", READER)
            print(
                f"settings: {args.consoles} consoles polling every {args.interval:g} s, "
                f"{args.rate:g} changes/s for {args.seconds:g} s, {args.tickets} tickets; "
                f"PostgreSQL {POSTGRES_SETTINGS}; PgBouncer {PGBOUNCER_SETTINGS}, "
                f"{READS} = team as {READER}"
            )
            conninfos = [
                f"host=127.0.0.1 port={bouncer.port} dbname={READS} "
                f"user={console_name(n)} password={PASSWORD}"
                for n in range(args.consoles)
            ]
            writer_url = bouncer.url("team", AGENT, PASSWORD) + f"?feed=poll&reads={READS}"
            pipes = []
            workers = []
            share = -(-len(conninfos) // args.processes)
            for index in range(args.processes):
                mine = conninfos[index * share : (index + 1) * share]
                parent, child = multiprocessing.Pipe()
                worker = multiprocessing.Process(
                    target=consoles_process, args=(mine, args.interval, child)
                )
                worker.start()
                pipes.append(parent)
                workers.append(worker)
            writer = subprocess.Popen(
                [sys.executable, "-c", WRITER, writer_url, AGENT, str(args.rate)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            )
            sampler = ConnectionSampler(server.dsn("team"))  # the connecting included
            began = time.perf_counter()
            assert writer.stdout is not None and writer.stdin is not None
            assert writer.stdout.readline().strip() == "ready"
            for pipe in pipes:
                assert pipe.recv() == "connected"
            print(
                f"{args.consoles} consoles connected ({2 * args.consoles} client connections "
                f"to PgBouncer) in {time.perf_counter() - began:.0f} s"
            )
            start = time.time() + 1.0
            measured = (start + 3.0, start + 3.0 + args.seconds)
            stop = measured[1] + 2.0 * args.interval + 2.0
            for pipe in pipes:
                pipe.send((start, stop, measured))
            time.sleep(max(0.0, measured[0] - time.time()))
            cpu_before = server_cpu_seconds()
            writer.stdin.write(f"{measured[0]} {measured[1]}\n")
            writer.stdin.flush()
            time.sleep(max(0.0, measured[1] - time.time()))
            server_cpu = (server_cpu_seconds() - cpu_before) / args.seconds
            results = [pipe.recv() for pipe in pipes]
            for worker in workers:
                worker.join()
            made, failed = (int(x) for x in writer.communicate()[0].split())
            sampler.close()
            pools = bouncer.show("POOLS")
            totals = bouncer.show("TOTALS")
            pooler_connections = sum(
                p["sv_active"] + p["sv_idle"] + p["sv_used"] + p["sv_tested"] + p["sv_login"]
                for p in pools
                if p["database"] != "pgbouncer"
            )

    latencies = sorted(x for r in results for x in r["latencies"])
    counts = {k: sum(r["counts"][k] for r in results) for k in ("polls", "reads")}
    cpu = sum(r["cpu_seconds"] for r in results)
    lag = max(r["loop_lag_p95"] for r in results)
    duration = stop - start
    figures: dict[str, Any] = {
        "consoles": args.consoles,
        "poll_interval_s": args.interval,
        "changes_per_s": args.rate,
        "measured_s": args.seconds,
        "tickets": args.tickets,
        "changes_made": made,
        "changes_failed": failed,
        "arrivals": len(latencies),
        "expected_arrivals": made * args.consoles,
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "latency_p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "latency_max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "peak_server_connections": sampler.peak,
        "pgbouncer_server_connections_at_end": pooler_connections,
        "head_polls_per_s": round(counts["polls"] / duration),
        "feed_reads_per_s": round(counts["reads"] / duration),
        "consoles_cpu_s_per_s": round(cpu / duration, 2),
        "postgres_and_pgbouncer_cpu_s_per_s": round(server_cpu, 2),
        "consoles_loop_lag_p95_ms": round(lag * 1000, 1),
        "postgres_settings": POSTGRES_SETTINGS,
        "pgbouncer_settings": PGBOUNCER_SETTINGS,
        "pgbouncer_pools": [
            {k: p[k] for k in ("database", "user", "cl_active", "sv_active", "sv_idle", "sv_used")}
            for p in pools
            if p["database"] != "pgbouncer"
        ],
        "pgbouncer_totals": {row["name"]: row["value"] for row in totals},
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(
        f"{args.consoles} consoles, poll every {args.interval:g} s, {made} changes "
        f"({failed} failed) in {args.seconds:g} s: {len(latencies)} of "
        f"{made * args.consoles} arrivals\n"
        f"latency p50 {figures['latency_p50_ms']} ms, p95 {figures['latency_p95_ms']} ms, "
        f"p99 {figures['latency_p99_ms']} ms, max {figures['latency_max_ms']} ms\n"
        f"PostgreSQL server connections: peak {sampler.peak} (of max_connections "
        f"{POSTGRES_SETTINGS['max_connections']}); PgBouncer's at the end {pooler_connections}\n"
        f"load: {figures['head_polls_per_s']} head polls/s, {figures['feed_reads_per_s']} feed "
        f"reads/s; the simulated consoles used {figures['consoles_cpu_s_per_s']} CPU s/s "
        f"(event loop lag p95 {figures['consoles_loop_lag_p95_ms']} ms); PostgreSQL and "
        f"PgBouncer used {figures['postgres_and_pgbouncer_cpu_s_per_s']} CPU s/s "
        f"(of {os.cpu_count()} cores)"
    )
    for pool in figures["pgbouncer_pools"]:
        print(f"  pool {pool}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
