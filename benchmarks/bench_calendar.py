"""Business-time engine speed: microseconds per `add` and per `between` on each seed
calendar, and the cost of computing 100,000 due instants.

Run: ``.venv/bin/python benchmarks/bench_calendar.py [--json FILE]`` (or ``make bench``).
Per-call figures are the median and 95th percentile over batches of 1,000 calls with
warm calendars (the spans of the years queried already built); the 100,000 figure is
the median of 5 runs, warm and cold (cold includes building every calendar from its
spec, holidays included).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from calendars import SEED_SPECS
from console.domain.calendar import BusinessCalendar

BATCH = 1_000
BATCHES = 60
TICKETS = 100_000
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)

# The targets the seed policies put on each calendar (see DESIGN.md section 1).
TARGETS: dict[str, list[timedelta]] = {
    "layer0-24x7": [timedelta(minutes=30)],
    "layer0-business-hours": [timedelta(minutes=60)],
    "layer0-business-days": [timedelta(hours=48)],
    "laioutr-24x7": [timedelta(minutes=60), timedelta(minutes=180)],
    "laioutr-24x5": [timedelta(hours=12), timedelta(hours=48)],
    "moboom-24x5": [timedelta(hours=4), timedelta(hours=12), timedelta(days=1)],
    "zitadel-business": [timedelta(hours=1), timedelta(hours=2), timedelta(hours=24)],
    "zitadel-extended": [timedelta(hours=1), timedelta(hours=12), timedelta(hours=24)],
    "liveperson-24x7": [timedelta(hours=1), timedelta(hours=3)],
    "liveperson-business-days": [timedelta(days=3)],
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def per_call(fn: object, args: list[tuple[object, object]]) -> list[float]:
    """Microseconds per call for each batch of BATCH calls."""
    call = fn  # bound method
    figures = []
    for b in range(BATCHES):
        batch = args[(b * BATCH) % len(args) :][:BATCH]
        t0 = time.perf_counter_ns()
        for x, y in batch:
            call(x, y)  # type: ignore[operator]
        figures.append((time.perf_counter_ns() - t0) / len(batch) / 1_000)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_calendar.json"
    )
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    span = 2 * 365 * 86_400

    results: dict[str, object] = {"calls": {}, "unit": "microseconds per call"}
    print(
        f"{'calendar':28s} {'add median':>11s} {'add p95':>8s} {'between median':>15s} {'p95':>6s}"
    )
    gc.disable()
    for name, spec in SEED_SPECS.items():
        calendar = BusinessCalendar.from_spec(spec)
        starts = [YEAR_START + timedelta(seconds=rng.randrange(span)) for _ in range(20_000)]
        adds = [(s, rng.choice(TARGETS[name])) for s in starts]
        betweens = [(s, s + timedelta(seconds=rng.randrange(14 * 86_400))) for s in starts]
        for s, d in adds:  # warm: build the spans of every year the inputs reach
            calendar.between(s, calendar.add(s, d))
        add = per_call(calendar.add, adds)  # type: ignore[arg-type]
        between = per_call(calendar.between, betweens)  # type: ignore[arg-type]
        row = {
            "add_median": statistics.median(add),
            "add_p95": percentile(add, 0.95),
            "between_median": statistics.median(between),
            "between_p95": percentile(between, 0.95),
        }
        results["calls"][name] = row  # type: ignore[index]
        print(
            f"{name:28s} {row['add_median']:9.2f}µs {row['add_p95']:6.2f}µs "
            f"{row['between_median']:13.2f}µs {row['between_p95']:6.2f}µs"
        )

    names = list(SEED_SPECS)
    tickets = []
    for _ in range(TICKETS):
        name = rng.choice(names)
        start = YEAR_START + timedelta(seconds=rng.randrange(span))
        tickets.append((name, start, rng.choice(TARGETS[name])))

    def due_all(calendars: dict[str, BusinessCalendar]) -> float:
        t0 = time.perf_counter()
        for name, start, target in tickets:
            calendars[name].add(start, target)
        return time.perf_counter() - t0

    warm_calendars = {n: BusinessCalendar.from_spec(s) for n, s in SEED_SPECS.items()}
    due_all(warm_calendars)
    warm = [due_all(warm_calendars) for _ in range(5)]
    cold = []
    for _ in range(5):
        t0 = time.perf_counter()
        fresh = {n: BusinessCalendar.from_spec(s) for n, s in SEED_SPECS.items()}
        cold.append(time.perf_counter() - t0 + due_all(fresh))
    gc.enable()
    results["due_100k_seconds"] = {
        "warm_median": statistics.median(warm),
        "cold_median": statistics.median(cold),
    }
    print(
        f"\n{TICKETS:,} due instants across the seed calendars: "
        f"{statistics.median(warm):.3f} s warm, {statistics.median(cold):.3f} s cold "
        "(median of 5; cold includes building the calendars)"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
