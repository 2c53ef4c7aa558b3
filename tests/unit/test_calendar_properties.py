"""Property tests of ``BusinessCalendar`` against a brute-force, minute-by-minute reference.

The reference (``reference_calendar.py``) knows, for every UTC minute of 2026-01-01 to
2027-07-01, whether each calendar of ``tests/calendars.py`` is open, deciding it from the
local wall time alone. The tests below check ``add``, ``between``, ``is_open``,
``next_open`` and ``next_change`` against it on every calendar, then check algebraic laws
on arbitrary (microsecond, any zone) instants, then walk through DST examples by hand.
"""

from __future__ import annotations

import functools
import sys
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: calendars
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/unit/: reference_calendar

from reference_calendar import (
    MINUTE,
    MINUTES_PER_DAY,
    WINDOW_END,
    WINDOW_MINUTES,
    ReferenceCalendar,
)

from calendars import ALL_SPECS
from console.domain.calendar import BusinessCalendar

CALENDAR_NAMES = list(ALL_SPECS)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
ZURICH = ZoneInfo("Europe/Zurich")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
MICROSECOND = timedelta(microseconds=1)
HOUR = timedelta(hours=1)

# Zones the instants handed to the calendar are expressed in: the answer must not depend
# on them, only on the instant.
INPUT_ZONES: list[tzinfo] = [
    UTC,
    timezone(timedelta(hours=5, minutes=45)),
    timezone(-timedelta(hours=9, minutes=30)),
    LOS_ANGELES,
    ZURICH,
    LORD_HOWE,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Pacific/Chatham"),
]

# Starts of the reference-checked tests leave this many days of window for the answer.
ROOM_MINUTES = 60 * MINUTES_PER_DAY
LAST_START = WINDOW_MINUTES - ROOM_MINUTES - 1
MAX_TARGET_MINUTES = 72 * 60


def hypothesis_settings(examples: int) -> settings:
    """Reproducible runs (same cases every time, no example database), no deadline."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None)


@functools.cache
def calendar(name: str) -> BusinessCalendar:
    """The calendar under test, built once per calendar."""
    return BusinessCalendar.from_spec(ALL_SPECS[name])


@functools.cache
def reference(name: str) -> ReferenceCalendar:
    """The brute-force reference of the same spec, built once per calendar."""
    return ReferenceCalendar.build(ALL_SPECS[name])


def utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def local(
    zone: ZoneInfo,
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    *,
    fold: int = 0,
) -> datetime:
    """A wall time in ``zone`` (``fold=1`` picks the second of a repeated hour)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone, fold=fold)


# -- strategies ------------------------------------------------------------------------------

input_zones = st.sampled_from(INPUT_ZONES)
start_minutes = st.integers(0, LAST_START)
window_minutes = st.integers(0, WINDOW_MINUTES - 1)

# How the target of an add is chosen: a number of minutes, or the open time from the start
# up to its k-th next closing, nudged by -1, 0 or +1 minute (the next-opening rule).
target_choices = st.one_of(
    st.tuples(st.just("minutes"), st.just(0), st.just(0)),
    st.tuples(st.just("minutes"), st.integers(1, 180), st.just(0)),
    st.tuples(st.just("minutes"), st.integers(0, MAX_TARGET_MINUTES), st.just(0)),
    st.tuples(st.just("hours"), st.integers(0, MAX_TARGET_MINUTES // 60), st.just(0)),
    st.tuples(st.just("closing"), st.integers(1, 8), st.sampled_from((0, 0, 0, -1, 1))),
)


def target_minutes(ref: ReferenceCalendar, start: int, choice: tuple[str, int, int]) -> int:
    """The target in minutes for a ``target_choices`` value drawn for ``start``."""
    kind, value, nudge = choice
    if kind == "minutes":
        return value
    if kind == "hours":
        return value * 60
    closings = ref.closings_after(start, value)
    if len(closings) < value:  # open all the time: no closing to land on
        return value * 60
    return max(0, ref.between(start, closings[-1]) + nudge)


# Instants near the moments where things go wrong: DST changes of the calendars' zones,
# Thanksgiving, the Zurich year-end closure, midnight of the window's first day.
AWKWARD_INSTANTS = [
    datetime(2026, 1, 1, tzinfo=UTC),
    local(LOS_ANGELES, 2026, 3, 8, 2),
    local(LOS_ANGELES, 2026, 11, 1, 1, fold=1),
    local(ZoneInfo("America/New_York"), 2026, 3, 8, 2),
    local(ZoneInfo("America/New_York"), 2026, 11, 1, 1, fold=1),
    local(ZURICH, 2026, 3, 29, 2),
    local(ZURICH, 2026, 10, 25, 2, fold=1),
    local(LORD_HOWE, 2026, 4, 5, 1, 30, fold=1),
    local(LORD_HOWE, 2026, 10, 4, 2),
    local(LOS_ANGELES, 2026, 11, 25, 17, 30),
    local(ZURICH, 2026, 12, 23, 12),
]


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Any instant of 2026 to mid 2027, microsecond resolution, in any input zone.

    Wall times in an IANA zone may fall in a DST gap or overlap (``fold`` 0 or 1): they
    still name one instant, which is what the calendar must go by.
    """
    if draw(st.booleans()):
        t = draw(st.sampled_from(AWKWARD_INSTANTS)) + draw(
            st.timedeltas(min_value=-4 * HOUR, max_value=4 * HOUR)
        )
        return t.astimezone(draw(input_zones))
    naive = draw(st.datetimes(datetime(2026, 1, 1), datetime(2027, 6, 1)))
    return naive.replace(tzinfo=draw(input_zones), fold=draw(st.integers(0, 1)))


durations = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=72)),
    st.integers(0, 72).map(lambda hours: hours * HOUR),
    st.integers(0, 24 * 60).map(lambda minutes: minutes * MINUTE),
    st.just(timedelta(0)),
)


# -- the reference itself ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CALENDAR_NAMES)
def test_reference_due_matches_its_minute_walk(name: str) -> None:
    """The reference's O(log n) due instant is the literal minute walk of the spec."""
    ref = reference(name)
    for start in range(0, LAST_START, 7919 * 13):
        for minutes in (0, 1, 59, 60, 61, 8 * 60, 9 * 60, 24 * 60, MAX_TARGET_MINUTES):
            assert ref.due(start, minutes) == ref.due_walk(start, minutes)


# -- agreement with the reference at whole minutes ------------------------------------------


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(400)
@given(start=start_minutes, choice=target_choices, zone=input_zones)
def test_add_agrees_with_reference(
    name: str, start: int, choice: tuple[str, int, int], zone: tzinfo
) -> None:
    """``add`` returns the due instant of the minute walk, in UTC, for any input zone."""
    ref = reference(name)
    minutes = target_minutes(ref, start, choice)
    expected_index = ref.due(start, minutes)
    assert expected_index is not None, "the window leaves room for every due instant"
    start_at = ref.instant(start)
    expected = ref.instant(expected_index)

    got = calendar(name).add(start_at.astimezone(zone), minutes * MINUTE)

    assert got == expected, (
        f"{name}: add({start_at.isoformat()}, {minutes} min) expected {expected.isoformat()}"
        f" ({expected.astimezone(ref.zone).isoformat()}), got {got.isoformat()}"
    )
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(300)
@given(
    a=window_minutes,
    other=st.one_of(
        st.tuples(st.just("near"), st.integers(-4 * MINUTES_PER_DAY, 4 * MINUTES_PER_DAY)),
        st.tuples(st.just("anywhere"), window_minutes),
    ),
    zone=input_zones,
)
def test_between_agrees_with_reference(
    name: str, a: int, other: tuple[str, int], zone: tzinfo
) -> None:
    """``between`` is the open minutes of ``[a, b)``, negated when ``b < a``."""
    kind, value = other
    b = min(max(a + value, 0), WINDOW_MINUTES - 1) if kind == "near" else value
    ref = reference(name)
    a_at, b_at = ref.instant(a), ref.instant(b)

    got = calendar(name).between(a_at.astimezone(zone), b_at.astimezone(zone))

    expected = ref.between(a, b) * MINUTE
    assert got == expected, (
        f"{name}: between({a_at.isoformat()}, {b_at.isoformat()}) expected {expected}, got {got}"
    )


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(100)
@given(t=start_minutes, zone=input_zones)
def test_is_open_next_open_next_change_agree_with_reference(
    name: str, t: int, zone: tzinfo
) -> None:
    """Openness, the next opening and the next flip at a whole minute match the reference."""
    ref = reference(name)
    cal = calendar(name)
    at = ref.instant(t).astimezone(zone)

    assert cal.is_open(at) == ref.is_open(t), f"{name}: is_open({utc(at).isoformat()})"

    next_open = ref.next_open(t)
    assert next_open is not None, "every calendar opens within the room left after t"
    assert cal.next_open(at) == ref.instant(next_open), f"{name}: next_open({utc(at)})"

    got_change = cal.next_change(at)
    next_change = ref.next_change(t)
    if next_change is None:  # no flip up to the end of the window (open all the time)
        assert got_change is None or got_change >= WINDOW_END, f"{name}: next_change({at})"
    else:
        assert got_change == ref.instant(next_change), f"{name}: next_change({utc(at)})"


# -- algebraic laws at arbitrary instants -----------------------------------------------------


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(60)
@given(start=instants(), duration=durations)
def test_add_spends_exactly_the_target(name: str, start: datetime, duration: timedelta) -> None:
    """The due instant is in UTC, open, leaves exactly ``duration`` of open time since
    ``start``, and is the last such instant (one microsecond more is already too much)."""
    cal = calendar(name)

    due = cal.add(start, duration)

    assert due.utcoffset() == timedelta(0)
    assert due >= utc(start)
    assert cal.is_open(due)
    assert cal.between(start, due) == duration
    assert cal.between(start, due + MICROSECOND) == duration + MICROSECOND


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(60)
@given(s1=instants(), s2=instants(), d1=durations, d2=durations)
def test_add_is_monotone(
    name: str, s1: datetime, s2: datetime, d1: timedelta, d2: timedelta
) -> None:
    """A later start or a longer target never gives an earlier due instant."""
    cal = calendar(name)
    early, late = sorted((s1, s2), key=utc)
    short, long = sorted((d1, d2))

    assert cal.add(early, short) <= cal.add(late, short)
    assert cal.add(early, short) <= cal.add(early, long)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(60)
@given(a=instants(), b=instants(), c=instants())
def test_between_is_antisymmetric_and_additive(
    name: str, a: datetime, b: datetime, c: datetime
) -> None:
    """``between`` is a signed measure: it flips sign with the order and adds up over
    consecutive ranges in any order; it is never more than the elapsed time."""
    cal = calendar(name)

    assert cal.between(a, b) == -cal.between(b, a)
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)
    elapsed = utc(b) - utc(a)
    if elapsed >= timedelta(0):
        assert timedelta(0) <= cal.between(a, b) <= elapsed
    else:
        assert elapsed <= cal.between(a, b) <= timedelta(0)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(60)
@given(t=instants(), later=instants(), duration=durations)
def test_answers_depend_only_on_the_instant(
    name: str, t: datetime, later: datetime, duration: timedelta
) -> None:
    """The same instant in UTC or in a zone (even a wall time in a DST gap or overlap)
    gets the same answers."""
    cal = calendar(name)
    t_utc = utc(t)

    assert cal.add(t, duration) == cal.add(t_utc, duration)
    assert cal.between(t, later) == cal.between(t_utc, utc(later))
    assert cal.is_open(t) == cal.is_open(t_utc)
    assert cal.next_open(t) == cal.next_open(t_utc)
    assert cal.next_change(t) == cal.next_change(t_utc)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@hypothesis_settings(60)
@given(t=instants())
def test_next_open_and_next_change_are_consistent(name: str, t: datetime) -> None:
    """``next_open`` is the first open instant at or after t; ``next_change`` the first
    instant after t of the other state, with nothing but that state in between."""
    cal = calendar(name)
    open_now = cal.is_open(t)

    opening = cal.next_open(t)
    assert opening is not None
    assert opening.utcoffset() == timedelta(0)
    assert cal.is_open(opening)
    # (utc(t): an aware datetime in a repeated hour never equals one of another zone)
    if open_now:
        assert opening == utc(t)
    else:
        assert opening > utc(t)
    assert cal.between(t, opening) == timedelta(0)

    change = cal.next_change(t)
    if change is None:  # open all the time
        assert open_now
        return
    assert change > utc(t)
    assert cal.is_open(change) != open_now
    assert cal.between(t, change) == (change - utc(t) if open_now else timedelta(0))
    if not open_now:
        assert change == opening


# -- DST gap and overlap start times ---------------------------------------------------------


@pytest.mark.parametrize("name", CALENDAR_NAMES)
@pytest.mark.parametrize(
    "start",
    [
        local(LOS_ANGELES, 2026, 3, 8, 2, 30),  # does not exist: 02:00 -> 03:00
        local(LOS_ANGELES, 2026, 3, 8, 2, 30, fold=1),
        local(LOS_ANGELES, 2026, 11, 1, 1, 30),  # first 01:30 (PDT)
        local(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=1),  # second 01:30 (PST)
        local(ZURICH, 2026, 3, 29, 2, 30),  # does not exist: 02:00 -> 03:00
        local(ZURICH, 2026, 10, 25, 2, 30, fold=1),  # second 02:30 (CET)
        local(LORD_HOWE, 2026, 10, 4, 2, 15),  # does not exist: 02:00 -> 02:30
        local(LORD_HOWE, 2026, 4, 5, 1, 45, fold=1),  # second 01:45 (+10:30)
    ],
    ids=lambda t: f"{t.replace(tzinfo=None).isoformat()}-fold{t.fold}-{t.tzinfo}",
)
@pytest.mark.parametrize("duration", [timedelta(0), 30 * MINUTE, 5 * HOUR], ids=str)
def test_add_from_a_gap_or_overlap_wall_time_is_add_from_its_instant(
    name: str, start: datetime, duration: timedelta
) -> None:
    """A start given as a skipped or repeated wall time is the instant PEP 495 gives it."""
    cal = calendar(name)
    ref = reference(name)

    due = cal.add(start, duration)

    assert due == cal.add(utc(start), duration)
    expected = ref.due(ref.index(utc(start)), duration // MINUTE)
    assert expected is not None
    assert due == ref.instant(expected)


def test_gap_and_overlap_wall_times_name_the_expected_instants() -> None:
    """By hand: fold picks the offset before (0) or after (1) the change for these inputs."""
    assert utc(local(LOS_ANGELES, 2026, 3, 8, 2, 30)) == datetime(2026, 3, 8, 10, 30, tzinfo=UTC)
    assert utc(local(LOS_ANGELES, 2026, 3, 8, 2, 30, fold=1)) == datetime(
        2026, 3, 8, 9, 30, tzinfo=UTC
    )
    assert utc(local(LOS_ANGELES, 2026, 11, 1, 1, 30)) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert utc(local(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=1)) == datetime(
        2026, 11, 1, 9, 30, tzinfo=UTC
    )


def test_la_night_shift_add_from_gap_and_overlap_wall_times() -> None:
    """On la-night-shift (open 00:00-03:30 local), the wall time alone does not say how
    much of the night is left: the instant does."""
    cal = calendar("la-night-shift")
    # 02:30 (fold 0) on 2026-03-08 is 10:30 UTC = 03:30 PDT: closing time, so a zero target
    # is due at the next opening, 22:00 PDT = 05:00 UTC on 03-09.
    assert cal.add(local(LOS_ANGELES, 2026, 3, 8, 2, 30), timedelta(0)) == datetime(
        2026, 3, 9, 5, 0, tzinfo=UTC
    )
    # 02:30 (fold 1) is 09:30 UTC = 01:30 PST: one hour of night left until 03:30 PDT.
    gap_fold_1 = local(LOS_ANGELES, 2026, 3, 8, 2, 30, fold=1)
    assert cal.add(gap_fold_1, 30 * MINUTE) == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
    assert cal.add(gap_fold_1, HOUR) == datetime(2026, 3, 9, 5, 0, tzinfo=UTC)
    # The first 01:30 on 2026-11-01 (PDT, 08:30 UTC) has three hours left until 03:30 PST
    # (11:30 UTC), the second 01:30 (PST, 09:30 UTC) only two.
    assert cal.add(local(LOS_ANGELES, 2026, 11, 1, 1, 30), 2 * HOUR) == datetime(
        2026, 11, 1, 10, 30, tzinfo=UTC
    )
    assert cal.add(local(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=1), 2 * HOUR) == datetime(
        2026,
        11,
        2,
        6,
        0,
        tzinfo=UTC,  # 22:00 PST on 11-01
    )


# -- worked examples -----------------------------------------------------------------------


def check_add(name: str, start: datetime, duration: timedelta, due: datetime) -> None:
    """``add(start, duration)`` is ``due`` for the calendar under test and the reference."""
    ref = reference(name)
    expected = ref.due(ref.index(utc(start)), duration // MINUTE)
    assert expected is not None
    # (compared in UTC: an aware datetime in a repeated hour never equals one of another zone)
    assert ref.instant(expected) == utc(due), "the reference disagrees with the hand computation"
    assert calendar(name).add(start, duration) == utc(due)


def check_between(name: str, a: datetime, b: datetime, open_time: timedelta) -> None:
    """``between(a, b)`` is ``open_time`` for the calendar under test and the reference."""
    ref = reference(name)
    assert ref.between(ref.index(utc(a)), ref.index(utc(b))) * MINUTE == open_time
    assert calendar(name).between(a, b) == open_time
    assert calendar(name).between(b, a) == -open_time


def test_layer0_one_hour_target_over_thanksgiving() -> None:
    """The design's worked example: Thanksgiving and the Friday after are closed."""
    # Given Layer0 business hours (Mon-Fri 09:00-18:00 Pacific, US holidays)
    # When a 1-hour target starts on Wednesday 2026-11-25 at 17:30 Pacific
    # Then 30 minutes are used on Wednesday, Thu 26 and Fri 27 are holidays, the weekend
    # is closed, and the other 30 minutes end on Monday 2026-11-30 at 09:30 Pacific.
    start = local(LOS_ANGELES, 2026, 11, 25, 17, 30)
    check_add("layer0-business-hours", start, HOUR, local(LOS_ANGELES, 2026, 11, 30, 9, 30))


def test_target_used_up_at_closing_time_is_due_at_the_next_opening() -> None:
    """Due is the last instant with no more than the target used: the next opening."""
    # Given Mon-Fri 09:00-18:00 Pacific and an ordinary week
    # When a 1-hour target starts on Friday 2026-06-05 at 17:00
    # Then it is used up at 18:00 Friday, and the last instant with at most one hour used
    # is Monday 2026-06-08 at 09:00.
    name = "layer0-business-hours"
    friday_five = local(LOS_ANGELES, 2026, 6, 5, 17)
    check_add(name, friday_five, HOUR, local(LOS_ANGELES, 2026, 6, 8, 9))
    # A zero target at a closed instant (Saturday noon) is also due at the next opening,
    check_add(
        name, local(LOS_ANGELES, 2026, 6, 6, 12), timedelta(0), local(LOS_ANGELES, 2026, 6, 8, 9)
    )
    # and at an open instant it is due at once.
    check_add(name, friday_five, timedelta(0), friday_five)


def test_la_night_shift_on_dst_days() -> None:
    """la-night-shift is open 00:00-03:30 and 22:00-24:00 local on Sunday 2026-03-08 and
    2026-11-01; the 00:00-03:30 interval is 2.5 h and 4.5 h of real time on those days."""
    name = "la-night-shift"
    # Spring forward 02:00 PST -> 03:00 PDT: 00:00 PST is 08:00 UTC, 03:30 PDT is 10:30 UTC.
    check_between(
        name, local(LOS_ANGELES, 2026, 3, 8), local(LOS_ANGELES, 2026, 3, 8, 3, 30), 2.5 * HOUR
    )
    # The local day (23 h long) adds 22:00-24:00: 4.5 h open.
    check_between(name, local(LOS_ANGELES, 2026, 3, 8), local(LOS_ANGELES, 2026, 3, 9), 4.5 * HOUR)
    # Fall back 02:00 PDT -> 01:00 PST: 00:00 PDT is 07:00 UTC, 03:30 PST is 11:30 UTC.
    check_between(
        name, local(LOS_ANGELES, 2026, 11, 1), local(LOS_ANGELES, 2026, 11, 1, 3, 30), 4.5 * HOUR
    )
    # The local day (25 h long) adds 22:00-24:00: 6.5 h open.
    check_between(
        name, local(LOS_ANGELES, 2026, 11, 1), local(LOS_ANGELES, 2026, 11, 2), 6.5 * HOUR
    )

    # An add across the gap: from Saturday 23:00 PST (07:00 UTC) 1 h to midnight, then
    # 00:00-02:00 PST (2 h, to 10:00 UTC); the clock jumps to 03:00 PDT (still 10:00 UTC).
    saturday_eleven = local(LOS_ANGELES, 2026, 3, 7, 23)
    check_add(name, saturday_eleven, 3 * HOUR, local(LOS_ANGELES, 2026, 3, 8, 3))
    check_add(name, saturday_eleven, 3.25 * HOUR, local(LOS_ANGELES, 2026, 3, 8, 3, 15))
    # 3.5 h are used up at 03:30 PDT, the closing time: due at 22:00 PDT.
    check_add(name, saturday_eleven, 3.5 * HOUR, local(LOS_ANGELES, 2026, 3, 8, 22))
    # An add across the overlap: from Saturday 23:00 PDT (06:00 UTC) 5 h end at 11:00 UTC,
    # which is 03:00 PST after 01:00-02:00 has been open twice.
    saturday_eleven = local(LOS_ANGELES, 2026, 10, 31, 23)
    check_add(name, saturday_eleven, 5 * HOUR, local(LOS_ANGELES, 2026, 11, 1, 3))
    check_add(name, saturday_eleven, 5.5 * HOUR, local(LOS_ANGELES, 2026, 11, 1, 22))


def test_zurich_split_day_on_dst_days() -> None:
    """zurich-split-day is open 00:00-04:00 and 23:00-24:00 on Sundays; 00:00-04:00 is 3 h
    of real time on 2026-03-29 (02:00 -> 03:00) and 5 h on 2026-10-25 (03:00 -> 02:00)."""
    name = "zurich-split-day"
    # 00:00 CET is 23:00 UTC on 03-28, 04:00 CEST is 02:00 UTC: 3 h, plus 23:00-24:00.
    check_between(name, local(ZURICH, 2026, 3, 29), local(ZURICH, 2026, 3, 29, 4), 3 * HOUR)
    check_between(name, local(ZURICH, 2026, 3, 29), local(ZURICH, 2026, 3, 30), 4 * HOUR)
    # 00:00 CEST is 22:00 UTC on 10-24, 04:00 CET is 03:00 UTC: 5 h, plus 23:00-24:00.
    check_between(name, local(ZURICH, 2026, 10, 25), local(ZURICH, 2026, 10, 25, 4), 5 * HOUR)
    check_between(name, local(ZURICH, 2026, 10, 25), local(ZURICH, 2026, 10, 26), 6 * HOUR)

    # Across the gap: from 00:00 CET (23:00 UTC) 2 h of open time end at 01:00 UTC, which
    # reads 03:00 CEST; 3 h end at the 04:00 closing, so they are due at 23:00 CEST.
    sunday_midnight = local(ZURICH, 2026, 3, 29)
    check_add(name, sunday_midnight, 2 * HOUR, local(ZURICH, 2026, 3, 29, 3))
    check_add(name, sunday_midnight, 3 * HOUR, local(ZURICH, 2026, 3, 29, 23))
    # Across the overlap: from 00:00 CEST (22:00 UTC) 3.5 h end at 01:30 UTC, the second
    # 02:30 of the night (CET).
    check_add(
        name, local(ZURICH, 2026, 10, 25), 3.5 * HOUR, local(ZURICH, 2026, 10, 25, 2, 30, fold=1)
    )


def test_zurich_split_day_year_end_closure() -> None:
    """Closed dates, holidays and the rrule together close 2026-12-24 to 2027-01-03."""
    name = "zurich-split-day"
    # 12-24 is a closed date, 12-25/26 are holidays, 12-27..01-03 a closed period (with
    # 12-31 also closed by the rrule and 01-01 a holiday): nothing is open in between.
    check_between(name, local(ZURICH, 2026, 12, 24), local(ZURICH, 2027, 1, 4), timedelta(0))
    # A 1 h target from Wednesday 12-23 11:00 is used up at the 12:00 closing, so it is due
    # when the calendar opens again: Monday 2027-01-04 08:00 CET.
    check_add(name, local(ZURICH, 2026, 12, 23, 11), HOUR, local(ZURICH, 2027, 1, 4, 8))


def test_lord_howe_half_hour_dst_shift() -> None:
    """lord-howe is open 01:00-03:00 and 09:00-17:00 daily; the half-hour change falls at
    02:00 inside the night interval, which holds 2.5 h on 2026-04-05 (02:00 -> 01:30) and
    1.5 h on 2026-10-04 (02:00 -> 02:30)."""
    name = "lord-howe"
    # 01:00 +11:00 is 14:00 UTC on 04-04; 03:00 +10:30 is 16:30 UTC.
    check_between(name, local(LORD_HOWE, 2026, 4, 5), local(LORD_HOWE, 2026, 4, 5, 3), 2.5 * HOUR)
    check_between(name, local(LORD_HOWE, 2026, 4, 5), local(LORD_HOWE, 2026, 4, 6), 10.5 * HOUR)
    # 01:00 +10:30 is 14:30 UTC on 10-03; 03:00 +11:00 is 16:00 UTC.
    check_between(name, local(LORD_HOWE, 2026, 10, 4), local(LORD_HOWE, 2026, 10, 4, 3), 1.5 * HOUR)
    check_between(name, local(LORD_HOWE, 2026, 10, 4), local(LORD_HOWE, 2026, 10, 5), 9.5 * HOUR)

    # Across the gap: from 01:00 (14:30 UTC) 1 h ends at 15:30 UTC, which reads 02:30;
    # 1.5 h end at the 03:00 closing, so they are due at 09:00.
    night = local(LORD_HOWE, 2026, 10, 4, 1)
    check_add(name, night, HOUR, local(LORD_HOWE, 2026, 10, 4, 2, 30))
    check_add(name, night, 1.5 * HOUR, local(LORD_HOWE, 2026, 10, 4, 9))
    # Across the overlap: from 01:00 +11:00 (14:00 UTC) 2 h end at 16:00 UTC, which reads
    # 02:30 (+10:30) after 01:30-02:00 has been open twice.
    check_add(name, local(LORD_HOWE, 2026, 4, 5, 1), 2 * HOUR, local(LORD_HOWE, 2026, 4, 5, 2, 30))
