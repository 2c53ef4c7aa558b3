"""Open spans: the instants a calendar is open, as merged ``[start, end)`` integer intervals.

Instants are integer microseconds since the Unix epoch (UTC). A span source lists the open
spans of any UTC range: :class:`WeeklySource` from a spec's weekly local hours and closed
days, :class:`IntersectionSource` from two other sources.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from console.domain.calendar_spec import DEFAULT_RRULE_START, CalendarSpec, ClosedDay, rule_zone

MICROSECOND = timedelta(microseconds=1)
SECOND_US = 1_000_000
_MINUTE_US = 60 * SECOND_US
DAY_US = 86_400 * SECOND_US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Time zone offsets are sampled this often to find transitions, then bisected to
# the second. No zone in the tz database has two transitions within 3 hours.
_SAMPLE_SECONDS = 3 * 3600


def to_us(t: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    try:
        return (t - EPOCH) // MICROSECOND
    except TypeError:
        raise ValueError(f"{t!r} is naive: instants must carry a time zone") from None


def from_us(us: int) -> datetime:
    """The UTC datetime of microseconds since the epoch."""
    return EPOCH + timedelta(0, 0, us)


class SpanSource(Protocol):
    """Something that can list open spans of a UTC range."""

    @property
    def key(self) -> object: ...

    @property
    def zone(self) -> tzinfo: ...

    def spans(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Merged open spans clipped to ``[lo, hi)``, in microseconds since the epoch."""
        ...

    def closed_days(self, first: date, last: date) -> list[ClosedDay]: ...


def _offset_us(zone: tzinfo, second: int) -> int:
    offset = datetime.fromtimestamp(second, zone).utcoffset()
    assert offset is not None
    return offset // MICROSECOND


def _offset_segments(zone: tzinfo, lo_s: int, hi_s: int) -> tuple[list[int], list[int]]:
    """Constant-offset segments covering ``[lo_s, hi_s]`` seconds: their starts and offsets (µs).

    Segment ``k`` runs from ``starts[k]`` to ``starts[k + 1]`` (exclusive).
    """
    starts = [lo_s * SECOND_US]
    offsets = [_offset_us(zone, lo_s)]
    prev_s, prev_off = lo_s, offsets[0]
    s = lo_s
    while s < hi_s:
        s = min(s + _SAMPLE_SECONDS, hi_s)
        off = _offset_us(zone, s)
        if off != prev_off:
            # The transition is the first second in (prev_s, s] with the new offset.
            a, b = prev_s, s
            while b - a > 1:
                mid = (a + b) // 2
                if _offset_us(zone, mid) == prev_off:
                    a = mid
                else:
                    b = mid
            starts.append(b * SECOND_US)
            offsets.append(off)
            prev_off = off
        prev_s = s
    return starts, offsets


def clock_changes(
    zone: tzinfo, start: datetime, end: datetime
) -> list[tuple[datetime, timedelta, timedelta]]:
    """The instants in ``(start, end]`` (UTC, to the second) at which ``zone``'s UTC offset
    changes, each with the offsets before and after."""
    starts, offsets = _offset_segments(zone, to_us(start) // SECOND_US, -(-to_us(end) // SECOND_US))
    return [
        (from_us(starts[k]), timedelta(0, 0, offsets[k - 1]), timedelta(0, 0, offsets[k]))
        for k in range(1, len(starts))
    ]


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and join those that overlap or touch."""
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class WeeklySource:
    """Open spans from weekly local hours, minus closed dates."""

    __slots__ = ("_rules", "_spec", "_zone")

    def __init__(self, spec: CalendarSpec) -> None:
        self._spec = spec
        self._zone = ZoneInfo(spec.timezone)
        parsed: list[rrule | rruleset] = [
            rrulestr(text, dtstart=DEFAULT_RRULE_START, forceset=True) for text in spec.rrules
        ]
        self._rules = tuple(parsed)

    @property
    def key(self) -> object:
        return self._spec

    @property
    def spec(self) -> CalendarSpec:
        return self._spec

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def closed_days(self, first: date, last: date) -> list[ClosedDay]:
        spec = self._spec
        found: list[ClosedDay] = []
        for rule in spec.holidays:
            found.extend(rule.closed_days(first, last))
        for start, end, reason in spec.closed:
            day = max(start, first)
            while day <= min(end, last):
                found.append(ClosedDay(day, reason))
                day += timedelta(days=1)
        lo = datetime.combine(first, datetime.min.time())
        hi = datetime.combine(last, datetime.max.time())
        for text, recurrence in zip(spec.rrules, self._rules, strict=True):
            zone = rule_zone(recurrence)
            for when in recurrence.between(
                lo.replace(tzinfo=zone), hi.replace(tzinfo=zone), inc=True
            ):
                found.append(ClosedDay(when.date(), text))
        found.sort(key=lambda c: (c.day, c.reason))
        return found

    def spans(self, lo: int, hi: int) -> list[tuple[int, int]]:
        week = self._spec.week
        # Local dates whose wall intervals can reach into [lo, hi): UTC offsets
        # stay within ±26 h.
        first = date.fromordinal(EPOCH_ORDINAL + lo // DAY_US - 2)
        last = date.fromordinal(EPOCH_ORDINAL + (hi - 1) // DAY_US + 2)
        closed = {c.day for c in self.closed_days(first, last)}
        seg_starts, seg_offsets = _offset_segments(
            self._zone, lo // SECOND_US - 3 * 86_400, hi // SECOND_US + 3 * 86_400
        )
        seg_count = len(seg_starts)
        max_off = max(seg_offsets)
        min_off = min(seg_offsets)
        out: list[tuple[int, int]] = []
        ordinal = first.toordinal()
        day = first
        while day <= last:
            if day not in closed:
                midnight = (ordinal - EPOCH_ORDINAL) * DAY_US
                for m0, m1 in week[day.weekday()]:
                    wall_a = midnight + m0 * _MINUTE_US
                    wall_b = midnight + m1 * _MINUTE_US
                    # Every segment whose instants can show a wall time in [a, b).
                    k = max(bisect_right(seg_starts, wall_a - max_off) - 1, 0)
                    while k < seg_count and seg_starts[k] < wall_b - min_off:
                        off = seg_offsets[k]
                        seg_end = seg_starts[k + 1] if k + 1 < seg_count else hi + 3 * DAY_US
                        start = max(seg_starts[k], wall_a - off, lo)
                        end = min(seg_end, wall_b - off, hi)
                        if start < end:
                            out.append((start, end))
                        k += 1
            ordinal += 1
            day = date.fromordinal(ordinal)
        return merge_spans(out)


class IntersectionSource:
    """Open only when both calendars are open (customer hours x team hours)."""

    __slots__ = ("_a", "_b", "_key")

    def __init__(self, a: SpanSource, b: SpanSource) -> None:
        self._a = a
        self._b = b
        self._key = ("intersection", frozenset((a.key, b.key)))

    @property
    def key(self) -> object:
        return self._key

    @property
    def zone(self) -> tzinfo:
        return self._a.zone

    def closed_days(self, first: date, last: date) -> list[ClosedDay]:
        days = self._a.closed_days(first, last) + self._b.closed_days(first, last)
        days.sort(key=lambda c: (c.day, c.reason))
        return days

    def spans(self, lo: int, hi: int) -> list[tuple[int, int]]:
        a = self._a.spans(lo, hi)
        b = self._b.spans(lo, hi)
        out: list[tuple[int, int]] = []
        i = j = 0
        while i < len(a) and j < len(b):
            start = max(a[i][0], b[j][0])
            end = min(a[i][1], b[j][1])
            if start < end:
                out.append((start, end))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return out
