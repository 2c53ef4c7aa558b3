"""What the console shows, as immutable snapshots read in one unit of work: queue rows
(without histories, so 100,000 of them load fast) and one ticket's full detail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from console.adapters.bulk import collection_paused
from console.adapters.repository import UnitOfWork
from console.domain.calendar import BusinessCalendar
from console.domain.model import Customer, Ticket, TicketEvent
from console.domain.policy import Policy
from console.domain.queue import Countdown, countdown, queue_key
from console.domain.sla import SlaClock
from console.services.tickets import PolicyBook


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One ticket in the queue: its fields, its customer, and its leading clock's calendar."""

    ticket: Ticket
    customer: Customer
    policy: Policy  # the customer's effective policy (with overrides)
    calendar: BusinessCalendar | None  # the leading clock's calendar (with company holidays)
    search_text: str  # key, customer and title in lower case, for the search box

    @property
    def key(self) -> str:
        return self.ticket.key

    @property
    def severity_name(self) -> str:
        try:
            return self.policy.severity(self.ticket.severity).name
        except KeyError:
            return str(self.ticket.severity)

    def countdown(self, now: datetime) -> Countdown:
        return countdown(self.ticket.next_due_at, self.ticket.summary, self.calendar, now)

    def order(self) -> tuple[int, float, str]:
        return queue_key(self.ticket.key, self.ticket.next_due_at, self.ticket.summary)


@dataclass(frozen=True, slots=True)
class TicketDetail:
    """Everything the detail pane shows of one ticket; clocks are computed at any ``now``."""

    row: QueueRow
    events: tuple[TicketEvent, ...]
    book: PolicyBook

    def clocks(self, now: datetime) -> tuple[SlaClock, ...]:
        return self.book.clocks(self.row.customer, self.events, now)


def make_row(book: PolicyBook, ticket: Ticket, customer: Customer) -> QueueRow:
    policy = book.policy_for(customer)
    calendar = None
    if ticket.summary.calendar is not None and ticket.summary.calendar in policy.calendars:
        calendar = policy.calendar(
            ticket.summary.calendar, book.periods.get(customer.policy_id, ())
        )
    search = f"{ticket.key}\n{customer.name}\n{ticket.title}".lower()
    return QueueRow(ticket, customer, policy, calendar, search)


def load_rows(
    uow: UnitOfWork,
    book: PolicyBook,
    keys: Iterable[str] | None = None,
    *,
    open_only: bool = True,
    limit: int | None = None,
) -> list[QueueRow]:
    """Queue rows (all open tickets, the ``limit`` most urgent, or those of ``keys``), in
    queue order; read inside the open ``uow``."""
    with collection_paused():
        customers = {c.name: c for c in uow.customers.list()}
        if limit is not None:
            tickets = uow.tickets.most_urgent(limit)
        else:
            tickets = uow.tickets.list(open_only=open_only, keys=keys)
        rows = [make_row(book, t, customers[t.customer]) for t in tickets]
    rows.sort(key=QueueRow.order)
    return rows


def load_detail(uow: UnitOfWork, book: PolicyBook, key: str) -> TicketDetail:
    """One ticket with its history, read inside the open ``uow``."""
    ticket = uow.tickets.get(key)
    customer = uow.customers.get(ticket.customer)
    return TicketDetail(make_row(book, ticket, customer), ticket.events, book)
