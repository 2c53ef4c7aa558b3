"""Which database, how to connect to it, and its schema (Alembic migrations).

SQLite (the default, a file in the user's data directory) runs in WAL mode with a busy
timeout; a write transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``) so two
writers never deadlock upgrading read locks. PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import os
import sqlite3
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
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from console.domain.errors import DomainError

DB_VARIABLE = "SUPPORT_CONSOLE_DB"
APP_NAME = "support-console"
BUSY_VARIABLE = "SUPPORT_CONSOLE_SQLITE_BUSY_SECONDS"
SQLITE_BUSY_SECONDS = 30.0


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
        engine = create_engine(
            resolved,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            connect_args={"connect_timeout": 5},
        )
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
