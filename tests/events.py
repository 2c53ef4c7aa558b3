"""Ticket events of every kind with every field of data they can carry, and what each field
must read as wherever an event is put into words (the detail pane's timeline, the History
table, its CSV export)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.domain.model import EventKind, TicketEvent

NAMES = {"ana.ortiz": "Ana Ortiz", "lee.park": "Lee Park"}

# Every field of every kind (TicketEvent's data, as the command handlers and imports write it).
FIELDS: Mapping[EventKind, frozenset[str]] = {
    EventKind.CREATED: frozenset({"severity", "status", "channel"}),
    EventKind.RESPONDED: frozenset({"text", "automated", "channel"}),
    EventKind.UPDATE_SENT: frozenset({"text", "channel"}),
    EventKind.STATUS_CHANGED: frozenset({"status"}),
    EventKind.SEVERITY_CHANGED: frozenset({"from", "to", "reason", "customer_notified"}),
    EventKind.ASSIGNED: frozenset({"assignee"}),
    EventKind.ESCALATED: frozenset({"urgent", "text"}),
    EventKind.ESCALATION_ANSWERED: frozenset({"text"}),
    EventKind.RCA_DELIVERED: frozenset({"text"}),
    EventKind.WAIVED: frozenset({"waiver", "reason"}),
    EventKind.NOTE: frozenset({"text"}),
    EventKind.CUSTOMER_MESSAGE: frozenset({"text", "channel"}),
}


@dataclass(frozen=True)
class Sample:
    """An event's ``data`` and what each field ``reads`` as in its details; ``who`` the actor
    in words (names from :data:`NAMES`); ``named``, the fields that read otherwise when the
    ticket's policy is known (the waiver by its name)."""

    kind: EventKind
    data: Mapping[str, Any]
    reads: Mapping[str, str]
    actor: str | None = "ana.ortiz"
    who: str = "Ana Ortiz"
    named: Mapping[str, str] = field(default_factory=dict)

    def event(self, at: datetime) -> TicketEvent:
        return TicketEvent(self.kind, at, self.data, self.actor)

    def expected(self, *, policy_known: bool) -> dict[str, str]:
        return {**self.reads, **self.named} if policy_known else dict(self.reads)


STATUS_PAGE = "Problem already communicated on the status page"  # laioutr's status_page waiver

SAMPLES: tuple[Sample, ...] = (
    Sample(
        EventKind.CREATED,
        {"severity": 2, "status": "open"},
        {"severity": "S2", "status": "status open"},
        actor=None,
        who="system (automated)",
    ),
    Sample(
        EventKind.RESPONDED,
        {"text": "We are on it (r-1)", "automated": True},
        {"text": "We are on it (r-1)", "automated": "automated"},
        actor=None,
        who="system (automated)",
    ),
    Sample(
        EventKind.RESPONDED,
        {"text": "Looking into it (r-2)", "automated": False},
        {"text": "Looking into it (r-2)", "automated": "not automated"},
    ),
    Sample(
        EventKind.RESPONDED,
        {"text": "Auto-reply from a bot login (r-3)", "automated": True},
        {"text": "Auto-reply from a bot login (r-3)", "automated": "automated"},
        actor="lee.park",
        who="Lee Park (automated)",
    ),
    Sample(
        EventKind.UPDATE_SENT, {"text": "Fix on staging (u-1)"}, {"text": "Fix on staging (u-1)"}
    ),
    Sample(
        EventKind.STATUS_CHANGED, {"status": "awaiting_customer"}, {"status": "awaiting customer"}
    ),
    Sample(
        EventKind.SEVERITY_CHANGED,
        {"from": 1, "to": 3, "reason": "Workaround found (s-1)", "customer_notified": True},
        {
            "from": "S1 →",
            "to": "→ S3",
            "reason": "reason: Workaround found (s-1)",
            "customer_notified": "customer notified",
        },
        actor="lee.park",
        who="Lee Park",
    ),
    Sample(
        EventKind.SEVERITY_CHANGED,
        {"from": 3, "to": 2, "reason": "Spreading (s-2)", "customer_notified": False},
        {
            "from": "S3 →",
            "to": "→ S2",
            "reason": "reason: Spreading (s-2)",
            "customer_notified": "customer not notified",
        },
        actor="lee.park",
        who="Lee Park",
    ),
    Sample(EventKind.ASSIGNED, {"assignee": "lee.park"}, {"assignee": "Lee Park"}),
    Sample(EventKind.ASSIGNED, {"assignee": None}, {"assignee": "nobody"}),
    Sample(
        EventKind.ESCALATED,
        {"urgent": True, "text": "Their CTO called (e-1)"},
        {"urgent": "urgent", "text": "Their CTO called (e-1)"},
    ),
    Sample(
        EventKind.ESCALATED,
        {"urgent": False, "text": "Asked for a manager (e-2)"},
        {"urgent": "not urgent", "text": "Asked for a manager (e-2)"},
    ),
    Sample(
        EventKind.ESCALATION_ANSWERED,
        {"text": "Manager replied (a-1)"},
        {"text": "Manager replied (a-1)"},
        actor="lee.park",
        who="Lee Park",
    ),
    Sample(EventKind.RCA_DELIVERED, {"text": "RCA sent (rca-1)"}, {"text": "RCA sent (rca-1)"}),
    Sample(
        EventKind.WAIVED,
        {"waiver": "status_page", "reason": "INC-7 on status (w-1)"},
        {"waiver": "status_page", "reason": "reason: INC-7 on status (w-1)"},
        named={"waiver": STATUS_PAGE},
    ),
    Sample(
        EventKind.NOTE,
        {"text": "Customer shared a HAR file (n-1)", "mood": "calm"},
        {"text": "Customer shared a HAR file (n-1)", "mood": "mood: calm"},
        actor="ghost.user",  # no longer an agent: the login
        who="ghost.user",
    ),
    Sample(
        EventKind.CUSTOMER_MESSAGE,
        {"text": "Logins fail since 09:00 (c-1)", "channel": "email"},
        {"text": "Logins fail since 09:00 (c-1)", "channel": "by e-mail"},
    ),
    Sample(
        EventKind.UPDATE_SENT,
        {"text": "Fix deploying (u-9)", "channel": "phone"},
        {"text": "Fix deploying (u-9)", "channel": "by phone"},
    ),
    Sample(
        EventKind.RESPONDED,
        {"text": "Looking into it (r-9)", "channel": "chat"},
        {"text": "Looking into it (r-9)", "channel": "by chat"},
    ),
    Sample(
        EventKind.CREATED,
        {"severity": 1, "status": "open", "channel": "phone"},
        {"severity": "S1", "status": "status open", "channel": "by phone"},
    ),
)


def sample_events(start: datetime) -> list[TicketEvent]:
    """The samples' events a minute apart from ``start``, in the order of :data:`SAMPLES`."""
    return [sample.event(start + timedelta(minutes=i)) for i, sample in enumerate(SAMPLES)]


def missing(details: str, sample: Sample, *, policy_known: bool = False) -> list[str]:
    """The fields of ``sample`` that ``details`` does not show."""
    expected = sample.expected(policy_known=policy_known)
    return [name for name, words in expected.items() if words not in details]
