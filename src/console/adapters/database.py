"""Which database, how to connect to it, and its schema (Alembic migrations).

SQLite (the default, a file in the user's data directory) runs in WAL mode with a busy
timeout; a write transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``) so two
writers never deadlock upgrading read locks. PostgreSQL is reached through psycopg 3, on
connections that notice a server gone quiet (see :func:`postgres_connect_args` and
:mod:`console.adapters.postgres`).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from console.domain.errors import DomainError

DB_VARIABLE = "SUPPORT_CONSOLE_DB"
APP_NAME = "support-console"
BUSY_VARIABLE = "SUPPORT_CONSOLE_SQLITE_BUSY_SECONDS"
SQLITE_BUSY_SECONDS = 30.0

# Every PostgreSQL connection (the pool's and the change-feed listener's) asks the server to
# end, on its side, what a client left hanging. The figures leave room for the longest work
# there is, measured on 100,000 open tickets: a lead's recompute of their due instants takes
# 2 s in one transaction (its longest statement 0.2 s), `db recompute` from the histories
# 34 s (its longest statement 1 s), reading every open row 2 s (1.8 s for its one
# statement), loading the 100,000 tickets 45 s (its longest statement 2 s).
STATEMENT_TIMEOUT_SECONDS = 60  # any one statement
# A write waiting for a row (or the change feed's advisory lock) held by another client's
# transaction. Locks are held for milliseconds, by a lead's recompute for about 2 s; kept
# below the dispatcher's client-side bound (10 s) so that a lock wait ends with the server's
# own "lock timeout" rather than with the connection cut.
LOCK_TIMEOUT_SECONDS = 5
IDLE_IN_TRANSACTION_SECONDS = 60  # a transaction left open (a client that hung or vanished)
CONNECT_TIMEOUT_SECONDS = 5
# TCP keepalives: an idle connection (the listener's, mostly) to a host that vanished is
# noticed within 10 + 3 x 3 = 19 s; data sent and not acknowledged for 20 s ends a busy one
# (tcp_user_timeout, Linux only). Neither notices a server whose processes are stopped, since
# its kernel still acknowledges: the client-side bound does (console.adapters.watchdog).
KEEPALIVES_IDLE_SECONDS = 10
KEEPALIVES_INTERVAL_SECONDS = 3
KEEPALIVES_COUNT = 3
TCP_USER_TIMEOUT_MS = 20_000


class DatabaseError(DomainError):
    """The database cannot be used: unreachable, unknown URL, or a schema this app cannot run."""


class DatabaseLockedError(DatabaseError):
    """Another program held the SQLite file locked for longer than the console waits."""

    def __init__(self, path: str, waited: float, *, writing: bool = True) -> None:
        outcome = "nothing was saved" if writing else "it could not be read"
        super().__init__(
            f"the database file {path} is locked by another program (waited {waited:g} s): "
            f"{outcome}; try again when it is free"
        )
        self.path = path
        self.waited = waited


class DatabaseMissingError(DatabaseError):
    """A SQLite file the console was told to use does not exist (moved or deleted?)."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"the database file {path} does not exist: it may have been moved or deleted. "
            "Nothing was created; choose the file again, or start a new database on purpose"
        )
        self.path = path


def busy_seconds() -> float:
    """How long a SQLite write waits for another program's lock: ``$SUPPORT_CONSOLE_SQLITE_
    BUSY_SECONDS``, else 30 s."""
    given = os.environ.get(BUSY_VARIABLE)
    if not given:
        return SQLITE_BUSY_SECONDS
    try:
        value = float(given)
    except ValueError:
        raise DatabaseError(f"{BUSY_VARIABLE}={given!r} is not a number of seconds") from None
    if not 0 <= value <= 3600:
        raise DatabaseError(f"{BUSY_VARIABLE}={given!r} must be between 0 and 3600 seconds")
    return value


def default_url() -> str:
    """A SQLite file in the user's data directory (created on first use)."""
    folder = user_data_path(APP_NAME, appauthor=False, ensure_exists=True)
    return f"sqlite:///{folder / 'console.sqlite3'}"


def resolve_url(given: str | None = None) -> str:
    """``--db`` if given, else ``$SUPPORT_CONSOLE_DB``, else the default SQLite file.

    A plain ``postgresql://`` URL is read as psycopg 3; a bare path as a SQLite file.
    """
    url = given or os.environ.get(DB_VARIABLE) or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    elif "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except Exception as error:
        raise DatabaseError(f"{url!r} is not a database URL: {error}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"{parsed.get_backend_name()} is not supported: use SQLite or PostgreSQL"
        )
    return url


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (also in SQLite's ``file:`` URI form), or None (in
    memory, or not SQLite)."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if parsed.query.get("uri") in ("true", "1") and name.startswith("file:"):
        return Path(unquote(name.removeprefix("file:")))
    return Path(name)


def postgres_connect_args(url: str | URL) -> dict[str, Any]:
    """libpq parameters for every PostgreSQL connection: the server-side timeouts (as
    ``options=-c ...``), ``connect_timeout`` and TCP keepalives.

    What the URL says itself wins: its own parameters are kept, and its own ``options`` come
    after these (so ``?options=-c lock_timeout=2s`` sets that one and keeps the others).
    """
    given = make_url(url).query if isinstance(url, str) else url.query
    settings = {
        "statement_timeout": f"{STATEMENT_TIMEOUT_SECONDS}s",
        "lock_timeout": f"{LOCK_TIMEOUT_SECONDS}s",
        "idle_in_transaction_session_timeout": f"{IDLE_IN_TRANSACTION_SECONDS}s",
    }
    options = [f"-c {name}={value}" for name, value in settings.items()]
    own = given.get("options")
    options.extend([own] if isinstance(own, str) else list(own or ()))
    args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": KEEPALIVES_IDLE_SECONDS,
        "keepalives_interval": KEEPALIVES_INTERVAL_SECONDS,
        "keepalives_count": KEEPALIVES_COUNT,
    }
    if sys.platform == "linux" and _libpq_version() >= 120000:  # a libpq 11 refuses it
        args["tcp_user_timeout"] = TCP_USER_TIMEOUT_MS
    args = {name: value for name, value in args.items() if name not in given}
    args["options"] = " ".join(options)
    return args


def _libpq_version() -> int:
    import psycopg

    return psycopg.pq.version()


def _postgres_engine(url: str) -> Engine:
    # psycopg is imported only when PostgreSQL is used (it costs a SQLite console's start).
    from console.adapters.postgres import ServerSilentError, WatchedConnection

    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        connect_args=postgres_connect_args(url),
    )

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        # Connections whose waits can be bounded (console.adapters.postgres).
        return WatchedConnection.connect(*cargs, **cparams)

    @event.listens_for(engine, "handle_error")
    def on_error(context: ExceptionContext) -> None:
        # The pool's ping of a connection found the server silent: say so now, rather than
        # also waiting for a new connection to that server (connect_timeout) first.
        if context.is_pre_ping and isinstance(context.original_exception, ServerSilentError):
            context.is_disconnect = False

    return engine


def describe(url: str) -> str:
    """The URL for display, without a password."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str, *, write: bool, busy: float) -> Engine:
    # A connection per unit of work, never handed from one thread to another: the console
    # works from several threads, and opening a SQLite file costs well under a millisecond.
    # Connections open the file as it is (mode=rw): a file deleted under a running console
    # is an error, never a new empty database in its place.
    # (A URL with options of its own but no uri=true is left as given: SQLAlchemy warns
    # that it ignores them.)
    parsed = make_url(url)
    path = sqlite_path(url)
    uri = parsed.query.get("uri") in ("true", "1")
    if path is not None and (uri or not parsed.query):
        options = {k: v for k, v in parsed.query.items() if k != "uri"}
        options.setdefault("mode", "rw")  # a URL's own mode (ro) stands
        url = f"sqlite:///file:{quote(str(path))}?{urlencode(options, doseq=True)}&uri=true"
    engine = create_engine(
        url,
        poolclass=NullPool,
        connect_args={"timeout": busy, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver so that BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={round(busy * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@dataclass
class Database:
    """Engines and session factories for one database URL."""

    url: str
    engine: Engine
    write_engine: Engine
    busy_seconds: float = SQLITE_BUSY_SECONDS  # SQLite: how long to wait for a lock

    @classmethod
    def open(
        cls, url: str | None = None, *, busy: float | None = None, create: bool = True
    ) -> Database:
        """``busy``: how long SQLite waits for another program's lock (default
        :func:`busy_seconds`) before :class:`DatabaseLockedError`. A SQLite file that does
        not exist is made (empty) when ``create``, else :class:`DatabaseMissingError`."""
        resolved = resolve_url(url)
        parsed = make_url(resolved)
        if parsed.get_backend_name() == "sqlite":
            path = sqlite_path(resolved)
            if path is not None and not path.exists():
                if not create:
                    raise DatabaseMissingError(str(path))
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sqlite3.connect(path).close()  # an empty database, made on purpose
                except (OSError, sqlite3.Error) as error:
                    raise DatabaseError(f"cannot create {path}: {error}") from None
            wait = busy_seconds() if busy is None else busy
            return cls(
                resolved,
                _sqlite_engine(resolved, write=False, busy=wait),
                _sqlite_engine(resolved, write=True, busy=wait),
                wait,
            )
        engine = _postgres_engine(resolved)
        return cls(resolved, engine, engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def session(self, *, write: bool) -> Session:
        return sessionmaker(self.write_engine if write else self.engine, expire_on_commit=False)()

    # ------------------------------------------------------------------ schema

    def _config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", "console.adapters:migrations")
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def head_revision(self) -> str:
        head = ScriptDirectory.from_config(self._config()).get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def check_schema(self) -> None:
        """Refuse a database whose schema this app does not know (made by a newer version)."""
        current = self.current_revision()
        if current is None:
            return
        script = ScriptDirectory.from_config(self._config())
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseError(
                f"the database {describe(self.url)} has schema revision {current!r}, which "
                f"this version of the console does not know (newest known: "
                f"{self.head_revision()!r}): it was made by a newer version; upgrade the "
                "console. Nothing was changed."
            )

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (after :meth:`check_schema`)."""
        self.check_schema()
        config = self._config()
        with self.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def needs_upgrade(self) -> bool:
        return self.current_revision() != self.head_revision()

    def ensure_schema(self) -> None:
        """Make the database usable by this app: a SQLite file is upgraded in place; a
        PostgreSQL database must be upgraded on purpose (``support-console db upgrade``)."""
        try:
            if self.is_sqlite:
                self.upgrade()
                return
            self.check_schema()
            if self.needs_upgrade():
                raise DatabaseError(
                    f"the database {describe(self.url)} needs its schema upgraded to revision "
                    f"{self.head_revision()}: run `support-console --db URL db upgrade` once "
                    "(a team database is never upgraded behind its users' backs)"
                )
        except OperationalError as error:
            raise DatabaseError(f"cannot reach {describe(self.url)}: {_reason(error)}") from None
        except DBAPIError as error:  # a file that is not a database, or a damaged one
            raise DatabaseError(f"cannot use {describe(self.url)}: {_reason(error)}") from None

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


def _reason(error: DBAPIError) -> str:
    lines = [line.strip() for line in str(error.orig).splitlines() if line.strip()]
    return lines[-1] if lines else str(error)
