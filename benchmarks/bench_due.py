"""Throughput of ``support-console due --batch``: queries per second through the real command.

Run: ``.venv/bin/python benchmarks/bench_due.py [--queries N] [--json FILE]``.
Generates N queries over every policy, plan, severity and metric (random starts in
2026-2027), pipes them through ``support-console due --batch -`` in a fresh process and
reports the wall time, the start-up time (an empty batch) and queries per second (median
of 3 runs).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.domain.model import Metric
from console.domain.policy import load_policies

COMMAND = [sys.executable, "-m", "console", "due", "--batch", "-"]


def queries(count: int, seed: int) -> str:
    rng = random.Random(seed)
    combos = [
        (policy.id, plan, severity.level, metric.value)
        for policy in load_policies().values()
        for plan in policy.plans
        for severity in policy.severities
        for metric in Metric
    ]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    lines = []
    for _ in range(count):
        policy, plan, level, metric = rng.choice(combos)
        start = base + timedelta(seconds=rng.randrange(2 * 365 * 86_400))
        query = {
            "policy": policy,
            "plan": plan,
            "severity": level,
            "metric": metric,
            "start": start.isoformat(),
            "urgent": rng.random() < 0.5,
        }
        lines.append(json.dumps(query))
    return "\n".join(lines) + "\n"


def timed(text: str) -> float:
    t0 = time.perf_counter()
    result = subprocess.run(COMMAND, input=text, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if result.returncode not in (0, 1) or result.stderr:
        raise SystemExit(f"due --batch failed: {result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "bench_due.json"
    )
    args = parser.parse_args()
    text = queries(args.queries, args.seed)
    startup = statistics.median(timed("") for _ in range(3))
    total = statistics.median(timed(text) for _ in range(3))
    rate = args.queries / total
    steady = args.queries / max(total - startup, 1e-9)
    print(
        f"due --batch, {args.queries:,} queries: {total:.2f} s in all "
        f"({startup:.2f} s start-up and policy loading)"
    )
    print(f"  {rate:,.0f} queries/s overall, {steady:,.0f} queries/s after start-up (median of 3)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "queries": args.queries,
                "seconds": total,
                "startup_seconds": startup,
                "queries_per_second": rate,
                "steady_queries_per_second": steady,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
