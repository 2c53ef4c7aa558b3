"""The words of the domain: metrics, ticket statuses and the append-only ticket history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
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


def _frozen(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One entry of a ticket's history.

    ``data`` by kind: created ``{"severity": int, "status"?: str}``; responded
    ``{"automated"?: bool}``; status_changed ``{"status": str}``; severity_changed
    ``{"from": int, "to": int, "reason": str}``; escalated ``{"urgent": bool}``; waived
    ``{"waiver": str, "reason": str}``; assigned ``{"assignee": str | None}``.
    """

    kind: EventKind
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    actor: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"event {self.kind} at {self.at!r}: the instant must be aware")
        object.__setattr__(self, "data", _frozen(self.data))
