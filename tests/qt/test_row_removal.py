"""Removing a row from the queue model (a ticket resolved elsewhere), then changing another:
every remaining key still finds its own row, and a later change lands on its own row.

The rows are unanswered Laioutr standard Severity 2 tickets (initial response 180 minutes on
a 24/7 calendar), submitted ten minutes apart, so the queue holds them in submission order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.modeltest import ModelTester

from console.domain.model import Customer, EventKind, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.qt.queue_model import COL_TITLE, TicketTableModel
from console.services.queue import QueueRow, make_row
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
JUNIPER = Customer("Juniper Apparel GmbH", "laioutr", "standard", "EMEA")
KEYS = ["LTR-1", "LTR-2", "LTR-3", "LTR-4", "LTR-5"]


@pytest.fixture(scope="module")
def rows() -> list[QueueRow]:
    book = PolicyBook(load_policies())
    made = []
    for n, key in enumerate(KEYS):
        submitted = NOW - timedelta(minutes=60 - 10 * n)
        events = (TicketEvent(EventKind.CREATED, submitted, {"severity": 2, "status": "open"}),)
        due, clock = book.queue_state(JUNIPER, events, NOW)
        ticket = Ticket(
            key,
            f"Checkout fails ({key})",
            JUNIPER.name,
            2,
            Status.OPEN,
            submitted,
            next_due_at=due,
            version=1,
            summary=clock,
        )
        made.append(make_row(book, ticket, JUNIPER))
    return made


def keys(model: TicketTableModel) -> list[str]:
    return [r.key for r in model.rows]


def test_after_a_removal_every_key_finds_its_own_row(rows: list[QueueRow]) -> None:
    """Given five rows in queue order,
    When the second one is removed,
    Then each of the four others is found at the row that holds it."""
    model = TicketTableModel(NOW, UTC)
    model.set_rows(rows)
    assert keys(model) == KEYS

    model.apply_changes([], ["LTR-2"])

    assert keys(model) == ["LTR-1", "LTR-3", "LTR-4", "LTR-5"]
    assert model.row_of("LTR-2") is None
    found = {key: model.row_of(key) for key in keys(model)}
    assert found == {"LTR-1": 0, "LTR-3": 1, "LTR-4": 2, "LTR-5": 3}


def test_a_change_after_a_removal_updates_its_own_row(
    rows: list[QueueRow], qtmodeltester: ModelTester
) -> None:
    """Given five rows in queue order, the second one removed,
    When the fourth ticket is retitled (its place in the order holds),
    Then the fourth row shows the new title, and every other row is still there once."""
    model = TicketTableModel(NOW, UTC)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.apply_changes([], ["LTR-2"])
    fourth = rows[3]
    retitled = replace(
        fourth, ticket=replace(fourth.ticket, title="Checkout fails again", version=2)
    )

    model.apply_changes([retitled], [])

    assert keys(model) == ["LTR-1", "LTR-3", "LTR-4", "LTR-5"]
    position = model.row_of("LTR-4")
    assert position == 2
    assert model.index(position, COL_TITLE).data() == "Checkout fails again"
    assert [model.index(i, COL_TITLE).data() for i in (0, 1, 3)] == [
        "Checkout fails (LTR-1)",
        "Checkout fails (LTR-3)",
        "Checkout fails (LTR-5)",
    ]
