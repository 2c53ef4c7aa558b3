"""A PostgreSQL server that stops answering under a running console (its processes frozen,
for real) and one that only makes an action wait for a lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from conftest import FakeTime, started_server
from console.adapters.database import CONNECT_TIMEOUT_SECONDS, Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, EventKind, Role
from console.domain.policy import load_policies
from console.qt.dispatcher import (
    BUSY_MESSAGE,
    OFFLINE_MESSAGE,
    RETRY_SECONDS,
    Dispatcher,
    is_connection_error,
)
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings
from console.services.commands import AddNote
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from console.services.views import Agents
from frozen import frozen
from pgserver import PostgresServer

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
BANNER_MS = 10_000  # the requirement: the offline banner within 10 s of the server freezing
HANG_GUARD_MS = 60_000  # a test fails rather than hangs (not a measure of speed)
pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    """A server of these tests' own: they freeze it, which must disturb no other test."""
    server = started_server()
    yield server
    server.cleanup()


@dataclass
class Running:
    database: Database
    backend: Dispatcher
    window: MainWindow


@pytest.fixture
def start(qtbot: QtBot, server: PostgresServer) -> Iterator[Callable[[str], Running]]:
    """Starts a console following the feed of a demo database, with the URL's own libpq
    ``options`` given (none: "")."""
    started: list[Running] = []

    def start_console(options: str) -> Running:
        url = server.create_database("console")
        if options:
            url += "?options=" + quote(options, safe="")
        database = Database.open(url)
        database.upgrade()
        book = PolicyBook(load_policies())
        clock = FakeTime(NOW)
        load_demo(SqlUnitOfWork(database, now=clock), book, tickets=40, seed=4, now=NOW)
        with SqlUnitOfWork(database) as uow:  # the console acts for its login: make it one
            uow.agents.add(Agent("postgres", "Database owner", Role.AGENT, "EMEA", "UTC"))
            uow.commit()
        agents = Agents().run(SqlUnitOfWork(database, write=False), book)
        backend = Dispatcher(database, book, clock)
        settings = ConsoleSettings(agent=agents[0].name, display_zone="UTC")
        window = MainWindow(backend, settings, clock)
        window.timer.stop()
        qtbot.addWidget(window)
        started.append(Running(database, backend, window))
        window.load()
        qtbot.waitUntil(lambda: backend.in_flight() == 0, timeout=20_000)
        window.sidebar.setCurrentRow(2)
        backend.start_following()
        qtbot.wait(500)
        return started[-1]

    yield start_console
    for console in started:
        console.window.close()
        console.backend.stop()
        console.database.dispose()


def notes(database: Database, key: str, text: str) -> int:
    with SqlUnitOfWork(database, write=False) as uow:
        events = uow.tickets.get(key).events
    return sum(1 for e in events if e.kind is EventKind.NOTE and e.data.get("text") == text)


def test_a_frozen_server_shows_the_banner_and_an_action_on_it_fails_unwritten(
    qtbot: QtBot, server: PostgresServer, start: Callable[[str], Running]
) -> None:
    running = start("")
    backend, window = running.backend, running.window
    # Connections that served before wait in the pool, as in a console at work for a while:
    # the next request's first question to the server is the pool's ping of one of them.
    warm = [running.database.engine.connect() for _ in range(3)]
    for connection in warm:
        connection.exec_driver_sql("SELECT 1")
    for connection in warm:
        connection.close()
    row = window.model.rows[0]
    text = "while the server was frozen"
    with frozen(server):
        # Given a console at work, when its server stops answering, an action sent now
        # waits on it, and the banner shows within 10 s;
        pending = backend.send(AddNote(row.key, row.ticket.version, text))
        qtbot.waitUntil(lambda: window.banner.isVisibleTo(window), timeout=BANNER_MS)
        assert "unreachable" in window.banner.text()
        assert "did not answer" in window.banner.text()
        # then the action fails as offline rather than hanging,
        with qtbot.waitSignal(pending.failed, timeout=HANG_GUARD_MS) as failed:
            pass
        assert failed.args[0].offline and failed.args[0].message == OFFLINE_MESSAGE
        # and while the server stays frozen the console stays offline, trying again (and
        # failing to connect) quietly.
        qtbot.wait(round((RETRY_SECONDS + CONNECT_TIMEOUT_SECONDS + 1) * 1000))
        assert window.banner.isVisibleTo(window) and not backend.online
    # When the server answers again, the console is back by itself; the action is not
    # there (it never got past its first question to the server), and sent again it lands.
    qtbot.waitUntil(lambda: not window.banner.isVisibleTo(window), timeout=HANG_GUARD_MS)
    assert backend.online
    assert notes(running.database, row.key, text) == 0
    again = backend.send(AddNote(row.key, row.ticket.version, text))
    with qtbot.waitSignal(again.finished, timeout=HANG_GUARD_MS):
        pass
    assert notes(running.database, row.key, text) == 1


def test_failing_to_connect_to_a_silent_server_counts_as_offline() -> None:
    """The listener's connection is psycopg's own: its connection timeout is not wrapped."""
    assert is_connection_error(psycopg.errors.ConnectionTimeout("connection timeout expired"))


def test_an_action_that_waits_too_long_for_a_lock_fails_and_the_console_stays_online(
    qtbot: QtBot, server: PostgresServer, start: Callable[[str], Running]
) -> None:
    running = start("-c lock_timeout=1s")  # the URL's own options win: a shorter test
    backend, window = running.backend, running.window
    row = window.model.rows[0]
    went_offline: list[bool] = []
    backend.connectionChanged.connect(lambda online, _message: went_offline.append(not online))
    with psycopg.connect(server.dsn("console")) as holder:  # another client holds the ticket
        holder.execute("SELECT 1 FROM tickets WHERE key = %s FOR UPDATE", [row.key])
        pending = backend.send(AddNote(row.key, row.ticket.version, "behind a lock"))
        with qtbot.waitSignal(pending.failed, timeout=HANG_GUARD_MS) as failed:
            pass
    failure = failed.args[0]
    assert not failure.offline
    assert failure.message.startswith(BUSY_MESSAGE.split("{", 1)[0])
    assert "lock timeout" in failure.message
    assert backend.online and not any(went_offline)
    assert not window.banner.isVisibleTo(window)
    assert notes(running.database, row.key, "behind a lock") == 0
