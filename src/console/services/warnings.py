"""Which warnings to raise when my tickets' clocks cross a threshold (DESIGN.md, "Warnings":
one notification per clock per threshold), decided without Qt; the console shows them in
the system tray (console.qt.notifications).

:class:`ThresholdWatch` is told the queue rows now and then; it looks only at the rows
assigned to me and remembers, per ticket, which clock leads (its metric) and the highest
level already announced, so each level of each clock is announced once. Checking costs one
countdown per row of mine (microseconds each).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from console.domain.model import Metric, Ticket
from console.domain.queue import DEFAULT_THRESHOLDS, ClockState, Countdown
from console.services import words
from console.services.labels import metric_name
from console.services.queue import QueueRow
from console.services.texts import left_text, overdue_text

__all__ = [
    "MAX_SEPARATE",
    "Notification",
    "ShowFunction",
    "ThresholdWatch",
    "threshold_problem",
]

ShowFunction = Callable[[str, str, int], None]
"""Shows one notification: title, message and level (1.. for the thresholds crossed,
``len(thresholds) + 1`` for a breach)."""

MAX_SEPARATE = 3
"""More notifications than this from one check (say, at start-up) become one summary."""

_COUNTING = frozenset({ClockState.RUNNING, ClockState.WAITING, ClockState.BREACHED})
_RECURRING = frozenset({Metric.PERIODIC_UPDATE, Metric.ESCALATION_RESPONSE})
_TITLE_CHARS = 80


def threshold_problem(values: Sequence[float]) -> str | None:
    """Why ``values`` are not usable warning thresholds, or None: three fractions strictly
    increasing, each strictly between 0 and 1."""
    if len(values) != len(DEFAULT_THRESHOLDS):
        return words.tr("there must be {wanted} thresholds, not {count}").format(
            wanted=len(DEFAULT_THRESHOLDS), count=len(values)
        )
    if any(not 0.0 < v < 1.0 for v in values):
        return words.tr("each threshold must be more than 0 % and less than 100 %")
    if any(b <= a for a, b in pairwise(values)):
        return words.tr("each threshold must be higher than the one before")
    return None


@dataclass(frozen=True, slots=True)
class Notification:
    key: str
    level: int
    title: str
    message: str


@dataclass(slots=True)
class _Seen:
    """What was last seen of a ticket's leading clock."""

    metric: Metric
    severity: int
    due: datetime | None
    announced: int  # the highest level announced (or passed over) for this clock


class ThresholdWatch:
    """Decides which threshold notifications to raise for my tickets, and raises each once.

    A clock is told apart by its ticket and metric: when another metric leads, it is a new
    clock. A recurring clock (periodic update, escalation) that restarts keeps its metric;
    it counts as new when its due instant moves later, at the same severity, to a level
    below the one announced. A level that drops for other reasons (a severity downgrade)
    and is reached again is not announced again.

    When several levels are crossed at once only the highest is announced. Changing the
    thresholds or turning notifications back on announces nothing for levels already
    crossed at the next check; a ticket seen for the first time announces its level.
    """

    def __init__(
        self,
        me: str | None,
        thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
        show: ShowFunction | None = None,
    ) -> None:
        self._me = me
        self._thresholds = self._checked(thresholds)
        self._show: ShowFunction = show if show is not None else self.show_elsewhere
        self._enabled = True
        self._prime = False
        self._seen: dict[str, _Seen] = {}

    def show_elsewhere(self, title: str, message: str, level: int) -> None:
        """Where warnings go when no ``show`` was given: nowhere here (the console's
        subclass shows them in the system tray)."""

    # ------------------------------------------------------------------ settings

    @property
    def me(self) -> str | None:
        return self._me

    @property
    def thresholds(self) -> tuple[float, ...]:
        return self._thresholds

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_me(self, name: str | None) -> None:
        """Whose tickets to watch; forgets what was announced for someone else's."""
        if name != self._me:
            self._me = name
            self._seen.clear()

    def set_thresholds(self, thresholds: Sequence[float]) -> None:
        """New thresholds (ValueError if unusable); levels already crossed stay quiet."""
        checked = self._checked(thresholds)
        if checked != self._thresholds:
            self._thresholds = checked
            self._seen.clear()
            self._prime = True

    def set_enabled(self, enabled: bool) -> None:
        """Turn notifications off or on; on again, levels crossed meanwhile stay quiet."""
        if enabled and not self._enabled:
            self._prime = True
        self._enabled = enabled

    @staticmethod
    def _checked(thresholds: Sequence[float]) -> tuple[float, ...]:
        values = tuple(float(t) for t in thresholds)
        problem = threshold_problem(values)
        if problem is not None:
            raise ValueError(f"thresholds {values!r}: {problem}")
        return values

    # ------------------------------------------------------------------ checking

    def check(self, rows: Iterable[QueueRow], now: datetime) -> list[tuple[str, str]]:
        """Raise the notifications due for my ``rows`` at ``now``; the (title, message)
        pairs raised."""
        me = self._me
        if not self._enabled or me is None:
            return []
        prime, self._prime = self._prime, False
        found: list[Notification] = []
        for row in rows:
            ticket = row.ticket
            if ticket.assignee != me:
                continue
            metric = ticket.summary.metric
            if metric is None:
                continue
            cd = row.countdown(now)
            if cd.state not in _COUNTING:
                continue
            level = cd.level(self._thresholds)
            seen = self._seen.get(ticket.key)
            if seen is None or self._new_clock(seen, ticket, metric, level):
                seen = _Seen(metric, ticket.severity, ticket.next_due_at, 0)
                self._seen[ticket.key] = seen
            else:
                seen.severity = ticket.severity
                seen.due = ticket.next_due_at
            if level > seen.announced:
                seen.announced = level
                if not prime:
                    found.append(self._describe(row, cd, level))
        return self._raise(found)

    @staticmethod
    def _new_clock(seen: _Seen, ticket: Ticket, metric: Metric, level: int) -> bool:
        """Whether the ticket's leading clock is not the one ``seen``: another metric leads,
        or a recurring clock restarted (due later, same severity, back below its level)."""
        if metric is not seen.metric:
            return True
        due = ticket.next_due_at
        return (
            metric in _RECURRING
            and ticket.severity == seen.severity
            and due is not None
            and seen.due is not None
            and due > seen.due
            and level < seen.announced
        )

    def _describe(self, row: QueueRow, cd: Countdown, level: int) -> Notification:
        ticket = row.ticket
        if level > len(self._thresholds):
            title = words.tr("{key} breached").format(key=ticket.key)
        else:
            title = words.tr("{key} at {percent} % of its target").format(
                key=ticket.key, percent=f"{self._thresholds[level - 1] * 100:g}"
            )
        if cd.state is ClockState.BREACHED and cd.left is not None:
            when = overdue_text(-cd.left, seconds=False)
        elif cd.left is not None:
            when = left_text(cd.left, seconds=False)
        else:
            when = ""
        name = ticket.title
        if len(name) > _TITLE_CHARS:
            name = name[: _TITLE_CHARS - 1].rstrip() + "…"
        metric = metric_name(ticket.summary.metric) if ticket.summary.metric else ""
        message = " · ".join(part for part in (name, metric, when) if part)
        return Notification(ticket.key, level, title, message)

    def _raise(self, found: list[Notification]) -> list[tuple[str, str]]:
        if not found:
            return []
        shown: list[tuple[str, int, str]] = []
        if len(found) <= MAX_SEPARATE:
            shown = [(n.title, n.level, n.message) for n in found]
        else:
            found.sort(key=lambda n: (-n.level, n.key))
            breaches = len(self._thresholds) + 1
            parts = [
                words.tr("{key} breached").format(key=n.key)
                if n.level == breaches
                else f"{n.key} {self._thresholds[n.level - 1] * 100:g} %"
                for n in found
            ]
            title = words.tr("%n of your tickets need attention", "", len(found))
            shown = [(title, found[0].level, ", ".join(parts))]
        for title, level, message in shown:
            self._show(title, message, level)
        return [(title, message) for title, _, message in shown]
