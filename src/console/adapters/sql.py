"""SQLAlchemy repositories and unit of work, for SQLite and PostgreSQL.

Writes are explicit ``UPDATE ... WHERE version = :expected`` statements: when no row
matches, someone else committed first and :class:`ConcurrentEditError` carries the row as it
is now. Change-feed entries are written at commit; on PostgreSQL a transaction-level
advisory lock makes their sequence numbers follow commit order (so a reader never skips a
change that commits late) and ``NOTIFY`` wakes listening consoles.

The repositories live in :mod:`console.adapters.sql_repositories` and
:mod:`console.adapters.sql_tickets`, the row conversions in :mod:`console.adapters.sql_rows`;
the rest of the code imports them from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.adapters.database import Database, DatabaseLockedError
from console.adapters.repository import Now, UnitOfWork, system_now
from console.adapters.sql_repositories import (
    SqlAgentRepository,
    SqlChangeFeed,
    SqlCustomerRepository,
    SqlHandoverRepository,
    SqlHolidayPeriodRepository,
    SqlPresenceRepository,
)
from console.adapters.sql_rows import CHANGES, batched, projection_from, projection_text
from console.adapters.sql_tickets import SqlTicketRepository

__all__ = [
    "CHANGE_LOCK_KEY",
    "NOTIFY_CHANNEL",
    "SqlAgentRepository",
    "SqlChangeFeed",
    "SqlCustomerRepository",
    "SqlHandoverRepository",
    "SqlHolidayPeriodRepository",
    "SqlPresenceRepository",
    "SqlTicketRepository",
    "SqlUnitOfWork",
    "projection_from",
    "projection_text",
]

NOTIFY_CHANNEL = "console_changes"
# Any constant: the key of the advisory lock that orders change-feed writes.
CHANGE_LOCK_KEY = 7_340_113


def _sqlite_locked(database: Database, error: OperationalError) -> bool:
    """SQLite gave up waiting for a lock: "database is locked" (SQLITE_BUSY) or "database
    table is locked" (SQLITE_LOCKED)."""
    return database.is_sqlite and "is locked" in str(error.orig)


class SqlUnitOfWork(UnitOfWork):
    """A session per user action on ``database``; ``write=False`` for reading only."""

    def __init__(self, database: Database, *, write: bool = True, now: Now = system_now) -> None:
        super().__init__(now)
        self.database = database
        self.write = write
        self.session: Session

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self.session = self.database.session(write=self.write)
        self.agents = SqlAgentRepository(self)
        self.customers = SqlCustomerRepository(self)
        self.tickets = SqlTicketRepository(self)
        self.holidays = SqlHolidayPeriodRepository(self)
        self.presences = SqlPresenceRepository(self)
        self.handovers = SqlHandoverRepository(self)
        self.changes = SqlChangeFeed(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self.session.close()
        error = exc[1]
        if isinstance(error, OperationalError) and _sqlite_locked(self.database, error):
            path = make_url(self.database.url).database or self.database.url
            waited = self.database.busy_seconds
            raise DatabaseLockedError(path, waited, writing=self.write) from error

    def commit(self) -> None:
        if self._pending:
            if self.database.dialect == "postgresql":
                self.session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOCK_KEY}
                )
            at = self.now()
            unique = list(dict.fromkeys(self._pending))
            for batch in batched(unique, 5_000):
                self.session.connection().execute(
                    insert(CHANGES),
                    [
                        {"at": at, "entity": entity, "key": key, "kind": kind.value}
                        for entity, key, kind in batch
                    ],
                )
            if self.database.dialect == "postgresql":
                self.session.execute(
                    text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL}
                )
        self.session.commit()
        self._pending = []

    def rollback(self) -> None:
        self.session.rollback()
        self._pending = []
