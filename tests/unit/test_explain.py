"""Why a clock stands where it does (console.domain.explain, console.services.explain): the
explanation is the clock's own arithmetic laid out, so its counted spans add up to the time
the clock used, for every clock of a demo; and a few timelines worked out by hand.

Hand-checked instants are written in the policy's local time, as its hours are stated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.errors import NotFoundError
from console.domain.explain import (
    ClockExplanation,
    Closure,
    ClosureKind,
    CycleExplanation,
    Marker,
    MarkerKind,
    Segment,
    SegmentKind,
    explain_clocks,
)
from console.domain.model import Customer, EventKind, Metric, Status, TicketEvent
from console.domain.policy import CompanyPeriod, Policy, load_policies
from console.domain.sla import ClockState, clock_cycles, compute_clocks
from console.services.demo import DemoData, generate, load_demo
from console.services.explain import (
    ExplainTicket,
    calendar_zone,
    cycle_rows,
    explain_ticket,
    explanation_lines,
)
from console.services.tickets import PolicyBook

POLICIES: dict[str, Policy] = load_policies()
ZURICH = ZoneInfo("Europe/Zurich")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
ZERO = timedelta(0)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def t(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)  # type: ignore[arg-type,misc]


def created(at: datetime, severity: int) -> TicketEvent:
    return TicketEvent(EventKind.CREATED, at, {"severity": severity, "status": "open"})


def event(kind: EventKind, at: datetime, **data: Any) -> TicketEvent:
    return TicketEvent(kind, at, data)


def explained(
    policy: str,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    metric: Metric = Metric.INITIAL_RESPONSE,
    periods: Sequence[CompanyPeriod] = (),
) -> ClockExplanation:
    found = explain_clocks(POLICIES[policy], plan, events, now, company_periods=periods)
    return next(e for e in found if e.metric is metric)


def spans(cycle: CycleExplanation) -> list[tuple[SegmentKind, datetime, datetime]]:
    return [(s.kind, s.start, s.end) for s in cycle.segments]


def marks(cycle: CycleExplanation) -> list[tuple[MarkerKind, datetime]]:
    return [(m.kind, m.at) for m in cycle.markers]


# --------------------------------------------------------------------------- every demo clock


def book_of(data: DemoData) -> PolicyBook:
    """A book with the demo's company holiday periods, as one read from its database."""
    periods: dict[str, tuple[CompanyPeriod, ...]] = {}
    for p in data.holiday_periods:
        periods[p.policy_id] = (
            *periods.get(p.policy_id, ()),
            CompanyPeriod(p.first, p.last, p.reason),
        )
    return PolicyBook(POLICIES, periods)


# Two presents: late May 2026 (Ascension, Pentecost Monday, Memorial Day behind) and early
# January 2027 (Christmas, New Year, Laioutr's company winter break behind).
DEMO_NOWS = (datetime(2026, 5, 27, 10, 0, tzinfo=UTC), datetime(2027, 1, 5, 10, 0, tzinfo=UTC))


@pytest.fixture(scope="module", params=DEMO_NOWS, ids=lambda now: f"{now:%Y-%m-%d}")
def demo(request: pytest.FixtureRequest) -> tuple[DemoData, datetime]:
    now: datetime = request.param
    return generate(PolicyBook(POLICIES), tickets=600, seed=5, now=now), now


def check_cycle(cycle: CycleExplanation, policy: Policy) -> None:
    """What every explained cycle must be: the clock's arithmetic, laid out."""
    clock = cycle.clock
    end = clock.stopped_at if clock.stopped_at is not None else cycle.end
    assert cycle.end == end
    # The counted spans add up exactly to the business time the clock used.
    assert cycle.counted == clock.used
    segments = cycle.segments
    if cycle.counts and clock.started_at < end:
        # Contiguous, in order, covering start..stop (or now), none empty.
        assert segments[0].start == clock.started_at and segments[-1].end == end
        assert all(a.end == b.start for a, b in pairwise(segments))
        assert all(s.start < s.end for s in segments)
    else:
        assert segments == ()
    calendar = clock.calendar
    for segment in segments:
        if segment.kind is SegmentKind.COUNTED:
            assert calendar is not None
            assert calendar.between(segment.start, segment.end) == segment.length
        elif segment.kind is SegmentKind.CLOSED:
            assert calendar is not None
            assert calendar.between(segment.start, segment.end) == ZERO
            assert segment.closures, segment
            assert segment.reopens is None or segment.reopens >= segment.end
        else:
            assert segment.paused_by in policy.pauses_for(clock.metric)
    # Markers in order, within the cycle; each on a segment's boundary.
    assert [m.at for m in cycle.markers] == sorted(m.at for m in cycle.markers)
    assert all(clock.started_at <= m.at <= end for m in cycle.markers)
    if segments:
        boundaries = {end} | {s.start for s in segments}
        assert all(m.at in boundaries for m in cycle.markers)
    assert cycle.markers[0].kind is MarkerKind.STARTED
    assert cycle.markers[-1].kind is (MarkerKind.STOPPED if clock.stopped_at else MarkerKind.NOW)
    # The target runs out exactly at the due instant, once the clock is past it.
    ran_out = cycle.target_ran_out
    if clock.state is ClockState.BREACHED and cycle.counts:
        assert clock.due is not None and ran_out == clock.due
        assert clock.target is not None
        before = sum((s.counted for s in segments if s.end <= ran_out), ZERO)
        assert before == clock.target.duration
        assert all(s.over_target == (s.start >= ran_out) for s in segments if s.counted)
    else:
        assert ran_out is None
        assert not any(s.over_target for s in segments)


def test_every_demo_clock_is_explained_by_its_own_arithmetic(
    demo: tuple[DemoData, datetime],
) -> None:
    data, now = demo
    book = book_of(data)
    customers = {c.name: c for c in data.customers}
    seen: Counter[str] = Counter()
    for ticket, events in data.tickets:
        customer = customers[ticket.customer]
        policy = book.policy_for(customer)
        explanations = explain_ticket(book, customer, events, now)
        # The clocks explained are the clocks the console shows, in its order.
        assert tuple(e.clock for e in explanations) == book.clocks(customer, events, now)
        for explanation in explanations:
            assert explanation.current.counted == explanation.clock.used
            assert explanation.current.clock.cycle == explanation.clock.cycle
            assert [c.clock.cycle for c in explanation.cycles] == list(
                range(1, len(explanation.cycles) + 1)
            )
            seen[f"cycles={min(len(explanation.cycles), 2)}"] += 1
            for cycle in explanation.cycles:
                check_cycle(cycle, policy)
                seen[cycle.clock.state.value] += 1
                seen.update(s.kind.value for s in cycle.segments)
                seen.update(m.kind.value for m in cycle.markers)
                seen.update(c.kind.value for s in cycle.segments for c in s.closures)
                # Every cycle can be put into words.
                rows = cycle_rows(cycle, ZoneInfo(calendar_zone(policy)), now, policy)
                assert len(rows.rows) == len(cycle.segments) + len(cycle.markers)
    # The demo exercises every part of an explanation.
    for part in (
        "counted",
        "closed",
        "paused",
        "holiday",
        "no_hours",
        "outside_hours",
        "severity_changed",
        "target_ran_out",
        "stopped",
        "now",
        "breached",
        "met",
        "waiting",
        "cycles=2",
    ):
        assert seen[part] > 0, (part, seen)


def test_the_cycles_are_those_compute_clocks_counts() -> None:
    now = DEMO_NOWS[0]
    data = generate(PolicyBook(POLICIES), tickets=150, seed=9, now=now)
    customers = {c.name: c for c in data.customers}
    for ticket, events in data.tickets:
        customer = customers[ticket.customer]
        policy = POLICIES[customer.policy_id]
        found = clock_cycles(policy, customer.plan, events, now)
        assert tuple(clock for clock, _ in found) == compute_clocks(
            policy, customer.plan, events, now
        )
        for clock, cycles in found:
            last = cycles[-1].clock
            # The last cycle is the clock but for the breaches of earlier cycles.
            assert (last.state, last.due, last.used, last.started_at) == (
                clock.state,
                clock.due,
                clock.used,
                clock.started_at,
            )
            assert set(last.breaches) <= set(clock.breaches)
            assert all(b.cycle == last.cycle for b in last.breaches)


# --------------------------------------------------------------------------- by hand


def test_a_zitadel_ticket_across_a_weekend() -> None:
    """ZITADEL extended, S3: 12 business hours, 08:00-17:00 Zurich. Submitted Fri 20 Nov 2026
    14:00: 3 h on Friday, 9 h on Monday, used up at Monday's closing, so due at Tuesday's
    opening (08:00); at 10:30 unanswered it is 2 h 30 m over."""
    submitted = t(ZURICH, 2026, 11, 20, 14, 0)
    now = t(ZURICH, 2026, 11, 24, 10, 30)
    explanation = explained("zitadel", "extended", [created(submitted, 3)], now)
    clock, cycle = explanation.clock, explanation.current
    assert clock.state is ClockState.BREACHED and clock.due == t(ZURICH, 2026, 11, 24, 8, 0)
    assert len(explanation.cycles) == 1
    counted, closed = SegmentKind.COUNTED, SegmentKind.CLOSED
    assert spans(cycle) == [
        (counted, submitted, t(ZURICH, 2026, 11, 20, 17, 0)),
        (closed, t(ZURICH, 2026, 11, 20, 17, 0), t(ZURICH, 2026, 11, 23, 8, 0)),
        (counted, t(ZURICH, 2026, 11, 23, 8, 0), t(ZURICH, 2026, 11, 23, 17, 0)),
        (closed, t(ZURICH, 2026, 11, 23, 17, 0), t(ZURICH, 2026, 11, 24, 8, 0)),
        (counted, t(ZURICH, 2026, 11, 24, 8, 0), now),
    ]
    assert [s.counted for s in cycle.segments] == [3 * HOUR, ZERO, 9 * HOUR, ZERO, 2.5 * HOUR]
    assert cycle.counted == clock.used == 14.5 * HOUR
    weekend = cycle.segments[1]
    # One segment for the weekend, and why: Friday evening, Saturday and Sunday, Monday morning.
    assert weekend.closures == (
        Closure(ClosureKind.OUTSIDE_HOURS, date(2026, 11, 20), date(2026, 11, 20)),
        Closure(ClosureKind.NO_HOURS, date(2026, 11, 21), date(2026, 11, 22)),
        Closure(ClosureKind.OUTSIDE_HOURS, date(2026, 11, 23), date(2026, 11, 23)),
    )
    assert weekend.reopens == t(ZURICH, 2026, 11, 23, 8, 0)
    assert [s.over_target for s in cycle.segments] == [False, False, False, False, True]
    assert marks(cycle) == [
        (MarkerKind.STARTED, submitted),
        (MarkerKind.TARGET_RAN_OUT, clock.due),
        (MarkerKind.NOW, now),
    ]
    ran_out = cycle.markers[1]
    assert ran_out.overrun == 2.5 * HOUR and ran_out.severity == 3

    zitadel = POLICIES["zitadel"]
    rows = [
        (r.kind, r.when, r.length, r.text) for r in cycle_rows(cycle, ZURICH, now, zitadel).rows
    ]
    assert rows == [
        (
            "started",
            "Fri 20 Nov 14:00",
            "",
            "started: ticket submitted (S3, target 12 business hours on ZITADEL business hours)",
        ),
        ("counted", "Fri 20 Nov 14:00\u201317:00", "3h 00m", "counted"),
        (
            "closed",
            "Fri 20 Nov 17:00 \u2013 Mon 23 Nov 08:00",
            "2d 15h",
            "closed until Mon 23 Nov 08:00: weekend",
        ),
        ("counted", "Mon 23 Nov 08:00\u201317:00", "9h 00m", "counted"),
        (
            "closed",
            "Mon 23 Nov 17:00 \u2013 Tue 24 Nov 08:00",
            "15h 00m",
            "closed until Tue 24 Nov 08:00: outside support hours",
        ),
        (
            "target_ran_out",
            "Tue 24 Nov 08:00",
            "",
            "target ran out: due after 12 business hours; overdue 2h 30m (business time)",
        ),
        ("over_target", "Tue 24 Nov 08:00\u201310:30", "2h 30m", "counted, over the target"),
        (
            "now",
            "Tue 24 Nov 10:30",
            "",
            "now: breached, overdue 2h 30m (business time) \u00b7 10 service-credit days",
        ),
    ]
    assert cycle_rows(cycle, ZURICH, now, zitadel).summary == (
        "14h 30m counted against 12 business hours on ZITADEL business hours \u00b7 3d 6h closed"
    )


def test_a_laioutr_ticket_across_a_public_holiday() -> None:
    """Laioutr standard, S3: 12 h on 24 / 5 (Mon-Fri, German holidays). Submitted Fri 22 May
    2026 20:00 Berlin: 4 h on Friday; Saturday, Sunday and Pentecost Monday closed; 8 h on
    Tuesday would make it due at 08:00; answered at 07:00, it is met with 11 h used."""
    submitted = t(BERLIN, 2026, 5, 22, 20, 0)
    answered = t(BERLIN, 2026, 5, 26, 7, 0)
    events = [created(submitted, 3), event(EventKind.RESPONDED, answered)]
    explanation = explained("laioutr", "standard", events, t(BERLIN, 2026, 5, 27, 12, 0))
    clock, cycle = explanation.clock, explanation.current
    assert clock.state is ClockState.MET and clock.due == t(BERLIN, 2026, 5, 26, 8, 0)
    assert spans(cycle) == [
        (SegmentKind.COUNTED, submitted, t(BERLIN, 2026, 5, 23, 0, 0)),
        (SegmentKind.CLOSED, t(BERLIN, 2026, 5, 23, 0, 0), t(BERLIN, 2026, 5, 26, 0, 0)),
        (SegmentKind.COUNTED, t(BERLIN, 2026, 5, 26, 0, 0), answered),
    ]
    assert cycle.counted == clock.used == 11 * HOUR
    assert cycle.segments[1].closures == (
        Closure(ClosureKind.NO_HOURS, date(2026, 5, 23), date(2026, 5, 24)),
        Closure(
            ClosureKind.HOLIDAY, date(2026, 5, 25), date(2026, 5, 25), "Pentecost Monday", "DE"
        ),
    )
    assert marks(cycle) == [(MarkerKind.STARTED, submitted), (MarkerKind.STOPPED, answered)]
    assert cycle.target_ran_out is None  # met: the target never ran out
    stopped = cycle.markers[-1]
    assert stopped.event is not None and stopped.event.kind is EventKind.RESPONDED
    texts = [r.text for r in cycle_rows(cycle, BERLIN, answered, POLICIES["laioutr"]).rows]
    assert texts[2] == "closed until Tue 26 May 00:00: Pentecost Monday (DE), weekend"
    assert texts[-1] == "stopped: first response \u2014 met"


def test_a_zitadel_holiday_names_its_canton() -> None:
    """ZITADEL's business hours close on the public holidays of St. Gallen: Pentecost Monday
    25 May 2026 between a Friday evening and Tuesday morning."""
    submitted = t(ZURICH, 2026, 5, 22, 16, 0)
    now = t(ZURICH, 2026, 5, 26, 9, 0)
    cycle = explained("zitadel", "extended", [created(submitted, 3)], now).current
    closed = cycle.segments[1]
    assert (closed.start, closed.end) == (
        t(ZURICH, 2026, 5, 22, 17, 0),
        t(ZURICH, 2026, 5, 26, 8, 0),
    )
    holiday = Closure(
        ClosureKind.HOLIDAY, date(2026, 5, 25), date(2026, 5, 25), "Pentecost Monday", "CH-SG"
    )
    assert holiday in closed.closures
    text = cycle_rows(cycle, ZURICH, now, POLICIES["zitadel"]).rows[2].text
    assert text == "closed until Tue 26 May 08:00: Pentecost Monday (CH-SG), weekend"


def test_a_company_holiday_period_is_named_with_the_public_holidays_inside_it() -> None:
    """Laioutr's 24 / 5 closes on company holiday periods a lead adds: the winter break 24 Dec
    2026 - 1 Jan 2027 covers Christmas Day and Boxing Day too."""
    winter = CompanyPeriod(date(2026, 12, 24), date(2027, 1, 1), "Company winter break")
    submitted = t(BERLIN, 2026, 12, 23, 18, 0)
    now = t(BERLIN, 2027, 1, 4, 3, 0)
    cycle = explained("laioutr", "standard", [created(submitted, 4)], now, periods=[winter]).current
    assert spans(cycle) == [
        (SegmentKind.COUNTED, submitted, t(BERLIN, 2026, 12, 24, 0, 0)),
        (SegmentKind.CLOSED, t(BERLIN, 2026, 12, 24, 0, 0), t(BERLIN, 2027, 1, 4, 0, 0)),
        (SegmentKind.COUNTED, t(BERLIN, 2027, 1, 4, 0, 0), now),
    ]
    assert cycle.counted == 9 * HOUR
    closures = cycle.segments[1].closures
    assert (
        Closure(ClosureKind.CLOSED, date(2026, 12, 24), date(2027, 1, 1), "Company winter break")
        in closures
    )
    assert (
        Closure(ClosureKind.HOLIDAY, date(2026, 12, 25), date(2026, 12, 25), "Christmas Day", "DE")
        in closures
    )
    assert Closure(ClosureKind.NO_HOURS, date(2027, 1, 2), date(2027, 1, 3)) in closures


def test_a_liveperson_ticket_paused_awaiting_the_customer() -> None:
    """LivePerson standard, S2: a 3 h response on 24x7, paused while awaiting the customer.
    One hour counts, three are paused, then 1 h 30 m counts: 30 m left at 14:30."""
    submitted = t(NEW_YORK, 2026, 11, 16, 9, 0)
    waiting = t(NEW_YORK, 2026, 11, 16, 10, 0)
    back = t(NEW_YORK, 2026, 11, 16, 13, 0)
    now = t(NEW_YORK, 2026, 11, 16, 14, 30)
    events = [
        created(submitted, 2),
        event(EventKind.STATUS_CHANGED, waiting, status="awaiting_customer"),
        event(EventKind.STATUS_CHANGED, back, status="open"),
    ]
    explanation = explained("liveperson", "standard", events, now)
    cycle = explanation.current
    assert explanation.clock.state is ClockState.RUNNING
    assert spans(cycle) == [
        (SegmentKind.COUNTED, submitted, waiting),
        (SegmentKind.PAUSED, waiting, back),
        (SegmentKind.COUNTED, back, now),
    ]
    assert cycle.segments[1].paused_by is Status.AWAITING_CUSTOMER
    assert cycle.counted == explanation.clock.used == 2.5 * HOUR
    texts = [r.text for r in cycle_rows(cycle, NEW_YORK, now, POLICIES["liveperson"]).rows]
    assert texts[2] == "paused: awaiting customer"
    assert texts[-1] == "now: running, 30m 00s left"


def test_a_pause_on_now_ends_the_timeline_paused() -> None:
    submitted = t(NEW_YORK, 2026, 11, 16, 9, 0)
    waiting = t(NEW_YORK, 2026, 11, 16, 9, 45)
    now = t(NEW_YORK, 2026, 11, 16, 12, 0)
    events = [
        created(submitted, 2),
        event(EventKind.STATUS_CHANGED, waiting, status="awaiting_customer"),
    ]
    explanation = explained("liveperson", "standard", events, now)
    assert explanation.clock.state is ClockState.PAUSED
    assert spans(explanation.current)[-1] == (SegmentKind.PAUSED, waiting, now)
    assert cycle_rows(explanation.current, NEW_YORK, now, POLICIES["liveperson"]).rows[-1].text == (
        "now: paused: awaiting customer, 2h 15m left"
    )


def test_a_severity_change_splits_the_timeline_and_keeps_the_earlier_breach() -> None:
    """Layer0 enterprise: S2 is 1 h of Business Hours, S3 48 h of Business Days. Submitted Mon 8
    Jun 2026 09:00 Pacific as S2, its hour ran out at 10:00; at 10:30 a lead lowers it to S3.
    The clock now counts on Business Days from the start: 3 h by noon."""
    submitted = t(LA, 2026, 6, 8, 9, 0)
    change = t(LA, 2026, 6, 8, 10, 30)
    now = t(LA, 2026, 6, 8, 12, 0)
    events = [
        created(submitted, 2),
        event(EventKind.SEVERITY_CHANGED, change, **{"from": 2, "to": 3, "reason": "workaround"}),
    ]
    explanation = explained("layer0", "enterprise", events, now)
    cycle = explanation.current
    assert explanation.clock.state is ClockState.RUNNING and explanation.clock.severity == 3
    assert spans(cycle) == [
        (SegmentKind.COUNTED, submitted, t(LA, 2026, 6, 8, 10, 0)),
        (SegmentKind.COUNTED, t(LA, 2026, 6, 8, 10, 0), change),
        (SegmentKind.COUNTED, change, now),
    ]
    assert cycle.counted == explanation.clock.used == 3 * HOUR
    assert marks(cycle) == [
        (MarkerKind.STARTED, submitted),
        (MarkerKind.BREACHED, t(LA, 2026, 6, 8, 10, 0)),
        (MarkerKind.SEVERITY_CHANGED, change),
        (MarkerKind.NOW, now),
    ]
    breach, changed = cycle.markers[1], cycle.markers[2]
    assert (breach.severity, breach.overrun) == (2, 30 * MINUTE)
    assert (changed.previous, changed.severity) == (2, 3)
    assert changed.target is not None and changed.target.calendar == "business-days"
    texts = [r.text for r in cycle_rows(cycle, LA, now, POLICIES["layer0"]).rows]
    assert (
        texts[0]
        == "started: ticket submitted (S2, target 1 business hour on Layer0 business hours)"
    )
    assert texts[2] == (
        "breached under S2: its target of 1 business hour had run out; "
        "overdue 30m 00s (business time)"
    )
    # "48 h during Business Days": the policy speaks of hours, and so does the console.
    assert texts[4] == (
        "severity S2 \u2192 S3 (workaround): target now 48 business hours on Layer0 business "
        "days, counted on it from the start"
    )


def test_a_severity_raised_late_runs_out_before_the_change() -> None:
    """Layer0 enterprise S3 raised to S2 at 11:00: S2's hour ran out at 10:00 (where the
    target ran out), and the breach begins at the change."""
    submitted = t(LA, 2026, 6, 8, 9, 0)
    change = t(LA, 2026, 6, 8, 11, 0)
    now = t(LA, 2026, 6, 8, 11, 20)
    events = [
        created(submitted, 3),
        event(EventKind.SEVERITY_CHANGED, change, **{"from": 3, "to": 2, "reason": "outage"}),
    ]
    explanation = explained("layer0", "enterprise", events, now)
    cycle = explanation.current
    assert explanation.clock.due == t(LA, 2026, 6, 8, 10, 0)
    assert marks(cycle) == [
        (MarkerKind.STARTED, submitted),
        (MarkerKind.TARGET_RAN_OUT, t(LA, 2026, 6, 8, 10, 0)),
        (MarkerKind.SEVERITY_CHANGED, change),
        (MarkerKind.BREACHED, change),
        (MarkerKind.NOW, now),
    ]
    check_cycle(cycle, POLICIES["layer0"])


def test_a_recurring_clock_explains_every_cycle() -> None:
    """LivePerson S1 periodic updates every 2 h (24x7): answered at 09:30, updates at 11:00 and
    13:30 (late: due 13:00). Three cycles; the last is the clock's."""
    submitted = t(NEW_YORK, 2026, 11, 16, 9, 0)
    first = t(NEW_YORK, 2026, 11, 16, 9, 30)
    second = t(NEW_YORK, 2026, 11, 16, 11, 0)
    third = t(NEW_YORK, 2026, 11, 16, 13, 30)
    now = t(NEW_YORK, 2026, 11, 16, 14, 0)
    events = [
        created(submitted, 1),
        event(EventKind.RESPONDED, first),
        event(EventKind.UPDATE_SENT, second),
        event(EventKind.UPDATE_SENT, third),
    ]
    explanation = explained("liveperson", "standard", events, now, Metric.PERIODIC_UPDATE)
    assert [(c.clock.started_at, c.end, c.clock.state) for c in explanation.cycles] == [
        (first, second, ClockState.MET),
        (second, third, ClockState.BREACHED),
        (third, now, ClockState.RUNNING),
    ]
    assert [c.counted for c in explanation.cycles] == [90 * MINUTE, 150 * MINUTE, 30 * MINUTE]
    assert explanation.current.clock.used == explanation.clock.used
    late = explanation.cycles[1]
    assert late.target_ran_out == t(NEW_YORK, 2026, 11, 16, 13, 0)
    assert (
        late.markers[-1].event is not None and late.markers[-1].event.kind is EventKind.UPDATE_SENT
    )
    # The clock carries the earlier cycle's breach; the current cycle, none of its own.
    assert [b.cycle for b in explanation.clock.breaches] == [2]
    assert explanation.current.clock.breaches == ()
    rows = [
        cycle_rows(c, NEW_YORK, now, POLICIES["liveperson"], number=i, of=3)
        for i, c in enumerate(explanation.cycles, 1)
    ]
    assert [r.title for r in rows] == ["update #1", "update #2", "update #3 (current)"]
    assert rows[1].rows[-1].text == (
        "stopped: update sent \u2014 breached, overdue 30m 00s (business time)"
    )


def test_a_waived_clock_counts_nothing() -> None:
    submitted = t(BERLIN, 2026, 11, 16, 9, 0)
    events = [
        created(submitted, 1),
        event(
            EventKind.WAIVED, submitted + HOUR, waiver="status_page", reason="on the status page"
        ),
    ]
    explanation = explained("laioutr", "standard", events, submitted + 3 * HOUR)
    cycle = explanation.current
    assert explanation.clock.state is ClockState.WAIVED
    assert cycle.segments == () and cycle.counted == ZERO == explanation.clock.used
    assert [m.kind for m in cycle.markers] == [MarkerKind.STARTED, MarkerKind.NOW]
    assert (
        cycle_rows(cycle, BERLIN, submitted, POLICIES["laioutr"]).summary
        == "waived: on the status page; nothing counts"
    )


def test_a_cycle_stopped_as_it_starts_has_no_segments() -> None:
    at = t(ZURICH, 2026, 11, 16, 9, 0)
    events = [created(at, 3), event(EventKind.RESPONDED, at)]
    cycle = explained("zitadel", "extended", events, at + HOUR).current
    assert cycle.segments == ()
    assert [m.kind for m in cycle.markers] == [MarkerKind.STARTED, MarkerKind.STOPPED]


def test_the_timeline_puts_each_marker_before_the_segment_it_starts() -> None:
    submitted = t(ZURICH, 2026, 11, 20, 14, 0)
    now = t(ZURICH, 2026, 11, 24, 10, 30)
    cycle = explained("zitadel", "extended", [created(submitted, 3)], now).current
    kinds = [
        item.kind.value if isinstance(item, Marker) else f"[{item.kind.value}]"
        for item in cycle.timeline()
    ]
    assert kinds == [
        "started",
        "[counted]",
        "[closed]",
        "[counted]",
        "[closed]",
        "target_ran_out",
        "[counted]",
        "now",
    ]
    assert all(isinstance(item, Segment | Marker) for item in cycle.timeline())


# --------------------------------------------------------------------------- the query


NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def store() -> FakeStore:
    found = FakeStore()
    load_demo(
        FakeUnitOfWork(found, now=lambda: NOW), PolicyBook(POLICIES), tickets=120, seed=2, now=NOW
    )
    return found


def test_the_query_explains_a_stored_ticket_as_the_detail_pane_computes_its_clocks(
    store: FakeStore,
) -> None:
    book = PolicyBook(POLICIES)
    for key in sorted(store.tickets)[:40]:
        found = ExplainTicket(key).run(FakeUnitOfWork(store, now=lambda: NOW), book)
        with FakeUnitOfWork(store, now=lambda: NOW) as uow:
            ticket = uow.tickets.get(key)
            customer: Customer = uow.customers.get(ticket.customer)
            clocks = book.current(uow).clocks(customer, ticket.events, NOW)
        assert found.key == key and found.now == NOW
        assert tuple(e.clock for e in found.clocks) == clocks
        assert found.zone == calendar_zone(book.policy_for(customer))
        lines = explanation_lines(found, ZoneInfo(found.zone))
        assert lines[0].startswith(f"{key}: ")
        assert len([line for line in lines if line and not line.startswith(" ")]) >= len(clocks)


def test_the_query_explains_at_an_earlier_instant(store: FakeStore) -> None:
    key = sorted(store.tickets)[0]
    book = PolicyBook(POLICIES)
    with FakeUnitOfWork(store, now=lambda: NOW) as uow:
        submitted = uow.tickets.get(key).submitted_at
    earlier = ExplainTicket(key, submitted + MINUTE).run(
        FakeUnitOfWork(store, now=lambda: NOW), book
    )
    assert earlier.now == submitted + MINUTE
    assert all(c.current.end <= submitted + MINUTE for c in earlier.clocks)


def test_the_query_refuses_an_unknown_key(store: FakeStore) -> None:
    with pytest.raises(NotFoundError):
        ExplainTicket("NOPE-1").run(FakeUnitOfWork(store, now=lambda: NOW), PolicyBook(POLICIES))


def test_the_zone_is_that_of_the_policy_calendars() -> None:
    assert calendar_zone(POLICIES["zitadel"]) == "Europe/Zurich"
    assert calendar_zone(POLICIES["layer0"]) == "America/Los_Angeles"
    assert calendar_zone(POLICIES["liveperson"]) == "America/New_York"
