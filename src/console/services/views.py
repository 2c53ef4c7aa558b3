"""Every read the window (and the command line) makes, as a query object returning an
immutable view snapshot (cosmicpython's ``views.py``).

A query is a frozen dataclass; :meth:`Query.run` reads it in one unit of work, with the
policy book holding the company holiday periods and presences stored at that moment and the
unit of work's clock as ``now``. Queries of the same type and ``topic`` answer the same question, so
the dispatcher lets a newer one supersede an older one still on its way.
"""

from __future__ import annotations

import abc
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from console.adapters.repository import UnitOfWork
from console.domain.model import Agent, AuditFilter, HolidayPeriod, PolicyPresence, Presence
from console.domain.policy import CompanyPeriod
from console.domain.sla import ClockChange
from console.services.audit import AuditRow, load_audit
from console.services.calendars import moves_if, presence_moves_if
from console.services.conversation import Conversation, conversation_of
from console.services.handover import HandoverBoard, load_board
from console.services.leads import preview_severity
from console.services.queue import QueueRow, TicketDetail, load_detail, load_rows
from console.services.report import ReportLine, sla_report
from console.services.tickets import PolicyBook

T = TypeVar("T")


class Query(abc.ABC, Generic[T]):
    """A read. Subclasses are frozen dataclasses and implement :meth:`read`."""

    def run(self, uow: UnitOfWork, book: PolicyBook) -> T:
        """The answer, read in one unit of work of ``uow``."""
        with uow:
            return self.read(uow, book.current(uow), uow.now())

    @abc.abstractmethod
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> T:
        """The answer, inside the open ``uow``."""

    @property
    def topic(self) -> Hashable:
        """Queries with equal topics answer the same question (a newer one supersedes)."""
        return type(self)


@dataclass(frozen=True, slots=True)
class QueueRows(Query[list[QueueRow]]):
    """Open tickets in queue order: all, the ``limit`` most urgent, or those of ``keys``
    (closed ones included when ``open_only`` is false)."""

    keys: tuple[str, ...] | None = None
    open_only: bool = True
    limit: int | None = None

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[QueueRow]:
        return load_rows(uow, book, self.keys, open_only=self.open_only, limit=self.limit)

    @property
    def topic(self) -> Hashable:
        # The first page and the whole queue are one question; a few changed rows another.
        return (QueueRows, self.keys is not None)


@dataclass(frozen=True, slots=True)
class Agents(Query[list[Agent]]):
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[Agent]:
        return uow.agents.list()


@dataclass(frozen=True, slots=True)
class DetailView(TicketDetail):
    """A ticket's detail with its :attr:`conversation` (oldest first), its people by display
    name as they were when read."""

    conversation: Conversation


@dataclass(frozen=True, slots=True)
class Detail(Query[DetailView]):
    """One ticket with its history, for the detail pane: every stored event, one that makes
    no sense marked (:attr:`TicketEvent.invalid`), which the clocks leave out; and the
    conversation those events make."""

    key: str

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> DetailView:
        detail = load_detail(uow, book, self.key)
        names = {agent.name: agent.display_name for agent in uow.agents.list()}
        customer = detail.row.customer
        thread = conversation_of(
            detail.events,
            names,
            detail.row.policy,
            customer=customer.name,
            clocks=lambda events, at: book.clocks(customer, events, at),
        )
        return DetailView(detail.row, detail.events, detail.book, thread)


@dataclass(frozen=True, slots=True)
class SeverityPreviewView:
    key: str
    to: int
    changes: tuple[ClockChange, ...]
    now: datetime


@dataclass(frozen=True, slots=True)
class SeverityPreview(Query[SeverityPreviewView]):
    """Every clock of a ticket now and with its severity changed to ``to``."""

    key: str
    to: int

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> SeverityPreviewView:
        changes = preview_severity(uow, book, self.key, self.to, now)
        return SeverityPreviewView(self.key, self.to, changes, now)

    @property
    def topic(self) -> Hashable:
        return (SeverityPreview, self.key)


@dataclass(frozen=True, slots=True)
class HolidayPeriods(Query[list[HolidayPeriod]]):
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[HolidayPeriod]:
        return uow.holidays.list()


@dataclass(frozen=True, slots=True)
class HolidayMoves(Query[int]):
    """How many due instants would move if ``policy_id``'s periods were ``periods``."""

    policy_id: str
    periods: tuple[CompanyPeriod, ...]

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> int:
        return moves_if(uow, book, self.policy_id, self.periods)


@dataclass(frozen=True, slots=True)
class Presences(Query[list[PolicyPresence]]):
    """The presences leads named, of every policy (a policy without any keeps the holidays
    its file names)."""

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[PolicyPresence]:
        return uow.presences.list()


@dataclass(frozen=True, slots=True)
class PresenceMoves(Query[int]):
    """How many due instants would move if ``policy_id``'s presences were ``presences``."""

    policy_id: str
    presences: tuple[Presence, ...]

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> int:
        return presence_moves_if(uow, book, self.policy_id, self.presences)


@dataclass(frozen=True, slots=True)
class Board(Query[HandoverBoard]):
    """The handover board of ``[start, end)`` with the last handover."""

    start: datetime
    end: datetime

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> HandoverBoard:
        return load_board(uow, book, self.start, self.end)


@dataclass(frozen=True, slots=True)
class ReportView:
    since: datetime
    until: datetime
    lines: Sequence[ReportLine]


@dataclass(frozen=True, slots=True)
class Report(Query[ReportView]):
    """The SLA report of the tickets submitted in ``[since, until)``, clocks at now."""

    since: datetime
    until: datetime

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> ReportView:
        lines = sla_report(uow, book, self.since, self.until, now)
        return ReportView(self.since, self.until, tuple(lines))


@dataclass(frozen=True, slots=True)
class AuditView:
    filter: AuditFilter
    rows: Sequence[AuditRow]


@dataclass(frozen=True, slots=True)
class Audit(Query[AuditView]):
    """The events matching a filter, newest first."""

    filter: AuditFilter

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> AuditView:
        return AuditView(self.filter, tuple(load_audit(uow, self.filter)))
