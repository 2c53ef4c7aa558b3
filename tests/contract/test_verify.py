"""Rows that make no sense, written straight into real databases as their owner could, and
``db verify``: a bad row or event affects no other ticket and breaks nothing that reads its
own (the queue, the detail pane, actions, export, the report, History); ``db verify``
finds every kind of drift and each invalid event, and ``--repair`` fixes what is derived.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlTicketRepository, SqlUnitOfWork
from console.adapters.sql_rows import EVENTS, TICKETS
from console.cli import main
from console.cli_errors import ExitStatus
from console.domain.model import AuditFilter, QueueGroup, QueueSummary, Status, Ticket
from console.domain.policy import load_policies
from console.services.commands import AddNote
from console.services.demo import load_demo
from console.services.event_text import event_words
from console.services.handlers import handle
from console.services.tickets import PolicyBook
from console.services.transfer import export_tickets
from console.services.verify import Verification, repair, verify
from console.services.views import Audit, Detail, QueueRows, Report
from history import recompute_due

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)  # the checks run later than the demo was made
ROWS = "console.adapters.sql_rows"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def demo(database: Database, book: PolicyBook) -> Database:
    load_demo(SqlUnitOfWork(database, now=FakeTime(NOW)), book, tickets=120, seed=7, now=NOW)
    return database


def uow(database: Database, *, write: bool = False) -> SqlUnitOfWork:
    return SqlUnitOfWork(database, write=write, now=FakeTime(LATER))


def tickets(database: Database) -> dict[str, Ticket]:
    with uow(database) as reading:
        return {t.key: t for t in reading.tickets.list(open_only=False)}


def states(database: Database) -> dict[str, tuple[Any, ...]]:
    return {k: (t.next_due_at, t.summary, t.status) for k, t in tickets(database).items()}


def plans(database: Database) -> dict[str, str | None]:
    with database.engine.connect() as connection:
        return dict(connection.execute(select(TICKETS.c.key, TICKETS.c.clock_plan)).all())


def counting(database: Database) -> list[str]:
    """Open tickets whose plan has a clock, in key order."""
    found = plans(database)
    return sorted(
        k
        for k, t in tickets(database).items()
        if t.is_open and t.summary.kind is QueueGroup.DUE and not str(found[k]).endswith(",[]]")
    )


def set_row(database: Database, key: str, **values: Any) -> None:
    """As the database's owner: change a ticket row, whatever the console would say."""
    with database.write_engine.begin() as connection:
        connection.execute(update(TICKETS).where(TICKETS.c.key == key).values(**values))


def add_event(database: Database, key: str, kind: str, at: datetime, data: Any) -> None:
    """As the database's owner: append any event to a ticket's history."""
    with database.write_engine.begin() as connection:
        ticket_id = connection.execute(
            select(TICKETS.c.id).where(TICKETS.c.key == key)
        ).scalar_one()
        connection.execute(
            insert(EVENTS).values(
                ticket_id=ticket_id, kind=kind, at=at, actor=None, data=data, recorded_at=at
            )
        )


def checked(database: Database, book: PolicyBook) -> Verification:
    return verify(uow(database), book)


def warned(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == ROWS)


# --------------------------------------------------------------------------- clock plans


@pytest.mark.allow_log("clock_plan cannot be read", logger=ROWS)
def test_a_bad_plan_moves_no_other_ticket(
    demo: Database, book: PolicyBook, caplog: pytest.LogCaptureFixture
) -> None:
    """One plan holding an extra entry, and two that make one entry together (as one JSON
    document of all plans these shift the ones between them by one, and the count still
    matches): every other ticket keeps its due instant and summary through a recompute,
    the queue loads whole, and each bad one is named by its key."""
    before = states(demo)
    keys = counting(demo)
    assert len(keys) >= 6
    split, merged_a, merged_b = keys[1], keys[-3], keys[-2]
    stored = plans(demo)
    text_b = stored[merged_b]
    assert text_b is not None
    cut = text_b.rindex(",")
    set_row(demo, split, clock_plan=f"{stored[split]},{stored[keys[0]]}")
    set_row(demo, merged_a, clock_plan=text_b[:cut])
    set_row(demo, merged_b, clock_plan=text_b[cut + 1 :])

    with uow(demo) as reading:
        queue = QueueRows().read(reading, book.current(reading), LATER)
    assert len(queue) == sum(1 for t in tickets(demo).values() if t.is_open)
    found = checked(demo, book)
    bad = {split, merged_a, merged_b}
    assert {f.key for f in found.unreadable} == bad
    assert all("clock_plan cannot be read" in f.text for f in found.unreadable)
    assert {d.key for d in found.drifted} == bad
    for key in bad:
        assert f"ticket {key}: clock_plan cannot be read" in warned(caplog)

    assert recompute_due(uow(demo, write=True), book) == 0
    assert states(demo) == before  # the bad ones too: recomputed from their histories
    assert checked(demo, book).lines() == []


# --------------------------------------------------------------------------- ticket rows


@pytest.mark.allow_log("is not a status: read as open", "queue summary cannot be read", logger=ROWS)
def test_an_unknown_status_or_summary_keeps_the_queue_whole(
    demo: Database, book: PolicyBook, caplog: pytest.LogCaptureFixture
) -> None:
    open_keys = sorted(k for k, t in tickets(demo).items() if t.is_open)
    status_key, *summary_keys = open_keys[:6]
    set_row(demo, status_key, status="archived")
    bad_columns: list[dict[str, Any]] = [
        {"clock_kind": "bogus"},
        {"clock_metric": "speed"},
        {"clock_paused_by": "nap", "clock_kind": "paused"},
        {"clock_target_s": -60},
        {"clock_paused_left_s": -5},
    ]
    for key, values in zip(summary_keys, bad_columns, strict=True):
        set_row(demo, key, **values)
    # Read as done, as it is: its summary must be rewritten all the same.
    done = next(
        k
        for k, t in sorted(tickets(demo).items())
        if not t.is_open and t.summary == QueueSummary() and t.next_due_at is None
    )
    set_row(demo, done, clock_kind="bogus")
    summary_keys.append(done)

    with uow(demo) as reading:
        current = book.current(reading)
        queue = {row.key: row for row in QueueRows().read(reading, current, LATER)}
        urgent = QueueRows(limit=500).read(reading, current, LATER)
    assert sorted(queue) == open_keys
    assert len(urgent) == len(open_keys)
    assert queue[status_key].ticket.status is Status.OPEN
    for key in [status_key, *summary_keys[:-1]]:  # the open ones the queue read
        assert f"ticket {key}: " in warned(caplog)

    found = checked(demo, book)
    assert {f.key for f in found.unreadable} == {status_key, *summary_keys}
    assert {d.key for d in found.drifted} == set(summary_keys)
    assert not found.clean
    assert "summary: stored cannot be read" in {d.key: d.line for d in found.drifted}[done]
    repair(uow(demo, write=True), book, found)
    again = checked(demo, book)
    assert again.drifted == () and again.clean
    assert [f.key for f in again.unreadable] == [status_key]  # a status is a person's to set
    with demo.engine.connect() as connection:
        kinds = connection.execute(select(TICKETS.c.clock_kind).where(TICKETS.c.key == done))
        assert kinds.scalar_one() == "done"


# --------------------------------------------------------------------------- events


def report_of(database: Database, book: PolicyBook) -> Any:
    since = NOW - timedelta(days=400)
    return Report(since, LATER).run(uow(database), book).lines


def exported(database: Database) -> str:
    out = io.StringIO()
    export_tickets(uow(database), out)
    return out.getvalue()


def test_events_that_make_no_sense_break_nothing(demo: Database, book: PolicyBook) -> None:
    """A no-op status change, malformed payloads, an unknown kind, a second 'created', an
    event before the submission and data that is not an object, stored in one ticket's
    history: its detail pane shows them marked and computes the clocks it had, export and
    the report read as before, an action works, and History lists them marked."""
    key = counting(demo)[0]
    ticket = tickets(demo)[key]
    clocks_before = Detail(key).run(uow(demo), book).clocks(LATER)
    events_before = Detail(key).run(uow(demo), book).events
    report_before, export_before = report_of(demo, book), exported(demo)

    at = NOW + timedelta(minutes=30)
    nonsense = [
        ("status_changed", at, {"status": ticket.status.value}),
        ("severity_changed", at, {"from": ticket.severity, "reason": "no target"}),
        ("status_changed", at, {"status": "bogus"}),
        ("merged", at, {"into": "ZIT-1"}),
        ("created", at, {"severity": 1}),
        ("responded", ticket.submitted_at - timedelta(days=1), {}),
        ("note", at, ["not", "an", "object"]),
    ]
    for kind, when, data in nonsense:
        add_event(demo, key, kind, when, data)

    detail = Detail(key).run(uow(demo), book)
    assert detail.clocks(LATER) == clocks_before
    assert detail.events[: len(events_before)] == events_before
    marked = detail.events[len(events_before) :]
    assert [e.invalid.kind for e in marked if e.invalid] == [kind for kind, _, _ in nonsense]
    assert all(event_words(e).details.startswith("invalid: ") for e in marked)
    assert report_of(demo, book) == report_before
    assert exported(demo) == export_before

    audit = Audit(AuditFilter(key=key)).run(uow(demo), book)
    assert sum(1 for r in audit.rows if r.event.invalid is not None) == len(nonsense)
    with uow(demo) as reading:
        assert reading.tickets.events_of([key])[key] == events_before

    assignee = ticket.assignee or "ana.ortiz"
    noted = handle(
        AddNote(key, ticket.version, "still here"), uow(demo, write=True), book, assignee
    )
    assert (noted.next_due_at, noted.summary) == (ticket.next_due_at, ticket.summary)

    found = checked(demo, book)
    assert found.drifted == () and found.clean
    assert [f.key for f in found.invalid_events] == [key] * len(nonsense)
    for (kind, _, _), finding in zip(nonsense, found.invalid_events, strict=True):
        assert f", {kind} at " in finding.text


# --------------------------------------------------------------------------- db verify


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out.splitlines()


def test_verify_on_a_clean_demo_database_reports_nothing(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made at an instant in the past, verified now: nothing differs (a projection made
    earlier gives the same due instants)."""
    db = ("--db", database_url)
    assert run(capsys, *db, "db", "upgrade")[0] == 0
    assert run(capsys, *db, "demo", "--tickets", "150", "--now", NOW.isoformat())[0] == 0
    code, lines = run(capsys, *db, "db", "verify")
    assert code == ExitStatus.OK
    [line] = lines
    assert "150 tickets verified in" in line
    assert line.endswith(": 0 drifted, 0 invalid event(s), 0 unreadable row(s)")


def test_verify_finds_each_drift_and_repair_fixes_what_is_derived(
    database_url: str, book: PolicyBook, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Database.open(database_url)
    try:
        database.upgrade()
        load_demo(uow(database, write=True), book, tickets=120, seed=11, now=NOW)
        due, summary, plan, other, event = counting(database)[:5]
        stored = plans(database)
        set_row(database, due, next_due_at=datetime(2099, 1, 1, tzinfo=UTC))
        target = tickets(database)[summary].summary.target
        assert target is not None
        set_row(database, summary, clock_target_s=int(target.total_seconds()) + 60)
        set_row(database, plan, clock_plan=stored[other])
        add_event(database, event, "status_changed", NOW, {"status": "open"})
    finally:
        database.dispose()

    code, lines = run(capsys, "--db", database_url, "db", "verify")
    assert code == ExitStatus.DRIFT == 6
    drifted = {line.split(":")[0]: line for line in lines if "stored" in line}
    assert sorted(drifted) == sorted([due, summary, plan])
    assert "next_due_at: stored 2099-01-01T00:00:00+00:00, recomputed 2026-" in drifted[due]
    assert "summary: stored due " in drifted[summary] and ", recomputed due " in drifted[summary]
    assert "projection: stored basis " in drifted[plan]
    assert any(
        line.startswith(f"{event}: event #") and "status is open already" in line for line in lines
    )
    assert lines[-1].endswith(": 3 drifted, 1 invalid event(s), 0 unreadable row(s)")

    code, lines = run(capsys, "--db", database_url, "db", "verify", "--repair")
    assert code == ExitStatus.DRIFT
    assert sorted(line for line in lines if line.endswith(": repaired")) == sorted(
        f"{key}: repaired" for key in (due, summary, plan)
    )
    assert re.search(r"; 3 repaired in \d+\.\d s$", lines[-1])

    code, lines = run(capsys, "--db", database_url, "db", "verify")
    assert code == ExitStatus.OK
    assert [line.split(":")[0] for line in lines[:-1]] == [event]  # history is append-only
    assert lines[-1].endswith(": 0 drifted, 1 invalid event(s), 0 unreadable row(s)")


def test_repair_recomputes_in_its_own_transaction_and_respects_versions(
    demo: Database, book: PolicyBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repair recomputes the drifted tickets again inside its transaction: one an edit
    put right since the check is left as it is, one another console changes while the repair
    runs (its version moved) is left to that edit, and the rest are written."""
    first, second, third = counting(demo)[:3]
    for key in (first, second, third):
        set_row(demo, key, next_due_at=datetime(2099, 1, 1, tzinfo=UTC))
    found = checked(demo, book)
    assert {d.key for d in found.drifted} == {first, second, third}
    ticket = tickets(demo)[first]
    handle(AddNote(first, ticket.version, "looked"), uow(demo, write=True), book, "ana.ortiz")

    seen = SqlTicketRepository.list

    def stale(self: SqlTicketRepository, **kwargs: Any) -> list[Ticket]:
        """The tickets as read just before another console's edit of ``second``."""
        found = seen(self, **kwargs)
        return [replace(t, version=t.version - 1) if t.key == second else t for t in found]

    monkeypatch.setattr(SqlTicketRepository, "list", stale)
    done = repair(uow(demo, write=True), book, found)
    monkeypatch.undo()
    assert (done.repaired, done.left, done.fixed_meanwhile) == ((third,), (second,), (first,))
    assert tickets(demo)[second].next_due_at == datetime(2099, 1, 1, tzinfo=UTC)
    assert tickets(demo)[third].next_due_at != datetime(2099, 1, 1, tzinfo=UTC)
    line = done.summary_line()
    assert "; 1 repaired, 1 edited meanwhile and left to their edits, 1 right again" in line
