"""Histories that make no sense, read by the clock code (console.domain.sla) without
raising.

What each test pins down: an event marked invalid counts exactly as if it were not there; a
no-op status change (what the readers of stored histories mark invalid) changes no clock, so
leaving it out changes nothing a valid history computes; whatever else is wrong in a history
(a missing or ill-typed field, a status that is not one, a severity the policy does not have,
events before the submission, a second 'created'), the clocks, the queue state and the first
response are computed, never raised, and are those of the history without what is left out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sla import (
    POLICIES,
    created,
    responded,
    severity_changed,
    status_changed,
    ticket_histories,
)

from console.domain.model import (
    ClockProjection,
    EventKind,
    Invalidity,
    QueueSummary,
    Status,
    TicketEvent,
)
from console.domain.policy import Policy
from console.domain.sla import compute_clocks, first_response, queue_state, unread_events

SETTINGS = settings(
    max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
START = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)  # a Monday, 09:00 in Los Angeles


def invalid(event: TicketEvent, why: str = "made up") -> TicketEvent:
    return TicketEvent(
        event.kind, event.at, event.data, event.actor, Invalidity(event.kind.value, why)
    )


def status_at(events: list[TicketEvent], at: datetime) -> str:
    """The status the (valid, time-ordered) history says at ``at``."""
    status = str(events[0].data.get("status", "open"))
    for event in sorted(events, key=lambda e: e.at):
        if event.at <= at and event.kind is EventKind.STATUS_CHANGED:
            status = str(event.data["status"])
    return status


# --------------------------------------------------------------------------- the clocks


@SETTINGS
@given(ticket_histories(), st.data())
def test_a_no_op_status_change_changes_no_clock(
    case: tuple[Policy, str, list[TicketEvent], datetime], data: st.DataObject
) -> None:
    """A status change to the status the ticket has (the readers mark it invalid and leave
    it out) computes the same clocks as the history without it: leaving it out changes
    nothing a valid history computes."""
    policy, plan, events, now = case
    at = data.draw(st.sampled_from([e.at for e in events]))
    noop = status_changed(at, Status(status_at(events, at)))
    with_noop = [*events, noop]
    assert compute_clocks(policy, plan, with_noop, now) == compute_clocks(policy, plan, events, now)


@SETTINGS
@given(ticket_histories(), st.data())
def test_an_event_marked_invalid_counts_as_if_it_were_not_there(
    case: tuple[Policy, str, list[TicketEvent], datetime], data: st.DataObject
) -> None:
    policy, plan, events, now = case
    n = data.draw(st.integers(1, len(events) - 1)) if len(events) > 1 else None
    if n is None:
        return
    marked = [*events[:n], invalid(events[n]), *events[n + 1 :]]
    without = [*events[:n], *events[n + 1 :]]
    assert compute_clocks(policy, plan, marked, now) == compute_clocks(policy, plan, without, now)
    assert queue_state(policy, plan, marked, now) == queue_state(policy, plan, without, now)
    assert first_response(marked, now) == first_response(without, now)
    assert (marked[n], "made up") in unread_events(policy, marked, now)


NONSENSE: list[dict[str, Any]] = [
    {},
    {"status": "archived"},
    {"status": ["open"]},
    {"to": None},
    {"to": "high"},
    {"to": 9},
    {"to": True},
    {"severity": "x"},
    {"waiver": None},
    {"urgent": "yes"},
    {"automated": "no"},
]


@SETTINGS
@given(
    ticket_histories(),
    st.lists(
        st.tuples(
            st.sampled_from(list(EventKind)),
            st.sampled_from(NONSENSE),
            st.integers(-3 * 24 * 60, 6 * 24 * 60),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_nonsense_in_a_history_is_read_around_never_raised(
    case: tuple[Policy, str, list[TicketEvent], datetime],
    extra: list[tuple[EventKind, dict[str, Any], int]],
) -> None:
    """Events with missing or ill-typed fields, a status that is not one, a severity the
    policy does not have, a second 'created', events before the submission: the clocks,
    the queue state and the first response are computed, and the clocks are those of the
    history without the events the reading leaves out."""
    policy, plan, events, now = case
    start = events[0].at
    noise = [TicketEvent(kind, start + timedelta(minutes=m), data) for kind, data, m in extra]
    history = [*events, *noise]
    clocks = compute_clocks(policy, plan, history, now)
    queue_state(policy, plan, history, now)
    first_response(history, now)
    left_out = {id(e) for e, _ in unread_events(policy, history, now)}
    kept = [e for e in history if id(e) not in left_out]
    assert compute_clocks(policy, plan, kept, now) == clocks


def test_a_history_without_a_readable_created_event_has_no_clocks() -> None:
    policy = POLICIES["layer0"]
    for history in (
        [responded(START)],
        [TicketEvent(EventKind.CREATED, START, {"severity": "high"})],
        [created(START, 7)],  # Layer0 has severities 1 to 3
        [invalid(created(START, 2)), responded(START + timedelta(minutes=5))],
    ):
        now = START + timedelta(hours=2)
        assert compute_clocks(policy, "enterprise", history, now) == ()
        assert first_response(history, now) in (None, START)
        due, summary = queue_state(policy, "enterprise", history, now, basis="b")
        assert (due, summary) == (None, QueueSummary())
        assert summary.projection == ClockProjection(now, (), "b")


def test_what_the_clocks_leave_out_says_why() -> None:
    policy = POLICIES["layer0"]
    early = responded(START - timedelta(hours=1))
    bad_status = TicketEvent(EventKind.STATUS_CHANGED, START, {"status": "archived"})
    unknown_level = severity_changed(START + timedelta(minutes=1), 2, 9)
    history = [created(START, 2), early, bad_status, unknown_level]
    reasons = dict(
        (e.kind, why) for e, why in unread_events(policy, history, START + timedelta(hours=1))
    )
    assert reasons == {
        EventKind.RESPONDED: "it is dated before the ticket was created",
        EventKind.STATUS_CHANGED: "status 'archived' is not a status",
        EventKind.SEVERITY_CHANGED: "severity 9 is not a severity of the policy",
    }
