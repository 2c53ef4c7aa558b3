"""``db verify``: every ticket's derived state recomputed from its whole history, compared
with what is stored, and (``--repair``) written where it drifted.

Each ticket row caches what its history says: ``next_due_at``, the queue summary, the
clock projection and the clock outcomes the report counts (:mod:`console.services.tickets`).
:func:`verify` recomputes them from the
history (never from the projection) at the unit of work's ``now`` on today's policies,
company holiday periods and presences, exactly as an event or a recompute would store them,
and lists

* each ticket whose stored state differs (:class:`Drift`: what differs, stored and
  recomputed). Projections are compared by their clocks and basis, not by the instant they
  were made; a ticket's projection is only compared while a recompute would read it (the
  ticket is open or still has a due instant), since no one reads the others;
* each stored event that makes no sense, as the readers find it (:func:`read_history
  <console.adapters.sql_rows.read_history>`: its ticket, its place and id, why) and each
  event the clocks leave out under the customer's policy (a severity the policy does not
  have);
* each ticket row that could not be read as stored (an unknown status, an unreadable
  summary or projection ...; a summary or projection that cannot be read has drifted,
  whatever it was read as), and each ticket whose state cannot be recomputed (a customer
  whose policy or plan is not loaded).

A projection is only read (and checked) while a recompute would read it.

:func:`repair` writes the recomputed state of the drifted tickets in one transaction,
through :meth:`TicketRepository.set_summary`, which respects versions: a ticket edited since
the check is recomputed by its edit anyway and is left as it is. It recomputes them once more
inside that transaction, so that what it writes is not older than what it replaces. Invalid
events are reported, never changed: the history is append-only.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from console.adapters.bulk import collection_paused
from console.adapters.repository import CachedSummary, UnitOfWork
from console.domain.model import (
    ClockOutcome,
    ClockProjection,
    Customer,
    QueueSummary,
    Ticket,
    TicketEvent,
)
from console.domain.policy import format_duration
from console.domain.sla import queue_state, unread_events
from console.services.tickets import PolicyBook

__all__ = ["Drift", "Finding", "Verification", "repair", "verify"]

BATCH = 2_000  # histories read at once, as a recompute reads them


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about ticket ``key`` that ``text`` says."""

    key: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.key}: {self.text}"


@dataclass(frozen=True, slots=True)
class Drift:
    """A ticket whose stored derived state differs from its recomputation: ``differences``
    (each ``what: stored X, recomputed Y``) and what to write (at ``version``)."""

    key: str
    version: int
    differences: tuple[str, ...]
    due: datetime | None
    summary: QueueSummary

    @property
    def line(self) -> str:
        return f"{self.key}: {'; '.join(self.differences)}"


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found (and :func:`repair` did) at ``now``."""

    now: datetime
    tickets: int
    drifted: tuple[Drift, ...]
    invalid_events: tuple[Finding, ...]
    unreadable: tuple[Finding, ...]
    not_recomputed: tuple[Finding, ...] = ()
    seconds: float = 0.0
    repaired: tuple[str, ...] = ()
    repair_seconds: float = 0.0
    left: tuple[str, ...] = ()  # drifted, but edited since the check: left to their edits
    fixed_meanwhile: tuple[str, ...] = ()  # right again by the time of the repair

    @property
    def clean(self) -> bool:
        """No ticket's derived state drifted or failed to recompute. Invalid events and rows
        read around (an unknown status) are listed but leave it clean: an event cannot be
        repaired, only read around, and a status is a person's to set."""
        return not self.drifted and not self.not_recomputed

    def lines(self) -> list[str]:
        """One line per finding: drifted tickets, invalid events, unreadable rows, tickets
        not recomputed."""
        found = [d.line for d in self.drifted]
        found += [f.line for f in self.invalid_events]
        found += [f.line for f in self.unreadable]
        found += [f.line for f in self.not_recomputed]
        return found

    def summary_line(self) -> str:
        text = (
            f"{self.tickets:,} tickets verified in {self.seconds:.1f} s: "
            f"{len(self.drifted):,} drifted, {len(self.invalid_events):,} invalid "
            f"event(s), {len(self.unreadable):,} unreadable row(s)"
        )
        if self.not_recomputed:
            text += f", {len(self.not_recomputed):,} not recomputed"
        if self.repaired or self.left or self.fixed_meanwhile:
            text += f"; {len(self.repaired):,} repaired"
            if self.left:
                text += f", {len(self.left):,} edited meanwhile and left to their edits"
            if self.fixed_meanwhile:
                text += f", {len(self.fixed_meanwhile):,} right again meanwhile"
            text += f" in {self.repair_seconds:.1f} s"
        return text


class _Problem(Protocol):
    key: str
    part: str
    text: str


def verify(uow: UnitOfWork, book: PolicyBook, *, batch: int = BATCH) -> Verification:
    """Recompute every ticket from its whole history, in one (reading) unit of work of
    ``uow``, and list what differs from what is stored (see the module docstring)."""
    started = time.perf_counter()
    with uow:
        book = book.current(uow)
        now = uow.now()
        with collection_paused():
            customers = {c.name: c for c in uow.customers.list()}
            tickets = uow.tickets.list(open_only=False)
            cached = {c.key: c for c in uow.tickets.cached_summaries()}
        rows = _problems(uow)  # the ticket rows read around so far
        drifted, invalid, failed = _check(
            uow, book, customers, tickets, cached, _unreadable_state(rows), now, batch
        )
        unreadable: list[Finding] = []
        for problem in _problems(uow):
            finding = Finding(problem.key, problem.text)
            (invalid if problem.part == "event" else unreadable).append(finding)
    return Verification(
        now,
        len(tickets),
        tuple(drifted),
        _by_key(invalid),
        _by_key(unreadable),
        tuple(failed),
        time.perf_counter() - started,
    )


def repair(uow: UnitOfWork, book: PolicyBook, found: Verification) -> Verification:
    """Write the recomputed state of the tickets ``found`` drifted, in one transaction of
    ``uow`` (see the module docstring); ``found`` with what was repaired."""
    keys = [d.key for d in found.drifted]
    if not keys:
        return found
    started = time.perf_counter()
    with uow:
        book = book.current(uow)
        now = uow.now()
        with collection_paused():
            customers = {c.name: c for c in uow.customers.list()}
            tickets = uow.tickets.list(open_only=False, keys=keys)
            cached = {c.key: c for c in uow.tickets.cached_summaries(keys)}
        unreadable = _unreadable_state(_problems(uow))
        drifted, _, _ = _check(uow, book, customers, tickets, cached, unreadable, now, BATCH)
        values = {d.key: (d.due, d.summary, d.version) for d in drifted}
        moved = set(uow.tickets.set_summary(values))
        uow.commit()
    still = {d.key for d in drifted}
    return replace(
        found,
        repaired=tuple(k for k in keys if k in still and k not in moved),
        left=tuple(k for k in keys if k in moved),
        fixed_meanwhile=tuple(k for k in keys if k not in still),
        repair_seconds=time.perf_counter() - started,
    )


def _check(
    uow: UnitOfWork,
    book: PolicyBook,
    customers: Mapping[str, Customer],
    tickets: Sequence[Ticket],
    cached: Mapping[str, CachedSummary],
    unreadable: Mapping[str, Sequence[str]],
    now: datetime,
    batch: int,
) -> tuple[list[Drift], list[Finding], list[Finding]]:
    """The drifted tickets, the events the clocks leave out, and the tickets that cannot be
    recomputed. ``unreadable`` names the parts of a ticket's stored state that could not be
    read (by key): they drifted, whatever they were read as."""
    drifted: list[Drift] = []
    invalid: list[Finding] = []
    failed: list[Finding] = []
    for start in range(0, len(tickets), batch):
        chunk = tickets[start : start + batch]
        with collection_paused():
            histories = uow.tickets.events_of(t.key for t in chunk)
            stored = uow.tickets.outcomes_of(t.key for t in chunk)
            for ticket in chunk:
                customer = customers[ticket.customer]
                events = histories[ticket.key]
                try:
                    due, summary = _recomputed(book, customer, events, now)
                    left_out = unread_events(book.policy_for(customer), events, now)
                except (KeyError, ValueError) as error:  # a policy or plan that is not there
                    text = f"cannot be recomputed: {error.args[0] if error.args else error}"
                    failed.append(Finding(ticket.key, text))
                    continue
                invalid.extend(_left_out(ticket.key, left_out))
                differences = _differences(ticket, cached.get(ticket.key), due, summary)
                if uow.tickets.keeps_outcomes:
                    differences += _outcome_differences(stored.get(ticket.key), summary, now)
                for part in unreadable.get(ticket.key, ()):
                    if not any(d.startswith(f"{part}:") for d in differences):
                        differences += (f"{part}: stored cannot be read",)
                if differences:
                    drifted.append(Drift(ticket.key, ticket.version, differences, due, summary))
    return drifted, invalid, failed


def _recomputed(
    book: PolicyBook, customer: Customer, events: Sequence[TicketEvent], now: datetime
) -> tuple[datetime | None, QueueSummary]:
    """What an event or a recompute stores for the ticket at ``now``; a history with no
    valid ``created`` event (read as empty) has no clocks."""
    if events:
        return book.queue_state(customer, events, now)
    policy = book.policy_for(customer)
    return queue_state(policy, customer.plan, (), now, basis=book.basis(customer))


def _left_out(key: str, left_out: Iterable[tuple[TicketEvent, str]]) -> list[Finding]:
    return [
        Finding(
            key,
            f"event {event.kind.value} at {_instant(event.at)} is left out of the clocks "
            f"under the customer's policy: {why}",
        )
        for event, why in left_out
    ]


def _differences(
    ticket: Ticket, cached: CachedSummary | None, due: datetime | None, summary: QueueSummary
) -> tuple[str, ...]:
    found = []
    if ticket.next_due_at != due:
        found.append(
            f"next_due_at: stored {_instant(ticket.next_due_at)}, recomputed {_instant(due)}"
        )
    if ticket.summary != summary:
        found.append(
            f"summary: stored {_summary_text(ticket.summary)}, recomputed {_summary_text(summary)}"
        )
    if cached is not None and not _same_projection(cached.projection, summary.projection):
        found.append(
            f"projection: stored {_projection_text(cached.projection)}, "
            f"recomputed {_projection_text(summary.projection)}"
        )
    return tuple(found)


def _outcome_differences(
    stored: tuple[str, str, tuple[ClockOutcome, ...]] | None,
    summary: QueueSummary,
    now: datetime,
) -> tuple[str, ...]:
    """How the stored clock outcomes differ from those recomputed at ``now``. Credits that
    grow past a due instant are not compared: the report computes those from the history."""
    fresh = summary.outcomes
    if fresh is None or not fresh.basis:
        return ()
    rows, basis = (stored[2], stored[1]) if stored is not None else ((), fresh.basis)

    def comparable(row: ClockOutcome) -> ClockOutcome:
        if row.grows and row.due is not None and now > row.due:
            return replace(row, credit_days=0)
        return row

    mine = sorted(map(comparable, rows), key=lambda r: r.metric.value)
    theirs = sorted(map(comparable, fresh.clocks), key=lambda r: r.metric.value)
    if mine == theirs and basis == fresh.basis:
        return ()
    if basis != fresh.basis:
        return ("outcomes: stored on another policy basis than today's",)
    return (f"outcomes: stored {_outcomes_text(mine)}, recomputed {_outcomes_text(theirs)}",)


def _outcomes_text(rows: Sequence[ClockOutcome]) -> str:
    if not rows:
        return "none"
    return ", ".join(
        f"{r.metric.value} {r.state.value}"
        + (f" due {_instant(r.due)}" if r.due is not None else "")
        + (f" {r.credit_days} credit day(s)" if r.credit_days else "")
        for r in rows
    )


def _same_projection(stored: ClockProjection | None, fresh: ClockProjection | None) -> bool:
    """The same clocks on the same basis (made at any instant: until the ticket's next event
    they give the same due instants)."""
    if stored is None or fresh is None:
        return stored is fresh
    return stored.clocks == fresh.clocks and stored.basis == fresh.basis


def _unreadable_state(problems: Iterable[_Problem]) -> dict[str, list[str]]:
    """The parts of derived state (summary, projection) that could not be read, by key."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        if problem.part in ("summary", "projection"):
            found.setdefault(problem.key, []).append(problem.part)
    return found


def _by_key(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(dict.fromkeys(findings), key=lambda f: f.key))


def _problems(uow: UnitOfWork) -> list[_Problem]:
    """What the repository's reads found that could not be read as stored (a repository
    that stores domain objects, as the fake one does, has nothing of the kind)."""
    found: Iterable[_Problem] = getattr(uow.tickets, "problems", ())
    return list(found)


def _instant(value: datetime | None) -> str:
    return "none" if value is None else value.astimezone(UTC).isoformat()


def _duration(value: timedelta) -> str:
    """``4h``; in seconds when not a whole number of minutes (so that two differ in words)."""
    if value % timedelta(minutes=1) or value <= timedelta(0):
        return f"{value.total_seconds():g} s"
    return format_duration(value)


def _summary_text(summary: QueueSummary) -> str:
    parts = [summary.kind.value]
    if summary.metric is not None:
        parts.append(summary.metric.value)
    if summary.calendar is not None:
        parts.append(f"on {summary.calendar}")
    if summary.target is not None:
        parts.append(f"target {_duration(summary.target)}")
    if summary.paused_left is not None:
        parts.append(f"{int(summary.paused_left.total_seconds())} s left")
    if summary.paused_by is not None:
        parts.append(f"paused by {summary.paused_by.value}")
    return " ".join(parts)


def _projection_text(projection: ClockProjection | None) -> str:
    if projection is None:
        return "none"
    clocks = [
        f"{c.metric.value} on {c.calendar} target {_duration(c.target)} "
        f"{len(c.spans)} span(s) "
        + (f"since {_instant(c.since)}" if c.since is not None else f"paused by {c.paused_by}")
        for c in projection.clocks
    ]
    return f"basis {projection.basis or '-'}: " + (", ".join(clocks) or "no clock")
