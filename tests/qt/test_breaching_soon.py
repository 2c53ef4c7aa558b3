"""The "Breaching within 1 h" queue: which rows it holds, how many the sidebar counts, and
which rows join it as time passes (TicketTableModel.crossing, the window's tick).

The rows are Laioutr standard Severity 2 tickets nobody has answered: their initial response
is due 180 minutes after submission on a 24/7 calendar, so a ticket submitted
``180 - m`` minutes before ``NOW`` is due ``m`` minutes after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.domain.model import Customer, EventKind, QueueGroup, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.queue_model import COL_COUNTDOWN, ROW_ROLE, QueueFilterProxy, TicketTableModel
from console.qt.settings import ConsoleSettings
from console.qt.sidebar import QUEUE_ROLE
from console.services.queue import QueueRow, make_row
from console.services.queues import QUEUE_BREACHED, QUEUE_BREACHING_SOON
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
TARGET = timedelta(minutes=180)
JUNIPER = Customer("Juniper Apparel GmbH", "laioutr", "standard", "EMEA")
SOON = QUEUE_BREACHING_SOON


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


def due_in(book: PolicyBook, key: str, left: timedelta) -> QueueRow:
    """An unanswered Laioutr Severity 2 ticket whose response is due ``left`` after NOW."""
    submitted = NOW + left - TARGET
    events = (TicketEvent(EventKind.CREATED, submitted, {"severity": 2, "status": "open"}),)
    due, clock = book.queue_state(JUNIPER, events, NOW)
    assert due == NOW + left and clock.kind is QueueGroup.DUE  # what the rows stand for
    ticket = Ticket(
        key,
        f"Ticket {key}",
        JUNIPER.name,
        2,
        Status.OPEN,
        submitted,
        next_due_at=due,
        version=1,
        summary=clock,
    )
    return make_row(book, ticket, JUNIPER)


def shown_keys(proxy: QueueFilterProxy) -> list[str]:
    return [proxy.index(i, 0).data(ROW_ROLE).key for i in range(proxy.rowCount())]


# --------------------------------------------------------------------------- the filter


@pytest.mark.parametrize(
    ("left", "accepted"),
    [
        (minutes(59), True),
        (minutes(60), True),  # due exactly an hour from now: within the hour
        (minutes(61), False),
        (minutes(90), False),
        (minutes(-1), False),  # breached already: the other queue
    ],
    ids=["59min", "60min", "61min", "90min", "breached"],
)
def test_the_queue_takes_rows_due_within_the_hour_only(
    book: PolicyBook, left: timedelta, accepted: bool
) -> None:
    """Given a ticket due ``left`` from now,
    When the "Breaching within 1 h" queue looks at it,
    Then it takes it only when it is due within the next hour."""
    row = due_in(book, "LTR-1", left)
    assert SOON.accepts(row, None, NOW) is accepted


def test_the_proxy_shows_only_the_row_due_within_the_hour(book: PolicyBook) -> None:
    """Given rows due in 59, 61 and 90 minutes,
    When the "Breaching within 1 h" queue is chosen,
    Then it shows the one due in 59 minutes alone."""
    model = TicketTableModel(NOW, UTC)
    model.set_rows([due_in(book, f"LTR-{m}", minutes(m)) for m in (59, 61, 90)])
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_queue(SOON, None)
    assert shown_keys(proxy) == ["LTR-59"]


# --------------------------------------------------------------------------- crossing


def test_crossing_reports_rows_that_come_within_the_hour_between_two_ticks(
    book: PolicyBook,
) -> None:
    """Given rows due in 1, 60, 61 and 180 minutes,
    When two minutes pass between two ticks,
    Then the rows that crossed an edge are the one now breached (due in 1 minute) and the
    one now due within the hour (61 minutes); the one already within the hour at the first
    tick and the one still far off did not cross."""
    model = TicketTableModel(NOW, UTC)
    model.set_rows([due_in(book, f"LTR-{m}", minutes(m)) for m in (1, 60, 61, 180)])

    crossed = model.crossing(NOW, NOW + minutes(2))

    assert sorted(model.rows[i].key for i in crossed) == ["LTR-1", "LTR-61"]


# --------------------------------------------------------------------------- the window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, FakeTime]]:
    """A window on an empty database, its ticks driven by the test's clock."""
    database = Database.open(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    database.upgrade()
    clock = FakeTime(NOW)
    backend = Dispatcher(database, PolicyBook(load_policies()), clock)
    window = MainWindow(backend, ConsoleSettings(agent="ana", display_zone="UTC"), clock)
    window.timer.stop()
    qtbot.addWidget(window)
    yield window, clock
    window.close()
    backend.stop()
    database.dispose()


def soon_label(window: MainWindow) -> str:
    for i in range(window.sidebar.count()):
        item = window.sidebar.item(i)
        if item.data(QUEUE_ROLE) == SOON:
            return str(item.text())
    raise AssertionError("no 'Breaching within 1 h' queue in the sidebar")


def test_the_sidebar_counts_only_rows_due_within_the_hour(
    window: tuple[MainWindow, FakeTime], book: PolicyBook
) -> None:
    """Given the queue holds rows due in 59, 61 and 90 minutes,
    When the window shows them,
    Then the sidebar counts one row breaching within the hour, and that queue shows it."""
    console, _ = window
    console.show_rows([due_in(book, f"LTR-{m}", minutes(m)) for m in (59, 61, 90)])

    assert soon_label(console) == "Breaching within 1 h  (1)"
    console.proxy.set_queue(SOON, "ana")
    assert shown_keys(console.proxy) == ["LTR-59"]


def test_a_row_joins_the_queue_on_the_tick_it_comes_within_the_hour(
    window: tuple[MainWindow, FakeTime], book: PolicyBook
) -> None:
    """Given the "Breaching within 1 h" queue on screen, with rows due in 59 and 61 minutes,
    When two minutes pass and the window ticks,
    Then the row due in 61 minutes joins the queue and its count, at that tick."""
    console, clock = window
    console.show_rows([due_in(book, f"LTR-{m}", minutes(m)) for m in (59, 61)])
    console.proxy.set_queue(SOON, "ana")
    assert shown_keys(console.proxy) == ["LTR-59"]

    clock.now = NOW + minutes(2)
    console.tick()

    assert shown_keys(console.proxy) == ["LTR-59", "LTR-61"]
    assert soon_label(console) == "Breaching within 1 h  (2)"


# --------------------------------------------------------------------------- the cadence


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def test_a_row_joins_the_queue_at_the_next_half_minute_not_before(
    window: tuple[MainWindow, FakeTime], book: PolicyBook
) -> None:
    """Given the "Breaching within 1 h" queue on screen at 14:30:00, and a row due at
    15:30:10 (ten seconds outside the hour),
    When the window ticks at 14:30:15 (the row is now within the hour) and at 14:30:30,
    Then the row is not in the queue after the first tick, and is, with its count, after the
    second: rows join the queue at :00 and :30 of each minute."""
    console, clock = window
    console.show_rows([due_in(book, "LTR-1", minutes(30)), due_in(book, "LTR-2", seconds(3610))])
    console.proxy.set_queue(SOON, "ana")
    assert shown_keys(console.proxy) == ["LTR-1"]

    clock.now = NOW + seconds(15)
    console.tick()
    assert shown_keys(console.proxy) == ["LTR-1"]
    assert soon_label(console) == "Breaching within 1 h  (1)"

    clock.now = NOW + seconds(30)
    console.tick()
    assert shown_keys(console.proxy) == ["LTR-1", "LTR-2"]
    assert soon_label(console) == "Breaching within 1 h  (2)"


def test_a_row_that_breaches_shows_it_at_once_and_moves_queue_at_the_half_minute(
    window: tuple[MainWindow, FakeTime], book: PolicyBook
) -> None:
    """Given the "Breaching within 1 h" queue on screen at 14:30:00, with a row due at
    14:30:10,
    When the window ticks at 14:30:15,
    Then the row's countdown says it is overdue, in the alarm colour, while the row stays in
    the queue; and after the tick at 14:30:30 it has left it for "Breached"."""
    console, clock = window
    console.show_rows([due_in(book, "LTR-1", seconds(10)), due_in(book, "LTR-2", minutes(30))])
    console.proxy.set_queue(SOON, "ana")
    console.show()
    assert shown_keys(console.proxy) == ["LTR-1", "LTR-2"]

    clock.now = NOW + seconds(15)
    console.tick()
    cell = console.proxy.index(0, COL_COUNTDOWN)
    assert cell.data(ROW_ROLE).key == "LTR-1"
    assert "overdue" in cell.data()
    assert cell.data(Qt.ItemDataRole.ForegroundRole) == console.model._colours.alarm
    assert shown_keys(console.proxy) == ["LTR-1", "LTR-2"]

    clock.now = NOW + seconds(30)
    console.tick()
    assert shown_keys(console.proxy) == ["LTR-2"]
    assert soon_label(console) == "Breaching within 1 h  (1)"
    console.proxy.set_queue(QUEUE_BREACHED, "ana")
    assert shown_keys(console.proxy) == ["LTR-1"]
