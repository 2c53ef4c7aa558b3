"""Readings of the contracts the clock semantics once left open, each worked out by hand:
credits per failure (ZITADEL), periodic updates after any reopening (LivePerson), no
escalation clock without an escalation target (Layer0), and what a reopening, a response
while resolved, an update before any response and two events at one instant mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from test_sla import (
    NEW_YORK,
    POLICIES,
    ZURICH,
    clocks_of,
    created,
    escalated,
    escalation_answered,
    minutes,
    responded,
    status_changed,
    t,
    ticket_histories,
    update_sent,
)

from console.domain.model import ClockState, EventKind, Metric, Status, TicketEvent
from console.domain.policy import Policy
from console.domain.sla import compute_clocks, first_response, next_due_at, summarize

IR, PU, ESC = Metric.INITIAL_RESPONSE, Metric.PERIODIC_UPDATE, Metric.ESCALATION_RESPONSE


def by_metric(clocks: Any) -> dict[Metric, Any]:
    return {c.metric: c for c in clocks}


# --------------------------------------------------------------------------- ZITADEL credits


def test_each_failed_escalation_earns_its_own_credits() -> None:
    """Given a ZITADEL extended ticket escalated urgently twice on Tue 9 Jun 2026 (2
    business hours each, 08:00-17:00 Zurich), answered 20 and then 40 minutes late,
    When the clocks are read that evening,
    Then the two failures earn 2 + 3 = 5 days (each started 15 minutes over counts)."""
    start = t(ZURICH, 2026, 6, 9, 8, 0)
    events = [
        created(start, 3),
        responded(start + minutes(10)),
        escalated(t(ZURICH, 2026, 6, 9, 9, 0), urgent=True),
        escalation_answered(t(ZURICH, 2026, 6, 9, 11, 20)),  # 20 min over
        escalated(t(ZURICH, 2026, 6, 9, 12, 0), urgent=True),
        escalation_answered(t(ZURICH, 2026, 6, 9, 14, 40)),  # 40 min over
    ]
    clock = by_metric(clocks_of("zitadel", "extended", events, t(ZURICH, 2026, 6, 9, 18)))[ESC]
    assert [b.overrun for b in clock.breaches] == [minutes(20), minutes(40)]
    assert clock.service_credit_days == 5


def test_one_failure_under_two_severities_earns_its_largest_overrun_once() -> None:
    """One escalation measured first under one severity then another is still one failure."""
    start = t(ZURICH, 2026, 6, 9, 8, 0)
    events = [
        created(start, 3),
        responded(start + minutes(5)),
        escalated(t(ZURICH, 2026, 6, 9, 9, 0), urgent=True),
        TicketEvent(
            EventKind.SEVERITY_CHANGED,
            t(ZURICH, 2026, 6, 9, 11, 30),
            {"from": 3, "to": 2, "reason": "x"},
        ),
        escalation_answered(t(ZURICH, 2026, 6, 9, 11, 50)),
    ]
    clock = by_metric(clocks_of("zitadel", "extended", events, t(ZURICH, 2026, 6, 9, 18)))[ESC]
    assert {b.cycle for b in clock.breaches} == {1}
    assert clock.service_credit_days == 4  # 50 min over: 4 started quarters, once


# --------------------------------------------------------------------------- LivePerson reopening


def test_a_reopening_starts_the_periodic_updates_whatever_came_first() -> None:
    """Given a LivePerson S2 submitted Mon 8 Jun 2026 09:00 New York, resolved 09:10,
    answered 09:20 (while resolved) and reopened 09:30,
    When it is 10:00,
    Then a periodic update clock runs from 09:30, due Tue 09:30 EDT (13:30 UTC), the
    ticket's next_due_at is that instant and its summary says it counts."""
    events = [
        created(t(NEW_YORK, 2026, 6, 8, 9, 0), 2),
        status_changed(t(NEW_YORK, 2026, 6, 8, 9, 10), Status.RESOLVED),
        responded(t(NEW_YORK, 2026, 6, 8, 9, 20)),
        status_changed(t(NEW_YORK, 2026, 6, 8, 9, 30), Status.OPEN),
    ]
    now = t(NEW_YORK, 2026, 6, 8, 10, 0)
    clocks = clocks_of("liveperson", "standard", events, now)
    update = by_metric(clocks)[PU]
    assert update.state is ClockState.RUNNING
    assert update.started_at == t(NEW_YORK, 2026, 6, 8, 9, 30).astimezone(UTC)
    assert update.due == datetime(2026, 6, 9, 13, 30, tzinfo=UTC)
    due, summary = summarize(clocks)
    assert next_due_at(clocks) == due == datetime(2026, 6, 9, 13, 30, tzinfo=UTC)
    assert summary.metric is PU
    # The initial response clock stopped at the resolution, before any response: met.
    assert by_metric(clocks)[IR].state is ClockState.MET


# --------------------------------------------------------------------------- Layer0 escalation


def test_no_escalation_clock_where_the_plan_sets_no_escalation_target() -> None:
    """Given a Layer0 enterprise Sev 2 submitted Tue 9 Jun 2026 10:00 Pacific, answered
    10:10, escalated urgently 10:20 and resolved 10:25,
    When it is 10:30,
    Then only the initial response clock (met) exists: Layer0 promises no escalation
    answer."""
    la = POLICIES["layer0"].calendars["business-hours"].calendar.timezone
    events = [
        created(datetime(2026, 6, 9, 10, 0, tzinfo=la), 2),
        responded(datetime(2026, 6, 9, 10, 10, tzinfo=la)),
        escalated(datetime(2026, 6, 9, 10, 20, tzinfo=la), urgent=True),
        status_changed(datetime(2026, 6, 9, 10, 25, tzinfo=la), Status.RESOLVED),
    ]
    clocks = clocks_of("layer0", "enterprise", events, datetime(2026, 6, 9, 10, 30, tzinfo=la))
    assert [(c.metric, c.state) for c in clocks] == [(IR, ClockState.MET)]
    assert summarize(clocks)[1].kind.value == "done"


# --------------------------------------------------------------------------- the decided rules


def test_a_reopening_before_any_response_starts_the_initial_response_again() -> None:
    """Given a LivePerson S2 resolved ten minutes after submission with no answer, reopened
    the next morning and still unanswered,
    Then the initial response clock runs again from the reopening (cycle 2), with the full
    target: the customer still waits for a first answer."""
    submitted = t(NEW_YORK, 2026, 6, 8, 9, 0)
    reopened = t(NEW_YORK, 2026, 6, 9, 8, 0)
    events = [
        created(submitted, 2),
        status_changed(submitted + minutes(10), Status.RESOLVED),
        status_changed(reopened, Status.OPEN),
    ]
    clock = by_metric(clocks_of("liveperson", "standard", events, reopened + minutes(30)))[IR]
    assert (clock.cycle, clock.state) == (2, ClockState.RUNNING)
    assert clock.started_at == reopened.astimezone(UTC)
    assert clock.used == minutes(30)
    # Answered then: the second cycle is met, and nothing starts again at a later reopening.
    answered = [*events, responded(reopened + minutes(45))]
    later = [
        *answered,
        status_changed(reopened + minutes(50), Status.RESOLVED),
        status_changed(reopened + minutes(70), Status.OPEN),
    ]
    clock = by_metric(clocks_of("liveperson", "standard", later, reopened + hours(3)))[IR]
    assert (clock.cycle, clock.state) == (2, ClockState.MET)


def test_a_response_while_resolved_arms_no_update_until_the_reopening() -> None:
    events = [
        created(t(NEW_YORK, 2026, 6, 8, 9, 0), 2),
        status_changed(t(NEW_YORK, 2026, 6, 8, 9, 10), Status.RESOLVED),
        responded(t(NEW_YORK, 2026, 6, 8, 9, 20)),
    ]
    clocks = by_metric(clocks_of("liveperson", "standard", events, t(NEW_YORK, 2026, 6, 9, 9)))
    assert PU not in clocks  # resolved: no update is owed
    assert first_response(events, t(NEW_YORK, 2026, 6, 9, 9)) == events[2].at


def test_an_update_before_any_response_is_the_first_response() -> None:
    """LivePerson counts a response on the status dashboard or in chat: an update is a
    message to the customer, so the first one, before any response, answers the ticket."""
    start = t(NEW_YORK, 2026, 6, 8, 9, 0)
    events = [created(start, 2), update_sent(start + minutes(30))]
    clocks = by_metric(clocks_of("liveperson", "standard", events, start + hours(2)))
    assert clocks[IR].state is ClockState.MET
    assert clocks[IR].stopped_at == (start + minutes(30)).astimezone(UTC)
    assert clocks[PU].started_at == (start + minutes(30)).astimezone(UTC)
    assert first_response(events, start + hours(2)) == (start + minutes(30)).astimezone(UTC)


def test_events_at_one_instant_count_in_the_order_they_were_recorded() -> None:
    """A resolution and a reopening recorded at the same instant: the ticket is open after
    them (recorded last); recorded the other way round, it is resolved."""
    start = t(NEW_YORK, 2026, 6, 8, 9, 0)
    at = start + hours(1)
    resolved, reopened = status_changed(at, Status.RESOLVED), status_changed(at, Status.OPEN)
    base = [created(start, 2), responded(start + minutes(5))]
    now = start + hours(2)
    open_after = by_metric(clocks_of("liveperson", "standard", [*base, resolved, reopened], now))
    resolved_after = by_metric(
        clocks_of("liveperson", "standard", [*base, reopened, resolved], now)
    )
    assert open_after[PU].stopped_at is None
    assert resolved_after[PU].stopped_at is not None


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --------------------------------------------------------------------------- properties


@settings(
    max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(ticket_histories())
def test_an_open_answered_ticket_owes_its_updates(
    case: tuple[Policy, str, list[TicketEvent], datetime],
) -> None:
    """Given a random history, when the ticket is open at now, has been answered and its
    policy sets a timed periodic-update target at its severity, then its periodic update
    clock has not stopped; and every counting clock gives the ticket a next_due_at."""
    policy, plan, events, now = case
    clocks = compute_clocks(policy, plan, events, now)
    history = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    status = Status(history[0].data.get("status", Status.OPEN.value))
    severity = int(history[0].data["severity"])
    for event in history:
        if event.kind is EventKind.STATUS_CHANGED:
            status = Status(event.data["status"])
        elif event.kind is EventKind.SEVERITY_CHANGED:
            severity = int(event.data["to"])
    target = policy.target(plan, severity, PU)
    answered = first_response(events, now) is not None
    if not status.is_done and answered and target is not None and target.is_timed:
        update = by_metric(clocks).get(PU)
        assert update is not None and update.stopped_at is None, [e.kind for e in history]
    if any(c.is_counting for c in clocks):
        assert next_due_at(clocks) is not None
