"""A policy's maintenance windows of the coming days in words, and how long that stays true
(the detail pane rebuilds the list only when a window starts or ends, or a new one comes
within the horizon)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from console.domain.policy import MaintenanceWindow
from console.services.texts import instant_text, span_text

MAINTENANCE_HORIZON = timedelta(days=7)
NO_WINDOW_TEXT = "No maintenance window in the next 7 days."


@dataclass(frozen=True, slots=True)
class MaintenanceLine:
    """One occurrence of a window: ``text`` in the window's own zone, ``in_your_zone`` the
    same span in the agent's zone, with the clause of the policy that sets the window."""

    text: str  # "Europe (z2.le.liveperson.net): Sun 22 Nov 06:00\u201310:00 GMT — in progress"
    in_your_zone: str  # "Sun 22 Nov 2026 07:00 CET to Sun 22 Nov 2026 11:00 CET"
    clause: str
    quote: str
    in_progress: bool


@dataclass(frozen=True, slots=True)
class MaintenanceOutlook:
    """The occurrences overlapping ``[now, now + horizon)`` by start, for every ``now`` in
    ``[since, until)``."""

    lines: tuple[MaintenanceLine, ...]
    since: datetime
    until: datetime

    def holds_at(self, now: datetime) -> bool:
        return self.since <= now < self.until


def maintenance_outlook(
    windows: Sequence[MaintenanceWindow],
    now: datetime,
    zone: tzinfo,
    horizon: timedelta = MAINTENANCE_HORIZON,
) -> MaintenanceOutlook:
    """The windows overlapping ``[now, now + horizon)`` at ``now``, spans also in ``zone``."""
    found = sorted(
        ((a, b, window) for window in windows for a, b in window.occurrences(now, now + horizon)),
        key=lambda item: (item[0], item[2].region),
    )
    # True until a window starts or ends, or the next one comes within the horizon.
    changes = [t for a, b, _ in found for t in (a, b) if t > now]
    end = now + horizon
    later = [
        a - horizon
        for window in windows
        for a, _ in window.occurrences(end, end + horizon)
        if a >= end
    ]
    until = min([*changes, *later], default=now + timedelta(hours=1))
    lines = tuple(_line(start, stop, window, now, zone) for start, stop, window in found)
    return MaintenanceOutlook(lines, now, until)


def _line(
    start: datetime, end: datetime, window: MaintenanceWindow, now: datetime, zone: tzinfo
) -> MaintenanceLine:
    active = start <= now < end
    where = f"{window.region} ({window.servers})" if window.servers else window.region
    own = start.tzinfo
    assert own is not None
    text = f"{where}: {span_text(start, end, own)}"
    if active:
        text += " — in progress"
    return MaintenanceLine(
        text,
        f"{instant_text(start, zone)} to {instant_text(end, zone)}",
        window.source.clause,
        window.source.quote,
        active,
    )


__all__ = [
    "MAINTENANCE_HORIZON",
    "NO_WINDOW_TEXT",
    "MaintenanceLine",
    "MaintenanceOutlook",
    "maintenance_outlook",
]
