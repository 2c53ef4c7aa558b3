"""The console's only way to the database: work runs on background threads, results come
back to the UI thread as Qt signals carrying immutable snapshots.

One worker thread runs loads and actions in order (each one unit of work); another follows
the change feed and hands over the rows that changed. When the database cannot be reached
the backend says so, keeps trying every few seconds, refuses writes with a clear message, and
catches up from its change-feed cursor once it is back, so nothing committed meanwhile is
missed.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import DBAPIError, OperationalError

from console.adapters.database import Database, DatabaseError, describe
from console.adapters.listen import ChangeFollower, ChangeListener, listener_for
from console.adapters.repository import UnitOfWork
from console.adapters.sql import SqlUnitOfWork
from console.domain.errors import DomainError
from console.domain.model import Change
from console.services.queue import load_agents, load_detail, load_rows
from console.services.tickets import PolicyBook

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
DRAIN_MS = 30  # how often results of the worker threads reach the UI thread
FIRST_PAGE = 500  # rows loaded before the rest, so the most urgent ones show at once
OFFLINE_MESSAGE = (
    "The database cannot be reached: nothing was saved. Countdowns go on; try again when the "
    "connection is back."
)


def _is_connection_error(error: BaseException) -> bool:
    if isinstance(error, OperationalError | DatabaseError | OSError):
        return True
    # The LISTEN connection is psycopg's own, without SQLAlchemy around it.
    if type(error).__module__.startswith("psycopg") and type(error).__name__ in (
        "OperationalError",
        "InterfaceError",
    ):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _reason(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class Backend(QObject):
    """Loads, actions and the change feed, off the UI thread."""

    queueLoaded = Signal(object)  # list[QueueRow]  # noqa: N815
    rowsChanged = Signal(object, object)  # list[QueueRow] (open), list[str] (gone)  # noqa: N815
    detailLoaded = Signal(object)  # TicketDetail  # noqa: N815
    agentsLoaded = Signal(object)  # list[Agent]  # noqa: N815
    actionDone = Signal(str, object)  # message, the updated ticket  # noqa: N815
    actionFailed = Signal(str, object)  # message, the error  # noqa: N815
    connectionChanged = Signal(bool, str)  # online, message  # noqa: N815
    previewLoaded = Signal(str, int, object, object)  # key, severity, changes, now  # noqa: N815
    movesCounted = Signal(str, int, int)  # policy id, tickets moved, request  # noqa: N815
    holidaysLoaded = Signal(object)  # list[HolidayPeriod]  # noqa: N815
    auditLoaded = Signal(object, object)  # AuditFilter, list[AuditRow]  # noqa: N815
    boardLoaded = Signal(object)  # HandoverBoard  # noqa: N815
    reportLoaded = Signal(object, object, object)  # since, until, list[ReportLine]  # noqa: N815

    def __init__(
        self,
        database: Database,
        book: PolicyBook,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.book = book
        self.clock = clock
        self.online = True
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-db")
        self._stop = threading.Event()
        self._follower_thread: threading.Thread | None = None
        self._follower: ChangeFollower | None = None
        # Worker threads never touch Qt: they leave results here, and a timer on the UI
        # thread hands them over as signals.
        self._outbox: queue.SimpleQueue[tuple[str, tuple[Any, ...]]] = queue.SimpleQueue()
        self._drain_timer = QTimer(self)
        self._drain_timer.setObjectName("backendDrain")
        self._drain_timer.setInterval(DRAIN_MS)
        self._drain_timer.timeout.connect(self.drain)
        self._drain_timer.start()

    def _post(self, signal: str, *args: Any) -> None:
        self._outbox.put((signal, args))

    def drain(self) -> None:
        """Emit, on the UI thread, what the worker threads have left (called by a timer)."""
        while True:
            try:
                signal, args = self._outbox.get_nowait()
            except queue.Empty:
                return
            getattr(self, signal).emit(*args)

    # ------------------------------------------------------------------ unit of work

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return SqlUnitOfWork(self.database, write=write, clock=self.clock)

    def _submit(self, work: Callable[[], Any]) -> Future[Any]:
        def run() -> Any:
            try:
                result = work()
            except Exception as error:
                if _is_connection_error(error):
                    self._set_online(False, _reason(error))
                raise
            return result

        return self._executor.submit(run)

    def _set_online(self, online: bool, message: str = "") -> None:
        if online != self.online:
            self.online = online
            self._post("connectionChanged", online, message)

    # ------------------------------------------------------------------ loads

    def load_queue(self, first_page: int = FIRST_PAGE) -> Future[Any]:
        """Load the queue: the most urgent rows first (painted at once), then all of them."""

        def work() -> None:
            self._post("agentsLoaded", load_agents(self.uow(write=False)))
            if first_page:
                self._post(
                    "queueLoaded", load_rows(self.uow(write=False), self.book, limit=first_page)
                )
            self._post("queueLoaded", load_rows(self.uow(write=False), self.book))

        return self._submit(work)

    def load_detail(self, key: str) -> Future[Any]:
        def work() -> None:
            self._post("detailLoaded", load_detail(self.uow(write=False), self.book, key))

        return self._submit(work)

    def preview_severity(self, key: str, to: int) -> Future[Any]:
        """The clocks of a ticket now and with its severity changed (for the lead's dialog)."""

        def work() -> None:
            from console.services.leads import preview_severity

            with self.uow(write=False) as uow:
                ticket = uow.tickets.get(key, with_events=False)
            now = self.clock()
            changes = preview_severity(self.uow(write=False), self.book, ticket, to, now)
            self._post("previewLoaded", key, to, changes, now)

        return self._submit(work)

    def count_moves(self, policy_id: str, periods: list[Any], request: int = 0) -> Future[Any]:
        def work() -> None:
            from console.services.calendars import moves_if

            count = moves_if(self.uow(write=False), self.book, policy_id, periods)
            self._post("movesCounted", policy_id, count, request)

        return self._submit(work)

    def load_holidays(self) -> Future[Any]:
        def work() -> None:
            with self.uow(write=False) as uow:
                periods = uow.holidays.list()
            self._post("holidaysLoaded", periods)

        return self._submit(work)

    def save_holidays(
        self, actor: str, policy_id: str, added: list[Any], removed: list[Any]
    ) -> Future[Any]:
        """A lead's edit of company holiday periods: each change recomputes due instants."""
        from console.services.calendars import add_holiday_period, delete_holiday_period

        def action(uow: UnitOfWork) -> int:
            moved = 0
            for period in removed:
                moved += delete_holiday_period(uow, self.book, actor, period)
            for period in added:
                moved += add_holiday_period(
                    uow, self.book, actor, policy_id, period.first, period.last, period.reason
                )[1]
            self._post("holidaysLoaded", self._periods())
            return moved

        return self.perform("Company holiday periods saved", action)

    def _periods(self) -> list[Any]:
        with self.uow(write=False) as uow:
            return uow.holidays.list()

    def query_audit(self, audit_filter: Any) -> Future[Any]:
        def work() -> None:
            from console.services.audit import load_audit

            self._post("auditLoaded", audit_filter, load_audit(self.uow(write=False), audit_filter))

        return self._submit(work)

    def load_board(self, start: datetime, end: datetime) -> Future[Any]:
        """The handover board of ``[start, end)``."""

        def work() -> None:
            from console.services.handover import load_board

            self._post("boardLoaded", load_board(self.uow(write=False), self.book, start, end))

        return self._submit(work)

    def hand_over(
        self, author: str, start: datetime, end: datetime, note: str, ticket_notes: dict[str, str]
    ) -> Future[Any]:
        from console.services.handover import hand_over

        return self.perform(
            "Handed over", lambda uow: hand_over(uow, author, start, end, note, ticket_notes)
        )

    def acknowledge(self, handover: Any, who: str) -> Future[Any]:
        from console.services.handover import acknowledge

        return self.perform("Handover acknowledged", lambda uow: acknowledge(uow, handover, who))

    def load_report(self, since: datetime, until: datetime) -> Future[Any]:
        """The SLA compliance report of tickets submitted in ``[since, until)``."""

        def work() -> None:
            from console.services.report import sla_report

            lines = sla_report(self.uow(write=False), self.book, since, until, self.clock())
            self._post("reportLoaded", since, until, lines)

        return self._submit(work)

    # ------------------------------------------------------------------ actions

    def perform(self, description: str, action: Callable[[UnitOfWork], Any]) -> Future[Any]:
        """Run ``action`` (a service call given a fresh unit of work) on the worker.

        Emits ``actionDone`` or ``actionFailed``; while offline, refuses at once.
        """
        if not self.online:
            self._post("actionFailed", OFFLINE_MESSAGE, None)
            future: Future[Any] = Future()
            future.set_result(None)
            return future

        def work() -> None:
            try:
                result = action(self.uow())
            except (DomainError, ValueError, KeyError) as error:
                self._post("actionFailed", str(error), error)
                return
            except Exception as error:
                if _is_connection_error(error):
                    self._set_online(False, _reason(error))
                    self._post("actionFailed", OFFLINE_MESSAGE, error)
                    return
                log.exception("%s failed", description)
                self._post("actionFailed", f"{description} failed: {error}", error)
                return
            self._post("actionDone", description, result)

        return self._executor.submit(work)

    # ------------------------------------------------------------------ the change feed

    def start_following(self, cursor: int | None = None) -> None:
        """Follow the change feed from ``cursor`` (default: now) on a thread of its own."""
        self._stop.clear()
        self._follower_thread = threading.Thread(
            target=self._follow, args=(cursor,), name="console-changes", daemon=True
        )
        self._follower_thread.start()

    def _follow(self, cursor: int | None) -> None:
        listener: ChangeListener | None = None
        while not self._stop.is_set():
            try:
                if self._follower is None:
                    self._follower = ChangeFollower(self.database, cursor)
                if listener is None:
                    listener = listener_for(self.database)
                listener.wait(1.0)
                changes = self._follower.poll()
                self._set_online(True, f"connected to {describe(self.database.url)}")
                if changes:
                    self._deliver(changes)
            except Exception as error:
                if listener is not None:
                    with contextlib.suppress(Exception):  # its connection is gone anyway
                        listener.close()
                    listener = None
                if not _is_connection_error(error):
                    log.exception("following the change feed failed")
                self._set_online(False, _reason(error))
                self._stop.wait(RETRY_SECONDS)
        if listener is not None:
            listener.close()

    def _deliver(self, changes: list[Change]) -> None:
        log.debug("%d change(s) up to %d", len(changes), changes[-1].seq)
        if any(c.entity in ("customer", "holiday") for c in changes):
            self._post("queueLoaded", load_rows(self.uow(write=False), self.book))
            return
        if any(c.entity == "agent" for c in changes):
            self._post("agentsLoaded", load_agents(self.uow(write=False)))
        keys = list(dict.fromkeys(c.key for c in changes if c.entity == "ticket"))
        if not keys:
            return
        rows = load_rows(self.uow(write=False), self.book, keys, open_only=False)
        open_rows = [r for r in rows if r.ticket.is_open]
        gone = [r.key for r in rows if not r.ticket.is_open]
        self._post("rowsChanged", open_rows, gone)

    def stop(self) -> None:
        self._drain_timer.stop()
        self._stop.set()
        if self._follower_thread is not None:
            self._follower_thread.join(timeout=5)
        self._executor.shutdown(wait=True, cancel_futures=True)
