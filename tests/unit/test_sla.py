"""SLA clocks derived from a ticket's history and its policy (DESIGN.md section 2).

Every expected instant below is worked out by hand from the policy files and the
semantics of DESIGN.md / policies/README.md, written in the policy's local time and
compared as UTC instants.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain.calendar import BusinessCalendar
from console.domain.model import (
    EventKind,
    Metric,
    QueueGroup,
    QueueSummary,
    Status,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, Policy, TargetKind, load_policies
from console.domain.sla import (
    Breach,
    ClockState,
    SlaClock,
    compute_clocks,
    due_for,
    next_due_at,
    queue_state,
    reproject,
    summarize,
)

POLICIES: dict[str, Policy] = load_policies()

LA = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
ZURICH = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

IR = Metric.INITIAL_RESPONSE
PU = Metric.PERIODIC_UPDATE
RCA = Metric.PRELIMINARY_RCA
ESC = Metric.ESCALATION_RESPONSE

COUNTING_STATES = (ClockState.RUNNING, ClockState.WAITING)
TIMED_STATES = (
    ClockState.RUNNING,
    ClockState.WAITING,
    ClockState.PAUSED,
    ClockState.MET,
    ClockState.BREACHED,
)


# --------------------------------------------------------------------------- helpers


def t(zone: ZoneInfo, *args: int) -> datetime:
    """A local wall time in ``zone`` (the way the policies state their hours)."""
    return datetime(*args, tzinfo=zone)  # type: ignore[arg-type,misc]


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def created(at: datetime, severity: int, status: Status | None = None) -> TicketEvent:
    data: dict[str, Any] = {"severity": severity}
    if status is not None:
        data["status"] = status.value
    return TicketEvent(EventKind.CREATED, at, data)


def responded(at: datetime, *, automated: bool = False) -> TicketEvent:
    return TicketEvent(EventKind.RESPONDED, at, {"automated": True} if automated else {})


def status_changed(at: datetime, status: Status) -> TicketEvent:
    return TicketEvent(EventKind.STATUS_CHANGED, at, {"status": status.value})


def severity_changed(at: datetime, old: int, new: int, reason: str = "reassessed") -> TicketEvent:
    return TicketEvent(EventKind.SEVERITY_CHANGED, at, {"from": old, "to": new, "reason": reason})


def update_sent(at: datetime) -> TicketEvent:
    return TicketEvent(EventKind.UPDATE_SENT, at)


def escalated(at: datetime, *, urgent: bool) -> TicketEvent:
    return TicketEvent(EventKind.ESCALATED, at, {"urgent": urgent})


def escalation_answered(at: datetime) -> TicketEvent:
    return TicketEvent(EventKind.ESCALATION_ANSWERED, at)


def rca_delivered(at: datetime) -> TicketEvent:
    return TicketEvent(EventKind.RCA_DELIVERED, at)


def waived(at: datetime, waiver: str, reason: str) -> TicketEvent:
    return TicketEvent(EventKind.WAIVED, at, {"waiver": waiver, "reason": reason})


def clocks_of(
    policy: str,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    company_periods: Sequence[CompanyPeriod] = (),
) -> tuple[SlaClock, ...]:
    return compute_clocks(POLICIES[policy], plan, events, now, company_periods=company_periods)


def clock_of(
    policy: str,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    metric: Metric = IR,
    company_periods: Sequence[CompanyPeriod] = (),
) -> SlaClock:
    found = [c for c in clocks_of(policy, plan, events, now, company_periods) if c.metric is metric]
    assert len(found) == 1, f"expected one {metric} clock, got {found}"
    return found[0]


def metrics_of(clocks: Sequence[SlaClock]) -> set[Metric]:
    return {c.metric for c in clocks}


# --------------------------------------------------------------------------- states on a
# business-hours target: Layer0 enterprise Sev 2 is 60 min in Business Hours
# (09:00-18:00 Pacific, Mon-Fri, Qualified Holidays closed). 2026-06-08 is a Monday.


def layer0_sev2(at: datetime, *more: TicketEvent) -> list[TicketEvent]:
    return [created(at, 2), *more]


class TestBusinessHoursStates:
    def test_running_inside_business_hours(self) -> None:
        """Given a Layer0 Sev 2 submitted Wed 10:00 Pacific,
        When it is 10:20 and nobody has answered,
        Then the clock runs with 20 min used, 40 min left, and is due at 11:00."""
        clock = clock_of(
            "layer0", "enterprise", layer0_sev2(t(LA, 2026, 6, 10, 10)), t(LA, 2026, 6, 10, 10, 20)
        )
        assert clock.state is ClockState.RUNNING
        assert clock.severity == 2
        assert clock.due == utc(t(LA, 2026, 6, 10, 11))
        assert clock.used == minutes(20)
        assert clock.remaining == minutes(40)
        assert clock.fraction_used == pytest.approx(1 / 3)
        assert clock.stopped_at is None
        assert clock.resumes_at is None
        assert clock.paused_by is None
        assert clock.breaches == ()
        assert clock.is_counting

    def test_waiting_after_closing_with_resumes_at(self) -> None:
        """Given a Layer0 Sev 2 submitted Fri 17:30 Pacific (30 min before closing),
        When it is Fri 19:00,
        Then the clock waits for Mon 09:00, has used 30 min, and is due Mon 09:30."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 12, 17, 30)),
            t(LA, 2026, 6, 12, 19),
        )
        assert clock.state is ClockState.WAITING
        assert clock.resumes_at == utc(t(LA, 2026, 6, 15, 9))
        assert clock.due == utc(t(LA, 2026, 6, 15, 9, 30))
        assert clock.used == minutes(30)
        assert clock.remaining == minutes(30)
        assert clock.is_counting

    def test_submitted_while_closed_counts_from_the_next_opening(self) -> None:
        """Given a Layer0 Sev 2 submitted on Saturday 10:00 Pacific,
        When it is Saturday 11:00,
        Then nothing is used yet, the clock waits for Mon 09:00 and is due Mon 10:00."""
        clock = clock_of(
            "layer0", "enterprise", layer0_sev2(t(LA, 2026, 6, 13, 10)), t(LA, 2026, 6, 13, 11)
        )
        assert clock.state is ClockState.WAITING
        assert clock.used == timedelta(0)
        assert clock.resumes_at == utc(t(LA, 2026, 6, 15, 9))
        assert clock.due == utc(t(LA, 2026, 6, 15, 10))

    def test_target_used_up_at_closing_is_due_at_the_next_opening(self) -> None:
        """Given a Layer0 Sev 2 submitted Fri 17:00 Pacific (the hour runs out at closing),
        When it is Fri 18:00, then Mon 09:00, then one second later,
        Then it is due Mon 09:00: waiting then running with nothing left, and breached
        (by one second) only once now is after the due instant."""
        events = layer0_sev2(t(LA, 2026, 6, 12, 17))
        due = utc(t(LA, 2026, 6, 15, 9))

        at_closing = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 12, 18))
        assert at_closing.state is ClockState.WAITING
        assert at_closing.due == due
        assert at_closing.remaining == timedelta(0)

        at_due = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 15, 9))
        assert at_due.state is ClockState.RUNNING
        assert at_due.due == due
        assert at_due.breaches == ()

        after = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 15, 9) + SECOND)
        assert after.state is ClockState.BREACHED
        assert after.due == due
        assert after.overrun == SECOND

    def test_holiday_is_not_business_time(self) -> None:
        """Given a Layer0 Sev 2 submitted at 17:30 Pacific on the day before Thanksgiving
        (Thursday and the Friday after are Qualified Holidays),
        When it is the Friday after Thanksgiving,
        Then it waits with 30 min used and is due Monday 09:30."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 11, 25, 17, 30)),
            t(LA, 2026, 11, 27, 12),
        )
        assert clock.state is ClockState.WAITING
        assert clock.used == minutes(30)
        assert clock.resumes_at == utc(t(LA, 2026, 11, 30, 9))
        assert clock.due == utc(t(LA, 2026, 11, 30, 9, 30))

    @pytest.mark.parametrize("answer_minute", [59, 60], ids=["before-due", "exactly-at-due"])
    def test_met_when_answered_at_or_before_due(self, answer_minute: int) -> None:
        """Given a Layer0 Sev 2 submitted Wed 10:00 Pacific (due 11:00),
        When an agent answers at 10:59 or exactly at 11:00 and it is now 15:00,
        Then the clock is met, stopped at the answer, never breached."""
        answer = t(LA, 2026, 6, 10, 10) + minutes(answer_minute)
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 10, 10), responded(answer)),
            t(LA, 2026, 6, 10, 15),
        )
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(answer)
        assert clock.used == minutes(answer_minute)
        assert clock.remaining == minutes(60 - answer_minute)
        assert clock.breaches == ()
        assert not clock.ever_breached
        assert not clock.is_counting

    def test_met_clock_keeps_its_due_instant(self) -> None:
        """Given a Layer0 Sev 2 submitted Wed 10:00 Pacific,
        When it is answered at 10:30,
        Then the met clock still shows the instant it was due (11:00): met means stopped at
        or before due."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 10, 10), responded(t(LA, 2026, 6, 10, 10, 30))),
            t(LA, 2026, 6, 10, 15),
        )
        assert clock.state is ClockState.MET
        assert clock.due == utc(t(LA, 2026, 6, 10, 11))

    def test_breached_while_still_running(self) -> None:
        """Given a Layer0 Sev 2 submitted Wed 10:00 Pacific (due 11:00),
        When it is 11:25 and nobody has answered,
        Then it is breached by 25 min of business time, the breach began at 11:00 and the
        clock still counts."""
        clock = clock_of(
            "layer0", "enterprise", layer0_sev2(t(LA, 2026, 6, 10, 10)), t(LA, 2026, 6, 10, 11, 25)
        )
        assert clock.state is ClockState.BREACHED
        assert clock.due == utc(t(LA, 2026, 6, 10, 11))
        assert clock.used == minutes(85)
        assert clock.remaining == -minutes(25)
        assert clock.breaches == (
            Breach(
                at=utc(t(LA, 2026, 6, 10, 11)),
                severity=2,
                target=hours(1),
                overrun=minutes(25),
                cycle=1,
            ),
        )
        assert clock.overrun == minutes(25)
        assert clock.stopped_at is None
        assert clock.is_counting
        assert clock.service_credit_days == 0  # Layer0 owes no credits

    def test_breached_and_stopped_by_a_late_answer(self) -> None:
        """Given a Layer0 Sev 2 submitted Wed 10:00 Pacific (due 11:00),
        When the answer comes at 11:10 and it is now the next day,
        Then the clock is breached by 10 min and no longer counts."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 10, 10), responded(t(LA, 2026, 6, 10, 11, 10))),
            t(LA, 2026, 6, 11, 12),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.stopped_at == utc(t(LA, 2026, 6, 10, 11, 10))
        assert clock.used == minutes(70)
        assert clock.overrun == minutes(10)
        assert not clock.is_counting

    def test_overrun_is_business_time_across_a_weekend(self) -> None:
        """Given a Layer0 Sev 2 submitted Fri 17:30 Pacific (due Mon 09:30),
        When the answer comes Mon 09:45,
        Then the overrun is 15 min of business time, not the weekend's wall time."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 12, 17, 30), responded(t(LA, 2026, 6, 15, 9, 45))),
            t(LA, 2026, 6, 15, 12),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.due == utc(t(LA, 2026, 6, 15, 9, 30))
        assert clock.used == minutes(75)
        assert clock.overrun == minutes(15)
        assert clock.breaches[0].at == utc(t(LA, 2026, 6, 15, 9, 30))

    def test_moboom_level2_does_not_count_weekends(self) -> None:
        """Given a Moboom Level 2 (4 h, Mon-Fri all day Pacific) submitted Fri 22:00,
        When it is Saturday noon,
        Then 2 h are used, it waits for Monday 00:00 and is due Monday 02:00."""
        clock = clock_of(
            "moboom",
            "premium-partner",
            [created(t(LA, 2026, 6, 12, 22), 2)],
            t(LA, 2026, 6, 13, 12),
        )
        assert clock.state is ClockState.WAITING
        assert clock.used == hours(2)
        assert clock.resumes_at == utc(t(LA, 2026, 6, 15))
        assert clock.due == utc(t(LA, 2026, 6, 15, 2))


# --------------------------------------------------------------------------- what stops the
# initial response. Layer0 enterprise Sev 1 is 30 min on 24x7 Pacific.


class TestInitialResponseStops:
    def test_automated_response_does_not_stop_the_clock(self) -> None:
        """Given a Layer0 Sev 1 submitted 12:00 Pacific with an automated acknowledgement
        at 12:01,
        When it is 12:40 and no person has answered,
        Then the clock is still counting and breached by 10 min."""
        clock = clock_of(
            "layer0",
            "enterprise",
            [
                created(t(LA, 2026, 6, 8, 12), 1),
                responded(t(LA, 2026, 6, 8, 12, 1), automated=True),
            ],
            t(LA, 2026, 6, 8, 12, 40),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.stopped_at is None
        assert clock.due == utc(t(LA, 2026, 6, 8, 12, 30))
        assert clock.overrun == minutes(10)

    def test_first_person_response_after_an_automated_one_stops_it(self) -> None:
        """Given a Layer0 Sev 1 submitted 12:00 Pacific, an automated reply at 12:01 and an
        agent's reply at 12:20,
        When it is 13:00,
        Then the clock was met, stopped at the agent's reply."""
        clock = clock_of(
            "layer0",
            "enterprise",
            [
                created(t(LA, 2026, 6, 8, 12), 1),
                responded(t(LA, 2026, 6, 8, 12, 1), automated=True),
                responded(t(LA, 2026, 6, 8, 12, 20)),
            ],
            t(LA, 2026, 6, 8, 13),
        )
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(t(LA, 2026, 6, 8, 12, 20))
        assert clock.used == minutes(20)

    @pytest.mark.parametrize("done", [Status.RESOLVED, Status.CLOSED])
    def test_resolution_before_any_response_stops_it(self, done: Status) -> None:
        """Given a Layer0 Sev 1 submitted 12:00 Pacific and resolved (or closed) at 12:10
        without any response,
        When it is 13:00,
        Then the initial response clock was met at 12:10."""
        clock = clock_of(
            "layer0",
            "enterprise",
            [created(t(LA, 2026, 6, 8, 12), 1), status_changed(t(LA, 2026, 6, 8, 12, 10), done)],
            t(LA, 2026, 6, 8, 13),
        )
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(t(LA, 2026, 6, 8, 12, 10))
        assert clock.used == minutes(10)

    def test_late_resolution_stops_it_breached(self) -> None:
        """Given a Layer0 Sev 1 submitted 12:00 Pacific, resolved at 12:45 unanswered,
        When it is 14:00,
        Then the clock stopped at 12:45, breached by 15 min (not by the time since)."""
        clock = clock_of(
            "layer0",
            "enterprise",
            [
                created(t(LA, 2026, 6, 8, 12), 1),
                status_changed(t(LA, 2026, 6, 8, 12, 45), Status.RESOLVED),
            ],
            t(LA, 2026, 6, 8, 14),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.stopped_at == utc(t(LA, 2026, 6, 8, 12, 45))
        assert clock.overrun == minutes(15)

    def test_resolution_after_the_response_does_not_move_the_stop(self) -> None:
        """Given a Layer0 Sev 1 answered at 12:05 and resolved at 12:50,
        When it is 13:00,
        Then the clock stopped at the answer."""
        clock = clock_of(
            "layer0",
            "enterprise",
            [
                created(t(LA, 2026, 6, 8, 12), 1),
                responded(t(LA, 2026, 6, 8, 12, 5)),
                status_changed(t(LA, 2026, 6, 8, 12, 50), Status.RESOLVED),
            ],
            t(LA, 2026, 6, 8, 13),
        )
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(t(LA, 2026, 6, 8, 12, 5))


# --------------------------------------------------------------------------- pauses


class TestPauses:
    LP_S1 = t(NEW_YORK, 2026, 6, 8, 10)  # LivePerson S1: 1 h on 24x7 New York

    def lp_s1_with_pause(self) -> list[TicketEvent]:
        return [
            created(self.LP_S1, 1),
            status_changed(self.LP_S1 + minutes(20), Status.AWAITING_CUSTOMER),
            status_changed(self.LP_S1 + minutes(50), Status.OPEN),
        ]

    def test_paused_while_awaiting_customer(self) -> None:
        """Given a LivePerson S1 submitted 10:00 New York, awaiting the customer from 10:20,
        When it is 10:30,
        Then the response clock is paused by awaiting_customer with 20 min used, 40 min left
        and no due instant."""
        clock = clock_of(
            "liveperson", "standard", self.lp_s1_with_pause(), self.LP_S1 + minutes(30)
        )
        assert clock.state is ClockState.PAUSED
        assert clock.paused_by is Status.AWAITING_CUSTOMER
        assert clock.due is None
        assert clock.used == minutes(20)
        assert clock.remaining == minutes(40)
        assert not clock.is_counting

    def test_due_shifts_by_the_paused_time_after_resuming(self) -> None:
        """Given a LivePerson S1 submitted 10:00 New York, paused 10:20-10:50,
        When it is 11:00,
        Then it runs again with 30 min used (10:00-10:20, 10:50-11:00) and is due 11:30: the
        unpaused due (11:00) moved by exactly the 30 paused minutes."""
        unpaused = clock_of(
            "liveperson", "standard", [created(self.LP_S1, 1)], self.LP_S1 + minutes(30)
        )
        clock = clock_of("liveperson", "standard", self.lp_s1_with_pause(), self.LP_S1 + HOUR)
        assert clock.state is ClockState.RUNNING
        assert clock.used == minutes(30)
        assert clock.remaining == minutes(30)
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 8, 11, 30))
        assert unpaused.due is not None
        assert clock.due - unpaused.due == minutes(30)

    def test_breach_after_a_pause_counts_only_unpaused_time(self) -> None:
        """Given a LivePerson S1 submitted 10:00 New York, paused 10:20-10:50,
        When it is 11:40,
        Then it is breached by 10 min (due 11:30)."""
        clock = clock_of(
            "liveperson", "standard", self.lp_s1_with_pause(), self.LP_S1 + minutes(100)
        )
        assert clock.state is ClockState.BREACHED
        assert clock.overrun == minutes(10)
        assert clock.breaches[0].at == utc(t(NEW_YORK, 2026, 6, 8, 11, 30))

    def test_pause_across_a_weekend_shifts_due_by_paused_business_time_only(self) -> None:
        """Given a LivePerson S3 (3 business days = 72 h, Mon-Fri all day New York) submitted
        Wed 09:00 (due Mon 09:00 without pauses), awaiting the customer Fri 18:00-Mon 06:00,
        When it is Mon 12:00,
        Then 12 h of business time were paused (Fri 18-24, Mon 0-6), not the 60 h of wall
        time: 63 h used and due Mon 21:00."""
        start = t(NEW_YORK, 2026, 6, 10, 9)
        events = [
            created(start, 3),
            status_changed(t(NEW_YORK, 2026, 6, 12, 18), Status.AWAITING_CUSTOMER),
            status_changed(t(NEW_YORK, 2026, 6, 15, 6), Status.OPEN),
        ]
        now = t(NEW_YORK, 2026, 6, 15, 12)
        unpaused = clock_of("liveperson", "standard", [created(start, 3)], t(NEW_YORK, 2026, 6, 11))
        clock = clock_of("liveperson", "standard", events, now)
        assert unpaused.due == utc(t(NEW_YORK, 2026, 6, 15, 9))
        assert clock.state is ClockState.RUNNING
        assert clock.used == hours(63)
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 15, 21))

    def test_on_hold_does_not_pause_liveperson(self) -> None:
        """Given a LivePerson S1 submitted 10:00 New York, put on hold at 10:20,
        When it is 10:30,
        Then the clock runs (only awaiting_customer pauses LivePerson's clocks)."""
        clock = clock_of(
            "liveperson",
            "standard",
            [created(self.LP_S1, 1), status_changed(self.LP_S1 + minutes(20), Status.ON_HOLD)],
            self.LP_S1 + minutes(30),
        )
        assert clock.state is ClockState.RUNNING
        assert clock.used == minutes(30)

    def test_awaiting_customer_does_not_stop_layer0(self) -> None:
        """Given a Layer0 Sev 1 (30 min, 24x7) submitted 12:00 Pacific and set to awaiting the
        customer at 12:10 (Layer0 pauses no metric by status),
        When it is 12:20 and then 12:40,
        Then the clock keeps running (due 12:30) and is breached by 10 min at 12:40."""
        events = [
            created(t(LA, 2026, 6, 8, 12), 1),
            status_changed(t(LA, 2026, 6, 8, 12, 10), Status.AWAITING_CUSTOMER),
        ]
        running = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 8, 12, 20))
        assert running.state is ClockState.RUNNING
        assert running.paused_by is None
        assert running.used == minutes(20)
        assert running.due == utc(t(LA, 2026, 6, 8, 12, 30))

        breached = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 8, 12, 40))
        assert breached.state is ClockState.BREACHED
        assert breached.overrun == minutes(10)


# --------------------------------------------------------------------------- waivers


class TestWaivers:
    @pytest.mark.parametrize("waiver_id", ["status_page", "personal_data"])
    def test_laioutr_waiver_lifts_the_initial_response_target(self, waiver_id: str) -> None:
        """Given a Laioutr S1 (60 min) submitted Mon 09:00 Berlin and waived at 09:05,
        When it is 12:00 without a response (long past the target),
        Then the clock is waived with the waiver and its reason, has no due, no time left and
        no breach."""
        start = t(BERLIN, 2026, 6, 8, 9)
        reason = "already announced as INC-42"
        clock = clock_of(
            "laioutr",
            "standard",
            [created(start, 1), waived(start + minutes(5), waiver_id, reason)],
            t(BERLIN, 2026, 6, 8, 12),
        )
        assert clock.state is ClockState.WAIVED
        assert clock.waiver is not None
        assert clock.waiver.id == waiver_id
        assert clock.waiver_reason == reason
        assert clock.due is None
        assert clock.remaining is None
        assert clock.breaches == ()
        assert clock.service_credit_days == 0
        assert not clock.is_counting
        assert next_due_at([clock]) is None

    def test_a_waiver_the_policy_does_not_know_waives_nothing(self) -> None:
        """Given a Layer0 Sev 1 (Layer0 has no waivers) with a 'status_page' waiver event,
        When it is an hour later,
        Then the clock is breached as if the event were not there."""
        start = t(LA, 2026, 6, 8, 12)
        clock = clock_of(
            "layer0",
            "enterprise",
            [created(start, 1), waived(start + minutes(5), "status_page", "on status page")],
            start + HOUR,
        )
        assert clock.state is ClockState.BREACHED
        assert clock.waiver is None


# --------------------------------------------------------------------------- severity changes


class TestSeverityChange:
    def test_raise_after_the_new_target_elapsed_is_breached_at_once(self) -> None:
        """Given a Laioutr S3 (12 h on 24x5) submitted Mon 09:00 Berlin, raised to S1
        (60 min on 24x7) at 11:00,
        When it is 10:59, then 11:00,
        Then it first runs as S3 (due 21:00); from the change on it is breached under S1,
        keeping its 09:00 start: due 10:00, 2 h used, 1 h over, the breach beginning at the
        change."""
        start = t(BERLIN, 2026, 6, 8, 9)
        change = t(BERLIN, 2026, 6, 8, 11)
        events = [created(start, 3), severity_changed(change, 3, 1, "production down")]

        before = clock_of("laioutr", "standard", events, change - MINUTE)
        assert before.state is ClockState.RUNNING
        assert before.severity == 3
        assert before.due == utc(t(BERLIN, 2026, 6, 8, 21))

        after = clock_of("laioutr", "standard", events, change)
        assert after.state is ClockState.BREACHED
        assert after.severity == 1
        assert after.started_at == utc(start)
        assert after.due == utc(t(BERLIN, 2026, 6, 8, 10))
        assert after.used == hours(2)
        assert after.remaining == -hours(1)
        assert len(after.breaches) == 1
        breach = after.breaches[0]
        assert breach.severity == 1
        assert breach.target == hours(1)
        assert breach.overrun == hours(1)
        assert breach.at == utc(change)

        later = clock_of("laioutr", "standard", events, change + minutes(30))
        assert later.overrun == minutes(90)

    def test_lowering_after_a_breach_keeps_the_breach(self) -> None:
        """Given a Laioutr S1 (60 min, 24x7) submitted Fri 20:00 Berlin, unanswered, and
        lowered to S3 (12 h on 24x5 Mon-Fri) on Saturday 10:00,
        When it is Saturday 12:00,
        Then the S3 clock keeps the Friday 20:00 start, measures 4 h on the 24x5 calendar
        (Fri 20-24), waits for Monday 00:00 and is due Monday 08:00; the S1 breach (began
        Fri 21:00, 13 h over at the change) stays in its history."""
        start = t(BERLIN, 2026, 6, 12, 20)
        events = [
            created(start, 1),
            severity_changed(t(BERLIN, 2026, 6, 13, 10), 1, 3, "missing-information"),
        ]
        clock = clock_of("laioutr", "standard", events, t(BERLIN, 2026, 6, 13, 12))
        assert clock.state is ClockState.WAITING
        assert clock.severity == 3
        assert clock.started_at == utc(start)
        assert clock.used == hours(4)
        assert clock.remaining == hours(8)
        assert clock.resumes_at == utc(t(BERLIN, 2026, 6, 15))
        assert clock.due == utc(t(BERLIN, 2026, 6, 15, 8))
        assert clock.ever_breached
        assert clock.breaches == (
            Breach(
                at=utc(t(BERLIN, 2026, 6, 12, 21)),
                severity=1,
                target=hours(1),
                overrun=hours(13),
                cycle=1,
            ),
        )

    def test_met_under_the_new_severity_still_ever_breached(self) -> None:
        """Given the S1 ticket above lowered to S3, answered Monday 07:00 Berlin,
        When it is Monday noon,
        Then the S3 clock is met (11 h of 12 used) and the S1 breach is still on record."""
        events = [
            created(t(BERLIN, 2026, 6, 12, 20), 1),
            severity_changed(t(BERLIN, 2026, 6, 13, 10), 1, 3, "missing-information"),
            responded(t(BERLIN, 2026, 6, 15, 7)),
        ]
        clock = clock_of("laioutr", "standard", events, t(BERLIN, 2026, 6, 15, 12))
        assert clock.state is ClockState.MET
        assert clock.used == hours(11)
        assert clock.ever_breached
        assert [b.severity for b in clock.breaches] == [1]

    def test_lowering_before_any_breach_moves_to_the_new_calendar(self) -> None:
        """Given a Layer0 Sev 1 (30 min, 24x7) submitted Saturday 10:00 Pacific, lowered to
        Sev 2 (60 min in Business Hours) at 10:10, before its due,
        When it is Saturday 11:00 (Sev 1 would have been breached at 10:30),
        Then the Sev 2 clock has used nothing (Saturday is closed), waits for Monday 09:00,
        is due Monday 10:00 and has never been breached."""
        start = t(LA, 2026, 6, 13, 10)
        events = [created(start, 1), severity_changed(start + minutes(10), 1, 2)]
        clock = clock_of("layer0", "enterprise", events, t(LA, 2026, 6, 13, 11))
        assert clock.state is ClockState.WAITING
        assert clock.severity == 2
        assert clock.started_at == utc(start)
        assert clock.used == timedelta(0)
        assert clock.resumes_at == utc(t(LA, 2026, 6, 15, 9))
        assert clock.due == utc(t(LA, 2026, 6, 15, 10))
        assert clock.breaches == ()

    def test_raising_before_any_breach_keeps_the_start(self) -> None:
        """Given a Layer0 Sev 3 (48 h on business days) submitted Tue 10:00 Pacific, raised to
        Sev 2 (60 min in Business Hours) at 10:20,
        When it is 10:40,
        Then the Sev 2 clock counts from 10:00: 40 min used, due 11:00, not breached."""
        start = t(LA, 2026, 6, 9, 10)
        events = [created(start, 3), severity_changed(start + minutes(20), 3, 2)]
        clock = clock_of("layer0", "enterprise", events, start + minutes(40))
        assert clock.state is ClockState.RUNNING
        assert clock.severity == 2
        assert clock.used == minutes(40)
        assert clock.due == utc(t(LA, 2026, 6, 9, 11))
        assert clock.breaches == ()


# --------------------------------------------------------------------------- service credits
# ZITADEL Extended S1: 1 business hour on 08:00-17:00 Zurich; each started 15 min over the
# objective earns one day.


class TestServiceCredits:
    @pytest.mark.parametrize(
        ("late", "state", "days"),
        [
            (timedelta(0), ClockState.MET, 0),
            (SECOND, ClockState.BREACHED, 1),
            (minutes(1), ClockState.BREACHED, 1),
            (minutes(15), ClockState.BREACHED, 1),
            (minutes(16), ClockState.BREACHED, 2),
            (minutes(30), ClockState.BREACHED, 2),
            (minutes(31), ClockState.BREACHED, 3),
        ],
        ids=["on-time", "1s", "1min", "15min", "16min", "30min", "31min"],
    )
    def test_extended_initial_response_credits(
        self, late: timedelta, state: ClockState, days: int
    ) -> None:
        """Given a ZITADEL Extended S1 submitted Tue 09:00 Zurich (due 10:00),
        When the answer comes `late` after 10:00,
        Then 1-15 min late earns 1 day, 16-30 min 2 days, 31 min 3 days."""
        due = t(ZURICH, 2026, 6, 9, 10)
        clock = clock_of(
            "zitadel",
            "extended",
            [created(t(ZURICH, 2026, 6, 9, 9), 1), responded(due + late)],
            t(ZURICH, 2026, 6, 9, 15),
        )
        assert clock.state is state
        assert clock.overrun == late
        assert clock.service_credit_days == days

    @pytest.mark.parametrize(("answer_minute", "days"), [(45, 1), (46, 2)])
    def test_credits_count_business_time_overnight(self, answer_minute: int, days: int) -> None:
        """Given a ZITADEL Extended S1 submitted Tue 16:30 Zurich (30 min that day, due
        Wed 08:30),
        When the answer comes Wed 08:45 or 08:46,
        Then the overrun is 15 or 16 business minutes: 1 or 2 days."""
        clock = clock_of(
            "zitadel",
            "extended",
            [
                created(t(ZURICH, 2026, 6, 9, 16, 30), 1),
                responded(t(ZURICH, 2026, 6, 10, 8, answer_minute)),
            ],
            t(ZURICH, 2026, 6, 10, 12),
        )
        assert clock.due == utc(t(ZURICH, 2026, 6, 10, 8, 30))
        assert clock.overrun == minutes(answer_minute - 30)
        assert clock.service_credit_days == days

    def test_running_breach_accrues_credits_up_to_now(self) -> None:
        """Given a ZITADEL Extended S1 submitted Tue 09:00 Zurich, still unanswered,
        When it is 10:20,
        Then it is breached by 20 min so far: 2 days."""
        clock = clock_of(
            "zitadel",
            "extended",
            [created(t(ZURICH, 2026, 6, 9, 9), 1)],
            t(ZURICH, 2026, 6, 9, 10, 20),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.service_credit_days == 2

    def test_custom_plan_s1_on_24x7(self) -> None:
        """Given a ZITADEL Custom S1 (30 min on 24x7) submitted Saturday 10:00 Zurich,
        When the answer comes at 10:45,
        Then it is 15 min late: 1 day."""
        clock = clock_of(
            "zitadel",
            "custom",
            [created(t(ZURICH, 2026, 6, 13, 10), 1), responded(t(ZURICH, 2026, 6, 13, 10, 45))],
            t(ZURICH, 2026, 6, 13, 12),
        )
        assert clock.state is ClockState.BREACHED
        assert clock.due == utc(t(ZURICH, 2026, 6, 13, 10, 30))
        assert clock.service_credit_days == 1

    def test_default_plan_is_best_effort_without_credits(self) -> None:
        """Given a ZITADEL Default S1 (best effort) submitted Tue 09:00 Zurich,
        When it is the next day and nobody has answered,
        Then the clock is best effort: no due, no time left, no breach, no credits."""
        clock = clock_of(
            "zitadel", "default", [created(t(ZURICH, 2026, 6, 9, 9), 1)], t(ZURICH, 2026, 6, 10, 9)
        )
        assert clock.state is ClockState.BEST_EFFORT
        assert clock.due is None
        assert clock.remaining is None
        assert clock.breaches == ()
        assert clock.service_credit_days == 0
        assert not clock.is_counting


class TestNoTimedTarget:
    def test_layer0_developer_has_no_timed_target(self) -> None:
        """Given a Layer0 Developer-plan Sev 1 (forums only),
        When it is a day later,
        Then the clock says no target: no due, no time left, never breached."""
        clock = clock_of(
            "layer0", "developer", [created(t(LA, 2026, 6, 8, 12), 1)], t(LA, 2026, 6, 9, 12)
        )
        assert clock.state is ClockState.NO_TARGET
        assert clock.due is None
        assert clock.remaining is None
        assert clock.fraction_used is None
        assert clock.breaches == ()
        assert next_due_at([clock]) is None


# --------------------------------------------------------------------------- periodic updates
# LivePerson S1: response 1 h, updates every 2 h, both on 24x7 New York.


class TestPeriodicUpdate:
    START = t(NEW_YORK, 2026, 6, 8, 8)

    def history(self) -> list[TicketEvent]:
        s = self.START
        return [
            created(s, 1),
            responded(s + minutes(30)),  # 08:30: cycle 1 starts, due 10:30
            update_sent(s + hours(2)),  # 10:00: on time; cycle 2 due 12:00
            update_sent(s + minutes(285)),  # 12:45: 45 min late; cycle 3 due 14:45
            update_sent(s + hours(6)),  # 14:00: on time; cycle 4 due 16:00
        ]

    def test_no_periodic_clock_before_the_first_response(self) -> None:
        """Given a LivePerson S1 submitted 08:00 New York, unanswered,
        When it is 08:20,
        Then there is no periodic-update clock yet (it starts at the first response)."""
        clocks = clocks_of(
            "liveperson", "standard", [created(self.START, 1)], self.START + minutes(20)
        )
        assert PU not in metrics_of(clocks)
        assert {IR, RCA} <= metrics_of(clocks)

    def test_first_cycle_starts_at_the_first_response(self) -> None:
        """Given a LivePerson S1 answered at 08:30,
        When it is 09:00,
        Then the periodic clock's cycle 1 started at 08:30 and is due 10:30."""
        clock = clock_of("liveperson", "standard", self.history()[:2], self.START + HOUR, PU)
        assert clock.state is ClockState.RUNNING
        assert clock.cycle == 1
        assert clock.started_at == utc(self.START + minutes(30))
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 8, 10, 30))
        assert clock.used == minutes(30)

    def test_late_cycle_is_breached_while_running(self) -> None:
        """Given the ticket updated at 10:00 (cycle 2 due 12:00),
        When it is 12:30 with no further update,
        Then cycle 2 is breached by 30 min."""
        clock = clock_of(
            "liveperson", "standard", self.history()[:3], self.START + minutes(270), PU
        )
        assert clock.state is ClockState.BREACHED
        assert clock.cycle == 2
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 8, 12))
        assert clock.overrun == minutes(30)
        assert clock.is_counting

    def test_rearms_over_three_updates_keeping_the_late_cycle(self) -> None:
        """Given updates at 10:00 (on time), 12:45 (45 min late) and 14:00,
        When it is 15:00,
        Then cycle 4 runs from 14:00, due 16:00, and the breach of cycle 2 (began 12:00,
        45 min over) stays in the history."""
        clock = clock_of("liveperson", "standard", self.history(), self.START + hours(7), PU)
        assert clock.state is ClockState.RUNNING
        assert clock.cycle == 4
        assert clock.started_at == utc(t(NEW_YORK, 2026, 6, 8, 14))
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 8, 16))
        assert clock.used == HOUR
        assert clock.remaining == HOUR
        assert clock.breaches == (
            Breach(
                at=utc(t(NEW_YORK, 2026, 6, 8, 12)),
                severity=1,
                target=hours(2),
                overrun=minutes(45),
                cycle=2,
            ),
        )
        assert clock.ever_breached

    def test_resolution_stops_the_periodic_clock(self) -> None:
        """Given the same ticket resolved at 15:30,
        When it is 18:00 (past cycle 4's due),
        Then the periodic clock is met, stopped at the resolution, still remembering cycle 2."""
        events = [
            *self.history(),
            status_changed(t(NEW_YORK, 2026, 6, 8, 15, 30), Status.RESOLVED),
        ]
        clock = clock_of("liveperson", "standard", events, self.START + hours(10), PU)
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(t(NEW_YORK, 2026, 6, 8, 15, 30))
        assert [b.cycle for b in clock.breaches] == [2]

    def test_paused_periodic_clock(self) -> None:
        """Given a LivePerson S1 answered at 08:30 and awaiting the customer from 09:00,
        When it is 11:00 (past the unpaused due 10:30),
        Then the periodic clock is paused with 30 min used and 90 min left."""
        events = [
            *self.history()[:2],
            status_changed(self.START + HOUR, Status.AWAITING_CUSTOMER),
        ]
        clock = clock_of("liveperson", "standard", events, self.START + hours(3), PU)
        assert clock.state is ClockState.PAUSED
        assert clock.due is None
        assert clock.used == minutes(30)
        assert clock.remaining == minutes(90)


# --------------------------------------------------------------------------- preliminary RCA
# LivePerson S1: 3 business days = 72 h on Mon-Fri all day New York. Submitted Thu 10:00:
# Thu 14 h + Fri 24 h + Mon 24 h + Tue 10 h = 72 h -> due Tue 10:00.


class TestPreliminaryRca:
    START = t(NEW_YORK, 2026, 6, 11, 10)
    DUE = t(NEW_YORK, 2026, 6, 16, 10)

    def test_waiting_over_the_weekend(self) -> None:
        """Given a LivePerson S1 submitted Thu 10:00 New York,
        When it is Saturday noon with no RCA,
        Then the RCA clock waits for Monday 00:00 with 38 h used and is due Tue 10:00."""
        clock = clock_of(
            "liveperson", "standard", [created(self.START, 1)], t(NEW_YORK, 2026, 6, 13, 12), RCA
        )
        assert clock.state is ClockState.WAITING
        assert clock.used == hours(38)
        assert clock.resumes_at == utc(t(NEW_YORK, 2026, 6, 15))
        assert clock.due == utc(self.DUE)

    @pytest.mark.parametrize(
        ("delivered", "state", "overrun"),
        [
            (DUE - MINUTE, ClockState.MET, timedelta(0)),
            (DUE, ClockState.MET, timedelta(0)),
            (DUE + HOUR, ClockState.BREACHED, HOUR),
        ],
        ids=["early", "at-due", "an-hour-late"],
    )
    def test_met_or_breached_by_the_delivery(
        self, delivered: datetime, state: ClockState, overrun: timedelta
    ) -> None:
        """Given a LivePerson S1 submitted Thu 10:00 New York (RCA due Tue 10:00),
        When the RCA is delivered at Tue 09:59, 10:00 or 11:00,
        Then the RCA clock is met, met, or breached by 1 h."""
        clock = clock_of(
            "liveperson",
            "standard",
            [created(self.START, 1), responded(self.START + minutes(10)), rca_delivered(delivered)],
            t(NEW_YORK, 2026, 6, 17, 12),
            RCA,
        )
        assert clock.state is state
        assert clock.stopped_at == utc(delivered)
        assert clock.overrun == overrun
        assert clock.service_credit_days == 0

    def test_no_rca_clock_below_severity_1(self) -> None:
        """Given a LivePerson S2 ticket (no RCA target),
        When clocks are computed,
        Then there is no preliminary RCA clock."""
        clocks = clocks_of("liveperson", "standard", [created(self.START, 2)], self.START + HOUR)
        assert RCA not in metrics_of(clocks)


# --------------------------------------------------------------------------- escalations
# ZITADEL: urgent = 2 business hours (08:00-17:00 Zurich); non-urgent = 24 h on Mon-Fri all
# day Zurich; 1 credit day per started 15 min over, on every plan.


class TestEscalation:
    def test_no_escalation_clock_without_an_escalation(self) -> None:
        """Given a ZITADEL Extended ticket never escalated,
        When clocks are computed,
        Then there is no escalation clock."""
        clocks = clocks_of(
            "zitadel", "extended", [created(t(ZURICH, 2026, 6, 9, 9), 3)], t(ZURICH, 2026, 6, 9, 10)
        )
        assert ESC not in metrics_of(clocks)

    def test_urgent_escalation_running_overnight(self) -> None:
        """Given an urgent escalation Tue 16:00 Zurich (1 h that day),
        When it is Tue 20:00,
        Then it waits for Wed 08:00 with 1 h used and is due Wed 09:00."""
        events = [
            created(t(ZURICH, 2026, 6, 9, 9), 3),
            escalated(t(ZURICH, 2026, 6, 9, 16), urgent=True),
        ]
        clock = clock_of("zitadel", "extended", events, t(ZURICH, 2026, 6, 9, 20), ESC)
        assert clock.state is ClockState.WAITING
        assert clock.started_at == utc(t(ZURICH, 2026, 6, 9, 16))
        assert clock.used == HOUR
        assert clock.resumes_at == utc(t(ZURICH, 2026, 6, 10, 8))
        assert clock.due == utc(t(ZURICH, 2026, 6, 10, 9))

    @pytest.mark.parametrize(
        ("answer_minute", "state", "days"),
        [(0, ClockState.MET, 0), (10, ClockState.BREACHED, 1), (20, ClockState.BREACHED, 2)],
    )
    def test_urgent_escalation_answer_and_credits(
        self, answer_minute: int, state: ClockState, days: int
    ) -> None:
        """Given an urgent escalation Tue 16:00 Zurich (due Wed 09:00),
        When the manager answers Wed 09:00, 09:10 or 09:20,
        Then it is met, or breached earning 1 or 2 credit days."""
        events = [
            created(t(ZURICH, 2026, 6, 9, 9), 3),
            escalated(t(ZURICH, 2026, 6, 9, 16), urgent=True),
            escalation_answered(t(ZURICH, 2026, 6, 10, 9, answer_minute)),
        ]
        clock = clock_of("zitadel", "extended", events, t(ZURICH, 2026, 6, 10, 12), ESC)
        assert clock.state is state
        assert clock.stopped_at == utc(t(ZURICH, 2026, 6, 10, 9, answer_minute))
        assert clock.overrun == minutes(answer_minute)
        assert clock.service_credit_days == days

    @pytest.mark.parametrize("plan", ["default", "extended", "custom"])
    @pytest.mark.parametrize(("answer_minute", "days"), [(15, 1), (20, 2)])
    def test_non_urgent_escalation_over_a_weekend(
        self, plan: str, answer_minute: int, days: int
    ) -> None:
        """Given a non-urgent escalation Fri 12:00 Zurich on any plan (Fri 12 h + Mon 12 h:
        due Mon 12:00),
        When the manager answers Mon 12:15 or 12:20,
        Then it is breached by 15 or 20 min, earning 1 or 2 credit days."""
        events = [
            created(t(ZURICH, 2026, 6, 12, 9), 4),
            escalated(t(ZURICH, 2026, 6, 12, 12), urgent=False),
            escalation_answered(t(ZURICH, 2026, 6, 15, 12, answer_minute)),
        ]
        clock = clock_of("zitadel", plan, events, t(ZURICH, 2026, 6, 15, 18), ESC)
        assert clock.state is ClockState.BREACHED
        assert clock.due == utc(t(ZURICH, 2026, 6, 15, 12))
        assert clock.overrun == minutes(answer_minute)
        assert clock.service_credit_days == days


# --------------------------------------------------------------------------- company holidays
# Laioutr S3: 12 h on 24x5 (Mon-Fri all day Berlin), closed on company holiday periods.
# Submitted Thu 2026-06-11 18:00: Thu 6 h + Fri 6 h -> due Fri 06:00.


class TestCompanyPeriods:
    START = t(BERLIN, 2026, 6, 11, 18)
    FRIDAY_OFF = CompanyPeriod(date(2026, 6, 12), date(2026, 6, 12), "bridge day")

    def test_without_a_company_period(self) -> None:
        """Given a Laioutr S3 submitted Thu 18:00 Berlin and no company period,
        When it is Thu 20:00,
        Then it is due Fri 06:00."""
        clock = clock_of("laioutr", "standard", [created(self.START, 3)], self.START + hours(2))
        assert clock.due == utc(t(BERLIN, 2026, 6, 12, 6))

    def test_company_period_moves_the_s3_due(self) -> None:
        """Given the same ticket and a company holiday on Friday,
        When it is Thu 20:00, then Fri 10:00,
        Then it is due Mon 06:00 and waits on Friday for Monday 00:00."""
        periods = [self.FRIDAY_OFF]
        clock = clock_of(
            "laioutr",
            "standard",
            [created(self.START, 3)],
            self.START + hours(2),
            company_periods=periods,
        )
        assert clock.due == utc(t(BERLIN, 2026, 6, 15, 6))

        friday = clock_of(
            "laioutr",
            "standard",
            [created(self.START, 3)],
            t(BERLIN, 2026, 6, 12, 10),
            company_periods=periods,
        )
        assert friday.state is ClockState.WAITING
        assert friday.used == hours(6)
        assert friday.resumes_at == utc(t(BERLIN, 2026, 6, 15))
        assert friday.due == utc(t(BERLIN, 2026, 6, 15, 6))

    def test_multi_day_period_is_inclusive(self) -> None:
        """Given a company holiday period Fri 12 to Tue 16 June (days inclusive),
        When clocks are computed Thu 20:00,
        Then the S3 due moves to Wed 17 June 06:00."""
        clock = clock_of(
            "laioutr",
            "standard",
            [created(self.START, 3)],
            self.START + hours(2),
            company_periods=[CompanyPeriod(date(2026, 6, 12), date(2026, 6, 16), "summer")],
        )
        assert clock.due == utc(t(BERLIN, 2026, 6, 17, 6))

    def test_company_period_does_not_close_24x7(self) -> None:
        """Given a Laioutr S1 (60 min on 24x7) submitted Thu 18:00 Berlin and a company
        holiday that very day,
        When it is Thu 18:30,
        Then it runs and is due 19:00 as without the holiday."""
        clock = clock_of(
            "laioutr",
            "standard",
            [created(self.START, 1)],
            self.START + minutes(30),
            company_periods=[CompanyPeriod(date(2026, 6, 11), date(2026, 6, 12), "off")],
        )
        assert clock.state is ClockState.RUNNING
        assert clock.due == utc(t(BERLIN, 2026, 6, 11, 19))


# --------------------------------------------------------------------------- next_due_at
# LivePerson S1 submitted Mon 08:00 New York: response due 09:00, RCA due Thu 08:00.


class TestNextDueAt:
    START = t(NEW_YORK, 2026, 6, 8, 8)

    def test_earliest_running_clock(self) -> None:
        """Given an unanswered LivePerson S1,
        When it is 08:30,
        Then the next due instant is the response's, 09:00 (before the RCA's)."""
        clocks = clocks_of(
            "liveperson", "standard", [created(self.START, 1)], self.START + minutes(30)
        )
        assert next_due_at(clocks) == utc(t(NEW_YORK, 2026, 6, 8, 9))

    def test_stopped_clocks_do_not_count(self) -> None:
        """Given a LivePerson S1 answered late at 09:30 (response breached and stopped; the
        periodic clock then due 11:30),
        When it is 10:00,
        Then the next due instant is the periodic update's, 11:30, not the stopped 09:00."""
        events = [created(self.START, 1), responded(self.START + minutes(90))]
        clocks = clocks_of("liveperson", "standard", events, self.START + hours(2))
        by_metric = {c.metric: c for c in clocks}
        assert by_metric[IR].state is ClockState.BREACHED
        assert not by_metric[IR].is_counting
        assert next_due_at(clocks) == utc(t(NEW_YORK, 2026, 6, 8, 11, 30))

    def test_breached_running_clock_counts(self) -> None:
        """Given the same ticket with no update after the 09:30 response,
        When it is 12:00,
        Then the overdue periodic clock (due 11:30) is still the next due instant."""
        events = [created(self.START, 1), responded(self.START + minutes(90))]
        clocks = clocks_of("liveperson", "standard", events, self.START + hours(4))
        assert next_due_at(clocks) == utc(t(NEW_YORK, 2026, 6, 8, 11, 30))

    def test_paused_clocks_have_no_due(self) -> None:
        """Given an unanswered LivePerson S1 awaiting the customer since 08:10,
        When it is 08:30,
        Then every clock is paused and there is no next due instant."""
        events = [
            created(self.START, 1),
            status_changed(self.START + minutes(10), Status.AWAITING_CUSTOMER),
        ]
        clocks = clocks_of("liveperson", "standard", events, self.START + minutes(30))
        assert {c.state for c in clocks} == {ClockState.PAUSED}
        assert next_due_at(clocks) is None

    def test_waiting_clock_counts(self) -> None:
        """Given a Layer0 Sev 2 submitted Fri 17:30 Pacific,
        When it is Saturday,
        Then the waiting clock's due, Mon 09:30, is the next due instant."""
        clocks = clocks_of(
            "layer0", "enterprise", [created(t(LA, 2026, 6, 12, 17, 30), 2)], t(LA, 2026, 6, 13, 9)
        )
        assert next_due_at(clocks) == utc(t(LA, 2026, 6, 15, 9, 30))

    def test_no_clocks(self) -> None:
        """Given no clocks, Then there is no next due instant."""
        assert next_due_at([]) is None


# --------------------------------------------------------------------------- now and history


class TestNow:
    def test_events_after_now_are_ignored(self) -> None:
        """Given a Layer0 Sev 1 submitted 12:00 Pacific, answered at 12:20 and re-rated Sev 3
        at 12:25,
        When the clocks are computed at 12:15,
        Then the later events are ignored: Sev 1 running, 15 min used, due 12:30, and the
        result equals that of the history cut at 12:15."""
        start = t(LA, 2026, 6, 8, 12)
        past = [created(start, 1)]
        later = [responded(start + minutes(20)), severity_changed(start + minutes(25), 1, 3)]
        events = [*past, *later]
        now = start + minutes(15)
        clock = clock_of("layer0", "enterprise", events, now)
        assert clock.state is ClockState.RUNNING
        assert clock.severity == 1
        assert clock.stopped_at is None
        assert clock.used == minutes(15)
        assert clock.due == utc(t(LA, 2026, 6, 8, 12, 30))
        assert clocks_of("layer0", "enterprise", events, now) == clocks_of(
            "layer0", "enterprise", past, now
        )

    def test_event_exactly_at_now_counts(self) -> None:
        """Given a Layer0 Sev 1 answered at 12:20,
        When clocks are computed at 12:20 exactly,
        Then the response counts: met."""
        start = t(LA, 2026, 6, 8, 12)
        clock = clock_of(
            "layer0",
            "enterprise",
            [created(start, 1), responded(start + minutes(20))],
            start + minutes(20),
        )
        assert clock.state is ClockState.MET

    def test_the_same_instant_in_any_zone_gives_the_same_clocks(self) -> None:
        """Given the same history written in Pacific time and in UTC,
        When computed at the same instant,
        Then the due instants and states agree."""
        start = t(LA, 2026, 6, 12, 17, 30)
        local_clock = clock_of("layer0", "enterprise", [created(start, 2)], t(LA, 2026, 6, 13, 9))
        utc_clock = clock_of(
            "layer0", "enterprise", [created(utc(start), 2)], utc(t(LA, 2026, 6, 13, 9))
        )
        assert local_clock.state is utc_clock.state is ClockState.WAITING
        assert local_clock.due == utc_clock.due == utc(t(LA, 2026, 6, 15, 9, 30))

    def test_all_clock_instants_are_utc(self) -> None:
        """Given a Layer0 Sev 2 written in Pacific time, answered late,
        When clocks are computed,
        Then every instant on the clock carries a UTC offset of zero (SlaClock docstring)."""
        clock = clock_of(
            "layer0",
            "enterprise",
            layer0_sev2(t(LA, 2026, 6, 10, 10), responded(t(LA, 2026, 6, 10, 11, 10))),
            t(LA, 2026, 6, 10, 12),
        )
        instants = [clock.started_at, clock.due, clock.stopped_at]
        instants += [b.at for b in clock.breaches]
        for instant in instants:
            assert instant is not None
            assert instant.utcoffset() == timedelta(0), instant


# --------------------------------------------------------------------------- more edges


class TestMoreEdges:
    def test_periodic_update_starts_again_from_a_reopening(self) -> None:
        """Given a LivePerson S1 answered 08:30 New York, resolved 09:00 and reopened 12:00,
        When it is 11:00, then 13:00,
        Then the periodic clock is met (stopped at the resolution) while resolved, and after
        the reopening a new cycle runs from 12:00, due 14:00."""
        start = t(NEW_YORK, 2026, 6, 8, 8)
        events = [
            created(start, 1),
            responded(start + minutes(30)),
            status_changed(start + HOUR, Status.RESOLVED),
            status_changed(start + hours(4), Status.OPEN),
        ]
        resolved = clock_of("liveperson", "standard", events, start + hours(3), PU)
        assert resolved.state is ClockState.MET
        assert resolved.stopped_at == utc(start + HOUR)

        reopened = clock_of("liveperson", "standard", events, start + hours(5), PU)
        assert reopened.state is ClockState.RUNNING
        assert reopened.cycle == 2
        assert reopened.started_at == utc(start + hours(4))
        assert reopened.due == utc(start + hours(6))
        assert reopened.used == HOUR

    def test_change_after_the_response_does_not_reopen_a_met_clock(self) -> None:
        """Given a Laioutr S3 submitted Mon 09:00 Berlin, answered 11:00, raised to S1 at 12:00,
        When it is 13:00,
        Then the initial response stays met (it stopped before the change), never breached."""
        start = t(BERLIN, 2026, 6, 8, 9)
        events = [
            created(start, 3),
            responded(start + hours(2)),
            severity_changed(start + hours(3), 3, 1),
        ]
        clock = clock_of("laioutr", "standard", events, start + hours(4))
        assert clock.state is ClockState.MET
        assert clock.stopped_at == utc(start + hours(2))
        assert clock.breaches == ()

    def test_paused_from_submission(self) -> None:
        """Given a LivePerson S1 created 10:00 New York already awaiting the customer, opened
        at 11:00,
        When it is 11:30,
        Then only 30 min are used and it is due 12:00."""
        start = t(NEW_YORK, 2026, 6, 8, 10)
        events = [
            created(start, 1, Status.AWAITING_CUSTOMER),
            status_changed(start + HOUR, Status.OPEN),
        ]
        clock = clock_of("liveperson", "standard", events, start + minutes(90))
        assert clock.state is ClockState.RUNNING
        assert clock.used == minutes(30)
        assert clock.due == utc(t(NEW_YORK, 2026, 6, 8, 12))

    def test_due_across_the_spring_forward(self) -> None:
        """Given a LivePerson S1 (1 h on 24x7 New York) submitted 01:30 EST on the night
        clocks spring forward (2026-03-08),
        When it is 01:45,
        Then one elapsed hour later is 03:30 EDT (07:30 UTC)."""
        start = t(NEW_YORK, 2026, 3, 8, 1, 30)
        clock = clock_of("liveperson", "standard", [created(start, 1)], start + minutes(15))
        assert clock.due == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
        assert clock.due == utc(t(NEW_YORK, 2026, 3, 8, 3, 30))

    def test_swiss_holiday_closes_the_escalation_calendar(self) -> None:
        """Given a ZITADEL non-urgent escalation Wed 13 May 2026 12:00 Zurich, with Thursday
        Ascension Day a public holiday,
        When it is Thursday 10:00,
        Then the clock waits for Friday 00:00 with 12 h used and is due Friday 12:00."""
        events = [
            created(t(ZURICH, 2026, 5, 13, 9), 3),
            escalated(t(ZURICH, 2026, 5, 13, 12), urgent=False),
        ]
        clock = clock_of("zitadel", "extended", events, t(ZURICH, 2026, 5, 14, 10), ESC)
        assert clock.state is ClockState.WAITING
        assert clock.used == hours(12)
        assert clock.resumes_at == utc(t(ZURICH, 2026, 5, 15))
        assert clock.due == utc(t(ZURICH, 2026, 5, 15, 12))

    def test_german_christmas_closes_laioutr_24x5(self) -> None:
        """Given a Laioutr S3 (12 h on 24x5) submitted Thu 24 Dec 2026 20:00 Berlin (25 and 26
        December are public holidays, then a Sunday),
        When it is Saturday noon,
        Then it has used 4 h, waits for Monday 28 December 00:00 and is due Monday 08:00."""
        clock = clock_of(
            "laioutr",
            "standard",
            [created(t(BERLIN, 2026, 12, 24, 20), 3)],
            t(BERLIN, 2026, 12, 26, 12),
        )
        assert clock.state is ClockState.WAITING
        assert clock.used == hours(4)
        assert clock.resumes_at == utc(t(BERLIN, 2026, 12, 28))
        assert clock.due == utc(t(BERLIN, 2026, 12, 28, 8))

    def test_credits_of_a_breach_before_a_downgrade_remain(self) -> None:
        """Given a ZITADEL Extended S1 submitted Tue 09:00 Zurich (due 10:00), lowered to S3
        at 10:20 and answered at 11:00,
        When it is noon,
        Then the S3 clock is met, but the S1 breach (20 min over) stays and earns 2 days."""
        start = t(ZURICH, 2026, 6, 9, 9)
        events = [
            created(start, 1),
            severity_changed(start + minutes(80), 1, 3, "core-services-available"),
            responded(start + hours(2)),
        ]
        clock = clock_of("zitadel", "extended", events, start + hours(3))
        assert clock.state is ClockState.MET
        assert clock.severity == 3
        assert clock.ever_breached
        assert clock.breaches[0].overrun == minutes(20)
        assert clock.service_credit_days == 2

    def test_waiver_after_the_due_still_waives(self) -> None:
        """Given a Laioutr S1 submitted 09:00 Berlin (due 10:00) and waived at 10:30,
        When it is 11:00,
        Then the clock is waived and no longer counts."""
        start = t(BERLIN, 2026, 6, 8, 9)
        events = [created(start, 1), waived(start + minutes(90), "status_page", "INC-7")]
        clock = clock_of("laioutr", "standard", events, start + hours(2))
        assert clock.state is ClockState.WAIVED
        assert clock.due is None
        assert not clock.is_counting


class TestDueFor:
    def test_due_for_a_timed_target(self) -> None:
        """Given Layer0 enterprise Sev 2 (60 min in Business Hours),
        When asked for the due instant of a clock starting Fri 17:00 Pacific,
        Then it is Mon 09:00 (used up exactly at closing: due at the next opening)."""
        answer = due_for(POLICIES["layer0"], "enterprise", 2, IR, t(LA, 2026, 6, 12, 17))
        assert answer.due == utc(t(LA, 2026, 6, 15, 9))
        assert answer.calendar is not None
        assert not answer.best_effort

    def test_due_for_an_urgent_escalation(self) -> None:
        """Given ZITADEL's urgent escalation target (2 business hours),
        When asked for an escalation Tue 16:00 Zurich,
        Then it is due Wed 09:00."""
        answer = due_for(
            POLICIES["zitadel"], "default", 3, ESC, t(ZURICH, 2026, 6, 9, 16), urgent=True
        )
        assert answer.due == utc(t(ZURICH, 2026, 6, 10, 9))

    def test_due_for_with_a_company_period(self) -> None:
        """Given Laioutr S3 and a company holiday on Fri 12 June 2026,
        When asked for a clock starting Thu 18:00 Berlin,
        Then it is due Mon 06:00."""
        answer = due_for(
            POLICIES["laioutr"],
            "standard",
            3,
            IR,
            t(BERLIN, 2026, 6, 11, 18),
            company_periods=[CompanyPeriod(date(2026, 6, 12), date(2026, 6, 12), "bridge")],
        )
        assert answer.due == utc(t(BERLIN, 2026, 6, 15, 6))

    def test_due_for_best_effort_and_no_target(self) -> None:
        """Given ZITADEL Default (best effort) and Layer0 Developer (no timed target),
        When asked for a due instant,
        Then there is none; the first says best effort."""
        best = due_for(POLICIES["zitadel"], "default", 1, IR, t(ZURICH, 2026, 6, 9, 9))
        assert best.due is None
        assert best.best_effort
        none = due_for(POLICIES["layer0"], "developer", 1, IR, t(LA, 2026, 6, 9, 9))
        assert none.due is None
        assert not none.best_effort
        assert none.target is not None and none.target.kind is TargetKind.NONE

    def test_due_for_an_unknown_severity(self) -> None:
        """Given Layer0 (severities 1-3),
        When asked for severity 4,
        Then it raises KeyError."""
        with pytest.raises(KeyError):
            due_for(POLICIES["layer0"], "enterprise", 4, IR, t(LA, 2026, 6, 9, 9))

    def test_due_for_agrees_with_a_fresh_clock(self) -> None:
        """Given a LivePerson S3 submitted Fri 15:00 New York,
        When its clock is computed and due_for is asked,
        Then both give the same due instant (Wed 15:00: Fri 9 h, Mon 24 h, Tue 24 h, Wed 15 h)."""
        start = t(NEW_YORK, 2026, 6, 12, 15)
        clock = clock_of("liveperson", "standard", [created(start, 3)], start + HOUR)
        answer = due_for(POLICIES["liveperson"], "standard", 3, IR, start)
        assert clock.due == answer.due == utc(t(NEW_YORK, 2026, 6, 17, 15))


# --------------------------------------------------------------------------- property


PROPERTY_BASE = datetime(2026, 1, 1, tzinfo=UTC)
EVENT_KINDS = [
    EventKind.RESPONDED,
    EventKind.UPDATE_SENT,
    EventKind.STATUS_CHANGED,
    EventKind.SEVERITY_CHANGED,
    EventKind.ESCALATED,
    EventKind.ESCALATION_ANSWERED,
    EventKind.RCA_DELIVERED,
    EventKind.WAIVED,
    EventKind.NOTE,
]
# Waivers end every other check, so they are rare; responses and status changes are common.
KIND_WEIGHTS = [6, 4, 5, 2, 2, 2, 1, 1, 1]
KIND_CHOICES = [k for k, w in zip(EVENT_KINDS, KIND_WEIGHTS, strict=True) for _ in range(w)]

# LivePerson (pauses, updates, RCA) and ZITADEL (escalations, credits) have the most to check.
POLICY_CHOICES = [*sorted(POLICIES), "liveperson", "liveperson", "liveperson", "zitadel"]
PLAN_CHOICES = {"layer0": ["enterprise", "enterprise", "developer"]}

gaps = st.one_of(st.integers(0, 120), st.integers(0, 4 * 24 * 60)).map(minutes)
event_specs = st.lists(
    st.tuples(gaps, st.sampled_from(KIND_CHOICES), st.integers(0, 1_000)), min_size=1, max_size=12
)


@st.composite
def ticket_histories(
    draw: st.DrawFn,
) -> tuple[Policy, str, list[TicketEvent], datetime]:
    """A policy, a plan, a random history (some of it possibly after now) and ``now``."""
    policy = POLICIES[draw(st.sampled_from(POLICY_CHOICES))]
    plan = draw(st.sampled_from(PLAN_CHOICES.get(policy.id, sorted(policy.plans))))
    levels = [s.level for s in policy.severities]
    start = PROPERTY_BASE + minutes(draw(st.integers(0, 365 * 24 * 60)))
    level = draw(st.sampled_from(levels))
    first_status = draw(st.sampled_from([None, Status.OPEN, Status.AWAITING_CUSTOMER]))
    events = [created(start, level, first_status)]
    waiver_ids = [w.id for w in policy.waivers] or ["status_page"]
    statuses = list(Status)
    at = start
    for gap, kind, n in draw(event_specs):
        at += gap
        data: dict[str, Any] = {}
        if kind is EventKind.RESPONDED:
            data = {"automated": n % 4 == 0}
        elif kind is EventKind.STATUS_CHANGED:
            data = {"status": statuses[n % len(statuses)].value}
        elif kind is EventKind.SEVERITY_CHANGED:
            new = levels[n % len(levels)]
            data = {"from": level, "to": new, "reason": "random"}
            level = new
        elif kind is EventKind.ESCALATED:
            data = {"urgent": n % 2 == 0}
        elif kind is EventKind.WAIVED:
            data = {"waiver": waiver_ids[n % len(waiver_ids)], "reason": "random"}
        events.append(TicketEvent(kind, at, data))
    span = int((at - start) / MINUTE) + 3 * 24 * 60
    now = draw(
        st.one_of(
            st.sampled_from([e.at for e in events]),  # exactly at an event
            st.integers(0, span).map(lambda m: start + minutes(m)),
        )
    )
    return policy, plan, events, now


def check_clock(policy: Policy, plan: str, clock: SlaClock, now: datetime) -> None:
    """The invariants every clock satisfies, from the semantics of DESIGN.md section 2."""
    assert clock.started_at <= now
    if clock.stopped_at is not None:
        assert clock.started_at <= clock.stopped_at <= now
    end = clock.stopped_at if clock.stopped_at is not None else now
    if clock.due is not None:
        assert clock.due.utcoffset() == timedelta(0)
        # breached exactly when the clock's end is after its due instant
        assert (clock.state is ClockState.BREACHED) == (end > clock.due)
    if clock.state is ClockState.BREACHED:
        assert clock.ever_breached
        last = clock.breaches[-1]
        assert (last.severity, last.cycle) == (clock.severity, clock.cycle)
        if clock.remaining is not None:
            assert last.overrun == -clock.remaining

    if clock.state in TIMED_STATES:
        target = clock.target
        assert target is not None and target.is_timed and target.duration is not None
        assert clock.calendar is not None
        assert clock.remaining == target.duration - clock.used
        assert timedelta(0) <= clock.used <= end - clock.started_at
        # a breach begins when the used time goes over the target
        assert (clock.state is ClockState.BREACHED) == (clock.remaining < timedelta(0))
        if clock.state in COUNTING_STATES:
            assert clock.stopped_at is None
            assert clock.due is not None and clock.due >= now
            # with nothing after now to pause it, the rest of the target runs on the calendar
            assert clock.due == clock.calendar.add(now, clock.remaining)
            assert clock.calendar.is_open(now) == (clock.state is ClockState.RUNNING)
            if clock.state is ClockState.WAITING:
                assert clock.resumes_at == clock.calendar.next_open(now)
        elif clock.state is ClockState.PAUSED:
            assert clock.due is None
            assert clock.stopped_at is None
            assert clock.paused_by in policy.pauses_for(clock.metric)
            assert clock.remaining >= timedelta(0)
        elif clock.state is ClockState.MET:
            assert clock.stopped_at is not None
    else:
        assert clock.due is None
        assert clock.remaining is None
        assert not clock.is_counting
    if clock.state is ClockState.WAIVED:
        assert clock.waiver is not None and clock.metric in clock.waiver.metrics
        assert clock.service_credit_days == 0

    rule = policy.service_credit(plan, clock.metric)
    if rule is None or not clock.breaches:
        assert clock.service_credit_days == 0
    else:
        # Each failure (cycle) earns the credits of its largest overrun; failures add up.
        worst: dict[int, timedelta] = {}
        for b in clock.breaches:
            worst[b.cycle] = max(worst.get(b.cycle, timedelta(0)), b.overrun)
        per_failure = [math.ceil(w / rule.per) * rule.credit_days for w in worst.values()]
        assert clock.service_credit_days == sum(per_failure)


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ticket_histories())
def test_recomputed_clocks_are_consistent(
    case: tuple[Policy, str, list[TicketEvent], datetime],
) -> None:
    """Given a random history on any policy and plan,
    When clocks are computed at a random now,
    Then each clock's state agrees with its due instant and its used time, the events after
    now change nothing, and next_due_at is the earliest due of the counting clocks."""
    policy, plan, events, now = case
    clocks = compute_clocks(policy, plan, events, now)
    assert clocks == compute_clocks(policy, plan, [e for e in events if e.at <= now], now)
    assert len({c.metric for c in clocks}) == len(clocks)
    for clock in clocks:
        check_clock(policy, plan, clock, now)
    counting = [c.due for c in clocks if c.is_counting and c.due is not None]
    assert next_due_at(clocks) == (min(counting) if counting else None)


# --------------------------------------------------------------------------- clock plans


company_periods = st.lists(
    st.tuples(st.integers(-20, 40), st.integers(0, 6)).map(lambda p: (p[0], p[1])),
    max_size=3,
)


def replanned(
    summary: QueueSummary, calendar: Callable[[str], BusinessCalendar], now: datetime
) -> tuple[datetime | None, QueueSummary] | None:
    """``reproject`` with the plan ``summary`` carries (it must carry one)."""
    assert summary.projection is not None
    return reproject(summary.projection, summary, calendar, now)


def periods_near(start: datetime, specs: list[tuple[int, int]]) -> tuple[CompanyPeriod, ...]:
    """Company holiday periods from ``start``'s day: (offset in days, length - 1)."""
    first = start.date()
    return tuple(
        CompanyPeriod(
            first + timedelta(days=offset),
            first + timedelta(days=offset + extra),
            f"period {i}",
        )
        for i, (offset, extra) in enumerate(specs)
    )


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    case=ticket_histories(),
    later=st.one_of(st.just(0), st.integers(0, 120), st.integers(0, 14 * 24 * 60)),
    laioutr=st.booleans(),
    before=company_periods,
    after=company_periods,
)
def test_a_plan_recomputes_what_the_history_gives_on_changed_calendars(
    case: tuple[Policy, str, list[TicketEvent], datetime],
    later: int,
    laioutr: bool,
    before: list[tuple[int, int]],
    after: list[tuple[int, int]],
) -> None:
    """Given a random history planned at a random now with some company holiday periods,
    When the periods change and the plan is evaluated at a later instant,
    Then it gives the same next_due_at and queue summary as the whole history there."""
    policy, plan, events, now = case
    if laioutr:  # the policy whose calendars take company holiday periods
        policy = POLICIES["laioutr"]
        plan = sorted(policy.plans)[len(events) % len(policy.plans)]
    history = [e for e in events if e.at <= now]
    start = history[0].at
    _, planned = queue_state(
        policy, plan, history, now, company_periods=periods_near(start, before)
    )
    assert planned.projection is not None and planned.projection.as_of == now
    at = now + minutes(later)
    periods = periods_near(start, after)
    expected = summarize(compute_clocks(policy, plan, history, at, company_periods=periods))
    got = replanned(planned, lambda c: policy.calendar(c, periods), at)
    assert got == expected


def test_a_plan_does_not_answer_before_it_was_made() -> None:
    events = layer0_sev2(t(LA, 2026, 3, 4, 10, 0))
    now = t(LA, 2026, 3, 4, 11, 0)
    _, planned = queue_state(POLICIES["layer0"], "enterprise", events, now)
    calendar = POLICIES["layer0"].calendar
    assert replanned(planned, calendar, now) is not None
    assert replanned(planned, calendar, now - SECOND) is None


def test_no_plan_while_an_event_is_after_now() -> None:
    start = t(LA, 2026, 3, 4, 10, 0)
    events = layer0_sev2(start, responded(start + HOUR))
    _, summary = queue_state(POLICIES["layer0"], "enterprise", events, start + MINUTE)
    assert summary.projection is None


def test_a_plan_moves_with_a_company_period() -> None:
    """Laioutr S3 opened on Friday 20 November 2026 at 16:00 Berlin, planned then: a company
    holiday on Monday 23 November, added afterwards, moves its due instant by a day."""
    policy = POLICIES["laioutr"]
    opened = t(BERLIN, 2026, 11, 20, 16, 0)
    events = [created(opened, 3)]
    due, planned = queue_state(policy, "standard", events, opened)
    period = (CompanyPeriod(date(2026, 11, 23), date(2026, 11, 23), "offsite"),)
    moved = replanned(planned, lambda c: policy.calendar(c, period), opened + HOUR)
    assert moved is not None and due is not None and moved[0] is not None
    expected = summarize(compute_clocks(policy, "standard", events, opened, company_periods=period))
    assert moved == expected
    assert moved[0] > due


@pytest.mark.parametrize("paused_after", [20, 90])
def test_a_plan_of_a_paused_clock(paused_after: int) -> None:
    """Given a LivePerson S1 (1 h on 24x7) awaiting the customer from 20 min (40 min left) or
    from 90 min (breached 30 min before the pause), planned at the pause,
    When evaluated two hours later,
    Then it is paused with 40 min left, or still counts, due when the hour ran out."""
    policy = POLICIES["liveperson"]
    opened = t(NEW_YORK, 2026, 6, 8, 10)
    paused = opened + minutes(paused_after)
    events = [created(opened, 1), status_changed(paused, Status.AWAITING_CUSTOMER)]
    _, planned = queue_state(policy, "standard", events, paused)
    at = paused + 2 * HOUR
    got = replanned(planned, policy.calendar, at)
    assert got == summarize(compute_clocks(policy, "standard", events, at))
    assert got is not None
    due, summary = got
    if paused_after < 60:
        assert (due, summary.kind, summary.paused_left) == (None, QueueGroup.PAUSED, minutes(40))
        assert summary.paused_by is Status.AWAITING_CUSTOMER
    else:
        assert (due, summary.kind) == (utc(opened + HOUR), QueueGroup.DUE)


def test_paused_time_left_is_cached_in_whole_seconds() -> None:
    """The database keeps a paused clock's time left in seconds: the summary says the same,
    so a cached summary equals a recomputed one."""
    policy = POLICIES["liveperson"]
    opened = t(NEW_YORK, 2026, 6, 8, 10)
    paused = opened + minutes(20) + timedelta(microseconds=314_744)
    events = [created(opened, 1), status_changed(paused, Status.AWAITING_CUSTOMER)]
    _, summary = queue_state(policy, "standard", events, paused + HOUR)
    assert summary.paused_left == minutes(40) - SECOND
    clock = compute_clocks(policy, "standard", events, paused + HOUR)[0]
    assert clock.remaining == minutes(40) - timedelta(microseconds=314_744)
