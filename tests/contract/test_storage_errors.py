"""describe_storage_error: real failures of SQLite files, files and a PostgreSQL server, each
mapped to its kind with a message that names the file or the URL (never the password)."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from console.adapters.database import Database, DatabaseError, DatabaseLockedError
from console.adapters.storage_errors import StorageKind, StorageProblem, describe_storage_error
from pgserver import PostgresServer


def problem_of(error: BaseException, url: str | None = None) -> StorageProblem:
    problem = describe_storage_error(error, url)
    assert problem is not None, f"not recognised: {error!r}"
    return problem


def sqlite_failure(url: str, statement: str) -> DBAPIError:
    """The error SQLAlchemy raises running ``statement`` on ``url``."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    except DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{statement!r} on {url} did not fail")


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    connection.close()
    return path


# --------------------------------------------------------------------------- SQLite


def test_garbage_and_a_truncated_file_are_corrupt(tmp_path: Path, good_file: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(bytes(range(256)) * 64)
    problem = problem_of(sqlite_failure(f"sqlite:///{garbage}", "SELECT * FROM t"), "")
    assert problem.kind is StorageKind.CORRUPT

    data = good_file.read_bytes()
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(data[: len(data) // 2])
    url = f"sqlite:///{truncated}"
    problem = problem_of(sqlite_failure(url, "SELECT count(*) FROM t WHERE x LIKE '%y%'"), url)
    assert problem.kind is StorageKind.CORRUPT
    assert str(truncated) in problem.message and "damaged" in problem.message


def test_a_full_database_is_full(good_file: Path) -> None:
    """SQLite's page limit stands in for a full disk: the write fails with SQLITE_FULL."""
    url = f"sqlite:///{good_file}"
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(DBAPIError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO t SELECT x FROM t"))
    engine.dispose()
    problem = problem_of(raised.value, url)
    assert problem.kind is StorageKind.FULL
    assert str(good_file) in problem.message and "nothing was saved" in problem.message


def test_a_read_only_database_is_read_only(good_file: Path) -> None:
    url = f"sqlite:///file:{good_file}?mode=ro&uri=true"
    problem = problem_of(sqlite_failure(url, "INSERT INTO t VALUES ('y')"), url)
    assert problem.kind is StorageKind.READ_ONLY
    assert f"the database file {good_file} is read-only" in problem.message


def test_a_missing_file_or_a_folder_cannot_be_opened(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    url = f"sqlite:///file:{missing}?mode=ro&uri=true"
    problem = problem_of(sqlite_failure(url, "SELECT 1"), url)
    assert problem.kind is StorageKind.MISSING and "it does not exist" in problem.message

    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    url = f"sqlite:///{folder}"
    problem = problem_of(sqlite_failure(url, "SELECT 1"), url)
    assert problem.kind is StorageKind.MISSING and "is a folder, not a file" in problem.message


def test_the_console_s_own_database_error_is_seen_through(tmp_path: Path) -> None:
    """ensure_schema says "cannot reach" for any OperationalError; the cause says which."""
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    database = Database.open(str(folder))
    try:
        with pytest.raises(DatabaseError) as raised:
            database.ensure_schema()
    finally:
        database.dispose()
    assert problem_of(raised.value, database.url).kind is StorageKind.MISSING


def test_a_locked_file_is_locked(good_file: Path) -> None:
    holder = sqlite3.connect(good_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        url = f"sqlite:///{good_file}?timeout=0"
        problem = problem_of(sqlite_failure(url, "SELECT * FROM t"), url)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert problem.kind is StorageKind.LOCKED and str(good_file) in problem.message

    locked = DatabaseLockedError(str(good_file), 2.0)
    assert problem_of(locked) == StorageProblem(StorageKind.LOCKED, str(locked))


# --------------------------------------------------------------------------- files


def test_file_errors_by_errno(tmp_path: Path) -> None:
    with pytest.raises(OSError) as missing:
        (tmp_path / "missing.csv").open()
    assert problem_of(missing.value) == StorageProblem(
        StorageKind.MISSING, f"{tmp_path / 'missing.csv'} does not exist"
    )
    with pytest.raises(OSError) as no_folder:
        (tmp_path / "nowhere" / "x.csv").open("w")
    assert problem_of(no_folder.value).message.endswith(
        f"its folder {tmp_path / 'nowhere'} does not exist"
    )
    with pytest.raises(OSError) as folder:
        tmp_path.open("w")
    assert problem_of(folder.value).message == f"{tmp_path} is a folder, not a file"
    # Permissions do not hold for root: the errno of a read-only disk and of a refusal.
    read_only = OSError(errno.EROFS, os.strerror(errno.EROFS), "/mnt/ro/x.csv")
    assert problem_of(read_only).kind is StorageKind.READ_ONLY
    refused = OSError(errno.EACCES, os.strerror(errno.EACCES), "/etc/x.csv")
    assert problem_of(refused).kind is StorageKind.READ_ONLY
    assert "/etc/x.csv" in problem_of(refused).message


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_full() -> None:
    with pytest.raises(OSError) as raised, open("/dev/full", "w") as full:
        full.write("x")
        full.flush()
    assert problem_of(raised.value).kind is StorageKind.FULL


def test_a_sqlite_url_with_options_sqlite_does_not_know_is_a_bad_url(tmp_path: Path) -> None:
    url = f"sqlite:///file:{tmp_path / 'x.sqlite3'}?mode=zz&uri=true"
    problem = problem_of(sqlite_failure(url, "SELECT 1"), url)
    assert problem.kind is StorageKind.BAD_URL
    assert problem.message.endswith("is not a usable SQLite URL: no such access mode: zz")


def test_other_errors_are_not_storage_problems(tmp_path: Path) -> None:
    assert describe_storage_error(ValueError("x")) is None
    assert describe_storage_error(DatabaseError("SQLite has no users")) is None
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert describe_storage_error(sqlite_failure(url, "SELECT * FROM nowhere"), url) is None


# --------------------------------------------------------------------------- PostgreSQL


def connect_error(url: str) -> DBAPIError:
    engine: Engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{url} connected")


@pytest.fixture
def password_login(postgres_server: PostgresServer) -> Iterator[tuple[str, str]]:
    """A login that must give its password (the server trusts every other one)."""
    name = "pw_login"
    postgres_server.execute(f"DROP ROLE IF EXISTS {name}")
    postgres_server.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'right-one'")
    hba = postgres_server.data_dir / "pg_hba.conf"
    before = hba.read_text()
    hba.write_text(f"host all {name} 127.0.0.1/32 scram-sha-256\n" + before)
    postgres_server.execute("SELECT pg_reload_conf()")
    yield name, "right-one"
    hba.write_text(before)
    postgres_server.execute("SELECT pg_reload_conf()")


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@pytest.mark.postgres
def test_postgres_connection_failures(
    postgres_server: PostgresServer, password_login: tuple[str, str]
) -> None:
    port = postgres_server.port
    refused = sqlalchemy_url(postgres_server.url()).replace(f":{port}/", ":1/")
    problem = problem_of(connect_error(refused), refused)
    assert problem.kind is StorageKind.UNREACHABLE
    assert problem.message.startswith("cannot reach postgresql+psycopg://postgres@127.0.0.1:1/")

    nowhere = sqlalchemy_url(postgres_server.url(database="no_such_db"))
    problem = problem_of(connect_error(nowhere), nowhere)
    assert problem.kind is StorageKind.NO_DATABASE and "no_such_db" in problem.message

    nobody = sqlalchemy_url(postgres_server.url(user="nobody_here"))
    problem = problem_of(connect_error(nobody), nobody)
    assert problem.kind is StorageKind.LOGIN_REFUSED and "nobody_here" in problem.message

    name, _ = password_login
    wrong = sqlalchemy_url(postgres_server.url(user=name, password="wrong-one"))
    problem = problem_of(connect_error(wrong), wrong)
    assert problem.kind is StorageKind.LOGIN_REFUSED
    assert "password authentication failed" in problem.message
    assert "wrong-one" not in problem.message and f"{name}:***@" in problem.message
    assert problem.kind.is_connection


@pytest.mark.postgres
def test_postgres_url_options_and_sql_errors(postgres_server: PostgresServer) -> None:
    for option in ("?foo=bar", "?sslmode=bogus"):
        url = sqlalchemy_url(postgres_server.url()) + option
        problem = problem_of(connect_error(url), url)
        assert problem.kind is StorageKind.BAD_URL, option
        assert "is not a usable PostgreSQL URL: " in problem.message
    # An error of SQL is not read by its words: this one says "No such file or directory".
    url = sqlalchemy_url(postgres_server.url())
    engine = create_engine(url)
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT pg_read_file('/no/such/file')"))
    engine.dispose()
    assert "No such file or directory" in str(raised.value)
    assert describe_storage_error(raised.value, url) is None


def test_a_connection_timeout_is_unreachable() -> None:
    # A host that never answers would take the whole timeout: libpq's own words will do.
    error = psycopg.OperationalError("connection timeout expired")
    url = "postgresql+psycopg://ana:secret@db.example/support"
    problem = problem_of(error, url)
    assert problem.kind is StorageKind.UNREACHABLE
    assert problem.message == (
        "cannot reach postgresql+psycopg://ana:***@db.example/support: connection timeout expired"
    )
