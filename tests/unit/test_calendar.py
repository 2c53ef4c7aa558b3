"""BusinessCalendar: spec validation, worked examples from the seed policies, and behaviour
at the edges (DST, 24:00, holidays, intersections, closed periods, range limits)."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from calendars import SEED_SPECS, TRICKY_SPECS, weekly
from console.domain.calendar import BusinessCalendar
from console.domain.errors import CalendarRangeError, CalendarSpecError

LA = ZoneInfo("America/Los_Angeles")
ZURICH = ZoneInfo("Europe/Zurich")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def cal(name: str) -> BusinessCalendar:
    return BusinessCalendar.from_spec(SEED_SPECS.get(name) or TRICKY_SPECS[name])


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def local(zone: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=zone, fold=fold)  # type: ignore[misc]


def assert_due(
    calendar: BusinessCalendar, start: datetime, target: timedelta, expected: datetime
) -> None:
    """`add` gives ``expected``, in UTC, and `between` measures the target back."""
    due = calendar.add(start, target)
    assert due == expected, f"due {due.astimezone(expected.tzinfo)}, expected {expected}"
    assert due.utcoffset() == timedelta(0)
    assert calendar.between(start, due) == target


# --------------------------------------------------------------------------- worked examples


class TestSeedExamples:
    def test_layer0_sev2_before_thanksgiving_is_due_monday(self) -> None:
        # Given a Layer0 Sev2 (60 min in Business Hours, 09:00-18:00 Pacific)
        # When it arrives at 17:30 on the day before Thanksgiving
        # Then 30 minutes are used that evening, Thursday and Friday are Qualified
        # Holidays, and the rest runs out at 09:30 on Monday.
        assert_due(
            cal("layer0-business-hours"),
            local(LA, 2026, 11, 25, 17, 30),
            hours(1),
            local(LA, 2026, 11, 30, 9, 30),
        )

    def test_target_used_up_at_closing_time_is_due_at_next_opening(self) -> None:
        # Fri 17:00 + 1 business hour on 09:00-18:00 is due Mon 09:00 (DESIGN.md).
        assert_due(
            cal("layer0-business-hours"),
            local(LA, 2026, 11, 13, 17, 0),
            hours(1),
            local(LA, 2026, 11, 16, 9, 0),
        )

    def test_target_starting_while_closed_counts_from_next_opening(self) -> None:
        assert_due(
            cal("zitadel-business"),
            local(ZURICH, 2026, 11, 21, 11, 0),  # a Saturday
            hours(2),
            local(ZURICH, 2026, 11, 23, 10, 0),
        )

    def test_zero_target_while_closed_is_due_at_next_opening(self) -> None:
        assert_due(
            cal("zitadel-business"),
            local(ZURICH, 2026, 11, 20, 17, 0),
            timedelta(0),
            local(ZURICH, 2026, 11, 23, 8, 0),
        )

    def test_zero_target_while_open_is_due_at_once(self) -> None:
        start = local(ZURICH, 2026, 11, 20, 16, 59, 59)
        assert cal("zitadel-business").add(start, timedelta(0)) == start

    def test_layer0_sev3_48_hours_during_business_days_skips_christmas(self) -> None:
        # "Within 48 hours during Business Days": 48 h on a calendar open all day on
        # Business Days. Wed 23 Dec 12:00 has 12 h that day; 24 and 25 Dec are
        # Qualified Holidays, then the weekend; Mon 28 gives 24 h, Tue 29 the last 12.
        assert_due(
            cal("layer0-business-days"),
            local(LA, 2026, 12, 23, 12, 0),
            hours(48),
            local(LA, 2026, 12, 29, 12, 0),
        )

    def test_zitadel_extended_s3_twelve_business_hours_over_a_weekend(self) -> None:
        # Extended hours are 07:00-19:00 Mon-Fri Swiss time: Fri 15:00 leaves 4 h,
        # the other 8 h run Monday 07:00-15:00.
        assert_due(
            cal("zitadel-extended"),
            local(ZURICH, 2026, 11, 20, 15, 0),
            hours(12),
            local(ZURICH, 2026, 11, 23, 15, 0),
        )

    def test_zitadel_skips_st_gallen_holidays(self) -> None:
        # 1 Nov 2027 (All Saints' Day, a Monday) is a holiday in canton St. Gallen.
        assert_due(
            cal("zitadel-business"),
            local(ZURICH, 2027, 10, 29, 16, 0),
            hours(2),
            local(ZURICH, 2027, 11, 2, 9, 0),
        )

    def test_laioutr_s3_twelve_hours_on_24x5_skips_german_unity_day(self) -> None:
        # Fri 2 Oct 2026 18:00 Berlin: 6 h left on Friday, Sat 3 Oct (German Unity
        # Day) and Sunday are closed, so the other 6 h end Monday 06:00.
        assert_due(
            cal("laioutr-24x5"),
            local(BERLIN, 2026, 10, 2, 18, 0),
            hours(12),
            local(BERLIN, 2026, 10, 5, 6, 0),
        )

    def test_laioutr_s1_on_24x7_crosses_midnight_without_a_gap(self) -> None:
        assert_due(
            cal("laioutr-24x7"),
            local(BERLIN, 2026, 12, 31, 23, 30),
            hours(1),
            local(BERLIN, 2027, 1, 1, 0, 30),
        )

    def test_liveperson_s1_one_hour_across_the_dst_fall_back(self) -> None:
        # 24x7 in New York: one hour of real time, whatever the wall clock does.
        # (Python's own `start + hours(1)` is wall-clock arithmetic and would give
        # 02:30 EST, two real hours later.)
        start = local(NEW_YORK, 2026, 11, 1, 1, 30)  # first 01:30 (EDT)
        due = cal("liveperson-24x7").add(start, hours(1))
        assert due == start.astimezone(UTC) + hours(1)
        assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 1, 1, 30)
        assert due.astimezone(NEW_YORK).fold == 1


# --------------------------------------------------------------------------- DST


class TestDaylightSaving:
    def test_open_time_lost_in_the_spring_gap(self) -> None:
        # la-night-shift opens 00:00-03:30; on 8 Mar 2026 02:00-03:00 does not exist.
        calendar = cal("la-night-shift")
        day_start, day_end = local(LA, 2026, 3, 8, 0, 0), local(LA, 2026, 3, 8, 12, 0)
        assert calendar.between(day_start, day_end) == hours(2.5)
        # From 01:30 PST, 50 minutes are 30 before the gap and 20 after it.
        assert calendar.add(local(LA, 2026, 3, 8, 1, 30), timedelta(minutes=50)) == local(
            LA, 2026, 3, 8, 3, 20
        )
        # A full hour is used up exactly at the 03:30 close: due at the 22:00 opening.
        assert calendar.add(local(LA, 2026, 3, 8, 1, 30), hours(1)) == local(LA, 2026, 3, 8, 22)

    def test_repeated_hour_is_open_twice(self) -> None:
        calendar = cal("la-night-shift")
        assert calendar.between(local(LA, 2026, 11, 1, 0, 0), local(LA, 2026, 11, 1, 12)) == hours(
            4.5
        )
        # From the first 01:30, one hour of business time is the second 01:30.
        # (Compared in UTC: Python never finds a fold=1 time equal to another zone's.)
        due = calendar.add(local(LA, 2026, 11, 1, 1, 30), hours(1))
        assert due == local(LA, 2026, 11, 1, 1, 30, fold=1).astimezone(UTC)

    def test_sunday_of_the_spring_gap_holds_an_hour_less(self) -> None:
        # Europe/Zurich springs forward on Sunday 29 Mar 2026 (02:00 -> 03:00);
        # zurich-split-day opens Sunday 00:00-04:00, which that day holds 3 h.
        calendar = cal("zurich-split-day")
        sunday = local(ZURICH, 2026, 3, 29, 0, 0)
        assert calendar.between(sunday, sunday + hours(12)) == hours(3)
        # 01:30 UTC is 03:30 CEST, inside 00:00-04:00.
        assert calendar.is_open(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))

    def test_start_given_in_the_gap_is_the_instant_python_says(self) -> None:
        calendar = cal("la-night-shift")
        start = local(LA, 2026, 3, 8, 2, 30)  # does not exist; fold=0 reads it as PST
        assert calendar.add(start, hours(0.5)) == calendar.add(start.astimezone(UTC), hours(0.5))


class TestDstGapOpenness:
    def test_gap_and_overlap_instants(self) -> None:
        calendar = cal("zurich-split-day")
        # Sunday 29 Mar 2026 in Zurich: 00:00-02:00 CET, then 03:00-04:00 CEST.
        assert calendar.is_open(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 01:59 CET
        assert calendar.is_open(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 03:00 CEST
        assert not calendar.is_open(datetime(2026, 3, 29, 2, 0, tzinfo=UTC))  # 04:00 CEST
        assert calendar.next_change(datetime(2026, 3, 29, 0, 0, tzinfo=UTC)) == datetime(
            2026, 3, 29, 2, 0, tzinfo=UTC
        )


# --------------------------------------------------------------------------- queries


class TestQueries:
    def test_between_is_negative_backwards(self) -> None:
        calendar = cal("zitadel-business")
        a, b = local(ZURICH, 2026, 11, 20, 9), local(ZURICH, 2026, 11, 23, 10)
        assert calendar.between(a, b) == hours(10)
        assert calendar.between(b, a) == -hours(10)
        assert calendar.between(a, a) == timedelta(0)

    def test_next_open_and_next_change_for_closed_until_text(self) -> None:
        calendar = cal("layer0-business-hours")
        friday_evening = local(LA, 2026, 11, 20, 18, 0)
        assert not calendar.is_open(friday_evening)
        assert calendar.next_open(friday_evening) == local(LA, 2026, 11, 23, 9)
        assert calendar.next_change(friday_evening) == local(LA, 2026, 11, 23, 9)
        monday = local(LA, 2026, 11, 23, 9)
        assert calendar.is_open(monday)
        assert calendar.next_open(monday) == monday
        assert calendar.next_change(monday) == local(LA, 2026, 11, 23, 18)

    def test_24x7_never_changes(self) -> None:
        calendar = cal("liveperson-24x7")
        assert calendar.next_change(local(NEW_YORK, 2026, 6, 1, 12)) is None

    def test_24x5_closes_at_the_weekend_across_the_year_end(self) -> None:
        # Thu 31 Dec 2026 is open all day; the span runs into Friday 1 Jan 2027
        # (not a holiday on this calendar) and closes at Saturday 00:00.
        calendar = cal("liveperson-business-days")
        assert calendar.next_change(local(NEW_YORK, 2026, 12, 31, 12)) == local(
            NEW_YORK, 2027, 1, 2, 0
        )

    def test_results_are_utc_for_any_input_zone(self) -> None:
        calendar = cal("zitadel-extended")
        start = datetime(2026, 11, 20, 15, 0, tzinfo=ZURICH).astimezone(ZoneInfo("Asia/Tokyo"))
        due = calendar.add(start, hours(12))
        assert due.tzinfo is UTC
        assert due == local(ZURICH, 2026, 11, 23, 15, 0)

    def test_microseconds_are_exact(self) -> None:
        calendar = cal("zitadel-business")
        start = local(ZURICH, 2026, 11, 20, 16, 59, 59) + timedelta(microseconds=999_999)
        due = calendar.add(start, timedelta(microseconds=2))
        assert due == local(ZURICH, 2026, 11, 23, 8, 0) + timedelta(microseconds=1)

    def test_naive_instants_are_refused(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            cal("zitadel-business").add(datetime(2026, 1, 5, 9), hours(1))

    def test_negative_duration_is_refused(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            cal("zitadel-business").add(local(ZURICH, 2026, 1, 5, 9), -hours(1))

    def test_queries_far_apart_extend_the_calendar_both_ways(self) -> None:
        calendar = cal("layer0-business-hours")
        assert calendar.add(local(LA, 2040, 7, 3, 17, 30), hours(1)) == local(LA, 2040, 7, 5, 9, 30)
        # 2040-07-04 is a Wednesday: Independence Day.
        assert calendar.add(local(LA, 2001, 11, 21, 17, 30), hours(1)) == local(
            LA, 2001, 11, 26, 9, 30
        )
        assert calendar.between(local(LA, 2001, 1, 1), local(LA, 2040, 1, 1)) > hours(9 * 240 * 38)

    def test_long_targets_reach_years_ahead(self) -> None:
        calendar = cal("zitadel-business")
        start = local(ZURICH, 2026, 1, 5, 8)
        due = calendar.add(start, hours(9 * 250 * 3))
        assert calendar.between(start, due) == hours(9 * 250 * 3)
        # 750 nine-hour days, less holidays: late in 2028.
        assert (due.year, due.month) == (2028, 12)

    def test_out_of_range_instants_name_the_limits(self) -> None:
        with pytest.raises(CalendarRangeError, match="1901-2399"):
            cal("zitadel-business").is_open(datetime(2500, 1, 1, tzinfo=UTC))

    def test_calendar_that_stops_opening_is_reported(self) -> None:
        spec = {
            "timezone": "UTC",
            "hours": weekly(["09:00-10:00"]),
            "closed": [{"from": "2027-01-01", "to": "2045-12-31"}],
        }
        calendar = BusinessCalendar.from_spec(spec)
        with pytest.raises(CalendarRangeError, match="not open for"):
            calendar.add(datetime(2026, 12, 31, 9, 30, tzinfo=UTC), hours(1))
        assert calendar.next_open(datetime(2026, 12, 31, 11, tzinfo=UTC)) is None

    def test_open_spans_are_clipped(self) -> None:
        calendar = cal("zitadel-business")
        spans = calendar.open_spans(local(ZURICH, 2026, 11, 20, 12), local(ZURICH, 2026, 11, 23, 9))
        assert spans == [
            (local(ZURICH, 2026, 11, 20, 12), local(ZURICH, 2026, 11, 20, 17)),
            (local(ZURICH, 2026, 11, 23, 8), local(ZURICH, 2026, 11, 23, 9)),
        ]

    def test_concurrent_first_queries_agree(self) -> None:
        calendar = cal("layer0-business-hours")
        starts = [local(LA, 2030 + i % 7, 3, 2, 17, 30) for i in range(64)]
        results: dict[int, datetime] = {}

        def work(i: int) -> None:
            results[i] = calendar.add(starts[i], hours(3))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fresh = cal("layer0-business-hours")
        assert results == {i: fresh.add(s, hours(3)) for i, s in enumerate(starts)}


# --------------------------------------------------------------------------- closed dates


class TestClosedDays:
    def test_layer0_qualified_holidays_2026(self) -> None:
        days = cal("layer0-business-hours").closed_days(date(2026, 1, 1), date(2026, 12, 31))
        assert [(d.day.isoformat(), d.reason) for d in days] == [
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Martin Luther King Jr. Day"),
            ("2026-05-25", "Memorial Day"),
            ("2026-07-03", "Independence Day (observed)"),
            ("2026-07-04", "Independence Day"),
            ("2026-09-07", "Labor Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-11-27", "Friday after Thanksgiving"),
            ("2026-12-24", "Christmas Eve"),
            ("2026-12-25", "Christmas Day"),
            ("2026-12-31", "New Year's Eve"),
        ]

    def test_observed_holiday_closes_the_weekday(self) -> None:
        # Independence Day 2026 is a Saturday, observed Friday 3 July.
        calendar = cal("layer0-business-hours")
        assert not calendar.is_open(local(LA, 2026, 7, 3, 12))
        assert calendar.is_open(local(LA, 2026, 7, 2, 12))

    def test_closed_dates_periods_and_rules(self) -> None:
        calendar = cal("zurich-split-day")
        days = {d.day for d in calendar.closed_days(date(2026, 12, 20), date(2027, 1, 5))}
        expected = {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 31)}
        expected |= {date(2026, 12, 27) + timedelta(days=i) for i in range(8)}
        assert days == expected
        assert not calendar.is_open(local(ZURICH, 2026, 12, 28, 9))
        assert calendar.is_open(local(ZURICH, 2027, 1, 4, 9))

    def test_with_closed_adds_company_holiday_periods(self) -> None:
        base = cal("laioutr-24x5")
        closed = base.with_closed([(date(2026, 12, 21), date(2026, 12, 23), "Company holidays")])
        start = local(BERLIN, 2026, 12, 18, 12)
        assert base.add(start, hours(24)) == local(BERLIN, 2026, 12, 21, 12)
        assert closed.add(start, hours(24)) == local(BERLIN, 2026, 12, 24, 12)
        assert closed != base
        assert closed.with_closed([]) is closed
        assert "Company holidays" in {
            d.reason for d in closed.closed_days(date(2026, 12, 21), date(2026, 12, 21))
        }


# --------------------------------------------------------------------------- identity


class TestIdentityAndIntersection:
    def test_equal_specs_give_equal_hashable_calendars(self) -> None:
        a = BusinessCalendar.from_spec(SEED_SPECS["zitadel-business"])
        b = BusinessCalendar.from_spec(copy.deepcopy(SEED_SPECS["zitadel-business"]))
        assert a == b and hash(a) == hash(b)
        assert len({a, b, cal("zitadel-extended")}) == 2

    def test_calendars_are_immutable(self) -> None:
        calendar = cal("zitadel-business")
        with pytest.raises(AttributeError):
            calendar.timezone = UTC  # type: ignore[misc]
        with pytest.raises(AttributeError):
            calendar.extra = 1  # type: ignore[attr-defined]

    def test_intersection_of_customer_and_team_hours(self) -> None:
        # A Zurich team 08:00-17:00 serving a New York customer 09:00-18:00 Eastern:
        # in November both are open 15:00-17:00 Zurich (09:00-11:00 New York).
        customer = BusinessCalendar.from_spec(
            {"timezone": "America/New_York", "hours": weekly(["09:00-18:00"])}
        )
        both = cal("zitadel-business").intersect(customer)
        assert both == customer.intersect(cal("zitadel-business"))
        assert both.intersect(both) is both
        monday = local(ZURICH, 2026, 11, 23, 0)
        assert both.open_spans(monday, monday + hours(24)) == [
            (local(ZURICH, 2026, 11, 23, 15), local(ZURICH, 2026, 11, 23, 17))
        ]
        # 1 h on Monday, 2 h on Tuesday: used up at Tuesday's close, so due when
        # both open again on Wednesday.
        assert both.add(local(ZURICH, 2026, 11, 23, 16), hours(3)) == local(
            ZURICH, 2026, 11, 25, 15
        )

    def test_intersection_where_dst_dates_differ(self) -> None:
        # 9-22 Mar 2026: New York is on EDT, Zurich still on CET, so the overlap
        # grows to 14:00-17:00 Zurich.
        customer = BusinessCalendar.from_spec(
            {"timezone": "America/New_York", "hours": weekly(["09:00-18:00"])}
        )
        both = cal("zitadel-business").intersect(customer)
        tuesday = local(ZURICH, 2026, 3, 17, 0)
        assert both.between(tuesday, tuesday + hours(24)) == hours(3)


# --------------------------------------------------------------------------- spec errors


def spec_with(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = copy.deepcopy(TRICKY_SPECS["zurich-split-day"])
    spec.update(changes)
    return spec


@pytest.mark.parametrize(
    ("spec", "path", "message"),
    [
        (spec_with(colour="red"), "colour", "unknown key"),
        ({"hours": weekly(["09:00-17:00"])}, "timezone", "missing"),
        (spec_with(timezone="Mars/Olympus"), "timezone", "not an IANA time zone"),
        (spec_with(timezone=7), "timezone", "expected a string"),
        (spec_with(hours={"mon": ["09:00-17:00"], "fri ": []}), "hours.fri ", "unknown key"),
        (spec_with(hours={"mon": ["9-17"]}), "hours.mon[0]", "not an interval"),
        (spec_with(hours={"mon": ["08:00-12:00", "25:00-26:00"]}), "hours.mon[1]", "start"),
        (spec_with(hours={"tue": ["08:00-24:30"]}), "hours.tue[0]", "end is not"),
        (spec_with(hours={"wed": ["17:00-09:00"]}), "hours.wed[0]", "ends before it starts"),
        (spec_with(hours={"wed": ["09:00-09:00"]}), "hours.wed[0]", "empty"),
        (spec_with(hours={"thu": ["08:00-12:00", "11:00-13:00"]}), "hours.thu[1]", "overlaps"),
        (spec_with(hours={"mon": "09:00-17:00"}), "hours.mon", "expected a list"),
        (spec_with(hours={"sat": []}), "hours", "never open"),
        (spec_with(holidays=[{"country": "XX"}]), "holidays[0].country", "not a country"),
        (spec_with(holidays=[{"subdiv": "SG"}]), "holidays[0].country", "missing"),
        (
            spec_with(holidays=[{"country": "CH"}, {"country": "CH", "subdiv": "XY"}]),
            "holidays[1].subdiv",
            "not a subdivision of CH",
        ),
        (
            spec_with(holidays=[{"country": "US", "names": ["Thanksgiving"]}]),
            "holidays[0].names[0]",
            "not a holiday of US",
        ),
        (
            spec_with(holidays=[{"country": "US", "categories": ["bogus"]}]),
            "holidays[0].categories",
            "bogus",
        ),
        (
            spec_with(holidays=[{"country": "US", "shift_days": "1"}]),
            "holidays[0].shift_days",
            "whole number",
        ),
        (spec_with(holidays=[{"country": "US", "when": 1}]), "holidays[0].when", "unknown key"),
        (spec_with(closed=["2026-13-01"]), "closed[0]", "not a date"),
        (
            spec_with(closed=["2026-12-24", {"from": "2026-12-31", "to": "2026-12-27"}]),
            "closed[1].to",
            "before",
        ),
        (spec_with(closed=[{"from": "2026-12-27"}]), "closed[0].to", "missing"),
        (spec_with(rrule_closed=["FREQ=SOMETIMES"]), "rrule_closed[0]", "not a valid RRULE"),
    ],
)
def test_spec_errors_name_the_key_path(spec: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(CalendarSpecError, match=message) as caught:
        BusinessCalendar.from_spec(spec)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")


def test_spec_error_can_be_placed_under_a_policy_path() -> None:
    with pytest.raises(CalendarSpecError) as caught:
        BusinessCalendar.from_spec(spec_with(hours={"mon": ["9-17"]}))
    assert str(caught.value.within("calendars.business")) == (
        "calendars.business.hours.mon[0]: '9-17' is not an interval like '09:00-18:00'"
    )


def test_every_seed_calendar_loads() -> None:
    for name, spec in {**SEED_SPECS, **TRICKY_SPECS}.items():
        calendar = BusinessCalendar.from_spec(spec)
        assert calendar.between(
            datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
        ) > timedelta(0), name


def test_clock_changes_are_exact_to_the_second() -> None:
    from console.domain.calendar import clock_changes

    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert clock_changes(LA, *year) == [
        (datetime(2026, 3, 8, 10, tzinfo=UTC), timedelta(hours=-8), timedelta(hours=-7)),
        (datetime(2026, 11, 1, 9, tzinfo=UTC), timedelta(hours=-7), timedelta(hours=-8)),
    ]
    lord_howe = clock_changes(ZoneInfo("Australia/Lord_Howe"), *year)
    assert [after - before for _, before, after in lord_howe] == [
        timedelta(minutes=-30),
        timedelta(minutes=30),
    ]
    assert clock_changes(ZoneInfo("Asia/Tokyo"), *year) == []
