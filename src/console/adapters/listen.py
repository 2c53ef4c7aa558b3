"""Following the change feed: wake up when another console commits, then read what changed.

On PostgreSQL a dedicated connection LISTENs on the channel every commit NOTIFYs, so a
change arrives at once. On SQLite, ``PRAGMA data_version`` (which changes whenever another
connection commits) is polled on a connection of its own: a cheap check, no query of the
tables. Either way the changes themselves come from :meth:`ChangeFeed.since`, so a missed
wake-up only delays a change until the next one, it never loses it.
"""

from __future__ import annotations

import abc
import sqlite3
import time
from typing import Any

from sqlalchemy.engine import make_url

from console.adapters.database import Database, DatabaseError, postgres_connect_args
from console.adapters.sql import NOTIFY_CHANNEL, SqlUnitOfWork
from console.adapters.watchdog import bounded_waits
from console.domain.model import Change

DEFAULT_POLL_SECONDS = 0.1


class ChangeListener(abc.ABC):
    """Blocks until the database may have changed, or a timeout."""

    @abc.abstractmethod
    def wait(self, timeout: float) -> bool:
        """True when woken by a change (or a sign of one), False on timeout."""

    @abc.abstractmethod
    def close(self) -> None: ...


class PostgresListener(ChangeListener):
    """LISTENs on a connection of its own, with the server-side timeouts and keepalives of
    the pool's (:func:`postgres_connect_args`); a bound set by
    :func:`~console.adapters.watchdog.bounded_waits` applies to its statements, not to the
    wait for notifications, which has a timeout of its own."""

    def __init__(self, database: Database) -> None:
        from console.adapters.postgres import WatchedConnection

        url = make_url(database.url).set(drivername="postgresql")
        self._connection: Any = WatchedConnection.connect(
            url.render_as_string(hide_password=False),
            autocommit=True,
            **postgres_connect_args(url),
        )
        self._connection.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout: float) -> bool:
        with bounded_waits(None):  # an idle wait, bounded by its timeout
            # Each notifies() generator holds the connection's lock until it is finished, so
            # the first one must be exhausted before draining with a second.
            if not list(self._connection.notifies(timeout=timeout, stop_after=1)):
                return False
            # Drain what else arrived: one read of the feed answers them all. (To psycopg a
            # timeout of 0 means none at all.)
            list(self._connection.notifies(timeout=0.001))
        return True

    def close(self) -> None:
        self._connection.close()


class SqlitePollingListener(ChangeListener):
    def __init__(self, database: Database, interval: float = DEFAULT_POLL_SECONDS) -> None:
        path = make_url(database.url).database
        if not path or path == ":memory:":
            raise DatabaseError("an in-memory SQLite database cannot be shared between consoles")
        self._connection = sqlite3.connect(path, timeout=5, check_same_thread=False)
        self._interval = interval
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(self._interval, remaining))

    def close(self) -> None:
        self._connection.close()


def listener_for(database: Database) -> ChangeListener:
    if database.dialect == "postgresql":
        return PostgresListener(database)
    return SqlitePollingListener(database)


class ChangeFollower:
    """Keeps a cursor into the change feed and hands over what is new.

    ``poll()`` reads every committed change after the cursor; the dispatcher calls it each
    time its listener wakes. Run it off the UI thread.
    """

    def __init__(self, database: Database, cursor: int | None = None) -> None:
        self.database = database
        if cursor is None:
            with SqlUnitOfWork(database, write=False) as uow:
                cursor = uow.changes.latest()
        self.cursor = cursor

    def poll(self) -> list[Change]:
        changes: list[Change] = []
        with SqlUnitOfWork(self.database, write=False) as uow:
            while True:
                batch = uow.changes.since(self.cursor)
                if not batch:
                    break
                changes.extend(batch)
                self.cursor = batch[-1].seq
        return changes
