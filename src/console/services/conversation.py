"""A ticket's conversation, the way the detail pane shows it as a thread: what the customer
said, what we said to them (replies and status updates) and to each other (internal notes),
oldest first, with the ticket's other events (created, assigned, status changes and the
pauses they start or end, severity changes, escalations and their answers, the RCA, waivers)
between them as one line each, in the words of :mod:`console.services.event_text`.

Instants stay instants (UTC): the view puts them in the agent's zone. Nothing here sends
anything: until the console has a channel that delivers mail, every public message is
:attr:`Delivery.RECORDED`, so no one believes the customer saw what was only written down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from console.domain.model import Channel, ClockState, EventKind, Metric, TicketEvent
from console.domain.policy import Policy
from console.domain.sla import SlaClock
from console.services import words
from console.services.event_text import actor_text, details_text, event_words
from console.services.labels import channel_label, metric_name

__all__ = [
    "CUSTOMER",
    "ClocksAt",
    "Conversation",
    "ConversationEntry",
    "Delivery",
    "EventLine",
    "Message",
    "MessageKind",
    "conversation_of",
]

# The author of the customer's words when the customer is not named (words.tr(CUSTOMER)).
CUSTOMER = words.QT_TR_NOOP("Customer")


class MessageKind(StrEnum):
    """Who a message is from and for: the customer's words, a public reply or status update
    to them, or an internal note for colleagues."""

    CUSTOMER = "customer"
    REPLY = "reply"
    UPDATE = "update"
    NOTE = "note"

    @property
    def label(self) -> str:
        """``Reply``, ``Internal note``: in the console's language."""
        return words.tr(_KIND_LABELS[self])

    @property
    def public(self) -> bool:
        """Meant for the customer (a reply or an update)."""
        return self in (MessageKind.REPLY, MessageKind.UPDATE)


_KIND_LABELS = {
    MessageKind.CUSTOMER: CUSTOMER,
    MessageKind.REPLY: words.QT_TR_NOOP("Reply"),
    MessageKind.UPDATE: words.QT_TR_NOOP("Update"),
    MessageKind.NOTE: words.QT_TR_NOOP("Internal note"),
}

_SHOWN = frozenset({"text", "channel", "automated"})  # a message's fields shown by themselves
_MESSAGES = {
    EventKind.CUSTOMER_MESSAGE: MessageKind.CUSTOMER,
    EventKind.RESPONDED: MessageKind.REPLY,
    EventKind.UPDATE_SENT: MessageKind.UPDATE,
    EventKind.NOTE: MessageKind.NOTE,
}


class Delivery(StrEnum):
    """What became of a public message: recorded only (said by phone, or written down), or
    by e-mail: waiting in the outbox, being sent, sent, or not delivered."""

    RECORDED = "recorded, not sent"
    QUEUED = "waiting to be sent"
    SENDING = "sending"
    SENT = "sent by e-mail"
    FAILED = "not delivered"

    @property
    def label(self) -> str:
        """The value in the console's language (the value itself stays English: it is
        compared and stored)."""
        return words.tr(_DELIVERY_LABELS[self])


_DELIVERY_LABELS = {
    Delivery.RECORDED: words.QT_TR_NOOP("recorded, not sent"),
    Delivery.QUEUED: words.QT_TR_NOOP("waiting to be sent"),
    Delivery.SENDING: words.QT_TR_NOOP("sending"),
    Delivery.SENT: words.QT_TR_NOOP("sent by e-mail"),
    Delivery.FAILED: words.QT_TR_NOOP("not delivered"),
}


# A reply by e-mail as the outbox knows it, by (instant, kind, text) of its event: where it
# stands and a note (when it left; why it did not, and when it is tried again).
Deliveries = Mapping[tuple[datetime, str, str], tuple[Delivery, str]]


@dataclass(frozen=True, slots=True)
class Message:
    """One message of the thread. ``author`` is a display name (the customer's name for their
    words; ``… (automated)`` for an automated reply); ``channel`` the channel's label
    ("phone", "e-mail") or "" when written in the console; ``text`` as recorded ("" when none
    was: a response recorded without words); ``delivery`` for public messages only;
    ``recorded_by`` who typed the customer's words in ("" when they arrived by themselves);
    ``other`` the fields of the event the rest does not show, in words ("" when none: it has
    only a text, a channel and the automated flag); ``details`` every field of the event in
    words (:func:`event_words`)."""

    kind: MessageKind
    at: datetime
    author: str
    channel: str
    text: str
    delivery: Delivery | None = None
    recorded_by: str = ""
    other: str = ""
    details: str = ""
    delivery_note: str = ""
    quoted: str = ""  # the quoted history below a mail's new words (shown collapsed)


@dataclass(frozen=True, slots=True)
class EventLine:
    """Any other event, as one line: ``Lee Park · severity changed: S1 → S3; reason: …``."""

    at: datetime
    kind: EventKind
    text: str


ConversationEntry = Message | EventLine
Conversation = tuple[ConversationEntry, ...]
# The ticket's clocks after the given events, at an instant (``PolicyBook.clocks``).
ClocksAt = Callable[[tuple[TicketEvent, ...], datetime], Sequence[SlaClock]]


def conversation_of(
    events: Iterable[TicketEvent],
    names: Mapping[str, str] | None = None,
    policy: Policy | None = None,
    *,
    customer: str = "",
    clocks: ClocksAt | None = None,
    deliveries: Deliveries | None = None,
    quotes: Mapping[tuple[datetime, str], str] | None = None,
) -> Conversation:
    """The thread of a ticket's ``events``, oldest first (events of one instant in the order
    they were recorded). ``names`` maps logins to display names, ``policy`` (the ticket's)
    names its waivers, ``customer`` is the customer's name, and ``clocks`` gives the ticket's
    clocks after some of its events at an instant: with it, a status change says which clocks
    it pauses and which it lets run again. A stored event that makes no sense is a line,
    marked invalid, whatever its kind."""
    names = names or {}
    ordered = sorted(events, key=lambda e: e.at)
    entries: list[ConversationEntry] = []
    for index, event in enumerate(ordered):
        kind = _MESSAGES.get(event.kind)
        if kind is not None and event.invalid is None:
            message = _message(kind, event, names, policy, customer)
            sent = (deliveries or {}).get((event.at, event.kind.value, message.text))
            if sent is not None and kind.public:
                message = replace(message, delivery=sent[0], delivery_note=sent[1])
            quoted = (
                (quotes or {}).get((event.at, message.text))
                if kind is MessageKind.CUSTOMER
                else None
            )
            if quoted:
                message = replace(message, quoted=quoted)
            entries.append(message)
            continue
        line = event_words(event, names, policy).line
        if event.kind is EventKind.STATUS_CHANGED and event.invalid is None and clocks:
            line += _pauses(clocks, ordered[:index], ordered[: index + 1], event.at)
        entries.append(EventLine(event.at, event.kind, line))
    return tuple(entries)


def _message(
    kind: MessageKind,
    event: TicketEvent,
    names: Mapping[str, str],
    policy: Policy | None,
    customer: str,
) -> Message:
    data = event.data
    who = actor_text(event, names)
    rest = replace(event, data={k: v for k, v in data.items() if k not in _SHOWN})
    return Message(
        kind,
        event.at,
        (customer or words.tr(CUSTOMER)) if kind is MessageKind.CUSTOMER else who,
        _channel_label(data.get("channel")),
        str(data.get("text") or "").strip(),
        Delivery.RECORDED if kind.public else None,
        who if kind is MessageKind.CUSTOMER and event.actor is not None else "",
        details_text(rest, names, policy),
        event_words(event, names, policy).line,
    )


def _channel_label(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return channel_label(Channel(str(value)))
    except ValueError:
        return str(value)


def _pauses(
    clocks: ClocksAt,
    before: Sequence[TicketEvent],
    after: Sequence[TicketEvent],
    at: datetime,
) -> str:
    """`` · pauses the initial response clock`` / `` · resumes …``: what a status change at
    ``at`` did to the clocks, comparing them without it (``before``) and with it."""
    was = {c.metric for c in clocks(tuple(before), at) if c.state is ClockState.PAUSED}
    now = {c.metric: c for c in clocks(tuple(after), at)}
    paused = [m for m in Metric if m in now and now[m].state is ClockState.PAUSED and m not in was]
    resumed = [m for m in Metric if m in was and m in now and now[m].is_counting]
    parts = [words.tr("pauses {clocks}").format(clocks=_clocks(paused))] if paused else []
    if resumed:
        parts.append(words.tr("resumes {clocks}").format(clocks=_clocks(resumed)))
    return "".join(f" · {part}" for part in parts)


def _clocks(metrics: list[Metric]) -> str:
    """``the initial response clock``, ``the initial response and periodic update
    clocks``."""
    names = [metric_name(m) for m in metrics]
    if len(names) == 1:
        return words.tr("the {name} clock").format(name=names[0])
    said = words.tr("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])
    return words.tr("the {names} clocks").format(names=said)
