"""Rows and domain objects: what the SQL repositories store for each, and how it reads back.

Also the stored clock projection, compact JSON in ``tickets.clock_plan`` (the column keeps
its first name): :func:`projection_text`
writes it and :func:`projection_from` (or a :class:`ProjectionReader` for many) reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Row, Table

from console.adapters.records import (
    AgentRecord,
    ChangeRecord,
    CustomerRecord,
    HandoverRecord,
    HolidayPeriodRecord,
    PresenceRecord,
    TicketEventRecord,
    TicketRecord,
)
from console.domain.model import (
    Agent,
    ClockProjection,
    Customer,
    EventKind,
    Handover,
    HolidayPeriod,
    Metric,
    PolicyPresence,
    Presence,
    ProjectedClock,
    QueueGroup,
    QueueSummary,
    Role,
    Status,
    Ticket,
    TicketEvent,
)

TICKETS: Table = TicketRecord.__table__  # type: ignore[assignment]
EVENTS: Table = TicketEventRecord.__table__  # type: ignore[assignment]
CHANGES: Table = ChangeRecord.__table__  # type: ignore[assignment]
HOLIDAY_PERIODS: Table = HolidayPeriodRecord.__table__  # type: ignore[assignment]
PRESENCES: Table = PresenceRecord.__table__  # type: ignore[assignment]


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items, in order (statements bind a bounded number)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --------------------------------------------------------------------------- entities


def agent_from(record: AgentRecord) -> Agent:
    """The agent an ``agents`` row holds."""
    return Agent(
        record.name,
        record.display_name,
        Role(record.role),
        record.team,
        record.timezone,
        record.version,
    )


def customer_from(record: CustomerRecord) -> Customer:
    """The customer a ``customers`` row holds."""
    return Customer(
        record.name,
        record.policy_id,
        record.plan,
        record.region,
        record.escalation_contact,
        dict(record.overrides or {}),
        record.version,
    )


def period_from(record: HolidayPeriodRecord) -> HolidayPeriod:
    """The company holiday period a ``holiday_periods`` row holds."""
    return HolidayPeriod(
        record.id, record.policy_id, record.first, record.last, record.reason, record.version
    )


def presence_from(record: PresenceRecord) -> PolicyPresence:
    """The presence a ``presences`` row holds (an empty subdivision: the whole country)."""
    presence = Presence(record.country, record.subdivision or None)
    return PolicyPresence(record.id, record.policy_id, presence, record.version)


def handover_from(record: HandoverRecord) -> Handover:
    """The handover a ``handovers`` row holds."""
    return Handover(
        record.id,
        record.author,
        record.created_at,
        record.window_start,
        record.window_end,
        record.note,
        dict(record.ticket_notes or {}),
        record.acknowledged_by,
        record.acknowledged_at,
        record.version,
    )


# --------------------------------------------------------------------------- tickets


# Plain dict look-ups: calling an enum class per row costs more than the rest of the row.
_KINDS = {k.value: k for k in QueueGroup}
_METRICS = {m.value: m for m in Metric}
STATUSES = {st.value: st for st in Status}
EVENT_KINDS = {k.value: k for k in EventKind}


@lru_cache(maxsize=8_192)  # summaries are immutable, and most tickets share one
def summary_from(
    kind: str,
    metric: str | None,
    calendar: str | None,
    target: int | None,
    left: int | None,
    paused_by: str | None,
) -> QueueSummary:
    """The queue summary stored in a ticket row's ``clock_*`` columns."""
    return QueueSummary(
        _KINDS[kind],
        _METRICS[metric] if metric else None,
        calendar,
        timedelta(seconds=target) if target is not None else None,
        timedelta(seconds=left) if left is not None else None,
        STATUSES[paused_by] if paused_by else None,
    )


def summary_columns(clock: QueueSummary) -> dict[str, Any]:
    """The ``clock_*`` column values that store ``clock``."""

    def whole(value: timedelta | None) -> int | None:
        return int(value.total_seconds()) if value is not None else None

    return {
        "clock_kind": clock.kind.value,
        "clock_metric": clock.metric.value if clock.metric else None,
        "clock_calendar": clock.calendar,
        "clock_target_s": whole(clock.target),
        "clock_paused_left_s": whole(clock.paused_left),
        "clock_paused_by": clock.paused_by.value if clock.paused_by else None,
        "clock_plan": projection_text(clock.projection),
    }


def ticket_from(row: Row[Any], events: tuple[TicketEvent, ...] = ()) -> Ticket:
    """The ticket a row of the ticket columns holds, with ``events`` as its history."""
    values = tuple(row)
    key, title, customer, severity, status, submitted, assignee, waivers, due, version = values[:10]
    return Ticket(
        key,
        title,
        customer,
        severity,
        STATUSES[status],
        submitted,
        assignee,
        frozenset(waivers or ()),
        due,
        version,
        events,
        summary_from(*values[10:]),
    )


def event_from(record: Any) -> TicketEvent:
    """The event a ``ticket_events`` row holds."""
    return TicketEvent(EventKind(record.kind), record.at, dict(record.data or {}), record.actor)


# --------------------------------------------------------------------------- clock projections


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PROJECTION_FORMAT = 1


def projection_text(projection: ClockProjection | None) -> str | None:
    """A clock projection as compact JSON: instants and durations in whole microseconds,
    ``[format, as_of, basis, [[metric, calendar, target, [from, to, ...], since, paused_by],
    ...]]``."""
    if projection is None:
        return None

    def us(value: datetime) -> int:
        return (value - _EPOCH) // _MICROSECOND

    clocks = [
        [
            c.metric.value,
            c.calendar,
            c.target // _MICROSECOND,
            [us(t) for span in c.spans for t in span],
            us(c.since) if c.since is not None else None,
            c.paused_by.value if c.paused_by is not None else None,
        ]
        for c in projection.clocks
    ]
    return json.dumps(
        [_PROJECTION_FORMAT, us(projection.as_of), projection.basis, clocks], separators=(",", ":")
    )


def projection_from(text: str | None) -> ClockProjection | None:
    """What :func:`projection_text` wrote; None for no projection or one in another format."""
    if not text:
        return None
    read = ProjectionReader()
    projection = read.empty_projection(text)
    return read.projection(json.loads(text)) if projection is None else projection


# A projection with no clock, as projection_text writes it (a JSON integer, a hexadecimal basis).
_EMPTY_PROJECTION = re.compile(
    rf'\[{_PROJECTION_FORMAT},(-?(?:0|[1-9][0-9]*)),"([0-9a-f]*)",\[\]\]'
)


class ProjectionReader:
    """Reads many clock projections, sharing what they have in common: the instant they were made
    (one recompute makes them all at one instant) and the whole projection when it has no clock."""

    def __init__(self) -> None:
        self._instants: dict[int, datetime] = {}
        self._empty: dict[str, ClockProjection] = {}

    def instant(self, us: int) -> datetime:
        found = self._instants.get(us)
        if found is None:
            found = self._instants[us] = _EPOCH + us * _MICROSECOND
        return found

    def empty_projection(self, text: str) -> ClockProjection | None:
        """The projection ``text`` when it has no clock (read without JSON), else None."""
        if not text.endswith(",[]]"):
            return None
        found = self._empty.get(text)
        if found is None:
            match = _EMPTY_PROJECTION.fullmatch(text)
            if match is None:
                return None
            found = self._empty[text] = ClockProjection(self.instant(int(match[1])), (), match[2])
        return found

    def projection(self, value: list[Any]) -> ClockProjection | None:
        form, as_of, basis, clocks = value
        if form != _PROJECTION_FORMAT:
            return None
        epoch, micro = _EPOCH, _MICROSECOND
        projected = []
        for metric, calendar, target, flat, since, paused_by in clocks:
            spans = tuple(
                (epoch + flat[i] * micro, epoch + flat[i + 1] * micro)
                for i in range(0, len(flat), 2)
            )
            projected.append(
                ProjectedClock(
                    _METRICS[metric],
                    calendar,
                    target * micro,
                    spans,
                    epoch + since * micro if since is not None else None,
                    STATUSES[paused_by] if paused_by is not None else None,
                )
            )
        return ClockProjection(self.instant(as_of), tuple(projected), basis)
