"""History: who did what to which ticket, when; filterable and exportable to CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

from console.adapters.repository import UnitOfWork
from console.domain.model import AuditFilter, TicketEvent
from console.services.event_text import event_words

CSV_COLUMNS = ("at", "ticket", "actor", "who", "kind", "details")
AUDIT_LIMIT = 10_000  # the most events one query returns


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One event of the ticket ``key``."""

    key: str
    event: TicketEvent


def load_audit(
    uow: UnitOfWork, audit_filter: AuditFilter, limit: int = AUDIT_LIMIT
) -> list[AuditRow]:
    """The events matching ``audit_filter``, newest first, read inside the open ``uow``."""
    entries = uow.tickets.audit(audit_filter, limit)
    return [AuditRow(key, event) for key, event in entries]


def export_audit(
    rows: Iterable[AuditRow], destination: TextIO, names: Mapping[str, str] | None = None
) -> int:
    """Write the rows as CSV; how many. Columns: the instant in ISO 8601 UTC, the ticket, the
    actor's login as recorded (empty for the console itself), who in words (display names
    from ``names``, login to name), the kind's value and every field of the event's data in
    words (:mod:`console.services.event_text`)."""
    writer = csv.writer(destination)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        event = row.event
        words = event_words(event, names)
        writer.writerow(
            (
                event.at.isoformat(),
                row.key,
                event.actor or "",
                words.who,
                event.kind.value,
                words.details,
            )
        )
        count += 1
    return count
