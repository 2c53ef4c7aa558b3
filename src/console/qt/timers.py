"""Named timers: every timer of the console has an object name, so tests find and fire it
(``findChild(QTimer, name)``) instead of waiting, and a profile says which one ran."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def named_timer(
    parent: QObject,
    name: str,
    interval_ms: int,
    slot: Callable[[], object],
    *,
    single_shot: bool = False,
) -> QTimer:
    """A stopped timer called ``name`` under ``parent`` that calls ``slot`` every
    ``interval_ms`` milliseconds (once per start when ``single_shot``)."""
    timer = QTimer(parent)
    timer.setObjectName(name)
    timer.setInterval(interval_ms)
    timer.setSingleShot(single_shot)
    timer.timeout.connect(slot)
    return timer
