"""What an action will do to a ticket's clocks, said before it is done.

An action that stops or lifts a clock (an RCA delivered, a waiver, a resolution) is asked
once, saying what it changes: "stops Preliminary RCA, due Tue 14:00 CET: met". The answer
comes from the clock code itself: the ticket's clocks now, and with the action's event
added at the same instant, compared clock by clock (no second computation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from console.domain.model import EventKind, Metric, TicketEvent
from console.domain.sla import ClockState, SlaClock
from console.services import words
from console.services.clock_text import cycle_text, due_text, state_text
from console.services.labels import clock_state_label, metric_label
from console.services.queue import TicketDetail

__all__ = ["ClockEffect", "clock_effects", "effects_text"]

_OUTCOMES = frozenset({ClockState.MET, ClockState.BREACHED, ClockState.WAIVED})
_COUNTING = frozenset({ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED})


@dataclass(frozen=True, slots=True)
class ClockEffect:
    """One clock the action stops, lifts or starts, in words."""

    metric: Metric
    cycle: str  # "update #3", or ""
    verb: str  # "stops", "lifts", "starts" (in the console's language)
    due: str  # "due Tue 14:00 CET", or ""
    outcome: str  # "met", "breached", "waived", or where it stands

    @property
    def line(self) -> str:
        """``stops Preliminary RCA, due Tue 14:00 CET: met``."""
        name = metric_label(self.metric) + (f" ({self.cycle})" if self.cycle else "")
        due = f", {self.due}" if self.due else ""
        return f"{self.verb} {name}{due}: {self.outcome}"


def _key(clock: SlaClock) -> tuple[Metric, int]:
    return clock.metric, clock.cycle


def clock_effects(
    detail: TicketDetail,
    kind: EventKind,
    data: Mapping[str, Any],
    now: datetime,
    zone: tzinfo,
) -> tuple[ClockEffect, ...]:
    """The clocks of ``detail``'s ticket that an event of ``kind`` with ``data`` at ``now``
    would stop, lift or start."""
    before = {_key(c): c for c in detail.clocks(now)}
    event = TicketEvent(kind, now, dict(data), None)
    customer = detail.row.customer
    after = {_key(c): c for c in detail.book.clocks(customer, (*detail.events, event), now)}
    effects: list[ClockEffect] = []
    for key, old in before.items():
        new = after.get(key)
        if old.state not in _COUNTING:
            continue
        if new is None or new.state is ClockState.WAIVED:
            verb = words.tr("lifts")
        elif new.state not in _COUNTING:
            verb = words.tr("stops")
        else:
            continue
        if new is None:
            outcome = words.tr("no longer counts")
        else:
            outcome = clock_state_label(new.state) if new.state in _OUTCOMES else ""
        effects.append(
            ClockEffect(
                old.metric,
                cycle_text(old),
                verb,
                due_text(old, zone, now),
                outcome or state_text(new, zone, now) if new is not None else outcome,
            )
        )
    for key, new in after.items():
        if key not in before and new.state in _COUNTING:
            effects.append(
                ClockEffect(
                    new.metric, cycle_text(new), words.tr("starts"), due_text(new, zone, now), ""
                )
            )
    return tuple(effects)


def effects_text(effects: tuple[ClockEffect, ...]) -> str:
    """The effects a line each, or that no clock changes."""
    if not effects:
        return words.tr("No SLA clock changes.")
    return "\n".join(e.line[:1].upper() + e.line[1:] for e in effects)
