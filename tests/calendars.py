"""Calendar specs used across the tests: the seed calendars of DESIGN.md section 1 and
synthetic ones that put DST transitions, several intervals and midnight inside open hours."""

from __future__ import annotations

from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL_DAYS = (*WEEKDAYS, "sat", "sun")


def weekly(hours: list[str], days: tuple[str, ...] = WEEKDAYS) -> dict[str, list[str]]:
    return {day: list(hours) for day in days}


LAYER0_QUALIFIED_HOLIDAYS: list[dict[str, Any]] = [
    {
        "country": "US",
        "names": [
            "New Year's Day",
            "Martin Luther King Jr. Day",
            "Memorial Day",
            "Independence Day",
            "Labor Day",
            "Thanksgiving Day",
            "Christmas Day",
        ],
    },
    {
        "country": "US",
        "names": ["Thanksgiving Day"],
        "shift_days": 1,
        "label": "Friday after Thanksgiving",
    },
    {"country": "US", "categories": ["unofficial"], "names": ["Christmas Eve", "New Year's Eve"]},
]

SWISS_HOLIDAYS: list[dict[str, Any]] = [{"country": "CH", "subdiv": "SG"}]
GERMAN_HOLIDAYS: list[dict[str, Any]] = [{"country": "DE"}]

# The calendars the five seed policies need.
SEED_SPECS: dict[str, dict[str, Any]] = {
    "layer0-24x7": {"timezone": "America/Los_Angeles", "hours": weekly(["00:00-24:00"], ALL_DAYS)},
    "layer0-business-hours": {
        "timezone": "America/Los_Angeles",
        "hours": weekly(["09:00-18:00"]),
        "holidays": LAYER0_QUALIFIED_HOLIDAYS,
    },
    "layer0-business-days": {
        "timezone": "America/Los_Angeles",
        "hours": weekly(["00:00-24:00"]),
        "holidays": LAYER0_QUALIFIED_HOLIDAYS,
    },
    "laioutr-24x7": {"timezone": "Europe/Berlin", "hours": weekly(["00:00-24:00"], ALL_DAYS)},
    "laioutr-24x5": {
        "timezone": "Europe/Berlin",
        "hours": weekly(["00:00-24:00"]),
        "holidays": GERMAN_HOLIDAYS,
    },
    "moboom-24x5": {"timezone": "America/Los_Angeles", "hours": weekly(["00:00-24:00"])},
    "zitadel-business": {
        "timezone": "Europe/Zurich",
        "hours": weekly(["08:00-17:00"]),
        "holidays": SWISS_HOLIDAYS,
    },
    "zitadel-extended": {
        "timezone": "Europe/Zurich",
        "hours": weekly(["07:00-19:00"]),
        "holidays": SWISS_HOLIDAYS,
    },
    "liveperson-24x7": {"timezone": "America/New_York", "hours": weekly(["00:00-24:00"], ALL_DAYS)},
    "liveperson-business-days": {"timezone": "America/New_York", "hours": weekly(["00:00-24:00"])},
}

# Calendars built to be awkward: DST changes inside open hours, several intervals
# a day, intervals ending at 24:00 and joining the next day, different hours per
# weekday, extra closed dates and rules.
TRICKY_SPECS: dict[str, dict[str, Any]] = {
    # Open across the 02:00 spring-forward and 01:00-02:00 fall-back hours.
    "la-night-shift": {
        "timezone": "America/Los_Angeles",
        "hours": {
            **weekly(["00:00-03:30", "22:00-24:00"], ALL_DAYS),
            "wed": ["01:15-02:45", "09:00-12:00", "13:00-17:30"],
        },
        "holidays": LAYER0_QUALIFIED_HOLIDAYS,
    },
    "zurich-split-day": {
        "timezone": "Europe/Zurich",
        "hours": {
            "mon": ["08:00-12:00", "13:00-17:00"],
            "tue": ["08:00-17:00"],
            "wed": ["02:00-03:00", "08:00-12:00"],
            "thu": ["08:00-12:00", "13:00-17:00", "20:00-24:00"],
            "fri": ["00:00-01:00", "08:00-16:00"],
            "sat": ["01:30-03:30"],
            "sun": ["00:00-04:00", "23:00-24:00"],
        },
        "holidays": SWISS_HOLIDAYS,
        "closed": ["2026-12-24", {"from": "2026-12-27", "to": "2027-01-03"}],
        "rrule_closed": ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"],
    },
    "berlin-late": {
        "timezone": "Europe/Berlin",
        "hours": weekly(["00:00-02:30", "02:45-03:15", "18:00-24:00"], ALL_DAYS),
        "holidays": GERMAN_HOLIDAYS,
    },
    "new-york-overnight": {
        "timezone": "America/New_York",
        "hours": {
            "mon": ["00:00-24:00"],
            "tue": ["01:30-02:30"],
            "wed": [],
            "thu": ["06:00-06:01", "23:59-24:00"],
            "fri": ["00:00-01:00"],
            "sat": ["00:30-02:30"],
            "sun": ["00:00-24:00"],
        },
    },
    # Half-hour DST shift, southern hemisphere.
    "lord-howe": {
        "timezone": "Australia/Lord_Howe",
        "hours": weekly(["01:00-03:00", "09:00-17:00"], ALL_DAYS),
    },
}

ALL_SPECS: dict[str, dict[str, Any]] = {**SEED_SPECS, **TRICKY_SPECS}
