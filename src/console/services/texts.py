"""Every duration, countdown and instant the console shows, put into words in one place.

The queue, the detail pane, the handover board and its exports, the reports and the
command line all call these, so "2d 4h", "closed until Mon 09:00 PST" and "Fri 4 Dec 15:02"
read the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from console.domain.policy import format_duration
from console.domain.queue import ClockState, Countdown

NO_CLOCK_TEXT = "\u2014"


def format_span(value: timedelta, *, seconds: bool = True) -> str:
    """``2d 4h``, ``3h 05m``, ``12m 09s`` (``12m`` without seconds); never negative."""
    total = int(abs(value).total_seconds())
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if seconds else f"{minutes}m"


def _short_time(moment: datetime, zone: tzinfo, now: datetime) -> str:
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    day = "" if local.date() == today else f"{local:%a} "
    if abs((local.date() - today).days) > 6:
        day = f"{local:%d %b} "
    return f"{day}{local:%H:%M} {local.tzname()}"


def countdown_text(cd: Countdown) -> str:
    """The countdown column: business time left, or time overdue counting up."""
    if cd.state is ClockState.BREACHED and cd.overdue is not None:
        return f"+{format_span(cd.overdue)} overdue"
    if cd.left is not None and cd.state in (
        ClockState.RUNNING,
        ClockState.WAITING,
        ClockState.PAUSED,
    ):
        return format_span(cd.left)
    return {
        ClockState.BEST_EFFORT: "best effort",
        ClockState.NO_TARGET: "no timed target",
        ClockState.DONE: "—",
    }.get(cd.state, "")


def countdown_reason(cd: Countdown, calendar_zone: tzinfo | None, now: datetime) -> str:
    """Why a clock is not moving: "closed until Mon 09:00 PST", "paused: awaiting customer"."""
    if cd.state is ClockState.WAITING:
        if cd.resumes_at is None or calendar_zone is None:
            return "closed"
        return f"closed until {_short_time(cd.resumes_at, calendar_zone, now)}"
    if cd.state is ClockState.PAUSED:
        return f"paused: {cd.paused_by.label}" if cd.paused_by else "paused"
    return ""


def countdown_line(cd: Countdown, calendar_zone: tzinfo | None, now: datetime) -> str:
    """The countdown and why its clock stands still, if it does: ``1h 00m · closed until
    09:00 PST`` (the reason in the zone of the clock's calendar)."""
    text = countdown_text(cd)
    reason = countdown_reason(cd, calendar_zone, now)
    return f"{text} \u00b7 {reason}" if reason and text else (text or reason)


def due_text(cd: Countdown, zone: tzinfo, now: datetime) -> str:
    """The due instant in the agent's time zone."""
    return _short_time(cd.due, zone, now) if cd.due is not None else ""


def day_text(day: date, *, year: bool = False) -> str:
    """``Fri 4 Dec`` (``Fri 4 Dec 2026`` with ``year``)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def day_time_text(moment: datetime, zone: tzinfo) -> str:
    """``Fri 4 Dec 15:02`` in ``zone``."""
    local = moment.astimezone(zone)
    return f"{day_text(local.date())} {local:%H:%M}"


def instant_text(moment: datetime, zone: tzinfo) -> str:
    """``Fri 4 Dec 2026 15:02 CET``: an instant in full, in ``zone``."""
    local = moment.astimezone(zone)
    return f"{day_text(local.date(), year=True)} {local:%H:%M} {local.tzname() or ''}".rstrip()


def time_text(moment: datetime, zone: tzinfo, now: datetime) -> str:
    """``15:02 CET`` today, ``Fri 15:02 CET`` within a week, ``04 Dec 15:02 CET`` else."""
    return _short_time(moment, zone, now)


__all__ = [
    "NO_CLOCK_TEXT",
    "countdown_line",
    "countdown_reason",
    "countdown_text",
    "day_text",
    "day_time_text",
    "due_text",
    "format_duration",
    "format_span",
    "instant_text",
    "time_text",
]
