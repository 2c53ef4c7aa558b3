"""A brute-force business calendar: one open/closed flag per UTC minute over a fixed window.

It is the oracle of ``test_calendar_properties.py`` and shares no code with
``console.domain.calendar``. Only the list of closed local dates (holidays, closed
periods, rrule dates) is taken from the calendar under test, via ``closed_days``;
everything else is decided here, minute by minute, from the local wall time:

* an instant is open iff its wall time in the calendar's zone lies in one of the
  half-open ``[start, end)`` intervals of its local weekday and its local date is not
  closed (a wall time skipped by DST is never seen, a repeated one is seen twice);
* every interval boundary and every UTC offset of the zones used is a whole minute, so
  each minute ``[t, t + 1 min)`` is uniformly open or closed and one flag per minute is
  exact.

Minutes are identified by their index ``i`` in the window: minute ``i`` starts at
``WINDOW_START + i minutes``. ``cumulative[i]`` counts the open minutes in ``[0, i)``.
"""

from __future__ import annotations

import functools
import itertools
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from console.domain.calendar import BusinessCalendar

WINDOW_START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW_END = datetime(2027, 7, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
WINDOW_MINUTES = (WINDOW_END - WINDOW_START) // MINUTE
MINUTES_PER_DAY = 24 * 60
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()


def minute_of_day(text: str) -> int:
    """``"HH:MM"`` as minutes after midnight; ``"24:00"`` is 1440 (end of the day)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def weekday_masks(hours: Mapping[str, list[str]]) -> list[bytes]:
    """Per weekday (Monday first) 1440 flags: 1 where the minute of the day is open."""
    masks = []
    for key in WEEKDAY_KEYS:
        mask = bytearray(MINUTES_PER_DAY)
        for interval in hours.get(key, []):
            start_text, end_text = interval.split("-")
            for minute in range(minute_of_day(start_text), minute_of_day(end_text)):
                mask[minute] = 1
        masks.append(bytes(mask))
    return masks


@functools.cache
def wall_clock(zone_name: str) -> tuple[array[int], array[int]]:
    """For every minute of the window: its local date (ordinal) and local minute of the day."""
    zone = ZoneInfo(zone_name)
    ordinals: array[int] = array("l")
    minutes: array[int] = array("H")
    for index in range(WINDOW_MINUTES):
        local = (WINDOW_START + index * MINUTE).astimezone(zone)
        ordinals.append(local.toordinal())
        minutes.append(local.hour * 60 + local.minute)
    return ordinals, minutes


@dataclass(frozen=True)
class ReferenceCalendar:
    """Per-minute flags of one calendar spec, plus the operations computed from them."""

    zone: ZoneInfo
    flags: bytes
    cumulative: array[int]

    @classmethod
    def build(cls, spec: Mapping[str, Any]) -> ReferenceCalendar:
        zone_name: str = spec["timezone"]
        ordinals, minutes = wall_clock(zone_name)
        # Only the closed dates come from the implementation (the holiday lookup is not
        # what these tests are about).
        closed = {
            closed_day.day
            for closed_day in BusinessCalendar.from_spec(spec).closed_days(
                date.fromordinal(ordinals[0]), date.fromordinal(ordinals[-1])
            )
        }
        by_weekday = weekday_masks(spec.get("hours", {}))
        all_closed = bytes(MINUTES_PER_DAY)
        day_masks: dict[int, bytes] = {}
        for ordinal in range(ordinals[0], ordinals[-1] + 1):
            day = date.fromordinal(ordinal)
            day_masks[ordinal] = all_closed if day in closed else by_weekday[day.weekday()]
        flags = bytes(
            day_masks[ordinal][minute] for ordinal, minute in zip(ordinals, minutes, strict=True)
        )
        cumulative = array("l", itertools.accumulate(flags, initial=0))
        return cls(ZoneInfo(zone_name), flags, cumulative)

    # -- minute indexes <-> instants -------------------------------------------------------

    @staticmethod
    def index(t: datetime) -> int:
        """The minute index of a minute-aligned instant inside the window."""
        offset = t - WINDOW_START
        if offset % MINUTE or not 0 <= offset // MINUTE < WINDOW_MINUTES:
            raise ValueError(f"{t} is not a minute of the reference window")
        return offset // MINUTE

    @staticmethod
    def instant(index: int) -> datetime:
        """The UTC instant at which minute ``index`` starts."""
        return WINDOW_START + index * MINUTE

    # -- the operations, on minute indexes ---------------------------------------------------

    def is_open(self, index: int) -> bool:
        return self.flags[index] == 1

    def between(self, a: int, b: int) -> int:
        """Open minutes in ``[a, b)``; minus the open minutes in ``[b, a)`` when ``b < a``."""
        return self.cumulative[b] - self.cumulative[a]

    def due_walk(self, start: int, minutes: int) -> int | None:
        """The due minute of a ``minutes`` target, literally walking the minutes one by one.

        At each minute: if it is open and the target is used up, it is the due instant;
        if it is open otherwise, one more minute is used. None past the window.
        """
        used = 0
        for index in range(start, WINDOW_MINUTES):
            if self.flags[index]:
                if used == minutes:
                    return index
                used += 1
        return None

    def due(self, start: int, minutes: int) -> int | None:
        """``due_walk`` in O(log n): the first open minute ``m >= start`` with ``minutes``
        open minutes in ``[start, m)`` is the minute before the first ``j`` whose count
        ``cumulative[j] - cumulative[start]`` reaches ``minutes + 1``."""
        target = self.cumulative[start] + minutes + 1
        j = bisect_left(self.cumulative, target, lo=start)
        return j - 1 if j <= WINDOW_MINUTES else None

    def next_open(self, index: int) -> int | None:
        """The first open minute at or after ``index``; None when none is in the window."""
        found = self.flags.find(1, index)
        return None if found < 0 else found

    def next_change(self, index: int) -> int | None:
        """The first minute after ``index`` whose flag differs; None when none is in the window."""
        found = self.flags.find(1 - self.flags[index], index + 1)
        return None if found < 0 else found

    def closings_after(self, index: int, count: int) -> list[int]:
        """Up to ``count`` closing minutes (open before, closed from there) after ``index``."""
        closings: list[int] = []
        position = index
        while len(closings) < count:
            opening = self.flags.find(1, position)
            closing = -1 if opening < 0 else self.flags.find(0, opening)
            if closing < 0:
                break
            closings.append(closing)
            position = closing
        return closings
