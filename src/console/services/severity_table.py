"""A severity change previewed in words: each clock's target, due instant and state now and
after the change, as the lead's severity dialog shows them side by side."""

from __future__ import annotations

from datetime import datetime, tzinfo

from console.domain.policy import Policy
from console.domain.sla import ClockChange, ClockState, SlaClock
from console.services.texts import (
    NO_TIMED_TARGET,
    NO_VALUE,
    business_span,
    overdue_text,
    target_text,
    when_text,
)

__all__ = ["PREVIEW_COLUMNS", "preview_cells"]

PREVIEW_COLUMNS = (
    "Clock",
    "Now: target",
    "Now: due",
    "Now: state",
    "After: target",
    "After: due",
    "After: state",
)


def _target(clock: SlaClock | None, policy: Policy) -> str:
    if clock is None:
        return NO_TIMED_TARGET
    return target_text(clock.target, policy)


def _due(clock: SlaClock | None, zone: tzinfo, now: datetime) -> str:
    if clock is None or clock.due is None:
        return NO_VALUE
    return when_text(clock.due, zone, now)


def _state(clock: SlaClock | None) -> str:
    if clock is None:
        return NO_VALUE
    if clock.state is ClockState.BREACHED:
        return f"breached, {overdue_text(clock.overrun, seconds=False)}"
    remaining = clock.remaining
    if clock.state in (ClockState.RUNNING, ClockState.WAITING) and remaining is not None:
        return f"{clock.state.label}, {business_span(remaining, seconds=False)} left"
    return clock.state.label


def _clock(
    clock: SlaClock | None, policy: Policy, zone: tzinfo, now: datetime
) -> tuple[str, str, str]:
    return (_target(clock, policy), _due(clock, zone, now), _state(clock))


def preview_cells(
    change: ClockChange, policy: Policy, zone: tzinfo, now: datetime
) -> tuple[str, ...]:
    """The cells of :data:`PREVIEW_COLUMNS` for one clock of a ticket under ``policy``, due
    instants in ``zone`` as seen at ``now`` ("tomorrow 09:30")."""
    return (
        change.metric.label,
        *_clock(change.before, policy, zone, now),
        *_clock(change.after, policy, zone, now),
    )
