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
from console.domain.policy import Policy
from console.domain.queue import DEFAULT_THRESHOLDS, Countdown
from console.domain.sla import Breach, ClockState, SlaClock
from console.services import words
from console.services.labels import clock_state_label
from console.services.texts import (
    BEST_EFFORT,
    NO_TIMED_TARGET,
    ago_text,
    countdown_reason,
    instant_text,
    left_text,
    overdue_text,
    target_text,
    used_text,
    when_text,
)

# The noun of a recurring clock's cycle ("update #3"), shown with words.tr(...).
RECURRING = {
    Metric.PERIODIC_UPDATE: words.QT_TR_NOOP("update"),
    Metric.ESCALATION_RESPONSE: words.QT_TR_NOOP("escalation"),
}

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
    target: str  # "4 business hours on ZITADEL business hours"
    percent: int | None  # of the target used, 0 to 100; None: no timed target
    used: str  # "80 % of the target used: 3 business hours 12 minutes counted against ..."
    state: str  # "running", "waiting: closed until 08:00 CET", "breached" ...
    due: str  # "due tomorrow 09:30", "was due last Mon 15:02, 4d 2h ago (wall clock)"
    due_in_full: str  # "Mon 23 Nov 2026 09:30 CET"
    left: str  # "3h 05m left", "overdue 1h 20m": business time, as the heading says
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
    *,
    policy: Policy,
) -> ClockText:
    """``clock`` of a ticket under ``policy`` at ``now`` in words, instants in the agent's
    ``zone``. A breached clock that still counts says its lateness in ``left``; ``state``
    then only says that it breached."""
    countdown = countdown_of(clock, now)
    fraction = clock.fraction_used
    percent = None if fraction is None else max(0, min(100, round(fraction * 100)))
    target = clock.target
    used = ""
    if fraction is not None and target is not None and target.duration is not None:
        used = used_text(clock.used, target.duration, days=target.in_days)
    shows_due = clock.due is not None and clock.state not in (ClockState.MET, ClockState.WAIVED)
    state = state_text(clock, zone, now)
    due = due_text(clock, zone, now)
    if countdown.state is ClockState.BREACHED and countdown.overdue is not None:
        state = _credits(clock_state_label(ClockState.BREACHED), clock)
        due += f", {ago_text(countdown.overdue)}"
    return ClockText(
        cycle=cycle_text(clock),
        target=target_text(target, policy),
        percent=percent,
        used=used,
        state=state,
        due=due,
        due_in_full=instant_text(clock.due, zone) if shows_due and clock.due else "",
        left=_left_text(countdown),
        history=history_text(clock, zone, now),
        level=countdown.level(thresholds),
        breached=clock.state is ClockState.BREACHED,
    )


def cycle_text(clock: SlaClock) -> str:
    """``update #3``: always for periodic updates, from the second cycle for escalations."""
    noun = RECURRING.get(clock.metric)
    if noun is None or (clock.metric is not Metric.PERIODIC_UPDATE and clock.cycle <= 1):
        return ""
    return f"{words.tr(noun)} #{clock.cycle}"


def state_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    """Where the clock stands, with why it is not moving; a breached clock with its lateness
    (``breached, overdue 2h 05m (business time)``), when it stopped (``breached, stopped
    yesterday 14:05, overdue ...``) and the service credits it earned."""
    state = clock.state
    if state is ClockState.RUNNING:
        return clock_state_label(state)
    if state in (ClockState.WAITING, ClockState.PAUSED):
        calendar_zone = clock.calendar.timezone if clock.calendar is not None else None
        reason = countdown_reason(countdown_of(clock, now), calendar_zone, now)
        if state is ClockState.WAITING:
            return words.tr("waiting: {reason}").format(reason=reason)
        return reason
    if state is ClockState.MET:
        if clock.stopped_at:
            return words.tr("met {when}").format(when=when_text(clock.stopped_at, zone, now))
        return clock_state_label(state)
    if state is ClockState.BREACHED:
        remaining = clock.remaining
        text = clock_state_label(state)
        if clock.stopped_at is not None:
            stopped = when_text(clock.stopped_at, zone, now)
            text += ", " + words.tr("stopped {when}").format(when=stopped)
        if remaining is not None:
            text += f", {overdue_text(remaining, seconds=clock.stopped_at is None)}"
        return _credits(text, clock)
    if state is ClockState.WAIVED:
        reason = clock.waiver_reason or (clock.waiver.name if clock.waiver else "")
        if reason:
            return words.tr("waived: {reason}").format(reason=reason)
        return clock_state_label(state)
    if state is ClockState.BEST_EFFORT:
        return words.tr(BEST_EFFORT)
    return words.tr(NO_TIMED_TARGET)


def _credits(text: str, clock: SlaClock) -> str:
    days = clock.service_credit_days
    if days > 0:
        text += " · " + words.tr("%n service-credit day(s)", "", days)
    return text


def due_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    """``due tomorrow 09:30`` (``was due last Mon 09:30`` once breached); empty once met or
    waived."""
    if clock.due is None or clock.state in (ClockState.MET, ClockState.WAIVED):
        return ""
    when = when_text(clock.due, zone, now)
    if clock.state is ClockState.BREACHED:
        return words.tr("was due {when}").format(when=when)
    return words.tr("due {when}").format(when=when)


def _left_text(countdown: Countdown) -> str:
    if countdown.state is ClockState.BREACHED:
        # Only while it counts: a breached clock that stopped says its lateness in its state.
        if countdown.overdue is None or countdown.left is None:
            return ""
        return overdue_text(-countdown.left, labelled=False)
    if countdown.left is not None and countdown.state in (
        ClockState.RUNNING,
        ClockState.WAITING,
        ClockState.PAUSED,
    ):
        # The clocks' heading says business time ("SLA clocks · business time").
        return left_text(countdown.left, labelled=False)
    return ""


def earlier_breaches(clock: SlaClock) -> Sequence[Breach]:
    """Breaches before the current one: earlier cycles or severities (the last is current
    while the clock is breached)."""
    return clock.breaches[:-1] if clock.state is ClockState.BREACHED else clock.breaches


def history_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    """``breached earlier: last Fri 14:32 under S1, overdue 2h 05m (business time)``, with
    the cycle where it is another (``breached earlier (update #2): ...``), a line each."""
    noun = RECURRING.get(clock.metric)
    lines = []
    for breach in earlier_breaches(clock):
        head = words.tr("breached earlier")
        if noun and breach.cycle != clock.cycle:
            head += f" ({words.tr(noun)} #{breach.cycle})"
        lines.append(
            words.tr("{head}: {when} under S{severity}, {overdue}").format(
                head=head,
                when=when_text(breach.at, zone, now),
                severity=breach.severity,
                overdue=overdue_text(breach.overrun, seconds=False),
            )
        )
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
