"""What the console shows, as immutable snapshots read in one unit of work: queue rows
(without histories, so 100,000 of them load fast) and one ticket's full detail."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

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
    # The place in the default order (see order), worked out once: a load sorts, indexes
    # and counts 100,000 rows by it.
    sort_key: tuple[int, float, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ticket = self.ticket
        key = queue_key(ticket.key, ticket.next_due_at, ticket.summary)
        object.__setattr__(self, "sort_key", key)

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
        """The place in the default order (:func:`console.domain.queue.queue_key`)."""
        return self.sort_key


@dataclass(frozen=True, slots=True)
class TicketDetail:
    """Everything the detail pane shows of one ticket; clocks are computed at any ``now``."""

    row: QueueRow
    events: tuple[TicketEvent, ...]
    book: PolicyBook

    def clocks(self, now: datetime) -> tuple[SlaClock, ...]:
        return self.book.clocks(self.row.customer, self.events, now)


# A read of at least this many rows is moved out of the cyclic collector's sight (load_rows).
FROZEN_READ = 10_000

_Terms = dict[tuple[str, str | None], tuple[Policy, BusinessCalendar | None]]


def make_row(
    book: PolicyBook, ticket: Ticket, customer: Customer, terms: _Terms | None = None
) -> QueueRow:
    """The queue row of ``ticket``. ``terms``: the policy and calendar found for each
    customer and calendar so far (a load of many rows shares them)."""
    calendar_id = ticket.summary.calendar
    found = terms.get((customer.name, calendar_id)) if terms is not None else None
    if found is None:
        policy = book.policy_for(customer)
        calendar = None
        if calendar_id is not None and calendar_id in policy.calendars:
            calendar = policy.calendar(calendar_id, book.periods.get(customer.policy_id, ()))
        found = (policy, calendar)
        if terms is not None:
            terms[(customer.name, calendar_id)] = found
    search = f"{ticket.key}\n{customer.name}\n{ticket.title}".lower()
    return QueueRow(ticket, customer, found[0], found[1], search)


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
        terms: _Terms = {}
        rows = [make_row(book, t, customers[t.customer], terms) for t in tickets]
        rows.sort(key=_queue_order)
        if len(rows) >= FROZEN_READ:
            # The rows of a large read live until the next load and hold no reference
            # cycles: moved out of the cyclic collector's sight before it is back on, they
            # are not walked by it three times over (a quarter of a second for 100,000 rows)
            # as they age through its generations. What else lives now is moved too; so that
            # a cycle among those objects dropped since is not kept for ever, a later large
            # read (a reload) first puts them back and collects once.
            if gc.get_freeze_count():
                gc.unfreeze()
                gc.collect()
            gc.freeze()
    return rows


_queue_order = attrgetter("sort_key")  # QueueRow.order, without a call per row


def load_detail(uow: UnitOfWork, book: PolicyBook, key: str) -> TicketDetail:
    """One ticket with its history, read inside the open ``uow``."""
    ticket = uow.tickets.get(key)
    customer = uow.customers.get(ticket.customer)
    return TicketDetail(make_row(book, ticket, customer), ticket.events, book)
