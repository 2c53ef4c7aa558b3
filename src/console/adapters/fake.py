"""In-memory repositories and unit of work with the same contract as the SQL ones: versions,
conflicts, rollback unless committed, an append-only history and a change feed. For unit
tests of services, which then need no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from console.adapters.repository import (
    AGENT_FIELDS,
    CUSTOMER_FIELDS,
    HANDOVER_FIELDS,
    HOLIDAY_FIELDS,
    TICKET_FIELDS,
    AgentRepository,
    AuditEntries,
    CachedSummaries,
    CachedSummary,
    ChangeFeed,
    CustomerRepository,
    HandoverRepository,
    HolidayPeriodRepository,
    Keys,
    Now,
    PresenceRepository,
    TicketRepository,
    Tickets,
    UnitOfWork,
    check_fields,
    system_now,
)
from console.domain.errors import ConcurrentEditError, DuplicateError, NotFoundError
from console.domain.model import (
    ALL_EVENTS,
    Agent,
    AuditFilter,
    Change,
    ChangeKind,
    Customer,
    Handover,
    HolidayPeriod,
    PolicyPresence,
    QueueSummary,
    Role,
    Status,
    Ticket,
    TicketEvent,
)

T = TypeVar("T")


@dataclass
class FakeStore:
    """The 'database' that fake units of work share."""

    agents: dict[str, Agent] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)
    events: dict[str, list[TicketEvent]] = field(default_factory=dict)
    holidays: dict[int, HolidayPeriod] = field(default_factory=dict)
    handovers: dict[int, Handover] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    next_id: int = 1
    presences: dict[int, PolicyPresence] = field(default_factory=dict)

    def copy(self) -> FakeStore:
        """A copy to work on; the domain objects are immutable, so only containers are new."""
        return FakeStore(
            dict(self.agents),
            dict(self.customers),
            dict(self.tickets),
            {key: list(events) for key, events in self.events.items()},
            dict(self.holidays),
            dict(self.handovers),
            list(self.changes),
            self.next_id,
            dict(self.presences),
        )


def _bump(
    entity: str, key: object, current: T | None, expected: int, changes: Mapping[str, Any]
) -> T:
    if current is None:
        raise NotFoundError(entity, key)
    version = getattr(current, "version")  # noqa: B009
    if version != expected:
        raise ConcurrentEditError(entity, key, expected, current, dict(changes))
    return replace(current, **changes, version=version + 1)  # type: ignore[type-var]


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def store(self) -> FakeStore:
        return self.uow.working


class FakeAgentRepository(_Repository, AgentRepository):
    def add(self, agent: Agent) -> Agent:
        if agent.name in self.store.agents:
            raise DuplicateError(f"an agent named {agent.name!r} exists already")
        stored = replace(agent, version=1)
        self.store.agents[agent.name] = stored
        self.uow.record("agent", agent.name, ChangeKind.CREATED)
        return stored

    def get(self, name: str) -> Agent:
        try:
            return self.store.agents[name]
        except KeyError:
            raise NotFoundError("agent", name) from None

    def list(self) -> list[Agent]:
        return sorted(self.store.agents.values(), key=lambda a: a.name)

    def update(self, name: str, expected_version: int, **changes: Any) -> Agent:
        check_fields("agent", changes, AGENT_FIELDS)
        if "role" in changes:
            changes["role"] = Role(changes["role"])
        updated = _bump("agent", name, self.store.agents.get(name), expected_version, changes)
        self.store.agents[name] = updated
        self.uow.record("agent", name, ChangeKind.UPDATED)
        return updated


class FakeCustomerRepository(_Repository, CustomerRepository):
    def add(self, customer: Customer) -> Customer:
        if customer.name in self.store.customers:
            raise DuplicateError(f"a customer named {customer.name!r} exists already")
        stored = replace(customer, version=1)
        self.store.customers[customer.name] = stored
        self.uow.record("customer", customer.name, ChangeKind.CREATED)
        return stored

    def get(self, name: str) -> Customer:
        try:
            return self.store.customers[name]
        except KeyError:
            raise NotFoundError("customer", name) from None

    def list(self) -> list[Customer]:
        return sorted(self.store.customers.values(), key=lambda c: c.name)

    def update(self, name: str, expected_version: int, **changes: Any) -> Customer:
        check_fields("customer", changes, CUSTOMER_FIELDS)
        updated = _bump("customer", name, self.store.customers.get(name), expected_version, changes)
        self.store.customers[name] = updated
        self.uow.record("customer", name, ChangeKind.UPDATED)
        return updated


class FakeTicketRepository(_Repository, TicketRepository):
    def add(self, ticket: Ticket, events: Sequence[TicketEvent]) -> Ticket:
        self.add_many([(ticket, events)])
        return self.get(ticket.key)

    def add_many(self, tickets: Iterable[tuple[Ticket, Sequence[TicketEvent]]]) -> int:
        count = 0
        for ticket, events in tickets:
            if ticket.key in self.store.tickets:
                raise DuplicateError(f"a ticket key exists already ({ticket.key})")
            self.uow.customers.get(ticket.customer)
            if ticket.assignee:
                self.uow.agents.get(ticket.assignee)
            self.store.tickets[ticket.key] = replace(ticket, version=1, events=())
            self.store.events[ticket.key] = list(events)
            self.uow.record("ticket", ticket.key, ChangeKind.CREATED)
            count += 1
        return count

    def get(self, key: str, *, with_events: bool = True) -> Ticket:
        ticket = self.store.tickets.get(key)
        if ticket is None:
            raise NotFoundError("ticket", key)
        return replace(ticket, events=tuple(self.store.events[key])) if with_events else ticket

    def list(self, *, open_only: bool = True, keys: Iterable[str] | None = None) -> list[Ticket]:
        chosen = (
            self.store.tickets.values()
            if keys is None
            else [self.store.tickets[k] for k in set(keys) if k in self.store.tickets]
        )
        return sorted((t for t in chosen if t.is_open or not open_only), key=lambda t: t.key)

    def audit(self, wanted: AuditFilter = ALL_EVENTS, limit: int = 10_000) -> AuditEntries:
        found = [
            (k, e, n)
            for k, events in self.store.events.items()
            for n, e in enumerate(events)
            if wanted.matches(k, e)
        ]
        found.sort(key=lambda item: (item[1].at, item[0], item[2]), reverse=True)
        return [(k, e) for k, e, _ in found[:limit]]

    def most_urgent(self, limit: int) -> Tickets:
        from console.domain.queue import queue_key

        open_tickets = (t for t in self.store.tickets.values() if t.is_open)
        return sorted(open_tickets, key=lambda t: queue_key(t.key, t.next_due_at, t.summary))[
            :limit
        ]

    def events_of(self, keys: Iterable[str]) -> dict[str, tuple[TicketEvent, ...]]:
        return {k: tuple(self.store.events.get(k, ())) for k in keys}

    def append_event(self, key: str, event: TicketEvent) -> None:
        if key not in self.store.tickets:
            raise NotFoundError("ticket", key)
        self.store.events[key].append(event)
        self.uow.record("ticket", key, ChangeKind.EVENT)

    def update(self, key: str, expected_version: int, **changes: Any) -> Ticket:
        check_fields("ticket", changes, TICKET_FIELDS)
        if "status" in changes:
            changes["status"] = Status(changes["status"])
        if "waivers" in changes:
            changes["waivers"] = frozenset(changes["waivers"])
        if changes.get("assignee"):
            self.uow.agents.get(changes["assignee"])
        updated = _bump("ticket", key, self.store.tickets.get(key), expected_version, changes)
        self.store.tickets[key] = updated
        self.uow.record("ticket", key, ChangeKind.UPDATED)
        return self.get(key)

    def set_summary(self, values: Mapping[str, tuple[datetime | None, QueueSummary, int]]) -> Keys:
        moved: Keys = []
        for key, (due, clock, version) in values.items():
            ticket = self.store.tickets.get(key)
            if ticket is None or ticket.version != version:
                moved.append(key)
                continue
            self.store.tickets[key] = replace(ticket, next_due_at=due, summary=clock)
            self.uow.record("ticket", key, ChangeKind.RECOMPUTED)
        return moved

    def cached_summaries(self, keys: Iterable[str] | None = None) -> CachedSummaries:
        wanted = None if keys is None else set(keys)
        return [
            CachedSummary(
                t.key, t.customer, t.version, t.next_due_at, t.summary, t.summary.projection
            )
            for key, t in sorted(self.store.tickets.items())
            if (wanted is None or key in wanted) and (t.is_open or t.next_due_at is not None)
        ]

    def count(self, *, open_only: bool = False) -> int:
        return sum(1 for t in self.store.tickets.values() if t.is_open or not open_only)


class FakeHolidayPeriodRepository(_Repository, HolidayPeriodRepository):
    def add(self, period: HolidayPeriod) -> HolidayPeriod:
        if period.last < period.first:
            raise ValueError(f"the period {period.reason!r} ends before it starts")
        stored = replace(period, id=self.store.next_id, version=1)
        self.store.next_id += 1
        assert stored.id is not None
        self.store.holidays[stored.id] = stored
        self.uow.record("holiday", stored.id, ChangeKind.CREATED)
        return stored

    def list(self, policy_id: str | None = None) -> list[HolidayPeriod]:
        return sorted(
            (p for p in self.store.holidays.values() if policy_id in (None, p.policy_id)),
            key=lambda p: (p.first, p.id or 0),
        )

    def update(self, period_id: int, expected_version: int, **changes: Any) -> HolidayPeriod:
        check_fields("holiday period", changes, HOLIDAY_FIELDS)
        updated = _bump(
            "holiday period",
            period_id,
            self.store.holidays.get(period_id),
            expected_version,
            changes,
        )
        if updated.last < updated.first:
            raise ValueError(f"the period {updated.reason!r} ends before it starts")
        self.store.holidays[period_id] = updated
        self.uow.record("holiday", period_id, ChangeKind.UPDATED)
        return updated

    def delete(self, period_id: int, expected_version: int) -> None:
        _bump("holiday period", period_id, self.store.holidays.get(period_id), expected_version, {})
        del self.store.holidays[period_id]
        self.uow.record("holiday", period_id, ChangeKind.DELETED)


class FakePresenceRepository(_Repository, PresenceRepository):
    def add(self, entry: PolicyPresence) -> PolicyPresence:
        if any(
            (p.policy_id, p.presence) == (entry.policy_id, entry.presence)
            for p in self.store.presences.values()
        ):
            raise DuplicateError(
                f"{entry.policy_id} has the presence {entry.presence.code} already"
            )
        stored = replace(entry, id=self.store.next_id, version=1)
        self.store.next_id += 1
        assert stored.id is not None
        self.store.presences[stored.id] = stored
        self.uow.record("presence", stored.id, ChangeKind.CREATED)
        return stored

    def list(self, policy_id: str | None = None) -> list[PolicyPresence]:
        return sorted(
            (p for p in self.store.presences.values() if policy_id in (None, p.policy_id)),
            key=lambda p: (p.policy_id, *p.presence.order),
        )

    def delete(self, presence_id: int, expected_version: int) -> None:
        _bump("presence", presence_id, self.store.presences.get(presence_id), expected_version, {})
        del self.store.presences[presence_id]
        self.uow.record("presence", presence_id, ChangeKind.DELETED)


class FakeHandoverRepository(_Repository, HandoverRepository):
    def add(self, handover: Handover) -> Handover:
        stored = replace(handover, id=self.store.next_id, version=1)
        self.store.next_id += 1
        assert stored.id is not None
        self.store.handovers[stored.id] = stored
        self.uow.record("handover", stored.id, ChangeKind.CREATED)
        return stored

    def get(self, handover_id: int) -> Handover:
        try:
            return self.store.handovers[handover_id]
        except KeyError:
            raise NotFoundError("handover", handover_id) from None

    def latest(self) -> Handover | None:
        return max(
            self.store.handovers.values(), key=lambda h: (h.created_at, h.id or 0), default=None
        )

    def update(self, handover_id: int, expected_version: int, **changes: Any) -> Handover:
        check_fields("handover", changes, HANDOVER_FIELDS)
        updated = _bump(
            "handover",
            handover_id,
            self.store.handovers.get(handover_id),
            expected_version,
            changes,
        )
        self.store.handovers[handover_id] = updated
        self.uow.record("handover", handover_id, ChangeKind.UPDATED)
        return updated


class FakeChangeFeed(_Repository, ChangeFeed):
    def since(self, cursor: int, limit: int = 10_000) -> list[Change]:
        return [c for c in self.store.changes if c.seq > cursor][:limit]

    def among(self, seqs: Sequence[int]) -> list[Change]:
        wanted = set(seqs)
        return [c for c in self.store.changes if c.seq in wanted]

    def latest(self) -> int:
        return self.store.changes[-1].seq if self.store.changes else 0


class FakeUnitOfWork(UnitOfWork):
    """Works on a copy of ``store``; commit writes the copy back."""

    def __init__(self, store: FakeStore | None = None, *, now: Now = system_now) -> None:
        super().__init__(now)
        self.store = store if store is not None else FakeStore()
        self.working = self.store
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.working = self.store.copy()
        self.agents = FakeAgentRepository(self)
        self.customers = FakeCustomerRepository(self)
        self.tickets = FakeTicketRepository(self)
        self.holidays = FakeHolidayPeriodRepository(self)
        self.presences = FakePresenceRepository(self)
        self.handovers = FakeHandoverRepository(self)
        self.changes = FakeChangeFeed(self)
        self.committed = False
        return self

    def commit(self) -> None:
        at = self.now()
        seq = self.working.changes[-1].seq if self.working.changes else 0
        for entity, key, kind in dict.fromkeys(self._pending):
            seq += 1
            self.working.changes.append(Change(seq, at, entity, key, kind))
        for name in (
            "agents",
            "customers",
            "tickets",
            "events",
            "holidays",
            "presences",
            "handovers",
            "changes",
            "next_id",
        ):
            setattr(self.store, name, getattr(self.working, name))
        self.working = self.store.copy()
        self._pending = []
        self.committed = True

    def rollback(self) -> None:
        self.working = self.store.copy()
        self._pending = []
