"""A follower of the PostgreSQL change feed never skips a change, although nothing orders
the writers: a follower that reads the feed while two transactions commit out of step sees
both changes, each once.

A change's ``seq`` is drawn when it is appended. No lock makes a second writer wait for the
first (a lock a login could hold would stop every console), so the second may commit a
higher ``seq`` while the first still holds a lower one; the follower keeps that lower
number as a gap and reads it again until its change arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from console.adapters.database import Database
from console.adapters.listen import ChangeFollower
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, Change, Role

pytestmark = pytest.mark.postgres

WAIT = 10.0  # seconds: only reached when something is broken


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    database = Database.open(postgres_url)
    database.upgrade()
    yield database
    database.dispose()


class Writer(threading.Thread):
    """Adds an agent in a unit of work of its own; ``hold`` runs between the append to the
    change feed and the commit (the unit of work has written everything by then)."""

    def __init__(self, database: Database, name: str, hold: Callable[[], None] | None = None):
        super().__init__(name=f"writer-{name}", daemon=True)
        self.database = database
        self.agent = name
        self.hold = hold
        self.done = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with SqlUnitOfWork(self.database) as uow:
                uow.agents.add(Agent(self.agent, self.agent.title(), Role.AGENT, "EMEA", "UTC"))
                if self.hold is not None:
                    commit, hold = uow.session.commit, self.hold

                    def held_commit() -> None:
                        hold()
                        commit()

                    uow.session.commit = held_commit  # type: ignore[method-assign]
                uow.commit()
        except BaseException as error:  # handed to the test
            self.error = error
        finally:
            self.done.set()


def waiting_for_a_lock(database: Database) -> bool:
    with database.engine.connect() as connection:
        return bool(
            connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
        )


def test_a_follower_never_skips_a_change_committed_after_a_later_one(
    database: Database,
) -> None:
    """Given a follower at the end of the feed, and a first writer that has appended its
    change but not committed yet,
    When a second writer commits its own change meanwhile (or waits for the first), the
    follower reads the feed, and then the first writer commits,
    Then the follower, reading again, has seen both changes, each once, in ``seq`` order."""
    follower = ChangeFollower(database)
    appended, release = threading.Event(), threading.Event()

    def hold() -> None:
        appended.set()
        release.wait(WAIT)

    first = Writer(database, "ana", hold)
    second = Writer(database, "lee")
    seen: list[Change] = []
    try:
        first.start()
        assert appended.wait(WAIT), "the first writer never reached its commit"
        second.start()
        # The second writer commits without waiting for the first.
        assert second.done.wait(WAIT), "the second writer waited for the first"
        assert not waiting_for_a_lock(database)
        seen += follower.poll()
        assert [c.key for c in seen] == ["lee"]
    finally:
        release.set()
        first.join(WAIT)
        second.join(WAIT)
    assert first.error is None and second.error is None, (first.error, second.error)
    seen += follower.poll()

    assert [c.key for c in seen] == ["lee", "ana"]  # each once, the late one too
    assert seen[1].seq < seen[0].seq
    assert follower.poll() == []


@pytest.mark.allow_log("unknown kind", "far past the feed")
def test_a_gap_is_waited_for_and_then_given_up(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A number taken by a transaction that rolled back never arrives: the follower keeps
    reading the later ones at once, waits for the missing one for GAP_SECONDS, and then
    moves its cursor past it; a row written by hand far ahead stops nothing."""
    from console.adapters import listen

    clock = [1000.0]
    monkeypatch.setattr(listen.time, "monotonic", lambda: clock[0])
    follower = ChangeFollower(database)
    start = follower.cursor
    with database.engine.begin() as connection:
        connection.execute(text("SELECT nextval(pg_get_serial_sequence('changes', 'seq'))"))
    Writer(database, "ana").run()
    assert [c.key for c in follower.poll()] == ["ana"]
    assert follower.cursor == start  # the missing number may still arrive
    clock[0] += listen.GAP_SECONDS - 1
    assert follower.poll() == [] and follower.cursor == start
    clock[0] += 2
    assert follower.poll() == [] and follower.cursor == start + 2

    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO changes (seq, at, entity, key, kind) "
                "VALUES (9223372036854775000, now(), 'agent', 'far', 'bogus')"
            )
        )
    assert [(c.key, c.kind.value) for c in follower.poll()] == [("far", "updated")]
    Writer(database, "lee").run()
    assert [c.key for c in follower.poll()] == ["lee"]  # the far row hides nothing
    assert follower.poll() == []
