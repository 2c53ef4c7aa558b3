"""Desktop notifications when my tickets' clocks cross a warning threshold (DESIGN.md,
"Warnings": one notification per clock per threshold).

:class:`ThresholdNotifier` is told the queue rows every second or so; it looks only at the
rows assigned to me and remembers, per ticket, which clock leads (its metric) and the
highest level already announced, so each level of each clock is announced once. Checking
costs one countdown per row of mine (microseconds each).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from console.domain.model import Metric, Ticket
from console.domain.queue import DEFAULT_THRESHOLDS, Countdown, LiveState
from console.qt.settings import threshold_problem
from console.services.queue import QueueRow
from console.services.texts import format_span

__all__ = [
    "MAX_SEPARATE",
    "Notification",
    "NotificationScheduler",
    "ShowFunction",
    "ThresholdNotifier",
]

ShowFunction = Callable[[str, str, int], None]
"""Shows one notification: title, message and level (1.. for the thresholds crossed,
``len(thresholds) + 1`` for a breach)."""

MAX_SEPARATE = 3
"""More notifications than this from one check (say, at start-up) become one summary."""

_COUNTING = frozenset({LiveState.RUNNING, LiveState.WAITING, LiveState.BREACHED})
_RECURRING = frozenset({Metric.PERIODIC_UPDATE, Metric.ESCALATION_RESPONSE})
_TITLE_CHARS = 80
_SHOW_MS = 10_000


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


class ThresholdNotifier(QObject):
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
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._me = me
        self._thresholds = self._checked(thresholds)
        self._show: ShowFunction = show if show is not None else self._tray_show
        self._enabled = True
        self._prime = False
        self._seen: dict[str, _Seen] = {}
        self._tray: QSystemTrayIcon | None = None
        self._tray_checked = False

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
            metric = ticket.clock.metric
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
            title = f"{ticket.key} breached"
        else:
            title = f"{ticket.key} at {self._thresholds[level - 1] * 100:g} % of its target"
        if cd.state is LiveState.BREACHED and cd.overdue is not None:
            when = f"{format_span(cd.overdue, seconds=False)} overdue"
        elif cd.left is not None:
            when = f"{format_span(cd.left, seconds=False)} left"
        else:
            when = ""
        name = ticket.title
        if len(name) > _TITLE_CHARS:
            name = name[: _TITLE_CHARS - 1].rstrip() + "…"
        metric = ticket.clock.metric.label.lower() if ticket.clock.metric else ""
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
                f"{n.key} breached"
                if n.level == breaches
                else f"{n.key} {self._thresholds[n.level - 1] * 100:g} %"
                for n in found
            ]
            title = f"{len(found)} of your tickets need attention"
            shown = [(title, found[0].level, ", ".join(parts))]
        for title, level, message in shown:
            self._show(title, message, level)
        return [(title, message) for title, _, message in shown]

    # ------------------------------------------------------------------ the system tray

    def _tray_show(self, title: str, message: str, level: int) -> None:
        """Show in the system tray when there is one; else nothing."""
        if not self._tray_checked:
            self._tray_checked = True
            if QApplication.instance() is not None and QSystemTrayIcon.isSystemTrayAvailable():
                self._tray = QSystemTrayIcon(_app_icon(), self)
                self._tray.setToolTip("Support Console")
                self._tray.show()
        if self._tray is None:
            return
        icon = (
            QSystemTrayIcon.MessageIcon.Critical
            if level > len(self._thresholds)
            else QSystemTrayIcon.MessageIcon.Warning
        )
        self._tray.showMessage(title, message, icon, _SHOW_MS)


def _app_icon() -> QIcon:
    icon = QApplication.windowIcon()
    if icon.isNull():
        icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    return icon


class NotificationScheduler(QObject):
    """When my tickets need the notifier's look, with a timer of its own (Vorta's
    ``scheduler.py`` is the model).

    It keeps my rows and, for each, the instant it next needs a look: business time never
    passes faster than wall time, so now plus the business time left to the next threshold
    (or to the due instant) is never too late. The timer is set for the earliest of these
    (at least a second away) and, when it fires, the rows due for a look are checked.
    """

    def __init__(
        self,
        notifier: ThresholdNotifier,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.clock = clock
        self._mine: dict[str, QueueRow] = {}
        self._checks: list[tuple[datetime, str, int]] = []  # a heap of (when, key, version)
        self.timer = QTimer(self)
        self.timer.setObjectName("notificationTimer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.look)

    @property
    def mine(self) -> dict[str, QueueRow]:
        return dict(self._mine)

    def next_check(self) -> datetime | None:
        return self._checks[0][0] if self._checks else None

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        """All open rows (a fresh load): keep mine and look at them."""
        me = self.notifier.me
        self._mine = {r.key: r for r in rows if me is not None and r.ticket.assignee == me}
        self._checks = []
        self._look_at(list(self._mine.values()))

    def update(self, rows: Iterable[QueueRow], gone: Iterable[str]) -> None:
        """Rows that changed (open) and keys that closed."""
        me = self.notifier.me
        for key in gone:
            self._mine.pop(key, None)
        changed = []
        for row in rows:
            if me is not None and row.ticket.assignee == me:
                self._mine[row.key] = row
                changed.append(row)
            else:
                self._mine.pop(row.key, None)
        self._look_at(changed)

    def look(self) -> None:
        """Check the rows whose planned look has come (the timer calls this)."""
        now = self.clock()
        due = []
        while self._checks and self._checks[0][0] <= now:
            _, key, version = heapq.heappop(self._checks)
            row = self._mine.get(key)
            if row is not None and row.ticket.version == version:
                due.append(row)
        self._look_at(due)

    def _look_at(self, rows: list[QueueRow]) -> None:
        now = self.clock()
        if rows:
            self.notifier.check(rows, now)
        thresholds = self.notifier.thresholds
        for row in rows:
            cd = row.countdown(now)
            target = row.ticket.clock.target
            if cd.state not in (LiveState.RUNNING, LiveState.WAITING) or cd.left is None:
                continue
            waits = [cd.left]
            if target and cd.fraction is not None:
                waits += [
                    (limit - cd.fraction) * target for limit in thresholds if limit > cd.fraction
                ]
            wait = max(min(waits), timedelta(seconds=1))
            heapq.heappush(self._checks, (now + wait, row.key, row.ticket.version))
        self._arm(now)

    def _arm(self, now: datetime) -> None:
        upcoming = self.next_check()
        if upcoming is None:
            self.timer.stop()
            return
        wait_ms = (upcoming - now) / timedelta(milliseconds=1)
        self.timer.start(int(min(max(wait_ms, 1_000.0), 3_600_000.0)))
