"""A large queue read is moved out of the cyclic garbage collector's sight (its rows hold no
reference cycles and live until the next load); a small one is left to it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.policy import load_policies
from console.services import queue
from console.services.demo import load_demo
from console.services.queue import load_rows
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def store() -> FakeStore:
    store = FakeStore()
    book = PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, now=FakeTime(NOW)), book, tickets=60, seed=1, now=NOW)
    return store


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def read(store: FakeStore) -> int:
    rows = within(FakeUnitOfWork(store, now=FakeTime(NOW)), load_rows, PolicyBook(load_policies()))
    return len(rows)


def test_a_large_read_is_moved_out_of_the_collectors_sight(
    store: FakeStore, unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given reads of at least as many rows as the queue holds count as large,
    When the queue is read,
    Then the objects alive are moved out of the collector's sight, and it is on again."""
    monkeypatch.setattr(queue, "FROZEN_READ", 10)
    assert read(store) >= 10
    assert gc.get_freeze_count() > 0
    assert gc.isenabled()


def test_a_small_read_is_left_to_the_collector(
    store: FakeStore, unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given reads count as large only above the queue's size,
    When the queue is read,
    Then nothing is moved out of the collector's sight."""
    monkeypatch.setattr(queue, "FROZEN_READ", 10_000)
    assert read(store) < 10_000
    assert gc.get_freeze_count() == 0


class _Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_later_large_read_lets_go_of_cycles_dropped_since(
    store: FakeStore, unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a cycle alive at a large read (so moved out of the collector's sight with it)
    and dropped afterwards,
    When the queue is read again, as large,
    Then the cycle is collected: a reload does not keep what an earlier read froze."""
    monkeypatch.setattr(queue, "FROZEN_READ", 10)
    node = _Node()
    alive = weakref.ref(node)
    read(store)
    del node
    gc.collect()
    assert alive() is not None  # frozen with the first read's rows
    read(store)
    assert alive() is None
    assert gc.get_freeze_count() > 0
