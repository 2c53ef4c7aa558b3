"""``TicketRepository.most_urgent(limit)``: "the first ``limit`` open tickets in queue order".

A resolved ticket can still owe a clock: a LivePerson Severity 1 resolved before its
preliminary RCA was delivered keeps that clock counting (3 business days from submission),
so its cached ``next_due_at`` is set and its summary is a due clock, which a recompute of due
instants still reads (``cached_summaries``: "open, or closed and still owing a clock"). Past
its due instant it would sort before every open ticket; yet it is not open, so it is not
among the most urgent, and the first page of the queue is the start of the whole queue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.adapters.repository import UnitOfWork
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, Customer, EventKind, QueueGroup, Role, Status, TicketEvent
from console.domain.policy import load_policies
from console.domain.queue import queue_key
from console.services.queue import load_rows
from console.services.tickets import PolicyBook
from history import open_ticket, record_event, within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # a Friday
NORTHWIND = Customer("Northwind Health LLC", "liveperson", "standard", "AMER")
UowFactory = Callable[[], UnitOfWork]


@pytest.fixture
def sql_uow(database_url: str) -> Iterator[UowFactory]:
    database = Database.open(database_url)
    database.upgrade()
    clock = FakeTime(NOW)
    yield lambda: SqlUnitOfWork(database, now=clock)
    database.dispose()


@pytest.fixture
def fake_uow() -> UowFactory:
    store = FakeStore()
    clock = FakeTime(NOW)
    return lambda: FakeUnitOfWork(store, now=clock)


def given_a_resolved_ticket_owing_its_rca_and_two_open_ones(new_uow: UowFactory) -> None:
    """LP-1: Severity 1, submitted a week ago, answered, resolved, no RCA delivered (its RCA
    is overdue). LP-2: Severity 2, submitted an hour ago (response due in 2 hours). LP-3:
    Severity 3, submitted now (response due in 3 business days)."""
    book = PolicyBook(load_policies())
    with new_uow() as uow:
        uow.agents.add(Agent("ana", "Ana Ortiz", Role.AGENT, "AMER", "America/New_York"))
        uow.customers.add(NORTHWIND)
        uow.commit()
    week_ago = NOW - timedelta(days=7)

    def submit(key: str, severity: int, at: datetime) -> None:
        open_ticket(
            new_uow(),
            book,
            key=key,
            title=f"Chat widget down ({key})",
            customer=NORTHWIND.name,
            severity=severity,
            submitted_at=at,
            actor="ana",
        )

    submit("LP-1", 1, week_ago)
    with new_uow() as uow:
        first = uow.tickets.get("LP-1")
    responded = TicketEvent(EventKind.RESPONDED, week_ago + timedelta(minutes=20), {}, "ana")
    first = record_event(new_uow(), book, first.key, first.version, responded)
    resolved = TicketEvent(
        EventKind.STATUS_CHANGED, week_ago + timedelta(hours=2), {"status": "resolved"}, "ana"
    )
    record_event(new_uow(), book, first.key, first.version, resolved)
    submit("LP-2", 2, NOW - timedelta(hours=1))
    submit("LP-3", 3, NOW)

    with new_uow() as uow:
        resolved = uow.tickets.get("LP-1", with_events=False)
        owing = [c.key for c in uow.tickets.cached_summaries()]
    # LP-1 is what the repository calls "closed and still owing a clock", breached by now.
    assert resolved.status is Status.RESOLVED and resolved.summary.kind is QueueGroup.DUE
    assert resolved.next_due_at is not None and resolved.next_due_at < NOW
    assert owing == ["LP-1", "LP-2", "LP-3"]


def most_urgent_is_the_start_of_the_open_queue(new_uow: UowFactory) -> None:
    with new_uow() as uow:
        open_tickets = uow.tickets.list(open_only=True)
        urgent = {limit: [t.key for t in uow.tickets.most_urgent(limit)] for limit in (1, 2, 10)}
    queue = [
        t.key
        for t in sorted(open_tickets, key=lambda t: queue_key(t.key, t.next_due_at, t.summary))
    ]
    assert queue == ["LP-2", "LP-3"]
    assert urgent == {1: ["LP-2"], 2: ["LP-2", "LP-3"], 10: ["LP-2", "LP-3"]}

    book = PolicyBook(load_policies())
    first_page = [r.key for r in within(new_uow(), load_rows, book, limit=1)]
    whole = [r.key for r in within(new_uow(), load_rows, book)]
    assert first_page == whole[:1] == ["LP-2"]


def test_most_urgent_leaves_out_a_resolved_ticket_owing_a_clock(sql_uow: UowFactory) -> None:
    """Given a resolved ticket whose overdue RCA clock still counts, and two open tickets,
    When the most urgent tickets are read from the database,
    Then they are the open tickets alone, in queue order: the resolved one is not among
    them even though its due instant is the earliest, and the first page of the queue is
    the start of the whole queue."""
    given_a_resolved_ticket_owing_its_rca_and_two_open_ones(sql_uow)
    most_urgent_is_the_start_of_the_open_queue(sql_uow)


def test_the_fake_leaves_out_a_resolved_ticket_owing_a_clock(fake_uow: UowFactory) -> None:
    """The same on the in-memory repository the unit tests use."""
    given_a_resolved_ticket_owing_its_rca_and_two_open_ones(fake_uow)
    most_urgent_is_the_start_of_the_open_queue(fake_uow)
