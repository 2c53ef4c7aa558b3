"""Company holiday periods and presences: how many due instants an edit would move, shown to
the lead before it is saved (the save itself is the ``EditHolidayPeriods`` or ``SetPresences``
command)."""

from __future__ import annotations

from collections.abc import Iterable

from console.adapters.bulk import collection_paused
from console.adapters.repository import UnitOfWork
from console.domain.model import Presence
from console.domain.policy import CompanyPeriod
from console.services.tickets import PolicyBook


def moves_if(
    uow: UnitOfWork, book: PolicyBook, policy_id: str, periods: Iterable[CompanyPeriod]
) -> int:
    """How many tickets' due instants would move if ``policy_id``'s company holiday periods
    were ``periods``: those a save then recomputes. Reads inside the open ``uow``; ``book``
    holds the stored periods and presences."""
    trial = book.with_policy_periods({**book.periods, policy_id: tuple(periods)})
    return _moves(uow, trial, policy_id)


def presence_moves_if(
    uow: UnitOfWork, book: PolicyBook, policy_id: str, presences: Iterable[Presence]
) -> int:
    """How many tickets' due instants would move if ``policy_id``'s presences were
    ``presences`` (none: the policy file's holidays). Reads inside the open ``uow``; ``book``
    holds the stored periods and presences."""
    trial = book.with_policy_presences({**book.presences, policy_id: tuple(presences)})
    return _moves(uow, trial, policy_id)


def _moves(uow: UnitOfWork, trial: PolicyBook, policy_id: str) -> int:
    """How many of ``policy_id``'s tickets have a cached due instant other than ``trial``'s."""
    now = uow.now()
    customers = {c.name: c for c in uow.customers.list() if c.policy_id == policy_id}
    with collection_paused():
        cached = [c for c in uow.tickets.cached_summaries() if c.customer in customers]
    states = trial.recomputed(uow, customers, cached, now)
    return sum(1 for c in cached if states[c.key][0] != c.next_due_at)
