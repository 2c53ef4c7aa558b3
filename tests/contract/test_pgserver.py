"""Contract of tests/pgserver.py: the throw-away PostgreSQL the database tests rely on.

Why: if the helper misbehaves (wrong port after a crash, leftovers, env leaking in), every
database test fails confusingly; these tests pin the behaviour down in one place.  Without
PostgreSQL they skip, unless SUPPORT_CONSOLE_REQUIRE_POSTGRES=1 (CI) turns that into a failure.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from typing import NoReturn

import psycopg
import pytest
import sqlalchemy

import pgserver
from pgserver import PostgresServer, PostgresUnavailable, find_bindir

REQUIRE_ENV = "SUPPORT_CONSOLE_REQUIRE_POSTGRES"


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when CI demands PostgreSQL (a silent skip would hide a broken setup)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but PostgreSQL is unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_postgres() -> None:
    """Checked per test so the skip/fail reason shows up for each of them."""
    reason = None
    try:
        find_bindir()
    except PostgresUnavailable as exc:
        reason = str(exc)
    if reason is not None:  # outside the except block: no chained traceback in the report
        _unavailable(reason)


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer]:
    """One server for the module: starting costs about half a second."""
    server = PostgresServer()
    reason = None
    try:
        server.start()
    except PostgresUnavailable as exc:  # e.g. root without a postgres user
        reason = str(exc)
    if reason is not None:
        server.cleanup()
        _unavailable(reason)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def pg(pg_server: PostgresServer) -> PostgresServer:
    """The module server, running (a failed fault test must not take the others down)."""
    if not pg_server.is_running():
        pg_server.restart()
    return pg_server


@pytest.mark.postgres
def test_startup_time_is_measured(
    pg: PostgresServer, record_property: Callable[[str, object], None]
) -> None:
    assert pg.startup_seconds is not None
    record_property("pg_startup_seconds", round(pg.startup_seconds, 3))
    print(f"PostgreSQL start-up (initdb + pg_ctl start + first query): {pg.startup_seconds:.2f} s")
    assert pg.startup_seconds < pgserver.START_TIMEOUT


@pytest.mark.postgres
def test_server_answers_select_1(pg: PostgresServer) -> None:
    with psycopg.connect(pg.dsn()) as conn:
        row = conn.execute("select 1").fetchone()
    assert row == (1,)
    assert pg.is_running()
    assert pg.socket_dir is None or (pg.socket_dir / f".s.PGSQL.{pg.port}").is_socket()


@pytest.mark.postgres
def test_create_database_gives_a_url_sqlalchemy_can_use(pg: PostgresServer) -> None:
    pg.execute("create table if not exists scratch (x int); drop table scratch")  # 2 statements
    url = pg.create_database("contract_db")
    assert url == f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/contract_db"
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sqlalchemy.text("select version()")).scalar_one()
            database = conn.execute(sqlalchemy.text("select current_database()")).scalar_one()
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    assert database == "contract_db"
    # Recreating drops the old one, even with a connection still open on it.
    with psycopg.connect(pg.dsn("contract_db"), autocommit=True) as conn:
        conn.execute("create table leftover (x int)")
        assert pg.create_database("contract_db") == url
    with psycopg.connect(pg.dsn("contract_db")) as conn:
        found = conn.execute("select to_regclass('leftover')").fetchone()
    assert found == (None,)


@pytest.mark.postgres
def test_immediate_stop_fails_clients_and_restart_keeps_port_and_data(
    pg: PostgresServer,
) -> None:
    pg.create_database("fault_db")
    with psycopg.connect(pg.dsn("fault_db"), autocommit=True) as conn:
        # synchronous_commit=off (server default here, for speed) would let the crash eat
        # these commits; a test that expects data to survive a crash must turn it on.
        conn.execute("set synchronous_commit = on")
        conn.execute("create table survivor (id int primary key, note text)")
        conn.execute("insert into survivor values (1, 'before the crash')")
    port = pg.port

    with psycopg.connect(pg.dsn("fault_db"), autocommit=True) as client:
        pg.stop("immediate")
        assert not pg.is_running()
        with pytest.raises(psycopg.OperationalError):
            client.execute("select 1")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg.dsn("fault_db"), connect_timeout=5).close()

    pg.restart()
    print(f"restart after an immediate stop (crash recovery): {pg.last_start_seconds:.2f} s")
    assert pg.is_running()
    assert pg.port == port
    with psycopg.connect(pg.dsn("fault_db")) as conn:
        rows = conn.execute("select id, note from survivor").fetchall()
    assert rows == [(1, "before the crash")]


@pytest.mark.postgres
def test_restart_of_a_running_server_and_stop_modes(pg: PostgresServer) -> None:
    port = pg.port
    pg.restart()  # running: stops (fast) first
    assert pg.port == port
    pg.stop("smart")
    pg.stop("smart")  # already stopped: no-op
    assert not pg.is_running()
    with pytest.raises(ValueError, match="stop mode"):
        pg.stop("sudden")
    pg.restart()
    assert pg.port == port
    pg.execute("select 1")


@pytest.mark.postgres
def test_cleanup_removes_everything_and_is_idempotent() -> None:
    with PostgresServer() as server:
        temp_dir = server.temp_dir
        dsn = server.dsn()
        assert (server.data_dir / "PG_VERSION").is_file()
        server.execute("select 1")
    assert not temp_dir.exists()
    assert not server.is_running()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn, connect_timeout=5).close()
    server.cleanup()
    server.cleanup()
    PostgresServer().cleanup()  # never started: nothing to do


@pytest.mark.postgres
def test_taken_port_is_retried_and_pg_environment_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "PGHOST": "/nonexistent",
        "PGPORT": "1",
        "PGUSER": "nobody",
        "PGDATABASE": "nowhere",
        "PGDATA": "/nonexistent/data",
    }.items():
        monkeypatch.setenv(name, value)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken: int = squatter.getsockname()[1]
        ports = iter([taken])
        real_free_port = pgserver._free_port
        monkeypatch.setattr(pgserver, "_free_port", lambda: next(ports, None) or real_free_port())
        with PostgresServer() as server:
            assert server.port != taken
            with psycopg.connect(server.dsn()) as conn:
                assert conn.execute("select current_user").fetchone() == ("postgres",)
            assert "could not bind" in server.log_tail(200)
