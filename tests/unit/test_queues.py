"""The queues' rules in one place: the counts and the crossings read from the sorted due
instants agree with the rules asked row by row, edges included (due exactly now, due
exactly an hour from now)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.model import Customer, QueueGroup, QueueSummary, Status, Ticket
from console.services.queue import QueueRow
from console.services.queues import (
    BREACHING_WINDOW,
    QUEUE_BREACHED,
    QUEUE_BREACHING_SOON,
    DueIndex,
    is_breached,
    is_breaching_soon,
)

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
CUSTOMER = Customer("Juniper Apparel GmbH", "laioutr", "standard", "EMEA")
EDGES = [0, 1, -1, 3_600_000_000, 3_600_000_001, 3_599_999_999]  # microseconds from NOW


def row(key: str, due: datetime | None, group: QueueGroup = QueueGroup.DUE) -> QueueRow:
    ticket = Ticket(
        key, key, CUSTOMER.name, 2, Status.OPEN, NOW - timedelta(days=1),
        next_due_at=due, summary=QueueSummary(group),
    )  # fmt: skip
    policy: Any = None  # the rules read the ticket only
    return QueueRow(ticket, CUSTOMER, policy, None, key.lower())


offsets = st.one_of(
    st.sampled_from(EDGES), st.integers(min_value=-10_000_000_000, max_value=10_000_000_000)
)


@settings(max_examples=300, derandomize=True)
@given(st.lists(offsets, max_size=25), st.sampled_from(EDGES))
def test_counts_equal_the_rules_row_by_row(dues: list[int], shift: int) -> None:
    rows = [row(f"T-{i}", NOW + timedelta(microseconds=d)) for i, d in enumerate(dues)]
    rows.append(row("P-1", None, QueueGroup.PAUSED))
    index = DueIndex()
    index.fill(rows)
    now = NOW + timedelta(microseconds=shift)
    assert index.breached(now) == sum(is_breached(r.ticket, now) for r in rows)
    assert index.breaching_soon(now) == sum(is_breaching_soon(r.ticket, now) for r in rows)
    assert index.breached(now) == sum(QUEUE_BREACHED.accepts(r, None, now) for r in rows)
    assert index.breaching_soon(now) == sum(
        QUEUE_BREACHING_SOON.accepts(r, None, now) for r in rows
    )


@settings(max_examples=300, derandomize=True)
@given(st.lists(offsets, max_size=25), st.sampled_from(EDGES), st.integers(0, 7_200_000_000))
def test_crossing_is_every_row_that_joined_a_queue(dues: list[int], start: int, step: int) -> None:
    rows = [row(f"T-{i}", NOW + timedelta(microseconds=d)) for i, d in enumerate(dues)]
    index = DueIndex()
    index.fill(rows)
    previous = NOW + timedelta(microseconds=start)
    now = previous + timedelta(microseconds=step)

    def joined(rule: Any, r: QueueRow) -> bool:
        return not rule(r.ticket, previous) and rule(r.ticket, now)

    expected = {r.key for r in rows if joined(is_breached, r) or joined(is_breaching_soon, r)}
    assert index.crossing(previous, now) == expected


def test_the_edges_in_words() -> None:
    """Due exactly now: breaching soon, not breached. Due exactly an hour from now:
    breaching soon. A microsecond later than that: neither."""
    on_time, hour, later = (
        row("A", NOW), row("B", NOW + BREACHING_WINDOW),
        row("C", NOW + BREACHING_WINDOW + timedelta(microseconds=1)),
    )  # fmt: skip
    assert not is_breached(on_time.ticket, NOW) and is_breaching_soon(on_time.ticket, NOW)
    assert is_breaching_soon(hour.ticket, NOW)
    assert not is_breaching_soon(later.ticket, NOW) and not is_breached(later.ticket, NOW)
    index = DueIndex()
    index.fill([on_time, hour, later])
    assert (index.breached(NOW), index.breaching_soon(NOW)) == (0, 2)
    index.discard(hour)
    assert index.breaching_soon(NOW) == 1
    index.add(hour)
    assert index.breaching_soon(NOW) == 2
