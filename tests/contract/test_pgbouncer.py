"""A console through a transaction pooler (a real PgBouncer, ``pool_mode = transaction``, in
front of a real PostgreSQL): it works with the logins of a team database, keeps nothing in
a server session from one transaction to the next, and learns of another login's change
by polling the feed's head (``?feed=poll``), with no LISTEN anywhere.

Without pgbouncer these tests skip, unless ``SUPPORT_CONSOLE_REQUIRE_POSTGRES=1`` (CI),
which makes them fail: like the PostgreSQL tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from conftest import REQUIRE_POSTGRES
from console.adapters.database import (
    Database,
    DatabaseError,
    feed_options,
    postgres_connect_args,
    resolve_url,
    transaction_settings,
)
from console.adapters.grants import grant
from console.adapters.listen import ChangeFollower, HeadPollingListener, listener_for
from console.adapters.sql import SqlUnitOfWork, writes_through_functions
from console.adapters.watchdog import bounded_waits
from console.domain.model import Role, Status
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher, FeedUpdate
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook
from pgbouncer import PgBouncer, PgBouncerUnavailable
from pgserver import PostgresServer

AGENT, OTHER, LEAD = "ana.ortiz", "lukas.brenner", "claire.dubois"
READER = "console.reader"  # the one server login of the shared pool consoles read through
READS = "team_reads"  # the pooler's alias of the database for reads, as READER
HANG_GUARD = 30.0  # a test fails rather than hangs (not a measure of speed)
Opener = Callable[[str], Database]


@pytest.fixture(scope="module")
def bouncer(postgres_server: PostgresServer) -> Iterator[PgBouncer]:
    pooler = PgBouncer(postgres_server)
    try:
        pooler.start()
    except PgBouncerUnavailable as error:
        pooler.cleanup()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PgBouncer is required here but unavailable: {error}")
        pytest.skip(f"PgBouncer unavailable: {error}")
    yield pooler
    pooler.cleanup()


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def admin(postgres_url: str, book: PolicyBook, bouncer: PgBouncer) -> Iterator[Database]:
    """The owner's view (straight to the server) of an upgraded database with a small demo
    queue, the logins of two agents and a lead, and a read-only login behind the pooler's
    alias :data:`READS` for reads."""
    database = Database.open(postgres_url)
    database.upgrade()
    # A fixed queue (made before the server's clock), with open unassigned tickets in it
    # whatever the hour the tests run.
    now = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    load_demo(SqlUnitOfWork(database, now=lambda: now), book, tickets=40, seed=5, now=now)
    for name, role in ((AGENT, Role.AGENT), (OTHER, Role.AGENT), (LEAD, Role.LEAD)):
        grant(database, name, role, "pw")
    grant(database, READER, Role.AGENT)
    with database.engine.begin() as connection:
        connection.exec_driver_sql(f'ALTER ROLE "{READER}" SET default_transaction_read_only = on')
    name = make_url(postgres_url).database
    assert name is not None
    bouncer.add_database(READS, name, READER)
    yield database
    database.dispose()


@pytest.fixture
def through(admin: Database, bouncer: PgBouncer) -> Iterator[Opener]:
    """Opens the database through the pooler as a login, polling the feed and reading
    through the shared pool."""
    opened: list[Database] = []

    def open_as(user: str, options: str = f"feed=poll&reads={READS}") -> Database:
        name = make_url(admin.url).database
        assert name is not None
        database = Database.open(bouncer.url(name, user, "pw") + "?" + options)
        opened.append(database)
        return database

    yield open_as
    for database in opened:
        database.dispose()


def open_key(database: Database) -> str:
    with SqlUnitOfWork(database, write=False) as uow:
        return next(
            t.key for t in uow.tickets.list() if t.assignee is None and t.status is Status.OPEN
        )


def version(database: Database, key: str) -> int:
    with SqlUnitOfWork(database, write=False) as uow:
        return uow.tickets.get(key).version


def send(database: Database, book: PolicyBook, actor: str, command: c.Command) -> object:
    return handle(command, SqlUnitOfWork(database), book, actor)


def listening(admin: Database) -> int:
    """Server sessions that ever ran LISTEN (the last statement of an idle listener)."""
    with admin.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'")
            ).scalar_one()
        )


# --------------------------------------------------------------------------- the options


def test_the_options_are_read_and_never_reach_libpq() -> None:
    url = "postgresql+psycopg://a:pw@h:6432/team?feed=poll&feed_seconds=0.2&reads=team_reads"
    options = feed_options(url)
    assert (options.poll, options.poll_seconds, options.reads) == (True, 0.2, "team_reads")
    args = postgres_connect_args(url)
    assert args["prepare_threshold"] is None and args["options"] == ""
    assert "prepare_threshold" not in postgres_connect_args("postgresql+psycopg://a@h/team")
    assert feed_options("postgresql+psycopg://a@h/team").poll is False


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("feed=push", "feed=push is not known"),
        ("feed=poll&feed=listen", "feed= more than once"),
        ("feed=poll&feed_seconds=soon", "feed_seconds=soon must be a number"),
        ("feed=poll&feed_seconds=0", "feed_seconds=0 must be a number"),
        ("feed=poll&feed_seconds=nan", "feed_seconds=nan must be a number"),
        ("feed_seconds=1", "only applies with feed=poll"),
        ("reads=team_reads", "reads=team_reads only applies with feed=poll"),
        ("feed=poll&reads=%20", "reads= is empty"),
    ],
)
def test_a_bad_option_is_named(query: str, named: str) -> None:
    with pytest.raises(DatabaseError, match=named):
        resolve_url(f"postgresql://a@h/team?{query}")


def test_the_timeouts_and_the_urls_own_settings_are_set_per_transaction() -> None:
    settings = transaction_settings(
        "postgresql://a@h/team?feed=poll&options=-c%20lock_timeout%3D2s%20--work-mem%3D8MB"
    )
    assert settings["lock_timeout"] == "2s" and settings["work_mem"] == "8MB"
    assert settings["statement_timeout"] == "60s"
    with pytest.raises(DatabaseError, match="'-X' is not a setting"):
        Database.open("postgresql://a@h/team?feed=poll&options=-X")


# --------------------------------------------------------------------------- through PgBouncer


@pytest.mark.postgres
def test_a_console_works_through_the_pooler_as_its_login(
    admin: Database, through: Opener, book: PolicyBook, bouncer: PgBouncer
) -> None:
    """Commands go through the command functions as the login; reads go through the shared
    pool; each transaction carries the timeouts; statements are never prepared (psycopg
    would prepare the sixth run of a query, which PgBouncer 1.18 does not keep)."""
    ana = through(AGENT)
    ana.ensure_schema()
    assert writes_through_functions(ana)
    key = open_key(ana)
    for _ in range(3):  # the same statements, again and again, through other sessions
        for step in (
            lambda v: c.AddNote(key, v, "Called the customer"),
            lambda v: c.RecordResponse(key, v, "We are on it"),
        ):
            send(ana, book, AGENT, step(version(ana, key)))
    # Another client of the same login holds the server session those statements ran on,
    # so the next ones run on another: a statement prepared on the first is unknown there.
    name = make_url(admin.url).database
    with psycopg.connect(
        make_url(bouncer.url(str(name), AGENT, "pw"))
        .set(drivername="postgresql")
        .render_as_string(hide_password=False),
        prepare_threshold=None,
    ) as holder:
        holder.execute("SELECT 1")  # in a transaction: the session stays lent to it
        for _ in range(2):
            send(ana, book, AGENT, c.AddNote(key, version(ana, key), "Still on it"))
        send(ana, book, AGENT, c.AssignTicket(key, version(ana, key), AGENT))
    with SqlUnitOfWork(admin, write=False) as uow:
        after = uow.tickets.get(key)
    assert after.assignee == AGENT
    assert {e.actor for e in after.events[-9:]} == {AGENT}
    with SqlUnitOfWork(ana, write=False) as uow:
        row = uow.session.execute(
            text(
                "SELECT session_user, current_setting('statement_timeout'), "
                "current_setting('lock_timeout'), "
                "current_setting('idle_in_transaction_session_timeout')"
            )
        ).one()
    assert tuple(row) == (READER, "1min", "5s", "1min")
    with SqlUnitOfWork(ana) as uow:
        assert uow.session.execute(text("SELECT session_user")).scalar_one() == AGENT
    assert {p["database"] for p in bouncer.show("POOLS") if p["user"] == READER} == {READS}


@pytest.mark.postgres
def test_a_lead_works_through_the_pooler_without_a_shared_read_pool(
    admin: Database, through: Opener, book: PolicyBook
) -> None:
    lee = through(LEAD, "feed=poll")
    key = open_key(lee)
    for _ in range(7):
        send(lee, book, LEAD, c.AddNote(key, version(lee, key), "Watching"))
    with SqlUnitOfWork(lee, write=False) as uow:
        assert uow.session.execute(text("SELECT session_user")).scalar_one() == LEAD
    with SqlUnitOfWork(admin, write=False) as uow:
        assert uow.tickets.get(key).events[-1].actor == LEAD


@pytest.mark.postgres
def test_the_shared_read_pool_cannot_write(admin: Database, through: Opener) -> None:
    ana = through(AGENT)
    with (
        pytest.raises(DBAPIError, match="read-only transaction"),
        SqlUnitOfWork(ana, write=False) as uow,
    ):
        uow.session.execute(text("CREATE TEMPORARY TABLE scratch (n integer)"))


@pytest.mark.postgres
def test_a_follower_polls_the_head_and_sees_another_logins_change(
    admin: Database, through: Opener, book: PolicyBook
) -> None:
    lukas = through(OTHER)
    follower = ChangeFollower(lukas)
    listener = listener_for(lukas)
    assert isinstance(listener, HeadPollingListener)
    try:
        with bounded_waits(5.0):
            assert listener.wait(0.0)  # the first look always reads the feed
            assert follower.poll() == []
            assert not listener.wait(0.0)  # nothing new
            ana = through(AGENT)
            key = open_key(ana)
            send(ana, book, AGENT, c.AddNote(key, version(ana, key), "For Lukas"))
            deadline = time.monotonic() + HANG_GUARD
            while not listener.wait(1.0):
                assert time.monotonic() < deadline, "the head never moved"
            assert {(ch.entity, ch.key) for ch in follower.poll()} == {("ticket", key)}
    finally:
        listener.close()
    assert listening(admin) == 0


@pytest.mark.postgres
def test_a_console_following_through_the_pooler_is_updated(
    admin: Database, through: Opener, book: PolicyBook, qtbot: QtBot
) -> None:
    lukas = through(OTHER)
    dispatcher = Dispatcher(lukas, book, lambda: datetime.now(UTC), OTHER)
    ana = through(AGENT)
    key = open_key(ana)
    try:
        with qtbot.waitSignal(dispatcher.connectionChanged, timeout=0, raising=False):
            dispatcher.start_following()
        time.sleep(0.5)  # a few polls of an unchanged head
        with qtbot.waitSignal(
            dispatcher.feedUpdated,
            timeout=int(HANG_GUARD * 1000),
            check_params_cb=lambda update: isinstance(update, FeedUpdate) and key in update.keys,
        ):
            send(ana, book, AGENT, c.AssignTicket(key, version(ana, key), AGENT))
    finally:
        dispatcher.stop()
    assert dispatcher.online
    assert listening(admin) == 0


@pytest.mark.postgres
def test_a_pooler_without_feed_poll_is_named(admin: Database, through: Opener) -> None:
    with pytest.raises(DatabaseError, match=r"unsupported startup parameter.*add \?feed=poll"):
        through(AGENT, "connect_timeout=5").ensure_schema()
