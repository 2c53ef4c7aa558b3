"""The PostgreSQL change feed follows commit order: a follower that reads it while two
transactions commit out of step never skips a change.

A change's ``seq`` is drawn when it is appended, at commit time; on PostgreSQL a
transaction-level lock around the append makes a second writer wait until the first has
committed, so the change with the lower ``seq`` is always visible first. Without it, the
second writer would commit a higher ``seq`` while the first still holds a lower one, a
follower would move its cursor past that lower ``seq``, and the first change, once
committed, would never reach it.
"""

from __future__ import annotations

import threading
import time
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
        # The second writer either commits, or waits for the first one's lock: no sleep.
        deadline = time.monotonic() + WAIT
        while not second.done.wait(0.01) and not waiting_for_a_lock(database):
            assert time.monotonic() < deadline, "the second writer neither committed nor waited"
        seen += follower.poll()
    finally:
        release.set()
        first.join(WAIT)
        second.join(WAIT)
    assert first.error is None and second.error is None, (first.error, second.error)
    seen += follower.poll()

    assert sorted(c.key for c in seen) == ["ana", "lee"]
    assert [c.seq for c in seen] == sorted({c.seq for c in seen})
