"""The command line. Qt is imported only when the window is asked for, so that
commands stay fast and run on machines without a display."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TextIO

from console import __version__
from console.domain.calendar import BusinessCalendar, clock_changes
from console.domain.errors import DomainError
from console.domain.model import Metric, Role
from console.domain.policy import (
    Policy,
    PolicyError,
    PolicyProblem,
    Target,
    check_quotes,
    default_policy_dir,
    format_duration,
    load_policies,
    load_policy,
)
from console.domain.sla import DueAnswer, due_for

POLICY_DIR_VARIABLE = "SUPPORT_CONSOLE_POLICIES"
MAX_PROBLEMS_SHOWN = 20


class UsageError(Exception):
    """A command was given input it cannot use; the message says what and where."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-console",
        description="A desktop console for support teams working under contractual SLAs. "
        "Without a command, opens the console window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--policies",
        type=Path,
        metavar="DIR",
        help=f"folder of policy files (default: ${POLICY_DIR_VARIABLE} or the bundled policies/)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or URL, or postgresql://user@host/db "
        "(default: $SUPPORT_CONSOLE_DB or a SQLite file in your data folder)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE",
        help="render the window offscreen on the current database to a PNG and exit",
    )
    parser.add_argument(
        "--view",
        choices=("queue", "detail", "handover"),
        default="queue",
        help="what --screenshot shows (default: queue)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fill an empty database with demo data before opening the window",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = commands.add_parser("db", help="the database's schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="bring the schema to this version's newest revision")
    db_commands.add_parser("status", help="where the database is and its schema revision")
    grant_cmd = db_commands.add_parser(
        "grant", help="PostgreSQL: give a login an agent's or a lead's rights in the database"
    )
    grant_cmd.add_argument("name", metavar="NAME", help="the login role, e.g. ana.ortiz")
    grant_cmd.add_argument("--role", required=True, choices=[r.value for r in Role])
    grant_cmd.add_argument(
        "--password", action="store_true", help="set the login's password (asked for twice)"
    )
    recompute = db_commands.add_parser(
        "recompute", help="recompute every cached due instant (after a policy file changed)"
    )
    recompute.add_argument("--policy", metavar="ID", help="only the tickets of this policy")

    demo = commands.add_parser("demo", help="fill an empty database with demo data")
    demo.add_argument("--tickets", type=int, default=500, metavar="N")
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="the same seed and --now give the same data",
    )
    demo.add_argument(
        "--now", metavar="ISO8601", help="the present for the demo's histories (default: now)"
    )

    importer = commands.add_parser("import", help="add tickets from a CSV file")
    importer.add_argument("file", type=Path, metavar="FILE.csv")
    exporter = commands.add_parser("export", help="write tickets to a CSV file")
    exporter.add_argument("file", type=Path, metavar="FILE.csv")
    exporter.add_argument("--open-only", action="store_true", help="only tickets not resolved")
    handover = commands.add_parser(
        "handover",
        help="export the handover board of a window on the current database (PDF, CSV or HTML)",
    )
    span = handover.add_mutually_exclusive_group()
    span.add_argument(
        "--hours", type=int, metavar="N", help="the next N hours from now (default: 8)"
    )
    span.add_argument(
        "--shift",
        metavar="NAME",
        help="a named shift (EMEA, AMER, APAC): the one in progress, else the next",
    )
    handover.add_argument("--format", choices=("pdf", "csv", "html"), required=True)
    handover.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    handover.add_argument(
        "--zone",
        metavar="IANA",
        help="time zone of the times shown, e.g. Europe/Zurich "
        "(default: the shift's, else this computer's)",
    )

    presences = commands.add_parser(
        "presences",
        help="the presences whose public holidays close the calendars that take company "
        "holidays (Laioutr's 24 / 5), on the current database",
    )
    presence_commands = presences.add_subparsers(
        dest="presences_command", metavar="ACTION", required=True
    )
    presences_show = presence_commands.add_parser(
        "show", help="the presences in force, of every policy that takes them or of one"
    )
    presences_show.add_argument("policy_id", nargs="?", metavar="POLICY")
    presences_set = presence_commands.add_parser(
        "set",
        help="name a policy's presences (a lead's action; none: the policy file's holidays)",
        description="Replace a policy's presences by CODEs such as DE, DE-BY or AT-9 (a "
        "country, or one of its regions, as the holidays package names them); without a "
        "CODE the policy file's holidays apply again. The due instants the change moves are "
        "recomputed in the same transaction.",
    )
    presences_set.add_argument("policy_id", metavar="POLICY")
    presences_set.add_argument("codes", nargs="*", metavar="CODE")
    presences_set.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="the team lead naming them (default on PostgreSQL: the database login)",
    )

    policy = commands.add_parser("policy", help="check or show support policies")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    check = policy_commands.add_parser(
        "check", help="validate policy files (all of the policy folder by default)"
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE")
    show = policy_commands.add_parser("show", help="print a policy: calendars, targets, readings")
    show.add_argument("policy_id", metavar="ID")
    show.add_argument(
        "--year", type=int, help="year of the closed dates shown (default: this year)"
    )

    due = commands.add_parser(
        "due",
        help="the due instant of a clock that starts at a given instant",
        description="The due instant of an SLA clock that starts at --start and never pauses. "
        "With --batch, reads JSON lines with keys policy, plan, severity, metric, start (and "
        "optionally urgent) and writes one JSON object per line, in order; a bad line gets "
        '{"error": "..."} and the rest go on (the exit status is then 1).',
    )
    due.add_argument("--policy", metavar="ID")
    due.add_argument("--plan", metavar="PLAN")
    due.add_argument("--severity", type=int, metavar="N")
    due.add_argument(
        "--metric",
        choices=[m.value for m in Metric],
        metavar="METRIC",
        help=f"one of: {', '.join(m.value for m in Metric)}",
    )
    due.add_argument(
        "--start", metavar="ISO8601", help="with a UTC offset, e.g. 2026-11-25T17:30-08:00"
    )
    due.add_argument(
        "--urgent", action="store_true", help="an urgent escalation (escalation_response)"
    )
    due.add_argument("--json", action="store_true", help="print one JSON object")
    due.add_argument(
        "--batch", metavar="FILE", help="JSON lines to answer ('-' for standard input)"
    )
    return parser


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        from console.app import run_gui

        return run_gui(
            db_url=args.db, screenshot=args.screenshot, view=args.view, demo_if_empty=args.demo
        )
    directory = (
        args.policies
        or (Path(os.environ[POLICY_DIR_VARIABLE]) if os.environ.get(POLICY_DIR_VARIABLE) else None)
        or default_policy_dir()
    )
    out = sys.stdout
    try:
        if args.command == "policy" and args.policy_command == "check":
            return policy_check(args.files or sorted(directory.glob("*.toml")), out)
        policies = load_policies(directory)
        if args.command == "policy":
            return policy_show(
                _policy(policies, args.policy_id), args.year or date.today().year, out
            )
        if args.command in ("db", "demo", "import", "export", "handover", "presences"):
            return database_command(args, policies, out)
        if args.command == "due":
            if args.batch:
                stream = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
                with stream:
                    return due_batch(policies, stream, out)
            return due_single(policies, args, out)
    except PolicyError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except (UsageError, OSError) as error:
        print(f"support-console: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        shown = [str(p) for p in getattr(error, "problems", ())] or [str(error)]
        for line in shown[:MAX_PROBLEMS_SHOWN]:
            print(f"support-console: {line}", file=sys.stderr)
        if len(shown) > MAX_PROBLEMS_SHOWN:
            print(
                f"support-console: ... and {len(shown) - MAX_PROBLEMS_SHOWN} more "
                "problem(s); nothing was written",
                file=sys.stderr,
            )
        return 1
    parser.error(f"unknown command {args.command!r}")
    return 2


def _policy(policies: dict[str, Policy], policy_id: str) -> Policy:
    try:
        return policies[policy_id]
    except KeyError:
        raise UsageError(
            f"no policy {policy_id!r} (policies: {', '.join(sorted(policies))})"
        ) from None


# --------------------------------------------------------------------------- database


def database_command(args: argparse.Namespace, policies: dict[str, Policy], out: IO[str]) -> int:
    """``db``, ``demo``, ``import`` and ``export``: each is one unit of work."""
    from console.adapters.database import Database, describe
    from console.adapters.sql import SqlUnitOfWork
    from console.services.tickets import PolicyBook

    database = Database.open(args.db)
    try:
        if args.command == "db" and args.db_command == "upgrade":
            before = database.current_revision()
            database.upgrade()
            after = database.current_revision()
            change = "already up to date" if before == after else f"{before or 'empty'} -> {after}"
            print(f"{describe(database.url)}: schema {change}", file=out)
            return 0
        if args.command == "db" and args.db_command == "status":
            current = database.current_revision() or "empty"
            print(f"database: {describe(database.url)}", file=out)
            print(
                f"schema:   {current} (this version's newest: {database.head_revision()})", file=out
            )
            return 0
        if args.command == "db" and args.db_command == "grant":
            from console.adapters.grants import grant

            password = _new_password(args.name) if args.password else None
            grant(database, args.name, Role(args.role), password)
            print(f"{describe(database.url)}: {args.name} has the {args.role} rights", file=out)
            return 0
        database.ensure_schema()
        book = PolicyBook(policies)
        if args.command == "db" and args.db_command == "recompute":
            from console.services.commands import RecomputeDue
            from console.services.handlers import handle

            if args.policy:
                _policy(policies, args.policy)
            command = RecomputeDue(args.policy)
            changed = handle(command, SqlUnitOfWork(database), book, actor=None)
            print(f"{describe(database.url)}: {changed:,} due instant(s) changed", file=out)
            return 0
        if args.command == "demo":
            from console.services.demo import load_demo

            if args.tickets < 1:
                raise UsageError("--tickets must be at least 1")
            now = parse_instant(args.now, "--now") if args.now else datetime.now().astimezone()
            started = time.perf_counter()
            data = load_demo(
                SqlUnitOfWork(database), book, tickets=args.tickets, seed=args.seed, now=now
            )
            print(
                f"{describe(database.url)}: {len(data.tickets):,} tickets, "
                f"{len(data.customers)} customers and {len(data.agents)} agents loaded in "
                f"{time.perf_counter() - started:.1f} s",
                file=out,
            )
            return 0
        if args.command == "handover":
            return handover_export(args, database, book, out)
        if args.command == "presences":
            return presences_command(args, database, book, out)
        from console.services.transfer import export_tickets, import_tickets

        if args.command == "import":
            with _open_text(args.file, "r") as source:
                count = import_tickets(SqlUnitOfWork(database), book, source)
            print(f"{args.file}: {count:,} tickets imported", file=out)
            return 0
        with _open_text(args.file, "w") as destination:
            count = export_tickets(
                SqlUnitOfWork(database, write=False), destination, open_only=args.open_only
            )
        print(f"{args.file}: {count:,} tickets exported", file=out)
        return 0
    except ValueError as error:
        if isinstance(error, DomainError):
            raise
        raise UsageError(str(error)) from None
    finally:
        database.dispose()


def handover_export(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    """The handover board of a window on the current database, written as PDF, CSV or HTML.
    Qt is imported only for a PDF (drawn offscreen unless QT_QPA_PLATFORM says otherwise)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from dateutil.tz import tzlocal

    from console.adapters.sql import SqlUnitOfWork
    from console.services.handover import shift_named, window_for
    from console.services.views import Board

    if args.hours is not None and args.hours < 1:
        raise UsageError("--hours must be at least 1")
    try:
        shift = shift_named(args.shift) if args.shift else None
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    zone_name = args.zone or (shift.zone if shift is not None else None)
    try:
        zone = ZoneInfo(zone_name) if zone_name else tzlocal()
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--zone {args.zone!r} is not an IANA time zone (such as Europe/Zurich)"
        ) from None
    start, end = window_for(datetime.now(UTC), hours=args.hours, shift=shift)
    board = Board(start, end).run(SqlUnitOfWork(database, write=False), book)
    if args.format == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.qt.handover_export import export, window_text

    count = export(board, zone, args.format, args.output)
    print(
        f"{args.output}: {count:,} tickets in the handover for {window_text(board, zone)}",
        file=out,
    )
    return 0


def presences_command(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    """``presences show [POLICY]`` and ``presences set POLICY CODE...`` on the database."""
    from console.adapters.database import describe
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.calendar_spec import presence_named
    from console.domain.errors import PresenceError
    from console.services.calendar_texts import presences_text
    from console.services.commands import SetPresences
    from console.services.handlers import handle
    from console.services.views import Presences

    policies: dict[str, Policy] = dict(book.policies)
    if args.policy_id:
        chosen = _policy(policies, args.policy_id)
        if not chosen.accepts_company_holidays:
            raise UsageError(
                f"presences: {chosen.vendor}'s calendars take no company holidays, so no presences"
            )
    where = describe(database.url)
    if args.presences_command == "set":
        try:
            named = tuple(presence_named(code) for code in args.codes)
        except PresenceError as error:
            raise UsageError(f"presences: {error}") from None
        actor = args.actor or _login(database)
        command = SetPresences(args.policy_id, named)
        moved = handle(command, SqlUnitOfWork(database), book, actor)
        policy = policies[args.policy_id]
        in_order = sorted(set(named), key=lambda p: p.order)
        print(
            f"{where}: {policy.id} presences: {presences_text(policy, in_order)}; "
            f"{moved:,} due instant(s) moved",
            file=out,
        )
        return 0
    stored = Presences().run(SqlUnitOfWork(database, write=False), book)
    print(f"{where}: presences", file=out)
    for policy in policies.values():
        if not policy.accepts_company_holidays or args.policy_id not in (None, policy.id):
            continue
        named = tuple(p.presence for p in stored if p.policy_id == policy.id)
        print(f"  {policy.id} ({policy.vendor}): {presences_text(policy, named)}", file=out)
    return 0


def _login(database: Any) -> str:
    """The person a command acts for when ``--as`` is not given: on PostgreSQL the database
    login (the console's identity there); SQLite has no users."""
    if database.is_sqlite:
        raise UsageError(
            "presences set: say which team lead names them with --as NAME "
            "(SQLite has no logins to tell)"
        )
    with database.engine.connect() as connection:
        return str(connection.exec_driver_sql("SELECT current_user").scalar_one())


def _new_password(name: str) -> str:
    """Asked for twice, never taken from the command line (shell history, ps)."""
    import getpass

    first = getpass.getpass(f"password for {name}: ")
    if first != getpass.getpass("again: "):
        raise UsageError("the passwords differ; nothing was changed")
    return first


def _open_text(path: Path, mode: str) -> TextIO:
    if mode == "r":
        return open(path, encoding="utf-8-sig", newline="")
    return open(path, "w", encoding="utf-8", newline="")


# --------------------------------------------------------------------------- policy check


def policy_check(files: Sequence[Path], out: IO[str]) -> int:
    """Validate each file: a summary line per good file, ``file: key.path: message`` per problem."""
    if not files:
        print("no policy files to check", file=out)
        return 1
    failed = False
    for path in files:
        problems: list[PolicyProblem] = []
        try:
            policy = load_policy(path)
        except PolicyError as error:
            problems.extend(error.problems)
            policy = None
        if policy is not None:
            problems.extend(check_quotes(path, policy.source_file))
        if problems:
            failed = True
            for problem in problems:
                print(problem, file=out)
            continue
        assert policy is not None
        timed = sum(1 for t in policy.targets if t.is_timed) + len(policy.escalations)
        print(
            f"{path}: ok: {policy.vendor}, {len(policy.plans)} plan(s), "
            f"{len(policy.severities)} severities, {timed} timed target(s), "
            f"{len(policy.calendars)} calendar(s), {len(policy.readings)} reading(s)",
            file=out,
        )
    return 1 if failed else 0


# --------------------------------------------------------------------------- policy show


def policy_show(policy: Policy, year: int, out: IO[str]) -> int:
    """Print a policy for a team lead: calendars, targets, readings and the rest."""
    from console.services.calendar_texts import hours_text, presences_text

    def line(text: str = "") -> None:
        print(text, file=out)

    effective = f", {policy.effective}" if policy.effective else ""
    line(f"{policy.vendor}: {policy.name} ({policy.source_file}{effective})")
    line()
    line("Calendars")
    for definition in policy.calendars.values():
        zone = definition.spec.get("timezone")
        line(f"  {definition.id}: {definition.label} ({zone})")
        line(f"    open: {hours_text(definition.spec)}")
        closed = definition.calendar.closed_days(date(year, 1, 1), date(year, 12, 31))
        if closed:
            days = ", ".join(f"{c.day:%d %b} {c.reason}" for c in closed)
            line(f"    closed in {year}: {days}")
        if definition.company_holidays:
            line("    company holiday periods kept in the console close it too")
            line(f"    presences: {presences_text(policy, ())}; their public holidays close it")
            line(
                "    (a team lead can name others for a database: "
                f"support-console --db URL presences set {policy.id} DE DE-BY)"
            )
        changes = _dst_changes(definition.calendar, year)
        if changes:
            line(f"    clock changes in {year}: {changes}")
    line()
    line("Targets")
    metrics = [
        m
        for m in Metric
        if m is not Metric.ESCALATION_RESPONSE and any(t.metric is m for t in policy.targets)
    ]
    for plan in policy.plans.values():
        line(
            f"  {plan.id}: {plan.name}"
            + (" (customer overrides allowed)" if plan.customizable else "")
        )
        for severity in policy.severities:
            cells = []
            for metric in metrics:
                target = policy.target(plan.id, severity.level, metric)
                cells.append(f"{metric.label.lower()} {_target_text(target)}")
            line(f"    {severity.level} {severity.name}: {'; '.join(cells)}")
    for escalation in policy.escalations:
        kind = "urgent" if escalation.urgent else "non-urgent"
        plans = ", ".join(sorted(escalation.plans)) if escalation.plans else "every plan"
        line(f"  escalation ({kind}, {plans}): {_target_text(escalation.target)}")
    if policy.pauses:
        line()
        line("Pauses")
        for paused_metric, statuses in policy.pauses.items():
            labels = ", ".join(sorted(s.label for s in statuses))
            line(f"  {paused_metric.label}: paused while {labels}")
    if policy.waivers:
        line()
        line("Waivers")
        for waiver in policy.waivers:
            metrics_text = ", ".join(sorted(m.label.lower() for m in waiver.metrics))
            line(f"  {waiver.id}: {waiver.name} (lifts: {metrics_text})")
    if policy.service_credits:
        line()
        line("Service credits")
        for credit in policy.service_credits:
            plans = ", ".join(sorted(credit.plans)) if credit.plans else "every plan"
            metrics_text = ", ".join(sorted(m.label.lower() for m in credit.metrics))
            line(
                f"  {plans}, {metrics_text}: {credit.credit_days} day(s) per started "
                f"{format_duration(credit.per)} over the target, for each failure "
                "(each clock cycle: each escalation, each update period)"
            )
    if policy.maintenance_windows:
        line()
        line("Maintenance windows")
        for window in policy.maintenance_windows:
            servers = f" ({window.servers})" if window.servers else ""
            line(f"  {window.region}{servers}: {window.describe()}")
    line()
    line("Severity changes")
    notify = (
        "the customer must be notified"
        if policy.severity_change.notify_customer
        else ("no notice required")
    )
    line(f"  {notify}")
    for rule in policy.severity_rules:
        to = f"to {rule.to_level}" if rule.to_level else "to a lower severity"
        levels = ", ".join(str(level) for level in sorted(rule.from_levels))
        line(f"  {rule.id}: {rule.name} (from {levels} {to})")
    line()
    line("Readings")
    for reading in policy.readings:
        line(f"  {reading.topic}: {reading.text}")
        line(f"    ({reading.source.clause}: \u201c{reading.source.quote}\u201d)")
    return 0


def _target_text(target: Target | None) -> str:
    return "none" if target is None else target.describe()


def _dst_changes(calendar: BusinessCalendar, year: int) -> str:
    zone = calendar.timezone
    changes = clock_changes(
        zone, datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    )
    return ", ".join(
        f"{when.astimezone(zone):%d %b} (UTC{_offset(after)})" for when, _, after in changes
    )


def _offset(value: timedelta | None) -> str:
    minutes = int((value or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --------------------------------------------------------------------------- due


def parse_instant(text: str, what: str = "start") -> datetime:
    """An ISO 8601 instant with a UTC offset (``Z`` allowed)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except (ValueError, AttributeError):
        raise UsageError(
            f"{what} {text!r} is not an ISO 8601 instant (such as 2026-11-25T17:30-08:00)"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"{what} {text!r} has no UTC offset: add one, such as -08:00 or Z")
    return value


def _answer(
    policies: dict[str, Policy],
    policy_id: object,
    plan: object,
    severity: object,
    metric: object,
    start: object,
    urgent: object = False,
) -> tuple[Policy, DueAnswer, datetime]:
    for name, value, kind in (
        ("policy", policy_id, str),
        ("plan", plan, str),
        ("severity", severity, int),
        ("metric", metric, str),
        ("start", start, str),
    ):
        if value is None:
            raise UsageError(f"{name} is missing")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise UsageError(
                f"{name} must be {'an integer' if kind is int else 'a string'}, "
                f"not {json.dumps(value)}"
            )
    if not isinstance(urgent, bool):
        raise UsageError(f"urgent must be true or false, not {json.dumps(urgent)}")
    assert isinstance(policy_id, str) and isinstance(plan, str) and isinstance(severity, int)
    assert isinstance(metric, str) and isinstance(start, str)
    policy = _policy(policies, policy_id)
    try:
        chosen = Metric(metric)
    except ValueError:
        raise UsageError(
            f"metric {metric!r} is not one of: {', '.join(m.value for m in Metric)}"
        ) from None
    instant = parse_instant(start)
    try:
        answer = due_for(policy, plan, severity, chosen, instant, urgent=urgent)
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    except DomainError as error:
        raise UsageError(str(error)) from None
    return policy, answer, instant


def _answer_json(policy: Policy, answer: DueAnswer) -> dict[str, Any]:
    target = answer.target
    calendar_id = target.calendar if target is not None else None
    local = None
    if answer.due is not None and answer.calendar is not None:
        local = answer.due.astimezone(answer.calendar.timezone).isoformat()
    return {
        "due": answer.due.isoformat() if answer.due is not None else None,
        "due_local": local,
        "target": format_duration(target.duration) if target and target.duration else None,
        "calendar": calendar_id,
        "best_effort": answer.best_effort,
        "kind": target.kind.value if target is not None else None,
        "channel": target.channel if target is not None else None,
        "policy": policy.id,
    }


def due_single(policies: dict[str, Policy], args: argparse.Namespace, out: IO[str]) -> int:
    policy, answer, start = _answer(
        policies, args.policy, args.plan, args.severity, args.metric, args.start, args.urgent
    )
    if args.json:
        print(json.dumps(_answer_json(policy, answer)), file=out)
        return 0
    target = answer.target
    severity = policy.severity(args.severity)
    print(
        f"{policy.vendor}, {args.plan}, {severity.name}, {Metric(args.metric).label.lower()}",
        file=out,
    )
    if target is None:
        print("no target: the policy sets none for this plan, severity and metric", file=out)
        return 0
    print(f"target: {target.describe()}", file=out)
    if answer.due is None or answer.calendar is None:
        return 0
    zone = answer.calendar.timezone
    print(f"start:  {start.astimezone(zone):%a %Y-%m-%d %H:%M %Z}", file=out)
    print(
        f"due:    {answer.due.astimezone(zone):%a %Y-%m-%d %H:%M %Z} ({answer.due.isoformat()})",
        file=out,
    )
    return 0


def due_batch(policies: dict[str, Policy], lines: Iterable[str], out: IO[str]) -> int:
    """Answer JSON lines in order; a bad line gets ``{"error": ...}`` and the rest go on."""
    failed = False
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            try:
                query = json.loads(text)
            except json.JSONDecodeError as error:
                raise UsageError(f"not JSON ({error.msg} at column {error.colno})") from None
            if not isinstance(query, dict):
                raise UsageError("expected a JSON object")
            unknown = sorted(
                set(query) - {"policy", "plan", "severity", "metric", "start", "urgent"}
            )
            if unknown:
                raise UsageError(f"unknown key(s): {', '.join(unknown)}")
            policy, answer, _ = _answer(
                policies,
                query.get("policy"),
                query.get("plan"),
                query.get("severity"),
                query.get("metric"),
                query.get("start"),
                query.get("urgent", False),
            )
            result = _answer_json(policy, answer)
        except UsageError as error:
            failed = True
            result = {"error": f"line {number}: {error}"}
        print(json.dumps(result), file=out)
    return 1 if failed else 0
