"""Company holiday periods: a lead's edits, each followed by recomputing the cached due
instants of the tickets whose calendars they close."""

from __future__ import annotations

from datetime import date
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.model import HolidayPeriod
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
