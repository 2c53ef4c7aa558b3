"""What a ticket event may be: the one description of the event rules, for both write paths.

Every event a person records is checked against :data:`EVENT_RULES` before it is written:
its kind is known, its payload has exactly the fields its kind allows with the right types,
the ticket is in a state where the event makes sense, and the person's role may record it.
On SQLite (one machine) :func:`check_event` applies the rules in Python; on PostgreSQL the
same table is written into the database (``console_api.event_rules``, see
:mod:`console.adapters.pg_commands`) and the database's own functions apply it to every
login, so the two paths cannot drift apart.

What the rules cannot know (a severity level the customer's policy has, a waiver its policy
names) the handlers check in Python besides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from console.domain.errors import DomainError, PermissionDeniedError
from console.domain.model import Channel, EventKind, Role, Status

__all__ = [
    "EVENT_RULES",
    "MAX_TEXT",
    "OPEN_STATUSES",
    "SEVERITY_RANGE",
    "Compare",
    "EventRule",
    "Field",
    "FieldType",
    "InvalidEventError",
    "TicketState",
    "check_event",
    "check_new_ticket",
    "check_payload",
]

MAX_TEXT = 20_000  # characters of any text in an event (a reply, a note, a reason)
# A new ticket: its key, its title, and how far back its submitted instant may be given (a
# phoned-in ticket entered after the call; the entry itself is recorded as of now).
TICKET_KEY = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
MAX_TITLE = 500
OPEN_TICKET_PAST_HOURS = 72
BLANK = " \t\n\v\f\r"  # what an empty text may hold (the same in PostgreSQL's check)
SEVERITY_RANGE = (1, 9)  # the levels any policy may have; each policy names its own
OPEN_STATUSES = frozenset({Status.OPEN, Status.AWAITING_CUSTOMER, Status.ON_HOLD})
# Messages said to the customer that go out by mail when their channel is e-mail: such an
# event writes an outbox row in its own transaction (see console.services.mail_outbox).
MAILED_KINDS = frozenset({EventKind.RESPONDED, EventKind.UPDATE_SENT})


def is_mailed(kind: EventKind | str, data: Mapping[str, Any]) -> bool:
    """Whether an event of ``kind`` with ``data`` is a reply to send by mail."""
    return kind in MAILED_KINDS and data.get("channel") == Channel.EMAIL.value


ANY_STATUS = frozenset(Status)


class InvalidEventError(DomainError, ValueError):
    """An event that is not recorded: an unknown kind, a bad payload, or one that makes no
    sense for the ticket as it is."""


class FieldType(StrEnum):
    TEXT = "text"  # a string of at most MAX_TEXT characters
    BOOL = "bool"
    SEVERITY = "severity"  # an integer within SEVERITY_RANGE
    STATUS = "status"  # one of Status
    AGENT = "agent"  # an agent's name, or null
    CHANNEL = "channel"  # one of Channel


class Compare(StrEnum):
    """How a field stands to the ticket as it is (the column of the same meaning)."""

    NONE = ""
    DIFFERS = "differs"  # a change must change something
    EQUALS = "equals"  # a record of the value before the change must be true


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    # The ticket's column (status, severity, assignee) this field is compared to.
    column: str = ""
    compare: Compare = Compare.NONE
    not_blank: bool = False  # a text that must say something


@dataclass(frozen=True)
class EventRule:
    kind: EventKind
    fields: tuple[Field, ...]
    statuses: frozenset[Status]  # the ticket's statuses in which the event makes sense
    lead_only: bool = False
    # Anyone may take an unassigned ticket or their own; moving someone else's is a lead's.
    lead_unless_free_or_own: bool = False
    needs_open_escalation: bool = False  # an escalation waits for its answer
    moves_clocks: bool = True  # False: the ticket's clocks and due instant stay as they are
    # The ticket's column a field sets (status, severity, assignee), or adds to (waivers).
    sets: tuple[tuple[str, str], ...] = ()


_TEXT = Field("text", FieldType.TEXT)
_CHANNEL = Field("channel", FieldType.CHANNEL)


def _rule(kind: EventKind, *fields: Field, statuses: frozenset[Status], **flags: Any) -> EventRule:
    # Every kind may carry a text (what was said to the customer, or why).
    named = {f.name for f in fields}
    return EventRule(kind, (*fields, *(() if "text" in named else (_TEXT,))), statuses, **flags)


EVENT_RULES: Mapping[EventKind, EventRule] = {
    rule.kind: rule
    for rule in (
        _rule(
            EventKind.RESPONDED,
            Field("automated", FieldType.BOOL),
            _CHANNEL,
            statuses=OPEN_STATUSES,
        ),
        _rule(EventKind.UPDATE_SENT, _CHANNEL, statuses=OPEN_STATUSES),
        _rule(
            EventKind.STATUS_CHANGED,
            Field("status", FieldType.STATUS, True, "status", Compare.DIFFERS),
            statuses=ANY_STATUS,
            sets=(("status", "status"),),
        ),
        _rule(
            EventKind.SEVERITY_CHANGED,
            Field("from", FieldType.SEVERITY, True, "severity", Compare.EQUALS),
            Field("to", FieldType.SEVERITY, True, "severity", Compare.DIFFERS),
            Field("reason", FieldType.TEXT, True, not_blank=True),
            Field("customer_notified", FieldType.BOOL),
            statuses=OPEN_STATUSES,
            lead_only=True,
            sets=(("to", "severity"),),
        ),
        _rule(
            EventKind.ASSIGNED,
            Field("assignee", FieldType.AGENT, True, "assignee", Compare.DIFFERS),
            statuses=OPEN_STATUSES,
            lead_unless_free_or_own=True,
            moves_clocks=False,
            sets=(("assignee", "assignee"),),
        ),
        _rule(EventKind.ESCALATED, Field("urgent", FieldType.BOOL), statuses=OPEN_STATUSES),
        _rule(EventKind.ESCALATION_ANSWERED, statuses=OPEN_STATUSES, needs_open_escalation=True),
        _rule(EventKind.RCA_DELIVERED, statuses=ANY_STATUS),
        _rule(
            EventKind.WAIVED,
            Field("waiver", FieldType.TEXT, True, not_blank=True),
            Field("reason", FieldType.TEXT, True, not_blank=True),
            statuses=ANY_STATUS,
            # A waiver lifts a target the customer's report and credits rest on: the
            # ticket's own engineer (or anyone, while it is nobody's) or a lead decides it.
            lead_unless_free_or_own=True,
            sets=(("waiver", "waivers"),),
        ),
        _rule(
            EventKind.NOTE,
            Field("text", FieldType.TEXT, True, not_blank=True),
            statuses=ANY_STATUS,
            moves_clocks=False,
        ),
        _rule(
            EventKind.CUSTOMER_MESSAGE,
            Field("text", FieldType.TEXT, True, not_blank=True),
            _CHANNEL,
            statuses=ANY_STATUS,
            moves_clocks=False,
        ),
    )
}


@dataclass(frozen=True)
class TicketState:
    """What the rules look at in a ticket as it is before the event."""

    key: str
    status: Status
    severity: int
    assignee: str | None
    open_escalation: bool


def _value_error(kind: EventKind, name: str, field: Field, value: object) -> str | None:
    """Why ``value`` cannot be field ``name`` of a ``kind`` event, or None."""
    what = f"{kind.value}: {name}"
    match field.type:
        case FieldType.TEXT:
            if not isinstance(value, str):
                return f"{what} must be a text, not {_json_type(value)}"
            if len(value) > MAX_TEXT:
                return f"{what} is {len(value):,} characters long (at most {MAX_TEXT:,})"
            if "\x00" in value:
                return f"{what} cannot contain NUL characters"
            if field.not_blank and not value.strip(BLANK):
                return f"{what} cannot be empty"
        case FieldType.BOOL:
            if not isinstance(value, bool):
                return f"{what} must be true or false, not {_json_type(value)}"
        case FieldType.SEVERITY:
            low, high = SEVERITY_RANGE
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{what} must be a whole number, not {_json_type(value)}"
            if not low <= value <= high:
                return f"{what} must be between {low} and {high}, not {value}"
        case FieldType.STATUS:
            if not isinstance(value, str) or value not in {s.value for s in Status}:
                names = ", ".join(s.value for s in Status)
                return f"{what} must be one of {names}, not {value!r}"
        case FieldType.CHANNEL:
            if not isinstance(value, str) or value not in {c.value for c in Channel}:
                names = ", ".join(c.value for c in Channel)
                return f"{what} must be one of {names}, not {value!r}"
        case FieldType.AGENT:
            if value is not None and (not isinstance(value, str) or not value):
                return f"{what} must be an agent's name or null, not {value!r}"
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a text"}.get(
        type(value), "a list or an object" if isinstance(value, list | dict) else "a value"
    )


def check_payload(kind: EventKind | str, data: Mapping[str, Any]) -> EventRule:
    """The rule of ``kind`` when ``data`` is a valid payload for it; else
    :class:`InvalidEventError` naming the kind and the field."""
    try:
        rule = EVENT_RULES[EventKind(kind)]
    except (ValueError, KeyError):
        known = ", ".join(k.value for k in EVENT_RULES)
        raise InvalidEventError(f"{kind!r} is not an event one records (known: {known})") from None
    fields = {f.name: f for f in rule.fields}
    extra = sorted(set(data) - set(fields))
    if extra:
        allowed = ", ".join(fields)
        raise InvalidEventError(
            f"{rule.kind.value}: unknown field {extra[0]!r} (allowed: {allowed})"
        )
    for field in rule.fields:
        if field.name not in data:
            if field.required:
                raise InvalidEventError(f"{rule.kind.value}: {field.name} is missing")
            continue
        problem = _value_error(rule.kind, field.name, field, data[field.name])
        if problem:
            raise InvalidEventError(problem)
    return rule


def _column(state: TicketState, column: str) -> object:
    return {"status": state.status.value, "severity": state.severity, "assignee": state.assignee}[
        column
    ]


def check_event(
    state: TicketState,
    kind: EventKind | str,
    data: Mapping[str, Any],
    actor: str | None,
    role: Role | None,
) -> EventRule:
    """The rule of the event when ``actor`` (of ``role``) may record it on the ticket as it
    is; else :class:`InvalidEventError` or :class:`PermissionDeniedError` saying why."""
    rule = check_payload(kind, data)
    name = rule.kind.value
    if state.status not in rule.statuses:
        raise InvalidEventError(f"{state.key} is {state.status.label}: no {name} event there")
    for field in rule.fields:
        if field.compare is Compare.NONE or field.name not in data:
            continue
        current = _column(state, field.column)
        value = data[field.name]
        if field.compare is Compare.DIFFERS and value == current:
            shown = "nobody" if value is None else value
            raise InvalidEventError(f"{state.key}: {field.column} is {shown} already")
        if field.compare is Compare.EQUALS and value != current:
            raise InvalidEventError(
                f"{state.key}: {field.name} says {field.column} {value}, it is {current}"
            )
    if rule.needs_open_escalation and not state.open_escalation:
        raise InvalidEventError(f"{state.key} has no escalation waiting for an answer")
    lead = role is Role.LEAD
    if rule.lead_only and not lead:
        raise PermissionDeniedError(f"a {name} event on {state.key} is for team leads")
    if (
        rule.lead_unless_free_or_own
        and not lead
        and state.assignee is not None
        and state.assignee != actor
    ):
        doing = "moving it" if rule.kind is EventKind.ASSIGNED else f"a {name} event on it"
        raise PermissionDeniedError(f"{state.key} is {state.assignee}'s: {doing} is for team leads")
    return rule


def check_new_ticket(
    key: str, title: str, severity: int, submitted: datetime, now: datetime
) -> None:
    """:class:`InvalidEventError` unless a new ticket may be opened with these (the policy's
    own severity levels are checked besides)."""
    if not re.fullmatch(TICKET_KEY, key):
        raise InvalidEventError(
            f"{key!r} is not a ticket key: letters, digits, '.', '_' and '-', at most 64"
        )
    if not title.strip() or len(title) > MAX_TITLE:
        raise InvalidEventError(f"a ticket needs a title of 1 to {MAX_TITLE} characters")
    low, high = SEVERITY_RANGE
    if isinstance(severity, bool) or not low <= severity <= high:
        raise InvalidEventError(f"the severity must be a whole number from {low} to {high}")
    if submitted > now:
        raise InvalidEventError("a ticket cannot be submitted in the future")
    if submitted < now - timedelta(hours=OPEN_TICKET_PAST_HOURS):
        raise InvalidEventError(
            f"a new ticket's submitted instant is at most {OPEN_TICKET_PAST_HOURS} hours in "
            "the past (older tickets come in by import)"
        )
