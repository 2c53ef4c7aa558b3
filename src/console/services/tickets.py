"""What every command on tickets shares: the policy book (each ticket's effective policy
and calendars), appending an event with its derived state, and recomputing cached due
instants. These run inside a unit of work a handler opened; they never commit.

Every event recomputes the ticket's cached ``next_due_at`` from its whole history, so the
cache always equals what the clocks say (a test recomputes every ticket to check).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from console.adapters.bulk import collection_paused
from console.adapters.repository import CachedSummary, OutcomeCount, UnitOfWork
from console.domain.calendar import BusinessCalendar
from console.domain.model import (
    ClockProjection,
    Customer,
    EventKind,
    HolidayPeriod,
    PolicyPresence,
    Presence,
    QueueSummary,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.outcomes import clock_outcomes
from console.domain.policy import CompanyPeriod, Policy
from console.domain.rules import EventRule, TicketState, check_event
from console.domain.sla import (
    SlaClock,
    clocks_and_queue_state,
    compute_clocks,
    next_due_at,
    reproject,
)

# The version of the clock rules (console.domain.sla): a projection made under other rules is
# not used, so a recompute after an upgrade reads those tickets' histories again.
CLOCK_RULES = 2


@dataclass(frozen=True)
class PolicyBook:
    """The policies, and what a ticket's clocks need besides its history: its customer's
    effective policy (with overrides), and per policy the company holiday periods and the
    presences a lead named (whose public holidays replace those the policy file names).

    Immutable: a book with other company holiday periods or presences is a new book
    (:meth:`with_periods`, :meth:`with_presences`), so a thread never sees another change
    what it reads. The two memo tables only ever gain entries computed from immutable inputs,
    and are shared by the books made from one another.
    """

    policies: Mapping[str, Policy]
    periods: Mapping[str, tuple[CompanyPeriod, ...]] = field(default_factory=dict)
    presences: Mapping[str, tuple[Presence, ...]] = field(default_factory=dict)
    _effective: dict[tuple[str, int, tuple[Presence, ...]], Policy] = field(
        default_factory=dict, repr=False
    )
    _bases: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", MappingProxyType(dict(self.periods)))
        presences = {pid: found for pid, found in self.presences.items() if found}
        object.__setattr__(self, "presences", MappingProxyType(presences))

    def with_periods(self, holidays: Iterable[HolidayPeriod]) -> PolicyBook:
        """This book with the company holiday periods ``holidays`` (as stored)."""
        grouped: dict[str, list[CompanyPeriod]] = {}
        for period in holidays:
            grouped.setdefault(period.policy_id, []).append(
                CompanyPeriod(period.first, period.last, period.reason)
            )
        return self.with_policy_periods({pid: tuple(items) for pid, items in grouped.items()})

    def with_policy_periods(self, periods: Mapping[str, tuple[CompanyPeriod, ...]]) -> PolicyBook:
        return PolicyBook(self.policies, periods, self.presences, self._effective, self._bases)

    def with_presences(self, stored: Iterable[PolicyPresence]) -> PolicyBook:
        """This book with the presences ``stored`` (as stored); a policy without any keeps
        the holidays its file names."""
        grouped: dict[str, list[Presence]] = {}
        for entry in stored:
            grouped.setdefault(entry.policy_id, []).append(entry.presence)
        return self.with_policy_presences({pid: tuple(found) for pid, found in grouped.items()})

    def with_policy_presences(self, presences: Mapping[str, tuple[Presence, ...]]) -> PolicyBook:
        ordered = {
            pid: tuple(sorted(set(found), key=lambda p: p.order))
            for pid, found in presences.items()
        }
        return PolicyBook(self.policies, self.periods, ordered, self._effective, self._bases)

    def current(self, uow: UnitOfWork) -> PolicyBook:
        """This book with the company holiday periods and the presences stored now (inside
        ``uow``)."""
        return self.with_periods(uow.holidays.list()).with_presences(uow.presences.list())

    def policy_for(self, customer: Customer) -> Policy:
        """The customer's policy with its overrides and the presences of this book."""
        presences = self.presences.get(customer.policy_id, ())
        key = (customer.name, customer.version, presences)
        policy = self._effective.get(key)
        if policy is None:
            policy = (
                self.policies[customer.policy_id]
                .for_customer(customer.plan, customer.overrides)
                .with_presences(presences)
            )
            self._effective[key] = policy
        return policy

    def basis(self, customer: Customer) -> str:
        """What the clock projections of a customer's tickets rest on: the policy file (its digest),
        the plan and the overrides. Empty when the policy was not read from a file."""
        key = (customer.name, customer.version)
        found = self._bases.get(key)
        if found is None:
            policy = self.policies[customer.policy_id]
            found = ""
            if policy.digest:
                terms = [
                    CLOCK_RULES,
                    policy.id,
                    policy.digest,
                    customer.plan,
                    customer.overrides,
                ]
                text = json.dumps(terms, sort_keys=True, default=_plain)
                found = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            self._bases[key] = found
        return found

    def clocks(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> tuple[SlaClock, ...]:
        """The ticket's clocks at ``now``, or at its submission if that is later."""
        args, periods = self._inputs(customer, events, now)
        return compute_clocks(*args, company_periods=periods)

    def queue_state(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> tuple[datetime | None, QueueSummary]:
        """The ticket's ``next_due_at`` and queue summary (both cached in the database), the
        summary with its clock projection and its clocks' outcomes for the report."""
        args, periods = self._inputs(customer, events, now)
        basis = self.basis(customer)
        due, summary, clocks, responded = clocks_and_queue_state(
            *args, company_periods=periods, basis=basis
        )
        policy, plan, history, at = args
        outcomes = clock_outcomes(policy, plan, history, clocks, at, basis, responded)
        return due, replace(summary, outcomes=outcomes)

    def _inputs(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> tuple[tuple[Policy, str, tuple[TicketEvent, ...], datetime], tuple[CompanyPeriod, ...]]:
        """What the clock code takes: the effective policy, the plan, the history and the
        instant (not before submission); and the company holiday periods."""
        history = tuple(events)
        at = _not_before_submission(history, now)
        args = (self.policy_for(customer), customer.plan, history, at)
        return args, self.periods.get(customer.policy_id, ())

    def reproject(
        self,
        customer: Customer,
        projection: ClockProjection | None,
        summary: QueueSummary,
        now: datetime,
        calendars: dict[tuple[str, int, str], BusinessCalendar] | None = None,
    ) -> tuple[datetime | None, QueueSummary] | None:
        """What :meth:`queue_state` gives at ``now`` on today's calendars, from a ticket's
        clock ``projection`` and cached ``summary``; None when there is no projection this
        book can use.

        ``calendars`` caches the customer's calendars over several calls (while the company
        holiday periods and the presences stay as they are)."""
        if projection is None or projection.basis != self.basis(customer) or not projection.basis:
            return None
        known = {} if calendars is None else calendars

        def calendar(name: str) -> BusinessCalendar:
            key = (customer.name, customer.version, name)
            found = known.get(key)
            if found is None:
                periods = self.periods.get(customer.policy_id, ())
                found = known[key] = self.policy_for(customer).calendar(name, periods)
            return found

        return reproject(projection, summary, calendar, now)

    def recomputed(
        self,
        uow: UnitOfWork,
        customers: Mapping[str, Customer],
        cached: Iterable[CachedSummary],
        now: datetime,
        *,
        batch: int = 2_000,
    ) -> dict[str, tuple[datetime | None, QueueSummary]]:
        """``next_due_at`` and summary at ``now`` of each cached summary: from its projection,
        or from its history (read in batches of ``batch``) when it has none this book can use."""
        found: dict[str, tuple[datetime | None, QueueSummary]] = {}
        from_history: list[CachedSummary] = []
        calendars: dict[tuple[str, int, str], BusinessCalendar] = {}
        with collection_paused():
            for entry in cached:
                customer = customers[entry.customer]
                state = self.reproject(customer, entry.projection, entry.summary, now, calendars)
                if state is None:
                    from_history.append(entry)
                else:
                    found[entry.key] = state
        for start in range(0, len(from_history), batch):
            chunk = from_history[start : start + batch]
            histories = uow.tickets.events_of(entry.key for entry in chunk)
            for entry in chunk:
                found[entry.key] = self.queue_state(
                    customers[entry.customer], histories[entry.key], now
                )
        return found

    def next_due(
        self, customer: Customer, events: Iterable[TicketEvent], now: datetime
    ) -> datetime | None:
        return next_due_at(self.clocks(customer, events, now))


def ticket_state(ticket: Ticket) -> TicketState:
    """What the event rules look at in ``ticket`` (read with its history)."""
    answered = [
        e.kind
        for e in ticket.events
        if e.kind in (EventKind.ESCALATED, EventKind.ESCALATION_ANSWERED) and e.invalid is None
    ]
    return TicketState(
        ticket.key,
        ticket.status,
        ticket.severity,
        ticket.assignee,
        bool(answered) and answered[-1] is EventKind.ESCALATED,
    )


def _changes_implied(ticket: Ticket, event: TicketEvent, rule: EventRule) -> dict[str, Any]:
    """The ticket fields an event changes (the rule's ``sets``)."""
    fields: dict[str, Any] = {}
    for name, column in rule.sets:
        value = event.data[name]
        if column == "status":
            fields["status"] = Status(value)
        elif column == "waivers":
            fields["waivers"] = ticket.waivers | {str(value)}
        else:
            fields[column] = value
    return fields


def apply_event(
    uow: UnitOfWork, book: PolicyBook, ticket: Ticket, event: TicketEvent, **changes: Any
) -> Ticket:
    """Append ``event`` to ``ticket`` (read with its history in the open unit of work, at the
    version the user saw), apply the fields it implies (and ``changes``) and recompute its
    cached ``next_due_at``, summary and clock projection. The caller commits.

    Raises :class:`ConcurrentEditError` (nothing written) when the ticket changed meanwhile,
    and :class:`InvalidEventError` or :class:`PermissionDeniedError` when the event rules
    refuse it (:mod:`console.domain.rules`).
    """
    role = uow.agents.get(event.actor).role if event.actor is not None else None
    rule = check_event(ticket_state(ticket), event.kind, event.data, event.actor, role)
    if event.at < ticket.submitted_at:
        raise ValueError(
            f"{event.kind.value} at {event.at:%Y-%m-%d %H:%M} UTC is before ticket "
            f"{ticket.key} was submitted ({ticket.submitted_at:%Y-%m-%d %H:%M} UTC)"
        )
    customer = uow.customers.get(ticket.customer)
    events = (*ticket.events, event)
    fields = {**_changes_implied(ticket, event, rule), **changes}
    fields["next_due_at"], fields["summary"] = book.queue_state(
        customer, events, max(uow.now(), event.at)
    )
    return uow.tickets.record(ticket, event, **fields)


def recompute_due(
    uow: UnitOfWork,
    book: PolicyBook,
    *,
    policy_id: str | None = None,
    batch: int = 2_000,
    attempts: int = 5,
) -> int:
    """Recompute, inside the open unit of work, the cached ``next_due_at`` and summary of
    every ticket that may have a clock counting (of one policy) after a calendar, a company
    holiday period or a presence changed; how many changed. The caller commits.

    ``book`` must hold the company holiday periods and presences as the unit of work sees
    them. Each
    ticket is computed from its clock projection, or from its history when it has none (its
    projection is stored then). A ticket another console edited meanwhile is computed again from its
    new history (up to ``attempts`` rounds; such an edit computes its own value anyway).
    """
    changed = 0
    keys: list[str] | None = None
    now = uow.now()
    customers = {
        c.name: c for c in uow.customers.list() if policy_id is None or c.policy_id == policy_id
    }
    for _ in range(attempts):
        with collection_paused():
            cached = [c for c in uow.tickets.cached_summaries(keys) if c.customer in customers]
        states = book.recomputed(uow, customers, cached, now, batch=batch)
        values: dict[str, tuple[datetime | None, QueueSummary, int]] = {}
        moving: set[str] = set()
        for entry in cached:
            due, clock = states[entry.key]
            if due != entry.next_due_at or clock != entry.summary:
                moving.add(entry.key)
                values[entry.key] = (due, clock, entry.version)
            elif clock.projection is not None and clock.projection is not entry.projection:
                values[entry.key] = (due, clock, entry.version)  # a projection to store
        moved = set(uow.tickets.set_summary(values))
        changed += len(moving - moved)
        if not moved:
            break
        keys = sorted(moved)
    return changed


def refresh_outcomes(
    uow: UnitOfWork,
    book: PolicyBook,
    *,
    policy_id: str | None = None,
    dates: Iterable[tuple[date, date]] | None = None,
    batch: int = 1_000,
) -> int:
    """Store again, inside the open unit of work, the clock outcomes (with the rest of the
    derived state) of the tickets (of one policy) that a calendar change can move: those with
    a clock that ran on one of the days of ``dates`` (ranges of first and last day; a day
    either side is added for time zones) or still runs; every ticket with ``dates`` None.
    Computed from their histories; how many tickets. The caller commits.

    A ticket edited meanwhile keeps what its edit stored (computed on the same calendars)."""
    customers = [
        c.name for c in uow.customers.list() if policy_id is None or c.policy_id == policy_id
    ]
    if dates is None:
        keys = uow.tickets.outcomes_touching(customers, None, None)
    else:
        found: set[str] = set()
        for first, last in _merged(dates):
            since = datetime.combine(first - timedelta(days=1), time(), UTC)
            until = datetime.combine(last + timedelta(days=2), time(), UTC)
            found.update(uow.tickets.outcomes_touching(customers, since, until))
        keys = sorted(found)
    return store_from_histories(uow, book, keys, batch=batch)


def _merged(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Day ranges joined where they touch or overlap (with the days either side a refresh
    adds), so that each span of days is asked for once."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + timedelta(days=3):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def holidays_moved(
    before: PolicyBook, after: PolicyBook, policy_id: str, first: date, last: date
) -> list[tuple[date, date]]:
    """The days in ``[first, last]`` on which a calendar of the policy is closed in one book
    and open in the other (a change of presences: public holidays added or dropped), each as
    a one-day range."""
    old = before.policies[policy_id].with_presences(before.presences.get(policy_id, ()))
    new = after.policies[policy_id].with_presences(after.presences.get(policy_id, ()))
    periods = after.periods.get(policy_id, ())
    days: set[date] = set()
    for calendar_id in new.calendars:
        was = {c.day for c in old.calendar(calendar_id, periods).closed_days(first, last)}
        now = {c.day for c in new.calendar(calendar_id, periods).closed_days(first, last)}
        days.update(was ^ now)
    return [(day, day) for day in sorted(days)]


def store_unsettled_outcomes(
    uow: UnitOfWork, book: PolicyBook, *, policy_id: str | None = None, batch: int = 1_000
) -> int:
    """Store, inside the open unit of work, the clock outcomes of the tickets (of one policy)
    whose stored ones the report cannot use: none stored (a database made before they were
    kept), or made on another effective policy (its file, the customer's plan or overrides
    changed since); how many tickets. The caller commits."""
    now = uow.now()
    customers = {c.name: c for c in uow.customers.list()}
    wanted = {n for n, c in customers.items() if policy_id is None or c.policy_id == policy_id}
    counts = uow.tickets.outcome_counts(_EARLIEST, _LATEST, now)
    stale = {
        (name, basis)
        for name, basis in stale_bases(counts, customers, book)
        if name in wanted and book.basis(customers[name])  # none to store without a basis
    }
    found = uow.tickets.unsettled_outcomes(_EARLIEST, _LATEST, now, stale)
    keys = [t.key for t in uow.tickets.list(open_only=False, keys=found) if t.customer in wanted]
    return store_from_histories(uow, book, keys, batch=batch)


def stale_bases(
    counts: Iterable[OutcomeCount], customers: Mapping[str, Customer], book: PolicyBook
) -> set[tuple[str, str]]:
    """The (customer, basis) pairs of stored outcomes that cannot be used: made on another
    effective policy than the customer's now (its file, plan or overrides changed), on none
    (an event after the instant they were made, a policy not read from a file), or of a
    customer no longer there."""
    return {
        (count.customer, count.basis)
        for count in counts
        if count.customer not in customers
        or not count.basis
        or count.basis != book.basis(customers[count.customer])
    }


_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def store_from_histories(
    uow: UnitOfWork, book: PolicyBook, keys: list[str], *, batch: int = 1_000
) -> int:
    """Store the derived state (clock outcomes included) of the tickets ``keys`` computed
    from their histories at the unit of work's now; how many. A ticket edited meanwhile
    keeps what its edit stored."""
    by_name = {c.name: c for c in uow.customers.list()}
    now = uow.now()
    for start in range(0, len(keys), batch):
        chunk = keys[start : start + batch]
        tickets = uow.tickets.list(open_only=False, keys=chunk)
        histories = uow.tickets.events_of(chunk)
        values: dict[str, tuple[datetime | None, QueueSummary, int]] = {}
        for ticket in tickets:
            events = histories[ticket.key]
            if not events:
                continue
            due, summary = book.queue_state(by_name[ticket.customer], events, now)
            values[ticket.key] = (due, summary, ticket.version)
        uow.tickets.set_summary(values)
    return len(keys)


def _not_before_submission(history: tuple[TicketEvent, ...], now: datetime) -> datetime:
    """Clocks are computed at ``now``, or at the ticket's submission if that is later."""
    return max(now, min(e.at for e in history))


def _plain(value: object) -> object:
    """JSON for what ``json`` cannot write itself (read-only mappings, dates)."""
    return dict(value) if isinstance(value, Mapping) else str(value)
