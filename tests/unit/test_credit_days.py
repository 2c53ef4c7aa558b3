"""Service credit days of one clock breached more than once, under several severities.

ZITADEL Extended: Severity 1 is answered within 1 business hour, Severity 2 within 2, both
on 08:00-17:00 Zurich; each started 15 minutes over the objective earns one day. One clock
measured under several severities earns the credits of its largest overrun only (the
contract grants days per overrun of *the* objective, not per severity the ticket had).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import Customer, EventKind, Metric, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.domain.sla import compute_clocks
from console.services.report import sla_report
from console.services.tickets import PolicyBook
from history import within

POLICIES = load_policies()
ZURICH = ZoneInfo("Europe/Zurich")
SUBMITTED = datetime(2026, 6, 9, 9, tzinfo=ZURICH)  # a Tuesday, an open business day
NOW = datetime(2026, 6, 9, 15, tzinfo=ZURICH)
KESTREL = Customer("Kestrel Labs AG", "zitadel", "extended", "EMEA")


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def history(lowered_after: int, answered_after: int) -> list[TicketEvent]:
    """Raised as Severity 1 at 09:00, lowered to Severity 2 and answered so many minutes
    later."""
    return [
        TicketEvent(EventKind.CREATED, SUBMITTED, {"severity": 1, "status": "open"}),
        TicketEvent(
            EventKind.SEVERITY_CHANGED,
            SUBMITTED + minutes(lowered_after),
            {"from": 1, "to": 2, "reason": "core-services-available"},
        ),
        TicketEvent(EventKind.RESPONDED, SUBMITTED + minutes(answered_after)),
    ]


# (lowered after, answered after): the Severity 1 breach runs from 10:00 to the change, the
# Severity 2 one from 11:00 to the answer.
CASES = [
    # 20 min over under S1 (2 days), then 40 min over under S2 (3 days): 3 days, not 5.
    pytest.param(80, 160, [minutes(20), minutes(40)], 3, id="larger-second"),
    # 35 min over under S1 (3 days), then 10 min over under S2 (1 day): 3 days, not 4.
    pytest.param(95, 130, [minutes(35), minutes(10)], 3, id="larger-first"),
]


@pytest.mark.parametrize(("lowered_after", "answered_after", "overruns", "days"), CASES)
def test_a_clock_breached_under_two_severities_earns_its_largest_overrun(
    lowered_after: int, answered_after: int, overruns: list[timedelta], days: int
) -> None:
    """Given a ZITADEL Extended ticket raised as S1 at 09:00 (due 10:00), lowered to S2
    after its first breach (due 11:00 from the same start), and answered after 11:00,
    When its clocks are computed that afternoon,
    Then the initial response clock holds both breaches, and earns the credit days of the
    larger overrun alone."""
    (clock,) = compute_clocks(
        POLICIES["zitadel"], "extended", history(lowered_after, answered_after), NOW
    )

    assert clock.metric is Metric.INITIAL_RESPONSE
    assert [(b.severity, b.overrun) for b in clock.breaches] == [
        (1, overruns[0]),
        (2, overruns[1]),
    ]
    assert clock.service_credit_days == days


@pytest.mark.parametrize(("lowered_after", "answered_after", "overruns", "days"), CASES)
def test_the_report_counts_the_largest_overrun_of_the_ticket(
    lowered_after: int, answered_after: int, overruns: list[timedelta], days: int
) -> None:
    """Given that one ticket in the store (and no other),
    When the SLA report of June is made,
    Then its single line (Severity 2, initial response, one breached clock) carries the
    credit days of the larger overrun."""
    store = FakeStore()
    clock = FakeTime(NOW.astimezone(UTC))
    events = history(lowered_after, answered_after)
    with FakeUnitOfWork(store, now=clock) as uow:
        uow.customers.add(KESTREL)
        uow.tickets.add(
            Ticket("ZIT-1", "Logins fail", KESTREL.name, 2, Status.OPEN, SUBMITTED), events
        )
        uow.commit()

    lines = within(
        FakeUnitOfWork(store, now=clock),
        sla_report,
        PolicyBook(POLICIES),
        datetime(2026, 6, 1, tzinfo=UTC),
        datetime(2026, 7, 1, tzinfo=UTC),
        NOW.astimezone(UTC),
    )

    assert [(line.severity, line.metric, line.breached, line.met) for line in lines] == [
        (2, Metric.INITIAL_RESPONSE, 1, 0)
    ]
    assert lines[0].credit_days == days
