"""One SLA clock of a ticket in words and a warning level, as the detail pane shows it.

The level has the queue's meaning (:meth:`console.domain.queue.Countdown.level`): how many of
the user's warning thresholds the clock's business time has crossed, ``len(thresholds) + 1``
once breached, 0 for a clock that has stopped or has no timed target. Instants and durations
are put into words by :mod:`console.services.texts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from console.domain.model import Metric
from console.domain.queue import DEFAULT_THRESHOLDS, Countdown
from console.domain.sla import Breach, ClockState, SlaClock
from console.services.texts import (
    countdown_reason,
    countdown_text,
    day_time_text,
    format_span,
    instant_text,
    time_text,
)

RECURRING = {Metric.PERIODIC_UPDATE: "update", Metric.ESCALATION_RESPONSE: "escalation"}

# What a countdown shows of a clock in these states; met and waived clocks are done.
_COUNTDOWN_STATES = frozenset(
    {
        ClockState.RUNNING,
        ClockState.WAITING,
        ClockState.PAUSED,
        ClockState.BREACHED,
        ClockState.BEST_EFFORT,
        ClockState.NO_TARGET,
    }
)


@dataclass(frozen=True, slots=True)
class ClockText:
    """What the detail pane shows of one clock at one instant; empty texts show nothing."""

    cycle: str  # "update #3"
    target: str  # "4h on business-hours"
    percent: int | None  # of the target used, 0 to 100; None: no timed target
    used: str  # "80 % of the target used: 3h 12m of 4h business time"
    state: str  # "running", "waiting: closed until Mon 08:00 CET", "breached by 2h 05m" ...
    due: str  # "due Mon 09:30 CET", "was due 15:02 CET"
    due_in_full: str  # "Mon 23 Nov 2026 09:30 CET"
    left: str  # "3h 05m left", "+1h 20m overdue"
    history: str  # earlier breaches, a line each
    level: int  # as Countdown.level
    breached: bool


def countdown_of(clock: SlaClock, now: datetime) -> Countdown:
    """The clock as the queue sees a leading clock: its live state, time left, overdue time
    and fraction of the target used (None once it has stopped in time or been waived)."""
    state = clock.state if clock.state in _COUNTDOWN_STATES else ClockState.DONE
    overdue = None
    if state is ClockState.BREACHED and clock.stopped_at is None and clock.due is not None:
        overdue = now - clock.due
    fraction = None if state is ClockState.DONE else clock.fraction_used
    return Countdown(
        state, clock.due, clock.remaining, overdue, fraction, clock.resumes_at, clock.paused_by
    )


def clock_level(
    clock: SlaClock, now: datetime, thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
) -> int:
    """The clock's warning level at ``now``, the queue's way (0 to ``len(thresholds) + 1``)."""
    return countdown_of(clock, now).level(thresholds)


def clock_text(
    clock: SlaClock,
    zone: tzinfo,
    now: datetime,
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
) -> ClockText:
    """``clock`` at ``now`` in words, instants in the agent's ``zone``."""
    countdown = countdown_of(clock, now)
    fraction = clock.fraction_used
    percent = None if fraction is None else max(0, min(100, round(fraction * 100)))
    target = clock.target
    used = ""
    if fraction is not None and target is not None and target.duration is not None:
        used = (
            f"{round(fraction * 100)} % of the target used: "
            f"{format_span(clock.used, seconds=False)} of "
            f"{format_span(target.duration, seconds=False)} business time"
        )
    shows_due = clock.due is not None and clock.state not in (ClockState.MET, ClockState.WAIVED)
    return ClockText(
        cycle=cycle_text(clock),
        target=target.describe() if target is not None else "no target",
        percent=percent,
        used=used,
        state=state_text(clock, zone, now),
        due=due_text(clock, zone, now),
        due_in_full=instant_text(clock.due, zone) if shows_due and clock.due else "",
        left=_left_text(countdown),
        history=history_text(clock, zone),
        level=countdown.level(thresholds),
        breached=clock.state is ClockState.BREACHED,
    )


def cycle_text(clock: SlaClock) -> str:
    """``update #3``: always for periodic updates, from the second cycle for escalations."""
    noun = RECURRING.get(clock.metric)
    if noun is None or (clock.metric is not Metric.PERIODIC_UPDATE and clock.cycle <= 1):
        return ""
    return f"{noun} #{clock.cycle}"


def state_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    """Where the clock stands, with why it is not moving."""
    state = clock.state
    if state is ClockState.RUNNING:
        return "running"
    if state in (ClockState.WAITING, ClockState.PAUSED):
        calendar_zone = clock.calendar.timezone if clock.calendar is not None else None
        reason = countdown_reason(countdown_of(clock, now), calendar_zone, now)
        return f"waiting: {reason}" if state is ClockState.WAITING else reason
    if state is ClockState.MET:
        return f"met at {time_text(clock.stopped_at, zone, now)}" if clock.stopped_at else "met"
    if state is ClockState.BREACHED:
        remaining = clock.remaining
        text = f"breached by {format_span(remaining)}" if remaining is not None else "breached"
        days = clock.service_credit_days
        if days > 0:
            text += f" · {days} service-credit day{'s' if days != 1 else ''}"
        return text
    if state is ClockState.WAIVED:
        reason = clock.waiver_reason or (clock.waiver.name if clock.waiver else "")
        return f"waived: {reason}" if reason else "waived"
    if state is ClockState.BEST_EFFORT:
        return "best effort"
    return "no timed target"


def due_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    """``due Mon 09:30 CET`` (``was due`` once breached); empty once met or waived."""
    if clock.due is None or clock.state in (ClockState.MET, ClockState.WAIVED):
        return ""
    prefix = "was due" if clock.state is ClockState.BREACHED else "due"
    return f"{prefix} {time_text(clock.due, zone, now)}"


def _left_text(countdown: Countdown) -> str:
    if countdown.state is ClockState.BREACHED:
        return countdown_text(countdown)  # "+1h 20m overdue" while counting, else ""
    if countdown.left is not None and countdown.state in (
        ClockState.RUNNING,
        ClockState.WAITING,
        ClockState.PAUSED,
    ):
        return f"{countdown_text(countdown)} left"
    return ""


def earlier_breaches(clock: SlaClock) -> Sequence[Breach]:
    """Breaches before the current one: earlier cycles or severities (the last is current
    while the clock is breached)."""
    return clock.breaches[:-1] if clock.state is ClockState.BREACHED else clock.breaches


def history_text(clock: SlaClock, zone: tzinfo) -> str:
    """``breached earlier: Fri 20 Nov 14:32 under S1 by 2h 05m (update #2)``, a line each."""
    noun = RECURRING.get(clock.metric)
    lines = []
    for breach in earlier_breaches(clock):
        line = (
            f"breached earlier: {day_time_text(breach.at, zone)} under S{breach.severity}"
            f" by {format_span(breach.overrun, seconds=False)}"
        )
        if noun and breach.cycle != clock.cycle:
            line += f" ({noun} #{breach.cycle})"
        lines.append(line)
    return "\n".join(lines)


__all__ = [
    "RECURRING",
    "ClockText",
    "clock_level",
    "clock_text",
    "countdown_of",
    "cycle_text",
    "due_text",
    "earlier_breaches",
    "history_text",
    "state_text",
]
