"""Rows and domain objects: what the SQL repositories store for each, and how it reads back.

Also the stored clock projection, compact JSON in ``tickets.clock_plan`` (the column keeps
its first name): :func:`projection_text`
writes it and :func:`projection_from` (or a :class:`ProjectionReader` for many) reads it.

**Rows that make no sense.** What the console writes always reads back; but an owner of the
database, an old version or a bug can leave a row the console would never write. Each ticket
row and each event is read on its own, so such a row affects no other ticket, and never
stops a read. What cannot be read as stored is read as follows, logged once (a warning
naming the ticket and what is wrong) and kept in :class:`ReadProblems` for ``db verify``:

* a ticket ``status`` that is not a :class:`Status` reads as open: the ticket stays in the
  queue ("All open"), where someone sees it and can set a real status;
* a queue summary (``clock_*`` columns) with an unknown group, metric or pausing status, or
  seconds that are negative or not whole, reads as unknown: counting towards the stored
  ``next_due_at`` when there is one (so the ticket keeps its place), else done;
* a clock projection (``clock_plan``) that is not one JSON value of the written shape reads
  as missing, so the next recompute reads the ticket's history and stores a good one;
* an event that makes no sense is marked (:attr:`TicketEvent.invalid`, see
  :func:`read_history`): left out of the ticket's history as the clocks, reports and
  exports read it, shown marked where stored events are listed (logged at info level only:
  the history keeps it for ever).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice, pairwise
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
    Channel,
    ClockOutcomes,
    ClockProjection,
    Customer,
    EventKind,
    Handover,
    HolidayPeriod,
    Invalidity,
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
from console.domain.rules import (
    EVENT_RULES,
    MAX_TEXT,
    SEVERITY_RANGE,
    Compare,
    InvalidEventError,
    check_payload,
)

log = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something stored for ticket ``key`` that could not be read as it is: ``part`` is the
    ``"status"``, the ``"summary"`` or the ``"projection"`` of its row, or an ``"event"`` of
    its history; ``text`` says what and how it was read."""

    key: str
    part: str
    text: str

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"


_LOGGED: set[tuple[str, str, str]] = set()  # (database, key, text) warned about already
_LOGGED_MAX = 100_000
_logged_lock = threading.Lock()


class ReadProblems:
    """The problems the reads of one unit of work found, in the order found (each once).

    Each is also logged naming the ticket, once per process and database (``where``): a
    ticket row as a warning; an invalid event only at info level, since a history keeps it
    for ever (it cannot be repaired, only read around) and is marked wherever events are
    listed, and ``db verify`` lists it."""

    def __init__(self, where: str = "") -> None:
        self.where = where
        self._found: dict[tuple[str, str, str], ReadProblem] = {}

    def add(self, key: str, part: str, text: str) -> None:
        problem = ReadProblem(key, part, text)
        if (key, part, text) in self._found:
            return
        self._found[key, part, text] = problem
        mark = (self.where, key, text)
        with _logged_lock:
            if mark in _LOGGED:
                return
            if len(_LOGGED) >= _LOGGED_MAX:
                _LOGGED.clear()
            _LOGGED.add(mark)
        level = logging.INFO if part == "event" else logging.WARNING
        log.log(level, "ticket %s: %s (support-console db verify lists every such row)", key, text)

    def __iter__(self) -> Iterator[ReadProblem]:
        return iter(list(self._found.values()))

    def __len__(self) -> int:
        return len(self._found)


# --------------------------------------------------------------------------- tickets


# Plain dict look-ups: calling an enum class per row costs more than the rest of the row.
_KINDS = {k.value: k for k in QueueGroup}
_METRICS = {m.value: m for m in Metric}
STATUSES = {st.value: st for st in Status}
EVENT_KINDS = {k.value: k for k in EventKind}


_NO_WAIVERS: frozenset[str] = frozenset()  # most tickets': one shared, not one each


class UnreadableError(ValueError):
    """A stored value that cannot be read as it is; the message says what and why."""


def _seconds(name: str, value: object) -> timedelta | None:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise UnreadableError(f"{name} is {value!r}, not a whole number of seconds")
    return timedelta(seconds=value)


@lru_cache(maxsize=8_192)  # summaries are immutable, and most tickets share one
def summary_from(
    kind: str,
    metric: str | None,
    calendar: str | None,
    target: int | None,
    left: int | None,
    paused_by: str | None,
) -> QueueSummary:
    """The queue summary stored in a ticket row's ``clock_*`` columns; raises
    :class:`UnreadableError` naming the column that cannot be read."""
    group = _KINDS.get(kind)
    if group is None:
        raise UnreadableError(f"clock_kind {kind!r} is not a queue group")
    measured = _METRICS.get(metric) if metric else None
    if metric and measured is None:
        raise UnreadableError(f"clock_metric {metric!r} is not a metric")
    pausing = STATUSES.get(paused_by) if paused_by else None
    if paused_by and pausing is None:
        raise UnreadableError(f"clock_paused_by {paused_by!r} is not a status")
    if calendar is not None and not isinstance(calendar, str):
        raise UnreadableError(f"clock_calendar {calendar!r} is not a calendar id")
    return QueueSummary(
        group,
        measured,
        calendar,
        _seconds("clock_target_s", target),
        _seconds("clock_paused_left_s", left),
        pausing,
    )


def readable_summary(
    key: str, columns: Sequence[Any], due: datetime | None, problems: ReadProblems | None
) -> QueueSummary:
    """The summary of ticket ``key``'s ``clock_*`` columns; one that cannot be read is read
    as unknown (see the module docstring) and reported to ``problems``."""
    try:
        return summary_from(*columns)
    except (UnreadableError, TypeError) as error:  # TypeError: an unhashable value
        summary = QueueSummary(QueueGroup.DUE) if due is not None else QueueSummary()
        if problems is not None:
            shown = "counting to its next_due_at" if due is not None else "done"
            text = f"queue summary cannot be read ({error}): read as {shown}"
            problems.add(key, "summary", text)
        return summary


def outcome_rows(outcomes: ClockOutcomes) -> list[dict[str, Any]]:
    """The ``clock_outcomes`` column values of a ticket's outcomes (without the ticket's own
    ``ticket_id``, ``customer_id`` and ``submitted_at``)."""
    return [
        {
            "metric": c.metric.value,
            "severity": c.severity,
            "state": c.state.value,
            "started_at": c.started_at,
            "stopped_at": c.stopped_at,
            "due_at": c.due,
            "response_us": c.response // _MICROSECOND if c.response is not None else None,
            "credit_days": c.credit_days,
            "grows": c.grows,
            "as_of": outcomes.as_of,
            "basis": outcomes.basis,
        }
        for c in outcomes.clocks
    ]


def outcomes_json(outcomes: ClockOutcomes) -> dict[str, Any]:
    """A ticket's outcomes as the command functions take them (``_set_outcomes``)."""

    def instant(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "as_of": outcomes.as_of.isoformat(),
        "basis": outcomes.basis,
        "clocks": [
            {
                **row,
                "started_at": instant(row["started_at"]),
                "stopped_at": instant(row["stopped_at"]),
                "due_at": instant(row["due_at"]),
                "as_of": instant(row["as_of"]),
            }
            for row in outcome_rows(outcomes)
        ],
    }


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


def ticket_from(
    row: Row[Any], events: tuple[TicketEvent, ...] = (), problems: ReadProblems | None = None
) -> Ticket:
    """The ticket a row of the ticket columns holds, with ``events`` as its history. A status
    or a summary that cannot be read is read as the module docstring says, and reported to
    ``problems``."""
    values = tuple(row)
    key, title, customer, severity, status, submitted, assignee, waivers, due, version = values[:10]
    state = STATUSES.get(status) if isinstance(status, str) else None
    if state is None:
        state = Status.OPEN
        if problems is not None:
            problems.add(key, "status", f"status {status!r} is not a status: read as open")
    return Ticket(
        key,
        title,
        customer,
        severity,
        state,
        submitted,
        assignee,
        frozenset(waivers) if waivers else _NO_WAIVERS,
        due,
        version,
        events,
        readable_summary(key, values[10:], due, problems),
    )


# --------------------------------------------------------------------------- histories

# A stored event as the repository reads it: id, kind, at, its data as JSON text, actor.
StoredEvent = tuple[int, str, datetime, str, str | None]

_STATUS_NAMES = frozenset(STATUSES)
# What the rules compare with the ticket as it is, and what they set, by kind: the fields
# ``(name, column, compare)`` and ``(name, column)`` of the columns a history replays.
_STATE_COLUMNS = frozenset({"status", "severity", "assignee"})
_COMPARES = {
    kind: tuple(
        (f.name, f.column, f.compare)
        for f in rule.fields
        if f.compare is not Compare.NONE and f.column in _STATE_COLUMNS
    )
    for kind, rule in EVENT_RULES.items()
}
_SETS = {
    kind: tuple((name, column) for name, column in rule.sets if column in _STATE_COLUMNS)
    for kind, rule in EVENT_RULES.items()
}


@lru_cache(maxsize=16_384)  # most payloads repeat: {}, {"status": "open"} ...
def _payload(kind: EventKind | None, text: str) -> tuple[dict[str, Any], str | None]:
    """The payload a stored JSON ``text`` holds (read only: it is shared), and why it is not
    one the console records for ``kind`` (None when it is)."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return {}, f"its data is not JSON: {_shown(text)}"
    if not isinstance(data, dict):
        return {}, f"its data is {_shown(data)}, not a JSON object"
    if kind is None:
        return data, None  # the kind says why
    if kind is EventKind.CREATED:
        return data, _created_problem(data)
    try:
        check_payload(kind, data)
    except InvalidEventError as error:
        return data, str(error)
    return data, None


_CHANNEL_NAMES = frozenset(c.value for c in Channel)


def _created_problem(data: dict[str, Any]) -> str | None:
    """Why a ``created`` payload cannot start a history (the rules describe the events one
    records after it; this one is written with the ticket)."""
    extra = sorted(set(data) - {"severity", "status", "text", "channel"})
    if extra:
        return f"created: unknown field {extra[0]!r} (allowed: severity, status, text, channel)"
    if "channel" in data and data["channel"] not in _CHANNEL_NAMES:
        return f"created: channel {data['channel']!r} is not a channel"
    severity = data.get("severity")
    low, high = SEVERITY_RANGE
    if type(severity) is not int or not low <= severity <= high:
        return f"created: severity must be a whole number from {low} to {high}, not {severity!r}"
    if "status" in data and data["status"] not in _STATUS_NAMES:
        return f"created: status {data['status']!r} is not a status"
    text = data.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return f"created: text must be a text of at most {MAX_TEXT:,} characters"
    return None


def _at(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def read_history(
    key: str, rows: Sequence[StoredEvent], problems: ReadProblems | None = None
) -> tuple[TicketEvent, ...]:
    """Every stored event of ticket ``key`` (``rows`` in the order recorded), each one that
    makes no sense marked :attr:`TicketEvent.invalid` with why, and reported to ``problems``
    (with its id and its place in the history). An event is invalid when:

    * its kind is not one the console knows (it is then read as a note, its kind kept in the
      mark), or its data is not a JSON object;
    * its payload is not one :func:`console.domain.rules.check_payload` accepts for its kind
      (a missing or ill-typed field, an unknown field, a status that is not a status ...);
      for the ``created`` event: a severity from 1 to 9, a status, a text;
    * the history does not start with a valid ``created`` event (then no event of it is
      read: the clocks cannot know where it starts), or it is a second ``created`` event, or
      it is dated before the ticket was submitted;
    * it contradicts the history before it (in time order, as the clocks read it), as the
      rules' comparisons say: a status change to the status the ticket has already, a
      severity change to its severity or from another one than it has, an assignment to
      whoever has it.

    What the rules say about the ticket states an event makes sense in (a response while
    resolved, an answer with no escalation waiting) is not judged here: the clocks have a
    reading for each, and histories recorded before the rules may hold them.
    """
    marks: dict[int, str] = {}
    read: list[tuple[EventKind | None, dict[str, Any]]] = []
    for position, (_, kind, _, text, _) in enumerate(rows):
        known = EVENT_KINDS.get(kind) if isinstance(kind, str) else None
        data, problem = _payload(known, text if isinstance(text, str) else repr(text))
        read.append((known, data))
        if problem is not None:
            marks[position] = problem
        elif known is None:
            marks[position] = f"{kind!r} is not a kind of event"
    if rows:
        _judge(rows, read, marks)
    events = []
    for position, (event_id, kind, at, _, actor) in enumerate(rows):
        known, data = read[position]
        reason = marks.get(position)
        if reason is None:
            events.append(TicketEvent(known, at, data, actor))  # type: ignore[arg-type]
            continue
        stored = kind if isinstance(kind, str) else repr(kind)
        events.append(
            TicketEvent(known or EventKind.NOTE, at, data, actor, Invalidity(stored, reason))
        )
        if problems is not None:
            problems.add(
                key,
                "event",
                f"event #{position + 1} (id {event_id}, {stored} at {_at(at)}) is invalid: "
                f"{reason}; left out of its history",
            )
    return tuple(events)


def _judge(
    rows: Sequence[StoredEvent],
    read: list[tuple[EventKind | None, dict[str, Any]]],
    marks: dict[int, str],
) -> None:
    """Mark the events of a history that make no sense given the ones before them."""
    first, data = read[0]
    if first is not EventKind.CREATED or 0 in marks:
        marks.setdefault(0, f"a history starts with a 'created' event, not {rows[0][1]!r}")
        for position in range(1, len(rows)):
            marks.setdefault(position, "the history has no valid 'created' event to start it")
        return
    submitted = rows[0][2]
    state: dict[str, Any] = {
        "status": data.get("status", Status.OPEN.value),
        "severity": data["severity"],
        "assignee": None,
    }
    # In time order, as the clocks read it (events at one instant in the order recorded).
    for position in sorted(range(1, len(rows)), key=lambda n: rows[n][2]):
        if position in marks:
            continue
        kind, data = read[position]
        if kind is EventKind.CREATED:
            marks[position] = "a ticket has one 'created' event; this is another"
            continue
        if rows[position][2] < submitted:
            marks[position] = f"it is dated before the ticket was submitted ({_at(submitted)})"
            continue
        assert kind is not None
        for name, column, compare in _COMPARES[kind]:
            if name not in data:
                continue
            current, value = state[column], data[name]
            if compare is Compare.DIFFERS and value == current:
                marks[position] = f"{column} is {'nobody' if value is None else value} already"
                break
            if compare is Compare.EQUALS and value != current:
                marks[position] = f"{name} says {column} {value}, it was {current}"
                break
        else:
            for name, column in _SETS[kind]:
                state[column] = data[name]


def _shown(value: object, limit: int = 60) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


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
    """What :func:`projection_text` wrote; None for no projection or one in another format.
    Raises :class:`UnreadableError` for a text it did not write."""
    if not text:
        return None
    return ProjectionReader().read(text)


# A projection with no clock, as projection_text writes it (a JSON integer, a hexadecimal basis).
_EMPTY_PROJECTION = re.compile(
    rf'\[{_PROJECTION_FORMAT},(-?(?:0|[1-9][0-9]*)),"([0-9a-f]*)",\[\]\]'
)
_DECODER = json.JSONDecoder()


class ProjectionReader:
    """Reads many clock projections, sharing what they have in common: the instant they were made
    (one recompute makes them all at one instant) and the whole projection when it has no clock.

    Each text is parsed on its own: one JSON document of them all would hand a text holding
    more than one value (``...]],[1,...``) to the projections after it."""

    def __init__(self) -> None:
        self._instants: dict[int, datetime] = {}
        self._empty: dict[str, ClockProjection] = {}

    def instant(self, us: int) -> datetime:
        found = self._instants.get(us)
        if found is None:
            try:
                found = self._instants[us] = _EPOCH + us * _MICROSECOND
            except OverflowError:
                raise UnreadableError(f"{us} µs after 1970 is not an instant") from None
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
            try:
                as_of = self.instant(int(match[1]))
            except UnreadableError:
                return None  # read() says why
            found = self._empty[text] = ClockProjection(as_of, (), match[2])
        return found

    def read(self, text: str) -> ClockProjection | None:
        """The projection ``text`` holds (None: another format); :class:`UnreadableError`
        saying why when it is not one JSON value of the shape :func:`projection_text`
        writes."""
        if not isinstance(text, str):
            raise UnreadableError(f"{_shown(text)} is not a text")
        found = self.empty_projection(text)
        if found is not None:
            return found
        try:
            value, end = _DECODER.raw_decode(text)
        except ValueError as error:
            raise UnreadableError(f"not JSON: {error}") from None
        if end != len(text):
            raise UnreadableError(f"more than one JSON value (another begins at {end})")
        return self.projection(value)

    def projection(self, value: Any) -> ClockProjection | None:
        """The projection a parsed JSON ``value`` holds (None: another format), or
        :class:`UnreadableError` saying what is wrong with it."""
        if type(value) is not list or not value:
            raise UnreadableError(f"{_shown(value)} is not a list")
        if value[0] != _PROJECTION_FORMAT:
            return None  # another format
        if len(value) != 4:
            raise UnreadableError("not a list of format, instant, basis and clocks")
        _, as_of, basis, clocks = value
        if type(as_of) is not int or type(basis) is not str or type(clocks) is not list:
            raise UnreadableError("its instant, basis or clocks are not of their types")
        epoch, micro = _EPOCH, _MICROSECOND
        projected = []
        try:
            for clock in clocks:
                if type(clock) is not list or len(clock) != 6:
                    raise UnreadableError(f"a clock is {_shown(clock)}, not a list of 6")
                metric, calendar, target, flat, since, paused_by = clock
                measured = _METRICS.get(metric) if type(metric) is str else None
                if measured is None:
                    raise UnreadableError(f"{metric!r} is not a metric")
                if type(calendar) is not str or type(target) is not int or target < 0:
                    raise UnreadableError(f"a {metric} clock's calendar or target is wrong")
                if type(flat) is not list:
                    raise UnreadableError(f"a {metric} clock's spans are not a list")
                if flat:
                    if len(flat) % 2 or any(type(t) is not int for t in flat):
                        raise UnreadableError(f"a {metric} clock's spans are not pairs of instants")
                    if any(a > b for a, b in pairwise(flat)):
                        raise UnreadableError(f"a {metric} clock's spans are not in order")
                pausing = None
                if paused_by is not None:
                    pausing = STATUSES.get(paused_by) if type(paused_by) is str else None
                    if pausing is None:
                        raise UnreadableError(f"{paused_by!r} is not a status")
                if (pausing is None) == (since is None) or (
                    since is not None and type(since) is not int
                ):
                    raise UnreadableError(
                        f"a {metric} clock neither counts from an instant nor is paused by a "
                        "status (or both)"
                    )
                spans = tuple(
                    (epoch + flat[i] * micro, epoch + flat[i + 1] * micro)
                    for i in range(0, len(flat), 2)
                )
                projected.append(
                    ProjectedClock(
                        measured,
                        calendar,
                        target * micro,
                        spans,
                        epoch + since * micro if since is not None else None,
                        pausing,
                    )
                )
        except OverflowError:
            raise UnreadableError("an instant or a target is out of range") from None
        return ClockProjection(self.instant(as_of), tuple(projected), basis)
