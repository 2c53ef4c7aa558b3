"""Business calendars: when a support team is open, and business-time arithmetic on it.

A :class:`BusinessCalendar` answers the questions every SLA clock asks: when is a
target due, how much open time lies between two instants, is the team open now,
and when does that change.

Semantics (see DESIGN.md, section 2):

* Open time is a set of half-open UTC intervals ``[start, end)``. An instant is
  open when its local wall time, in the calendar's time zone, falls inside one of
  the intervals of its weekday and its local date is not closed.
* DST: a local time that does not exist is never open; a repeated local hour is
  open twice when it is open at all.
* Due instant: ``add(start, d)`` is the moment a breach begins, the last instant
  at which the open time used since ``start`` does not exceed ``d``. A target
  used up exactly at a closing time is due at the next opening, and a target
  that starts while closed counts from the next opening.

Everything is computed in integer microseconds since the Unix epoch (UTC), so
results are exact. Open spans are precomputed per UTC year, lazily, with the
cumulative open time before each span; a query is two binary searches.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import accumulate
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
from dateutil.rrule import rrule, rruleset, rrulestr

from console.domain.errors import CalendarRangeError, CalendarSpecError

__all__ = ["WEEKDAYS", "BusinessCalendar", "ClosedDay", "clock_changes"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_US = timedelta(microseconds=1)
_SECOND_US = 1_000_000
_MINUTE_US = 60 * _SECOND_US
_DAY_US = 86_400 * _SECOND_US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Years the engine answers for. Wide enough for any ticket; narrow enough that
# a calendar which never opens is noticed instead of searched forever.
MIN_YEAR = 1901
MAX_YEAR = 2399
# How far `add` and `next_open` look for open time before giving up.
_SEARCH_YEARS = 12

# Time zone offsets are sampled this often to find transitions, then bisected to
# the second. No zone in the tz database has two transitions within 3 hours.
_SAMPLE_SECONDS = 3 * 3600

# Holiday names are checked against this window, so that a misspelt name is an
# error rather than a filter that silently matches nothing.
_NAME_CHECK_YEARS = range(2000, 2041)

_INTERVAL_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DEFAULT_RRULE_START = datetime(1900, 1, 1)


def _to_us(t: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    try:
        return (t - _EPOCH) // _US
    except TypeError:
        raise ValueError(f"{t!r} is naive: instants must carry a time zone") from None


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(0, 0, us)


def _year_start_us(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US


_MIN_US = _year_start_us(MIN_YEAR)
_MAX_US = _year_start_us(MAX_YEAR + 1)


def _utc_year(us: int) -> int:
    return (date.fromordinal(_EPOCH_ORDINAL + us // _DAY_US)).year


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """A local date on which a calendar is closed, and why."""

    day: date
    reason: str


# --------------------------------------------------------------------------- spec


@dataclass(frozen=True, slots=True)
class _HolidayRule:
    country: str
    subdiv: str | None
    names: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    shift_days: int
    observed: bool
    language: str | None
    label: str | None

    def _lookup(self, years: Iterable[int]) -> holidays_lib.HolidayBase:
        kwargs: dict[str, Any] = {
            "subdiv": self.subdiv,
            "years": list(years),
            "observed": self.observed,
            "language": self.language,
        }
        if self.categories is not None:
            kwargs["categories"] = self.categories
        return holidays_lib.country_holidays(self.country, **kwargs)

    def _matches(self, name: str, observed_names: Mapping[str, str]) -> str | None:
        """The listed name this holiday name stands for, or None."""
        if self.names is None:
            return name
        if name in self.names:
            return name
        return observed_names.get(name)

    def _observed_names(self, table: holidays_lib.HolidayBase) -> dict[str, str]:
        label = getattr(table, "observed_label", None)
        if not self.names or not self.observed or not isinstance(label, str) or "%s" not in label:
            return {}
        return {label % n: n for n in self.names}

    def closed_days(self, first: date, last: date) -> Iterator[ClosedDay]:
        """Closed days in ``[first, last]`` (both inclusive)."""
        shift = timedelta(days=self.shift_days)
        table = self._lookup(range(first.year - 1, last.year + 2))
        observed_names = self._observed_names(table)
        for day in sorted(table):
            shifted = day + shift
            if not first <= shifted <= last:
                continue
            for name in table.get_list(day):
                listed = self._matches(name, observed_names)
                if listed is None:
                    continue
                reason = self.label or (
                    listed if not self.shift_days else f"{listed} {self.shift_days:+d} d"
                )
                if name != listed:
                    reason = f"{reason} (observed)"
                yield ClosedDay(shifted, reason)


@dataclass(frozen=True, slots=True)
class _Spec:
    """A calendar spec, validated and normalised: the identity of a calendar."""

    timezone: str
    # Per weekday (Monday first), merged open intervals in minutes after local midnight.
    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: tuple[_HolidayRule, ...]
    closed: tuple[tuple[date, date, str], ...]
    rrules: tuple[str, ...]


class _SpanSource(Protocol):
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
    return offset // _US


def _offset_segments(zone: tzinfo, lo_s: int, hi_s: int) -> tuple[list[int], list[int]]:
    """Constant-offset segments covering ``[lo_s, hi_s]`` seconds: their starts and offsets (µs).

    Segment ``k`` runs from ``starts[k]`` to ``starts[k + 1]`` (exclusive).
    """
    starts = [lo_s * _SECOND_US]
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
            starts.append(b * _SECOND_US)
            offsets.append(off)
            prev_off = off
        prev_s = s
    return starts, offsets


def clock_changes(
    zone: tzinfo, start: datetime, end: datetime
) -> list[tuple[datetime, timedelta, timedelta]]:
    """The instants in ``(start, end]`` (UTC, to the second) at which ``zone``'s UTC offset
    changes, each with the offsets before and after."""
    starts, offsets = _offset_segments(
        zone, _to_us(start) // _SECOND_US, -(-_to_us(end) // _SECOND_US)
    )
    return [
        (_from_us(starts[k]), timedelta(0, 0, offsets[k - 1]), timedelta(0, 0, offsets[k]))
        for k in range(1, len(starts))
    ]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


class _WeeklySource:
    """Open spans from weekly local hours, minus closed dates."""

    __slots__ = ("_rules", "_spec", "_zone")

    def __init__(self, spec: _Spec) -> None:
        self._spec = spec
        self._zone = ZoneInfo(spec.timezone)
        parsed: list[rrule | rruleset] = [
            rrulestr(text, dtstart=_DEFAULT_RRULE_START, forceset=True) for text in spec.rrules
        ]
        self._rules = tuple(parsed)

    @property
    def key(self) -> object:
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
            zone = _rule_zone(recurrence)
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
        first = date.fromordinal(_EPOCH_ORDINAL + lo // _DAY_US - 2)
        last = date.fromordinal(_EPOCH_ORDINAL + (hi - 1) // _DAY_US + 2)
        closed = {c.day for c in self.closed_days(first, last)}
        seg_starts, seg_offsets = _offset_segments(
            self._zone, lo // _SECOND_US - 3 * 86_400, hi // _SECOND_US + 3 * 86_400
        )
        seg_count = len(seg_starts)
        max_off = max(seg_offsets)
        min_off = min(seg_offsets)
        out: list[tuple[int, int]] = []
        ordinal = first.toordinal()
        day = first
        while day <= last:
            if day not in closed:
                midnight = (ordinal - _EPOCH_ORDINAL) * _DAY_US
                for m0, m1 in week[day.weekday()]:
                    wall_a = midnight + m0 * _MINUTE_US
                    wall_b = midnight + m1 * _MINUTE_US
                    # Every segment whose instants can show a wall time in [a, b).
                    k = max(bisect_right(seg_starts, wall_a - max_off) - 1, 0)
                    while k < seg_count and seg_starts[k] < wall_b - min_off:
                        off = seg_offsets[k]
                        seg_end = seg_starts[k + 1] if k + 1 < seg_count else hi + 3 * _DAY_US
                        start = max(seg_starts[k], wall_a - off, lo)
                        end = min(seg_end, wall_b - off, hi)
                        if start < end:
                            out.append((start, end))
                        k += 1
            ordinal += 1
            day = date.fromordinal(ordinal)
        return _merge(out)


def _rule_zone(rule: rrule | rruleset) -> tzinfo | None:
    """The time zone an rrule's occurrences carry (None for floating rules)."""
    start: datetime | None = getattr(rule, "_dtstart", None)
    if start is None:
        inner = getattr(rule, "_rrule", [])
        start = getattr(inner[0], "_dtstart", None) if inner else None
    return start.tzinfo if start is not None else None


class _IntersectionSource:
    """Open only when both calendars are open (customer hours x team hours)."""

    __slots__ = ("_a", "_b", "_key")

    def __init__(self, a: _SpanSource, b: _SpanSource) -> None:
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


# --------------------------------------------------------------------------- table


@dataclass(frozen=True, slots=True)
class _Table:
    """Open spans of the UTC years ``[first_year, last_year]`` with cumulative open time."""

    first_year: int
    last_year: int
    lo: int
    hi: int
    starts: list[int]
    ends: list[int]
    # Open time before span i (relative to lo), and at its end.
    cum: list[int]
    cum_end: list[int]

    @property
    def empty(self) -> bool:
        return self.last_year < self.first_year


def _build_table(first_year: int, last_year: int, spans: list[tuple[int, int]]) -> _Table:
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    cum_end = list(accumulate(e - s for s, e in spans))
    cum = [0, *cum_end[:-1]] if cum_end else []
    return _Table(
        first_year,
        last_year,
        _year_start_us(first_year),
        _year_start_us(last_year + 1),
        starts,
        ends,
        cum,
        cum_end,
    )


_EXTEND_LOCK = threading.Lock()


# --------------------------------------------------------------------------- calendar


class BusinessCalendar:
    """An immutable, hashable support calendar with exact business-time arithmetic.

    Build one with :meth:`from_spec`. All instants passed in must be aware
    datetimes (any time zone); every instant returned is in UTC.
    """

    __slots__ = ("_source", "_table")

    def __init__(self, source: _SpanSource) -> None:
        self._source = source
        self._table = _Table(0, -1, 0, 0, [], [], [], [])

    # ----------------------------------------------------------------- building

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> BusinessCalendar:
        """Validate a spec (the shape policy files use) and build its calendar.

        Raises :class:`CalendarSpecError` naming the key path of the first problem.
        """
        return cls(_WeeklySource(_parse_spec(spec)))

    def with_closed(self, periods: Iterable[tuple[date, date, str]]) -> BusinessCalendar:
        """This calendar with extra closed periods ``(first, last, reason)``, both days inclusive.

        Used for company holiday periods kept in the database.
        """
        extra = tuple(sorted(periods))
        if not extra:
            return self
        for first, last, reason in extra:
            if last < first:
                raise CalendarSpecError("closed", f"period {reason!r} ends before it starts")
        source = self._source
        if not isinstance(source, _WeeklySource):
            raise TypeError("closed periods can only be added to a calendar built from a spec")
        spec = source._spec
        merged = tuple(sorted({*spec.closed, *extra}))
        return BusinessCalendar(
            _WeeklySource(_Spec(spec.timezone, spec.week, spec.holidays, merged, spec.rrules))
        )

    def intersect(self, other: BusinessCalendar) -> BusinessCalendar:
        """A calendar open exactly when both this one and ``other`` are open."""
        if other == self:
            return self
        return BusinessCalendar(_IntersectionSource(self._source, other._source))

    # ----------------------------------------------------------------- identity

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BusinessCalendar) and self._source.key == other._source.key

    def __hash__(self) -> int:
        return hash(self._source.key)

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.timezone}>"

    @property
    def timezone(self) -> tzinfo:
        """The zone whose local time decides what is open (the first one for an intersection)."""
        return self._source.zone

    # ----------------------------------------------------------------- table upkeep

    def _covering(self, us: int) -> _Table:
        """The span table, extended if need be so that it covers instant ``us``."""
        table = self._table
        if table.lo <= us < table.hi:
            return table
        if not _MIN_US <= us < _MAX_US:
            raise CalendarRangeError(
                f"{_from_us(us).isoformat() if us > _MIN_US - _DAY_US * 366 else us} lies outside "
                f"the years {MIN_YEAR}-{MAX_YEAR} that calendars answer for"
            )
        year = _utc_year(us)
        if table.empty:
            return self._extend(year, year)
        return self._extend(min(year, table.first_year), max(year, table.last_year))

    def _extend(self, first_year: int, last_year: int) -> _Table:
        """Cover at least the UTC years ``[first_year, last_year]``, a year more where new."""
        with _EXTEND_LOCK:
            table = self._table
            if not table.empty and table.first_year <= first_year and last_year <= table.last_year:
                return table  # another thread got here first
            if table.empty:
                first_year = max(first_year - 1, MIN_YEAR)
                last_year = min(last_year + 1, MAX_YEAR)
                spans = self._source.spans(
                    _year_start_us(first_year), _year_start_us(last_year + 1)
                )
            else:
                spans = list(zip(table.starts, table.ends, strict=True))
                if first_year < table.first_year:
                    first_year = max(first_year - 1, MIN_YEAR)
                    spans = self._source.spans(_year_start_us(first_year), table.lo) + spans
                else:
                    first_year = table.first_year
                if last_year > table.last_year:
                    last_year = min(last_year + 1, MAX_YEAR)
                    spans += self._source.spans(table.hi, _year_start_us(last_year + 1))
                else:
                    last_year = table.last_year
                # Spans clipped at the old edges join their continuation again.
                spans = _merge(spans)
            table = _build_table(first_year, last_year, spans)
            self._table = table
            return table

    def _grow(self, table: _Table, limit: int) -> _Table | None:
        """The table extended two years forward, or None once it reaches year ``limit``."""
        if table.last_year >= limit:
            return None
        return self._extend(table.first_year, min(table.last_year + 2, limit))

    # ----------------------------------------------------------------- queries

    def is_open(self, t: datetime) -> bool:
        """Whether the calendar is open at instant ``t``."""
        us = _to_us(t)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        return i >= 0 and us < table.ends[i]

    # `between` and `add` are the hot path of every clock: conversions are inlined
    # and the common case avoids any call beyond the two binary searches.

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Open time in ``[a, b)``; negative (minus the open time in ``[b, a)``) when ``b < a``."""
        try:
            a_us = (a - _EPOCH) // _US
            b_us = (b - _EPOCH) // _US
        except TypeError:
            raise ValueError(f"{a!r} or {b!r} is naive: instants must carry a time zone") from None
        table = self._table
        if not (table.lo <= a_us < table.hi and table.lo <= b_us < table.hi):
            self._covering(a_us)
            table = self._covering(b_us)
        starts = table.starts
        ends = table.ends
        cum = table.cum
        i = bisect_right(starts, a_us) - 1
        if i >= 0:
            end = ends[i]
            used_a = cum[i] + (a_us if a_us < end else end) - starts[i]
        else:
            used_a = 0
        j = bisect_right(starts, b_us) - 1
        if j >= 0:
            end = ends[j]
            used_b = cum[j] + (b_us if b_us < end else end) - starts[j]
        else:
            used_b = 0
        return timedelta(0, 0, used_b - used_a)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The due instant of a target of ``duration`` open time counted from ``start``.

        That is the last instant ``t`` at which the open time in ``[start, t)`` does
        not exceed ``duration``: the next opening when the target is used up exactly
        at a closing time, and the next opening when ``start`` is closed and
        ``duration`` is zero. Raises :class:`CalendarRangeError` when the calendar
        is not open long enough within 12 years of ``start``.
        """
        try:
            s = (start - _EPOCH) // _US
        except TypeError:
            raise ValueError(f"{start!r} is naive: instants must carry a time zone") from None
        d = duration // _US
        if d < 0:
            raise ValueError(f"duration {duration} is negative")
        table = self._table
        if not table.lo <= s < table.hi:
            table = self._covering(s)
        starts = table.starts
        i = bisect_right(starts, s) - 1
        if i >= 0:
            end = table.ends[i]
            target = d + table.cum[i] + (s if s < end else end) - starts[i]
        else:
            target = d
        cum_end = table.cum_end
        if not cum_end or cum_end[-1] <= target:
            # Cumulative sums stay put when the table grows forward, so the target
            # keeps its meaning.
            table = self._reach(table, target, s, duration)
            starts, cum_end = table.starts, table.cum_end
        j = bisect_right(cum_end, target)
        return _EPOCH + timedelta(0, 0, starts[j] + target - table.cum[j])

    def _reach(self, table: _Table, target: int, s: int, duration: timedelta) -> _Table:
        """The table grown forward until its open time exceeds ``target``."""
        limit = min(_utc_year(s) + _SEARCH_YEARS, MAX_YEAR)
        while not table.cum_end or table.cum_end[-1] <= target:
            grown = self._grow(table, limit)
            if grown is None:
                raise CalendarRangeError(
                    f"the calendar is not open for {duration} within {_SEARCH_YEARS} years "
                    f"of {_from_us(s).isoformat()}"
                )
            table = grown
        return table

    def next_open(self, t: datetime) -> datetime | None:
        """The first open instant at or after ``t`` (``t`` itself when open, in UTC).

        None when the calendar does not open within 12 years.
        """
        us = _to_us(t)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        if i >= 0 and us < table.ends[i]:
            return _from_us(us)
        return self._next_boundary(table, us, opening=True)

    def next_change(self, t: datetime) -> datetime | None:
        """The first instant after ``t`` at which the calendar opens or closes.

        When open at ``t`` this is the closing time; when closed, the next
        opening. None when nothing changes within 12 years (a 24x7 calendar).
        """
        us = _to_us(t)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        opening = not (i >= 0 and us < table.ends[i])
        return self._next_boundary(table, us, opening=opening)

    def _next_boundary(self, table: _Table, us: int, *, opening: bool) -> datetime | None:
        limit = min(_utc_year(us) + _SEARCH_YEARS, MAX_YEAR)
        while True:
            if opening:
                k = bisect_right(table.starts, us)
                if k < len(table.starts):
                    return _from_us(table.starts[k])
            else:
                end = table.ends[bisect_right(table.starts, us) - 1]
                if end < table.hi or table.last_year == MAX_YEAR:
                    return _from_us(end)
            # The answer lies beyond the table (a span clipped at its end may go on).
            grown = self._grow(table, limit)
            if grown is None:
                return None
            table = grown

    def open_spans(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """The open spans that overlap ``[a, b)``, clipped to it, in UTC."""
        a_us, b_us = _to_us(a), _to_us(b)
        if b_us <= a_us:
            return []
        self._covering(a_us)
        table = self._covering(b_us - 1)
        i = max(bisect_right(table.starts, a_us) - 1, 0)
        out: list[tuple[datetime, datetime]] = []
        while i < len(table.starts) and table.starts[i] < b_us:
            start, end = max(table.starts[i], a_us), min(table.ends[i], b_us)
            if start < end:
                out.append((_from_us(start), _from_us(end)))
            i += 1
        return out

    def closed_days(self, first: date, last: date) -> list[ClosedDay]:
        """Dates in ``[first, last]`` (both inclusive) closed by a holiday or closed period."""
        return self._source.closed_days(first, last)


# --------------------------------------------------------------------------- parsing

_TOP_KEYS = ("timezone", "hours", "holidays", "closed", "rrule_closed")
_HOLIDAY_KEYS = (
    "country",
    "subdiv",
    "names",
    "categories",
    "shift_days",
    "observed",
    "language",
    "label",
)


def _check_keys(value: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
    for key in value:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise CalendarSpecError(where, f"unknown key (expected one of: {', '.join(allowed)})")


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CalendarSpecError(path, f"expected a table, got {type(value).__name__}")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise CalendarSpecError(path, f"expected a list, got {type(value).__name__}")
    return list(value)


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise CalendarSpecError(path, f"expected a string, got {type(value).__name__}")
    return value


def _parse_interval(text: object, path: str) -> tuple[int, int]:
    match = _INTERVAL_RE.match(_str(text, path))
    if not match:
        raise CalendarSpecError(path, f"{text!r} is not an interval like '09:00-18:00'")
    h0, m0, h1, m1 = (int(g) for g in match.groups())
    if h0 > 23 or m0 > 59:
        raise CalendarSpecError(path, f"{text!r}: start is not a time of day (00:00-23:59)")
    if h1 > 24 or m1 > 59 or (h1 == 24 and m1 != 0):
        raise CalendarSpecError(path, f"{text!r}: end is not a time of day (00:00-24:00)")
    start, end = h0 * 60 + m0, h1 * 60 + m1
    if end < start:
        raise CalendarSpecError(path, f"{text!r}: the interval ends before it starts")
    if end == start:
        raise CalendarSpecError(path, f"{text!r}: the interval is empty")
    return start, end


def _parse_week(value: object) -> tuple[tuple[tuple[int, int], ...], ...]:
    hours = _mapping(value, "hours")
    _check_keys(hours, WEEKDAYS, "hours")
    week: list[tuple[tuple[int, int], ...]] = []
    for day in WEEKDAYS:
        path = f"hours.{day}"
        intervals = [
            (_parse_interval(item, f"{path}[{i}]"), i)
            for i, item in enumerate(_list(hours.get(day, []), path))
        ]
        intervals.sort()
        merged: list[tuple[int, int]] = []
        for (start, end), i in intervals:
            if merged and start < merged[-1][1]:
                raise CalendarSpecError(f"{path}[{i}]", "overlaps another interval of the day")
            if merged and start == merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        week.append(tuple(merged))
    if not any(week):
        raise CalendarSpecError("hours", "the calendar is never open: give at least one interval")
    return tuple(week)


def _parse_date(value: object, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(_str(value, path))
    except ValueError:
        raise CalendarSpecError(path, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parse_closed(value: object) -> tuple[tuple[date, date, str], ...]:
    out: list[tuple[date, date, str]] = []
    for i, item in enumerate(_list(value, "closed")):
        path = f"closed[{i}]"
        if isinstance(item, Mapping):
            _check_keys(item, ("from", "to", "reason"), path)
            for key in ("from", "to"):
                if key not in item:
                    raise CalendarSpecError(f"{path}.{key}", "missing")
            first = _parse_date(item["from"], f"{path}.from")
            last = _parse_date(item["to"], f"{path}.to")
            if last < first:
                raise CalendarSpecError(f"{path}.to", f"{last} is before {first}")
            reason = _str(item.get("reason", "closed"), f"{path}.reason")
        else:
            first = last = _parse_date(item, path)
            reason = "closed"
        out.append((first, last, reason))
    return tuple(sorted(out))


def _str_list(value: object, path: str) -> tuple[str, ...]:
    items = _list(value, path)
    if not items:
        raise CalendarSpecError(path, "expected at least one entry")
    return tuple(_str(item, f"{path}[{i}]") for i, item in enumerate(items))


def _parse_holiday(value: object, path: str) -> _HolidayRule:
    item = _mapping(value, path)
    _check_keys(item, _HOLIDAY_KEYS, path)
    if "country" not in item:
        raise CalendarSpecError(f"{path}.country", "missing (an ISO 3166 code such as 'US')")
    country = _str(item["country"], f"{path}.country")
    subdiv = _str(item["subdiv"], f"{path}.subdiv") if "subdiv" in item else None
    names = _str_list(item["names"], f"{path}.names") if "names" in item else None
    categories = (
        _str_list(item["categories"], f"{path}.categories") if "categories" in item else None
    )
    shift = item.get("shift_days", 0)
    if not isinstance(shift, int) or isinstance(shift, bool):
        raise CalendarSpecError(f"{path}.shift_days", f"expected a whole number, got {shift!r}")
    observed = item.get("observed", True)
    if not isinstance(observed, bool):
        raise CalendarSpecError(f"{path}.observed", f"expected true or false, got {observed!r}")
    language = _str(item["language"], f"{path}.language") if "language" in item else None
    label = _str(item["label"], f"{path}.label") if "label" in item else None

    supported = holidays_lib.list_supported_countries()
    if country not in supported:
        raise CalendarSpecError(
            f"{path}.country",
            f"{country!r} is not a country the holidays "
            "package knows (use an ISO 3166 alpha-2 code)",
        )
    if subdiv is not None and subdiv not in supported[country]:
        raise CalendarSpecError(
            f"{path}.subdiv",
            f"{subdiv!r} is not a subdivision of {country} "
            f"(known: {', '.join(supported[country])})",
        )
    rule = _HolidayRule(country, subdiv, names, categories, shift, observed, language, label)
    try:
        table = rule._lookup(_NAME_CHECK_YEARS)
    except (NotImplementedError, ValueError) as error:
        key = "categories" if categories else ("language" if language else "country")
        raise CalendarSpecError(f"{path}.{key}", str(error)) from None
    if names is not None:
        known = {name for day in table for name in table.get_list(day)}
        for i, name in enumerate(names):
            if name not in known:
                raise CalendarSpecError(
                    f"{path}.names[{i}]",
                    f"{name!r} is not a holiday of {country}"
                    f"{'-' + subdiv if subdiv else ''} in the categories chosen "
                    f"(known: {', '.join(sorted(n for n in known if '(' not in n))})",
                )
    return rule


def _parse_rrule(value: object, path: str) -> str:
    text = _str(value, path)
    try:
        rule = rrulestr(text, dtstart=_DEFAULT_RRULE_START, forceset=True)
        # Evaluate once: some mistakes only show when occurrences are generated.
        rule.after(_DEFAULT_RRULE_START.replace(tzinfo=_rule_zone(rule)))
    except (ValueError, TypeError, KeyError) as error:
        raise CalendarSpecError(path, f"{text!r} is not a valid RRULE: {error}") from None
    return text


def _parse_spec(spec: Mapping[str, Any]) -> _Spec:
    spec = _mapping(spec, "")
    _check_keys(spec, _TOP_KEYS, "")
    for key in ("timezone", "hours"):
        if key not in spec:
            raise CalendarSpecError(key, "missing")
    zone_name = _str(spec["timezone"], "timezone")
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarSpecError(
            "timezone", f"{zone_name!r} is not an IANA time zone (such as 'Europe/Zurich')"
        ) from None
    week = _parse_week(spec["hours"])
    rules = tuple(
        _parse_holiday(item, f"holidays[{i}]")
        for i, item in enumerate(_list(spec.get("holidays", []), "holidays"))
    )
    closed = _parse_closed(spec.get("closed", []))
    rrules = tuple(
        _parse_rrule(item, f"rrule_closed[{i}]")
        for i, item in enumerate(_list(spec.get("rrule_closed", []), "rrule_closed"))
    )
    return _Spec(zone_name, week, rules, closed, rrules)
