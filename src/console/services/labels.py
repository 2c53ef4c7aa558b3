"""The domain's labels in the console's language: a metric, a ticket status, a clock state,
a channel, a role, a mail delivery, as the window shows them.

The domain says each in English (``Status.label``, ``ClockState.label``, ``Metric.label``)
and imports nothing of this; here every label is written once more, marked for translation,
and shown through :mod:`console.services.words`. English stays what the domain says (a
unit test holds the tables to the domain's labels), so the command line is unchanged.
"""

from __future__ import annotations

from console.domain.mail import OutboxState, Security
from console.domain.model import Channel, ClockState, Metric, Role, Status
from console.services import words

__all__ = [
    "CHANNELS",
    "CLOCK_STATES",
    "METRICS",
    "METRIC_NAMES",
    "OUTBOX_STATES",
    "ROLES",
    "SECURITY",
    "STATUSES",
    "channel_label",
    "clock_state_label",
    "first_upper",
    "metric_label",
    "metric_name",
    "outbox_label",
    "role_label",
    "security_label",
    "status_label",
]

METRICS = {
    Metric.INITIAL_RESPONSE: words.QT_TR_NOOP("Initial response"),
    Metric.PERIODIC_UPDATE: words.QT_TR_NOOP("Periodic update"),
    Metric.PRELIMINARY_RCA: words.QT_TR_NOOP("Preliminary RCA"),
    Metric.ESCALATION_RESPONSE: words.QT_TR_NOOP("Escalation response"),
}
# A metric inside a sentence: "pauses the initial response clock".
METRIC_NAMES = {
    Metric.INITIAL_RESPONSE: words.QT_TR_NOOP("initial response"),
    Metric.PERIODIC_UPDATE: words.QT_TR_NOOP("periodic update"),
    Metric.PRELIMINARY_RCA: words.QT_TR_NOOP("preliminary RCA"),
    Metric.ESCALATION_RESPONSE: words.QT_TR_NOOP("escalation response"),
}
STATUSES = {
    Status.OPEN: words.QT_TR_NOOP("open"),
    Status.AWAITING_CUSTOMER: words.QT_TR_NOOP("awaiting customer"),
    Status.ON_HOLD: words.QT_TR_NOOP("on hold"),
    Status.RESOLVED: words.QT_TR_NOOP("resolved"),
    Status.CLOSED: words.QT_TR_NOOP("closed"),
}
CLOCK_STATES = {
    ClockState.RUNNING: words.QT_TR_NOOP("running"),
    ClockState.WAITING: words.QT_TR_NOOP("waiting"),
    ClockState.PAUSED: words.QT_TR_NOOP("paused"),
    ClockState.MET: words.QT_TR_NOOP("met"),
    ClockState.BREACHED: words.QT_TR_NOOP("breached"),
    ClockState.WAIVED: words.QT_TR_NOOP("waived"),
    ClockState.BEST_EFFORT: words.QT_TR_NOOP("best effort"),
    ClockState.NO_TARGET: words.QT_TR_NOOP("no timed target"),
    ClockState.DONE: words.QT_TR_NOOP("done"),
}
CHANNELS = {
    Channel.PHONE: words.QT_TR_NOOP("phone"),
    Channel.EMAIL: words.QT_TR_NOOP("e-mail"),
    Channel.CHAT: words.QT_TR_NOOP("chat"),
    Channel.WEB: words.QT_TR_NOOP("web"),
}
ROLES = {
    Role.AGENT: words.QT_TR_NOOP("agent"),
    Role.LEAD: words.QT_TR_NOOP("lead"),
}
OUTBOX_STATES = {
    OutboxState.PENDING: words.QT_TR_NOOP("waiting to be sent"),
    OutboxState.SENDING: words.QT_TR_NOOP("sending"),
    OutboxState.SENT: words.QT_TR_NOOP("delivered to the mail server"),
    OutboxState.FAILED: words.QT_TR_NOOP("not delivered"),
}
SECURITY = {
    Security.TLS: words.QT_TR_NOOP("TLS"),
    Security.STARTTLS: words.QT_TR_NOOP("STARTTLS"),
    Security.NONE: words.QT_TR_NOOP("none"),
}


def metric_label(metric: Metric) -> str:
    """``Initial response`` (German ``Erstreaktion``): a metric on its own, as a title."""
    return words.tr(METRICS[metric])


def metric_name(metric: Metric) -> str:
    """``initial response``: a metric inside a sentence (German keeps its capitals)."""
    return words.tr(METRIC_NAMES[metric])


def status_label(status: Status) -> str:
    """``awaiting customer``."""
    return words.tr(STATUSES[status])


def clock_state_label(state: ClockState) -> str:
    """``breached``, ``no timed target``."""
    return words.tr(CLOCK_STATES[state])


def channel_label(channel: Channel) -> str:
    """``phone``, ``e-mail``."""
    return words.tr(CHANNELS[channel])


def role_label(role: Role) -> str:
    """``agent``, ``lead``."""
    return words.tr(ROLES[role])


def outbox_label(state: OutboxState) -> str:
    """``waiting to be sent``, ``not delivered``."""
    return words.tr(OUTBOX_STATES[state])


def security_label(security: Security) -> str:
    """``TLS``, ``STARTTLS``, ``none``."""
    return words.tr(SECURITY[security])


def first_upper(text: str) -> str:
    """``text`` with its first letter upper case and the rest as it is (``str.capitalize``
    would lower the rest: "Wartet auf kunden")."""
    return text[:1].upper() + text[1:]
