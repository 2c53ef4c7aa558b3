"""Why a clock stands where it does: each cycle of an SLA clock as a timeline, computed by the
same calendar and clock code that computes the clock (DESIGN.md section 2, "Explanation").

:func:`explain_clocks` takes what :func:`console.domain.sla.compute_clocks` takes and gives,
for each clock it gives, every cycle cut into :class:`Segment` s from the cycle's start to
its stop (or ``now``). A segment is

* **counted**: open time of the clock's calendar while no status pauses the metric. The
  counted segments of a cycle add up exactly to its clock's ``used``;
* **closed**: the calendar is closed, and why (:class:`Closure`: outside support hours, a
  weekday without hours such as the weekend, a public holiday by name and region, a closed
  period such as company holidays); one segment for the whole closed stretch;
* **paused**: the ticket's status pauses the metric (awaiting customer, on hold).

:class:`Marker` s place the events that move the clock: its start, each severity change (a new
target and calendar), a breach, the instant the target ran out (the due instant, once
reached) and the stop, or ``now`` while it still counts. A segment is split where a marker
falls inside it, so every marker sits on a boundary.

Segments are half-open ``[start, end)`` intervals of UTC instants; days in a
:class:`Closure` are local dates of the calendar, both ends included. The time used is
measured on the calendar of the severity in force at the end (the clock's), over the whole
cycle, as the clock measures it after a severity change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from console.domain.calendar import BusinessCalendar
from console.domain.errors import CalendarSpecError
from console.domain.model import EventKind, Metric, Status, TicketEvent
from console.domain.policy import CompanyPeriod, Policy, Target
from console.domain.sla import ClockCycle, ClockState, SlaClock, clock_cycles

__all__ = [
    "ClockExplanation",
    "Closure",
    "ClosureKind",
    "CycleExplanation",
    "Marker",
    "MarkerKind",
    "Segment",
    "SegmentKind",
    "explain",
    "explain_clocks",
]

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_MICROSECOND = timedelta(microseconds=1)
# Clocks that count nothing: no segments, only their start and stop.
_NOT_COUNTING = frozenset({ClockState.WAIVED, ClockState.BEST_EFFORT, ClockState.NO_TARGET})


class SegmentKind(StrEnum):
    COUNTED = "counted"
    CLOSED = "closed"
    PAUSED = "paused"


class ClosureKind(StrEnum):
    """Why a calendar is closed on a local day."""

    OUTSIDE_HOURS = "outside_hours"  # the day has support hours, but not at that time
    NO_HOURS = "no_hours"  # a weekday without support hours (the weekend of a Mon-Fri calendar)
    HOLIDAY = "holiday"  # a public holiday, named, of a region
    CLOSED = "closed"  # a closed period or date: company holidays, a date the calendar closes


@dataclass(frozen=True, slots=True)
class Closure:
    """Why a calendar is closed from local day ``first`` to ``last`` (both included): the
    holiday's or the period's ``name`` and, for a public holiday, its ``region`` (``CH-SG``)."""

    kind: ClosureKind
    first: date
    last: date
    name: str = ""
    region: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """``[start, end)`` of a cycle: counted, closed (with ``closures`` and the instant the
    calendar ``reopens``, which may lie after ``end``) or paused (by ``paused_by``)."""

    kind: SegmentKind
    start: datetime
    end: datetime
    over_target: bool = False  # counted after the target ran out
    closures: tuple[Closure, ...] = ()
    reopens: datetime | None = None
    paused_by: Status | None = None

    @property
    def length(self) -> timedelta:
        """Wall-clock time from start to end."""
        return self.end - self.start

    @property
    def counted(self) -> timedelta:
        """Business time counted toward the target: the whole length of a counted segment
        (the calendar is open all through it), zero for the others."""
        return self.length if self.kind is SegmentKind.COUNTED else _ZERO


class MarkerKind(StrEnum):
    """What happened at a marker; markers at one instant come in this order."""

    STARTED = "started"
    SEVERITY_CHANGED = "severity_changed"
    TARGET_RAN_OUT = "target_ran_out"  # the due instant: the clock's target used up
    BREACHED = "breached"  # a breach that began elsewhere than where the target ran out
    STOPPED = "stopped"
    NOW = "now"  # the cycle still counts (or is paused): where the timeline ends


_ORDER = {kind: rank for rank, kind in enumerate(MarkerKind)}


@dataclass(frozen=True, slots=True)
class Marker:
    """An event of a cycle at instant ``at``.

    ``severity`` is the severity in force from here (started, severity changed, now, stopped)
    or under which the target ran out or the breach happened; ``previous`` the severity
    before a change; ``target`` the target in force then; ``overrun`` the business time over
    the target of a breach (up to the stop, a change, or now); ``event`` the history's event
    that started or stopped the cycle or changed its severity, when there is one.
    """

    kind: MarkerKind
    at: datetime
    severity: int
    target: Target | None = None
    previous: int | None = None
    overrun: timedelta | None = None
    event: TicketEvent | None = None


@dataclass(frozen=True, slots=True)
class CycleExplanation:
    """One cycle of a clock from ``clock.started_at`` to ``end`` (its stop, or now).

    ``clock`` is the cycle's own clock (its own breaches only). ``segments`` are contiguous,
    in order and cover the cycle (none when the clock counts nothing: waived, best effort,
    no timed target; or when the cycle has no length). ``markers`` are in order.
    """

    clock: SlaClock
    end: datetime
    segments: tuple[Segment, ...]
    markers: tuple[Marker, ...]

    @property
    def counts(self) -> bool:
        """Whether the clock counts business time toward a target (it has segments)."""
        return _counts(self.clock)

    @property
    def counted(self) -> timedelta:
        """The business time counted: the clock's ``used``."""
        return sum((s.counted for s in self.segments), _ZERO)

    @property
    def target_ran_out(self) -> datetime | None:
        """Where the target ran out (the due instant), when the cycle reached it."""
        return next((m.at for m in self.markers if m.kind is MarkerKind.TARGET_RAN_OUT), None)

    def timeline(self) -> tuple[Segment | Marker, ...]:
        """Segments and markers in time order, each marker before the segment it starts."""
        items: list[Segment | Marker] = []
        markers = list(self.markers)
        for segment in self.segments:
            while markers and markers[0].at <= segment.start:
                items.append(markers.pop(0))
            items.append(segment)
        items.extend(markers)
        return tuple(items)


@dataclass(frozen=True, slots=True)
class ClockExplanation:
    """One clock of a ticket at ``now`` (as :func:`compute_clocks` gives it) and every one of
    its cycles, first to last; the last is the clock's current cycle."""

    clock: SlaClock
    now: datetime
    cycles: tuple[CycleExplanation, ...]

    @property
    def metric(self) -> Metric:
        return self.clock.metric

    @property
    def current(self) -> CycleExplanation:
        return self.cycles[-1]


def explain_clocks(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    company_periods: Iterable[CompanyPeriod] = (),
) -> tuple[ClockExplanation, ...]:
    """Every clock of a ticket at ``now``, explained: the clocks of
    :func:`~console.domain.sla.compute_clocks` with the same arguments, in its order, each
    with all its cycles (:func:`~console.domain.sla.clock_cycles`)."""
    found = clock_cycles(policy, plan, events, now, company_periods=company_periods)
    return tuple(
        ClockExplanation(clock, now, tuple(explain(cycle, policy, events) for cycle in cycles))
        for clock, cycles in found
    )


def explain(cycle: ClockCycle, policy: Policy, events: Sequence[TicketEvent]) -> CycleExplanation:
    """One cycle of a clock (from :func:`~console.domain.sla.clock_cycles`) explained.

    ``policy`` (the ticket's effective policy) names the holidays' regions; ``events`` (the
    ticket's history) give the events that started and stopped the cycle."""
    clock, end = cycle.clock, cycle.end
    markers = _markers(cycle, events)
    calendar = clock.calendar
    if not _counts(clock) or calendar is None or clock.started_at >= end:
        return CycleExplanation(clock, end, (), markers)
    pieces: list[Segment] = [
        Segment(SegmentKind.PAUSED, a, b, paused_by=status) for a, b, status in cycle.paused
    ]
    for a, b in cycle.counting:
        cursor = a
        for start, stop in calendar.open_spans(a, b):
            if start > cursor:
                pieces.append(Segment(SegmentKind.CLOSED, cursor, start))
            pieces.append(Segment(SegmentKind.COUNTED, start, stop))
            cursor = stop
        if cursor < b:
            pieces.append(Segment(SegmentKind.CLOSED, cursor, b))
    pieces.sort(key=lambda s: s.start)
    cuts = sorted({m.at for m in markers if clock.started_at < m.at < end})
    due = next((m.at for m in markers if m.kind is MarkerKind.TARGET_RAN_OUT), None)
    split = [
        replace(piece, over_target=due is not None and piece.start >= due)
        if piece.kind is SegmentKind.COUNTED
        else piece
        for piece in _split(pieces, cuts)
    ]
    if any(s.kind is SegmentKind.CLOSED for s in split):
        why = _Why(calendar, policy, clock.target, clock.started_at, end)
        split = [why.annotate(s) if s.kind is SegmentKind.CLOSED else s for s in split]
    return CycleExplanation(clock, end, tuple(split), markers)


def _counts(clock: SlaClock) -> bool:
    return clock.state not in _NOT_COUNTING and clock.calendar is not None


def _split(pieces: Sequence[Segment], cuts: Sequence[datetime]) -> list[Segment]:
    """``pieces`` cut at each instant of ``cuts`` that falls inside one."""
    out: list[Segment] = []
    for piece in pieces:
        start = piece.start
        for cut in cuts:
            if start < cut < piece.end:
                out.append(replace(piece, start=start, end=cut))
                start = cut
        out.append(replace(piece, start=start) if start != piece.start else piece)
    return out


# --------------------------------------------------------------------------- markers


def _markers(cycle: ClockCycle, events: Sequence[TicketEvent]) -> tuple[Marker, ...]:
    clock, end = cycle.clock, cycle.end
    first = cycle.terms[0]
    metric = clock.metric
    markers = [
        Marker(
            MarkerKind.STARTED,
            clock.started_at,
            first.severity,
            first.target,
            event=_cause(events, clock.started_at, _STARTS[metric]),
        )
    ]
    for before, after in pairwise(cycle.terms):
        change = next(
            (
                e
                for e in events
                if e.kind is EventKind.SEVERITY_CHANGED
                and e.invalid is None
                and e.at == after.since
                and e.data.get("to") == after.severity
            ),
            None,
        )
        markers.append(
            Marker(
                MarkerKind.SEVERITY_CHANGED,
                after.since,
                after.severity,
                after.target,
                previous=before.severity,
                event=change,
            )
        )
    due = clock.due if _counts(clock) and clock.due is not None and end > clock.due else None
    if due is not None:
        markers.append(
            Marker(
                MarkerKind.TARGET_RAN_OUT,
                due,
                clock.severity,
                clock.target,
                overrun=_overrun(clock),
            )
        )
    for breach in clock.breaches:
        if breach.at == due and breach.severity == clock.severity:
            continue  # where the target ran out: that marker says it
        terms = [t for t in cycle.terms if t.severity == breach.severity and t.since <= breach.at]
        target = terms[-1].target if terms else None
        markers.append(
            Marker(MarkerKind.BREACHED, breach.at, breach.severity, target, overrun=breach.overrun)
        )
    last = cycle.terms[-1]
    if clock.stopped_at is not None:
        cause = _cause(events, clock.stopped_at, _STOPS[metric])
        markers.append(
            Marker(MarkerKind.STOPPED, clock.stopped_at, last.severity, last.target, event=cause)
        )
    else:
        markers.append(Marker(MarkerKind.NOW, end, last.severity, last.target))
    markers.sort(key=lambda m: (m.at, _ORDER[m.kind]))
    return tuple(markers)


def _overrun(clock: SlaClock) -> timedelta | None:
    remaining = clock.remaining
    return -remaining if remaining is not None else None


def _responds(event: TicketEvent) -> bool:
    return not event.data.get("automated", False)


def _status_is(done: bool) -> Callable[[TicketEvent], bool]:
    def test(event: TicketEvent) -> bool:
        try:
            status = Status(str(event.data.get("status")))
        except ValueError:
            return False
        return status.is_done is done

    return test


def _always(event: TicketEvent) -> bool:
    return True


_Kinds = Mapping[EventKind, Callable[[TicketEvent], bool]]
_ANSWERS: _Kinds = {
    EventKind.RESPONDED: _responds,
    EventKind.UPDATE_SENT: _always,
}
# The events that may start, and that may stop, a cycle of each metric, first choice first.
_STARTS: Mapping[Metric, _Kinds] = {
    Metric.INITIAL_RESPONSE: {
        EventKind.CREATED: _always,
        EventKind.STATUS_CHANGED: _status_is(False),
    },
    Metric.PERIODIC_UPDATE: {**_ANSWERS, EventKind.STATUS_CHANGED: _status_is(False)},
    Metric.PRELIMINARY_RCA: {EventKind.CREATED: _always},
    Metric.ESCALATION_RESPONSE: {EventKind.ESCALATED: _always},
}
_STOPS: Mapping[Metric, _Kinds] = {
    Metric.INITIAL_RESPONSE: {**_ANSWERS, EventKind.STATUS_CHANGED: _status_is(True)},
    Metric.PERIODIC_UPDATE: {**_ANSWERS, EventKind.STATUS_CHANGED: _status_is(True)},
    Metric.PRELIMINARY_RCA: {EventKind.RCA_DELIVERED: _always},
    Metric.ESCALATION_RESPONSE: {
        EventKind.ESCALATION_ANSWERED: _always,
        EventKind.ESCALATED: _always,
        EventKind.STATUS_CHANGED: _status_is(True),
    },
}


def _cause(events: Sequence[TicketEvent], at: datetime, kinds: _Kinds) -> TicketEvent | None:
    """The event at ``at`` that started (or stopped) a cycle: the first of ``kinds`` found."""
    found = [e for e in events if e.at == at and e.invalid is None and e.kind in kinds]
    for kind, test in kinds.items():
        for event in found:
            if event.kind is kind and test(event):
                return event
    return None


# --------------------------------------------------------------------------- closed: why


class _Why:
    """Why a calendar is closed, day by day, over the local days of ``[start, end]``: the
    calendar's closed days (holidays by name, closed periods) and, on other days, whether
    the day has any support hours at all."""

    def __init__(
        self,
        calendar: BusinessCalendar,
        policy: Policy,
        target: Target | None,
        start: datetime,
        end: datetime,
    ) -> None:
        self.calendar = calendar
        self.zone = calendar.timezone
        first = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        self.closed: dict[date, list[str]] = {}
        for day in calendar.closed_days(first, last):
            self.closed.setdefault(day.day, []).append(day.reason)
        self.open_days: dict[date, bool] = {}
        definition = None
        if target is not None and target.calendar is not None:
            definition = policy.calendars.get(target.calendar)
        self.public: set[tuple[date, str]] = set()
        self.entries: list[tuple[str, Mapping[str, object]]] = []
        self.zone_name = ""
        if definition is not None and self.closed:
            spec = definition.spec
            self.zone_name = str(spec.get("timezone", ""))
            kept = _spec_closed_reasons(spec)
            self.public = {
                (c.day, c.reason)
                for c in definition.calendar.closed_days(first, last)
                if c.reason not in kept
            }
            self.entries = _holiday_entries(spec)

    def annotate(self, segment: Segment) -> Segment:
        first = segment.start.astimezone(self.zone).date()
        last = (segment.end - _MICROSECOND).astimezone(self.zone).date()
        closures: list[Closure] = []
        runs: dict[tuple[ClosureKind, str, str], int] = {}
        day = first
        while day <= last:
            for kind, name, region in self._reasons(day):
                key = (kind, name, region)
                index = runs.get(key)
                if index is not None and closures[index].last == day - _DAY:
                    closures[index] = replace(closures[index], last=day)
                else:
                    runs[key] = len(closures)
                    closures.append(Closure(kind, day, day, name, region))
            day += _DAY
        return replace(
            segment, closures=tuple(closures), reopens=self.calendar.next_open(segment.start)
        )

    def _reasons(self, day: date) -> list[tuple[ClosureKind, str, str]]:
        named = self.closed.get(day)
        if named:
            return [
                (ClosureKind.HOLIDAY, reason, self._region(day, reason))
                if (day, reason) in self.public
                else (ClosureKind.CLOSED, reason, "")
                for reason in named
            ]
        if self._has_hours(day):
            return [(ClosureKind.OUTSIDE_HOURS, "", "")]
        return [(ClosureKind.NO_HOURS, "", "")]

    def _has_hours(self, day: date) -> bool:
        found = self.open_days.get(day)
        if found is None:
            midnight = datetime.combine(day, time(), tzinfo=self.zone)
            following = datetime.combine(day + _DAY, time(), tzinfo=self.zone)
            found = self.open_days[day] = self.calendar.between(midnight, following) > _ZERO
        return found

    def _region(self, day: date, reason: str) -> str:
        """The region whose holiday closes ``day`` as ``reason`` (``CH-SG``): the one the
        calendar names, or those of its holiday sets that close the day so, when several."""
        regions = list(dict.fromkeys(region for region, _ in self.entries))
        if len(regions) <= 1:
            return regions[0] if regions else ""
        found = [
            region
            for region, entry in self.entries
            if (day, reason) in _entry_days(self.zone_name, entry, day)
        ]
        return ", ".join(dict.fromkeys(found))


def _spec_closed_reasons(spec: Mapping[str, object]) -> set[str]:
    """The reasons a spec's own closed dates and rules give (not public holidays)."""
    reasons: set[str] = set()
    closed = spec.get("closed", [])
    for item in closed if isinstance(closed, list | tuple) else ():
        reasons.add(str(item.get("reason", "closed")) if isinstance(item, Mapping) else "closed")
    rules = spec.get("rrule_closed", [])
    reasons.update(str(r) for r in (rules if isinstance(rules, list | tuple) else ()))
    return reasons


def _holiday_entries(spec: Mapping[str, object]) -> list[tuple[str, Mapping[str, object]]]:
    """A spec's holiday sets, each with its region: ``CH-SG``, ``DE``."""
    entries = spec.get("holidays", [])
    found = []
    for entry in entries if isinstance(entries, list | tuple) else ():
        if isinstance(entry, Mapping) and isinstance(entry.get("country"), str):
            subdivision = entry.get("subdiv")
            region = f"{entry['country']}-{subdivision}" if subdivision else str(entry["country"])
            found.append((region, entry))
    return found


def _entry_days(zone: str, entry: Mapping[str, object], day: date) -> set[tuple[date, str]]:
    """The days one holiday set closes on ``day`` (with their names)."""
    spec = {"timezone": zone, "hours": {"mon": ["00:00-24:00"]}, "holidays": [dict(entry)]}
    try:
        calendar = BusinessCalendar.from_spec(spec)
    except CalendarSpecError:
        return set()
    return {(c.day, c.reason) for c in calendar.closed_days(day, day)}
