"""Shift handover: what breaches next, in the sections a handover reviews, and the record of
who handed over to whom.

The board reads the same queue rows the console shows (each ticket's leading clock, cached
with ``next_due_at``), so the board and the queue never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from console.adapters.repository import UnitOfWork
from console.domain.model import Handover
from console.domain.queue import ClockState, Countdown
from console.services import words
from console.services.queue import QueueRow, load_rows
from console.services.tickets import PolicyBook

DEFAULT_HOURS = 8


@dataclass(frozen=True, slots=True)
class Shift:
    """A named shift, such as EMEA 07:00-15:00 Europe/Zurich (an end before the start ends the
    next day)."""

    name: str
    start: time
    end: time
    zone: str

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The shift in progress at ``now``, else the next one: ``[start, end)`` in UTC."""
        zone = ZoneInfo(self.zone)
        today = now.astimezone(zone).date()
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            begin = datetime.combine(day, self.start, zone)
            end_day = day + timedelta(days=1) if self.end <= self.start else day
            finish = datetime.combine(end_day, self.end, zone)
            if now < finish:
                return begin.astimezone(ZoneInfo("UTC")), finish.astimezone(ZoneInfo("UTC"))
        raise AssertionError("a shift recurs daily")


DEFAULT_SHIFTS = (
    Shift("EMEA", time(7), time(15), "Europe/Zurich"),
    Shift("AMER", time(15), time(23), "America/Los_Angeles"),
    Shift("APAC", time(8), time(16), "Australia/Sydney"),
)


class Section(StrEnum):
    BREACHED = "breached"
    WILL_BREACH = "will_breach"
    RESUMING = "resuming"
    PAUSED = "paused"
    UNASSIGNED = "unassigned"

    @property
    def heading(self) -> str:
        """The section's title in the console's language."""
        return words.tr(_HEADINGS[self])


_HEADINGS = {
    Section.BREACHED: words.QT_TR_NOOP("Already breached"),
    Section.WILL_BREACH: words.QT_TR_NOOP("Will breach during the window"),
    Section.RESUMING: words.QT_TR_NOOP("Waiting clocks that resume during the window"),
    Section.PAUSED: words.QT_TR_NOOP("Paused: awaiting the customer"),
    Section.UNASSIGNED: words.QT_TR_NOOP("Unassigned"),
}


@dataclass(frozen=True, slots=True)
class BoardRow:
    row: QueueRow
    countdown: Countdown  # at the start of the window
    when: datetime | None  # breach instant (WILL_BREACH), resume instant (RESUMING)
    note: str = ""

    @property
    def key(self) -> str:
        return self.row.key


@dataclass(frozen=True, slots=True)
class HandoverBoard:
    """The board of a window ``[start, end)``; a ticket appears in each section it belongs to."""

    start: datetime
    end: datetime
    sections: Mapping[Section, tuple[BoardRow, ...]]
    last: Handover | None = None
    notes: Mapping[str, str] = field(default_factory=dict)

    def keys(self, section: Section) -> list[str]:
        return [r.key for r in self.sections[section]]


def build_board(
    rows: Sequence[QueueRow],
    start: datetime,
    end: datetime,
    *,
    last: Handover | None = None,
) -> HandoverBoard:
    """The sections of a handover board over ``[start, end)`` from queue rows."""
    notes = dict(last.ticket_notes) if last is not None else {}
    found: dict[Section, list[BoardRow]] = {s: [] for s in Section}
    for row in rows:
        cd = row.countdown(start)
        note = notes.get(row.key, "")
        due = row.ticket.next_due_at
        if cd.state is ClockState.BREACHED:
            found[Section.BREACHED].append(BoardRow(row, cd, due, note))
        elif (
            due is not None
            and start <= due < end
            and cd.state in (ClockState.RUNNING, ClockState.WAITING)
        ):
            found[Section.WILL_BREACH].append(BoardRow(row, cd, due, note))
        if (
            cd.state is ClockState.WAITING
            and cd.resumes_at is not None
            and (start <= cd.resumes_at < end)
        ):
            found[Section.RESUMING].append(BoardRow(row, cd, cd.resumes_at, note))
        if cd.state is ClockState.PAUSED:
            found[Section.PAUSED].append(BoardRow(row, cd, None, note))
        if row.ticket.assignee is None:
            found[Section.UNASSIGNED].append(BoardRow(row, cd, due, note))

    def by_instant(r: BoardRow) -> tuple[float, str]:
        return (r.when.timestamp() if r.when is not None else 0.0, r.key)

    def by_queue(r: BoardRow) -> tuple[int, float, str]:
        return r.row.order()

    timed = (Section.WILL_BREACH, Section.RESUMING)
    sections = {
        s: tuple(sorted(items, key=by_instant if s in timed else by_queue))
        for s, items in found.items()
    }
    return HandoverBoard(start, end, sections, last, notes)


def load_board(uow: UnitOfWork, book: PolicyBook, start: datetime, end: datetime) -> HandoverBoard:
    """The board of ``[start, end)``, read inside the open ``uow``."""
    return build_board(load_rows(uow, book), start, end, last=uow.handovers.latest())


def window_for(
    now: datetime,
    *,
    hours: int | None = None,
    shift: Shift | None = None,
) -> tuple[datetime, datetime]:
    """The next ``hours`` (default 8) from ``now``, or a named shift's window."""
    if shift is not None:
        return shift.window(now)
    return now, now + timedelta(hours=hours or DEFAULT_HOURS)


def shift_named(name: str, shifts: Sequence[Shift] = DEFAULT_SHIFTS) -> Shift:
    for shift in shifts:
        if shift.name.lower() == name.lower():
            return shift
    raise KeyError(f"no shift {name!r} (shifts: {', '.join(s.name for s in shifts)})")
