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

import threading
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import accumulate
from typing import Any

from console.domain.calendar_spans import (
    DAY_US,
    EPOCH,
    EPOCH_ORDINAL,
    MICROSECOND,
    IntersectionSource,
    SpanSource,
    WeeklySource,
    clock_changes,
    from_us,
    merge_spans,
    to_us,
)
from console.domain.calendar_spec import (
    WEEKDAYS,
    CalendarSpec,
    ClosedDay,
    parse_spec,
    presence_rules,
)
from console.domain.errors import CalendarRangeError, CalendarSpecError
from console.domain.model import Presence

__all__ = ["WEEKDAYS", "BusinessCalendar", "ClosedDay", "clock_changes"]

# Years the engine answers for. Wide enough for any ticket; narrow enough that
# a calendar which never opens is noticed instead of searched forever.
MIN_YEAR = 1901
MAX_YEAR = 2399
# How far `add` and `next_open` look for open time before giving up.
_SEARCH_YEARS = 12


def _year_start_us(year: int) -> int:
    return (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY_US


_MIN_US = _year_start_us(MIN_YEAR)
_MAX_US = _year_start_us(MAX_YEAR + 1)


def _utc_year(us: int) -> int:
    return (date.fromordinal(EPOCH_ORDINAL + us // DAY_US)).year


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

    def __init__(self, source: SpanSource) -> None:
        self._source = source
        self._table = _Table(0, -1, 0, 0, [], [], [], [])

    # ----------------------------------------------------------------- building

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> BusinessCalendar:
        """Validate a spec (the shape policy files use) and build its calendar.

        Raises :class:`CalendarSpecError` naming the key path of the first problem.
        """
        return cls(WeeklySource(parse_spec(spec)))

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
        if not isinstance(source, WeeklySource):
            raise TypeError("closed periods can only be added to a calendar built from a spec")
        spec = source.spec
        merged = tuple(sorted({*spec.closed, *extra}))
        return BusinessCalendar(
            WeeklySource(CalendarSpec(spec.timezone, spec.week, spec.holidays, merged, spec.rrules))
        )

    def with_presences(self, presences: Iterable[Presence]) -> BusinessCalendar:
        """This calendar closed on the public holidays of ``presences`` (observed days
        included) instead of the holidays its spec names; itself when none are given.

        Used for the presences a lead names (Laioutr's "public holidays at a given
        presence"). Raises :class:`PresenceError` for a presence the holidays package does
        not know.
        """
        chosen = tuple(presences)
        if not chosen:
            return self
        source = self._source
        if not isinstance(source, WeeklySource):
            raise TypeError("presences can only be given to a calendar built from a spec")
        spec = source.spec
        rules = presence_rules(chosen)
        return BusinessCalendar(
            WeeklySource(CalendarSpec(spec.timezone, spec.week, rules, spec.closed, spec.rrules))
        )

    def intersect(self, other: BusinessCalendar) -> BusinessCalendar:
        """A calendar open exactly when both this one and ``other`` are open."""
        if other == self:
            return self
        return BusinessCalendar(IntersectionSource(self._source, other._source))

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
                f"{from_us(us).isoformat() if us > _MIN_US - DAY_US * 366 else us} lies outside "
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
                spans = merge_spans(spans)
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
        us = to_us(t)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        return i >= 0 and us < table.ends[i]

    # `between` and `add` are the hot path of every clock: conversions are inlined
    # and the common case avoids any call beyond the two binary searches.

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Open time in ``[a, b)``; negative (minus the open time in ``[b, a)``) when ``b < a``."""
        try:
            a_us = (a - EPOCH) // MICROSECOND
            b_us = (b - EPOCH) // MICROSECOND
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
            s = (start - EPOCH) // MICROSECOND
        except TypeError:
            raise ValueError(f"{start!r} is naive: instants must carry a time zone") from None
        d = duration // MICROSECOND
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
        return EPOCH + timedelta(0, 0, starts[j] + target - table.cum[j])

    def _reach(self, table: _Table, target: int, s: int, duration: timedelta) -> _Table:
        """The table grown forward until its open time exceeds ``target``."""
        limit = min(_utc_year(s) + _SEARCH_YEARS, MAX_YEAR)
        while not table.cum_end or table.cum_end[-1] <= target:
            grown = self._grow(table, limit)
            if grown is None:
                raise CalendarRangeError(
                    f"the calendar is not open for {duration} within {_SEARCH_YEARS} years "
                    f"of {from_us(s).isoformat()}"
                )
            table = grown
        return table

    def next_open(self, t: datetime) -> datetime | None:
        """The first open instant at or after ``t`` (``t`` itself when open, in UTC).

        None when the calendar does not open within 12 years.
        """
        us = to_us(t)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        if i >= 0 and us < table.ends[i]:
            return from_us(us)
        return self._next_boundary(table, us, opening=True)

    def next_change(self, t: datetime) -> datetime | None:
        """The first instant after ``t`` at which the calendar opens or closes.

        When open at ``t`` this is the closing time; when closed, the next
        opening. None when nothing changes within 12 years (a 24x7 calendar).
        """
        us = to_us(t)
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
                    return from_us(table.starts[k])
            else:
                end = table.ends[bisect_right(table.starts, us) - 1]
                if end < table.hi or table.last_year == MAX_YEAR:
                    return from_us(end)
            # The answer lies beyond the table (a span clipped at its end may go on).
            grown = self._grow(table, limit)
            if grown is None:
                return None
            table = grown

    def open_spans(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """The open spans that overlap ``[a, b)``, clipped to it, in UTC."""
        a_us, b_us = to_us(a), to_us(b)
        if b_us <= a_us:
            return []
        self._covering(a_us)
        table = self._covering(b_us - 1)
        i = max(bisect_right(table.starts, a_us) - 1, 0)
        out: list[tuple[datetime, datetime]] = []
        while i < len(table.starts) and table.starts[i] < b_us:
            start, end = max(table.starts[i], a_us), min(table.ends[i], b_us)
            if start < end:
                out.append((from_us(start), from_us(end)))
            i += 1
        return out

    def closed_days(self, first: date, last: date) -> list[ClosedDay]:
        """Dates in ``[first, last]`` (both inclusive) closed by a holiday or closed period."""
        return self._source.closed_days(first, last)
