"""Connections that notice (PostgreSQL, for real): every connection carries the server-side
timeouts and TCP keepalives, the server ends a transaction left idle, and a wait on a server
that stopped answering ends at its client-side bound with nothing half-written."""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError

from conftest import started_server
from console.adapters import database as db
from console.adapters.database import Database
from console.adapters.listen import PostgresListener
from console.adapters.postgres import ServerSilentError, WatchedConnection
from console.adapters.watchdog import bounded_waits
from frozen import frozen, without_hanging
from pgserver import PostgresServer

pytestmark = pytest.mark.postgres

BOUND = 2.0  # the client-side bound these tests set (the dispatcher's are longer)
HANG_GUARD = 60.0  # a test fails rather than hangs (not a measure of speed)
EXPECTED = {
    "statement_timeout": db.STATEMENT_TIMEOUT_SECONDS * 1000,
    "lock_timeout": db.LOCK_TIMEOUT_SECONDS * 1000,
    "idle_in_transaction_session_timeout": db.IDLE_IN_TRANSACTION_SECONDS * 1000,
}


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    """A server of these tests' own: they freeze it, which must disturb no other test."""
    server = started_server()
    yield server
    server.cleanup()


@pytest.fixture
def database(server: PostgresServer) -> Iterator[Database]:
    """A database with a table ``notes`` on the tests' own server."""
    url = server.create_database("connections")
    server.execute("CREATE TABLE notes (n integer)", database="connections")
    opened = Database.open(url)
    yield opened
    opened.dispose()


def with_options(url: str, **params: str) -> str:
    return url + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())


def server_settings(connection: Any) -> dict[str, int]:
    """The timeouts the server applies to ``connection``'s session, in milliseconds."""
    rows = connection.execute(
        "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(EXPECTED)]
    ).fetchall()
    return {name: int(setting) for name, setting in rows}


def keepalives(connection: Any) -> dict[str, int]:
    """The TCP options of ``connection``'s socket, as the client's kernel applies them."""
    sock = socket.socket(fileno=os.dup(connection.fileno()))
    try:
        found = {
            "keepalive": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
            "idle": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
            "interval": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
            "count": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
        }
        if sys.platform == "linux":
            found["user_timeout"] = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT)
        return found
    finally:
        sock.close()


def expected_keepalives(idle: int = db.KEEPALIVES_IDLE_SECONDS) -> dict[str, int]:
    expected = {
        "keepalive": 1,
        "idle": idle,
        "interval": db.KEEPALIVES_INTERVAL_SECONDS,
        "count": db.KEEPALIVES_COUNT,
    }
    if sys.platform == "linux":
        expected["user_timeout"] = db.TCP_USER_TIMEOUT_MS
    return expected


def pooled(database: Database) -> Any:
    """A connection of the pool, as psycopg's (checked back in by the caller's close)."""
    return database.engine.raw_connection()


# --------------------------------------------------------------------------- settings


@pytest.mark.skipif(sys.platform != "linux", reason="reads Linux TCP socket options")
def test_a_pooled_connection_has_the_timeouts_and_the_keepalives(postgres_url: str) -> None:
    database = Database.open(postgres_url)
    try:
        raw = pooled(database)
        try:
            assert isinstance(raw.driver_connection, WatchedConnection)
            assert server_settings(raw.driver_connection) == EXPECTED
            assert keepalives(raw.driver_connection) == expected_keepalives()
        finally:
            raw.close()
    finally:
        database.dispose()


@pytest.mark.skipif(sys.platform != "linux", reason="reads Linux TCP socket options")
def test_the_listener_connection_has_them_too(postgres_url: str) -> None:
    database = Database.open(postgres_url)
    listener = PostgresListener(database)
    try:
        connection = listener._connection  # the LISTEN connection itself
        assert isinstance(connection, WatchedConnection)
        assert server_settings(connection) == EXPECTED
        assert keepalives(connection) == expected_keepalives()
    finally:
        listener.close()
        database.dispose()


@pytest.mark.skipif(sys.platform != "linux", reason="reads Linux TCP socket options")
def test_what_the_url_says_itself_wins(postgres_url: str) -> None:
    url = with_options(postgres_url, options="-c lock_timeout=2s", keepalives_idle="30")
    database = Database.open(url)
    listener = PostgresListener(database)
    raw = pooled(database)
    try:
        for connection in (raw.driver_connection, listener._connection):
            assert server_settings(connection) == {**EXPECTED, "lock_timeout": 2000}
            assert keepalives(connection) == expected_keepalives(idle=30)
    finally:
        raw.close()
        listener.close()
        database.dispose()


def test_the_server_ends_a_transaction_left_idle(postgres_server: PostgresServer) -> None:
    """The idle-in-transaction timeout (made 1 s here, through the URL's options) ends the
    session on the server's side, and what the transaction wrote is gone."""
    server, name = postgres_server, "idle_in_transaction"
    url = server.create_database(name)
    server.execute("CREATE TABLE notes (n integer)", database=name)
    database = Database.open(with_options(url, options="-c idle_in_transaction_session_timeout=1s"))
    try:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("INSERT INTO notes VALUES (1)")
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            wait_until_gone(server, name, pid)
            with pytest.raises(DBAPIError, match="idle-in-transaction"):
                connection.exec_driver_sql("SELECT 1")
        assert count_notes(server, name) == 0
    finally:
        database.dispose()


# --------------------------------------------------------------------------- a frozen server


def test_a_wait_on_a_frozen_server_ends_at_its_bound_and_nothing_lands(
    server: PostgresServer, database: Database
) -> None:
    with database.engine.connect() as connection:  # a connection in the pool, as in use
        connection.exec_driver_sql("SELECT 1")

    def write() -> None:
        with bounded_waits(BOUND), database.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO notes VALUES (1)")

    with frozen(server), pytest.raises(OperationalError) as raised:
        without_hanging(write, HANG_GUARD)
    assert isinstance(raised.value.orig, ServerSilentError)
    assert "did not answer within 2 s" in str(raised.value)
    # Once the server answers again, the write is not there, and the pool works.
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM notes").scalar() == 0


def test_a_ping_on_a_frozen_server_fails_without_connecting_again(
    server: PostgresServer, database: Database
) -> None:
    """The pool's ping of a connection that waited past its bound reports the failure
    at once: no new connection is tried (it would wait for connect_timeout too)."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    connects: list[object] = []
    event.listen(database.engine, "connect", lambda *_: connects.append(True))

    def read() -> None:
        with bounded_waits(BOUND), database.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    with frozen(server), pytest.raises(OperationalError) as raised:
        without_hanging(read, HANG_GUARD)
    assert isinstance(raised.value.orig, ServerSilentError)
    assert connects == []


def test_a_commit_the_frozen_server_had_received_lands_once_when_it_thaws(
    server: PostgresServer, database: Database
) -> None:
    """The one case where a failed wait does not mean "not written": the COMMIT had reached
    the server before it stopped answering. It lands, once, like a commit on any connection
    lost at that moment."""
    connection = database.engine.connect()
    transaction = connection.begin()
    connection.exec_driver_sql("INSERT INTO notes VALUES (1)")
    pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()

    def commit() -> None:
        with bounded_waits(BOUND):
            transaction.commit()

    try:
        with frozen(server), pytest.raises(OperationalError) as raised:
            without_hanging(commit, HANG_GUARD)
        assert isinstance(raised.value.orig, ServerSilentError)
    finally:
        connection.close()
    wait_until_gone(server, "connections", pid)
    assert count_notes(server, "connections") == 1


def test_waiting_for_notifications_is_not_cut(database: Database) -> None:
    """The listener's wait for notifications has a timeout of its own: a bound shorter than
    it does not cut the connection, which is still good afterwards."""
    listener = PostgresListener(database)
    try:
        with bounded_waits(0.2):
            assert listener.wait(1.0) is False
            assert listener._connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        listener.close()


# --------------------------------------------------------------------------- helpers


def wait_until_gone(server: PostgresServer, name: str, pid: int) -> None:
    """Until the server process ``pid`` has ended (it ends its session itself)."""
    deadline = time.monotonic() + HANG_GUARD
    with psycopg.connect(server.dsn(name), autocommit=True) as watcher:
        while watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            if time.monotonic() > deadline:
                pytest.fail(f"server process {pid} still there after {HANG_GUARD:g} s")
            time.sleep(0.05)


def count_notes(server: PostgresServer, name: str) -> int:
    with psycopg.connect(server.dsn(name), autocommit=True) as reader:
        row = reader.execute("SELECT count(*) FROM notes").fetchone()
    assert row is not None
    return int(row[0])
