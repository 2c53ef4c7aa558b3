"""The handover board's words, shared by the board view and its exports: a window, a
countdown with the reason it stands still, the last handover, the shift chooser's labels.

Durations, countdowns and instants come from :mod:`console.services.texts`; what is here
puts them together the way the handover needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from console.domain.model import Handover
from console.domain.queue import Countdown
from console.services import texts
from console.services.handover import BoardRow, Shift
from console.services.texts import day_text, time_text

__all__ = [
    "UNASSIGNED",
    "countdown_line",
    "handover_text",
    "hours_label",
    "plural",
    "shift_label",
    "span_text",
]

UNASSIGNED = "Unassigned"
DASH = "\u2013"  # an en dash, between the ends of a window


def plural(count: int, noun: str) -> str:
    """``1 ticket note``, ``3 ticket notes``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def span_text(start: datetime, end: datetime, zone: tzinfo, *, year: bool = False) -> str:
    """The window ``[start, end)`` in ``zone``: ``Fri 20 Nov 15:30\u201323:30 CET``, the end's day
    when it is another (``Fri 20 Nov 22:00 \u2013 Sat 21 Nov 06:00 CET``), the start's zone name
    too when a DST change lies between them, the start's year with ``year``."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    opening = f"{day_text(first.date(), year=year)} {first:%H:%M}"
    if first.tzname() != last.tzname():
        opening += f" {first.tzname()}"
    if first.date() == last.date():
        return f"{opening}{DASH}{last:%H:%M} {last.tzname()}"
    return f"{opening} {DASH} {day_text(last.date())} {last:%H:%M} {last.tzname()}"


def countdown_line(row: BoardRow, countdown: Countdown, now: datetime) -> str:
    """A board row's countdown and why its clock stands still, if it does:
    ``1h 00m · closed until 09:00 PST``; the reason in the zone of the row's calendar."""
    calendar = row.row.calendar
    return texts.countdown_line(countdown, calendar.timezone if calendar else None, now)


def handover_text(
    handover: Handover | None, names: Mapping[str, str], zone: tzinfo, now: datetime
) -> str:
    """``Last handover by Ana Ortiz at 15:02 CET — acknowledged by Ben Adler at 15:10 CET``
    (instants as in the queue: the day when not today, relative to ``now``), or ``— not
    acknowledged yet``; display names from ``names``, by login."""
    if handover is None:
        return "No handover recorded yet"
    author = names.get(handover.author, handover.author)
    text = f"Last handover by {author} at {time_text(handover.created_at, zone, now)}"
    if handover.acknowledged_by is None:
        return f"{text} \u2014 not acknowledged yet"
    who = names.get(handover.acknowledged_by, handover.acknowledged_by)
    if handover.acknowledged_at is None:
        return f"{text} \u2014 acknowledged by {who}"
    seen = time_text(handover.acknowledged_at, zone, now)
    return f"{text} \u2014 acknowledged by {who} at {seen}"


def shift_label(shift: Shift) -> str:
    """``EMEA shift · 07:00\u201315:00 Zurich``: the shift's wall-clock hours in its own zone."""
    city = shift.zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{shift.name} shift \u00b7 {shift.start:%H:%M}{DASH}{shift.end:%H:%M} {city}"


def hours_label(hours: int) -> str:
    """``Next 8 hours``, ``Next 1 hour``."""
    return f"Next {plural(hours, 'hour')}"
