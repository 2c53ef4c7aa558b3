"""The command line. Qt is imported only when the window is asked for, so that
commands stay fast and run on machines without a display.

Every command runs inside one error boundary (:func:`console.cli_errors.guarded`): a failure
the console expects is one message on standard error naming what is wrong and where (the
file and line, the option, the key path, the database URL without its password), never a
traceback. The exit status says which kind of failure it was:

==  ========================================================================================
0   done
1   a check found problems: ``policy check`` with a bad file, ``due --batch`` with a bad
    line; or the command was refused for what it found (roles on SQLite, a schema newer
    than this version, a grant that would not come out exactly)
2   usage: an unknown command or option, or a value outside its range (the ranges are in
    the options' help: instants and years 1901-2399, ``--hours`` 1-168, ``--tickets``
    1-1,000,000)
3   bad input: a CSV file to import, a policy file, or data that cannot be used; every
    problem is listed as ``file: line N: column: message`` or ``file: key.path: message``
4   storage: a file or the SQLite database is locked, corrupt (not a database), read-only,
    full (no space left) or missing; nothing was half-written
5   the database server: unreachable, the login refused, or no database of that name
6   ``db verify`` found a ticket whose cached state differs from its history, or a row it
    cannot read (also with ``--repair``; verify again to see that all is well)
70  unexpected: a bug; standard error names the error and the log file that holds its
    traceback (``support-console.log`` in the user's log folder)
130 interrupted (Ctrl+C)
==  ========================================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TextIO

from console import __version__
from console.cli_errors import (
    ExitStatus,
    InputError,
    StorageError,
    UsageError,
    guarded,
    storage_failure,
)
from console.cli_mail import add_mail_parser, mail_command
from console.cli_report import add_report_parser, report_command
from console.domain.calendar import MAX_YEAR, MIN_YEAR, BusinessCalendar, clock_changes
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
from console.services.texts import NO_TIMED_TARGET, date_text, instant_text, target_text

POLICY_DIR_VARIABLE = "SUPPORT_CONSOLE_POLICIES"
# The ranges of what the commands accept, checked before anything is computed; instants
# and years otherwise lie in MIN_YEAR-MAX_YEAR, the years calendars answer for.
DEMO_YEARS = (1971, 2389)  # demo --now: histories from 1970 on, due instants before 2400
MAX_HOURS = 168  # handover --hours: a week
MAX_TICKETS = 1_000_000  # demo --tickets
# due --batch: what one line may hold.
MAX_LINE_BYTES = 64 * 1024
MAX_DIGITS = 20  # in a JSON number (int() refuses strings of over 4,300 digits)
MAX_DEPTH = 32  # nested arrays and objects (a query is an object of plain values)


def _bounded_int(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (both included)."""
    bounds = f"{low:,} to {high:,}" if high >= 10_000 else f"{low} to {high}"
    refusal = f"is not a whole number from {bounds}{what}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # not a number, or one of over 4,300 digits
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{_brief(text)} {refusal}")
        return value

    return parse


def _name(text: str) -> str:
    """An argparse type: a file name or URL, which cannot hold a NUL character."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError(f"{_brief(text)} holds a NUL character")
    return text


def _path(text: str) -> Path:
    return Path(_name(text))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-console",
        description="A desktop console for support teams working under contractual SLAs. "
        "Without a command, opens the console window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--policies",
        type=_path,
        metavar="DIR",
        help=f"folder of policy files (default: ${POLICY_DIR_VARIABLE} or the bundled policies/)",
    )
    parser.add_argument(
        "--db",
        type=_name,
        metavar="URL",
        help="database: a SQLite file path or URL, or postgresql://user@host/db "
        "(default: $SUPPORT_CONSOLE_DB or a SQLite file in your data folder)",
    )
    parser.add_argument(
        "--screenshot",
        type=_path,
        metavar="FILE",
        help="render the window offscreen on the current database to a PNG and exit",
    )
    parser.add_argument(
        "--view",
        choices=("queue", "detail", "handover", "new-ticket", "report"),
        default="queue",
        help="what --screenshot shows (default: queue)",
    )
    parser.add_argument(
        "--theme",
        choices=("light", "dark", "system"),
        help="the window's theme for this run (default: the one in Settings)",
    )
    parser.add_argument(
        "--language",
        choices=("en", "de"),
        help="the window's locale for this run: dates in its widgets follow it (default: the "
        "system's)",
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
        "grant",
        help="PostgreSQL: give a login an agent's or a lead's rights in the database",
        usage="%(prog)s NAME (--role {agent,lead} [--password] | --check)",
    )
    grant_cmd.add_argument("name", metavar="NAME", help="the login role, e.g. ana.ortiz")
    grant_cmd.add_argument(
        "--role", choices=[r.value for r in Role], help="the rights to give (unless --check)"
    )
    grant_cmd.add_argument(
        "--password", action="store_true", help="set the login's password (asked for twice)"
    )
    grant_cmd.add_argument(
        "--check",
        action="store_true",
        help="print the login's effective rights and what a grant would clear or refuse; "
        "change nothing",
    )
    recompute = db_commands.add_parser(
        "recompute",
        help="recompute every cached due instant, and store the report's clock outcomes that "
        "are missing or out of date (after a policy file changed or an upgrade)",
    )
    recompute.add_argument("--policy", metavar="ID", help="only the tickets of this policy")
    verify = db_commands.add_parser(
        "verify",
        help="recompute every ticket's cached state from its history and list what differs",
        description="Recompute every ticket's next_due_at, queue summary, clock projection "
        "and clock outcomes from its whole history and list each ticket whose stored state "
        "differs, each invalid event and each row that cannot be read; exit status 6 when "
        "something drifted or cannot be read.",
    )
    verify.add_argument(
        "--repair",
        action="store_true",
        help="write the recomputed state of the tickets that drifted, in one transaction "
        "(invalid events are listed, never changed)",
    )

    demo = commands.add_parser("demo", help="fill an empty database with demo data")
    demo.add_argument(
        "--tickets",
        type=_bounded_int(1, MAX_TICKETS),
        default=500,
        metavar="N",
        help=f"how many (1 to {MAX_TICKETS:,}; default: 500)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="the same seed and --now give the same data",
    )
    demo.add_argument(
        "--now",
        metavar="ISO8601",
        help=f"the present for the demo's histories, {DEMO_YEARS[0]} to {DEMO_YEARS[1]} "
        "(default: now)",
    )

    importer = commands.add_parser("import", help="add tickets from a CSV file")
    importer.add_argument("file", type=_path, metavar="FILE.csv")
    exporter = commands.add_parser("export", help="write tickets to a CSV file")
    exporter.add_argument("file", type=_path, metavar="FILE.csv")
    exporter.add_argument("--open-only", action="store_true", help="only tickets not resolved")
    handover = commands.add_parser(
        "handover",
        help="export the handover board of a window on the current database (PDF, CSV or HTML)",
    )
    span = handover.add_mutually_exclusive_group()
    span.add_argument(
        "--hours",
        type=_bounded_int(1, MAX_HOURS, " (a week at most)"),
        metavar="N",
        help=f"the next N hours from now, 1 to {MAX_HOURS} (default: 8)",
    )
    span.add_argument(
        "--shift",
        metavar="NAME",
        help="a named shift (EMEA, AMER, APAC): the one in progress, else the next",
    )
    handover.add_argument("--format", choices=("pdf", "csv", "html"), required=True)
    handover.add_argument("-o", "--output", type=_path, required=True, metavar="FILE")
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

    explain = commands.add_parser(
        "explain",
        help="why a ticket's clocks stand where they do: what counted toward each target, "
        "what did not and why",
        description="Each clock of ticket KEY in the current database: where it stands, its "
        "target and due instant, then its timeline, a line per span (counted; closed, and why; "
        "paused, and by which status) or event (start, severity change, where the target ran "
        "out, stop). Computed by the same calendar and clock code as the clocks themselves.",
    )
    explain.add_argument("key", metavar="KEY", help="the ticket, e.g. ZIT-1234")
    explain.add_argument(
        "--at",
        metavar="ISO8601",
        help="the clocks as they stood then, with a UTC offset, e.g. 2026-11-25T17:30-08:00 "
        f"({MIN_YEAR} to {MAX_YEAR}; default: now)",
    )
    explain.add_argument(
        "--zone",
        metavar="IANA",
        help="time zone of the times shown, e.g. Europe/Zurich (default: that of the ticket "
        "policy's calendars; UTC when they differ)",
    )
    explain.add_argument(
        "--all-cycles",
        action="store_true",
        help="every cycle of a recurring clock in full (default: the current one in full, "
        "earlier ones a line each)",
    )

    add_mail_parser(commands)
    add_report_parser(commands, _path)

    policy = commands.add_parser("policy", help="check or show support policies")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    check = policy_commands.add_parser(
        "check", help="validate policy files (all of the policy folder by default)"
    )
    check.add_argument("files", nargs="*", type=_path, metavar="FILE")
    show = policy_commands.add_parser("show", help="print a policy: calendars, targets, readings")
    show.add_argument("policy_id", metavar="ID")
    show.add_argument(
        "--year",
        type=_bounded_int(MIN_YEAR, MAX_YEAR, " (the years calendars answer for)"),
        help=f"year of the closed dates shown, {MIN_YEAR} to {MAX_YEAR} (default: this year)",
    )

    due = commands.add_parser(
        "due",
        help="the due instant of a clock that starts at a given instant",
        description="The due instant of an SLA clock that starts at --start and never pauses. "
        "With --batch, reads JSON lines with keys policy, plan, severity, metric, start (and "
        "optionally urgent) and writes one JSON object per line, in order; a bad line gets "
        '{"error": "line N: ..."} and the rest go on (the exit status is then 1). Lines are '
        f"UTF-8 (a byte order mark may start the file), at most {MAX_LINE_BYTES // 1024} KiB, "
        f"with numbers of at most {MAX_DIGITS} digits nested at most {MAX_DEPTH} deep; blank "
        "lines are skipped.",
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
        "--start",
        metavar="ISO8601",
        help=f"with a UTC offset, e.g. 2026-11-25T17:30-08:00 ({MIN_YEAR} to {MAX_YEAR})",
    )
    due.add_argument(
        "--urgent", action="store_true", help="an urgent escalation (escalation_response)"
    )
    due.add_argument("--json", action="store_true", help="print one JSON object")
    due.add_argument(
        "--batch",
        type=_name,
        metavar="FILE",
        help="JSON lines to answer ('-' for standard input)",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    """Run the command ``argv`` asks for; its exit status (the list is in the module
    docstring). Never raises and never prints a traceback."""
    return guarded(lambda: _run(argv), argv)


def _run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        from console.app import run_gui

        return run_gui(
            db_url=args.db,
            screenshot=args.screenshot,
            view=args.view,
            demo_if_empty=args.demo,
            theme=args.theme,
            language=args.language,
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
        if args.command in (
            "db",
            "demo",
            "import",
            "export",
            "handover",
            "presences",
            "explain",
            "mail",
            "report",
        ):
            return database_command(args, policies, out)
        if args.command == "due":
            if args.batch:
                with _batch_source(args.batch) as source:
                    return due_batch(policies, source, out)
            return due_single(policies, args, out)
    finally:
        _flush(out)
    parser.error(f"unknown command {args.command!r}")
    return 2


def _flush(out: IO[str]) -> None:
    """Write what is buffered now, so that a full disk is reported by the command."""
    try:
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        if error.filename is None:
            error.filename = "standard output"
        raise


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _brief(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(_shorten(text))


def _policy(policies: dict[str, Policy], policy_id: str) -> Policy:
    try:
        return policies[policy_id]
    except KeyError:
        raise UsageError(
            f"no policy {_brief(policy_id)} (policies: {', '.join(sorted(policies))})"
        ) from None


# --------------------------------------------------------------------------- database


def database_command(args: argparse.Namespace, policies: dict[str, Policy], out: IO[str]) -> int:
    """``db``, ``demo``, ``import``, ``export`` and ``handover``: each is one unit of work.

    A storage failure (a locked, full, read-only, corrupt or missing file; a server that
    cannot be reached) is raised as a :class:`~console.cli_errors.StorageError` naming the
    file or the database URL without its password."""
    from console.adapters.database import (
        Database,
        DatabaseError,
        DatabaseMissingError,
        describe,
    )
    from console.adapters.sql import SqlUnitOfWork
    from console.adapters.storage_errors import StorageKind, StorageProblem
    from console.services.tickets import PolicyBook

    if args.command == "db" and args.db_command == "grant":
        _grant_arguments(args)
    # Only the commands that build a database make a missing SQLite file: a command that
    # reads one (export, status ...) names the missing file instead of creating an empty one.
    builds = args.command == "demo" or (args.command == "db" and args.db_command == "upgrade")
    try:
        database = Database.open(args.db, create=builds)
    except DatabaseMissingError as error:
        problem = StorageProblem(StorageKind.MISSING, str(error))
        raise StorageError(problem) from None
    except DatabaseError as error:  # not a database URL, or a bad $SUPPORT_CONSOLE_... value
        raise UsageError(str(error)) from None
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
            from console.adapters.grants import NoSuchLoginError, check, grant

            try:
                if args.check:
                    try:
                        lines = check(database, args.name)
                    except NoSuchLoginError as error:
                        raise InputError([str(error)]) from None
                    for line in lines:
                        print(line, file=out)
                    return 0
                password = _new_password(args.name) if args.password else None
                cleared = grant(database, args.name, Role(args.role), password)
            except ValueError as error:  # the login name or the password
                if isinstance(error, DomainError):
                    raise
                raise UsageError(str(error)) from None
            where = describe(database.url)
            print(f"{where}: {args.name} has the {args.role} rights", file=out)
            for done in cleared:
                print(f"{where}: {done}", file=out)
            return 0
        database.ensure_schema()
        book = PolicyBook(policies)
        if args.command == "db" and args.db_command == "recompute":
            from console.services.commands import RecomputeDue
            from console.services.handlers import handle

            if args.policy is not None:
                _policy(policies, args.policy)
            command = RecomputeDue(args.policy)
            changed = handle(command, SqlUnitOfWork(database), book, actor=None)
            print(f"{describe(database.url)}: {changed:,} due instant(s) changed", file=out)
            return 0
        if args.command == "db" and args.db_command == "verify":
            return db_verify(args, database, book, describe(database.url), out)
        if args.command == "demo":
            from console.services.demo import load_demo

            now = (
                parse_instant(args.now, "--now", years=DEMO_YEARS)
                if args.now
                else datetime.now().astimezone()
            )
            started = time.perf_counter()
            try:
                data = load_demo(
                    SqlUnitOfWork(database), book, tickets=args.tickets, seed=args.seed, now=now
                )
            except ValueError as error:  # the database is not empty
                if isinstance(error, DomainError):
                    raise
                raise UsageError(str(error)) from None
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
        if args.command == "explain":
            return explain_command(args, database, book, out)
        if args.command == "mail":
            return mail_command(args, database, book, out)
        if args.command == "report":
            return report_command(args, database, book, out)
        from console.services.transfer import TicketImportError, export_tickets, import_tickets

        if args.command == "import":
            with open(args.file, encoding="utf-8-sig", newline="") as source:
                try:
                    count = import_tickets(SqlUnitOfWork(database), book, source)
                except TicketImportError as error:
                    raise InputError(f"{args.file}: {p}" for p in error.problems) from None
            print(f"{args.file}: {count:,} tickets imported", file=out)
            return 0
        with _replacing(args.file) as destination:
            count = export_tickets(
                SqlUnitOfWork(database, write=False), destination, open_only=args.open_only
            )
        print(f"{args.file}: {count:,} tickets exported", file=out)
        return 0
    except (UsageError, InputError):
        raise
    except Exception as error:
        failure = storage_failure(error, database.url)
        if failure is None:
            raise
        raise failure from error
    finally:
        database.dispose()


def _grant_arguments(args: argparse.Namespace) -> None:
    """``db grant NAME --role R [--password]`` or ``db grant NAME --check``."""
    if args.check and (args.role is not None or args.password):
        raise UsageError(
            "db grant --check only shows a login's rights and changes nothing: give it "
            "without --role and --password (db grant NAME --check)"
        )
    if not args.check and args.role is None:
        raise UsageError(
            "db grant needs --role agent or --role lead (or --check to show the login's "
            "rights): db grant NAME --role agent|lead [--password]"
        )


def handover_export(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    """The handover board of a window on the current database, written as PDF, CSV or HTML.
    Qt is imported only for a PDF (drawn offscreen unless QT_QPA_PLATFORM says otherwise)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from dateutil.tz import tzlocal

    from console.adapters.sql import SqlUnitOfWork
    from console.services.handover import shift_named, window_for
    from console.services.views import Board

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

    try:
        count = export(board, zone, args.format, args.output)
    except OSError as error:
        if error.filename is None:  # raised on closing the file
            error.filename = str(args.output)
        raise
    print(
        f"{args.output}: {count:,} tickets in the handover for {window_text(board, zone)}",
        file=out,
    )
    return 0


def db_verify(args: argparse.Namespace, database: Any, book: Any, where: str, out: IO[str]) -> int:
    """``db verify [--repair]``: one line per drifted ticket, invalid event and unreadable
    row, then (with ``--repair``) what was written, and a summary line with the counts.
    Exit status :attr:`ExitStatus.DRIFT` when a ticket's state drifted or cannot be
    recomputed (also when repaired: a second verify says whether all is well now), else 0."""
    from console.adapters.sql import SqlUnitOfWork
    from console.services.verify import repair, verify

    found = verify(SqlUnitOfWork(database, write=False), book)
    for line in found.lines():
        print(line, file=out)
    if args.repair:
        found = repair(SqlUnitOfWork(database), book, found)
        for key in found.repaired:
            print(f"{key}: repaired", file=out)
        for key in found.left:
            print(f"{key}: edited since the check, left to its edit (verify again)", file=out)
    print(f"{where}: {found.summary_line()}", file=out)
    return ExitStatus.OK if found.clean else ExitStatus.DRIFT


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


def explain_command(args: argparse.Namespace, database: Any, book: Any, out: IO[str]) -> int:
    """``explain KEY [--at INSTANT] [--zone IANA] [--all-cycles]``: each clock of the ticket
    and its timeline, a line per span or event. An unknown KEY is bad input (exit 3)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from console.adapters.database import describe
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.errors import NotFoundError
    from console.services.explain import ExplainTicket, explanation_lines

    at = parse_instant(args.at, "--at") if args.at else None
    try:
        chosen = ZoneInfo(args.zone) if args.zone else None
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--zone {_brief(args.zone)} is not an IANA time zone (such as Europe/Zurich)"
        ) from None
    try:
        found = ExplainTicket(args.key, at).run(SqlUnitOfWork(database, write=False), book)
    except NotFoundError:
        raise InputError(
            [f"explain: no ticket {_brief(args.key)} in {describe(database.url)}"]
        ) from None
    if chosen is not None:
        zone, note = chosen, "--zone"
    else:
        zone = ZoneInfo(found.zone)
        note = (
            "the zone of the policy's calendars"
            if found.zone != "UTC"
            else "the policy's calendars are in several zones; --zone to choose"
        )
    for line in explanation_lines(found, zone, note, all_cycles=args.all_cycles):
        print(line, file=out)
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


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """A text file that takes the place of ``path`` once it is complete: written next to it
    and renamed over it, so that a full disk or any failure leaves ``path`` as it was.
    Devices and pipes (``/dev/stdout``) are written directly."""
    direct = path.exists() and not path.is_file()
    temporary = path if direct else path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(temporary, "w" if direct else "x", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            if not direct:
                os.fsync(stream.fileno())
        if not direct:
            os.replace(temporary, path)
    except BaseException as error:
        if not direct:
            with suppress(OSError):
                temporary.unlink()
        if isinstance(error, OSError) and error.filename in (None, str(temporary)):
            error.filename = str(path)  # the file the user named, not the temporary one
        raise


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
            days = ", ".join(f"{date_text(c.day)} {c.reason}" for c in closed)
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
                cells.append(f"{metric.label.lower()} {_target_text(target, policy)}")
            line(f"    {severity.level} {severity.name}: {'; '.join(cells)}")
    for escalation in policy.escalations:
        kind = "urgent" if escalation.urgent else "non-urgent"
        plans = ", ".join(sorted(escalation.plans)) if escalation.plans else "every plan"
        line(f"  escalation ({kind}, {plans}): {_target_text(escalation.target, policy)}")
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


def _target_text(target: Target | None, policy: Policy) -> str:
    return "none" if target is None else target_text(target, policy)


def _dst_changes(calendar: BusinessCalendar, year: int) -> str:
    zone = calendar.timezone
    changes = clock_changes(
        zone, datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    )
    return ", ".join(
        f"{date_text(when.astimezone(zone).date())} (UTC{_offset(after)})"
        for when, _, after in changes
    )


def _offset(value: timedelta | None) -> str:
    minutes = int((value or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --------------------------------------------------------------------------- due


def parse_instant(
    text: str, what: str = "start", *, years: tuple[int, int] = (MIN_YEAR, MAX_YEAR)
) -> datetime:
    """An ISO 8601 instant with a UTC offset (``Z`` allowed), in UTC between the start of
    the first of ``years`` and the end of the last (by default the years calendars answer
    for)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except (ValueError, AttributeError):
        raise UsageError(
            f"{what} {_brief(text)} is not an ISO 8601 instant (such as 2026-11-25T17:30-08:00)"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"{what} {_brief(text)} has no UTC offset: add one, such as -08:00 or Z")
    first, last = years
    try:
        inside = datetime(first, 1, 1, tzinfo=UTC) <= value < datetime(last + 1, 1, 1, tzinfo=UTC)
    except OverflowError:  # the offset takes it past year 1 or 9999
        inside = False
    if not inside:
        raise UsageError(f"{what} {_brief(text)} is outside the years {first}-{last}")
    return value


def _answer(
    policies: dict[str, Policy],
    policy_id: object,
    plan: object,
    severity: object,
    metric: object,
    start: object,
    urgent: object = False,
    *,
    option: str = "",
) -> tuple[Policy, DueAnswer, datetime]:
    """The answer to one query; ``option`` is ``"--"`` when the values came from options."""
    for name, value, kind in (
        ("policy", policy_id, str),
        ("plan", plan, str),
        ("severity", severity, int),
        ("metric", metric, str),
        ("start", start, str),
    ):
        if value is None:
            raise UsageError(f"{option}{name} is missing")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise UsageError(
                f"{name} must be {'an integer' if kind is int else 'a string'}, "
                f"not {_json_brief(value)}"
            )
    if not isinstance(urgent, bool):
        raise UsageError(f"urgent must be true or false, not {_json_brief(urgent)}")
    assert isinstance(policy_id, str) and isinstance(plan, str) and isinstance(severity, int)
    assert isinstance(metric, str) and isinstance(start, str)
    policy = _policy(policies, policy_id)
    try:
        chosen = Metric(metric)
    except ValueError:
        raise UsageError(
            f"metric {_brief(metric)} is not one of: {', '.join(m.value for m in Metric)}"
        ) from None
    instant = parse_instant(start, f"{option}start")
    try:
        answer = due_for(policy, plan, severity, chosen, instant, urgent=urgent)
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    except DomainError as error:  # CalendarRangeError: no open time before 2400, and others
        raise UsageError(str(error)) from None
    except OverflowError:
        raise UsageError(
            f"{option}start {_brief(start)}: the due instant lies beyond the year {MAX_YEAR}"
        ) from None
    return policy, answer, instant


def _json_brief(value: object, limit: int = 60) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


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
        policies,
        args.policy,
        args.plan,
        args.severity,
        args.metric,
        args.start,
        args.urgent,
        option="--",
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
        print(
            f"{NO_TIMED_TARGET}: the policy sets none for this plan, severity and metric", file=out
        )
        return 0
    print(f"target: {_target_text(target, policy)}", file=out)
    if answer.due is None or answer.calendar is None:
        return 0
    zone = answer.calendar.timezone
    print(f"start:  {instant_text(start, zone)}", file=out)
    print(f"due:    {instant_text(answer.due, zone)} ({answer.due.isoformat()})", file=out)
    return 0


@contextmanager
def _batch_source(name: str) -> Iterator[IO[bytes] | IO[str]]:
    """The bytes of the file ``name``, or of standard input for ``-`` (left open)."""
    if name != "-":
        with open(name, "rb") as stream:
            yield stream
        return
    yield getattr(sys.stdin, "buffer", sys.stdin)


@dataclass(frozen=True)
class _BadLine:
    """A line that cannot be read as text; ``reason`` says why."""

    reason: str


def _batch_lines(source: IO[bytes] | IO[str] | Iterable[str]) -> Iterator[str | _BadLine]:
    """The lines of ``source`` (ending at ``\n``), each decoded as UTF-8 on its own, a byte
    order mark allowed at the start; a line of over :data:`MAX_LINE_BYTES` is skipped to
    its end without being held in memory."""
    readline = getattr(source, "readline", None)
    if readline is None:  # already text, one item a line
        for text in source:
            assert isinstance(text, str)
            too_long = len(text.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES
            yield _BadLine(f"longer than {MAX_LINE_BYTES:,} bytes") if too_long else text
        return
    first = True
    while True:
        line = readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        newline = b"\n" if isinstance(line, bytes) else "\n"
        if len(line) > MAX_LINE_BYTES and not line.endswith(newline):
            while line and not line.endswith(newline):
                line = readline(MAX_LINE_BYTES)
            yield _BadLine(f"longer than {MAX_LINE_BYTES:,} bytes")
        elif isinstance(line, bytes):
            yield _decode_line(line.removeprefix(b"\xef\xbb\xbf") if first else line, first=first)
        else:
            yield line.removeprefix("\ufeff") if first else line
        first = False


def _decode_line(line: bytes, *, first: bool = False) -> str | _BadLine:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        if first and line.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _BadLine("not UTF-8 text: the file is UTF-16; save it as UTF-8")
        byte = line[error.start : error.start + 1].hex().upper()
        return _BadLine(
            f"not UTF-8 text (byte 0x{byte} at column {error.start + 1}: {error.reason})"
        )


class _NumberTooLongError(Exception):
    """A JSON number with more than MAX_DIGITS digits."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _NumberTooLongError
    return int(text)


def _float(text: str) -> float:
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise _NumberTooLongError
    return float(text)


_QUERY_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (brackets in strings aside)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # cannot nest deeper: the common case, without a scan
    deepest = depth = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _query(text: str) -> object:
    """One line's JSON value; UsageError for what is not JSON or goes beyond the limits."""
    if _depth(text) > MAX_DEPTH:
        raise UsageError(f"nested deeper than {MAX_DEPTH} levels")
    try:
        return _QUERY_DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"not JSON ({error.msg} at column {error.colno})") from None
    except _NumberTooLongError:
        raise UsageError(f"a number has more than {MAX_DIGITS} digits") from None
    except RecursionError:  # kept out by _depth; a guard all the same
        raise UsageError("nested too deeply") from None


def due_batch(
    policies: dict[str, Policy], source: IO[bytes] | IO[str] | Iterable[str], out: IO[str]
) -> int:
    """Answer JSON lines in order; a bad line gets ``{"error": "line N: ..."}`` and the rest go
    on. Blank lines are skipped (but counted). 1 when a line was bad, else 0."""
    failed = False
    for number, line in enumerate(_batch_lines(source), start=1):
        if isinstance(line, str) and not line.strip():
            continue
        try:
            if isinstance(line, _BadLine):
                raise UsageError(line.reason)
            query = _query(line)
            if not isinstance(query, dict):
                raise UsageError("expected a JSON object")
            unknown = sorted(
                set(query) - {"policy", "plan", "severity", "metric", "start", "urgent"}
            )
            if unknown:
                raise UsageError(f"unknown key(s): {', '.join(map(_shorten, unknown))}")
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
