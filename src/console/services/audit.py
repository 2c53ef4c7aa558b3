"""The audit trail: who did what to which ticket, when; filterable and exportable to CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from console.adapters.repository import UnitOfWork
from console.domain.model import EventKind, TicketEvent

CSV_COLUMNS = ("at", "ticket", "actor", "kind", "details")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """``since``/``until`` bound the event instant ``[since, until)``; None: no bound."""

    key: str | None = None
    actor: str | None = None
    kinds: frozenset[EventKind] | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    key: str
    event: TicketEvent

    @property
    def details(self) -> str:
        data = self.event.data
        kind = self.event.kind
        if kind is EventKind.SEVERITY_CHANGED:
            notified = "; customer notified" if data.get("customer_notified") else ""
            return f"{data.get('from')} -> {data.get('to')}: {data.get('reason', '')}{notified}"
        if kind is EventKind.STATUS_CHANGED:
            return str(data.get("status", ""))
        if kind is EventKind.ASSIGNED:
            return str(data.get("assignee") or "unassigned")
        if kind is EventKind.WAIVED:
            return f"{data.get('waiver')}: {data.get('reason', '')}"
        if kind is EventKind.ESCALATED:
            return "urgent" if data.get("urgent") else "not urgent"
        if kind is EventKind.CREATED:
            return f"severity {data.get('severity')}"
        return str(data.get("text", ""))


def load_audit(uow: UnitOfWork, audit_filter: AuditFilter, limit: int = 10_000) -> list[AuditRow]:
    """The events matching ``audit_filter``, newest first, read inside the open ``uow``."""
    entries = uow.tickets.audit(
        key=audit_filter.key,
        actor=audit_filter.actor,
        kinds=audit_filter.kinds,
        since=audit_filter.since,
        until=audit_filter.until,
        limit=limit,
    )
    return [AuditRow(key, event) for key, event in entries]


def export_audit(rows: Iterable[AuditRow], destination: TextIO) -> int:
    """Write the rows as CSV (instants in ISO 8601 UTC); how many."""
    writer = csv.writer(destination)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        event = row.event
        writer.writerow(
            (event.at.isoformat(), row.key, event.actor or "", event.kind.value, row.details)
        )
        count += 1
    return count
