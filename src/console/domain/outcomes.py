"""A ticket's clock outcomes: how each of its clocks counts in the SLA report, reduced to a
row that stays true until the ticket's next event (or a change of its calendars).

What changes without an event is only time passing a counting clock's due instant: a
pending clock then reads as breached (:meth:`ClockOutcome.at`), and a clock of a metric
that earns service credits earns more the longer it runs past it (``grows``: a report past
its due instant computes that ticket from its history). Everything else (met, a breach
that is history, the first response time, the severity) is settled by the events.

The report reads these rows instead of every history; :func:`clock_outcomes` is the one
place that says how a clock becomes a row, and the report computed from the histories
(:func:`console.services.report.sla_report_from_histories`) applies the same rules, so
the two agree (a test compares them on random histories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from console.domain.model import (
    ClockOutcome,
    ClockOutcomes,
    EventKind,
    Metric,
    Outcome,
    TicketEvent,
)
from console.domain.policy import Policy
from console.domain.sla import ClockState, SlaClock, first_response

__all__ = ["clock_outcome", "clock_outcomes", "severity_at"]

_PENDING_STATES = frozenset({ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED})


def clock_outcome(clock: SlaClock) -> Outcome | None:
    """How a clock counts in the report at the instant it was computed; None when it is not
    held to a timed target (waived, best effort, no target)."""
    if clock.state is ClockState.WAIVED:
        return None
    if clock.ever_breached or clock.state is ClockState.BREACHED:
        return Outcome.BREACHED
    if clock.state is ClockState.MET:
        return Outcome.MET
    if clock.state in _PENDING_STATES:
        return Outcome.PENDING
    return None  # best effort, or no target


def severity_at(events: Sequence[TicketEvent], now: datetime, policy: Policy) -> int:
    """The ticket's severity at ``now``: the created one, changed by each severity change
    to a level the policy has (the clocks read a history the same way); an event marked
    invalid counts for nothing."""
    valid = [e for e in events if e.invalid is None]
    ordered = sorted((e for e in valid if e.at <= now), key=lambda e: e.at)
    if not ordered:  # ``now`` before the submission: the severity it was raised with
        ordered = sorted(valid, key=lambda e: e.at)[:1]
    if not ordered:
        return min(s.level for s in policy.severities)
    levels = {s.level for s in policy.severities}
    level = ordered[0].data.get("severity")
    for event in ordered[1:]:
        if event.kind is EventKind.SEVERITY_CHANGED and event.data.get("to") in levels:
            level = event.data["to"]
    return int(level) if level in levels else min(levels)


def clock_outcomes(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    clocks: Iterable[SlaClock],
    as_of: datetime,
    basis: str,
    responded: datetime | bool | None = False,
) -> ClockOutcomes:
    """The outcomes of ``clocks`` (a ticket's clocks at ``as_of``, computed from ``events``
    on ``policy``, the customer's effective one, named by ``basis``); ``responded`` is the
    first response by ``as_of`` when the caller knows it already (else it is read).

    The basis is left empty (the outcomes are not to be used) when an event lies after
    ``as_of``: the clocks would not be what a later report computes."""
    if not events:
        return ClockOutcomes(as_of, basis, ())
    if any(e.at > as_of for e in events if e.invalid is None):
        basis = ""
    severity = severity_at(events, as_of, policy)
    if isinstance(responded, bool):  # not given: read from the events
        responded = first_response(events, as_of)
    rows: list[ClockOutcome] = []
    for clock in clocks:
        state = clock_outcome(clock)
        if state is None:
            continue
        counting = clock.is_counting and clock.due is not None and clock.stopped_at is None
        due = clock.due if counting else None
        if counting and state is Outcome.BREACHED:
            # Breached by the open breach alone (past due now) reads as pending-with-due:
            # ClockOutcome.at says breached at any instant past it, as the clocks would.
            assert clock.due is not None
            earlier = clock.breaches[:-1] if as_of > clock.due else clock.breaches
            if not earlier:
                state = Outcome.PENDING
        response = None
        if (
            clock.metric is Metric.INITIAL_RESPONSE
            and clock.stopped_at is not None
            and clock.stopped_at == responded
        ):
            response = clock.stopped_at - clock.started_at
        grows = counting and policy.service_credit(plan, clock.metric) is not None
        rows.append(
            ClockOutcome(
                metric=clock.metric,
                severity=severity,
                state=state,
                started_at=clock.started_at,
                stopped_at=clock.stopped_at,
                due=due,
                response=response,
                credit_days=clock.service_credit_days,
                grows=grows,
            )
        )
    return ClockOutcomes(as_of, basis, tuple(rows))
