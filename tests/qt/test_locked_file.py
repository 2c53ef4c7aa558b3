"""Another program holds the console's SQLite file locked: a write is refused clearly, the
console stays online and counting, and the same write lands once the lock is gone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings
from console.services.demo import load_demo
from console.services.queues import QUEUE_ALL, STANDARD_QUEUES
from console.services.tickets import PolicyBook
from console.services.views import Agents

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def test_a_locked_file_refuses_the_write_and_the_console_carries_on(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "console.sqlite3"
    database = Database.open(f"sqlite:///{path}", busy=0.5)
    database.upgrade()
    book = PolicyBook(load_policies())
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=60, seed=4, now=NOW)
    me = Agents().run(SqlUnitOfWork(database, write=False), book)[0].name
    backend = Dispatcher(database, book, clock)
    window = MainWindow(backend, ConsoleSettings(agent=me, display_zone="UTC"), clock)
    window.timer.stop()
    qtbot.addWidget(window)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        window.load()
        qtbot.waitUntil(lambda: backend.in_flight() == 0, timeout=20_000)
        backend.start_following()
        window.sidebar.setCurrentRow(STANDARD_QUEUES.index(QUEUE_ALL))
        row = next(
            i
            for i in range(window.table.model().rowCount())
            if window.model.rows[
                window.proxy.mapToSource(window.proxy.index(i, 0)).row()
            ].ticket.assignee
            is None
        )
        window.table.selectRow(row)
        key = window.selected_rows()[0].key

        # Given another program holding the file locked for writing,
        other.execute("BEGIN EXCLUSIVE")
        # when the agent takes a ticket, the console says why nothing was saved,
        window.ticket_actions["take"].trigger()
        qtbot.waitUntil(
            lambda: window.findChild(QMessageBox, "failureDialog") is not None, timeout=10_000
        )
        dialog = window.findChild(QMessageBox, "failureDialog")
        assert dialog is not None and str(path) in dialog.text()
        assert "is locked by another program (waited 0.5 s): nothing was saved" in dialog.text()
        # and it stays online (reading works) and counting.
        assert backend.online and not window.banner.isVisibleTo(window)

        def countdowns() -> list[str]:
            return [window.model.index(i, 1).data() for i in range(window.model.rowCount())]

        before = countdowns()
        clock.now += timedelta(minutes=10)
        window.tick()
        assert countdowns() != before
        with SqlUnitOfWork(database, write=False) as uow:
            assert uow.tickets.get(key, with_events=False).assignee != me

        # When the lock is gone, the same action lands.
        other.execute("ROLLBACK")
        dialog.close()
        window.ticket_actions["take"].trigger()
        qtbot.waitUntil(lambda: backend.in_flight() == 0, timeout=10_000)
        with SqlUnitOfWork(database, write=False) as uow:
            assert uow.tickets.get(key, with_events=False).assignee == me
    finally:
        other.close()
        window.close()
        backend.stop()
        database.dispose()
