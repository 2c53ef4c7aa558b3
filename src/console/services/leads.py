"""What a team lead sees before changing a severity: every clock now and with the new
severity, computed by the same code that then applies the change (the change itself is the
``ChangeSeverity`` command)."""

from __future__ import annotations

from datetime import datetime

from console.adapters.repository import UnitOfWork
from console.domain.sla import ClockChange, preview_severity_change
from console.services.tickets import PolicyBook


def preview_severity(
    uow: UnitOfWork, book: PolicyBook, key: str, to: int, now: datetime
) -> tuple[ClockChange, ...]:
    """Each clock of ticket ``key`` at ``now`` and with its severity changed to ``to``; read
    inside the open ``uow``."""
    ticket = uow.tickets.get(key)
    customer = uow.customers.get(ticket.customer)
    policy = book.policy_for(customer)
    policy.severity(to)
    return preview_severity_change(
        policy,
        customer.plan,
        ticket.events,
        to,
        now,
        company_periods=book.periods.get(customer.policy_id, ()),
    )
