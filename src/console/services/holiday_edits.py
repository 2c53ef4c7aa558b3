"""A lead's unsaved edits of the company holiday periods, per policy, over the periods saved:
what the calendars dialog stages before the ``EditHolidayPeriods`` command saves it.

Periods are told apart by their days and reason; a saved period also by its id and version,
so a removal staged against a period another lead has since changed is dropped when the
saved periods are read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from console.domain.model import HolidayPeriod
from console.domain.policy import CompanyPeriod

__all__ = ["HolidayEdits", "PeriodState", "PolicyEdits"]


class PeriodState(Enum):
    SAVED = ""
    NEW = "new"  # staged to be added
    REMOVED = "removed"  # staged to be removed


def _key(period: HolidayPeriod) -> tuple[date, date, str]:
    return (period.first, period.last, period.reason)


@dataclass
class PolicyEdits:
    """One policy's staged periods and how many due instants they move (None: not known)."""

    added: list[HolidayPeriod] = field(default_factory=list)
    removed: list[HolidayPeriod] = field(default_factory=list)
    moves: int | None = None

    @property
    def dirty(self) -> bool:
        return bool(self.added or self.removed)


class HolidayEdits:
    """The saved company holiday periods of every policy and the edits staged over them."""

    def __init__(self, periods: Iterable[HolidayPeriod] = ()) -> None:
        self._saved: dict[str, list[HolidayPeriod]] = {}
        self._edits: dict[str, PolicyEdits] = {}
        self.set_saved(periods)

    # ------------------------------------------------------------------ reading

    def saved(self, policy_id: str) -> list[HolidayPeriod]:
        """The periods saved, by first day."""
        return list(self._saved.get(policy_id, []))

    def edits(self, policy_id: str) -> PolicyEdits:
        return self._edits.setdefault(policy_id, PolicyEdits())

    def staged(self, policy_id: str) -> list[HolidayPeriod]:
        """The periods as they would be saved: the saved ones with the edits, by first day."""
        edits = self.edits(policy_id)
        kept = [p for p in self.saved(policy_id) if p not in edits.removed]
        return sorted([*kept, *edits.added], key=_key)

    def company(self, policy_id: str, *, staged: bool = True) -> tuple[CompanyPeriod, ...]:
        """The staged (or saved) periods as the calendars take them."""
        periods = self.staged(policy_id) if staged else self.saved(policy_id)
        return tuple(CompanyPeriod(p.first, p.last, p.reason) for p in periods)

    def rows(self, policy_id: str) -> list[tuple[HolidayPeriod, PeriodState]]:
        """Every period to list, saved and staged, by first day, with its state."""
        edits = self.edits(policy_id)
        rows = []
        for period in sorted([*self.saved(policy_id), *edits.added], key=_key):
            state = PeriodState.SAVED
            if period in edits.added:
                state = PeriodState.NEW
            elif period in edits.removed:
                state = PeriodState.REMOVED
            rows.append((period, state))
        return rows

    def has_unsaved(self) -> bool:
        return any(edits.dirty for edits in self._edits.values())

    # ------------------------------------------------------------------ staging

    def new_period(
        self, policy_id: str, first: date, last: date, reason: str
    ) -> tuple[HolidayPeriod | None, str]:
        """The period ``first`` to ``last`` (both included) to stage, or None and why not."""
        reason = reason.strip()
        if last < first:
            return None, "The last day is before the first"
        if not reason:
            return None, "Give the reason, as announced"
        period = HolidayPeriod(None, policy_id, first, last, reason)
        if any(_key(p) == _key(period) for p in self.staged(policy_id)):
            return None, "This period is already listed"
        return period, ""

    def add(self, period: HolidayPeriod) -> None:
        edits = self.edits(period.policy_id)
        edits.added.append(period)
        edits.moves = None

    def toggle(self, period: HolidayPeriod) -> None:
        """Stage removing a saved period; keep it again, or drop a staged new one."""
        edits = self.edits(period.policy_id)
        if period in edits.added:
            edits.added.remove(period)
        elif period in edits.removed:
            edits.removed.remove(period)
        else:
            edits.removed.append(period)
        edits.moves = None

    def revert(self, policy_id: str) -> None:
        self._edits[policy_id] = PolicyEdits()

    def set_saved(self, periods: Iterable[HolidayPeriod], *, saving: str | None = None) -> None:
        """The periods saved now (after a save of policy ``saving``, or another lead's
        edit). Where a policy's periods changed, staged edits they already hold are dropped,
        the others stay, and the count of moves is no longer known."""
        before = self._saved
        grouped: dict[str, list[HolidayPeriod]] = {}
        for period in periods:
            grouped.setdefault(period.policy_id, []).append(period)
        self._saved = {pid: sorted(found, key=_key) for pid, found in grouped.items()}
        for policy_id, edits in self._edits.items():
            saved = self._saved.get(policy_id, [])
            if saved == before.get(policy_id, []) and policy_id != saving:
                continue  # nothing changed for this policy: its count still holds
            saved_keys = {_key(p) for p in saved}
            edits.removed = [p for p in edits.removed if p in saved]
            edits.added = [p for p in edits.added if _key(p) not in saved_keys]
            edits.moves = None
