"""The window's one way to the data: commands and queries run off the UI thread, and each
request hands back a :class:`Pending` with its own ``finished`` and ``failed`` signals, the
way Qt's ``QNetworkReply`` works.

One worker thread runs requests in order, each in its own unit of work; another follows the
change feed and hands over what changed as a :class:`FeedUpdate`. A query supersedes an
older one on the same topic that has not answered yet: the older one never answers, so no
view keeps "is this answer stale?" state. Every failure reaches whoever asked; failures of
work nobody asked for (following the feed) are logged and reported by
:attr:`Dispatcher.backgroundFailed` for the status bar. When the database cannot be reached
the dispatcher says so, retries every few seconds, refuses commands at once with a clear
message, and catches up from its change-feed cursor once it is back.

A PostgreSQL server that stops answering without closing its connections is noticed by
bounding every wait for it (:func:`~console.adapters.watchdog.bounded_waits`): the follower,
which reads the feed every second, waits at most :data:`FEED_WAIT_SECONDS`, so the console
says it is offline within a few seconds; a request waits at most :data:`WAIT_SECONDS` and
then fails as offline, its transaction never committed.

Through a transaction pooler (``?feed=poll``) the follower polls the feed's head instead of
LISTENing (:class:`~console.adapters.listen.HeadPollingListener`) and reads the feed only
when the head moved or a gap is open; the polls are bounded the same way.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import DBAPIError, OperationalError

from console.adapters.database import Database, DatabaseError, describe
from console.adapters.listen import ChangeFollower, ChangeListener, listener_for
from console.adapters.repository import UnitOfWork
from console.adapters.sql import SqlUnitOfWork
from console.adapters.storage_errors import StorageKind, describe_storage_error
from console.adapters.watchdog import bounded_waits
from console.cli_errors import log_file
from console.domain.errors import ConcurrentEditError, DomainError
from console.domain.model import Agent, Change
from console.qt.timers import named_timer
from console.services import words
from console.services.commands import Command
from console.services.handlers import handle
from console.services.queue import QueueRow
from console.services.tickets import PolicyBook
from console.services.views import Agents, Query, QueueRows

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_SECONDS = 2.0
# The longest a request waits for one answer of the server (a statement, a commit) before
# its connection is cut and it fails as offline. Above the server's lock timeout (5 s,
# LOCK_TIMEOUT_SECONDS), so that a lock another console holds ends the wait with the
# server's own error first.
WAIT_SECONDS = 10.0
# The same for the follower, which reads the feed about every second: a server that stops
# answering shows as offline within FEED_WAIT_SECONDS + 1 s (the listener's wait). Its
# largest answer, every open row after a calendar change, takes 1.8 s for 100,000 rows.
FEED_WAIT_SECONDS = 5.0
# SQLSTATEs of the server ending one statement by the timeouts it was given (lock_timeout,
# statement_timeout): the server answers, so the console stays online.
_GAVE_UP = frozenset({"55P03", "57014"})
_KEPT_ONLINE = frozenset(
    {StorageKind.FULL, StorageKind.READ_ONLY, StorageKind.CORRUPT, StorageKind.IO_ERROR}
)
DRAIN_MS = 30  # how often results of the worker threads reach the UI thread
OFFLINE_MESSAGE = words.QT_TR_NOOP(
    "The database cannot be reached: nothing was saved. Countdowns go on; try again when the "
    "connection is back."
)
BUSY_MESSAGE = words.QT_TR_NOOP(
    "The database gave up waiting ({reason}): another console or a long task may be holding "
    "what this needs. Nothing was saved; try again in a moment."
)


def is_connection_error(error: BaseException) -> bool:
    if isinstance(error, OperationalError | DatabaseError | OSError):
        return True
    # The LISTEN connection is psycopg's own, without SQLAlchemy around it; its errors are
    # subclasses (ConnectionTimeout when connecting to a server that does not answer).
    if any(
        cls.__module__.startswith("psycopg")
        and cls.__name__ in ("OperationalError", "InterfaceError")
        for cls in type(error).__mro__
    ):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _reason(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a request failed, in words for the user, with the error itself."""

    message: str
    error: BaseException | None = None
    offline: bool = False

    @property
    def conflict(self) -> ConcurrentEditError | None:
        return self.error if isinstance(self.error, ConcurrentEditError) else None


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """What the change feed said since the last update: the rows of the tickets that
    changed (``rows`` open, ``gone`` closed), or ``reload`` with every open row when
    something all rows depend on changed (a customer, a holiday period, a presence);
    ``agents`` when people changed; ``entities`` every kind of thing that changed
    (``"handover"`` ...)."""

    rows: tuple[QueueRow, ...] = ()
    gone: tuple[str, ...] = ()
    reload: bool = False
    agents: tuple[Agent, ...] | None = None
    entities: frozenset[str] = frozenset()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(r.key for r in self.rows) | frozenset(self.gone)


class Pending(QObject, Generic[T]):
    """A request on its way: ``finished(result)`` or ``failed(Failure)``, once, on the UI
    thread; neither when a newer query on the same topic superseded it."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, request: Command | Query[T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.done = False
        self.superseded = False
        self.result: T | None = None
        self.failure: Failure | None = None

    def _settle(self, ok: bool, value: Any) -> None:
        if self.done or self.superseded:
            return
        self.done = True
        if ok:
            self.result = value
            self.finished.emit(value)
        else:
            self.failure = value
            self.failed.emit(value)


class Dispatcher(QObject):
    """Runs commands and queries for one console, and follows the change feed."""

    connectionChanged = Signal(bool, str)  # online, message  # noqa: N815
    feedUpdated = Signal(object)  # FeedUpdate  # noqa: N815
    backgroundFailed = Signal(object)  # Failure of work nobody asked for  # noqa: N815

    def __init__(
        self,
        database: Database,
        book: PolicyBook,
        now: Callable[[], datetime],
        actor: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.book = book  # immutable: never reassigned while threads run
        self.now = now
        self.actor = actor
        self.online = True
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-db")
        self._stop = threading.Event()
        self._follower_thread: threading.Thread | None = None
        self._pending: set[Pending[Any]] = set()
        self._latest: dict[Hashable, Pending[Any]] = {}
        # Worker threads never touch Qt: they leave results here, and a timer on the UI
        # thread hands them over.
        self._outbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.drain_timer = named_timer(self, "dispatcherDrain", DRAIN_MS, self.drain)
        self.drain_timer.start()

    # ------------------------------------------------------------------ plumbing

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return SqlUnitOfWork(self.database, write=write, now=self.now)

    def drain(self) -> None:
        """Deliver, on the UI thread, what the worker threads have left (called by a timer)."""
        while True:
            try:
                deliver = self._outbox.get_nowait()
            except queue.Empty:
                return
            deliver()

    def _post(self, deliver: Callable[[], None]) -> None:
        self._outbox.put(deliver)

    def _settle(self, pending: Pending[Any], ok: bool, value: Any) -> None:
        def deliver() -> None:
            self._pending.discard(pending)
            topic = _topic(pending.request)
            if topic is not None and self._latest.get(topic) is pending:
                del self._latest[topic]
            pending._settle(ok, value)
            pending.deleteLater()

        self._post(deliver)

    def _set_online(self, online: bool, message: str = "") -> None:
        if online != self.online:
            self.online = online
            self._post(lambda: self.connectionChanged.emit(online, message))

    def _start(self, request: Command | Query[T], work: Callable[[], T]) -> Pending[T]:
        pending: Pending[T] = Pending(request, self)
        self._pending.add(pending)

        def run() -> None:
            if pending.superseded:
                self._settle(pending, True, None)
                return
            try:
                with bounded_waits(WAIT_SECONDS):
                    result = work()
            except Exception as error:  # every failure is told to whoever asked
                self._settle(pending, False, self._failure(request, error))
                return
            self._settle(pending, True, result)

        if self._stop.is_set():
            # The console is closing: nothing runs any more, and nobody waits for an answer.
            pending.superseded = True
            return pending
        self._executor.submit(run)
        return pending

    def _failure(self, request: Command | Query[Any], error: Exception) -> Failure:
        if isinstance(error, DomainError | ValueError | KeyError):
            message = str(error.args[0]) if isinstance(error, KeyError) and error.args else None
            return Failure(message or str(error), error)
        problem = describe_storage_error(error, self.database.url)
        if problem is not None and problem.kind in _KEPT_ONLINE:
            # The database answers but cannot keep the change (a full disk, a read-only or
            # damaged file): say so; the console stays online.
            return Failure(
                self.tr("{problem}: nothing was saved").format(problem=problem.message), error
            )
        if getattr(getattr(error, "orig", None), "sqlstate", None) in _GAVE_UP:
            # The server ended the statement (lock or statement timeout): it answers.
            return Failure(words.tr(BUSY_MESSAGE).format(reason=_reason(error)), error)
        if is_connection_error(error):
            self._set_online(False, self._why(error))
            return Failure(words.tr(OFFLINE_MESSAGE), error, offline=True)
        what = request.action if isinstance(request, Command) else type(request).__name__
        log.exception("%s failed", what)
        return Failure(
            self.tr("{what} failed: {error}. The details are in {file}").format(
                what=words.tr(what), error=error, file=log_file()
            ),
            error,
        )

    def _why(self, error: BaseException) -> str:
        """Why the database cannot be used, in words: the storage problem (a file deleted or
        locked, a server that refused the login ...) when it is one, else the driver's."""
        problem = describe_storage_error(error, self.database.url)
        return problem.message if problem is not None else _reason(error)

    # ------------------------------------------------------------------ requests

    def send(self, command: Command) -> Pending[Any]:
        """Run ``command`` for the console's person in one transaction. While offline it is
        refused at once (``failed`` still arrives on the next turn of the event loop)."""
        if not self.online:
            pending: Pending[Any] = Pending(command, self)
            self._pending.add(pending)
            self._settle(pending, False, Failure(words.tr(OFFLINE_MESSAGE), None, offline=True))
            return pending
        actor = self.actor
        return self._start(command, lambda: handle(command, self.uow(), self.book, actor))

    def ask(self, query: Query[T]) -> Pending[T]:
        """Read ``query``; an older query on the same topic still on its way is superseded."""
        topic = _topic(query)
        older = self._latest.get(topic)
        if older is not None:
            older.superseded = True
        pending = self._start(query, lambda: query.run(self.uow(write=False), self.book))
        self._latest[topic] = pending
        return pending

    def in_flight(self) -> int:
        """Requests not yet answered (superseded ones included until they drain)."""
        return len(self._pending)

    # ------------------------------------------------------------------ the change feed

    def start_following(self, cursor: int | None = None) -> None:
        """Follow the change feed from ``cursor`` (default: now) on a thread of its own."""
        self._stop.clear()
        self._follower_thread = threading.Thread(
            target=self._follow, args=(cursor,), name="console-changes", daemon=True
        )
        self._follower_thread.start()

    def _follow(self, cursor: int | None) -> None:
        with bounded_waits(FEED_WAIT_SECONDS):
            self._follow_bounded(cursor)

    def _follow_bounded(self, cursor: int | None) -> None:
        listener: ChangeListener | None = None
        follower: ChangeFollower | None = None
        while not self._stop.is_set():
            try:
                if follower is None:
                    follower = ChangeFollower(self.database, cursor)
                if listener is None:
                    listener = listener_for(self.database)
                waiting = follower.waiting
                woke = listener.wait(listener.gap_seconds if waiting else 1.0)
                # A listener that asked the server and saw nothing spares the read of the
                # feed; one that only watches the head cannot see a gap being filled.
                read = woke or waiting or not listener.exhaustive
                changes = follower.poll() if read else []
                self._set_online(
                    True,
                    self.tr("connected to {database}").format(database=describe(self.database.url)),
                )
                if changes:
                    update = self._update(changes)
                    self._post(partial(self.feedUpdated.emit, update))
            except Exception as error:
                if listener is not None:
                    with contextlib.suppress(Exception):  # its connection is gone anyway
                        listener.close()
                    listener = None
                if is_connection_error(error):
                    self._set_online(False, self._why(error))
                else:
                    log.exception("following the change feed failed")
                    failure = Failure(
                        self.tr("Live updates failed: {error}").format(error=error), error
                    )
                    self._post(partial(self.backgroundFailed.emit, failure))
                self._stop.wait(RETRY_SECONDS)
        if listener is not None:
            listener.close()

    def _update(self, changes: list[Change]) -> FeedUpdate:
        """What ``changes`` mean for the window, read in one unit of work."""
        log.debug("%d change(s) up to %d", len(changes), changes[-1].seq)
        entities = frozenset(c.entity for c in changes)
        agents: tuple[Agent, ...] | None = None
        if "agent" in entities:
            agents = tuple(Agents().run(self.uow(write=False), self.book))
        if entities & {"customer", "holiday", "presence"}:
            rows = QueueRows().run(self.uow(write=False), self.book)
            return FeedUpdate(tuple(rows), (), True, agents, entities)
        keys = tuple(dict.fromkeys(c.key for c in changes if c.entity == "ticket"))
        if not keys:
            return FeedUpdate(agents=agents, entities=entities)
        found = QueueRows(keys, open_only=False).run(self.uow(write=False), self.book)
        open_rows = tuple(r for r in found if r.ticket.is_open)
        gone = tuple(r.key for r in found if not r.ticket.is_open)
        return FeedUpdate(open_rows, gone, False, agents, entities)

    def stop(self) -> None:
        self.drain_timer.stop()
        self._stop.set()
        if self._follower_thread is not None:
            self._follower_thread.join(timeout=5)
        self._executor.shutdown(wait=True, cancel_futures=True)


def _topic(request: Command | Query[Any]) -> Hashable | None:
    return request.topic if isinstance(request, Query) else None


__all__ = [
    "BUSY_MESSAGE",
    "OFFLINE_MESSAGE",
    "Dispatcher",
    "Failure",
    "FeedUpdate",
    "Pending",
    "is_connection_error",
]
