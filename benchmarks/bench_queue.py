"""The console with 100,000 open tickets: start to first paint, the UI-thread cost of a
countdown tick, re-ordering after an event, and memory.

Run: ``.venv/bin/python benchmarks/bench_queue.py [--tickets 100000] [--json FILE]``.
The first run builds a SQLite database of demo data with that many open tickets (kept in
benchmarks/results/ for later runs). The measurements run in a fresh process, offscreen:
- first paint: from process start (before importing Qt) to the window painted with the
  500 most urgent rows, as the console loads them first; then all rows loaded and shown;
- tick: ``MainWindow.tick()`` plus the repaint it causes (events processed until the view
  has laid out and painted what changed), 300 ticks a second apart on a fake clock, on "All
  open"; median and 95th percentile. A tick repaints only the cells whose text changed, so
  the busiest screen is measured too: 100 ticks on "Breaching within 1 h", where every
  countdown shows seconds (the screen settled first: its first paint is not a tick's); rows
  join and leave that queue on the ticks at :00 and :30 of each minute, whose time is also
  given on its own;
- re-order: an event on a ticket arrives (its row moves), with the repaint;
- memory: the process's peak resident size.

The console's modules are compiled to bytecode first, as an installed console's are: with
``PYTHONDONTWRITEBYTECODE`` set, each run would otherwise compile them again at start.
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def build(path: Path | str, tickets: int) -> None:
    """Demo data with ``tickets`` open tickets: in the SQLite file ``path``, or at a database
    URL."""
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.policy import load_policies
    from console.services.demo import generate
    from console.services.tickets import PolicyBook

    started = time.perf_counter()
    book = PolicyBook(load_policies())
    data = generate(book, tickets=tickets, seed=1, now=NOW)
    open_ones = [(t, e) for t, e in data.tickets if t.is_open]
    made = list(open_ones)
    copy = 2
    while len(made) < tickets:
        for ticket, events in open_ones:
            made.append((replace(ticket, key=f"{ticket.key}-{copy}"), events))
            if len(made) == tickets:
                break
        copy += 1
    database = Database.open(path if isinstance(path, str) else f"sqlite:///{path}")
    database.upgrade()
    with SqlUnitOfWork(database, now=lambda: NOW) as uow:
        for agent in data.agents:
            uow.agents.add(agent)
        for customer in data.customers:
            uow.customers.add(customer)
        for period in data.holiday_periods:
            uow.holidays.add(period)
        uow.tickets.add_many(made)
        uow.commit()
    database.dispose()
    print(f"built {path} with {tickets:,} open tickets in {time.perf_counter() - started:.0f} s")


def open_tickets(path: Path) -> int:
    """How many rows the queue of the database at ``path`` holds when all are loaded."""
    from console.adapters.database import Database
    from console.adapters.sql import SqlUnitOfWork

    database = Database.open(f"sqlite:///{path}")
    try:
        with SqlUnitOfWork(database, write=False) as uow:
            return uow.tickets.count(open_only=True)
    finally:
        database.dispose()


MEASURE = r"""
import json, resource, statistics, sys, time
started = time.perf_counter()
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import UTC, datetime, timedelta
from PySide6.QtWidgets import QApplication
app = QApplication([])
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings
from console.services.queues import STANDARD_QUEUES, QueueFilter
from console.services.views import Agents, QueueRows
from console.services.tickets import PolicyBook

class Clock:
    now = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    def __call__(self):
        return self.now

clock = Clock()
database = Database.open(sys.argv[1])
book = PolicyBook(load_policies())
agents = Agents().run(SqlUnitOfWork(database, write=False), book)
settings = ConsoleSettings(agent=agents[0].name, display_zone="Europe/Zurich")
backend = Dispatcher(database, book, clock)
window = MainWindow(backend, settings, clock)
window.timer.stop()
window.set_agents(agents)
window.resize(1600, 940)
def show_queue(kind):
    window.sidebar.setCurrentRow([q.kind for q in STANDARD_QUEUES].index(kind))

show_queue(QueueFilter.ALL)
# As the console does (MainWindow.load, through the dispatcher's thread): the most urgent
# rows first, painted at once, while all of them are read; then all of them.
expected = int(sys.argv[2])
window.show()
window.load()
while window.model.rowCount() == 0:
    app.processEvents()
    time.sleep(0.001)
app.processEvents()
first_paint = time.perf_counter() - started
while window.model.rowCount() < expected:
    app.processEvents()
    time.sleep(0.001)
app.processEvents()
all_loaded = time.perf_counter() - started

def settle():
    # A view lays out after a timer and paints on an event that layout posts: twice.
    app.processEvents()
    app.processEvents()

from console.qt.main_window import MEMBERSHIP_SECONDS
judging = []  # the ticks that judged the time-window queues' rows again

def ticking(count):
    # Milliseconds of each of count ticks a second apart, with the repaint it causes.
    spent = []
    judging.clear()
    for _ in range(count):
        before = int(clock.now.timestamp()) // MEMBERSHIP_SECONDS
        clock.now += timedelta(seconds=1)
        t0 = time.perf_counter()
        window.tick()
        settle()
        spent.append((time.perf_counter() - t0) * 1000)
        if int(clock.now.timestamp()) // MEMBERSHIP_SECONDS != before:
            judging.append(spent[-1])
    return spent

ticks = ticking(300)
# The busiest screen: "Breaching within 1 h", where every countdown shows seconds.
show_queue(QueueFilter.BREACHING_SOON)
settle()
busy_rows = window.proxy.rowCount()
busy = ticking(100)
busy_judging = list(judging)
show_queue(QueueFilter.ALL)
app.processEvents()

from dataclasses import replace
moved = []
for i in range(50):
    row = window.model.rows[i * 7]
    later = row.ticket.next_due_at + timedelta(hours=3) if row.ticket.next_due_at else None
    ticket = replace(row.ticket, next_due_at=later, version=row.ticket.version + 1)
    changed = replace(row, ticket=ticket)
    t0 = time.perf_counter()
    window.apply_changes([changed], [])
    settle()
    moved.append((time.perf_counter() - t0) * 1000)

def p95(values):
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]

print(json.dumps({
    "open_tickets": len(window.model.rows),
    "first_paint_seconds": first_paint, "all_rows_seconds": all_loaded,
    "tick_ms_median": statistics.median(ticks), "tick_ms_p95": p95(ticks),
    "busy_rows": busy_rows,
    "busy_tick_ms_median": statistics.median(busy), "busy_tick_ms_p95": p95(busy),
    "busy_judging_ticks": len(busy_judging),
    "busy_judging_ms_median": statistics.median(busy_judging) if busy_judging else None,
    "reorder_ms_median": statistics.median(moved), "reorder_ms_p95": p95(moved),
    "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
window.close()
backend.stop()
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=RESULTS / "bench_queue.json")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    import console

    compileall.compile_dir(Path(console.__file__).parent, quiet=1)
    path = RESULTS / f"queue-{args.tickets}.sqlite3"
    if not path.exists():
        build(path, args.tickets)
    else:  # kept from an earlier run: bring its schema up to this version's
        from console.adapters.database import Database

        kept = Database.open(f"sqlite:///{path}")
        kept.upgrade()
        kept.dispose()
    runs = []
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, f"sqlite:///{path}", str(open_tickets(path))],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"measuring failed:\n{result.stderr[-3000:]}")
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    best = sorted(runs, key=lambda r: r["first_paint_seconds"])[1]  # the median run
    print(f"{best['open_tickets']:,} open tickets (median of 3 runs):")
    print(f"  start to first paint  {best['first_paint_seconds']:.2f} s (the 500 most urgent rows)")
    print(f"  all rows loaded       {best['all_rows_seconds']:.2f} s")
    print(
        f"  countdown tick        {best['tick_ms_median']:.2f} ms median, "
        f"{best['tick_ms_p95']:.2f} ms p95 (UI thread, with the repaint)"
    )
    print(
        f"  tick, every countdown {best['busy_tick_ms_median']:.2f} ms median, "
        f'{best["busy_tick_ms_p95"]:.2f} ms p95 ("Breaching within 1 h", '
        f"{best['busy_rows']:,} rows, each showing seconds)"
    )
    if best.get("busy_judging_ticks"):
        print(
            f"    of which {best['busy_judging_ticks']} judged the queue's rows again "
            f"(:00 and :30): {best['busy_judging_ms_median']:.2f} ms median"
        )
    print(
        f"  re-order on an event  {best['reorder_ms_median']:.2f} ms median, "
        f"{best['reorder_ms_p95']:.2f} ms p95"
    )
    print(f"  peak memory           {best['peak_memory_mb']:.0f} MB")
    args.json.write_text(json.dumps({"runs": runs, "median_run": best}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
