"""What an action will do to the clocks, said before it is done: read from the clock code
with the action's event added."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import EventKind, Metric
from console.domain.policy import load_policies
from console.domain.sla import ClockState
from console.services.demo import load_demo
from console.services.effects import clock_effects, effects_text
from console.services.queue import TicketDetail
from console.services.tickets import PolicyBook
from console.services.views import Detail

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Zurich")
COUNTING = (ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED)


@pytest.fixture(scope="module")
def details() -> list[TicketDetail]:
    store, book = FakeStore(), PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, now=lambda: NOW), book, tickets=1_000, seed=4, now=NOW)
    return [
        Detail(key).run(FakeUnitOfWork(store, now=lambda: NOW), book)
        for key, ticket in sorted(store.tickets.items())
        if ticket.is_open
    ]


def test_an_rca_stops_the_running_rca_clock_and_says_so(details: list[TicketDetail]) -> None:
    found = 0
    for detail in details:
        running = [
            c
            for c in detail.clocks(NOW)
            if c.metric is Metric.PRELIMINARY_RCA and c.state in COUNTING
        ]
        effects = clock_effects(detail, EventKind.RCA_DELIVERED, {}, NOW, ZONE)
        assert [e.metric for e in effects if e.verb == "stops"] == [c.metric for c in running]
        for effect, clock in zip(effects, running, strict=False):
            assert effect.outcome == ("breached" if clock.state is ClockState.BREACHED else "met")
            assert effect.line.startswith("stops Preliminary RCA")
        found += bool(running)
    assert found


def test_a_note_changes_no_clock(details: list[TicketDetail]) -> None:
    for detail in details[:50]:
        assert clock_effects(detail, EventKind.NOTE, {"text": "x"}, NOW, ZONE) == ()
    assert effects_text(()) == "No SLA clock changes."


def test_resolving_stops_the_response_and_update_clocks_not_the_rca(
    details: list[TicketDetail],
) -> None:
    """A resolution ends the conversation's clocks; a preliminary RCA is still owed."""
    stopped = 0
    for detail in details[:120]:
        counting = {
            c.metric
            for c in detail.clocks(NOW)
            if c.state in COUNTING and c.metric is not Metric.PRELIMINARY_RCA
        }
        effects = clock_effects(detail, EventKind.STATUS_CHANGED, {"status": "resolved"}, NOW, ZONE)
        assert {e.metric for e in effects if e.verb == "stops"} == counting
        assert Metric.PRELIMINARY_RCA not in {e.metric for e in effects}
        stopped += len(effects)
    assert stopped
