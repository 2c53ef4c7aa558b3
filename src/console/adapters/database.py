"""Which database, how to connect to it, and its schema (Alembic migrations).

SQLite (the default, a file in the user's data directory) runs in WAL mode with a busy
timeout; a write transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``) so two
writers never deadlock upgrading read locks. PostgreSQL is reached through psycopg 3, on
connections that notice a server gone quiet (see :func:`postgres_connect_args` and
:mod:`console.adapters.postgres`).

A team of more consoles than the server has connections reaches PostgreSQL through a
transaction pooler (PgBouncer, ``pool_mode = transaction``), which lends a server connection
to a client for one transaction at a time. The console is told so by options of its own on
the database URL (:func:`feed_options`; they never reach libpq):

``feed=poll``
    The console goes through a transaction pooler: it learns of changes by polling the change
    feed's head instead of LISTENing (:mod:`console.adapters.listen`), lets psycopg prepare
    no statement on the server (a prepared statement lives in one server session, and
    PgBouncer before 1.21 does not carry it from one transaction to the next), sends no
    ``options`` startup parameter (PgBouncer refuses parameters it does not know) but sets
    the same timeouts at the start of each transaction instead (``SET LOCAL``, one round
    trip), and keeps a pool of one connection (two more while both of its threads work).
    Nothing else of the console lives longer than a transaction: its advisory locks are
    ``pg_advisory_xact_lock``, it makes no temporary tables, and NOTIFY is sent at commit.
``feed_seconds=S``
    How often the head is polled (default 0.5 s, see :mod:`console.adapters.listen`).
``reads=NAME``
    The pooler's database (an alias of the same PostgreSQL database) the console reads
    through: PgBouncer keeps one pool per login, so a thousand logins would each need a
    server connection of their own to read; an alias with a fixed ``user=`` shares one pool
    among them all. Writes (and the question "who am I") stay on the login's own connection,
    so the server still stamps every change with the login that made it.

Anything else on the URL goes to libpq as before; a console that meets PgBouncer without
``feed=poll`` is told to add it (PgBouncer answers "unsupported startup parameter").
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from console.domain.errors import DomainError

if TYPE_CHECKING:
    from alembic.config import Config

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

# The console's own options on a PostgreSQL URL (see the module's docstring).
FEED_OPTION = "feed"
FEED_SECONDS_OPTION = "feed_seconds"
READS_OPTION = "reads"
FEEDS = ("listen", "poll")
# Half a second: a change reaches a polling console 0.25 s later on average, 0.5 s at worst,
# for two one-row index lookups a second per console (see console.adapters.listen).
FEED_POLL_SECONDS = 0.5
FEED_POLL_RANGE = (0.05, 60.0)
# Through a transaction pooler a client connection costs the server nothing while idle, but
# a console needs no more than one at rest: its worker and its follower rarely overlap.
POOLED_POOL_SIZE = 1
POOLED_MAX_OVERFLOW = 2


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
    feed_options(parsed)  # the console's own options, checked before anything connects
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


@dataclass(frozen=True)
class FeedOptions:
    """The console's own options of a PostgreSQL URL (see the module's docstring)."""

    poll: bool = False  # through a transaction pooler: poll the feed, no session state
    poll_seconds: float = FEED_POLL_SECONDS
    reads: str | None = None  # the pooler's database to read through, shared by all logins


def _one(query: Any, name: str) -> str | None:
    value = query.get(name)
    if value is None or isinstance(value, str):
        return value
    raise DatabaseError(f"the database URL gives {name}= more than once: give it once")


def feed_options(url: str | URL) -> FeedOptions:
    """The console's own options of ``url`` (none on SQLite), checked: a value it does not
    know is a :class:`DatabaseError` naming the option and what it accepts."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "postgresql":
        return FeedOptions()
    query = parsed.query
    feed = _one(query, FEED_OPTION)
    if feed is not None and feed not in FEEDS:
        raise DatabaseError(
            f"the database URL's {FEED_OPTION}={feed} is not known: use {FEED_OPTION}=listen "
            f"(the default: a LISTEN connection per console) or {FEED_OPTION}=poll (through "
            "a transaction pooler such as PgBouncer)"
        )
    poll = feed == "poll"
    seconds_text = _one(query, FEED_SECONDS_OPTION)
    seconds = FEED_POLL_SECONDS
    if seconds_text is not None:
        low, high = FEED_POLL_RANGE
        try:
            seconds = float(seconds_text)
        except ValueError:
            seconds = float("nan")
        if not low <= seconds <= high:  # NaN included
            raise DatabaseError(
                f"the database URL's {FEED_SECONDS_OPTION}={seconds_text} must be a number of "
                f"seconds from {low:g} to {high:g}"
            )
        if not poll:
            raise DatabaseError(
                f"the database URL's {FEED_SECONDS_OPTION}= only applies with {FEED_OPTION}=poll"
            )
    reads = _one(query, READS_OPTION)
    if reads is not None:
        if not reads.strip():
            raise DatabaseError(
                f"the database URL's {READS_OPTION}= is empty: name the pooler's database "
                "the console reads through"
            )
        if not poll:
            raise DatabaseError(
                f"the database URL's {READS_OPTION}={reads} only applies with {FEED_OPTION}=poll "
                "(a database of the transaction pooler)"
            )
    return FeedOptions(poll, seconds, reads)


def server_url(url: str | URL, *, reads: bool = False) -> URL:
    """``url`` as libpq is to see it: without the console's own options; with ``reads``,
    naming the pooler's database the console reads through (when the URL gives one)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "postgresql":
        return parsed
    options = feed_options(parsed)
    stripped = parsed.difference_update_query([FEED_OPTION, FEED_SECONDS_OPTION, READS_OPTION])
    if reads and options.reads is not None:
        stripped = stripped.set(database=options.reads)
    return stripped


def _timeouts() -> dict[str, str]:
    """The server-side timeouts of every session of the console (see the figures above)."""
    return {
        "statement_timeout": f"{STATEMENT_TIMEOUT_SECONDS}s",
        "lock_timeout": f"{LOCK_TIMEOUT_SECONDS}s",
        "idle_in_transaction_session_timeout": f"{IDLE_IN_TRANSACTION_SECONDS}s",
    }


def transaction_settings(url: str | URL) -> dict[str, str]:
    """The server-side timeouts every PostgreSQL session gets (statement, lock, idle in a
    transaction), then the URL's own ``options=-c name=value`` settings, which win.

    Through a transaction pooler these are set at the start of each transaction (startup
    ``options`` cannot pass PgBouncer), so the URL's ``options`` may only hold ``-c``
    settings there: anything else is a :class:`DatabaseError` naming it.
    """
    given = make_url(url).query if isinstance(url, str) else url.query
    settings = _timeouts()
    own = given.get("options")
    for text_ in [own] if isinstance(own, str) else list(own or ()):
        try:
            words = shlex.split(text_)
        except ValueError as error:
            raise DatabaseError(f"the database URL's options={text_!r}: {error}") from None
        while words:
            word = words.pop(0)
            if word == "-c" and words:
                setting = words.pop(0)
            elif (word.startswith("-c") and len(word) > 2) or (
                word.startswith("--") and "=" in word
            ):
                setting = word[2:]  # -cname=value, --name=value
            else:
                raise DatabaseError(
                    f"the database URL's options={text_!r}: {word!r} is not a setting "
                    "(-c name=value); only settings can be applied per transaction through "
                    "a transaction pooler"
                )
            name, equals, value = setting.partition("=")
            if not equals or not name:
                raise DatabaseError(
                    f"the database URL's options={text_!r}: {setting!r} is not name=value"
                )
            settings[name.replace("-", "_")] = value
    return settings


def postgres_connect_args(url: str | URL) -> dict[str, Any]:
    """libpq parameters for every PostgreSQL connection: the server-side timeouts (as
    ``options=-c ...``), ``connect_timeout`` and TCP keepalives.

    What the URL says itself wins: its own parameters are kept, and its own ``options`` come
    after these (so ``?options=-c lock_timeout=2s`` sets that one and keeps the others).

    Through a transaction pooler (``feed=poll``) there are no startup ``options`` (the
    timeouts are set per transaction, see :func:`transaction_settings`) and psycopg
    prepares no statement on the server (``prepare_threshold=None``).
    """
    parsed = make_url(url) if isinstance(url, str) else url
    given = parsed.query
    pooled = feed_options(parsed).poll
    options: list[str] = []
    if not pooled:
        options = [f"-c {name}={value}" for name, value in _timeouts().items()]
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
    if pooled:
        transaction_settings(parsed)  # refuse what cannot be set per transaction, now
        args["prepare_threshold"] = None
        args["options"] = ""  # the URL's own are set per transaction
    else:
        args["options"] = " ".join(options)
    return args


def _libpq_version() -> int:
    import psycopg

    return psycopg.pq.version()


def _postgres_engine(url: str, *, reads: bool = False) -> Engine:
    """The engine of ``url``'s login; with ``reads``, of the pooler's database the console
    reads through (``reads=``, see the module's docstring)."""
    # psycopg is imported only when PostgreSQL is used (it costs a SQLite console's start).
    from console.adapters.postgres import ServerSilentError, WatchedConnection

    options = feed_options(url)
    pooled = options.poll
    engine = create_engine(
        server_url(url, reads=reads),
        pool_pre_ping=True,
        pool_size=POOLED_POOL_SIZE if pooled else 5,
        max_overflow=POOLED_MAX_OVERFLOW if pooled else 5,
        connect_args=postgres_connect_args(url),
    )
    if pooled:
        settings = transaction_settings(url)
        set_local = "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings))
        values = tuple(part for pair in settings.items() for part in pair)

        @event.listens_for(engine, "begin")
        def on_begin(connection: Any) -> None:
            # The session's timeouts, for this transaction: a pooler hands the next one to
            # another server session.
            connection.exec_driver_sql(set_local, values)

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
    # Through a transaction pooler with ``reads=``: the shared pool the console reads through
    read_engine: Engine | None = None
    feed: FeedOptions = field(default_factory=FeedOptions)

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
        feed = feed_options(resolved)
        engine = _postgres_engine(resolved)
        reader = _postgres_engine(resolved, reads=True) if feed.reads is not None else None
        return cls(resolved, engine, engine, read_engine=reader, feed=feed)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def session(self, *, write: bool) -> Session:
        if write:
            bind = self.write_engine
        else:
            bind = self.engine if self.read_engine is None else self.read_engine
        return sessionmaker(bind, expire_on_commit=False)()

    # ------------------------------------------------------------------ schema

    # Alembic (with Mako and Pygments) takes about a fifth of a second to import: only the
    # schema's methods import it, when they run, not every process that opens a database.

    def _config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "console.adapters:migrations")
        url = server_url(self.url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        return config

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._config()).get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def check_schema(self) -> None:
        """Refuse a database whose schema this app does not know (made by a newer version)."""
        current = self.current_revision()
        if current is None:
            return
        from alembic.script import ScriptDirectory

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
        from alembic import command

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
            reason = _reason(error)
            if "unsupported startup parameter" in reason and not self.feed.poll:
                reason += (
                    f" (a transaction pooler such as PgBouncer? add ?{FEED_OPTION}=poll to "
                    "the database URL)"
                )
            raise DatabaseError(f"cannot reach {describe(self.url)}: {reason}") from None
        except DBAPIError as error:  # a file that is not a database, or a damaged one
            raise DatabaseError(f"cannot use {describe(self.url)}: {_reason(error)}") from None

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()


def _reason(error: DBAPIError) -> str:
    lines = [line.strip() for line in str(error.orig).splitlines() if line.strip()]
    return lines[-1] if lines else str(error)
