"""Repository and unit-of-work interfaces. Repositories take and return domain objects,
never records; a unit of work is one user action and rolls back unless committed.

Two implementations: :mod:`console.adapters.sql` (SQLite, PostgreSQL) and
:mod:`console.adapters.fake` (in memory, for unit tests). One contract test suite runs on all.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, NamedTuple, Self

from console.domain.model import (
    ALL_EVENTS,
    Agent,
    AuditFilter,
    Change,
    ChangeKind,
    ClockOutcome,
    ClockProjection,
    Customer,
    Handover,
    HolidayPeriod,
    Metric,
    PolicyPresence,
    QueueSummary,
    Ticket,
    TicketEvent,
)

Now = Callable[[], datetime]  # the time source: the current instant
Keys = list[str]  # names that methods called `list` cannot shadow


class CachedSummary(NamedTuple):
    """A ticket's cached queue summary, as a recompute reads it, with its clock projection
    when one is stored."""

    key: str
    customer: str
    version: int
    next_due_at: datetime | None
    summary: QueueSummary
    projection: ClockProjection | None


class OutcomeCount(NamedTuple):
    """Stored clock outcomes counted alike: the customer's, on one basis, with the ticket's
    severity and one metric; how many are met, breached and pending at the report's
    instant, the credit days of those whose credits cannot grow, and how many have a time
    to first response."""

    customer: str
    basis: str
    severity: int
    metric: Metric
    met: int
    breached: int
    pending: int
    credit_days: int
    responses: int


CachedSummaries = list[CachedSummary]
Tickets = list[Ticket]
AuditEntries = list[tuple[str, TicketEvent]]

TICKET_FIELDS = frozenset(
    {"title", "severity", "status", "assignee", "waivers", "next_due_at", "summary"}
)
AGENT_FIELDS = frozenset({"display_name", "role", "team", "timezone"})
CUSTOMER_FIELDS = frozenset({"policy_id", "plan", "region", "escalation_contact", "overrides"})
HOLIDAY_FIELDS = frozenset({"first", "last", "reason"})
HANDOVER_FIELDS = frozenset({"note", "ticket_notes", "acknowledged_by", "acknowledged_at"})


def system_now() -> datetime:
    return datetime.now(UTC)


def check_fields(entity: str, changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValueError(
            f"{entity} has no editable field(s) {', '.join(unknown)} "
            f"(editable: {', '.join(sorted(allowed))})"
        )


class AgentRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, agent: Agent) -> Agent: ...

    @abc.abstractmethod
    def get(self, name: str) -> Agent:
        """The agent, or :class:`NotFoundError`."""

    @abc.abstractmethod
    def list(self) -> list[Agent]: ...

    @abc.abstractmethod
    def update(self, name: str, expected_version: int, **changes: Any) -> Agent:
        """Change fields of version ``expected_version``; :class:`ConcurrentEditError` if stale."""


class CustomerRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, customer: Customer) -> Customer: ...

    @abc.abstractmethod
    def get(self, name: str) -> Customer: ...

    @abc.abstractmethod
    def list(self) -> list[Customer]: ...

    @abc.abstractmethod
    def update(self, name: str, expected_version: int, **changes: Any) -> Customer: ...


class TicketRepository(abc.ABC):
    # The stored clock outcomes the report reads (see console.services.report). A store that
    # keeps none (the in-memory fake) reports every ticket as unsettled: the report then
    # computes them all from their histories.
    keeps_outcomes = False

    def outcome_counts(self, since: datetime, until: datetime, now: datetime) -> list[OutcomeCount]:
        """The stored outcomes of the tickets submitted in ``[since, until)``, counted as they
        read at ``now`` (unsettled tickets' included: see :meth:`unsettled_outcomes`)."""
        return []

    def outcome_ranks(
        self,
        since: datetime,
        until: datetime,
        percents: Sequence[int],
        sizes: Mapping[tuple[str, str, int], int] | None = None,
    ) -> dict[tuple[str, str, int], tuple[timedelta, ...]]:
        """Per report line (policy, plan, severity): the nearest-rank ``percents`` of the
        stored times to first response of the tickets submitted in ``[since, until)``
        (unsettled tickets' included). ``sizes``: how many times each line has, when the
        caller counted them already."""
        return {}

    def outcome_responses(
        self,
        since: datetime,
        until: datetime,
        lines: Iterable[tuple[str, str, int]],
        *,
        excluded: Iterable[str] = (),
        stale: Iterable[tuple[str, str]] = (),
    ) -> dict[tuple[str, str, int], list[timedelta]]:
        """Per report line (policy, plan, severity) named: the stored times to first
        response of the tickets submitted in ``[since, until)``, in order, but those of the
        tickets ``excluded`` and of the (customer, basis) pairs ``stale``."""
        return {}

    def unsettled_outcomes(
        self,
        since: datetime,
        until: datetime,
        now: datetime,
        stale: Iterable[tuple[str, str]] = (),
    ) -> Keys:
        """The tickets submitted in ``[since, until)`` whose stored outcomes cannot be read at
        ``now``: none stored, stored as of a later instant, or on a ``stale`` (customer,
        basis)."""
        return [t.key for t in self.list(open_only=False) if since <= t.submitted_at < until]

    def growing_outcomes(
        self, since: datetime, until: datetime, now: datetime
    ) -> list[tuple[str, str, int, Metric]]:
        """``(key, customer, severity, metric)`` of each stored clock of the tickets submitted
        in ``[since, until)`` whose service credits grow and whose due instant is before
        ``now``: their credits are computed from the history."""
        return []

    def first_submitted(self) -> datetime | None:
        """When the earliest ticket was submitted (None: no ticket)."""
        return min((t.submitted_at for t in self.list(open_only=False)), default=None)

    def outcomes_touching(
        self, customers: Iterable[str], since: datetime | None, until: datetime | None
    ) -> Keys:
        """The tickets of ``customers`` with a stored clock outcome whose clock ran at some
        instant in ``[since, until)`` (a bound None: unbounded), or still runs; or, with both
        bounds None, every ticket of theirs."""
        return []

    def outcomes_of(
        self, keys: Iterable[str]
    ) -> dict[str, tuple[str, str, tuple[ClockOutcome, ...]]]:
        """The stored outcomes of tickets, with their customer and basis, by key."""
        return {}

    @abc.abstractmethod
    def add(self, ticket: Ticket, events: Sequence[TicketEvent]) -> Ticket:
        """Store a new ticket (version 1) with its first events; the key must be new."""

    @abc.abstractmethod
    def add_many(self, tickets: Iterable[tuple[Ticket, Sequence[TicketEvent]]]) -> int:
        """Store many new tickets at once (demo data, imports); how many were stored."""

    @abc.abstractmethod
    def get(self, key: str, *, with_events: bool = True) -> Ticket:
        """The ticket (with its history unless told otherwise), or :class:`NotFoundError`."""

    @abc.abstractmethod
    def list(self, *, open_only: bool = True, keys: Iterable[str] | None = None) -> list[Ticket]:
        """Tickets without their histories, ordered by key."""

    @abc.abstractmethod
    def audit(self, wanted: AuditFilter = ALL_EVENTS, limit: int = 10_000) -> AuditEntries:
        """The events ``wanted``, newest first (at most ``limit``), with their tickets' keys."""

    @abc.abstractmethod
    def most_urgent(self, limit: int) -> Tickets:
        """The first ``limit`` open tickets in queue order (see domain.queue.queue_key)."""

    @abc.abstractmethod
    def events_of(self, keys: Iterable[str]) -> dict[str, tuple[TicketEvent, ...]]:
        """The histories of several tickets, each in order."""

    @abc.abstractmethod
    def append_event(self, key: str, event: TicketEvent) -> None:
        """Add an event to a ticket's append-only history."""

    @abc.abstractmethod
    def update(self, key: str, expected_version: int, **changes: Any) -> Ticket:
        """Change fields of version ``expected_version`` (the version goes up by one);
        :class:`ConcurrentEditError` with the current ticket when it is stale."""

    def record(self, seen: Ticket, event: TicketEvent, **changes: Any) -> Ticket:
        """Append ``event`` to the ticket ``seen`` (at the version it was read) and change
        the fields it implies with its derived state (``changes``) together: one step, which
        a database with its own command functions takes in one call. The ticket as it is
        then."""
        updated = self.update(seen.key, seen.version, **changes)
        self.append_event(seen.key, event)
        return replace(updated, events=(*updated.events, event))

    @abc.abstractmethod
    def set_summary(self, values: Mapping[str, tuple[datetime | None, QueueSummary, int]]) -> Keys:
        """Refresh the cached ``next_due_at`` and queue summary of tickets, each given as
        ``(due, summary, version)``.

        A cache, so the version stays; a ticket whose version moved since it was read is
        left alone and its key returned, for the caller to compute again.
        """

    @abc.abstractmethod
    def cached_summaries(self, keys: Iterable[str] | None = None) -> CachedSummaries:
        """The cached clock of every ticket that may have one to recompute (open, or closed
        and still owing a clock), or of those of ``keys``; ordered by key."""

    @abc.abstractmethod
    def count(self, *, open_only: bool = False) -> int: ...


class HolidayPeriodRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, period: HolidayPeriod) -> HolidayPeriod: ...

    @abc.abstractmethod
    def list(self, policy_id: str | None = None) -> list[HolidayPeriod]: ...

    @abc.abstractmethod
    def update(self, period_id: int, expected_version: int, **changes: Any) -> HolidayPeriod: ...

    @abc.abstractmethod
    def delete(self, period_id: int, expected_version: int) -> None: ...


class PresenceRepository(abc.ABC):
    """The presences leads named per policy. Rows are added and deleted, never changed."""

    @abc.abstractmethod
    def add(self, entry: PolicyPresence) -> PolicyPresence:
        """Store a presence of a policy (version 1); :class:`DuplicateError` when the policy
        has it already."""

    @abc.abstractmethod
    def list(self, policy_id: str | None = None) -> list[PolicyPresence]:
        """The presences (of one policy), by policy, country and subdivision."""

    @abc.abstractmethod
    def delete(self, presence_id: int, expected_version: int) -> None:
        """Remove a presence as seen at ``expected_version``; :class:`NotFoundError` when it
        is gone."""


class HandoverRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, handover: Handover) -> Handover: ...

    @abc.abstractmethod
    def get(self, handover_id: int) -> Handover: ...

    @abc.abstractmethod
    def latest(self) -> Handover | None: ...

    @abc.abstractmethod
    def update(self, handover_id: int, expected_version: int, **changes: Any) -> Handover: ...


class ChangeFeed(abc.ABC):
    @abc.abstractmethod
    def since(self, cursor: int, limit: int = 10_000) -> list[Change]:
        """Committed changes with ``seq > cursor``, in order."""

    @abc.abstractmethod
    def among(self, seqs: Sequence[int]) -> list[Change]:
        """The committed changes of these numbers (those there are), in order."""

    @abc.abstractmethod
    def latest(self) -> int:
        """The newest ``seq`` (0 when empty): a cursor to follow from."""


class UnitOfWork(abc.ABC):
    """One user action: ``with uow: ...; uow.commit()``. Leaving without commit rolls back."""

    agents: AgentRepository
    customers: CustomerRepository
    tickets: TicketRepository
    holidays: HolidayPeriodRepository
    presences: PresenceRepository
    handovers: HandoverRepository
    changes: ChangeFeed

    def __init__(self, now: Now = system_now) -> None:
        self.now = now
        self._pending: list[tuple[str, str, ChangeKind]] = []

    def record(self, entity: str, key: object, kind: ChangeKind) -> None:
        """Queue a change-feed entry, written at commit."""
        self._pending.append((entity, str(key), kind))

    def __enter__(self) -> Self:
        self._pending = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def schema_revision(self) -> str | None:
        """The store's schema revision (Alembic's), inside the open unit of work; None for
        a store without migrations (the in-memory fake)."""
        return None

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
