"""A severity change previewed in words: each clock's target, due instant and state now and
after the change, as the lead's severity dialog shows them side by side."""

from __future__ import annotations

from datetime import datetime, tzinfo

from console.domain.sla import ClockChange, ClockState, SlaClock
from console.services.texts import NO_CLOCK_TEXT, format_span, time_text

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


def _target(clock: SlaClock | None) -> str:
    if clock is None:
        return NO_CLOCK_TEXT
    return clock.target.describe() if clock.target is not None else "no target"


def _due(clock: SlaClock | None, zone: tzinfo, now: datetime) -> str:
    if clock is None or clock.due is None:
        return NO_CLOCK_TEXT
    return time_text(clock.due, zone, now)


def _state(clock: SlaClock | None) -> str:
    if clock is None:
        return NO_CLOCK_TEXT
    if clock.state is ClockState.BREACHED:
        return f"breached by {format_span(clock.overrun, seconds=False)}"
    remaining = clock.remaining
    if clock.state in (ClockState.RUNNING, ClockState.WAITING) and remaining is not None:
        return f"{clock.state.label}, {format_span(remaining, seconds=False)} left"
    return clock.state.label


def _clock(clock: SlaClock | None, zone: tzinfo, now: datetime) -> tuple[str, str, str]:
    return (_target(clock), _due(clock, zone, now), _state(clock))


def preview_cells(change: ClockChange, zone: tzinfo, now: datetime) -> tuple[str, ...]:
    """The cells of :data:`PREVIEW_COLUMNS` for one clock, due instants in ``zone`` as seen
    at ``now`` ("Mon 09:30 CET" within a week)."""
    return (
        change.metric.label,
        *_clock(change.before, zone, now),
        *_clock(change.after, zone, now),
    )
