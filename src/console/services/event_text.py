"""A ticket event in words: the one way the console says what happened to a ticket. The
detail pane's timeline, the History table and History's CSV export all use it.

Every field of an event's data is shown, so nothing recorded is hidden from whoever reads the
history: the fields of each kind (see :class:`console.domain.model.TicketEvent`) in words, and
any other field as ``name: value``. People are shown by display name when it is known, by
login otherwise; an event without an actor, or an automated one, says so. A stored event that
makes no sense (:attr:`TicketEvent.invalid`) says so first, and why: ``invalid: status is open
already; open``; one of a kind the console does not know is named by its kind as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from console.domain.model import Channel, EventKind, Status, TicketEvent
from console.domain.policy import Policy

SYSTEM_ACTOR = "system"  # the actor of events recorded without one (automations, imports)
AUTOMATED = "(automated)"
FIELD_SEPARATOR = "; "
INVALID = "invalid"  # the mark of a stored event that makes no sense

KIND_LABELS = {
    EventKind.CREATED: "created",
    EventKind.RESPONDED: "responded",
    EventKind.UPDATE_SENT: "update sent",
    EventKind.STATUS_CHANGED: "status changed",
    EventKind.SEVERITY_CHANGED: "severity changed",
    EventKind.ASSIGNED: "assigned",
    EventKind.ESCALATED: "escalated",
    EventKind.ESCALATION_ANSWERED: "escalation answered",
    EventKind.RCA_DELIVERED: "RCA delivered",
    EventKind.WAIVED: "waived",
    EventKind.NOTE: "note",
    EventKind.CUSTOMER_MESSAGE: "customer message",
}


@dataclass(frozen=True, slots=True)
class EventWords:
    """One event in words: ``who`` did ``what``, with ``details`` (every field of its data,
    empty when it has none)."""

    who: str
    what: str
    details: str

    @property
    def summary(self) -> str:
        """``severity changed: S1 → S3; reason: Outage; customer notified``."""
        return f"{self.what}: {self.details}" if self.details else self.what

    @property
    def line(self) -> str:
        """``Ana Ortiz · severity changed: S1 → S3; …``."""
        return f"{self.who} · {self.summary}"


def kind_label(kind: EventKind) -> str:
    """An event kind in words: ``severity_changed`` is "severity changed"."""
    return KIND_LABELS.get(kind) or kind.value.replace("_", " ")


def is_automated(event: TicketEvent) -> bool:
    """Recorded by the console itself (no actor) or flagged automated."""
    return event.actor is None or bool(event.data.get("automated"))


def actor_text(event: TicketEvent, names: Mapping[str, str] | None = None) -> str:
    """Who did it: a display name from ``names`` (login to name), else the login;
    ``system (automated)`` for an event without an actor; ``(automated)`` after anyone for
    an automated one."""
    who = SYSTEM_ACTOR if event.actor is None else (names or {}).get(event.actor, event.actor)
    return f"{who} {AUTOMATED}" if is_automated(event) else who


def details_text(
    event: TicketEvent,
    names: Mapping[str, str] | None = None,
    policy: Policy | None = None,
) -> str:
    """Every field of the event's data in words, in a fixed order, separated by ``; ``:
    severities as ``S1``, statuses as labels, the assignee by display name, the waiver by
    its name in ``policy`` (its id without one), flags as ``urgent`` / ``not urgent``, texts
    as recorded; a field this module does not know as ``name: value``. An invalid event
    starts with ``invalid: why``."""
    data = dict(event.data)
    parts: list[str] = []
    if event.invalid is not None:
        parts.append(f"{INVALID}: {event.invalid.reason}")
    if "from" in data or "to" in data:
        parts.append(f"{_severity(data.pop('from', '?'))} → {_severity(data.pop('to', '?'))}")
    for field, say in _FIELDS:
        if field in data:
            text = say(data.pop(field), event.kind, names or {}, policy)
            if text:
                parts.append(text)
    parts.extend(f"{field}: {_plain(data[field])}" for field in sorted(data))
    return FIELD_SEPARATOR.join(parts)


def event_words(
    event: TicketEvent,
    names: Mapping[str, str] | None = None,
    policy: Policy | None = None,
) -> EventWords:
    """``event`` in words; ``names`` maps logins to display names, ``policy`` (the ticket's)
    names its waivers. An event of a kind the console does not know (read as a note, see
    :attr:`TicketEvent.invalid`) is named by its kind as stored."""
    what = kind_label(event.kind)
    if event.invalid is not None and event.invalid.kind != event.kind.value:
        what = event.invalid.kind.replace("_", " ")
    return EventWords(actor_text(event, names), what, details_text(event, names, policy))


# --------------------------------------------------------------------------- the fields

_Say = Callable[[Any, EventKind, Mapping[str, str], Policy | None], str]


def _plain(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _channel(value: object) -> str:
    try:
        return Channel(str(value)).label
    except ValueError:
        return _plain(value)


def _severity(value: object) -> str:
    return f"S{_plain(value)}"


def _status(value: object, kind: EventKind, *_: object) -> str:
    try:
        label = Status(str(value)).label
    except ValueError:
        label = _plain(value)
    return label if kind is EventKind.STATUS_CHANGED else f"status {label}"


def _assignee(value: object, kind: EventKind, names: Mapping[str, str], *_: object) -> str:
    if not value:
        return "nobody"
    login = str(value)
    return names.get(login, login)


def _waiver(value: object, kind: EventKind, names: object, policy: Policy | None) -> str:
    waiver_id = _plain(value)
    if policy is not None:
        try:
            return policy.waiver(waiver_id).name
        except KeyError:
            pass
    return waiver_id


def _flag(yes: str, no: str) -> _Say:
    return lambda value, *_: yes if value else no


def _labelled(label: str) -> _Say:
    return lambda value, *_: f"{label}: {_plain(value)}" if _plain(value) else ""


_FIELDS: tuple[tuple[str, _Say], ...] = (
    ("severity", lambda value, *_: _severity(value)),
    ("status", _status),
    ("assignee", _assignee),
    ("waiver", _waiver),
    ("urgent", _flag("urgent", "not urgent")),
    ("automated", _flag("automated", "not automated")),
    ("reason", _labelled("reason")),
    ("customer_notified", _flag("customer notified", "customer not notified")),
    ("channel", lambda value, *_: f"by {_channel(value)}"),
    ("text", lambda value, *_: _plain(value)),
)


__all__ = [
    "AUTOMATED",
    "INVALID",
    "KIND_LABELS",
    "SYSTEM_ACTOR",
    "EventWords",
    "actor_text",
    "details_text",
    "event_words",
    "is_automated",
    "kind_label",
]
