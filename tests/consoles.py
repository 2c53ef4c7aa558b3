"""Consoles for the window tests: a demo database file and windows on it, each with its own
dispatcher, fake clock and connection, driven by the tests (no ticking timer)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings, SettingsStore
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from console.services.views import Agents

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def demo_database(folder: Path, *, tickets: int, seed: int) -> str:
    """A SQLite file of demo data made at ``NOW``; its URL."""
    url = f"sqlite:///{folder / 'console.sqlite3'}"
    database = Database.open(url)
    database.upgrade()
    load_demo(
        SqlUnitOfWork(database, now=FakeTime(NOW)),
        PolicyBook(load_policies()),
        tickets=tickets,
        seed=seed,
        now=NOW,
    )
    database.dispose()
    return url


def settle(qtbot: QtBot, dispatcher: Dispatcher, timeout: int = 20_000) -> None:
    """Wait until every request sent through ``dispatcher`` has answered."""
    qtbot.waitUntil(lambda: dispatcher.in_flight() == 0, timeout=timeout)


class Console:
    """A window with its own dispatcher, clock and database connection, signed in as
    ``me`` (the first person, unless given); with ``store``, the window keeps its layout
    and saved searches there."""

    def __init__(
        self,
        qtbot: QtBot,
        url: str,
        clock: FakeTime,
        me: str | None = None,
        *,
        store: SettingsStore | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.database = Database.open(url)
        book = PolicyBook(load_policies())
        self.dispatcher = Dispatcher(self.database, book, clock)
        agents = Agents().run(SqlUnitOfWork(self.database, write=False), book)
        self.me = me or agents[0].name
        settings = ConsoleSettings(agent=self.me, display_zone="Europe/Zurich")
        self.window = MainWindow(self.dispatcher, settings, clock, settings_store=store)
        self.window.timer.stop()  # ticks are driven by the tests
        qtbot.addWidget(self.window)
        self.window.load()
        self.settle()
        self.window.sidebar.setCurrentRow(2)  # All open

    def settle(self) -> None:
        settle(self.qtbot, self.dispatcher)

    def close(self) -> None:
        self.window.close()
        self.dispatcher.stop()
        self.database.dispose()


def fire(parent: QObject, name: str) -> None:
    """Fire the timer named ``name`` under ``parent`` now, as if its time had come (tests
    move a fake clock instead of waiting)."""
    timer = parent.findChild(QTimer, name)
    assert timer is not None, f"no timer {name!r}"
    timer.timeout.emit()
