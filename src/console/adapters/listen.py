"""Following the change feed: wake up when another console commits, then read what changed.

On PostgreSQL a dedicated connection LISTENs on the channel every commit NOTIFYs, so a
change arrives at once. On SQLite, ``PRAGMA data_version`` (which changes whenever another
connection commits) is polled on a connection of its own: a cheap check, no query of the
tables. Either way the changes themselves come from :meth:`ChangeFeed.since`, so a missed
wake-up only delays a change until the next one, it never loses it.
"""

from __future__ import annotations

import abc
import logging
import sqlite3
import time
from typing import Any

from sqlalchemy.engine import make_url

from console.adapters.database import Database, DatabaseError, postgres_connect_args
from console.adapters.sql import NOTIFY_CHANNEL, SqlUnitOfWork
from console.adapters.watchdog import bounded_waits
from console.domain.model import Change

DEFAULT_POLL_SECONDS = 0.1
# How long a missing change-feed number is waited for: longer than any transaction the
# server lets run or sit idle (see console.adapters.database).
GAP_SECONDS = 120.0
FEED_BATCH = 10_000
GAP_BATCH = 1_000
# A number further than this past the last one is no sequence's: a row written by hand,
# handed over once and then stepped over (it must not hide the numbers that follow).
MAX_GAP_SPAN = 200_000
log = logging.getLogger(__name__)


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
    """Keeps a cursor into the change feed and hands over what is new, each change once.

    ``poll()`` reads every committed change it has not handed over yet; the dispatcher
    calls it each time its listener wakes. Run it off the UI thread.

    No lock orders the writers (a lock a login could hold would stop every console), so a
    change may commit after one with a higher ``seq``: a number missing below the highest
    one read is a gap, read again at every poll until its change arrives, or until
    :data:`GAP_SECONDS` have passed (its transaction rolled back, or was held open for
    longer than the server lets a transaction sit idle). The cursor only ever passes
    numbers that arrived or were given up on.
    """

    def __init__(self, database: Database, cursor: int | None = None) -> None:
        self.database = database
        if cursor is None:
            with SqlUnitOfWork(database, write=False) as uow:
                cursor = uow.changes.latest()
        self.cursor = cursor  # every seq up to here arrived or was given up on
        self._top = cursor  # the highest seq handed over
        self._gaps: dict[int, float] = {}  # missing seq -> when it was first missed
        self._far: set[int] = set()  # rows written by hand far past the sequence, seen

    def poll(self) -> list[Change]:
        changes: list[Change] = []
        before = self._top
        with SqlUnitOfWork(self.database, write=False) as uow:
            if self._gaps:
                changes.extend(uow.changes.among(sorted(self._gaps)[:GAP_BATCH]))
            while True:
                batch = uow.changes.since(self._top, limit=FEED_BATCH)
                for change in batch:
                    if change.seq - self._top <= MAX_GAP_SPAN:
                        changes.append(change)
                        self._top = change.seq
                    elif change.seq not in self._far:  # no sequence hands this out
                        log.warning("change %s is far past the feed's %s", change.seq, self._top)
                        self._far.add(change.seq)
                        changes.append(change)
                if len(batch) < FEED_BATCH or batch[-1].seq in self._far:
                    break
        self._advance(before, {c.seq for c in changes})
        return changes

    def _advance(self, before: int, arrived: set[int]) -> None:
        """Note the gaps among the numbers read past ``before``, forget those that arrived
        or waited too long, and move the cursor up to the first gap still open."""
        now = time.monotonic()
        for seq in arrived:
            self._gaps.pop(seq, None)
        for seq in range(before + 1, self._top):
            if seq not in arrived:
                self._gaps[seq] = now
        for seq in [s for s, since in self._gaps.items() if now - since >= GAP_SECONDS]:
            del self._gaps[seq]
        self.cursor = min(self._gaps, default=self._top + 1) - 1
