"""Handover boards of demo data in a fake store, for the tests of the board's exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.policy import load_policies
from console.services.demo import load_demo
from console.services.handover import HandoverBoard, load_board
from console.services.queue import load_rows
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich


def demo_store(*, tickets: int, seed: int) -> FakeStore:
    """A fake store of demo data made at ``NOW``."""
    store = FakeStore()
    book = PolicyBook(load_policies())
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))
    load_demo(uow, book, tickets=tickets, seed=seed, now=NOW)
    return store


def board_of(store: FakeStore, start: datetime = NOW, hours: float = 8) -> HandoverBoard:
    """The board of ``[start, start + hours)``."""
    book = PolicyBook(load_policies())
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))
    board: HandoverBoard = within(uow, load_board, book, start, start + timedelta(hours=hours))
    return board


def open_keys(store: FakeStore) -> set[str]:
    book = PolicyBook(load_policies())
    return {r.key for r in within(FakeUnitOfWork(store, now=FakeTime(NOW)), load_rows, book)}


def board_keys(board: HandoverBoard) -> set[str]:
    return {r.key for rows in board.sections.values() for r in rows}
