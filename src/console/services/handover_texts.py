"""The handover board's words, shared by the board view and its exports: a window, a
countdown with the reason it stands still, the last handover, the shift chooser's labels.

Durations, countdowns, instants and spans come from :mod:`console.services.texts`; what is
here puts them together the way the handover needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from console.domain.model import Handover
from console.domain.queue import Countdown
from console.services import texts, words
from console.services.handover import BoardRow, Shift
from console.services.texts import DASH, span_text, when_text

__all__ = [
    "UNASSIGNED",
    "board_countdown_tip",
    "countdown_line",
    "handover_text",
    "hours_label",
    "plural",
    "shift_label",
    "span_text",
]

# The owner of a ticket nobody owns, shown with words.tr(UNASSIGNED).
UNASSIGNED = words.QT_TR_NOOP("Unassigned")


def plural(count: int, noun: str) -> str:
    """``1 ticket note``, ``3 ticket notes``: English only (the command line's)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def countdown_line(
    row: BoardRow, countdown: Countdown, now: datetime, *, labelled: bool = False
) -> str:
    """A board row's countdown and why its clock stands still, if it does:
    ``1h 00m · closed until 09:00 PST``; the reason in the zone of the row's calendar
    (``labelled``: the lateness says it is business time, for exports)."""
    calendar = row.row.calendar
    zone = calendar.timezone if calendar else None
    return texts.countdown_line(countdown, zone, now, labelled=labelled)


def board_countdown_tip(row: BoardRow, countdown: Countdown, zone: tzinfo, now: datetime) -> str:
    """A board row's countdown tooltip: where it stood at the window's start, the due instant
    in full, where the time is counted, the share of the target used and the leading clock."""
    lines = []
    at_start = texts.countdown_text(row.countdown)
    if at_start:
        lines.append(words.tr("At the start of the window: {countdown}").format(countdown=at_start))
    queue_row = row.row
    summary = queue_row.ticket.summary
    calendar = queue_row.calendar
    counted_on = texts.counted_on_text(
        queue_row.policy, summary.calendar, calendar.timezone if calendar else None
    )
    lines += texts.countdown_tip(countdown, zone, now, counted_on)
    if summary.metric is not None:
        leading = texts.next_clock_text(queue_row.policy, summary)
        lines.append(words.tr("Leading clock: {clock}").format(clock=leading))
    return "\n".join(lines)


def handover_text(
    handover: Handover | None, names: Mapping[str, str], zone: tzinfo, now: datetime
) -> str:
    """``Last handover by Ana Ortiz, earlier today 15:02 — acknowledged by Ben Adler,
    earlier today 15:10`` (instants as in the queue, relative to ``now``), or ``— not
    acknowledged yet``; display names from ``names``, by login."""
    if handover is None:
        return words.tr("No handover recorded yet")
    author = names.get(handover.author, handover.author)
    text = words.tr("Last handover by {author}, {when}").format(
        author=author, when=when_text(handover.created_at, zone, now)
    )
    if handover.acknowledged_by is None:
        seen = words.tr("not acknowledged yet")
    else:
        who = names.get(handover.acknowledged_by, handover.acknowledged_by)
        if handover.acknowledged_at is None:
            seen = words.tr("acknowledged by {who}").format(who=who)
        else:
            when = when_text(handover.acknowledged_at, zone, now)
            seen = words.tr("acknowledged by {who}, {when}").format(who=who, when=when)
    return f"{text} \u2014 {seen}"


def shift_label(shift: Shift) -> str:
    """``EMEA shift · 07:00\u201315:00 Zurich``: the shift's wall-clock hours in its own zone."""
    city = shift.zone.rsplit("/", 1)[-1].replace("_", " ")
    hours = f"{shift.start:%H:%M}{DASH}{shift.end:%H:%M}"
    return words.tr("{shift} shift · {hours} {city}").format(
        shift=shift.name, hours=hours, city=city
    )


def hours_label(hours: int) -> str:
    """``Next 8 hours``, ``Next 1 hour``."""
    return words.tr("Next %n hour(s)", "", hours)
