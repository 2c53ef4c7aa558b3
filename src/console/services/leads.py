"""What only team leads may do: change a ticket's severity (with a preview of every clock
first) and reassign other people's tickets. The service layer refuses an agent; on
PostgreSQL the database refuses too (see console.adapters.grants)."""

from __future__ import annotations

from datetime import datetime

from console.adapters.repository import UnitOfWork
from console.domain.errors import PermissionDeniedError
from console.domain.model import Agent, EventKind, Role, Ticket, TicketEvent
from console.domain.sla import ClockChange, preview_severity_change
from console.services.tickets import PolicyBook, apply_event, record_event


def require_lead(uow: UnitOfWork, actor: str, doing: str) -> Agent:
    """The actor, if a team lead; else :class:`PermissionDeniedError` saying who and what."""
    with uow:
        agent = uow.agents.get(actor)
    if agent.role is not Role.LEAD:
        raise PermissionDeniedError(
            f"{doing} is for team leads: {agent.display_name} ({agent.name}) is an agent"
        )
    return agent


def preview_severity(
    uow: UnitOfWork, book: PolicyBook, ticket: Ticket, to: int, at: datetime | None = None
) -> tuple[ClockChange, ...]:
    """Each clock now and with the severity changed to ``to``, for the lead to confirm."""
    with uow:
        book.load_periods(uow)
        fresh = uow.tickets.get(ticket.key)
        customer = uow.customers.get(fresh.customer)
        when = at or uow.clock()
    policy = book.policy_for(customer)
    policy.severity(to)
    return preview_severity_change(
        policy,
        customer.plan,
        fresh.events,
        to,
        when,
        company_periods=book.periods.get(customer.policy_id, ()),
    )


def change_severity(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    to: int,
    reason: str,
    *,
    customer_notified: bool = False,
    at: datetime | None = None,
) -> Ticket:
    """Change the severity of the ticket seen at ``ticket.version``: an audited event with who,
    when, from, to and why. Refused for agents, without a reason, to the same level, or when
    the policy demands a notice to the customer that was not given."""
    require_lead(uow, actor, "Changing a ticket's severity")
    if not reason.strip():
        raise ValueError("a severity change needs a reason")
    if to == ticket.severity:
        raise ValueError(f"{ticket.key} is already at severity {to}")
    with uow:
        customer = uow.customers.get(ticket.customer)
    policy = book.policy_for(customer)
    policy.severity(to)
    if policy.severity_change.notify_customer and not customer_notified:
        raise ValueError(
            f"{policy.vendor}'s policy requires notifying the customer of a severity change "
            f"({policy.severity_change.source.clause}): confirm the customer was notified"
        )
    event = TicketEvent(
        EventKind.SEVERITY_CHANGED,
        at or uow.clock(),
        {
            "from": ticket.severity,
            "to": to,
            "reason": reason.strip(),
            "customer_notified": customer_notified,
        },
        actor,
    )
    return record_event(uow, book, ticket.key, ticket.version, event)


def change_severity_many(
    uow: UnitOfWork,
    book: PolicyBook,
    tickets: list[Ticket],
    actor: str,
    to: int,
    reason: str,
    *,
    customer_notified: bool = False,
    at: datetime | None = None,
) -> list[Ticket]:
    """Change the severity of several tickets (each as seen at its version) in one action: all
    are changed, or none (a ticket changed meanwhile refuses the whole change)."""
    require_lead(uow, actor, "Changing a ticket's severity")
    if not reason.strip():
        raise ValueError("a severity change needs a reason")
    if not tickets:
        raise ValueError("no tickets chosen")
    with uow:
        book.load_periods(uow)
        when = at or uow.clock()
        changed = []
        for ticket in tickets:
            if to == ticket.severity:
                raise ValueError(f"{ticket.key} is already at severity {to}")
            policy = book.policy_for(uow.customers.get(ticket.customer))
            policy.severity(to)
            if policy.severity_change.notify_customer and not customer_notified:
                raise ValueError(
                    f"{policy.vendor}'s policy requires notifying the customer of a severity "
                    f"change ({policy.severity_change.source.clause}): confirm the customers "
                    "were notified"
                )
            event = TicketEvent(
                EventKind.SEVERITY_CHANGED,
                when,
                {
                    "from": ticket.severity,
                    "to": to,
                    "reason": reason.strip(),
                    "customer_notified": customer_notified,
                },
                actor,
            )
            changed.append(apply_event(uow, book, ticket.key, ticket.version, event))
        uow.commit()
        return changed
