"""Ticket use cases. Each takes a unit of work, does one user action and commits it.

Every event recomputes the ticket's cached ``next_due_at`` from its whole history, so the
cache always equals what the clocks say (a test recomputes every ticket to check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.model import (
    Customer,
    EventKind,
    QueueSummary,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, Policy
from console.domain.sla import SlaClock, compute_clocks, next_due_at, summarize


@dataclass
class PolicyBook:
    """The policies, and what a ticket's clocks need besides its history: its customer's
    effective policy (with overrides) and the company holiday periods per policy."""

    policies: Mapping[str, Policy]
    periods: dict[str, tuple[CompanyPeriod, ...]] = field(default_factory=dict)
    _effective: dict[tuple[str, int], Policy] = field(default_factory=dict, repr=False)

    def load_periods(self, uow: UnitOfWork) -> None:
        grouped: dict[str, list[CompanyPeriod]] = {}
        for period in uow.holidays.list():
            grouped.setdefault(period.policy_id, []).append(
                CompanyPeriod(period.first, period.last, period.reason)
            )
        self.periods = {pid: tuple(items) for pid, items in grouped.items()}

    def policy_for(self, customer: Customer) -> Policy:
        key = (customer.name, customer.version)
        policy = self._effective.get(key)
        if policy is None:
            policy = self.policies[customer.policy_id].for_customer(
                customer.plan, customer.overrides
            )
            self._effective[key] = policy
        return policy

    def clocks(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> tuple[SlaClock, ...]:
        """The ticket's clocks at ``now``, or at its submission if that is later."""
        history = tuple(events)
        return compute_clocks(
            self.policy_for(customer),
            customer.plan,
            history,
            max(now, min(e.at for e in history)),
            company_periods=self.periods.get(customer.policy_id, ()),
        )

    def queue_state(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> tuple[datetime | None, QueueSummary]:
        """The ticket's ``next_due_at`` and queue summary (both cached in the database)."""
        return summarize(self.clocks(customer, events, now))

    def next_due(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> datetime | None:
        return next_due_at(self.clocks(customer, events, now))


def _changes_implied(event: TicketEvent) -> dict[str, Any]:
    """The ticket fields an event changes."""
    data = event.data
    if event.kind is EventKind.STATUS_CHANGED:
        return {"status": Status(data["status"])}
    if event.kind is EventKind.SEVERITY_CHANGED:
        return {"severity": int(data["to"])}
    if event.kind is EventKind.ASSIGNED:
        return {"assignee": data.get("assignee")}
    return {}


def open_ticket(
    uow: UnitOfWork,
    book: PolicyBook,
    *,
    key: str,
    title: str,
    customer: str,
    severity: int,
    submitted_at: datetime,
    actor: str | None = None,
    assignee: str | None = None,
) -> Ticket:
    """Create a ticket with its ``created`` event and commit."""
    with uow:
        buyer = uow.customers.get(customer)
        book.policy_for(buyer).severity(severity)
        created = TicketEvent(
            EventKind.CREATED,
            submitted_at,
            {"severity": severity, "status": Status.OPEN.value},
            actor,
        )
        events = [created]
        if assignee:
            events.append(
                TicketEvent(EventKind.ASSIGNED, submitted_at, {"assignee": assignee}, actor)
            )
        due, clock = book.queue_state(buyer, events, max(uow.clock(), submitted_at))
        ticket = Ticket(
            key,
            title,
            customer,
            severity,
            Status.OPEN,
            submitted_at,
            assignee,
            next_due_at=due,
            clock=clock,
        )
        stored = uow.tickets.add(ticket, events)
        uow.commit()
        return stored


def record_event(
    uow: UnitOfWork,
    book: PolicyBook,
    key: str,
    expected_version: int,
    event: TicketEvent,
    **changes: Any,
) -> Ticket:
    """Append ``event`` to the ticket of version ``expected_version``, apply the fields it
    implies (and ``changes``), recompute ``next_due_at`` and commit.

    Raises :class:`ConcurrentEditError` (nothing written) when the ticket changed meanwhile.
    """
    with uow:
        book.load_periods(uow)
        updated = apply_event(uow, book, key, expected_version, event, **changes)
        uow.commit()
        return updated


def apply_event(
    uow: UnitOfWork,
    book: PolicyBook,
    key: str,
    expected_version: int,
    event: TicketEvent,
    **changes: Any,
) -> Ticket:
    """What :func:`record_event` does, inside a unit of work the caller opened and commits
    (several events in one action, all or nothing)."""
    ticket = uow.tickets.get(key)
    if event.at < ticket.submitted_at:
        raise ValueError(
            f"{event.kind.value} at {event.at:%Y-%m-%d %H:%M} UTC is before ticket {key} "
            f"was submitted ({ticket.submitted_at:%Y-%m-%d %H:%M} UTC)"
        )
    customer = uow.customers.get(ticket.customer)
    events = (*ticket.events, event)
    fields = {**_changes_implied(event), **changes}
    if event.kind is EventKind.WAIVED:
        fields["waivers"] = ticket.waivers | {str(event.data["waiver"])}
    fields["next_due_at"], fields["clock"] = book.queue_state(
        customer, events, max(uow.clock(), event.at)
    )
    updated = uow.tickets.update(key, expected_version, **fields)
    uow.tickets.append_event(key, event)
    return updated


def recompute_due(
    uow: UnitOfWork,
    book: PolicyBook,
    *,
    policy_id: str | None = None,
    batch: int = 2_000,
    attempts: int = 5,
) -> int:
    """Recompute the cached ``next_due_at`` of every ticket that has a clock counting (of one
    policy), after a calendar or company holiday period changed; how many changed. Commits.

    A ticket edited meanwhile is computed again from its new history (up to ``attempts``
    rounds; an edit computes its own value anyway).
    """
    changed = 0
    keys: list[str] | None = None
    for _ in range(attempts):
        with uow:
            book.load_periods(uow)
            now = uow.clock()
            customers = {
                c.name: c
                for c in uow.customers.list()
                if policy_id is None or c.policy_id == policy_id
            }
            # Open tickets, and closed ones still owing a clock (a root-cause analysis).
            tickets = [
                t
                for t in uow.tickets.list(open_only=False, keys=keys)
                if t.customer in customers and (t.is_open or t.next_due_at is not None)
            ]
            values: dict[str, tuple[datetime | None, QueueSummary, int]] = {}
            for start in range(0, len(tickets), batch):
                chunk = tickets[start : start + batch]
                histories = uow.tickets.events_of(t.key for t in chunk)
                for ticket in chunk:
                    due, clock = book.queue_state(
                        customers[ticket.customer], histories[ticket.key], now
                    )
                    if due != ticket.next_due_at or clock != ticket.clock:
                        values[ticket.key] = (due, clock, ticket.version)
            moved = uow.tickets.set_clock(values)
            uow.commit()
        changed += len(values) - len(moved)
        if not moved:
            break
        keys = moved
    return changed
