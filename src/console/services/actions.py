"""What an agent does to a ticket, each action one unit of work through :func:`record_event`.

Every function takes the ticket as the agent saw it (its version) so that a change made
meanwhile by someone else is refused with :class:`ConcurrentEditError`, never overwritten.
"""

from __future__ import annotations

from datetime import datetime

from console.adapters.repository import UnitOfWork
from console.domain.model import EventKind, Status, Ticket, TicketEvent
from console.services.tickets import PolicyBook, record_event


def _record(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    kind: EventKind,
    actor: str,
    at: datetime | None,
    **data: object,
) -> Ticket:
    event = TicketEvent(kind, at or uow.clock(), data, actor)
    return record_event(uow, book, ticket.key, ticket.version, event)


def assign(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    assignee: str | None,
    at: datetime | None = None,
) -> Ticket:
    """Give the ticket to ``assignee`` (None: unassign); taking it is assigning it to oneself.
    Taking a ticket from someone else is for team leads."""
    if ticket.assignee is not None and ticket.assignee != actor:
        from console.services.leads import require_lead

        require_lead(uow, actor, f"Reassigning {ticket.key} from {ticket.assignee}")
    return _record(uow, book, ticket, EventKind.ASSIGNED, actor, at, assignee=assignee)


def respond(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    text: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Record a (non-automated) response to the customer: stops the initial response clock."""
    return _record(uow, book, ticket, EventKind.RESPONDED, actor, at, text=text)


def send_update(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    text: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Record a periodic update: re-arms the periodic update clock."""
    return _record(uow, book, ticket, EventKind.UPDATE_SENT, actor, at, text=text)


def set_status(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    status: Status,
    at: datetime | None = None,
) -> Ticket:
    if status == ticket.status:
        raise ValueError(f"{ticket.key} is already {status.label}")
    return _record(uow, book, ticket, EventKind.STATUS_CHANGED, actor, at, status=status.value)


def escalate(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    *,
    urgent: bool,
    text: str = "",
    at: datetime | None = None,
) -> Ticket:
    return _record(uow, book, ticket, EventKind.ESCALATED, actor, at, urgent=urgent, text=text)


def answer_escalation(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    text: str = "",
    at: datetime | None = None,
) -> Ticket:
    return _record(uow, book, ticket, EventKind.ESCALATION_ANSWERED, actor, at, text=text)


def deliver_rca(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    text: str = "",
    at: datetime | None = None,
) -> Ticket:
    return _record(uow, book, ticket, EventKind.RCA_DELIVERED, actor, at, text=text)


def waive(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    waiver: str,
    reason: str,
    at: datetime | None = None,
) -> Ticket:
    """Mark a waiver of the ticket's policy (status page, personal data) with a reason."""
    if not reason.strip():
        raise ValueError("a waiver needs a reason")
    with uow:
        customer = uow.customers.get(ticket.customer)
    book.policy_for(customer).waiver(waiver)
    return _record(
        uow, book, ticket, EventKind.WAIVED, actor, at, waiver=waiver, reason=reason.strip()
    )


def add_note(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    text: str,
    at: datetime | None = None,
) -> Ticket:
    if not text.strip():
        raise ValueError("a note needs some text")
    return _record(uow, book, ticket, EventKind.NOTE, actor, at, text=text.strip())
