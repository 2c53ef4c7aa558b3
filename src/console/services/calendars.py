"""Company holiday periods: a lead's edits, each followed by recomputing the cached due
instants of the tickets whose calendars they close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from console.adapters.bulk import collection_paused
from console.adapters.repository import UnitOfWork
from console.domain.model import HolidayPeriod
from console.domain.policy import CompanyPeriod
from console.services.leads import require_lead
from console.services.tickets import PolicyBook, recompute_due


def _accepting(book: PolicyBook, policy_id: str) -> None:
    policy = book.policies.get(policy_id)
    if policy is None:
        raise KeyError(f"no policy {policy_id!r}")
    if not policy.accepts_company_holidays:
        raise ValueError(f"{policy.vendor}'s calendars take no company holiday periods")


def add_holiday_period(
    uow: UnitOfWork,
    book: PolicyBook,
    actor: str,
    policy_id: str,
    first: date,
    last: date,
    reason: str,
) -> tuple[HolidayPeriod, int]:
    """Add a period (days inclusive) and recompute; the period and how many due instants moved."""
    require_lead(uow, actor, "Editing calendars")
    _accepting(book, policy_id)
    with uow:
        period = uow.holidays.add(HolidayPeriod(None, policy_id, first, last, reason))
        uow.commit()
    return period, recompute_due(uow, book, policy_id=policy_id)


def update_holiday_period(
    uow: UnitOfWork, book: PolicyBook, actor: str, period: HolidayPeriod, **changes: Any
) -> tuple[HolidayPeriod, int]:
    """Change a period edited at ``period.version`` and recompute."""
    require_lead(uow, actor, "Editing calendars")
    assert period.id is not None
    with uow:
        updated = uow.holidays.update(period.id, period.version, **changes)
        uow.commit()
    return updated, recompute_due(uow, book, policy_id=period.policy_id)


def delete_holiday_period(
    uow: UnitOfWork, book: PolicyBook, actor: str, period: HolidayPeriod
) -> int:
    """Remove a period seen at ``period.version`` and recompute; how many due instants moved."""
    require_lead(uow, actor, "Editing calendars")
    assert period.id is not None
    with uow:
        uow.holidays.delete(period.id, period.version)
        uow.commit()
    return recompute_due(uow, book, policy_id=period.policy_id)


def moves_if(
    uow: UnitOfWork, book: PolicyBook, policy_id: str, periods: Iterable[CompanyPeriod]
) -> int:
    """How many tickets' due instants would move if ``policy_id``'s company holiday periods
    were ``periods`` (shown before a lead saves an edit): those a save then recomputes."""
    trial = PolicyBook(book.policies)
    with uow:
        trial.load_periods(uow)
        trial.periods[policy_id] = tuple(periods)
        now = uow.clock()
        customers = {c.name: c for c in uow.customers.list() if c.policy_id == policy_id}
        with collection_paused():
            cached = [c for c in uow.tickets.cached_clocks() if c.customer in customers]
        states = trial.recomputed(uow, customers, cached, now)
    return sum(1 for c in cached if states[c.key][0] != c.next_due_at)
