"""The queue's view of time (DESIGN.md section 2, "Queue order" and "Warnings").

A ticket's place in the queue depends only on its cached ``next_due_at`` and
:class:`QueueSummary`, which change only on events: breached clocks first (most overdue
first, since their due instants are the earliest), then running and waiting clocks by due
instant, then paused clocks by business time left, then tickets with no timed target. So
the order needs no re-sorting as time passes; only the countdown text and colour do, and
:func:`countdown` computes them for one row in a few microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from console.domain.calendar import BusinessCalendar
from console.domain.model import ClockState, QueueGroup, QueueSummary, Status

DEFAULT_THRESHOLDS = (0.5, 0.75, 0.9)


@dataclass(frozen=True, slots=True)
class Countdown:
    """Where a ticket's leading clock stands at one instant."""

    state: ClockState
    due: datetime | None = None
    left: timedelta | None = None  # business time left; negative once breached
    overdue: timedelta | None = None  # wall-clock time since the due instant
    fraction: float | None = None  # business time used / target (1.0 = due)
    resumes_at: datetime | None = None  # WAITING, BREACHED: when the closed calendar opens
    paused_by: Status | None = None

    def level(self, thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS) -> int:
        """How many warning thresholds are crossed (len(thresholds) + 1 once breached)."""
        if self.state is ClockState.BREACHED:
            return len(thresholds) + 1
        if self.fraction is None:
            return 0
        return sum(1 for limit in thresholds if self.fraction >= limit)


def countdown(
    due: datetime | None,
    clock: QueueSummary,
    calendar: BusinessCalendar | None,
    now: datetime,
) -> Countdown:
    """The countdown of a ticket's leading clock at ``now``, on the clock's own calendar."""
    target = clock.target
    if clock.kind is QueueGroup.DUE and due is not None and calendar is not None:
        if now > due:
            late = calendar.between(due, now)
            fraction = (1 + late / target) if target else None
            # Closed, the lateness (business time) stands still until the calendar opens.
            resumes = None if calendar.is_open(now) else calendar.next_open(now)
            return Countdown(ClockState.BREACHED, due, -late, now - due, fraction, resumes)
        left = calendar.between(now, due)
        fraction = (1 - left / target) if target else None
        if calendar.is_open(now):
            return Countdown(ClockState.RUNNING, due, left, None, fraction)
        return Countdown(ClockState.WAITING, due, left, None, fraction, calendar.next_open(now))
    if clock.kind is QueueGroup.PAUSED:
        paused_left = clock.paused_left
        fraction = (1 - paused_left / target) if paused_left is not None and target else None
        return Countdown(
            ClockState.PAUSED, None, paused_left, None, fraction, None, clock.paused_by
        )
    if clock.kind is QueueGroup.BEST_EFFORT:
        return Countdown(ClockState.BEST_EFFORT)
    if clock.kind is QueueGroup.NO_TARGET:
        return Countdown(ClockState.NO_TARGET)
    return Countdown(ClockState.DONE)


def queue_key(key: str, due: datetime | None, clock: QueueSummary) -> tuple[int, float, str]:
    """The default order: counting clocks by due instant (so breached first, most overdue
    first), then paused ones by business time left, then best effort, no target, done."""
    if clock.kind is QueueGroup.DUE and due is not None:
        return (0, due.timestamp(), key)
    if clock.kind is QueueGroup.PAUSED:
        left = clock.paused_left.total_seconds() if clock.paused_left is not None else 0.0
        return (1, left, key)
    rank = {QueueGroup.BEST_EFFORT: 2, QueueGroup.NO_TARGET: 3}.get(clock.kind, 4)
    return (rank, 0.0, key)


__all__ = [
    "DEFAULT_THRESHOLDS",
    "ClockState",
    "Countdown",
    "countdown",
    "queue_key",
]
