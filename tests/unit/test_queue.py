"""The queue's view of time (console.domain.queue) and the queue rows (console.services.queue).

DESIGN.md section 2, "Queue order", "countdown column" and "Warnings". Every expected value
below is worked out by hand on a 09:00-18:00 Mon-Fri calendar in America/Los_Angeles (PST,
UTC-8, in November 2026: no DST change and no holiday in the weeks used). Fri 20 Nov,
Sat 21 Nov and Mon 23 Nov 2026 are the days the clocks run over.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.calendar import BusinessCalendar
from console.domain.model import Metric, QueueGroup, QueueSummary, Status
from console.domain.policy import load_policies
from console.domain.queue import ClockState, Countdown, countdown, queue_key
from console.services.demo import load_demo
from console.services.queue import QueueRow, load_rows, make_row
from console.services.texts import (
    countdown_reason,
    countdown_text,
    countdown_tip,
    due_text,
    format_span,
)
from console.services.tickets import PolicyBook
from history import actions, within

LA = ZoneInfo("America/Los_Angeles")
ZURICH = ZoneInfo("Europe/Zurich")

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
LA_HOURS = BusinessCalendar.from_spec(
    {"timezone": "America/Los_Angeles", "hours": {day: ["09:00-18:00"] for day in WEEKDAYS}}
)
ZURICH_HOURS = BusinessCalendar.from_spec(
    {"timezone": "Europe/Zurich", "hours": {day: ["09:00-18:00"] for day in WEEKDAYS}}
)


def la(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant given in Los Angeles wall time, November 2026."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=LA)


def zurich(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZURICH)


FRI, SAT, MON, TUE = 20, 21, 23, 24

ONE_HOUR_RESPONSE = QueueSummary(
    QueueGroup.DUE, Metric.INITIAL_RESPONSE, "business-hours", timedelta(hours=1)
)
# A 1 h target started Fri 17:30 PST: 30 min on Friday, the other 30 min on Monday.
DUE_MON_0930 = la(MON, 9, 30)


def paused(left: timedelta, by: Status | None = Status.AWAITING_CUSTOMER) -> QueueSummary:
    return QueueSummary(QueueGroup.PAUSED, Metric.PERIODIC_UPDATE, "business-hours", HOUR, left, by)


# --------------------------------------------------------------------------- 1. a running clock


def test_a_clock_running_on_friday_evening_counts_only_open_time_to_monday(
    clock: FakeTime,
) -> None:
    """Given a 1 h target due Mon 09:30 PST on the 09:00-18:00 LA calendar,
    when the fake clock reads Fri 17:45 PST (open),
    then it is running with 15 min (Fri 17:45-18:00) + 30 min (Mon 09:00-09:30) = 45 min
    left, 25 % of the target used (no warning yet), and the due instant, more than 24 hours
    ahead, carries its date: "Mon 23 Nov 09:30" in Los Angeles and "Mon 23 Nov 18:30" in
    Zurich (Fri 17:45 PST is already Sat in Zurich)."""
    clock.now = la(FRI, 17, 45)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.RUNNING
    assert cd.due == DUE_MON_0930
    assert cd.left == 45 * MINUTE
    assert cd.overdue is None
    assert cd.resumes_at is None
    assert cd.fraction == 0.25
    assert cd.level() == 0
    assert countdown_text(cd) == "45m 00s"
    assert countdown_reason(cd, LA_HOURS.timezone, clock()) == ""
    assert due_text(cd, LA, clock()) == "Mon 23 Nov 09:30"
    assert due_text(cd, ZURICH, clock()) == "Mon 23 Nov 18:30"


def test_at_closing_time_the_clock_waits_with_the_monday_time_left(clock: FakeTime) -> None:
    """Given the same clock, when the fake clock reaches Fri 18:00 PST (closing: the open
    interval is half-open), then it is waiting with Monday's 30 min left, resuming Mon 09:00 PST
    (17:00 UTC)."""
    clock.now = la(FRI, 18)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.WAITING
    assert cd.left == 30 * MINUTE
    assert cd.resumes_at == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def test_on_saturday_the_clock_waits_closed_until_monday_opening(clock: FakeTime) -> None:
    """Given the same clock, when the fake clock reads Sat 12:00 PST,
    then it is waiting: 30 min left (Mon 09:00-09:30), half the target used (level 1),
    resuming at Mon 09:00 PST, and the reason in the calendar's zone, named, is
    "closed until Mon 23 Nov 09:00 PST" (45 hours ahead: with its date)."""
    clock.now = la(SAT, 12)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.WAITING
    assert cd.left == 30 * MINUTE
    assert cd.resumes_at == la(MON, 9)
    assert cd.fraction == 0.5
    assert cd.level() == 1
    assert countdown_text(cd) == "30m 00s"
    assert countdown_reason(cd, LA_HOURS.timezone, clock()) == "closed until Mon 23 Nov 09:00 PST"
    assert countdown_reason(cd, None, clock()) == "closed"


def test_the_waiting_reason_drops_the_weekday_on_the_same_local_day(clock: FakeTime) -> None:
    """Given the same clock, when the fake clock reads Mon 08:59:59 PST (closed, same day as
    the opening), then the reason is "closed until 09:00 PST" and 30 min are still left."""
    clock.now = la(MON, 8, 59, 59)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.WAITING
    assert cd.left == 30 * MINUTE
    assert countdown_reason(cd, LA_HOURS.timezone, clock()) == "closed until 09:00 PST"


def test_crossing_the_monday_opening_starts_the_clock_running(clock: FakeTime) -> None:
    """Given the same clock waiting at Mon 08:59:59 PST,
    when the fake clock moves one second to Mon 09:00 PST,
    then it is running with 30 min left, no reason, and the due instant reads "09:30"
    (later the same local day: the time alone); one minute later 29 min are left."""
    clock.now = la(MON, 8, 59, 59)
    assert countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock()).state is (
        ClockState.WAITING
    )

    clock.now += SECOND
    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.RUNNING
    assert cd.left == 30 * MINUTE
    assert cd.resumes_at is None
    assert countdown_reason(cd, LA_HOURS.timezone, clock()) == ""
    assert due_text(cd, LA, clock()) == "09:30"

    clock.now += MINUTE
    assert countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock()).left == 29 * MINUTE


@pytest.mark.parametrize(
    ("now", "left", "fraction", "level"),
    [
        (la(MON, 9, 14, 59), 15 * MINUTE + SECOND, 1 - 901 / 3600, 1),
        (la(MON, 9, 15), 15 * MINUTE, 0.75, 2),
        (la(MON, 9, 23, 59), 6 * MINUTE + SECOND, 1 - 361 / 3600, 2),
        (la(MON, 9, 24), 6 * MINUTE, 0.9, 3),
        (la(MON, 9, 30), timedelta(0), 1.0, 3),
    ],
    ids=["just-under-75", "75", "just-under-90", "90", "due-instant"],
)
def test_warning_levels_switch_exactly_at_the_thresholds(
    clock: FakeTime, now: datetime, left: timedelta, fraction: float, level: int
) -> None:
    """Given the 1 h clock due Mon 09:30 PST, when the fake clock reads ``now`` on Monday
    morning, then the time used is 60 min minus ``left`` and the warning level counts the
    50/75/90 % thresholds reached (a threshold reached exactly counts); at the due instant
    itself the clock is not breached yet (breached exactly when now > due)."""
    clock.now = now

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.RUNNING
    assert cd.left == left
    assert cd.fraction == pytest.approx(fraction, abs=1e-12)
    assert cd.level() == level


def test_one_second_after_the_due_instant_the_clock_is_breached(clock: FakeTime) -> None:
    """Given the same clock, when the fake clock reads Mon 09:30:01 PST,
    then it is breached: 1 s overdue, -1 s business time left, "overdue 0m 01s (business
    time)", and the warning level is 4 (every threshold plus the breach); the due instant now
    says it is past: "earlier today 09:30"."""
    clock.now = la(MON, 9, 30, 1)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.BREACHED
    assert cd.due == DUE_MON_0930
    assert cd.overdue == SECOND
    assert cd.left == -SECOND
    assert cd.fraction == pytest.approx(1 + 1 / 3600)
    assert cd.level() == 4
    assert countdown_text(cd) == "overdue 0m 01s"
    assert countdown_text(cd, labelled=True) == "overdue 0m 01s (business time)"
    assert countdown_reason(cd, LA_HOURS.timezone, clock()) == ""
    assert due_text(cd, LA, clock()) == "earlier today 09:30"


def test_the_lateness_shown_is_business_time_and_the_wall_clock_is_labelled_as_such(
    clock: FakeTime,
) -> None:
    """Given the same clock, when the fake clock reads Tue 09:30 PST,
    then 24 h of wall-clock time have passed since the due instant but only 9 h of business
    time (Mon 09:30-18:00 = 8 h 30 min, Tue 09:00-09:30 = 30 min) are over the target: the
    countdown says the business time ("overdue 9h 00m"; the column heading names the
    measure, an export labels it: "overdue 9h 00m (business time)"), and the
    tooltip gives the wall-clock time only as such ("1d 0h ago (wall clock)")."""
    clock.now = la(TUE, 9, 30)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, clock())

    assert cd.state is ClockState.BREACHED
    assert cd.overdue == DAY
    assert cd.left == -9 * HOUR
    assert cd.fraction == pytest.approx(10.0)
    assert countdown_text(cd) == "overdue 9h 00m"
    assert countdown_text(cd, labelled=True) == "overdue 9h 00m (business time)"
    assert countdown_tip(cd, LA, clock()) == [
        "Due Mon 23 Nov 2026 09:30 PST, 1d 0h ago (wall clock)",
        "Overdue 9h 00m (business time)",
        "1000 % of the target used",
    ]


def test_a_breached_clock_on_a_closed_calendar_says_why_its_lateness_stands_still() -> None:
    """Given the same clock breached, when the agent looks the Saturday after, 12:00 PST
    (closed), then the lateness is Monday's 8 h 30 min and four whole days of 9 h, and it
    stands still until the calendar opens: "closed until Mon 30 Nov 09:00 PST"."""
    now = la(28, 12)

    cd = countdown(DUE_MON_0930, ONE_HOUR_RESPONSE, LA_HOURS, now)

    assert cd.state is ClockState.BREACHED
    assert cd.resumes_at == la(30, 9)
    assert countdown_text(cd) == "overdue 44h 30m"
    assert countdown_reason(cd, LA, now) == "closed until Mon 30 Nov 09:00 PST"


def test_level_counts_custom_thresholds_and_is_zero_without_a_fraction() -> None:
    """Given countdowns built directly, when level() is asked with thresholds (0.5,),
    then a fraction at or over 0.5 gives 1, a breach gives len + 1 = 2, and a countdown
    without a fraction (best effort, done) gives 0 whatever the thresholds."""
    assert Countdown(ClockState.RUNNING, fraction=0.5).level((0.5,)) == 1
    assert Countdown(ClockState.RUNNING, fraction=0.49).level((0.5,)) == 0
    assert Countdown(ClockState.BREACHED, fraction=1.2).level((0.5,)) == 2
    assert Countdown(ClockState.BREACHED).level() == 4
    assert Countdown(ClockState.BEST_EFFORT).level() == 0
    assert Countdown(ClockState.DONE).level((0.0,)) == 0


def test_a_due_instant_more_than_a_week_ago_is_shown_with_its_date() -> None:
    """Given a 1 h clock due Mon 9 Nov 09:30 PST, when the agent looks on Fri 20 Nov,
    then the due column gives the date ("Mon 9 Nov 09:30"), not a bare "Mon" that reads as
    this week's Monday; one due Mon 16 Nov (4 days back) is "last Mon 09:30"."""
    now = la(FRI, 12)
    cd = countdown(la(9, 9, 30), ONE_HOUR_RESPONSE, LA_HOURS, now)
    recent = countdown(la(16, 9, 30), ONE_HOUR_RESPONSE, LA_HOURS, now)

    assert cd.state is ClockState.BREACHED
    assert due_text(cd, LA, now) == "Mon 9 Nov 09:30"
    assert due_text(recent, LA, now) == "last Mon 09:30"


def test_a_due_instant_more_than_a_day_ahead_is_shown_with_its_date() -> None:
    """Given a clock due Mon 30 Nov 09:30 PST, when the agent looks on Mon 23 Nov 09:00 PST
    (7 days before), then the due column gives the date: "Mon 30 Nov 09:30"; looked at on
    Sun 29 Nov 10:00 (under 24 hours before) it is "tomorrow 09:30"."""
    now = la(MON, 9)
    cd = countdown(la(30, 9, 30), ONE_HOUR_RESPONSE, LA_HOURS, now)

    assert due_text(cd, LA, now) == "Mon 30 Nov 09:30"
    assert due_text(cd, LA, la(29, 10)) == "tomorrow 09:30"


# --------------------------------------------------------------------------- 2. paused


def test_a_paused_clock_shows_its_frozen_business_time_left(clock: FakeTime) -> None:
    """Given a paused summary with 20 min of a 1 h target left, paused by awaiting customer,
    when the fake clock moves from Fri 17:45 over the weekend to a week later,
    then the countdown always shows 20 min left ("20m 00s"), 2/3 of the target used
    (level 1), no due instant, and the reason "paused: awaiting customer"."""
    summary = paused(20 * MINUTE)
    seen = []
    for now in (la(FRI, 17, 45), la(SAT, 12), la(MON, 9, 30), la(MON, 9, 30) + 7 * DAY):
        clock.now = now
        cd = countdown(None, summary, LA_HOURS, clock())
        seen.append(cd)
        assert cd.state is ClockState.PAUSED
        assert cd.left == 20 * MINUTE
        assert cd.due is None
        assert cd.paused_by is Status.AWAITING_CUSTOMER
        assert cd.fraction == pytest.approx(2 / 3)
        assert cd.level() == 1
        assert countdown_text(cd) == "20m 00s"
        assert countdown_reason(cd, LA_HOURS.timezone, clock()) == "paused: awaiting customer"
        assert due_text(cd, LA, clock()) == ""
    assert all(cd == seen[0] for cd in seen)


def test_the_paused_reason_names_the_status_or_just_says_paused() -> None:
    """Given paused summaries by on hold and by no known status, when counted down,
    then the reasons are "paused: on hold" and "paused"; without a calendar it still works."""
    now = la(FRI, 12)
    on_hold = countdown(None, paused(HOUR, Status.ON_HOLD), None, now)
    unknown = countdown(None, paused(HOUR, None), None, now)

    assert countdown_reason(on_hold, LA, now) == "paused: on hold"
    assert countdown_reason(unknown, LA, now) == "paused"
    assert countdown_text(on_hold) == "1h 00m"
    assert on_hold.fraction == 0.0


# --------------------------------------------------------------------------- 3. no countdown


@pytest.mark.parametrize(
    ("summary", "state", "text"),
    [
        (QueueSummary(QueueGroup.BEST_EFFORT, Metric.PRELIMINARY_RCA), ClockState.BEST_EFFORT,
         "best effort"),
        (QueueSummary(QueueGroup.NO_TARGET, Metric.INITIAL_RESPONSE), ClockState.NO_TARGET,
         "no timed target"),
        (QueueSummary(), ClockState.DONE, "no timed target"),
    ],
    ids=["best-effort", "no-target", "done"],
)  # fmt: skip
def test_clocks_without_a_timed_target_show_a_word(
    summary: QueueSummary, state: ClockState, text: str
) -> None:
    """Given a best effort, a no-target and a done summary (no due instant),
    when counted down at any time, then the state names it, the text is "best effort" or
    "no timed target" (one label for no timed target and for a ticket whose clocks all
    stopped), with no reason, no due text and no warning level."""
    for now in (la(FRI, 12), la(SAT, 12)):
        cd = countdown(None, summary, LA_HOURS, now)
        assert cd == Countdown(state)
        assert countdown_text(cd) == text
        assert countdown_reason(cd, LA, now) == ""
        assert due_text(cd, LA, now) == ""
        assert cd.level() == 0


# --------------------------------------------------------------------------- 4. queue order


def test_queue_key_orders_breached_counting_paused_best_effort_no_target_done() -> None:
    """Given tickets at Fri 17:45 PST (Sat 02:45 in Zurich): two breached on the LA calendar
    (due Fri 09:00 and Fri 17:00 PST), two running on it with the same due Fri 17:55 PST,
    one waiting on the Zurich calendar (closed; due Mon 09:30 CET), three paused (10 min,
    2 h, 2 h left), two best effort, one no target and two done,
    when sorted by queue_key,
    then breached come first, most overdue first; then running and waiting by due; then
    paused by time left; then best effort, no target, done; ties broken by key. Keys are
    chosen against that order so that the key alone cannot produce it."""
    now = la(FRI, 17, 45)
    entries: list[tuple[str, datetime | None, QueueSummary, BusinessCalendar | None]] = [
        ("T-01", None, QueueSummary(), None),
        ("T-02", None, QueueSummary(QueueGroup.NO_TARGET, Metric.INITIAL_RESPONSE), None),
        ("T-03", None, QueueSummary(QueueGroup.BEST_EFFORT, Metric.PRELIMINARY_RCA), None),
        ("T-04", None, paused(2 * HOUR), LA_HOURS),
        ("T-05", None, paused(10 * MINUTE), LA_HOURS),
        ("T-06", zurich(MON, 9, 30), ONE_HOUR_RESPONSE, ZURICH_HOURS),
        ("T-07", la(FRI, 17, 55), ONE_HOUR_RESPONSE, LA_HOURS),
        ("T-08", la(FRI, 17), ONE_HOUR_RESPONSE, LA_HOURS),
        ("T-09", la(FRI, 9), ONE_HOUR_RESPONSE, LA_HOURS),
        ("T-10", la(FRI, 17, 55), ONE_HOUR_RESPONSE, LA_HOURS),
        ("T-11", None, paused(2 * HOUR), LA_HOURS),
        ("T-12", None, QueueSummary(QueueGroup.BEST_EFFORT, Metric.PRELIMINARY_RCA), None),
        ("T-00", None, QueueSummary(), None),
    ]
    states = {key: countdown(due, s, cal, now).state for key, due, s, cal in entries}
    assert [states[k] for k in ("T-09", "T-08", "T-07", "T-10", "T-06")] == [
        ClockState.BREACHED,
        ClockState.BREACHED,
        ClockState.RUNNING,
        ClockState.RUNNING,
        ClockState.WAITING,
    ]

    ordered = sorted(entries, key=lambda e: queue_key(e[0], e[1], e[2]))

    assert [e[0] for e in ordered] == [
        "T-09",  # breached 8 h 45 min ago
        "T-08",  # breached 45 min ago
        "T-07",  # running, due in 10 min (tie with T-10, by key)
        "T-10",
        "T-06",  # waiting, due Mon 00:30 PST
        "T-05",  # paused, 10 min left
        "T-04",  # paused, 2 h left (tie with T-11, by key)
        "T-11",
        "T-03",  # best effort (tie by key)
        "T-12",
        "T-02",  # no timed target
        "T-00",  # done (tie by key)
        "T-01",
    ]


def test_running_and_waiting_clocks_share_one_order_by_due_instant() -> None:
    """Given, at Fri 09:00 PST (18:00 in Zurich: closed there, open in LA), a clock running on
    the LA calendar due Mon 09:30 PST (17:30 UTC) and one waiting on the Zurich calendar due
    Mon 09:30 CET (08:30 UTC),
    when sorted by queue_key,
    then the waiting one comes first: DESIGN.md sorts "running and waiting clocks by due
    instant", together, not running before waiting."""
    now = la(FRI, 9)
    running = ("A-1", la(MON, 9, 30))
    waiting = ("Z-9", zurich(MON, 9, 30))
    assert countdown(running[1], ONE_HOUR_RESPONSE, LA_HOURS, now).state is ClockState.RUNNING
    assert countdown(waiting[1], ONE_HOUR_RESPONSE, ZURICH_HOURS, now).state is (ClockState.WAITING)

    ordered = sorted([running, waiting], key=lambda e: queue_key(e[0], e[1], ONE_HOUR_RESPONSE))

    assert [key for key, _ in ordered] == ["Z-9", "A-1"]


def test_a_nearly_spent_paused_clock_still_sorts_after_every_counting_clock() -> None:
    """Given a paused clock with 1 s left and a running clock due in 3 weeks, when sorted,
    then the running one comes first: paused clocks do not move, counting ones do."""
    far = queue_key("Z", la(FRI, 9) + 21 * DAY, ONE_HOUR_RESPONSE)
    nearly_spent = queue_key("A", None, paused(SECOND))

    assert far < nearly_spent
    assert nearly_spent == (1, 1.0, "A")


# --------------------------------------------------------------------------- 5. services


NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 06:30 PST, 15:30 in Zurich
POLICIES = load_policies()
GROUP = {  # the group of a row's countdown state in DESIGN.md's queue order
    ClockState.BREACHED: 0,
    ClockState.RUNNING: 0,
    ClockState.WAITING: 0,
    ClockState.PAUSED: 1,
    ClockState.BEST_EFFORT: 2,
    ClockState.NO_TARGET: 3,
    ClockState.DONE: 4,
}


@pytest.fixture(scope="module")
def demo_store() -> FakeStore:
    store = FakeStore()
    load_demo(
        FakeUnitOfWork(store, now=FakeTime(NOW)),
        PolicyBook(POLICIES),
        tickets=300,
        seed=11,
        now=NOW,
    )
    return store


@pytest.fixture
def store(demo_store: FakeStore) -> Iterator[FakeStore]:
    """A private copy of the demo database (the domain objects are immutable)."""
    yield demo_store.copy()


def rows_of(store: FakeStore, now: datetime = NOW) -> list[QueueRow]:
    return within(FakeUnitOfWork(store, now=FakeTime(now)), load_rows, PolicyBook(POLICIES))


def test_load_rows_returns_every_open_ticket_in_queue_order(store: FakeStore) -> None:
    """Given the demo database (300 tickets, many resolved or closed) at Fri 14:30 UTC,
    when the queue rows are loaded,
    then they are exactly the open tickets, none resolved or closed, sorted by
    QueueRow.order, grouped breached/running/waiting, paused, best effort, no target, done;
    the breached rows come first, most overdue first."""
    rows = rows_of(store)

    open_keys = {t.key for t in store.tickets.values() if t.is_open}
    assert len(open_keys) < len(store.tickets)  # the demo has resolved and closed tickets
    assert {r.key for r in rows} == open_keys
    assert len(rows) == len(open_keys)
    assert all(r.ticket.status not in (Status.RESOLVED, Status.CLOSED) for r in rows)

    orders = [r.order() for r in rows]
    assert orders == sorted(orders)
    countdowns = [r.countdown(NOW) for r in rows]
    groups = [GROUP[cd.state] for cd in countdowns]
    assert groups == sorted(groups)

    breached = [i for i, cd in enumerate(countdowns) if cd.state is ClockState.BREACHED]
    assert len(breached) >= 2, "the demo seed should give several breached tickets"
    assert breached == list(range(len(breached)))  # a prefix of the queue
    overdue = [countdowns[i].overdue for i in breached]
    assert all(o is not None and o > timedelta(0) for o in overdue)
    assert overdue == sorted(overdue, reverse=True)  # type: ignore[type-var]
    assert all(countdown_text(countdowns[i]).startswith("overdue ") for i in breached)


def test_the_queue_order_still_holds_later_without_any_event(store: FakeStore) -> None:
    """Given the demo rows loaded at Fri 14:30 UTC,
    when the countdowns are taken three days later without reloading or re-sorting,
    then breached rows are still a prefix of the queue, most overdue first (DESIGN.md:
    the order does not need re-sorting on every tick)."""
    rows = rows_of(store)
    later = NOW + 3 * DAY

    countdowns = [r.countdown(later) for r in rows]

    breached = [i for i, cd in enumerate(countdowns) if cd.state is ClockState.BREACHED]
    assert breached == list(range(len(breached)))
    overdue = [countdowns[i].overdue for i in breached]
    assert overdue == sorted(overdue, reverse=True)  # type: ignore[type-var]
    assert len(breached) > len([r for r in rows if r.countdown(NOW).state is ClockState.BREACHED])


def test_each_row_countdown_agrees_with_the_clocks_recomputed_from_history(
    store: FakeStore,
) -> None:
    """Given the demo rows, when each row's countdown is taken at Fri 14:30 UTC,
    then for every row with a timed clock the state and business time left equal those of
    the leading metric's SLA clock recomputed from the ticket's history, and the row's
    calendar is that clock's calendar."""
    rows = rows_of(store)
    book = PolicyBook(POLICIES)
    checked = 0
    with FakeUnitOfWork(store, now=FakeTime(NOW)) as uow:
        book = book.current(uow)
        for row in rows:
            cd = row.countdown(NOW)
            if cd.left is None:
                continue
            events = uow.tickets.get(row.key).events
            (lead,) = [
                c
                for c in book.clocks(row.customer, events, NOW)
                if c.metric is row.ticket.summary.metric
            ]
            assert (row.key, lead.state.value, lead.remaining) == (row.key, cd.state.value, cd.left)
            assert lead.calendar == row.calendar
            checked += 1
    assert checked > 20


def test_make_row_carries_the_leading_clocks_calendar_and_search_text(store: FakeStore) -> None:
    """Given a demo ticket whose leading clock counts on a calendar and one with no clock,
    when made into rows, then the first row's calendar is the policy's calendar of that id,
    the done one has none, and the search text is key, customer and title in lower case."""
    book = PolicyBook(POLICIES)
    tickets = sorted(store.tickets.values(), key=lambda t: t.key)
    counting = next(t for t in tickets if t.is_open and t.summary.kind is QueueGroup.DUE)
    done = next(t for t in tickets if t.summary.kind is QueueGroup.DONE)

    row = make_row(book, counting, store.customers[counting.customer])
    no_clock = make_row(book, done, store.customers[done.customer])

    policy = book.policy_for(store.customers[counting.customer])
    assert counting.summary.calendar is not None
    assert row.calendar is not None
    assert row.calendar == policy.calendar(counting.summary.calendar)
    assert no_clock.calendar is None
    assert no_clock.countdown(NOW) == Countdown(ClockState.DONE)
    assert row.search_text == (f"{counting.key}\n{counting.customer}\n{counting.title}".lower())
    assert row.order() == queue_key(counting.key, counting.next_due_at, counting.summary)


def test_load_rows_of_given_keys_can_include_closed_tickets(store: FakeStore) -> None:
    """Given one open and one closed demo ticket, when their rows are loaded by key with
    open_only=False, then both come back (in queue order); with open_only only the open one."""
    tickets = sorted(store.tickets.values(), key=lambda t: t.key)
    opened = next(t for t in tickets if t.is_open and t.summary.kind is QueueGroup.DUE)
    closed = next(
        t for t in tickets if t.status is Status.CLOSED and t.summary.kind is QueueGroup.DONE
    )
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))

    both = within(uow, load_rows, PolicyBook(POLICIES), [closed.key, opened.key], open_only=False)
    only_open = within(uow, load_rows, PolicyBook(POLICIES), [closed.key, opened.key])

    assert [r.key for r in both] == [opened.key, closed.key]  # counting before done
    assert [r.key for r in only_open] == [opened.key]


def position_by_key(rows: list[QueueRow], key: str) -> int:
    """Where queue_key puts ``key`` among the other rows (hand-checkable with bisect)."""
    row = next(r for r in rows if r.key == key)
    others = [r.order() for r in rows if r.key != key]
    return bisect_left(others, row.order())


def test_responding_to_a_breached_ticket_moves_it_out_of_the_breached_group(
    store: FakeStore,
) -> None:
    """Given the first ticket breached on its initial response in the demo queue,
    when an agent responds at Fri 14:30 UTC (services.actions.respond),
    then its initial response clock stops (late), the row reloaded is no longer breached,
    the ticket's cached due and summary are what queue_key sorts by, the queue is still in
    order, the row sits where queue_key puts it among the others, and the others keep their
    relative order."""
    before = rows_of(store)
    target = next(
        r
        for r in before
        if r.countdown(NOW).state is ClockState.BREACHED
        and r.ticket.summary.metric is Metric.INITIAL_RESPONSE
    )
    clock = FakeTime(NOW)
    uow = FakeUnitOfWork(store, now=clock)
    with uow:
        ticket = uow.tickets.get(target.key)

    updated = actions.respond(uow, PolicyBook(POLICIES), ticket, "marcus.reed", "on it")

    after = rows_of(store)
    row = next(r for r in after if r.key == target.key)
    assert row.ticket.summary == updated.summary
    assert row.ticket.next_due_at == updated.next_due_at
    assert row.ticket.summary.metric is not Metric.INITIAL_RESPONSE
    assert row.countdown(NOW).state is not ClockState.BREACHED
    assert row.order() == queue_key(target.key, updated.next_due_at, updated.summary)
    assert [r.order() for r in after] == sorted(r.order() for r in after)
    assert after.index(row) == position_by_key(after, target.key)
    assert after.index(row) > 0
    assert [r.key for r in after if r.key != target.key] == [
        r.key for r in before if r.key != target.key
    ]
    breached_after = [r.key for r in after if r.countdown(NOW).state is ClockState.BREACHED]
    assert target.key not in breached_after
    assert breached_after == [
        r.key
        for r in before
        if r.countdown(NOW).state is ClockState.BREACHED and r.key != target.key
    ]


def test_awaiting_customer_on_a_liveperson_ticket_freezes_its_clock_in_the_paused_group(
    store: FakeStore,
) -> None:
    """Given a LivePerson ticket whose running leading clock (initial response or periodic
    update, both paused by awaiting customer in the LivePerson policy) has some business time
    left at Fri 14:30 UTC,
    when an agent sets it to awaiting customer then (services.actions.set_status),
    then it has no due instant, its summary is paused by awaiting customer with exactly the
    business time that was left, its row moves after every counting clock and before every
    best effort / no target / done row, among the paused rows by time left, and its
    countdown shows the frozen time left with "paused: awaiting customer", also days later."""
    before = rows_of(store)
    target = next(
        r
        for r in before
        if store.customers[r.ticket.customer].policy_id == "liveperson"
        and r.countdown(NOW).state is ClockState.RUNNING
        and r.ticket.summary.metric in (Metric.INITIAL_RESPONSE, Metric.PERIODIC_UPDATE)
    )
    left = target.countdown(NOW).left
    assert left is not None and left > timedelta(0)
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))
    with uow:
        ticket = uow.tickets.get(target.key)

    updated = actions.set_status(
        uow, PolicyBook(POLICIES), ticket, "marcus.reed", Status.AWAITING_CUSTOMER
    )

    assert updated.status is Status.AWAITING_CUSTOMER
    assert updated.next_due_at is None
    assert updated.summary.kind is QueueGroup.PAUSED
    assert updated.summary.metric is target.ticket.summary.metric
    assert updated.summary.paused_by is Status.AWAITING_CUSTOMER
    assert updated.summary.paused_left == left

    after = rows_of(store)
    row = next(r for r in after if r.key == target.key)
    index = after.index(row)
    assert [r.order() for r in after] == sorted(r.order() for r in after)
    assert index == position_by_key(after, target.key)
    assert all(r.ticket.summary.kind is QueueGroup.DUE for r in after[:index])
    paused_rows = [r for r in after if r.ticket.summary.kind is QueueGroup.PAUSED]
    assert row in paused_rows
    lefts = [r.ticket.summary.paused_left for r in paused_rows]
    assert lefts == sorted(lefts)  # type: ignore[type-var]
    after_paused = after[index + 1 :]
    assert all(r.ticket.summary.kind is not QueueGroup.DUE for r in after_paused)
    for moment in (NOW, NOW + DAY, NOW + 5 * DAY):
        cd = row.countdown(moment)
        assert cd.state is ClockState.PAUSED
        assert cd.left == left
        assert countdown_text(cd) == format_span(left)
        assert countdown_reason(cd, row.calendar and row.calendar.timezone, moment) == (
            "paused: awaiting customer"
        )


# --------------------------------------------------------------------------- 6. format_span


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(0), "0m 00s"),
        (59 * SECOND, "0m 59s"),
        (60 * SECOND, "1m 00s"),
        (HOUR - SECOND, "59m 59s"),
        (HOUR, "1h 00m"),
        (HOUR + 5 * MINUTE + 59 * SECOND, "1h 05m"),
        (DAY - SECOND, "23h 59m"),
        (DAY, "1d 0h"),
        (2 * DAY + 4 * HOUR + 59 * MINUTE, "2d 4h"),
        (timedelta(microseconds=999_999), "0m 00s"),
        (-59 * SECOND, "0m 59s"),
        (-(HOUR + 30 * MINUTE), "1h 30m"),
        (-DAY, "1d 0h"),
    ],
)
def test_format_span(value: timedelta, text: str) -> None:
    """Given a span, when formatted, then it reads as days+hours, hours+minutes or
    minutes+seconds, truncated (never rounded up), and a negative span prints without sign."""
    assert format_span(value) == text


def test_format_span_without_seconds() -> None:
    """Given spans under an hour, when formatted with seconds=False, then only minutes show;
    spans of an hour or more are unaffected."""
    assert format_span(12 * MINUTE + 9 * SECOND, seconds=False) == "12m"
    assert format_span(59 * SECOND, seconds=False) == "0m"
    assert format_span(-(3 * HOUR + 5 * MINUTE), seconds=False) == "3h 05m"
