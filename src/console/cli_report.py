"""``support-console report``: the SLA report of the current database, for scripts and
monthly customer reports, as the report window computes it (the same lines, the same
rounding: success rounded down).

The days are whole calendar days in ``--zone`` (default: this computer's), ``--since`` to
``--until`` inclusive; without them, the last 30 days up to today. Clocks are read as they
stand now. CSV has the report window's export columns; JSON carries the same lines (success
as a number of per cent rounded down to two decimals, ``null`` with nothing decided; times
in whole seconds) and each policy's totals.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import IO, Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.cli_errors import UsageError

DEFAULT_DAYS = 30


def add_report_parser(commands: Any, path: Any) -> None:
    report = commands.add_parser(
        "report",
        help="the SLA report (met, breached, pending per policy, plan, severity and metric)",
        description="The SLA report of the tickets submitted on the days --since to --until "
        "(inclusive, in --zone), their clocks as they stand now: the same figures as the "
        "report window. Default: the last 30 days up to today.",
    )
    report.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD")
    report.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--policy", metavar="ID", help="only this policy's lines")
    report.add_argument("--format", choices=("csv", "json"), required=True)
    report.add_argument(
        "-o", "--output", type=path, metavar="FILE", help="write here (default: standard output)"
    )
    report.add_argument(
        "--zone", metavar="IANA", help="the days' time zone, e.g. Europe/Zurich (default: local)"
    )
    report.add_argument(
        "--from-histories",
        action="store_true",
        help="compute every ticket from its history instead of the stored clock outcomes "
        "(slower; the same figures)",
    )


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a day: write it as YYYY-MM-DD") from None


def _zone(name: str | None) -> tzinfo:
    if not name:
        from dateutil.tz import tzlocal

        return tzlocal()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--zone {name!r} is not an IANA time zone (such as Europe/Zurich)"
        ) from None


def _start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def report_range(
    since: str | None, until: str | None, zone: tzinfo, now: datetime
) -> tuple[date, date, datetime, datetime]:
    """The first and last day asked for and ``[since, until)`` in UTC."""
    last = _day(until, "--until") if until else now.astimezone(zone).date()
    first = _day(since, "--since") if since else last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise UsageError(f"--until {last} is before --since {first}: the range would be empty")
    return first, last, _start(first, zone), _start(last + timedelta(days=1), zone)


def report_command(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    from console.adapters.sql import SqlUnitOfWork
    from console.services.report import sla_report, sla_report_from_histories

    if args.policy is not None and args.policy not in book.policies:
        known = ", ".join(sorted(book.policies))
        raise UsageError(f"--policy {args.policy!r} is not a policy (known: {known})")
    zone = _zone(args.zone)
    now = datetime.now(UTC)
    first, last, since, until = report_range(args.since, args.until, zone, now)
    compute = sla_report_from_histories if args.from_histories else sla_report
    with SqlUnitOfWork(database, write=False) as uow:
        lines = compute(uow, book.current(uow), since, until, uow.now())
        at = uow.now()
    if args.policy is not None:
        lines = [line for line in lines if line.policy_id == args.policy]
    if args.output is None:
        _write(args.format, lines, first, last, at, out)
        return 0
    from console.cli import _replacing

    with _replacing(args.output) as stream:
        _write(args.format, lines, first, last, at, stream)
    print(f"{args.output}: {len(lines):,} report line(s), {first} to {last}", file=out)
    return 0


def _write(
    kind: str, lines: Sequence[Any], first: date, last: date, at: datetime, stream: TextIO | IO[str]
) -> None:
    from console.services.report import write_report_csv

    if kind == "csv":
        write_report_csv(lines, stream)  # type: ignore[arg-type]
        return
    json.dump(report_json(lines, first, last, at), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _percent(met: int, breached: int) -> float | None:
    from console.services.report import success_percent

    found = success_percent(met, breached)
    return float(found) if found is not None else None


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def report_json(lines: Sequence[Any], first: date, last: date, at: datetime) -> dict[str, Any]:
    """The report as one JSON document: the days, the instant the clocks were read at, the
    lines and each policy's totals."""
    from console.services.report import totals

    return {
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "clocks_at": at.isoformat(),
        "lines": [
            {
                "policy": line.policy_id,
                "vendor": line.vendor,
                "plan": line.plan,
                "severity": line.severity,
                "severity_name": line.severity_name,
                "metric": line.metric.value,
                "met": line.met,
                "breached": line.breached,
                "pending": line.pending,
                "success_pct": _percent(line.met, line.breached),
                "median_first_response_s": _seconds(line.median_first_response),
                "p90_first_response_s": _seconds(line.p90_first_response),
                "credit_days": line.credit_days,
            }
            for line in lines
        ],
        "totals": [
            {
                "policy": t.policy_id,
                "vendor": t.vendor,
                "met": t.met,
                "breached": t.breached,
                "pending": t.pending,
                "success_pct": _percent(t.met, t.breached),
                "credit_days": t.credit_days,
            }
            for t in totals(lines)
        ],
    }
