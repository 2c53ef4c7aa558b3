"""The database goes away under a running console and comes back (PostgreSQL, for real)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from conftest import FakeTime, started_server
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.policy import load_policies
from console.qt.dispatcher import OFFLINE_MESSAGE, Dispatcher
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings
from console.services.commands import AddNote
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from console.services.views import Agents
from pgserver import PostgresServer

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
pytestmark = pytest.mark.postgres


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    """A server of this test's own: it is stopped and started under the console."""
    server = started_server()
    yield server
    server.cleanup()


def test_the_banner_appears_writes_are_refused_and_the_console_reconnects(
    qtbot: QtBot, server: PostgresServer
) -> None:
    url = server.create_database("console")
    database = Database.open(url)
    database.upgrade()
    book = PolicyBook(load_policies())
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=120, seed=1, now=NOW)
    agents = Agents().run(SqlUnitOfWork(database, write=False), book)
    backend = Dispatcher(database, book, clock)
    window = MainWindow(backend, ConsoleSettings(agent=agents[0].name, display_zone="UTC"), clock)
    window.timer.stop()
    qtbot.addWidget(window)
    try:
        window.load()
        qtbot.waitUntil(lambda: backend.in_flight() == 0, timeout=20_000)
        window.sidebar.setCurrentRow(2)
        backend.start_following()
        qtbot.wait(500)
        before = len(window.model.rows)

        # Given a running console, when the server stops hard,
        with qtbot.waitSignal(backend.connectionChanged, timeout=20_000) as offline:
            server.stop("immediate")
        assert offline.args[0] is False
        # then the banner says so, the countdown goes on, and writes are refused.
        assert window.banner.isVisibleTo(window)
        assert "unreachable" in window.banner.text()
        window.table.selectRow(0)
        text = window.model.index(0, 1).data()
        clock.now += timedelta(seconds=5)
        window.tick()
        assert window.model.index(0, 1).data() != text
        row = window.model.rows[0]
        pending = backend.send(AddNote(row.key, row.ticket.version, "during the outage"))
        with qtbot.waitSignal(pending.failed, timeout=10_000) as refused:
            pass
        assert refused.args[0].message == OFFLINE_MESSAGE and refused.args[0].offline

        # When the server is back, the console reconnects by itself, clears the banner,
        # and nothing written before the stop is lost.
        with qtbot.waitSignal(backend.connectionChanged, timeout=30_000) as online:
            server.restart()
        assert online.args[0] is True
        qtbot.waitUntil(lambda: not window.banner.isVisibleTo(window), timeout=10_000)
        with SqlUnitOfWork(database, write=False) as uow:
            assert uow.tickets.count(open_only=True) == before
        # A change made now reaches the console through the change feed again.
        key = window.model.rows[0].key
        with SqlUnitOfWork(database) as uow:
            ticket = uow.tickets.get(key, with_events=False)
            uow.tickets.update(key, ticket.version, title="Changed after the outage")
            uow.commit()
        qtbot.waitUntil(
            lambda: any(r.ticket.title == "Changed after the outage" for r in window.model.rows),
            timeout=10_000,
        )
    finally:
        window.close()
        backend.stop()
        database.dispose()
