"""Following the change feed: wake up when another console commits, then read what changed.

On PostgreSQL a dedicated connection LISTENs on the channel every commit NOTIFYs, so a
change arrives at once. On SQLite, ``PRAGMA data_version`` (which changes whenever another
connection commits) is polled on a connection of its own: a cheap check, no query of the
tables. Either way the changes themselves come from :meth:`ChangeFeed.since`, so a missed
wake-up only delays a change until the next one, it never loses it.

Through a transaction pooler (``?feed=poll``, see :mod:`console.adapters.database`) LISTEN
cannot work: PgBouncer lends a server session for one transaction, and a notification is
delivered to whichever client holds that session when it arrives, or to nobody. There the
console polls the feed's head instead (:class:`HeadPollingListener`): ``SELECT max(seq) FROM
changes`` is one lookup at the end of the primary key's index, run in autocommit (one round
trip, one pooler transaction, a server connection held for well under a millisecond), and
the feed is read only when the head moved. The trade-off, measured by
``benchmarks/bench_team.py``:

* LISTEN: a change arrives within milliseconds, but every console holds a server
  connection of its own for as long as it runs (three in all, with its pool): a server
  with ``max_connections = 100`` serves about 33 consoles.
* Polling the head every ``S`` seconds (``feed_seconds``, 0.5 by default): a change arrives
  ``S / 2`` later on average, ``S`` at worst (plus the read); the server answers
  ``consoles / S`` one-row lookups a second, and the pooler's few server connections serve
  them all. Polling the feed itself (``since`` every ``S``) would cost the same while
  nothing changes, but a read in a transaction of the pool (ping, BEGIN, the timeouts,
  the read, ROLLBACK) instead of one statement; reading it only when the head moved keeps
  the quiet polls at one round trip.

The head alone does not show a change that commits late below it (see
:class:`ChangeFollower`): while the follower waits for such a gap, the dispatcher reads the
feed itself at the poll's pace until it arrives.
"""

from __future__ import annotations

import abc
import logging
import sqlite3
import time
from typing import Any

from sqlalchemy.engine import make_url

from console.adapters.database import Database, DatabaseError, postgres_connect_args, server_url
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


HEAD_QUERY = "SELECT max(seq) FROM changes"


class ChangeListener(abc.ABC):
    """Blocks until the database may have changed, or a timeout."""

    # Whether a wait that timed out means nothing was committed meanwhile (the listener
    # asked the server, bounded like any statement), so the feed need not be read.
    exhaustive = False
    # How long to wait while the follower waits for a gap: a change committing late below
    # the feed's head is not seen by a listener that only watches the head.
    gap_seconds = 1.0

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

        url = server_url(database.url).set(drivername="postgresql")
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


class HeadPollingListener(ChangeListener):
    """Polls the feed's head every ``interval`` seconds on a connection of its own, in
    autocommit and with no statement prepared on the server, so that a transaction pooler
    can lend it any server session for each poll (see the module's docstring). Its polls
    run inside the follower's :func:`~console.adapters.watchdog.bounded_waits`, so a server
    gone silent is noticed as with any statement.

    The first wait wakes at once: a change committed between the follower's first read of
    the feed and this listener's first look at the head would otherwise wait for the next.
    """

    exhaustive = True

    def __init__(self, database: Database, interval: float | None = None) -> None:
        from console.adapters.postgres import WatchedConnection

        self.interval = database.feed.poll_seconds if interval is None else interval
        self.gap_seconds = self.interval
        url = server_url(database.url, reads=True).set(drivername="postgresql")
        self._connection: Any = WatchedConnection.connect(
            url.render_as_string(hide_password=False),
            autocommit=True,
            **postgres_connect_args(database.url),
        )
        self._head: int | None = None

    def head(self) -> int:
        """The highest number in the feed (0 when it is empty)."""
        return int(self._connection.execute(HEAD_QUERY).fetchone()[0] or 0)

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            head = self.head()
            if head != self._head:
                self._head = head
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(self.interval, remaining))

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
    """LISTEN on PostgreSQL, unless the URL says a transaction pooler is in between
    (``feed=poll``): then poll the head."""
    if database.dialect == "postgresql":
        if database.feed.poll:
            return HeadPollingListener(database)
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

    @property
    def waiting(self) -> bool:
        """Whether a number below the highest one read has not arrived yet (a gap)."""
        return bool(self._gaps)

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
