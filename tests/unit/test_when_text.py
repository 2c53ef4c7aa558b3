"""How the console writes an instant, a business duration and a lateness
(console.services.texts): one way everywhere.

The properties of :func:`when_text` are checked with hypothesis over eight zones (daylight
saving north and south, half- and three-quarter-hour offsets, a 30-minute DST shift) and
instants within a year of now: two instants on different days never read alike, a past
instant never reads as a future one, and every text reads back to its day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.model import Metric
from console.domain.policy import load_policies
from console.services.texts import (
    business_duration,
    business_span,
    date_text,
    day_text,
    format_span,
    overdue_text,
    target_text,
    used_text,
    when_text,
)

ZURICH = ZoneInfo("Europe/Zurich")
# Zones whose clocks never go back across midnight (a fall-back from 00:30 to 23:30 would
# make a later instant's local day an earlier one; none of these does that since 2001).
ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "Europe/Zurich",
        "America/Los_Angeles",
        "Australia/Sydney",
        "Asia/Kolkata",
        "Asia/Tokyo",
        "Pacific/Chatham",
        "Australia/Lord_Howe",
    )
]
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
YEAR = timedelta(days=365)

_CLOCK = r"(?:[01]\d|2[0-3]):[0-5]\d"
_TODAY = re.compile(rf"({_CLOCK})")
_NEAR = re.compile(rf"(tomorrow|earlier today|yesterday) ({_CLOCK})")
_LAST = re.compile(rf"last ({'|'.join(WEEKDAYS)}) ({_CLOCK})")
_DATED = re.compile(
    rf"({'|'.join(WEEKDAYS)}) ([1-9]\d?) ({'|'.join(MONTHS)})(?: (\d{{4}}))? ({_CLOCK})"
)


def day_of(text: str, zone: tzinfo, now: datetime) -> tuple[date, bool]:
    """The day ``text`` names, read the way a person at ``now`` in ``zone`` reads it, and
    whether it says the instant is past. Fails on a text of none of the forms."""
    today = now.astimezone(zone).date()
    if _TODAY.fullmatch(text):
        return today, False
    near = _NEAR.fullmatch(text)
    if near:
        shift = {"tomorrow": 1, "earlier today": 0, "yesterday": -1}[near[1]]
        return today + timedelta(days=shift), near[1] != "tomorrow"
    last = _LAST.fullmatch(text)
    if last:
        back = (today.weekday() - WEEKDAYS.index(last[1])) % 7
        assert 2 <= back <= 6, text
        return today - timedelta(days=back), True
    dated = _DATED.fullmatch(text)
    assert dated, f"{text!r} is none of the forms"
    year = int(dated[4]) if dated[4] else today.year
    assert year != today.year or not dated[4], f"{text!r} names the current year"
    day = date(year, MONTHS.index(dated[3]) + 1, int(dated[2]))
    assert WEEKDAYS[day.weekday()] == dated[1], f"{text!r}: the weekday is wrong"
    return day, day < today


instants = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 31), timezones=st.just(UTC)
)
within_a_year = st.timedeltas(min_value=-YEAR, max_value=YEAR)


# --------------------------------------------------------------------------- properties


@settings(max_examples=400, deadline=None)
@given(now=instants, offset=within_a_year, zone=st.sampled_from(ZONES))
def test_every_instant_reads_back_to_its_day_and_says_whether_it_is_past(
    now: datetime, offset: timedelta, zone: tzinfo
) -> None:
    moment = now + offset
    text = when_text(moment, zone, now)
    day, past = day_of(text, zone, now)
    assert day == moment.astimezone(zone).date()
    assert past == (moment < now), text
    assert text.endswith(f"{moment.astimezone(zone):%H:%M}")


@settings(max_examples=400, deadline=None)
@given(
    now=instants,
    first=within_a_year,
    second=within_a_year,
    zone=st.sampled_from(ZONES),
)
def test_instants_on_different_days_never_read_alike(
    now: datetime, first: timedelta, second: timedelta, zone: tzinfo
) -> None:
    a, b = now + first, now + second
    if a.astimezone(zone).date() != b.astimezone(zone).date():
        assert when_text(a, zone, now) != when_text(b, zone, now)


@settings(max_examples=400, deadline=None)
@given(
    now=instants,
    back=st.timedeltas(min_value=timedelta(microseconds=1), max_value=YEAR),
    ahead=st.timedeltas(min_value=timedelta(0), max_value=YEAR),
    zone=st.sampled_from(ZONES),
)
def test_a_past_instant_never_reads_like_a_future_one(
    now: datetime, back: timedelta, ahead: timedelta, zone: tzinfo
) -> None:
    past, future = when_text(now - back, zone, now), when_text(now + ahead, zone, now)
    assert past != future
    assert day_of(past, zone, now)[1] and not day_of(future, zone, now)[1]


# --------------------------------------------------------------------------- examples

NOW = datetime(2026, 12, 11, 13, 0, tzinfo=ZURICH)  # Fri 11 Dec 2026, 13:00


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 12, 11, 14, 5, tzinfo=ZURICH), "14:05"),
        (NOW, "13:00"),
        (datetime(2026, 12, 12, 9, 0, tzinfo=ZURICH), "tomorrow 09:00"),
        (datetime(2026, 12, 12, 13, 0, tzinfo=ZURICH), "tomorrow 13:00"),  # 24 h exactly
        (datetime(2026, 12, 12, 13, 1, tzinfo=ZURICH), "Sat 12 Dec 13:01"),  # over 24 h
        (datetime(2026, 12, 14, 10, 45, tzinfo=ZURICH), "Mon 14 Dec 10:45"),
        (datetime(2027, 1, 4, 9, 0, tzinfo=ZURICH), "Mon 4 Jan 2027 09:00"),
        (datetime(2026, 12, 11, 8, 10, tzinfo=ZURICH), "earlier today 08:10"),
        (datetime(2026, 12, 10, 16, 0, tzinfo=ZURICH), "yesterday 16:00"),
        (datetime(2026, 12, 7, 10, 45, tzinfo=ZURICH), "last Mon 10:45"),
        (datetime(2026, 12, 5, 10, 45, tzinfo=ZURICH), "last Sat 10:45"),
        (datetime(2026, 12, 4, 10, 45, tzinfo=ZURICH), "Fri 4 Dec 10:45"),  # a week back
        (datetime(2025, 12, 15, 9, 0, tzinfo=ZURICH), "Mon 15 Dec 2025 09:00"),
    ],
)
def test_the_forms_of_an_instant(moment: datetime, text: str) -> None:
    assert when_text(moment, ZURICH, NOW) == text


def test_last_monday_and_next_monday_never_read_alike() -> None:
    """The bug a user found: "Mon 10:45" in the queue was last Monday on one row and next
    Monday on another."""
    last = datetime(2026, 12, 7, 10, 45, tzinfo=ZURICH)
    coming = datetime(2026, 12, 14, 10, 45, tzinfo=ZURICH)
    assert when_text(last, ZURICH, NOW) == "last Mon 10:45"
    assert when_text(coming, ZURICH, NOW) == "Mon 14 Dec 10:45"


def test_the_zone_is_named_when_asked() -> None:
    opens = datetime(2026, 12, 12, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    now = opens - timedelta(hours=3)
    assert when_text(opens, opens.tzinfo, now, zone_name=True) == "09:00 PST"  # type: ignore[arg-type]
    assert when_text(opens, ZURICH, now, zone_name=True) == "18:00 CET"


def test_dates_have_no_leading_zero_and_the_weekday_where_it_matters() -> None:
    assert date_text(date(2026, 12, 8)) == "8 Dec"
    assert date_text(date(2026, 12, 8), year=True) == "8 Dec 2026"
    assert day_text(date(2026, 12, 8)) == "Tue 8 Dec"


# --------------------------------------------------------------------------- business time


@pytest.mark.parametrize(
    ("value", "days", "text"),
    [
        (timedelta(hours=24), False, "24 business hours"),
        (timedelta(hours=1), False, "1 business hour"),
        (timedelta(minutes=30), False, "30 business minutes"),
        (timedelta(minutes=1), False, "1 business minute"),
        (timedelta(hours=2, minutes=30), False, "2 business hours 30 minutes"),
        (timedelta(hours=48), True, "2 business days"),
        (timedelta(hours=24), True, "1 business day"),
        (timedelta(hours=36), True, "36 business hours"),  # not whole days
    ],
)
def test_business_durations_are_never_read_as_days(value: timedelta, days: bool, text: str) -> None:
    assert business_duration(value, days=days) == text


def test_business_countdowns_keep_their_hours_where_wall_clock_time_has_days() -> None:
    assert business_span(timedelta(hours=52, minutes=10)) == "52h 10m"
    assert business_span(timedelta(hours=24)) == "24h 00m"
    assert business_span(timedelta(minutes=12, seconds=9)) == "12m 09s"
    assert business_span(timedelta(minutes=12, seconds=9), seconds=False) == "12m"
    assert format_span(timedelta(hours=52, minutes=10)) == "2d 4h"  # wall clock: days


def test_the_lateness_is_labelled_as_business_time() -> None:
    assert overdue_text(timedelta(hours=32)) == "overdue 32h 00m (business time)"
    assert overdue_text(-timedelta(hours=1, minutes=5, seconds=3)) == (
        "overdue 1h 05m (business time)"
    )


def test_the_used_share_names_both_numbers() -> None:
    """A 12 business-hour target with 44 business hours counted (the tooltip that read
    "1d 20h of 12h 00m business time")."""
    assert used_text(timedelta(hours=44), timedelta(hours=12)) == (
        "367 % of the target used: 44 business hours counted against a target of 12 business hours"
    )


def test_targets_are_said_in_the_policys_units_on_its_named_calendars() -> None:
    policies = load_policies()
    zitadel, layer0 = policies["zitadel"], policies["layer0"]
    initial, rca = Metric.INITIAL_RESPONSE, Metric.PRELIMINARY_RCA

    def said(policy_id: str, plan: str, level: int, metric: Metric) -> str:
        policy = policies[policy_id]
        return target_text(policy.target(plan, level, metric), policy)

    assert said("zitadel", "extended", 4, initial) == "24 business hours on ZITADEL business hours"
    assert said("zitadel", "default", 1, initial) == "best effort"
    assert said("layer0", "enterprise", 3, initial) == "48 business hours on Layer0 business days"
    assert said("layer0", "developer", 1, initial) == "no timed target (Forums and Twitter)"
    assert said("liveperson", "standard", 1, rca) == "3 business days on LivePerson business days"
    assert said("moboom", "premium-partner", 4, initial) == "1 business day on Moboom weekdays"
    assert said("laioutr", "standard", 3, initial) == "12 business hours on Laioutr 24 / 5"
    escalation = zitadel.target("extended", 3, Metric.ESCALATION_RESPONSE)
    assert target_text(escalation, zitadel) == "1 business day on ZITADEL business days"
    assert target_text(None, layer0) == "no timed target"
    assert said("liveperson", "standard", 1, initial) == "1 business hour on LivePerson 24x7"
