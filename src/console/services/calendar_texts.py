"""A policy's calendars in words, for the calendars dialog: weekly hours, the closed days of
a year, the clock changes ahead, maintenance windows, due instants, the presences in force
and the count of due instants a holiday or presence edit moves. Dates and instants are put
into words by :mod:`console.services.texts`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from console.domain.calendar import WEEKDAYS, ClosedDay, clock_changes
from console.domain.calendar_spec import presence_countries, presence_subdivisions
from console.domain.model import Presence
from console.domain.policy import CompanyPeriod, MaintenanceWindow, Policy, Source
from console.services import words
from console.services.texts import (
    NO_VALUE,
    day_text,
    day_time_text,
    file_changed_text,
    format_duration,
    instant_text,
    span_text,
    when_text,
)
from console.services.texts import (
    WEEKDAYS as DAY_NAMES,
)

__all__ = [
    "CLOCK_CHANGE_HORIZON",
    "COUNTING_TEXT",
    "MAINTENANCE_HORIZON",
    "CalendarRow",
    "calendar_rows",
    "clock_change_line",
    "closed_day_lines",
    "default_presences",
    "due_line",
    "hours_text",
    "maintenance_next_text",
    "moves_text",
    "offset_text",
    "plural",
    "policy_subtitle",
    "presence_name",
    "presences_text",
    "source_tip",
    "weekly_text",
]

COUNTING_TEXT = words.QT_TR_NOOP("counting…")  # shown with words.tr(COUNTING_TEXT)
CLOCK_CHANGE_HORIZON = timedelta(days=365)
MAINTENANCE_HORIZON = timedelta(days=8)  # a weekly window always occurs within this


def plural(count: int, one: str, many: str) -> str:
    """``1 day``, ``3 days``: English only (the command line's)."""
    return f"{count} {one if count == 1 else many}"


def _day_name(day: str) -> str:
    """``Mon`` for a calendar's ``mon``, in the console's language."""
    return words.tr(DAY_NAMES[WEEKDAYS.index(day)])


def offset_text(value: timedelta | None) -> str:
    """``UTC-08:00``, ``UTC+05:30``, ``UTC+00:00``."""
    minutes = int((value or timedelta(0)).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def source_tip(clause: str, quote: str) -> str:
    """A tooltip quoting the contract: the clause in italics, then the words."""
    return f"<p><i>{html.escape(clause)}</i>: “{html.escape(quote)}”</p>"


def _source_tip(source: Source | None) -> str:
    return "" if source is None else source_tip(source.clause, source.quote)


def policy_subtitle(policy: Policy, zone: tzinfo, now: datetime) -> str:
    """``Support Services · effective October 6, 2023 · policy file changed on 8 Dec``: the
    policy's name, the date its document takes effect and when its file last changed (the
    day in ``zone``). The file's name carries a hash and is not shown."""
    parts = [policy.name]
    if policy.effective:
        parts.append(words.tr("effective {date}").format(date=policy.effective))
    changed = file_changed_text(policy, zone, now)
    if changed:
        parts.append(changed)
    return " \u00b7 ".join(parts)


def hours_text(spec: Mapping[str, object]) -> str:
    """A calendar spec's weekly hours, compact: ``Mon-Fri 09:00-18:00``, ``Daily 24h``."""
    raw = spec.get("hours", {})
    hours: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    groups: list[tuple[list[str], tuple[str, ...]]] = []
    for day in WEEKDAYS:
        value = hours.get(day, [])
        intervals = tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()
        if groups and groups[-1][1] == intervals:
            groups[-1][0].append(day)
        else:
            groups.append(([day], intervals))
    parts = []
    for days, intervals in groups:
        if not intervals:
            continue
        if len(days) == 7:
            name = words.tr("Daily")
        elif len(days) == 1:
            name = _day_name(days[0])
        else:
            name = f"{_day_name(days[0])}-{_day_name(days[-1])}"
        shown = ["24h" if i.replace(" ", "") == "00:00-24:00" else i for i in intervals]
        parts.append(f"{name} {', '.join(shown)}")
    return "; ".join(parts) or words.tr("never open")


def closed_day_lines(days: Iterable[ClosedDay]) -> list[str]:
    """``Fri 27 Nov — Friday after Thanksgiving``, one line per day or per run of consecutive
    days closed for the same reason (first and last day joined by an en dash)."""
    runs: list[tuple[date, date, str]] = []
    open_runs: dict[str, int] = {}
    for closed in sorted(days, key=lambda c: (c.day, c.reason)):
        index = open_runs.get(closed.reason)
        if index is not None and runs[index][1] + timedelta(days=1) == closed.day:
            first, _, reason = runs[index]
            runs[index] = (first, closed.day, reason)
        elif index is None or runs[index][1] != closed.day:
            open_runs[closed.reason] = len(runs)
            runs.append((closed.day, closed.day, closed.reason))
    lines = []
    for first, last, reason in sorted(runs):
        when = day_text(first) if first == last else f"{day_text(first)} \u2013 {day_text(last)}"
        lines.append(f"{when} — {reason}")
    return lines


def clock_change_line(when: datetime, before: timedelta, after: timedelta, zone: tzinfo) -> str:
    """``Sun 14 Mar 2027 — UTC-07:00 (PDT): clocks go forward 1h at 02:00``: the change at
    ``when`` from UTC offset ``before`` to ``after``, at the wall time it happens."""
    local_after = when.astimezone(zone)
    local_before = (when - timedelta(seconds=1)).astimezone(zone) + timedelta(seconds=1)
    name = local_after.tzname() or ""
    offset = offset_text(after)
    label = f"{offset} ({name})" if name and name[0] not in "+-" else offset
    if after > before:
        change = words.tr("clocks go forward {duration} at {time}")
    else:
        change = words.tr("clocks go back {duration} at {time}")
    change = change.format(
        duration=format_duration(abs(after - before)), time=f"{local_before:%H:%M}"
    )
    return f"{day_text(local_after.date(), year=True)} — {label}: {change}"


def due_line(due: datetime, zone: tzinfo) -> str:
    """``Due Mon 30 Nov 2026 09:30 PST (17:30 UTC)``; the UTC time names its day when that
    differs, and is left out in a zone that is UTC."""
    local = due.astimezone(zone)
    text = words.tr("Due {when}").format(when=instant_text(due, zone))
    if local.utcoffset() == timedelta(0) and (local.tzname() or "UTC") in ("UTC", "GMT", "Z"):
        return text
    if due.astimezone(UTC).date() == local.date():
        return f"{text} ({when_text(due, UTC, due, zone_name=True)})"
    return f"{text} ({day_time_text(due, UTC)} UTC)"


def maintenance_next_text(window: MaintenanceWindow, now: datetime, zone: tzinfo) -> str:
    """When the window next occurs in its own zone, and its start (or, in progress, its end)
    in ``zone`` (the agent's): "next Sun 22 Nov 03:00\u201307:00 EST (Sun 22 Nov 09:00 CET
    your time)", "in progress until 07:00 EST (13:00 CET your time)", or "no occurrence
    soon"; the instants as :func:`when_text` says them."""
    upcoming = [(a, b) for a, b in window.occurrences(now, now + MAINTENANCE_HORIZON) if b > now]
    if not upcoming:
        return words.tr("no occurrence soon")
    start, end = upcoming[0]
    own = start.tzinfo or UTC
    if start <= now:
        until = when_text(end, own, now, zone_name=True)
        when, yours = words.tr("in progress until {when}").format(when=until), end
    else:
        when, yours = words.tr("next {span}").format(span=span_text(start, end, own)), start
    mine = when_text(yours, zone, now, zone_name=True)
    return words.tr("{when} ({yours} your time)").format(when=when, yours=mine)


def weekly_text(window: MaintenanceWindow) -> str:
    """``every Sun 03:00\u201307:00 America/New_York``, ``every Sun 21:00 \u2013 Mon 02:00
    Australia/Sydney``: a weekly window, said as weekly (a bare "Sun 03:00" would read as one
    particular Sunday)."""
    day = words.tr(DAY_NAMES[window.weekday])
    start, end = f"{window.start:%H:%M}", f"{window.end:%H:%M}"
    if window.end <= window.start:
        after = words.tr(DAY_NAMES[(window.weekday + 1) % 7])
        span = f"{day} {start} \u2013 {after} {end}"
    else:
        span = f"{day} {start}\u2013{end}"
    return words.tr("every {span} {zone}").format(span=span, zone=window.timezone)


def moves_text(count: int | None) -> str:
    """How many open tickets' due instants unsaved holiday periods move (None: counting)."""
    if count is None:
        return words.tr(COUNTING_TEXT)
    if count == 1:
        return words.tr("Moves %n open ticket's due instant", "", count)
    return words.tr("Moves %n open tickets' due instants", "", count)


# --------------------------------------------------------------------------- presences


def presence_name(presence: Presence) -> str:
    """``Bayern, Germany``, ``Wien, Austria``, ``Germany``: the place in the holidays
    package's words."""
    country = dict(presence_countries()).get(presence.country, presence.country)
    if presence.subdivision is None:
        return country
    names = dict(presence_subdivisions(presence.country))
    return f"{names.get(presence.subdivision, presence.subdivision)}, {country}"


def default_presences(policy: Policy) -> tuple[Presence, ...]:
    """The places whose public holidays the policy file closes its company-holiday calendars
    on (Laioutr: Germany), in force while a lead names none."""
    found: list[Presence] = []
    for definition in policy.with_presences(()).calendars.values():
        if not definition.company_holidays:
            continue
        entries = definition.spec.get("holidays", [])
        for entry in entries if isinstance(entries, list | tuple) else ():
            if isinstance(entry, Mapping) and isinstance(entry.get("country"), str):
                subdivision = entry.get("subdiv")
                presence = Presence(
                    entry["country"], subdivision if isinstance(subdivision, str) else None
                )
                if presence not in found:
                    found.append(presence)
    return tuple(found)


def presences_text(policy: Policy, named: Sequence[Presence]) -> str:
    """Whose public holidays close the policy's company-holiday calendars, the presences
    ``named`` by a lead or else the file's: ``DE-BY (Bayern, Germany)`` or ``DE (Germany),
    the policy file's default``."""
    shown = named or default_presences(policy)
    places = ", ".join(f"{p.code} ({presence_name(p)})" for p in shown) or words.tr("none")
    return (
        places if named else words.tr("{places}, the policy file's default").format(places=places)
    )


# --------------------------------------------------------------------------- calendar rows


@dataclass(frozen=True, slots=True)
class CalendarRow:
    """One calendar of a policy in words, with its closed days of a year and the clock
    changes of its zone ahead (each with the instant in UTC)."""

    id: str
    label: str
    zone: str
    hours: str
    company: str  # whether the company holiday periods close it
    tip: str  # rich text: the name and the contract's words
    closed_title: str
    closed: tuple[str, ...]
    changes_title: str
    changes: tuple[tuple[str, str], ...]  # (line, the instant in UTC)


def calendar_rows(
    policy: Policy, periods: Sequence[CompanyPeriod], now: datetime, year: int
) -> list[CalendarRow]:
    """Every calendar of ``policy``, closed on ``periods`` where it takes company holidays;
    closed days of ``year``, clock changes of the 12 months from ``now``."""
    rows = []
    for definition in policy.calendars.values():
        calendar = policy.calendar(definition.id, periods)
        days = calendar.closed_days(date(year, 1, 1), date(year, 12, 31))
        closed = closed_day_lines(days)
        count = len({c.day for c in days})
        zone = definition.calendar.timezone
        changes = clock_changes(zone, now, now + CLOCK_CHANGE_HORIZON)
        if changes:
            title = words.tr("Clock changes in the next 12 months")
        else:
            title = words.tr("Clock changes in the next 12 months: none")
        closed_count = words.tr("%n day(s)", "", count) if closed else words.tr("no days")
        rows.append(
            CalendarRow(
                id=definition.id,
                label=definition.label,
                zone=str(definition.spec.get("timezone", zone)),
                hours=hours_text(definition.spec),
                company=words.tr("close it") if definition.company_holidays else NO_VALUE,
                tip=(
                    f"<p><b>{html.escape(definition.label)}</b> "
                    f"({html.escape(definition.id)})</p>{_source_tip(definition.source)}"
                ),
                closed_title=words.tr("Closed in {year}: {days}").format(
                    year=year, days=closed_count
                ),
                closed=tuple(closed),
                changes_title=title,
                changes=tuple(
                    (clock_change_line(when, before, after, zone), instant_text(when, UTC))
                    for when, before, after in changes
                ),
            )
        )
    return rows
