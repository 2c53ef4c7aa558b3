"""The window looks at my clocks again when they reach their next warning threshold: the
notification comes on the tick at which the threshold is crossed (not a day later).

The ticket is a Laioutr standard Severity 2 assigned to me and not answered yet: its initial
response is due 180 minutes after submission on a 24/7 calendar. Submitted 80 minutes before
``NOW``, it reaches 50 % of its target 10 minutes after ``NOW`` and 75 % 55 minutes after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.domain.model import Customer, EventKind, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.domain.queue import DEFAULT_THRESHOLDS
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.notifications import ThresholdNotifier
from console.qt.settings import ConsoleSettings
from console.services.queue import QueueRow, make_row
from console.services.tickets import PolicyBook
from consoles import fire

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)
ME = "ana"
JUNIPER = Customer("Juniper Apparel GmbH", "laioutr", "standard", "EMEA")
SUBMITTED = NOW - timedelta(minutes=80)
AT_HALF = SUBMITTED + timedelta(minutes=90)  # 50 % of 180 minutes used
AT_THREE_QUARTERS = SUBMITTED + timedelta(minutes=135)  # 75 %


def my_row(book: PolicyBook) -> QueueRow:
    events = (TicketEvent(EventKind.CREATED, SUBMITTED, {"severity": 2, "status": "open"}),)
    due, clock = book.queue_state(JUNIPER, events, NOW)
    assert due == SUBMITTED + timedelta(minutes=180)
    ticket = Ticket(
        "LTR-7",
        "Checkout fails",
        JUNIPER.name,
        2,
        Status.OPEN,
        SUBMITTED,
        assignee=ME,
        next_due_at=due,
        version=3,
        summary=clock,
    )
    return make_row(book, ticket, JUNIPER)


class Shown:
    """The notifier's ``show``: keeps the titles shown."""

    def __init__(self) -> None:
        self.titles: list[str] = []

    def __call__(self, title: str, message: str, level: int) -> None:
        self.titles.append(title)


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path, clock: FakeTime) -> Iterator[tuple[MainWindow, Shown]]:
    """My window on an empty database, with a notifier that keeps what it shows; its
    ticks are driven by the test's clock."""
    clock.now = NOW
    database = Database.open(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    database.upgrade()
    book = PolicyBook(load_policies())
    backend = Dispatcher(database, book, clock)
    shown = Shown()
    notifier = ThresholdNotifier(ME, DEFAULT_THRESHOLDS, shown)
    settings = ConsoleSettings(agent=ME, display_zone="UTC")
    window = MainWindow(backend, settings, clock, notifier=notifier)
    window.timer.stop()
    qtbot.addWidget(window)
    yield window, shown
    window.close()
    backend.stop()
    database.dispose()


def test_my_clock_notifies_on_the_tick_it_crosses_each_threshold(
    console: tuple[MainWindow, Shown], clock: FakeTime
) -> None:
    """Given my ticket at 44 % of its target when the queue loads (nothing to say yet),
    When the window ticks a second before and a second after 50 %, then 75 %,
    Then each notification comes at the tick after its threshold, not before."""
    window, shown = console
    window.show_rows([my_row(PolicyBook(load_policies()))])
    assert shown.titles == []

    clock.now = AT_HALF - SECOND
    fire(window, "notificationTimer")
    assert shown.titles == []
    clock.now = AT_HALF + SECOND
    fire(window, "notificationTimer")
    assert shown.titles == ["LTR-7 at 50 % of its target"]

    clock.now = AT_THREE_QUARTERS - SECOND
    fire(window, "notificationTimer")
    assert shown.titles == ["LTR-7 at 50 % of its target"]
    clock.now = AT_THREE_QUARTERS + SECOND
    fire(window, "notificationTimer")
    assert shown.titles == ["LTR-7 at 50 % of its target", "LTR-7 at 75 % of its target"]


def test_a_load_is_looked_at_when_the_notification_timer_next_fires(
    console: tuple[MainWindow, Shown], clock: FakeTime
) -> None:
    """Given my ticket already past 50 % of its target when the queue loads,
    When the rows are shown,
    Then nothing is said while they are, the notification timer is set to look at them, and
    the notification comes when it fires."""
    window, shown = console
    clock.now = AT_HALF + SECOND
    window.show_rows([my_row(PolicyBook(load_policies()))])
    assert shown.titles == []
    assert window.notifications.timer.isActive()
    assert window.notifications.next_check() == clock.now

    fire(window, "notificationTimer")
    assert shown.titles == ["LTR-7 at 50 % of its target"]
