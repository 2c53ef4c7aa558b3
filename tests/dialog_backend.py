"""A dispatcher on a demo database for the dialog tests: the dialogs ask it themselves, and
the tests read the same database directly to know what the answers must be."""

from __future__ import annotations

from typing import TypeVar

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, Role
from console.domain.policy import load_policies
from console.qt.dispatcher import Dispatcher
from console.services.tickets import PolicyBook
from console.services.views import Agents, Query

T = TypeVar("T")


class Backend:
    """A dispatcher on the database at ``url`` with a fake clock, acting for ``actor``."""

    def __init__(self, url: str, clock: FakeTime, actor: str | None = None) -> None:
        self.database = Database.open(url)
        self.book = PolicyBook(load_policies())
        self.clock = clock
        self.dispatcher = Dispatcher(self.database, self.book, clock, actor=actor)

    def read(self, query: Query[T]) -> T:
        """The answer to ``query`` read here and now, on the test's thread."""
        return query.run(SqlUnitOfWork(self.database, write=False, now=self.clock), self.book)

    def person(self, role: Role) -> Agent:
        """The first person of the demo data with ``role``."""
        return next(a for a in self.read(Agents()) if a.role is role)

    def close(self) -> None:
        self.dispatcher.stop()
        self.database.dispose()
