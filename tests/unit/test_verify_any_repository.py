"""``db verify`` on any repository (here the fake one, which stores domain objects and so
has no unreadable rows): drift found and repaired, a clean store verifies clean."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import QueueGroup, QueueSummary
from console.domain.policy import load_policies
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from console.services.verify import repair, verify

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


def test_drift_in_any_repository_is_found_and_repaired() -> None:
    book = PolicyBook(load_policies())
    store = FakeStore()
    load_demo(FakeUnitOfWork(store, now=FakeTime(NOW)), book, tickets=60, seed=2, now=NOW)
    clean = verify(FakeUnitOfWork(store, now=FakeTime(LATER)), book)
    assert (clean.tickets, clean.lines(), clean.clean) == (60, [], True)

    key = next(k for k, t in sorted(store.tickets.items()) if t.summary.kind is QueueGroup.DUE)
    ticket = store.tickets[key]
    store.tickets[key] = replace(ticket, next_due_at=None, summary=QueueSummary())
    found = verify(FakeUnitOfWork(store, now=FakeTime(LATER)), book)
    [drift] = found.drifted
    assert drift.key == key and not found.clean
    assert drift.differences[0].startswith("next_due_at: stored none, recomputed 20")
    assert drift.differences[1].startswith("summary: stored done, recomputed due ")
    done = repair(FakeUnitOfWork(store, now=FakeTime(LATER)), book, found)
    assert done.repaired == (key,)
    assert (store.tickets[key].next_due_at, store.tickets[key].summary) == (
        ticket.next_due_at,
        ticket.summary,
    )
    assert verify(FakeUnitOfWork(store, now=FakeTime(LATER)), book).lines() == []
