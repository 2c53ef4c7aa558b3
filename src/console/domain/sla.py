"""SLA clocks: derived from a ticket's append-only history and its policy, at a given ``now``.

Nothing here is stored as truth. :func:`compute_clocks` reads the history and answers,
for each metric the policy times, where the clock stands (DESIGN.md section 2):

* A clock counts open time on its target's calendar from its start event to its stop
  event, minus the time the ticket spends in a status the policy pauses the metric on.
* Its due instant is the moment a breach begins (see :meth:`BusinessCalendar.add`); it is
  breached exactly when ``now`` (or the stop) is after the due instant.
* After a severity change the clock keeps its original start, takes the target and
  calendar of the new severity, and measures the time used again on the new calendar.
  A breach that happened under an earlier severity stays in the clock's history.
* ``periodic_update`` starts at the first response and re-arms at each update;
  ``escalation_response`` starts at each escalation. Earlier cycles' breaches stay in
  the history too.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from console.domain.calendar import BusinessCalendar
from console.domain.model import (
    ClockProjection,
    ClockState,
    EventKind,
    Metric,
    ProjectedClock,
    QueueGroup,
    QueueSummary,
    Status,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, Policy, Target, TargetKind, Waiver

__all__ = [
    "Breach",
    "ClockChange",
    "ClockCycle",
    "ClockState",
    "CycleTerms",
    "DueAnswer",
    "SlaClock",
    "clock_cycles",
    "clocks_and_queue_state",
    "compute_clocks",
    "due_for",
    "first_response",
    "next_due_at",
    "preview_severity_change",
    "queue_state",
    "reproject",
    "summarize",
    "unread_events",
]

_ZERO = timedelta(0)
_SECOND = timedelta(seconds=1)
# Later than any event: a pause that is on at `now` runs to here in a clock's plan.
_FAR = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Breach:
    """A breach in a clock's history: when it began and under which terms."""

    at: datetime
    severity: int
    target: timedelta
    overrun: timedelta  # business time over the target, up to the stop, a change, or now
    cycle: int


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Where one metric's clock of a ticket stands at ``now``. All instants are UTC."""

    metric: Metric
    state: ClockState
    severity: int
    target: Target | None
    calendar: BusinessCalendar | None
    started_at: datetime
    due: datetime | None
    stopped_at: datetime | None
    used: timedelta  # business time used (up to the stop, or now)
    resumes_at: datetime | None  # WAITING: the next opening
    paused_by: Status | None  # PAUSED: the status that pauses it
    waiver: Waiver | None
    waiver_reason: str | None
    breaches: tuple[Breach, ...]
    service_credit_days: int
    cycle: int  # 1 for the first cycle of a recurring clock

    @property
    def remaining(self) -> timedelta | None:
        """Business time left on the target (negative once breached); None if not timed."""
        if self.target is None or self.target.duration is None or not self.target.is_timed:
            return None
        if self.state in (ClockState.WAIVED, ClockState.NO_TARGET, ClockState.BEST_EFFORT):
            return None
        return self.target.duration - self.used

    @property
    def fraction_used(self) -> float | None:
        """Business time used as a fraction of the target (1.0 = due)."""
        if self.remaining is None:
            return None
        assert self.target is not None and self.target.duration is not None
        return self.used / self.target.duration

    @property
    def is_counting(self) -> bool:
        """Running or waiting for the calendar to open: it has a due instant ahead or behind."""
        return self.state in (ClockState.RUNNING, ClockState.WAITING) or (
            self.state is ClockState.BREACHED and self.stopped_at is None
        )

    @property
    def ever_breached(self) -> bool:
        return bool(self.breaches)

    @property
    def overrun(self) -> timedelta:
        """The largest business-time overrun in the history (zero when never breached)."""
        return max((b.overrun for b in self.breaches), default=_ZERO)


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class _History:
    """The facts of a history the clocks need, read once."""

    submitted: datetime
    severities: tuple[tuple[datetime, int], ...]  # (from, level), in order
    statuses: tuple[tuple[datetime, Status], ...]  # (from, status), in order
    responses: tuple[datetime, ...]  # non-automated responses
    updates: tuple[datetime, ...]
    escalations: tuple[tuple[datetime, bool], ...]
    answers: tuple[datetime, ...]
    rca: datetime | None
    waivers: tuple[tuple[str, str, datetime], ...]  # (waiver id, reason, at)

    def severity_at(self, t: datetime) -> int:
        level = self.severities[0][1]
        for since, value in self.severities:
            if since > t:
                break
            level = value
        return level

    def status_at(self, t: datetime) -> Status:
        status = self.statuses[0][1]
        for since, value in self.statuses:
            if since > t:
                break
            status = value
        return status

    def paused_spans(
        self, paused: frozenset[Status], now: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Spans ``[from, to)`` up to ``now`` during which the status is one of ``paused``."""
        spans: list[tuple[datetime, datetime]] = []
        if not paused:
            return spans
        for i, (since, status) in enumerate(self.statuses):
            if status in paused:
                until = self.statuses[i + 1][0] if i + 1 < len(self.statuses) else now
                if until > since:
                    if spans and spans[-1][1] >= since:
                        spans[-1] = (spans[-1][0], until)
                    else:
                        spans.append((since, until))
        return spans


Skipped = list[tuple[TicketEvent, str]]


def _read_history(
    events: Sequence[TicketEvent],
    now: datetime,
    levels: Container[int] | None = None,
    skipped: Skipped | None = None,
) -> _History | None:
    """The facts of the events at or before ``now``. Events at the same instant count in
    the order they were recorded (the sort is stable).

    A history starts with its ``created`` event (the first one recorded); None when there
    is none at or before ``now`` or it cannot be read (then the ticket has no clocks). What
    cannot be read is left out, never raised: an event a reader marked invalid
    (:attr:`TicketEvent.invalid`), events before the ``created`` one, another ``created``,
    a status that is not a :class:`Status`, a severity that is not a whole number or (given
    the policy's ``levels``) not a level of the policy, a waiver without its id. ``skipped``
    (when given) gets each event left out, with why."""

    def skip(event: TicketEvent, why: str) -> None:
        if skipped is not None:
            skipped.append((event, why))

    ordered = []
    created = None
    for event in events:
        if event.invalid is not None:
            skip(event, event.invalid.reason)
            continue
        if created is None and event.kind is EventKind.CREATED:
            created = event
        if event.at <= now:
            ordered.append(event)
    if created is None or created.at > now:
        return None
    ordered.sort(key=lambda e: e.at)
    start = next(i for i, e in enumerate(ordered) if e is created)
    for event in ordered[:start]:
        skip(event, "it is dated before the ticket was created")
    submitted = created.at.astimezone(UTC)
    level = _level(created.data.get("severity"), levels)
    status = _status(created.data.get("status", Status.OPEN))
    if level is None or status is None:
        skip(created, "its severity or status cannot be read: the ticket has no clocks")
        return None
    severities = [(submitted, level)]
    statuses = [(submitted, status)]
    responses: list[datetime] = []
    updates: list[datetime] = []
    escalations: list[tuple[datetime, bool]] = []
    answers: list[datetime] = []
    rca: datetime | None = None
    waivers: list[tuple[str, str, datetime]] = []
    for event in ordered[start + 1 :]:
        kind, at, data = event.kind, event.at.astimezone(UTC), event.data
        if kind is EventKind.RESPONDED and not data.get("automated", False):
            responses.append(at)
        elif kind is EventKind.UPDATE_SENT:
            updates.append(at)
            if not responses:  # an update is a message to the customer: the first answers
                responses.append(at)
        elif kind is EventKind.STATUS_CHANGED:
            status = _status(data.get("status"))
            if status is None:
                skip(event, f"status {data.get('status')!r} is not a status")
            else:
                statuses.append((at, status))
        elif kind is EventKind.SEVERITY_CHANGED:
            level = _level(data.get("to"), levels)
            if level is None:
                skip(event, f"severity {data.get('to')!r} is not a severity of the policy")
            else:
                severities.append((at, level))
        elif kind is EventKind.ESCALATED:
            escalations.append((at, bool(data.get("urgent", False))))
        elif kind is EventKind.ESCALATION_ANSWERED:
            answers.append(at)
        elif kind is EventKind.RCA_DELIVERED and rca is None:
            rca = at
        elif kind is EventKind.WAIVED:
            if "waiver" in data:
                waivers.append((str(data["waiver"]), str(data.get("reason", "")), at))
            else:
                skip(event, "it names no waiver")
        elif kind is EventKind.CREATED:
            skip(event, "a ticket is created once; this is another 'created' event")
    return _History(
        submitted,
        tuple(severities),
        tuple(statuses),
        tuple(responses),
        tuple(updates),
        tuple(escalations),
        tuple(answers),
        rca,
        tuple(waivers),
    )


def _level(value: object, levels: Container[int] | None) -> int | None:
    """A severity as the history holds it (a whole number), or None when it cannot be read
    or the policy (its ``levels``) has no such severity."""
    if isinstance(value, bool):
        return None
    try:
        level = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return level if levels is None or level in levels else None


def _status(value: Any) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


def _levels(policy: Policy) -> frozenset[int]:
    return frozenset(s.level for s in policy.severities)


def unread_events(
    policy: Policy, events: Sequence[TicketEvent], now: datetime
) -> tuple[tuple[TicketEvent, str], ...]:
    """The events of a history the clocks leave out at ``now`` under ``policy`` (see
    :func:`_read_history`), each with why."""
    skipped: Skipped = []
    _read_history(events, now, _levels(policy), skipped)
    return tuple(skipped)


# --------------------------------------------------------------------------- one cycle


def _active_spans(
    start: datetime, end: datetime | None, paused: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime | None]]:
    """``[start, end)`` minus the paused spans; the last span is open-ended when ``end`` is None."""
    spans: list[tuple[datetime, datetime | None]] = []
    cursor = start
    for a, b in paused:
        if b <= cursor or (end is not None and a >= end):
            continue
        if a > cursor:
            spans.append((cursor, a))
        cursor = max(cursor, b)
    if end is None or cursor < end:
        spans.append((cursor, end))
    return spans


def _due(
    calendar: BusinessCalendar, target: timedelta, spans: Sequence[tuple[datetime, datetime | None]]
) -> datetime | None:
    """Where the open time over ``spans`` reaches ``target`` (the due instant), or None.

    None means the spans end (a pause that is still on) before the target is used up.
    """
    remaining = target
    for a, b in spans:
        if b is None:
            return calendar.add(a, remaining)
        available = calendar.between(a, b)
        if available > remaining:
            return calendar.add(a, remaining)
        remaining -= available
    return None


def _used(
    calendar: BusinessCalendar, spans: Sequence[tuple[datetime, datetime | None]], until: datetime
) -> timedelta:
    total = _ZERO
    for a, b in spans:
        if a >= until:
            break
        total += calendar.between(a, until if b is None or b > until else b)
    return total


@dataclass(frozen=True, slots=True)
class _Terms:
    severity: int
    target: Target | None
    calendar: BusinessCalendar | None


@dataclass(frozen=True, slots=True)
class CycleTerms:
    """The terms a cycle counts under from ``since`` on: the severity, its target and calendar."""

    since: datetime
    severity: int
    target: Target | None
    calendar: BusinessCalendar | None


@dataclass(frozen=True, slots=True)
class ClockCycle:
    """One cycle of a clock and what :func:`compute_clocks` counts it over (all UTC).

    The cycle runs over ``[clock.started_at, end)``, ``end`` being its stop or ``now``.
    ``counting`` is that span less the time the ticket's status pauses the metric: the
    clock's ``used`` is the open time of ``clock.calendar`` within these spans. ``paused`` is
    the rest of it, split where the pausing status changes. ``terms`` holds the severity in
    force at the start, then each severity change up to ``end`` (a change at ``end`` counts).
    ``clock`` carries this cycle's own breaches only.
    """

    clock: SlaClock
    end: datetime
    counting: tuple[tuple[datetime, datetime], ...]
    paused: tuple[tuple[datetime, datetime, Status], ...]
    terms: tuple[CycleTerms, ...]


class _ClockMaker:
    """Computes clocks of one ticket: the policy, the history and ``now`` held together."""

    def __init__(
        self,
        policy: Policy,
        plan: str,
        history: _History,
        now: datetime,
        company_periods: tuple[CompanyPeriod, ...],
    ) -> None:
        self.policy = policy
        self.plan = plan
        self.history = history
        self.now = now
        self.company_periods = company_periods
        self.projected: list[ProjectedClock] = []  # the clocks counting or paused, in order
        self.cycles: list[ClockCycle] | None = None  # a list: every cycle is kept there

    def terms(self, metric: Metric, severity: int, urgent: bool = False) -> _Terms:
        target = self.policy.target(self.plan, severity, metric, urgent=urgent)
        calendar = None
        if target is not None and target.calendar is not None:
            calendar = self.policy.calendar(target.calendar, self.company_periods)
        return _Terms(severity, target, calendar)

    def cycle(
        self,
        metric: Metric,
        start: datetime,
        stop: datetime | None,
        number: int,
        urgent: bool = False,
    ) -> SlaClock:
        """The clock of one cycle that starts at ``start`` and stops at ``stop`` (None: not yet),
        kept with what it counts over when :attr:`cycles` is a list."""
        clock = self._count(metric, start, stop, number, urgent)
        if self.cycles is not None:
            self.cycles.append(self._counted_over(clock, urgent))
        return clock

    def _counted_over(self, clock: SlaClock, urgent: bool) -> ClockCycle:
        """``clock``'s cycle with the spans :meth:`_count` measured it over: the same
        functions on the same history, so ``used`` is the open time within ``counting``."""
        history, start, stop = self.history, clock.started_at, clock.stopped_at
        end = stop if stop is not None else self.now
        paused = history.paused_spans(self.policy.pauses_for(clock.metric), self.now)
        counting = tuple(
            (a, end if b is None or b > end else b)  # clipped as _used clips them
            for a, b in _active_spans(start, stop, paused)
            if a < end
        )
        rest: list[tuple[datetime, datetime, Status]] = []
        cursor = start
        for a, b in (*counting, (end, end)):
            if a > cursor:
                rest.extend(_by_status(history, cursor, a))
            cursor = max(cursor, b)
        changes = [(start, history.severity_at(start))]
        changes += [(at, level) for at, level in history.severities if start < at <= end]
        terms = []
        for since, level in changes:
            found = self.terms(clock.metric, level, urgent)
            terms.append(CycleTerms(since, level, found.target, found.calendar))
        return ClockCycle(clock, end, counting, tuple(rest), tuple(terms))

    def _count(
        self,
        metric: Metric,
        start: datetime,
        stop: datetime | None,
        number: int,
        urgent: bool = False,
    ) -> SlaClock:
        """The clock of one cycle that starts at ``start`` and stops at ``stop`` (None: not yet)."""
        history, now = self.history, self.now
        end = stop if stop is not None else now
        paused_statuses = self.policy.pauses_for(metric)
        paused = history.paused_spans(paused_statuses, now)
        spans = _active_spans(start, stop, paused)
        # The due instant is where the target runs out if the clock kept counting after
        # its stop (pauses until then still apply): a clock met early keeps its due.
        due_spans = _active_spans(start, None, [(a, min(b, end)) for a, b in paused if a < end])
        current = self.terms(metric, history.severity_at(end), urgent)

        # Breaches under earlier severities, each while it was in force.
        breaches: list[Breach] = []
        # The severity in force at `end` decides the terms (a change at `end` counts).
        changes = [(at, level) for at, level in history.severities if at <= end]
        segments = [
            (max(at, start), changes[i + 1][0] if i + 1 < len(changes) else None, level)
            for i, (at, level) in enumerate(changes)
            if i + 1 == len(changes) or changes[i + 1][0] > start
        ]
        for seg_start, seg_end, level in segments[:-1]:
            assert seg_end is not None
            terms = self.terms(metric, level, urgent)
            breach = self._breach(terms, spans, due_spans, seg_start, seg_end, number)
            if breach is not None:
                breaches.append(breach)

        waiver, reason = self._waiver(metric)
        target = current.target

        def clock(
            state: ClockState,
            due: datetime | None = None,
            used: timedelta = _ZERO,
            resumes_at: datetime | None = None,
            paused_by: Status | None = None,
        ) -> SlaClock:
            kept = () if state is ClockState.WAIVED else tuple(breaches)
            return SlaClock(
                metric=metric,
                state=state,
                severity=current.severity,
                target=target,
                calendar=current.calendar,
                started_at=start,
                due=due,
                stopped_at=stop,
                used=used,
                resumes_at=resumes_at,
                paused_by=paused_by,
                waiver=waiver,
                waiver_reason=reason,
                breaches=kept,
                service_credit_days=self._credits(metric, kept),
                cycle=number,
            )

        if waiver is not None:
            return clock(ClockState.WAIVED)
        if target is None or target.kind is not TargetKind.TIMED or current.calendar is None:
            if target is not None and target.kind is TargetKind.BEST_EFFORT:
                return clock(ClockState.BEST_EFFORT)
            return clock(ClockState.NO_TARGET)

        assert target.duration is not None
        calendar = current.calendar
        if stop is None:
            self._plan(metric, start, target, paused_statuses)
        due = _due(calendar, target.duration, due_spans)
        used = _used(calendar, spans, end)
        if due is not None and end > due:
            seg_start = segments[-1][0] if segments else start
            breaches.append(
                Breach(
                    max(due, seg_start),
                    current.severity,
                    target.duration,
                    used - target.duration,
                    number,
                )
            )
        if stop is not None:
            late = due is not None and stop > due
            return clock(ClockState.BREACHED if late else ClockState.MET, due, used)
        if due is not None and now > due:
            return clock(ClockState.BREACHED, due, used)
        status = history.status_at(now)
        if status in paused_statuses:
            return clock(ClockState.PAUSED, None, used, paused_by=status)
        if not calendar.is_open(now):
            return clock(ClockState.WAITING, due, used, resumes_at=calendar.next_open(now))
        return clock(ClockState.RUNNING, due, used)

    def _plan(
        self, metric: Metric, start: datetime, target: Target, paused: frozenset[Status]
    ) -> None:
        """Plan a clock that has not stopped: its spans with a pause that is on now left open
        (see :class:`ClockProjection`); no calendar is consulted."""
        assert target.calendar is not None and target.duration is not None
        spans = _active_spans(start, None, self.history.paused_spans(paused, _FAR))
        counted = tuple((a, b) for a, b in spans[:-1] if b is not None)
        tail = spans[-1][0]
        if tail >= _FAR:  # paused now
            status = self.history.status_at(self.now)
            entry = ProjectedClock(metric, target.calendar, target.duration, counted, None, status)
        else:
            entry = ProjectedClock(metric, target.calendar, target.duration, counted, tail)
        self.projected.append(entry)

    def _breach(
        self,
        terms: _Terms,
        spans: Sequence[tuple[datetime, datetime | None]],
        due_spans: Sequence[tuple[datetime, datetime | None]],
        seg_start: datetime,
        seg_end: datetime,
        number: int,
    ) -> Breach | None:
        target = terms.target
        if target is None or not target.is_timed or terms.calendar is None:
            return None
        assert target.duration is not None
        due = _due(terms.calendar, target.duration, due_spans)
        if due is None or due >= seg_end:
            return None
        used = _used(terms.calendar, spans, seg_end)
        return Breach(
            max(due, seg_start), terms.severity, target.duration, used - target.duration, number
        )

    def _waiver(self, metric: Metric) -> tuple[Waiver | None, str | None]:
        for waiver_id, reason, _ in self.history.waivers:
            try:
                waiver = self.policy.waiver(waiver_id)
            except KeyError:
                continue
            if metric in waiver.metrics:
                return waiver, reason
        return None, None

    def _credits(self, metric: Metric, breaches: Iterable[Breach]) -> int:
        """Service credit days: each failure earns its own. A failure is one cycle of the
        clock (each escalation, each update period); a cycle breached under several
        severities is one failure, earning the credits of its largest overrun."""
        rule = self.policy.service_credit(self.plan, metric)
        if rule is None:
            return 0
        per_failure: dict[int, int] = {}
        for breach in breaches:
            credits = rule.credits(breach.overrun)
            per_failure[breach.cycle] = max(per_failure.get(breach.cycle, 0), credits)
        return sum(per_failure.values()) * rule.credit_days


def _by_status(
    history: _History, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, Status]]:
    """``[start, end)`` split where the ticket's status changes, each piece with its status."""
    cuts = [at for at, _ in history.statuses if start < at < end]
    edges = sorted({start, *cuts, end})
    return [(a, b, history.status_at(a)) for a, b in pairwise(edges)]


def _done_spans(history: _History) -> list[tuple[datetime, datetime | None]]:
    """Spans during which the ticket was resolved or closed (the last may be open-ended)."""
    spans: list[tuple[datetime, datetime | None]] = []
    statuses = history.statuses
    for i, (since, status) in enumerate(statuses):
        if not status.is_done:
            continue
        until = statuses[i + 1][0] if i + 1 < len(statuses) else None
        if spans and spans[-1][1] == since:  # resolved, then closed: one span
            spans[-1] = (spans[-1][0], until)
        else:
            spans.append((since, until))
    return spans


def _initial_response(maker: _ClockMaker) -> SlaClock:
    """From submission to the first response; a resolution before any response stops it,
    and a reopening before any response starts it again (a new cycle from the reopening:
    the customer still awaits a first answer)."""
    history = maker.history
    first = history.responses[0] if history.responses else None
    done = _done_spans(history)
    starts = [history.submitted]
    starts += [
        until
        for _, until in done
        if until is not None and until > history.submitted and (first is None or until < first)
    ]
    earlier: list[Breach] = []
    clock = None
    for number, start in enumerate(starts, start=1):
        resolution = min((since for since, _ in done if since >= start), default=None)
        if resolution == start and number > 1:
            resolution = None  # reopened and resolved at one instant: no time to answer
        stops = [t for t in (first, resolution) if t is not None and t >= start]
        clock = maker.cycle(Metric.INITIAL_RESPONSE, start, min(stops, default=None), number)
        if number < len(starts):
            earlier.extend(clock.breaches)
    assert clock is not None
    return _with_history(maker, clock, earlier)


def _periodic_update(maker: _ClockMaker) -> SlaClock | None:
    """Cycles: from the first response, re-armed by every update or later response, stopped
    by a resolution and started again by a reopening."""
    history = maker.history
    if not history.responses:
        return None
    first = history.responses[0]
    done = _done_spans(history)
    marks = sorted(
        {
            first,
            *(u for u in history.updates if u > first),
            *(r for r in history.responses if r > first),
        }
    )
    # A reopening after the first response restarts the updates, whenever the ticket was
    # resolved (before or after that response).
    starts = list(marks) + [until for _, until in done if until is not None and until >= first]
    starts.sort()
    cycles: list[tuple[datetime, datetime | None]] = []
    for i, start in enumerate(starts):
        if any(since <= start and (until is None or start < until) for since, until in done):
            continue  # a response while resolved does not arm a clock
        nxt = starts[i + 1] if i + 1 < len(starts) else None
        resolution = min((since for since, _ in done if since > start), default=None)
        stop = min((t for t in (nxt, resolution) if t is not None), default=None)
        cycles.append((start, stop))
    if not cycles:
        return None
    earlier: list[Breach] = []
    clock = None
    for number, (start, stop) in enumerate(cycles, start=1):
        clock = maker.cycle(Metric.PERIODIC_UPDATE, start, stop, number)
        if number < len(cycles):
            earlier.extend(clock.breaches)
    assert clock is not None
    return _with_history(maker, clock, earlier)


def _escalation_response(maker: _ClockMaker) -> SlaClock | None:
    """One cycle per escalation, stopped by a manager's answer, the next escalation or the
    ticket's resolution."""
    history = maker.history
    if not history.escalations:
        return None
    earlier: list[Breach] = []
    clock = None
    count = len(history.escalations)
    for number, (start, urgent) in enumerate(history.escalations, start=1):
        nxt = history.escalations[number][0] if number < count else None
        answer = min((a for a in history.answers if a >= start), default=None)
        resolved = min((r for r, _ in _done_spans(history) if r >= start), default=None)
        stop = min((t for t in (answer, nxt, resolved) if t is not None), default=None)
        clock = maker.cycle(Metric.ESCALATION_RESPONSE, start, stop, number, urgent)
        if number < count:
            earlier.extend(clock.breaches)
    assert clock is not None
    return _with_history(maker, clock, earlier)


def _with_history(maker: _ClockMaker, clock: SlaClock, earlier: list[Breach]) -> SlaClock:
    if not earlier:
        return clock
    breaches = (*earlier, *clock.breaches)
    return replace(
        clock, breaches=breaches, service_credit_days=maker._credits(clock.metric, breaches)
    )


def _has_target(maker: _ClockMaker, metric: Metric, urgent: bool = False) -> bool:
    """Whether the plan sets a target (any kind) for the metric at a severity the ticket had
    (for an escalation, of that urgency)."""
    return any(
        maker.policy.target(maker.plan, level, metric, urgent=urgent) is not None
        for _, level in maker.history.severities
    )


def first_response(events: Sequence[TicketEvent], now: datetime) -> datetime | None:
    """The first message that answers the customer by ``now``: a response that is not
    automated, or an update sent before any response."""
    history = _read_history(events, now)
    return history.responses[0] if history is not None and history.responses else None


def compute_clocks(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    company_periods: Iterable[CompanyPeriod] = (),
) -> tuple[SlaClock, ...]:
    """Every clock of a ticket at ``now``: only the events at or before ``now`` count.

    ``policy`` carries the customer's overrides already (:meth:`Policy.for_customer`).
    A metric appears when the plan sets a target for it (timed, best effort or none) at a
    severity the ticket has had and its clock has started.
    """
    history = _read_history(events, now, _levels(policy))
    if history is None:
        return ()
    return _clocks(_ClockMaker(policy, plan, history, now, tuple(company_periods)))


def clock_cycles(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    company_periods: Iterable[CompanyPeriod] = (),
) -> tuple[tuple[SlaClock, tuple[ClockCycle, ...]], ...]:
    """Every clock :func:`compute_clocks` gives at ``now`` (the same clocks, in its order),
    each with its cycles from first to last, computed in the same pass.

    A clock that does not recur has one cycle. The last cycle's clock is the clock itself,
    but for the breaches of earlier cycles (and their service credits), which only the clock
    carries.
    """
    history = _read_history(events, now, _levels(policy))
    if history is None:
        return ()
    maker = _ClockMaker(policy, plan, history, now, tuple(company_periods))
    maker.cycles = []
    clocks = _clocks(maker)
    by_metric: dict[Metric, list[ClockCycle]] = {}
    for cycle in maker.cycles:
        by_metric.setdefault(cycle.clock.metric, []).append(cycle)
    return tuple((clock, tuple(by_metric[clock.metric])) for clock in clocks)


def _clocks(maker: _ClockMaker) -> tuple[SlaClock, ...]:
    history = maker.history
    clocks: list[SlaClock] = []
    if _has_target(maker, Metric.INITIAL_RESPONSE):
        clocks.append(_initial_response(maker))
    if _has_target(maker, Metric.PERIODIC_UPDATE):
        periodic = _periodic_update(maker)
        if periodic is not None:
            clocks.append(periodic)
    if _has_target(maker, Metric.PRELIMINARY_RCA):
        clocks.append(maker.cycle(Metric.PRELIMINARY_RCA, history.submitted, history.rca, 1))
    escalation = _escalation_response(maker)
    urgencies = {urgent for _, urgent in history.escalations}
    if escalation is not None and any(
        _has_target(maker, Metric.ESCALATION_RESPONSE, urgent) for urgent in urgencies
    ):
        clocks.append(escalation)
    return tuple(clocks)


def summarize(clocks: Iterable[SlaClock]) -> tuple[datetime | None, QueueSummary]:
    """The ticket's ``next_due_at`` and its queue summary: the counting clock due first; else
    the paused clock with the least business time left; else best effort or no target."""
    clocks = tuple(clocks)
    counting = [c for c in clocks if c.is_counting and c.due is not None]
    if counting:
        lead = min(counting, key=lambda c: c.due)  # type: ignore[arg-type, return-value]
        return lead.due, _summary(QueueGroup.DUE, lead)
    paused = [c for c in clocks if c.state is ClockState.PAUSED and c.remaining is not None]
    if paused:
        lead = min(paused, key=lambda c: c.remaining)  # type: ignore[arg-type, return-value]
        return None, _summary(QueueGroup.PAUSED, lead)
    for state, kind in (
        (ClockState.BEST_EFFORT, QueueGroup.BEST_EFFORT),
        (ClockState.NO_TARGET, QueueGroup.NO_TARGET),
    ):
        for clock in clocks:
            if clock.state is state:
                return None, _summary(kind, clock)
    return None, QueueSummary()


def queue_state(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    company_periods: Iterable[CompanyPeriod] = (),
    basis: str = "",
) -> tuple[datetime | None, QueueSummary]:
    """``summarize(compute_clocks(...))``, with the summary's :class:`ClockProjection` (on
    ``basis``) attached when no event is after ``now``. A history with no readable
    ``created`` event has no clocks (see :func:`_read_history`)."""
    due, summary, _, _ = clocks_and_queue_state(
        policy, plan, events, now, company_periods=company_periods, basis=basis
    )
    return due, summary


def clocks_and_queue_state(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    company_periods: Iterable[CompanyPeriod] = (),
    basis: str = "",
) -> tuple[datetime | None, QueueSummary, tuple[SlaClock, ...], datetime | None]:
    """:func:`queue_state`, the clocks it summarizes (:func:`compute_clocks`'s) and the
    first response (:func:`first_response`'s), computed in one pass."""
    history = _read_history(events, now, _levels(policy))
    projected: list[ProjectedClock] = []
    due, summary = None, QueueSummary()
    clocks: tuple[SlaClock, ...] = ()
    responded = None
    if history is not None:
        maker = _ClockMaker(policy, plan, history, now, tuple(company_periods))
        clocks = _clocks(maker)
        due, summary = summarize(clocks)
        projected = maker.projected
        responded = history.responses[0] if history.responses else None
    if all(e.at <= now for e in events if e.invalid is None):  # an invalid one never counts
        summary = replace(summary, projection=ClockProjection(now, tuple(projected), basis))
    return due, summary, clocks, responded


def reproject(
    projection: ClockProjection,
    summary: QueueSummary,
    calendar: Callable[[str], BusinessCalendar],
    now: datetime,
) -> tuple[datetime | None, QueueSummary] | None:
    """The ``next_due_at`` and queue summary at ``now`` from a ticket's clock ``projection``
    and cached ``summary``, with the calendars ``calendar`` gives by id: what
    :func:`queue_state` gives from the whole history, as long as no event came after the
    projection. None when ``now`` is before it."""
    if now < projection.as_of:
        return None
    lead: ProjectedClock | None = None
    lead_due: datetime | None = None
    rest: ProjectedClock | None = None  # the paused clock with the least time left
    rest_left = _ZERO
    for entry in projection.clocks:
        on = calendar(entry.calendar)
        if entry.since is not None:
            due = _due(on, entry.target, (*entry.spans, (entry.since, None)))
        else:  # paused: it would count again from now (and may be breached already)
            due = _due(on, entry.target, (*entry.spans, (now, None)))
            assert due is not None
            if not now > due:
                left = entry.target - _used(on, entry.spans, now)
                if rest is None or left < rest_left:
                    rest, rest_left = entry, left
                continue
        assert due is not None
        if lead_due is None or due < lead_due:
            lead, lead_due = entry, due
    if lead is not None:
        kind = QueueGroup.DUE
        return lead_due, QueueSummary(
            kind, lead.metric, lead.calendar, lead.target, projection=projection
        )
    if rest is not None:
        return None, QueueSummary(
            QueueGroup.PAUSED,
            rest.metric,
            rest.calendar,
            rest.target,
            _to_the_second(rest_left),
            rest.paused_by,
            projection=projection,
        )
    return None, summary


def _summary(kind: QueueGroup, clock: SlaClock) -> QueueSummary:
    target = clock.target
    return QueueSummary(
        kind,
        clock.metric,
        target.calendar if target is not None else None,
        target.duration if target is not None and target.is_timed else None,
        _to_the_second(clock.remaining) if kind is QueueGroup.PAUSED else None,
        clock.paused_by,
    )


def _to_the_second(value: timedelta | None) -> timedelta | None:
    """Business time left on a paused clock, as cached: whole seconds (rounded down)."""
    if value is None:
        return None
    return timedelta(seconds=value // _SECOND)


def next_due_at(clocks: Iterable[SlaClock]) -> datetime | None:
    """The earliest due instant among clocks still counting (breached ones included): the
    value cached in the database to sort the queue."""
    return min((c.due for c in clocks if c.is_counting and c.due is not None), default=None)


# --------------------------------------------------------------------------- severity changes


@dataclass(frozen=True, slots=True)
class ClockChange:
    """One metric's clock before and after a severity change (None: no such clock)."""

    metric: Metric
    before: SlaClock | None
    after: SlaClock | None


def preview_severity_change(
    policy: Policy,
    plan: str,
    events: Sequence[TicketEvent],
    to: int,
    at: datetime,
    *,
    reason: str = "",
    company_periods: Iterable[CompanyPeriod] = (),
) -> tuple[ClockChange, ...]:
    """Every clock as it stands at ``at``, and as it would with the severity changed to ``to``
    then: the same computation as after the change, so preview and result agree."""
    periods = tuple(company_periods)
    current = {
        c.metric: c for c in compute_clocks(policy, plan, events, at, company_periods=periods)
    }
    history = _read_history(events, at, _levels(policy))
    if history is None:
        return ()
    data = {"from": history.severity_at(at), "to": to, "reason": reason}
    changed = (*events, TicketEvent(EventKind.SEVERITY_CHANGED, at, data))
    after = {
        c.metric: c for c in compute_clocks(policy, plan, changed, at, company_periods=periods)
    }
    return tuple(
        ClockChange(metric, current.get(metric), after.get(metric))
        for metric in Metric
        if metric in current or metric in after
    )


# --------------------------------------------------------------------------- the due command


@dataclass(frozen=True, slots=True)
class DueAnswer:
    """The due instant of a clock that starts at ``start`` and never pauses."""

    target: Target | None
    calendar: BusinessCalendar | None
    due: datetime | None

    @property
    def best_effort(self) -> bool:
        return self.target is not None and self.target.kind is TargetKind.BEST_EFFORT


def due_for(
    policy: Policy,
    plan: str,
    severity: int,
    metric: Metric,
    start: datetime,
    *,
    urgent: bool = False,
    company_periods: Iterable[CompanyPeriod] = (),
) -> DueAnswer:
    """When a clock of ``metric`` starting at ``start`` is due (None without a timed target).

    Raises KeyError naming the unknown plan or severity.
    """
    target = policy.target(plan, severity, metric, urgent=urgent)
    if target is None or not target.is_timed:
        return DueAnswer(target, None, None)
    assert target.calendar is not None and target.duration is not None
    calendar = policy.calendar(target.calendar, company_periods)
    return DueAnswer(target, calendar, calendar.add(start, target.duration))
