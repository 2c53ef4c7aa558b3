"""SQLAlchemy repositories and unit of work, for SQLite and PostgreSQL.

Writes are explicit ``UPDATE ... WHERE version = :expected`` statements: when no row
matches, someone else committed first and :class:`ConcurrentEditError` carries the row as it
is now. Change-feed entries are written at commit, and on PostgreSQL ``NOTIFY`` wakes
listening consoles. No lock orders the feed: a change that commits late behind a higher
sequence number is still read (see :class:`console.adapters.listen.ChangeFollower`).

A login of a team database (a console agent or lead, see :mod:`console.adapters.grants`)
writes only through the database's command functions: its unit of work uses the
repositories of :mod:`console.adapters.sql_api`, its clock is the server's (the instant the
functions stamp), and the feed is the functions' to write.

The repositories live in :mod:`console.adapters.sql_repositories` and
:mod:`console.adapters.sql_tickets`, the row conversions in :mod:`console.adapters.sql_rows`;
the rest of the code imports them from here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from console.adapters.database import Database, DatabaseLockedError
from console.adapters.mail_store import MailStore
from console.adapters.repository import Now, UnitOfWork, system_now
from console.adapters.sql_api import (
    ApiAgentRepository,
    ApiCustomerRepository,
    ApiHandoverRepository,
    ApiHolidayPeriodRepository,
    ApiPresenceRepository,
    ApiTicketRepository,
)
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
_GROUP_LOGIN = (
    "SELECT NOT r.rolsuper AND EXISTS (SELECT FROM pg_roles g WHERE g.rolname IN "
    "('console_agent', 'console_lead') AND pg_has_role(r.oid, g.oid, 'MEMBER')) "
    "AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = to_regclass('public.tickets') "
    "AND pg_has_role(r.oid, c.relowner, 'USAGE')) "
    "FROM pg_roles r WHERE r.rolname = session_user"
)


def writes_through_functions(database: Database) -> bool:
    """Whether the database's user is a console login (writes through the command
    functions) rather than the tables' owner or a superuser; asked once per database."""
    if database.is_sqlite:
        return False
    known = database.__dict__.get("_through_functions")
    if known is None:
        with database.engine.connect() as connection:
            known = bool(connection.execute(text(_GROUP_LOGIN)).scalar())
            login = connection.execute(text("SELECT session_user")).scalar()
        database.__dict__["_login"] = str(login)
        database.__dict__["_through_functions"] = known
    return bool(known)


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
        self.mail: MailStore

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self.session = self.database.session(write=self.write)
        self.changes = SqlChangeFeed(self)
        through = self.write and writes_through_functions(self.database)
        self.mail = MailStore(self, through_functions=through)
        if through:
            self.agents = ApiAgentRepository(self)
            self.customers = ApiCustomerRepository(self)
            self.tickets = ApiTicketRepository(self)
            self.holidays = ApiHolidayPeriodRepository(self)
            self.presences = ApiPresenceRepository(self)
            self.handovers = ApiHandoverRepository(self)
            self.now = self._server_now
            self._server_instant: datetime | None = None
            return self
        self.agents = SqlAgentRepository(self)
        self.customers = SqlCustomerRepository(self)
        self.tickets = SqlTicketRepository(self)
        self.holidays = SqlHolidayPeriodRepository(self)
        self.presences = SqlPresenceRepository(self)
        self.handovers = SqlHandoverRepository(self)
        return self

    def _server_now(self) -> datetime:
        """The server's clock: the start of this transaction, the instant the command
        functions stamp on what they write (so derived state is computed for it)."""
        if self._server_instant is None:
            value = self.session.execute(text("SELECT now()")).scalar_one()
            self._server_instant = value.astimezone(UTC)
        return self._server_instant

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

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext  # slow to import, seldom asked

        return MigrationContext.configure(self.session.connection()).get_current_revision()
