"""The words of the domain: metrics, ticket statuses and the append-only ticket history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Metric(StrEnum):
    """What an SLA clock measures."""

    INITIAL_RESPONSE = "initial_response"
    PERIODIC_UPDATE = "periodic_update"
    PRELIMINARY_RCA = "preliminary_rca"
    ESCALATION_RESPONSE = "escalation_response"

    @property
    def label(self) -> str:
        return _METRIC_LABELS[self]


_METRIC_LABELS = {
    Metric.INITIAL_RESPONSE: "Initial response",
    Metric.PERIODIC_UPDATE: "Periodic update",
    Metric.PRELIMINARY_RCA: "Preliminary RCA",
    Metric.ESCALATION_RESPONSE: "Escalation response",
}


class Status(StrEnum):
    """A ticket's status."""

    OPEN = "open"
    AWAITING_CUSTOMER = "awaiting_customer"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_done(self) -> bool:
        return self in (Status.RESOLVED, Status.CLOSED)


class EventKind(StrEnum):
    """Kinds of entries in a ticket's append-only history."""

    CREATED = "created"
    RESPONDED = "responded"
    UPDATE_SENT = "update_sent"
    STATUS_CHANGED = "status_changed"
    SEVERITY_CHANGED = "severity_changed"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    ESCALATION_ANSWERED = "escalation_answered"
    RCA_DELIVERED = "rca_delivered"
    WAIVED = "waived"
    NOTE = "note"
    CUSTOMER_MESSAGE = "customer_message"  # the customer's words, by whatever channel


class Channel(StrEnum):
    """How a message reached the customer, or came from them."""

    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"

    @property
    def label(self) -> str:
        return "e-mail" if self is Channel.EMAIL else self.value


def _frozen(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


def _utc(value: datetime, what: str) -> datetime:
    """Every instant the domain holds is aware and in UTC."""
    if value.tzinfo is None:
        raise ValueError(f"{what} {value!r} is naive: instants must carry a time zone")
    return value if value.tzinfo is UTC else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Invalidity:
    """Why a stored event makes no sense: ``reason`` in words, and its ``kind`` as stored (an
    event of a kind the console does not know is read as a note; this names the kind)."""

    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One entry of a ticket's history.

    ``data`` by kind: created ``{"severity": int, "status"?: str}``; responded
    ``{"automated"?: bool}``; status_changed ``{"status": str}``; severity_changed
    ``{"from": int, "to": int, "reason": str}``; escalated ``{"urgent": bool}``; waived
    ``{"waiver": str, "reason": str}``; assigned ``{"assignee": str | None}``;
    customer_message ``{"text": str, "channel"?: str}``. Responses and updates may carry the
    ``text`` said to the customer and its ``channel`` (see :mod:`console.domain.rules`).

    ``invalid`` is set on a stored event that makes no sense, as the reader of stored
    histories finds it (an unknown kind, a malformed payload, a change that changes nothing
    ...; see :func:`console.adapters.sql_rows.read_history`): such an event is shown, marked,
    where stored events are listed, and counts for nothing else (the clocks leave it out).
    """

    kind: EventKind
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    actor: str | None = None
    invalid: Invalidity | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", _utc(self.at, f"event {self.kind}"))
        object.__setattr__(self, "data", _frozen(self.data))


class Role(StrEnum):
    """What a person may do: leads may also change severity, reassign and edit calendars."""

    AGENT = "agent"
    LEAD = "lead"


@dataclass(frozen=True, slots=True)
class Agent:
    """A support engineer or team lead. ``name`` is the login (and database role) name."""

    name: str
    display_name: str
    role: Role
    team: str
    timezone: str
    version: int = 0


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer under a policy and plan; ``overrides`` as in policies/README.md."""

    name: str
    policy_id: str
    plan: str
    region: str = ""
    escalation_contact: str = ""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    version: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", _frozen(self.overrides))


class ClockState(StrEnum):
    """Where a clock stands at an instant: the one word for it, in every view."""

    RUNNING = "running"  # counting now
    WAITING = "waiting"  # outside the calendar's hours; resumes at `resumes_at`
    PAUSED = "paused"  # the ticket's status pauses this metric
    MET = "met"  # stopped in time
    BREACHED = "breached"  # past due, still running or stopped late
    WAIVED = "waived"  # the target does not apply to this ticket
    BEST_EFFORT = "best_effort"  # no timed target, best effort promised
    NO_TARGET = "no_target"  # no timed target at this severity or plan
    DONE = "done"  # (a ticket's countdown) no clock of the ticket counts any more

    @property
    def label(self) -> str:
        """The state in words; a clock with no target is said to have "no timed target", the
        one label for it everywhere."""
        if self is ClockState.NO_TARGET:
            return "no timed target"
        return self.value.replace("_", " ")


class QueueGroup(StrEnum):
    """Which group of the queue a ticket sorts into, by its leading clock."""

    DUE = "due"  # a clock counts towards a due instant (breached ones included)
    PAUSED = "paused"  # only paused clocks: sorted by business time left
    BEST_EFFORT = "best_effort"
    NO_TARGET = "no_target"
    DONE = "done"  # every clock stopped, met or waived


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """What the queue shows of a ticket without reading its history: its leading clock.

    Cached with ``next_due_at`` and recomputed with it. ``calendar`` is an id of the
    customer's effective policy; ``target`` the clock's target; ``paused_left`` the
    business time left on a paused clock, in whole seconds (rounded down).
    """

    kind: QueueGroup = QueueGroup.DONE
    metric: Metric | None = None
    calendar: str | None = None
    target: timedelta | None = None
    paused_left: timedelta | None = None
    paused_by: Status | None = None
    # How to compute this summary again without the history (None: not known). Not part of
    # what the queue shows, so two summaries with different projections are equal.
    projection: ClockProjection | None = field(default=None, compare=False, repr=False)
    # The clocks' outcomes for the report, stored with the summary (None: leave them as they
    # are); like the projection, not part of what the queue shows.
    outcomes: ClockOutcomes | None = field(default=None, compare=False, repr=False)


class Outcome(StrEnum):
    """How a clock counts in the SLA report."""

    MET = "met"
    BREACHED = "breached"
    PENDING = "pending"  # neither yet: running, waiting or paused without a breach


@dataclass(frozen=True, slots=True)
class ClockOutcome:
    """One clock of a ticket as the SLA report counts it, as of an instant (a row of the
    ``clock_outcomes`` table, kept with the ticket's other derived state).

    ``severity`` is the ticket's severity then (the report's line). ``due`` is set while the
    clock counts (running or waiting, breached or not): once a later instant is past it, a
    pending clock reads as breached. ``response`` is the wall-clock time to the first
    response when this clock is the initial response one and that response stopped it.
    ``credit_days`` are the service credits then; ``grows`` says they can grow without an
    event (a counting clock of a metric that earns credits), so a report past ``due``
    computes them from the history.
    """

    metric: Metric
    severity: int
    state: Outcome
    started_at: datetime
    stopped_at: datetime | None = None
    due: datetime | None = None
    response: timedelta | None = None
    credit_days: int = 0
    grows: bool = False

    def at(self, now: datetime) -> Outcome:
        """The outcome at ``now`` (not before the instant it was computed at, nor past an
        event since)."""
        if self.state is Outcome.PENDING and self.due is not None and now > self.due:
            return Outcome.BREACHED
        return self.state


@dataclass(frozen=True, slots=True)
class ClockOutcomes:
    """A ticket's clock outcomes as of ``as_of``, on the effective policy ``basis`` names
    (empty: not to be used, e.g. with an event after ``as_of``); they hold at any later
    instant until its next event or a change of its calendars."""

    as_of: datetime
    basis: str
    clocks: tuple[ClockOutcome, ...]


@dataclass(frozen=True, slots=True)
class ProjectedClock:
    """A clock that counts or is paused, reduced to what its due instant needs when only the
    calendars change: ``calendar`` (an id of the customer's effective policy), ``target``,
    the ``spans`` ``[from, to)`` it has counted so far, and its open end: counting again
    from ``since``, or paused by the status ``paused_by`` (``since`` is then None)."""

    metric: Metric
    calendar: str
    target: timedelta
    spans: tuple[tuple[datetime, datetime], ...]
    since: datetime | None
    paused_by: Status | None = None


@dataclass(frozen=True, slots=True)
class ClockProjection:
    """A ticket's clocks that count or are paused, as of ``as_of``: until its next event they
    give its ``next_due_at`` and queue summary at any later instant on any calendars, with no
    need to read the history (a recompute after a calendar change). ``basis`` names the
    effective policy the targets come from; a projection on another basis is not used.
    """

    as_of: datetime
    clocks: tuple[ProjectedClock, ...]
    basis: str = ""


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket's current fields. ``events`` is its history when loaded with it (else empty).

    ``next_due_at`` is a cache of the earliest due instant of its counting clocks,
    recomputed from the history on every event; ``version`` counts committed edits.
    """

    key: str
    title: str
    customer: str
    severity: int
    status: Status
    submitted_at: datetime
    assignee: str | None = None
    waivers: frozenset[str] = frozenset()
    next_due_at: datetime | None = None
    version: int = 0
    events: tuple[TicketEvent, ...] = ()
    summary: QueueSummary = QueueSummary()

    def __post_init__(self) -> None:
        object.__setattr__(self, "submitted_at", _utc(self.submitted_at, "submitted_at"))
        if self.next_due_at is not None:
            object.__setattr__(self, "next_due_at", _utc(self.next_due_at, "next_due_at"))

    @property
    def is_open(self) -> bool:
        return not self.status.is_done


@dataclass(frozen=True, slots=True)
class HolidayPeriod:
    """Company holidays announced by a vendor (Laioutr), closing calendars that accept them."""

    id: int | None
    policy_id: str
    first: date
    last: date
    reason: str
    version: int = 0


@dataclass(frozen=True, slots=True)
class Presence:
    """A place where a vendor is present (Laioutr): a country, by its ISO 3166 alpha-2 code,
    and optionally one of its subdivisions, by the code the ``holidays`` package gives it
    (``BY`` of ``DE``, ``9`` of ``AT``). Its public holidays close the calendars that take
    company holidays. :func:`console.domain.calendar_spec.presence_named` checks one."""

    country: str
    subdivision: str | None = None

    @property
    def code(self) -> str:
        """``DE``, ``DE-BY``, ``AT-9``."""
        return self.country if self.subdivision is None else f"{self.country}-{self.subdivision}"

    @property
    def order(self) -> tuple[str, str]:
        """Sorts a country before its subdivisions."""
        return (self.country, self.subdivision or "")


@dataclass(frozen=True, slots=True)
class PolicyPresence:
    """A presence a team lead named for a policy, as stored."""

    id: int | None
    policy_id: str
    presence: Presence
    version: int = 0


@dataclass(frozen=True, slots=True)
class Handover:
    """A shift handover: the outgoing engineer's notes and the incoming one's acknowledgement."""

    id: int | None
    author: str
    created_at: datetime
    window_start: datetime
    window_end: datetime
    note: str = ""
    ticket_notes: Mapping[str, str] = field(default_factory=dict)
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    version: int = 0

    def __post_init__(self) -> None:
        for name in ("created_at", "window_start", "window_end", "acknowledged_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _utc(value, name))
        object.__setattr__(self, "ticket_notes", _frozen(self.ticket_notes))


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which events History shows: of ticket ``key``, by ``actor``, of ``kinds``, at
    an instant in ``[since, until)``; None leaves that bound open."""

    key: str | None = None
    actor: str | None = None
    kinds: frozenset[EventKind] | None = None
    since: datetime | None = None
    until: datetime | None = None

    def matches(self, key: str, event: TicketEvent) -> bool:
        return (
            (self.key is None or key == self.key)
            and (self.actor is None or event.actor == self.actor)
            and (self.kinds is None or event.kind in self.kinds)
            and (self.since is None or event.at >= self.since)
            and (self.until is None or event.at < self.until)
        )


ALL_EVENTS = AuditFilter()


class ChangeKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    EVENT = "event"
    DELETED = "deleted"
    RECOMPUTED = "recomputed"


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change feed: ``seq`` grows with every committed change."""

    seq: int
    at: datetime
    entity: str  # "ticket", "customer", "agent", "holiday", "presence", "handover"
    key: str
    kind: ChangeKind
