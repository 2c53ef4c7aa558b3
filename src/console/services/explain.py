"""Why a ticket's clocks stand where they do, for the detail pane and the command line.

:func:`explain_ticket` explains every clock of a ticket as :meth:`PolicyBook.clocks` computes
it (:func:`console.domain.explain.explain_clocks`: the same policy, company holiday periods
and instant). :class:`ExplainTicket` reads one ticket from the database and explains it.
:func:`cycle_rows` and :func:`explanation_lines` put an explanation into words, durations and
instants by :mod:`console.services.texts`; nothing is computed again here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from console.adapters.repository import UnitOfWork
from console.domain.explain import (
    ClockExplanation,
    Closure,
    ClosureKind,
    CycleExplanation,
    Marker,
    MarkerKind,
    Segment,
    SegmentKind,
    explain_clocks,
)
from console.domain.model import Customer, EventKind, Metric, Status, TicketEvent
from console.domain.policy import Policy, Target
from console.domain.sla import ClockState
from console.services import words
from console.services.clock_text import RECURRING, state_text
from console.services.labels import clock_state_label, metric_label, status_label
from console.services.texts import (
    BEST_EFFORT,
    NO_TIMED_TARGET,
    business_duration,
    business_span,
    day_text,
    day_time_text,
    format_span,
    instant_text,
    overdue_text,
    target_text,
    when_text,
)
from console.services.tickets import PolicyBook
from console.services.views import Query

__all__ = [
    "CycleRows",
    "ExplainTicket",
    "ExplanationRow",
    "TicketExplanation",
    "calendar_zone",
    "closure_text",
    "cycle_rows",
    "explain_ticket",
    "explanation_lines",
    "explanation_title",
]

_ZERO = timedelta(0)
_MARKER_KINDS = frozenset(kind.value for kind in MarkerKind)
_WEEKEND = frozenset({5, 6})


# --------------------------------------------------------------------------- computing


def explain_ticket(
    book: PolicyBook, customer: Customer, events: Iterable[TicketEvent], now: datetime
) -> tuple[ClockExplanation, ...]:
    """Every clock of a ticket at ``now`` (at its submission if that is later), explained:
    the clocks :meth:`PolicyBook.clocks` gives, in its order, each with all its cycles."""
    history = tuple(events)
    if not history:
        return ()
    at = max(now, min(e.at for e in history))
    return explain_clocks(
        book.policy_for(customer),
        customer.plan,
        history,
        at,
        company_periods=book.periods.get(customer.policy_id, ()),
    )


def calendar_zone(policy: Policy) -> str:
    """The IANA zone of the policy's calendars (the zone their hours are kept in); ``UTC``
    when it has none or they differ."""
    zones = {str(d.spec.get("timezone", "")) for d in policy.calendars.values()}
    return zones.pop() if len(zones) == 1 and "" not in zones else "UTC"


@dataclass(frozen=True, slots=True)
class TicketExplanation:
    """A ticket's clocks explained at ``now``; ``zone`` is the IANA zone of its policy's
    calendars (:func:`calendar_zone`), the one to show instants in unless told otherwise."""

    key: str
    title: str
    customer: str
    vendor: str
    plan: str
    now: datetime
    zone: str
    clocks: tuple[ClockExplanation, ...]
    policy: Policy  # the customer's effective policy: its calendars' names


@dataclass(frozen=True, slots=True)
class ExplainTicket(Query[TicketExplanation]):
    """Ticket ``key``'s clocks explained at ``at`` (default: now). Raises
    :class:`~console.domain.errors.NotFoundError` for an unknown key."""

    key: str
    at: datetime | None = None

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> TicketExplanation:
        when = (self.at or now).astimezone(UTC)
        ticket = uow.tickets.get(self.key)
        customer = uow.customers.get(ticket.customer)
        policy = book.policy_for(customer)
        clocks = explain_ticket(book, customer, ticket.events, when)
        at = clocks[0].now if clocks else when
        return TicketExplanation(
            ticket.key,
            ticket.title,
            customer.name,
            policy.vendor,
            customer.plan,
            at,
            calendar_zone(policy),
            clocks,
            policy,
        )

    @property
    def topic(self) -> Hashable:
        return (ExplainTicket, self.key)


# --------------------------------------------------------------------------- in words


@dataclass(frozen=True, slots=True)
class ExplanationRow:
    """One line of a timeline in words.

    ``kind`` is the segment's kind (``counted``, ``closed``, ``paused``; ``over_target`` for
    time counted after the target ran out) or the marker's (``started``, ``severity_changed``,
    ``target_ran_out``, ``breached``, ``stopped``, ``now``). ``when`` is the span or the
    instant (``Fri 20 Nov 17:00 - Mon 08:00``), ``day`` and ``time`` its start
    (``Fri 20 Nov``, ``17:00``). ``length`` is the business time counted of a counted segment
    (``26h 00m``: never in days), the wall-clock time of a closed or paused one (``2d 15h``),
    and empty for a marker. ``tooltip`` gives
    the instants in full."""

    kind: str
    when: str
    length: str
    text: str
    tooltip: str
    day: str
    time: str

    @property
    def is_marker(self) -> bool:
        return self.kind in _MARKER_KINDS


@dataclass(frozen=True, slots=True)
class CycleRows:
    """One cycle in words: ``title`` (``update #3``; empty for a clock's only cycle), its
    ``outcome`` (``met``, ``breached, overdue 30m 00s (business time)``, ``running``), a
    one-line ``summary`` of what counted, and its rows in time order."""

    title: str
    outcome: str
    summary: str
    current: bool
    rows: tuple[ExplanationRow, ...]


def explanation_title(explanation: ClockExplanation, zone: tzinfo) -> str:
    """``Initial response: breached, overdue 32h 00m (business time)``: the clock and where
    it stands."""
    clock = explanation.clock
    return f"{metric_label(clock.metric)}: {state_text(clock, zone, explanation.now)}"


def explanation_rows(
    explanation: ClockExplanation, zone: tzinfo, policy: Policy
) -> tuple[CycleRows, ...]:
    """Every cycle of a clock of a ticket under ``policy`` in words, first to last, instants
    in ``zone``."""
    count = len(explanation.cycles)
    return tuple(
        cycle_rows(cycle, zone, explanation.now, policy, number=i, of=count)
        for i, cycle in enumerate(explanation.cycles, start=1)
    )


def cycle_rows(
    cycle: CycleExplanation,
    zone: tzinfo,
    now: datetime,
    policy: Policy,
    *,
    number: int = 1,
    of: int = 1,
) -> CycleRows:
    """Cycle ``number`` of ``of`` of a clock under ``policy`` in words, instants in
    ``zone``."""
    rows = tuple(
        _marker_row(item, cycle, zone, now, policy)
        if isinstance(item, Marker)
        else _segment_row(item, zone)
        for item in cycle.timeline()
    )
    title = _cycle_title(cycle, number, of)
    return CycleRows(title, _outcome(cycle), _summary(cycle, policy), number == of, rows)


def _cycle_title(cycle: CycleExplanation, number: int, of: int) -> str:
    if of <= 1:
        return ""
    noun = words.tr(RECURRING.get(cycle.clock.metric, words.QT_TR_NOOP("cycle")))
    title = f"{noun} #{number}"
    return words.tr("{cycle} (current)").format(cycle=title) if number == of else title


def _summary(cycle: CycleExplanation, policy: Policy) -> str:
    """``11h 00m counted against 12 business hours on ZITADEL business hours · 2d 15h closed
    · 1h 05m paused``: business time counted, wall-clock time closed and paused."""
    clock = cycle.clock
    if not cycle.counts:
        if clock.state is ClockState.WAIVED:
            reason = clock.waiver_reason or (clock.waiver.name if clock.waiver else "")
            if reason:
                return words.tr("waived: {reason}; nothing counts").format(reason=reason)
            return words.tr("waived; nothing counts")
        none = words.tr(NO_TIMED_TARGET)
        if clock.state is ClockState.BEST_EFFORT:
            return words.tr("{best_effort}: {none}; nothing counts").format(
                best_effort=words.tr(BEST_EFFORT), none=none
            )
        return words.tr("{none}; nothing counts").format(none=none)
    target = clock.target
    assert target is not None and target.duration is not None
    parts = [
        words.tr("{counted} counted against {target}").format(
            counted=business_span(cycle.counted), target=target_text(target, policy)
        )
    ]
    for kind, said in (
        (SegmentKind.CLOSED, words.QT_TR_NOOP("{span} closed")),
        (SegmentKind.PAUSED, words.QT_TR_NOOP("{span} paused")),
    ):
        total = sum((s.length for s in cycle.segments if s.kind is kind), _ZERO)
        if total > _ZERO:
            parts.append(words.tr(said).format(span=format_span(total)))
    return " \u00b7 ".join(parts)


def _when(start: datetime, end: datetime | None, zone: tzinfo) -> str:
    """``Fri 20 Nov 09:00-17:00`` (an en dash), ``Fri 20 Nov 17:00 - Mon 23 Nov 08:00`` (the
    end's date when it is another day), or ``Fri 20 Nov 17:00`` without an end."""
    first = day_time_text(start, zone)
    if end is None:
        return first
    local_end = end.astimezone(zone)
    if local_end.date() == start.astimezone(zone).date():
        return f"{first}\u2013{local_end:%H:%M}"
    return f"{first} \u2013 {day_time_text(end, zone)}"


def _row(
    kind: str,
    start: datetime,
    when: str,
    length: str,
    text: str,
    tooltip: str,
    zone: tzinfo,
) -> ExplanationRow:
    local = start.astimezone(zone)
    return ExplanationRow(
        kind, when, length, text, tooltip, day_text(local.date()), f"{local:%H:%M}"
    )


def _segment_row(segment: Segment, zone: tzinfo) -> ExplanationRow:
    tooltip = f"{instant_text(segment.start, zone)} \u2013 {instant_text(segment.end, zone)}"
    when = _when(segment.start, segment.end, zone)
    if segment.kind is SegmentKind.COUNTED:
        kind = "over_target" if segment.over_target else SegmentKind.COUNTED.value
        text = words.tr("counted, over the target") if segment.over_target else words.tr("counted")
        counted = business_span(segment.counted)
        return _row(kind, segment.start, when, counted, text, tooltip, zone)
    length = format_span(segment.length)
    if segment.kind is SegmentKind.PAUSED:
        status = segment.paused_by
        if status is not None:
            text = words.tr("paused: {status}").format(status=status_label(status))
        else:
            text = words.tr("paused")
        return _row(SegmentKind.PAUSED.value, segment.start, when, length, text, tooltip, zone)
    if segment.reopens is not None:
        reopens = day_time_text(segment.reopens, zone)
        text = words.tr("closed until {when}").format(when=reopens)
    else:
        text = words.tr("closed", "calendar")
    why = closures_text(segment.closures)
    if why:
        text += f": {why}"
    if segment.reopens is not None:
        again = instant_text(segment.reopens, zone)
        tooltip += "\n" + words.tr("opens again {when}").format(when=again)
    return _row(SegmentKind.CLOSED.value, segment.start, when, length, text, tooltip, zone)


def closures_text(closures: Sequence[Closure]) -> str:
    """Why a stretch is closed: named days first, then days without hours; "outside support
    hours" only when nothing else closes it (a weekend begins and ends outside hours)."""
    rank = {ClosureKind.HOLIDAY: 0, ClosureKind.CLOSED: 0, ClosureKind.NO_HOURS: 1}
    ordered = sorted(closures, key=lambda c: rank.get(c.kind, 2))
    texts = list(dict.fromkeys(closure_text(c) for c in ordered))
    if len(texts) > 1:
        outside = words.tr(_OUTSIDE_HOURS)
        texts = [t for t in texts if t != outside]
    return ", ".join(texts)


_OUTSIDE_HOURS = words.QT_TR_NOOP("outside support hours")


def closure_text(closure: Closure) -> str:
    """``Pentecost Monday (CH-SG)``, ``Company winter break``, ``weekend``, ``no support hours
    on Wed 25 Nov``, ``outside support hours``."""
    if closure.kind is ClosureKind.HOLIDAY:
        return f"{closure.name} ({closure.region})" if closure.region else closure.name
    if closure.kind is ClosureKind.CLOSED:
        return closure.name or words.tr("closed", "calendar")
    if closure.kind is ClosureKind.NO_HOURS:
        days = [
            closure.first + timedelta(days=n)
            for n in range((closure.last - closure.first).days + 1)
        ]
        if all(d.weekday() in _WEEKEND for d in days):
            return words.tr("weekend")
        when = day_text(closure.first)
        if closure.last != closure.first:
            when += f" \u2013 {day_text(closure.last)}"
        return words.tr("no support hours on {when}").format(when=when)
    return words.tr(_OUTSIDE_HOURS)


def _severity(level: int, target: Target | None, policy: Policy) -> str:
    if target is None:
        return f"S{level}"
    return words.tr("S{level}, target {target}").format(
        level=level, target=target_text(target, policy)
    )


_CAUSES = {
    EventKind.CREATED: words.QT_TR_NOOP("ticket submitted"),
    EventKind.RESPONDED: words.QT_TR_NOOP("response sent"),
    EventKind.UPDATE_SENT: words.QT_TR_NOOP("update sent"),
    EventKind.ESCALATED: words.QT_TR_NOOP("escalated"),
    EventKind.ESCALATION_ANSWERED: words.QT_TR_NOOP("manager answered"),
    EventKind.RCA_DELIVERED: words.QT_TR_NOOP("RCA delivered"),
}


def _cause(event: TicketEvent | None, metric: Metric, *, stopping: bool) -> str:
    if event is None:
        return ""
    if event.kind is EventKind.STATUS_CHANGED:
        try:
            status = Status(str(event.data.get("status")))
        except ValueError:
            return words.tr("status changed")
        if status.is_done:
            return words.tr("ticket {status}").format(status=status_label(status))
        return words.tr("ticket reopened")
    if event.kind is EventKind.ESCALATED:
        if stopping:
            return words.tr("a new escalation replaced it")
        return words.tr("escalated (urgent)") if event.data.get("urgent") else words.tr("escalated")
    if event.kind is EventKind.RESPONDED and metric is Metric.INITIAL_RESPONSE and stopping:
        return words.tr("first response")
    cause = _CAUSES.get(event.kind)
    return words.tr(cause) if cause is not None else event.kind.value


def _marker_row(
    marker: Marker, cycle: CycleExplanation, zone: tzinfo, now: datetime, policy: Policy
) -> ExplanationRow:
    clock = cycle.clock
    when = _when(marker.at, None, zone)
    tooltip = instant_text(marker.at, zone)
    kind = marker.kind
    if kind is MarkerKind.STARTED:
        cause = _cause(marker.event, clock.metric, stopping=False)
        severity = _severity(marker.severity, marker.target, policy)
        if cause:
            text = words.tr("started: {cause} ({severity})").format(cause=cause, severity=severity)
        else:
            text = words.tr("started ({severity})").format(severity=severity)
    elif kind is MarkerKind.SEVERITY_CHANGED:
        text = words.tr("severity S{before} \u2192 S{after}").format(
            before=marker.previous, after=marker.severity
        )
        reason = str(marker.event.data.get("reason", "")) if marker.event is not None else ""
        if reason:
            text += f" ({reason})"
        if marker.target is not None and marker.target.is_timed:
            promise = target_text(marker.target, policy)
            text += ": " + words.tr("target now {target}, counted on it from the start").format(
                target=promise
            )
        elif marker.target is not None:
            text += f": {target_text(marker.target, policy)}"
    elif kind is MarkerKind.TARGET_RAN_OUT:
        target = marker.target
        if target is not None and target.duration is not None:
            duration = business_duration(target.duration, days=target.in_days)
            text = words.tr("target ran out: due after {duration}").format(duration=duration)
        else:
            text = words.tr("target ran out: due")
        if marker.overrun is not None:
            text += f"; {overdue_text(marker.overrun)}"
    elif kind is MarkerKind.BREACHED:
        target = marker.target
        text = words.tr("breached under S{severity}").format(severity=marker.severity)
        if target is not None and target.duration is not None:
            duration = business_duration(target.duration, days=target.in_days)
            text += ": " + words.tr("its target of {duration} had run out").format(
                duration=duration
            )
        if marker.overrun is not None:
            text += f"; {overdue_text(marker.overrun)}"
    elif kind is MarkerKind.STOPPED:
        cause = _cause(marker.event, clock.metric, stopping=True)
        if cause:
            text = words.tr("stopped: {cause} \u2014 {outcome}").format(
                cause=cause, outcome=_outcome(cycle)
            )
        else:
            text = words.tr("stopped \u2014 {outcome}").format(outcome=_outcome(cycle))
    else:
        text = words.tr("now: {state}").format(state=state_text(clock, zone, now))
        remaining = clock.remaining
        if remaining is not None and remaining > _ZERO and clock.state is not ClockState.BREACHED:
            text += ", " + words.tr("{span} left").format(span=business_span(remaining))
    return _row(kind.value, marker.at, when, "", text, tooltip, zone)


def explanation_lines(
    ticket: TicketExplanation, zone: tzinfo, zone_note: str = "", *, all_cycles: bool = False
) -> list[str]:
    """The command line's text: the ticket, then each clock (where it stands, its target and
    due instant) and the timeline of its current cycle, a line per segment or event; earlier
    cycles a line each (in full with ``all_cycles``). Instants in ``zone``; ``zone_note``
    says where the zone comes from."""
    lines = [
        f"{ticket.key}: {ticket.title} ({ticket.customer}; {ticket.vendor}, {ticket.plan})",
        f"as of {instant_text(ticket.now, zone)}; times in {_zone_name(zone)}"
        + (f" ({zone_note})" if zone_note else ""),
    ]
    if not ticket.clocks:
        lines += ["", "no clocks: the policy times nothing for this ticket"]
    for explanation in ticket.clocks:
        clock = explanation.clock
        lines += ["", explanation_title(explanation, zone)]
        facts = [f"S{clock.severity}"]
        if clock.target is not None:
            facts.append(f"target {target_text(clock.target, ticket.policy)}")
        if clock.due is not None and clock.state is not ClockState.WAIVED:
            facts.append(f"due {when_text(clock.due, zone, ticket.now)}")
        lines.append("  " + "; ".join(facts))
        cycles = explanation_rows(explanation, zone, ticket.policy)
        for cycle, rows in zip(explanation.cycles, cycles, strict=True):
            if rows.title:
                lines.append(f"  {rows.title}: {rows.summary}")
            else:
                lines.append(f"  {rows.summary}")
            if rows.current or all_cycles:
                lines += _table(rows.rows, "    ")
            elif cycle.segments or cycle.markers:
                first, last = cycle.clock.started_at, cycle.end
                lines.append(f"    {_when(first, last, zone)}, {rows.outcome}")
        if len(cycles) > 1 and not all_cycles:
            lines.append("  (earlier cycles in full: --all-cycles)")
    return lines


def _outcome(cycle: CycleExplanation) -> str:
    clock = cycle.clock
    if clock.state is ClockState.BREACHED and clock.remaining is not None:
        return f"{clock_state_label(clock.state)}, {overdue_text(clock.remaining)}"
    return clock_state_label(clock.state)


def _table(rows: Sequence[ExplanationRow], indent: str) -> list[str]:
    when = max((len(r.when) for r in rows), default=0)
    length = max((len(r.length) for r in rows), default=0)
    return [f"{indent}{r.when:<{when}}  {r.length:>{length}}  {r.text}".rstrip() for r in rows]


def _zone_name(zone: tzinfo) -> str:
    return zone.key if isinstance(zone, ZoneInfo) else str(zone)
