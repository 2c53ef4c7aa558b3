"""Desktop notifications when my tickets' clocks cross a warning threshold: which to raise is
decided by :class:`console.services.warnings.ThresholdWatch`; here they are shown in the
system tray, and :class:`NotificationScheduler` decides when my rows need a look.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from console.domain.queue import ClockState
from console.qt.timers import named_timer
from console.services.queue import QueueRow
from console.services.warnings import MAX_SEPARATE, Notification, ShowFunction, ThresholdWatch

__all__ = [
    "MAX_SEPARATE",
    "Notification",
    "NotificationScheduler",
    "ShowFunction",
    "ThresholdNotifier",
]

_SHOW_MS = 10_000


class ThresholdNotifier(ThresholdWatch):
    """A :class:`ThresholdWatch` that shows its warnings in the system tray (or with
    ``show``, in tests)."""

    _tray: QSystemTrayIcon | None = None
    _tray_checked = False

    # ------------------------------------------------------------------ the system tray

    def show_elsewhere(self, title: str, message: str, level: int) -> None:
        """Show in the system tray when there is one; else nothing."""
        if not self._tray_checked:
            self._tray_checked = True
            if QApplication.instance() is not None and QSystemTrayIcon.isSystemTrayAvailable():
                self._tray = QSystemTrayIcon(_app_icon())
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
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.now = now
        self._mine: dict[str, QueueRow] = {}
        self._checks: list[tuple[datetime, str, int]] = []  # a heap of (when, key, version)
        self.timer = named_timer(self, "notificationTimer", 1000, self.look, single_shot=True)

    @property
    def mine(self) -> dict[str, QueueRow]:
        return dict(self._mine)

    def next_check(self) -> datetime | None:
        return self._checks[0][0] if self._checks else None

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        """All open rows (a fresh load): keep mine, and look at them when the timer next
        fires (at least a second later): a load's rows are shown first, and a look at
        thousands of rows (two countdowns each) waits until they are."""
        me = self.notifier.me
        self._mine = {r.key: r for r in rows if me is not None and r.ticket.assignee == me}
        now = self.now()
        self._checks = [(now, r.key, r.ticket.version) for r in self._mine.values()]
        heapq.heapify(self._checks)
        self._arm(now)

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
        now = self.now()
        due = []
        while self._checks and self._checks[0][0] <= now:
            _, key, version = heapq.heappop(self._checks)
            row = self._mine.get(key)
            if row is not None and row.ticket.version == version:
                due.append(row)
        self._look_at(due)

    def _look_at(self, rows: list[QueueRow]) -> None:
        now = self.now()
        if rows:
            self.notifier.check(rows, now)
        thresholds = self.notifier.thresholds
        for row in rows:
            cd = row.countdown(now)
            target = row.ticket.summary.target
            if cd.state not in (ClockState.RUNNING, ClockState.WAITING) or cd.left is None:
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
