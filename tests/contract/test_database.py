"""What only a real database can show, on SQLite and PostgreSQL: append-only history, the
schema, refusing a newer schema, waking listeners, and concurrent editing from processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from console.adapters.database import (
    BUSY_VARIABLE,
    Database,
    DatabaseError,
    DatabaseLockedError,
    busy_seconds,
    resolve_url,
)
from console.adapters.listen import ChangeFollower, listener_for
from console.adapters.records import Base
from console.adapters.sql import SqlUnitOfWork
from console.domain.errors import ConcurrentEditError
from console.domain.model import (
    Agent,
    Customer,
    EventKind,
    Role,
    Status,
    Ticket,
    TicketEvent,
)

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)


@pytest.fixture
def databases() -> Iterator[Callable[[str], Database]]:
    """Opens databases (upgraded) and disposes of them after the test."""
    opened: list[Database] = []

    def open_database(url: str, *, upgrade: bool = True) -> Database:
        database = Database.open(url)
        opened.append(database)
        if upgrade:
            database.upgrade()
        return database

    yield open_database
    for database in opened:
        database.dispose()


def seed(database: Database, tickets: int = 1) -> None:
    with SqlUnitOfWork(database) as uow:
        uow.agents.add(Agent("ana", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"))
        uow.customers.add(Customer("Acme AG", "zitadel", "extended"))
        uow.tickets.add_many(
            (
                Ticket(f"ZIT-{i}", "Login fails", "Acme AG", 2, Status.OPEN, T0),
                (TicketEvent(EventKind.CREATED, T0, {"severity": 2, "status": "open"}),),
            )
            for i in range(1, tickets + 1)
        )
        uow.commit()


def test_history_cannot_be_rewritten(
    database_url: str, databases: Callable[[str], Database]
) -> None:
    database = databases(database_url)
    seed(database)
    for statement in ("UPDATE ticket_events SET kind = 'note'", "DELETE FROM ticket_events"):
        with pytest.raises(DBAPIError, match="append-only"), database.write_engine.begin() as c:
            c.execute(text(statement))
    if database.dialect == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), database.write_engine.begin() as c:
            c.execute(text("TRUNCATE ticket_events CASCADE"))
    with SqlUnitOfWork(database, write=False) as uow:
        assert [e.kind for e in uow.tickets.get("ZIT-1").events] == [EventKind.CREATED]


def test_migrations_build_exactly_the_records_schema(
    database_url: str, databases: Callable[[str], Database]
) -> None:
    database = databases(database_url)
    assert not database.needs_upgrade()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_newer_schema_is_refused_without_damage(
    database_url: str, databases: Callable[[str], Database]
) -> None:
    database = databases(database_url)
    seed(database)
    with database.write_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    again = databases(database_url, upgrade=False)  # type: ignore[call-arg]
    with pytest.raises(DatabaseError, match="newer version"):
        again.upgrade()
    with SqlUnitOfWork(again, write=False) as uow:
        assert uow.tickets.count() == 1
    assert again.current_revision() == "9999_future"


def test_urls() -> None:
    assert resolve_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert resolve_url("/tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"
    with pytest.raises(DatabaseError, match="not supported"):
        resolve_url("mysql://u@h/db")


def test_a_commit_wakes_a_listener(database_url: str, databases: Callable[[str], Database]) -> None:
    database = databases(database_url)
    seed(database)
    follower = ChangeFollower(database)
    listener = listener_for(database)
    try:
        assert not listener.wait(0.2)
        writer = databases(database_url)

        def edit() -> None:
            time.sleep(0.2)
            with SqlUnitOfWork(writer) as uow:
                uow.tickets.update("ZIT-1", 1, title="Login loops")
                uow.commit()

        thread = threading.Thread(target=edit)
        thread.start()
        assert listener.wait(10)
        thread.join()
        changes = follower.poll()
        assert [(c.key, c.kind.value) for c in changes] == [("ZIT-1", "updated")]
        assert follower.poll() == []
    finally:
        listener.close()


def _edit_loop(
    url: str,
    worker: int,
    edits: int,
    keys: list[str],
    results: multiprocessing.Queue[tuple[int, int, int]],
) -> None:
    """A console process: read a ticket, then write it at the version read."""
    database = Database.open(url)
    landed = conflicts = 0
    for n in range(edits):
        key = keys[(worker + n) % len(keys)]
        with SqlUnitOfWork(database, write=False) as uow:
            version = uow.tickets.get(key, with_events=False).version
        try:
            with SqlUnitOfWork(database) as uow:
                uow.tickets.update(key, version, title=f"edit {worker}.{n}")
                uow.tickets.append_event(
                    key,
                    TicketEvent(
                        EventKind.NOTE,
                        T0 + timedelta(seconds=n),
                        {"text": f"{worker}.{n}"},
                        f"worker{worker}",
                    ),
                )
                uow.commit()
            landed += 1
        except ConcurrentEditError:
            conflicts += 1
    results.put((worker, landed, conflicts))
    database.dispose()


def test_concurrent_processes_lose_nothing(
    database_url: str, databases: Callable[[str], Database]
) -> None:
    """Given 4 processes x 60 edits on 5 shared tickets, every edit either lands (its
    version and its event are there) or is reported as a conflict; none is lost."""
    database = databases(database_url)
    seed(database, tickets=5)
    keys = [f"ZIT-{i}" for i in range(1, 6)]
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[int, int, int]] = context.Queue()
    workers, edits = 4, 60
    processes = [
        context.Process(target=_edit_loop, args=(database_url, w, edits, keys, results))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    landed = sum(o[1] for o in outcomes)
    conflicts = sum(o[2] for o in outcomes)
    assert landed + conflicts == workers * edits
    assert landed > 0
    with SqlUnitOfWork(database, write=False) as uow:
        tickets = uow.tickets.list(keys=keys)
        histories = uow.tickets.events_of(keys)
    # Each landed edit raised one ticket's version by one and added one note.
    assert sum(t.version - 1 for t in tickets) == landed
    assert sum(len(h) - 1 for h in histories.values()) == landed
    for ticket in tickets:
        assert len(histories[ticket.key]) - 1 == ticket.version - 1


def test_upgrading_from_the_first_revision_keeps_the_data(
    database_url: str, databases: Callable[[str], Database]
) -> None:
    """Given a database at revision 0001 holding a ticket, upgrading to the newest revision
    keeps it and fills the new columns with their defaults."""
    database = databases(database_url, upgrade=False)  # type: ignore[call-arg]
    config = database._config()
    with database.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with database.write_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customers (name, policy_id, plan, region, escalation_contact,"
                " overrides, version) VALUES ('Acme AG', 'zitadel', 'extended', '', '', '{}', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO tickets (key, title, customer_id, severity, status, submitted_at,"
                " waivers, version) VALUES ('ZIT-1', 'Old ticket', 1, 2, 'open',"
                " '2026-01-05 09:00:00', '[]', 1)"
            )
        )
    database.upgrade()
    assert database.current_revision() == database.head_revision()
    with SqlUnitOfWork(database, write=False) as uow:
        ticket = uow.tickets.get("ZIT-1", with_events=False)
    assert ticket.title == "Old ticket" and ticket.summary.kind.value == "done"


# --------------------------------------------------------------------------- a locked file


@pytest.fixture
def locked_file(tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """A SQLite console database (waiting 0.3 s for locks) and its file."""
    path = tmp_path / "console.sqlite3"
    database = Database.open(f"sqlite:///{path}", busy=0.3)
    database.upgrade()
    seed(database, tickets=2)
    yield database, path
    database.dispose()


def _edit(database: Database, title: str) -> None:
    with SqlUnitOfWork(database) as uow:
        version = uow.tickets.get("ZIT-1", with_events=False).version
        uow.tickets.update("ZIT-1", version, title=title)
        uow.tickets.append_event("ZIT-1", TicketEvent(EventKind.NOTE, T0, {"text": title}))
        uow.commit()


def _state(database: Database) -> tuple[str, int, int, int]:
    with SqlUnitOfWork(database, write=False) as uow:
        ticket = uow.tickets.get("ZIT-1")
        return ticket.title, ticket.version, len(ticket.events), uow.changes.latest()


def test_a_write_to_a_locked_sqlite_file_is_refused_clearly(
    locked_file: tuple[Database, Path],
) -> None:
    """Given another program holding the console's SQLite file locked for writing,
    When the console writes, it waits its busy time, then says the file is locked and that
    nothing was saved; reading goes on; nothing is half-written; once the lock is gone the
    same edit lands."""
    database, path = locked_file
    before = _state(database)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError) as raised:
            _edit(database, "while locked")
        assert time.monotonic() - started >= 0.3
        assert str(raised.value) == (
            f"the database file {path} is locked by another program (waited 0.3 s): "
            "nothing was saved; try again when it is free"
        )
        assert _state(database) == before  # WAL: reading is not blocked
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _state(database) == before
    _edit(database, "after the lock")
    title, version, events, latest = _state(database)
    assert (title, version, events) == ("after the lock", before[1] + 1, before[2] + 1)
    assert latest > before[3]


def test_a_file_locked_even_for_readers_is_a_clear_error(
    locked_file: tuple[Database, Path],
) -> None:
    """A program that takes the file for itself (exclusive locking mode) keeps even readers
    out: reading says so, too."""
    database, path = locked_file
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE tickets SET title = title")
        other.execute("COMMIT")  # exclusive mode keeps the lock after the commit
        with pytest.raises(DatabaseLockedError, match="it could not be read"):
            _state(database)
        with pytest.raises(DatabaseLockedError, match="nothing was saved"):
            _edit(database, "while locked")
    finally:
        other.close()
    assert _state(database)[0] == "Login fails"


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, 30.0), ("", 30.0), ("2.5", 2.5), ("0", 0.0)],
)
def test_the_busy_time_comes_from_the_environment(
    given: str | None, expected: float, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if given is None:
        monkeypatch.delenv(BUSY_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(BUSY_VARIABLE, given)
    assert busy_seconds() == expected
    database = Database.open(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        assert database.busy_seconds == expected
        with database.write_engine.connect() as connection:
            pragma = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert pragma == round(expected * 1000)
    finally:
        database.dispose()


@pytest.mark.parametrize("given", ["soon", "-1", "7200"])
def test_a_bad_busy_time_is_named(given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BUSY_VARIABLE, given)
    with pytest.raises(DatabaseError, match=f"{BUSY_VARIABLE}={given!r}"):
        busy_seconds()
