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
from console.services import words
from console.services.labels import channel_label, status_label

# Marked for translation, shown with words.tr(...).
SYSTEM_ACTOR = words.QT_TR_NOOP("system")  # the actor of events recorded without one
AUTOMATED = words.QT_TR_NOOP("(automated)")
FIELD_SEPARATOR = "; "
INVALID = words.QT_TR_NOOP("invalid")  # the mark of a stored event that makes no sense

KIND_LABELS = {
    EventKind.CREATED: words.QT_TR_NOOP("created"),
    EventKind.RESPONDED: words.QT_TR_NOOP("responded"),
    EventKind.UPDATE_SENT: words.QT_TR_NOOP("update sent"),
    EventKind.STATUS_CHANGED: words.QT_TR_NOOP("status changed"),
    EventKind.SEVERITY_CHANGED: words.QT_TR_NOOP("severity changed"),
    EventKind.ASSIGNED: words.QT_TR_NOOP("assigned"),
    EventKind.ESCALATED: words.QT_TR_NOOP("escalated"),
    EventKind.ESCALATION_ANSWERED: words.QT_TR_NOOP("escalation answered"),
    EventKind.RCA_DELIVERED: words.QT_TR_NOOP("RCA delivered"),
    EventKind.WAIVED: words.QT_TR_NOOP("waived"),
    EventKind.NOTE: words.QT_TR_NOOP("note"),
    EventKind.CUSTOMER_MESSAGE: words.QT_TR_NOOP("customer message"),
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
    label = KIND_LABELS.get(kind)
    return words.tr(label) if label else kind.value.replace("_", " ")


def is_automated(event: TicketEvent) -> bool:
    """Recorded by the console itself (no actor) or flagged automated."""
    return event.actor is None or bool(event.data.get("automated"))


def actor_text(event: TicketEvent, names: Mapping[str, str] | None = None) -> str:
    """Who did it: a display name from ``names`` (login to name), else the login;
    ``system (automated)`` for an event without an actor; ``(automated)`` after anyone for
    an automated one."""
    if event.actor is None:
        who = words.tr(SYSTEM_ACTOR)
    else:
        who = (names or {}).get(event.actor, event.actor)
    return f"{who} {words.tr(AUTOMATED)}" if is_automated(event) else who


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
        parts.append(f"{words.tr(INVALID)}: {event.invalid.reason}")
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
        return words.tr("none")
    if isinstance(value, bool):
        return words.tr("yes") if value else words.tr("no")
    return str(value).strip()


def _channel(value: object) -> str:
    try:
        return channel_label(Channel(str(value)))
    except ValueError:
        return _plain(value)


def _severity(value: object) -> str:
    return f"S{_plain(value)}"


def _status(value: object, kind: EventKind, *_: object) -> str:
    try:
        label = status_label(Status(str(value)))
    except ValueError:
        label = _plain(value)
    if kind is EventKind.STATUS_CHANGED:
        return label
    return words.tr("status {status}").format(status=label)


def _assignee(value: object, kind: EventKind, names: Mapping[str, str], *_: object) -> str:
    if not value:
        return words.tr("nobody")
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
    """A flag said as ``yes`` or ``no`` (both marked for translation)."""
    return lambda value, *_: words.tr(yes) if value else words.tr(no)


def _labelled(label: str) -> _Say:
    """A value after its ``label`` (marked for translation)."""
    return lambda value, *_: f"{words.tr(label)}: {_plain(value)}" if _plain(value) else ""


def _by(value: object, *_: object) -> str:
    return words.tr("by {channel}").format(channel=_channel(value))


_FIELDS: tuple[tuple[str, _Say], ...] = (
    ("severity", lambda value, *_: _severity(value)),
    ("status", _status),
    ("assignee", _assignee),
    ("waiver", _waiver),
    ("urgent", _flag(words.QT_TR_NOOP("urgent"), words.QT_TR_NOOP("not urgent"))),
    ("automated", _flag(words.QT_TR_NOOP("automated"), words.QT_TR_NOOP("not automated"))),
    ("reason", _labelled(words.QT_TR_NOOP("reason"))),
    (
        "customer_notified",
        _flag(words.QT_TR_NOOP("customer notified"), words.QT_TR_NOOP("customer not notified")),
    ),
    ("channel", _by),
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
