"""``support-console explain KEY``: a ticket's clocks and their timelines from a SQLite
database, in the zone of the policy's calendars unless told otherwise; an unknown key is bad
input (exit 3) in one line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.cli import main
from console.cli_errors import ExitStatus
from console.domain.model import Customer, EventKind, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.services.explain import ExplainTicket, explanation_lines
from console.services.tickets import PolicyBook

ZURICH = ZoneInfo("Europe/Zurich")
SUBMITTED = datetime(2026, 11, 20, 14, 0, tzinfo=ZURICH)  # a Friday afternoon


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A SQLite file holding one ZITADEL extended ticket, S3, submitted Fri 20 Nov 2026 14:00
    Zurich time and not answered."""
    path = tmp_path / "console.sqlite3"
    db = Database.open(str(path))
    db.upgrade()
    uow = SqlUnitOfWork(db)
    with uow:
        uow.customers.add(Customer("Acme AG", "zitadel", "extended"))
        created = TicketEvent(EventKind.CREATED, SUBMITTED, {"severity": 3, "status": "open"})
        ticket = Ticket("ZIT-1", "Login loops", "Acme AG", 3, Status.OPEN, SUBMITTED)
        uow.tickets.add(ticket, [created])
        uow.commit()
    db.dispose()
    return str(path)


def row(when: str, length: str, text: str) -> str:
    """A timeline line: the span or instant, the time it lasted (right-aligned), what it was;
    columns as wide as the widest entry (here 35 and 7 characters)."""
    return f"    {when:<35}  {length:>7}  {text}"


def test_explain_prints_each_clock_and_its_timeline(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--db", database, "explain", "ZIT-1", "--at", "2026-11-24T10:30+01:00"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "ZIT-1: Login loops (Acme AG; ZITADEL, extended)",
        "as of Tue 24 Nov 2026 10:30 CET; times in Europe/Zurich (the zone of the policy's "
        "calendars)",
        "",
        "Initial response: breached, overdue 2h 30m (business time) \u00b7 10 service-credit days",
        "  S3; target 12 business hours on ZITADEL business hours; due earlier today 08:00",
        "  14h 30m counted against 12 business hours on ZITADEL business hours \u00b7 3d 6h closed",
        row(
            "Fri 20 Nov 14:00",
            "",
            "started: ticket submitted (S3, target 12 business hours on ZITADEL business hours)",
        ),
        row("Fri 20 Nov 14:00\u201317:00", "3h 00m", "counted"),
        row(
            "Fri 20 Nov 17:00 \u2013 Mon 23 Nov 08:00",
            "2d 15h",
            "closed until Mon 23 Nov 08:00: weekend",
        ),
        row("Mon 23 Nov 08:00\u201317:00", "9h 00m", "counted"),
        row(
            "Mon 23 Nov 17:00 \u2013 Tue 24 Nov 08:00",
            "15h 00m",
            "closed until Tue 24 Nov 08:00: outside support hours",
        ),
        row(
            "Tue 24 Nov 08:00",
            "",
            "target ran out: due after 12 business hours; overdue 2h 30m (business time)",
        ),
        row("Tue 24 Nov 08:00\u201310:30", "2h 30m", "counted, over the target"),
        row(
            "Tue 24 Nov 10:30",
            "",
            "now: breached, overdue 2h 30m (business time) \u00b7 10 service-credit days",
        ),
    ]


def test_explain_shows_another_zone_when_asked(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    at = "2026-11-24T10:30+01:00"
    code, out, _ = run(
        capsys, "--db", database, "explain", "ZIT-1", "--at", at, "--zone", "America/New_York"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "as of Tue 24 Nov 2026 04:30 EST; times in America/New_York (--zone)"
    assert lines[6].startswith("    Fri 20 Nov 08:00 ")


def test_the_command_prints_what_the_query_explains(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line adds nothing of its own: its lines are the service's."""
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    code, out, _ = run(capsys, "--db", database, "explain", "ZIT-1", "--at", at.isoformat())
    db = Database.open(database)
    try:
        found = ExplainTicket("ZIT-1", at).run(
            SqlUnitOfWork(db, write=False), PolicyBook(load_policies())
        )
    finally:
        db.dispose()
    expected = explanation_lines(found, ZURICH, "the zone of the policy's calendars")
    assert code == 0 and out.splitlines() == expected


def test_an_unknown_key_is_bad_input_in_one_line(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", database, "explain", "ZIT-404")
    assert code == ExitStatus.BAD_INPUT
    assert out == ""
    assert err.splitlines() == [
        f"support-console: explain: no ticket 'ZIT-404' in sqlite:///{database}"
    ]


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--zone", "Mars/Olympus", "--zone 'Mars/Olympus' is not an IANA time zone"),
        ("--at", "next tuesday", "--at 'next tuesday' is not an ISO 8601 instant"),
        ("--at", "2026-11-24T10:30", "--at '2026-11-24T10:30' has no UTC offset"),
    ],
)
def test_a_bad_zone_or_instant_is_a_usage_error(
    database: str, capsys: pytest.CaptureFixture[str], option: str, value: str, says: str
) -> None:
    code, _, err = run(capsys, "--db", database, "explain", "ZIT-1", option, value)
    assert code == ExitStatus.USAGE
    assert says in err and len(err.splitlines()) == 1
