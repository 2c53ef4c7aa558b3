"""A severity change previewed in words: each clock's target, due instant and state now and
after the change, as the lead's severity dialog shows them side by side."""

from __future__ import annotations

from datetime import datetime, tzinfo

from console.domain.policy import Policy
from console.domain.sla import ClockChange, ClockState, SlaClock
from console.services import words
from console.services.labels import clock_state_label, metric_label
from console.services.texts import (
    NO_TIMED_TARGET,
    NO_VALUE,
    business_span,
    overdue_text,
    target_text,
    when_text,
)

__all__ = ["PREVIEW_COLUMNS", "preview_cells"]

# Marked for translation: shown with words.tr(...).
PREVIEW_COLUMNS = (
    words.QT_TR_NOOP("Clock"),
    words.QT_TR_NOOP("Now: target"),
    words.QT_TR_NOOP("Now: due"),
    words.QT_TR_NOOP("Now: state"),
    words.QT_TR_NOOP("After: target"),
    words.QT_TR_NOOP("After: due"),
    words.QT_TR_NOOP("After: state"),
)


def _target(clock: SlaClock | None, policy: Policy) -> str:
    if clock is None:
        return words.tr(NO_TIMED_TARGET)
    return target_text(clock.target, policy)


def _due(clock: SlaClock | None, zone: tzinfo, now: datetime) -> str:
    if clock is None or clock.due is None:
        return NO_VALUE
    return when_text(clock.due, zone, now)


def _state(clock: SlaClock | None) -> str:
    if clock is None:
        return NO_VALUE
    state = clock_state_label(clock.state)
    if clock.state is ClockState.BREACHED:
        return f"{state}, {overdue_text(clock.overrun, seconds=False)}"
    remaining = clock.remaining
    if clock.state in (ClockState.RUNNING, ClockState.WAITING) and remaining is not None:
        left = business_span(remaining, seconds=False)
        return words.tr("{state}, {span} left").format(state=state, span=left)
    return state


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
        metric_label(change.metric),
        *_clock(change.before, policy, zone, now),
        *_clock(change.after, policy, zone, now),
    )
