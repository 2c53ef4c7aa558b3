"""Every duration, countdown and instant the console shows, put into words in one place.

The queue, the detail pane, the handover board and its exports, notifications, the reports
and the command line all call these, so a due instant, a lateness and a target read the same
everywhere:

* **Instants** relative to now (:func:`when_text`): ``14:05`` later today, ``tomorrow 09:00``
  within 24 hours, ``earlier today 08:10``, ``yesterday 16:00``, ``last Mon 10:45`` within the
  past week, else the date: ``Mon 14 Dec 10:45`` (``Mon 4 Jan 2027 10:45`` in another year).
  Dates are ``8 Dec``: the day without a leading zero, the month abbreviated, the weekday in
  front where it helps (:func:`day_text`), the year where it is not now's.
* **Business time** (what the contracts count: open hours of the clock's calendar) is never
  written in days unless the policy itself speaks of business days: ``24 business hours``,
  ``2 business days``; a countdown is ``52h 10m``, its hours never rolled into days.
* **Lateness** is business time past the target, the measure the contracts and their
  service credits use: ``overdue 3h 05m (business time)`` (:func:`overdue_text`). The time
  since the due instant by the wall clock is only ever said as such:
  ``4d 2h ago (wall clock)``.
* **No clock**: ``no timed target`` (:data:`NO_TIMED_TARGET`) where nothing is timed,
  ``best effort`` where the policy promises that; ``—`` (:data:`NO_VALUE`) only for a value
  that is missing.

Every word goes through :mod:`console.services.words`, so a German window reads
``überfällig 3h 05m (Geschäftszeit)``, ``morgen 09:00`` and ``letzten Mo 10:45``: weekdays and
months by the English abbreviations of :data:`WEEKDAYS` and :data:`MONTHS` (``strftime``'s
follow the process's locale, these do not), translated like any other word. On the command
line every text stays English.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from console.domain.model import QueueSummary
from console.domain.policy import Policy, Target, TargetKind, format_duration
from console.domain.queue import ClockState, Countdown
from console.services import words
from console.services.labels import first_upper, metric_label, status_label

# Marked for translation, shown with words.tr(...): HISTORY is the window of every event,
# its menu item and its dialogs.
HISTORY = words.QT_TR_NOOP("History")
NO_VALUE = "\u2014"  # a field without a value
NO_TIMED_TARGET = words.QT_TR_NOOP("no timed target")
BEST_EFFORT = words.QT_TR_NOOP("best effort")
BUSINESS_TIME = words.QT_TR_NOOP("business time")
WALL_CLOCK = words.QT_TR_NOOP("wall clock")
WEEKDAYS = (
    words.QT_TR_NOOP("Mon"),
    words.QT_TR_NOOP("Tue"),
    words.QT_TR_NOOP("Wed"),
    words.QT_TR_NOOP("Thu"),
    words.QT_TR_NOOP("Fri"),
    words.QT_TR_NOOP("Sat"),
    words.QT_TR_NOOP("Sun"),
)
MONTHS = (
    words.QT_TR_NOOP("Jan"),
    words.QT_TR_NOOP("Feb"),
    words.QT_TR_NOOP("Mar"),
    words.QT_TR_NOOP("Apr"),
    words.QT_TR_NOOP("May"),
    words.QT_TR_NOOP("Jun"),
    words.QT_TR_NOOP("Jul"),
    words.QT_TR_NOOP("Aug"),
    words.QT_TR_NOOP("Sep"),
    words.QT_TR_NOOP("Oct"),
    words.QT_TR_NOOP("Nov"),
    words.QT_TR_NOOP("Dec"),
)
DASH = "\u2013"  # an en dash, between the ends of a span

_DAY = timedelta(days=1)
_HOURS = (ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED)


# --------------------------------------------------------------------------- durations


def format_span(value: timedelta, *, seconds: bool = True) -> str:
    """Wall-clock time: ``2d 4h``, ``3h 05m``, ``12m 09s`` (``12m`` without seconds); never
    negative."""
    total = int(abs(value).total_seconds())
    days, rest = divmod(total, 86_400)
    if days:
        return words.tr("{days}d {hours}h").format(days=days, hours=rest // 3_600)
    return business_span(value, seconds=seconds)


def business_span(value: timedelta, *, seconds: bool = True) -> str:
    """Business time, compact: ``52h 10m``, ``3h 05m``, ``12m 09s`` (``12m`` without
    seconds); the hours never roll into days, so 24 business hours never read as a day.
    Never negative."""
    total = int(abs(value).total_seconds())
    hours, rest = divmod(total, 3_600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if seconds else f"{minutes}m"


def business_duration(value: timedelta, *, days: bool = False) -> str:
    """Business time in words, to the minute: ``24 business hours``, ``1 business hour``,
    ``30 business minutes``, ``2 business hours 30 minutes``; ``2 business days`` with
    ``days`` (where the policy speaks of business days) and a whole number of days."""
    minutes = int(abs(value).total_seconds()) // 60
    if days and minutes and minutes % (24 * 60) == 0:
        return words.tr("%n business day(s)", "", minutes // (24 * 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return words.tr("%n business minute(s)", "", minutes)
    text = words.tr("%n business hour(s)", "", hours)
    if not minutes:
        return text
    return text + " " + words.tr("%n minute(s)", "", minutes)


def overdue_text(late: timedelta, *, seconds: bool = True, labelled: bool = True) -> str:
    """The lateness of a breached clock, the one way it is said: ``overdue 3h 05m (business
    time)``: business time past the target, on the clock's own calendar. ``labelled=False``
    where the heading says business time already (the queue's countdown column, the detail
    pane's clocks): ``overdue 3h 05m``."""
    span = business_span(late, seconds=seconds)
    if labelled:
        return words.tr("overdue {span} (business time)").format(span=span)
    return words.tr("overdue {span}").format(span=span)


def ago_text(elapsed: timedelta) -> str:
    """Wall-clock time since an instant, labelled as such: ``4d 2h ago (wall clock)``."""
    span = format_span(elapsed, seconds=False)
    return words.tr("{span} ago (wall clock)").format(span=span)


def percent_text(fraction: float) -> str:
    """``80 % of the target used`` (rounded; past 100 % once breached)."""
    return words.tr("{percent} % of the target used").format(percent=round(fraction * 100))


def used_text(used: timedelta, target: timedelta, *, days: bool = False) -> str:
    """``367 % of the target used: 44 business hours counted against a target of 12
    business hours``: ``used`` is the business time the clock counted, ``target`` its
    target's."""
    fraction = used / target if target else 0.0
    return words.tr("{percent}: {used} counted against a target of {target}").format(
        percent=percent_text(fraction),
        used=business_duration(used),
        target=business_duration(target, days=days),
    )


# --------------------------------------------------------------------------- targets


def calendar_name(policy: Policy, calendar_id: str | None) -> str:
    """A calendar by the policy's own name for it, with the vendor's: ``ZITADEL business
    hours``, ``Laioutr 24 / 5``, ``Moboom weekdays`` (the label up to a dash or a bracket,
    in lower case when it is only words)."""
    if calendar_id is None:
        return policy.vendor
    definition = policy.calendars.get(calendar_id)
    label = definition.label if definition is not None else calendar_id
    short = label.split(" - ", 1)[0].split(" (", 1)[0].strip() or label
    if short.replace(" ", "").isalpha():
        short = short.lower()
    return f"{policy.vendor} {short}"


def counted_on_text(policy: Policy, calendar_id: str | None, zone: tzinfo | None) -> str:
    """``ZITADEL business hours (Europe/Zurich)``: where a clock's business time is counted;
    empty without a calendar."""
    if calendar_id is None:
        return ""
    name = calendar_name(policy, calendar_id)
    key = getattr(zone, "key", None) or (str(zone) if zone is not None else "")
    return f"{name} ({key})" if key else name


def next_clock_text(policy: Policy, summary: QueueSummary) -> str:
    """The queue's leading clock: ``Initial response (24 business hours)``, ``Preliminary RCA
    (3 business days)``; empty without one."""
    if summary.metric is None:
        return ""
    label = metric_label(summary.metric)
    if summary.target is None:
        return label
    days = speaks_days(policy, summary.calendar, summary.target)
    return f"{label} ({business_duration(summary.target, days=days)})"


def speaks_days(policy: Policy, calendar_id: str | None, duration: timedelta | None) -> bool:
    """Whether the policy writes a target of ``duration`` on ``calendar_id`` in days (its
    document speaks of business days there)."""
    targets = [*policy.targets, *(e.target for e in policy.escalations)]
    return any(t.in_days and t.calendar == calendar_id and t.duration == duration for t in targets)


def target_text(target: Target | None, policy: Policy) -> str:
    """A target in words: ``24 business hours on ZITADEL business hours``, ``3 business days
    on LivePerson business days``, ``best effort``, ``no timed target (forums)``; ``no timed
    target`` without one."""
    none = words.tr(NO_TIMED_TARGET)
    if target is None:
        return none
    if target.kind is TargetKind.TIMED and target.duration is not None:
        duration = business_duration(target.duration, days=target.in_days)
        calendar = calendar_name(policy, target.calendar)
        return words.tr("{duration} on {calendar}").format(duration=duration, calendar=calendar)
    if target.kind is TargetKind.BEST_EFFORT:
        return words.tr(BEST_EFFORT)
    return f"{none} ({target.channel})" if target.channel else none


# --------------------------------------------------------------------------- dates, instants


def weekday_text(day: date) -> str:
    """``Tue``: the weekday abbreviated (German ``Di``)."""
    return words.tr(WEEKDAYS[day.weekday()])


def month_text(day: date) -> str:
    """``Dec``: the month abbreviated (German ``Dez``)."""
    return words.tr(MONTHS[day.month - 1])


def date_text(day: date, *, year: bool = False) -> str:
    """``8 Dec`` (``8 Dec 2026`` with ``year``): a date where the weekday does not matter;
    German ``8. Dez``."""
    if year:
        return words.tr("{day} {month} {year}").format(
            day=day.day, month=month_text(day), year=day.year
        )
    return words.tr("{day} {month}").format(day=day.day, month=month_text(day))


def day_text(day: date, *, year: bool = False) -> str:
    """``Tue 8 Dec`` (``Tue 8 Dec 2026`` with ``year``)."""
    return words.tr("{weekday} {date}").format(
        weekday=weekday_text(day), date=date_text(day, year=year)
    )


def day_time_text(moment: datetime, zone: tzinfo) -> str:
    """``Fri 4 Dec 15:02`` in ``zone``."""
    local = moment.astimezone(zone)
    return f"{day_text(local.date())} {local:%H:%M}"


def instant_text(moment: datetime, zone: tzinfo, *, seconds: bool = False) -> str:
    """``Fri 4 Dec 2026 15:02 CET``: an instant in full, in ``zone`` (``15:02:07`` with
    ``seconds``, where events of one minute must be told apart)."""
    local = moment.astimezone(zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{day_text(local.date(), year=True)} {clock} {local.tzname() or ''}".rstrip()


def when_text(moment: datetime, zone: tzinfo, now: datetime, *, zone_name: bool = False) -> str:
    """An instant as seen at ``now``, in ``zone``: the one way the console writes a due
    instant (and any instant near now).

    From ``now`` on: ``14:05`` later today, ``tomorrow 09:00`` within the next 24 hours,
    else ``Mon 14 Dec 09:00``. Before ``now``: ``earlier today 08:10``, ``yesterday
    16:00``, ``last Mon 10:45`` (two to six days back), else ``Mon 7 Dec 10:45``. A date
    carries its year when that is not now's (``Mon 4 Jan 2027 09:00``). ``zone_name`` adds
    the zone's abbreviation (``14:05 CET``), for an instant in another zone than the
    agent's. So no two days within years of now read alike, and a past instant never reads
    as a future one.
    """
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    day = local.date()
    days = (day - today).days
    clock = f"{local:%H:%M}"
    if moment >= now and days == 0:
        text = clock
    elif moment >= now and days == 1 and moment - now <= _DAY:
        text = words.tr("tomorrow {time}").format(time=clock)
    elif moment < now and days == 0:
        text = words.tr("earlier today {time}").format(time=clock)
    elif moment < now and days == -1:
        text = words.tr("yesterday {time}").format(time=clock)
    elif moment < now and -6 <= days <= -2:
        text = words.tr("last {weekday} {time}").format(weekday=weekday_text(day), time=clock)
    else:
        text = f"{day_text(day, year=day.year != today.year)} {clock}"
    return f"{text} {local.tzname()}" if zone_name and local.tzname() else text


def span_text(start: datetime, end: datetime, zone: tzinfo, *, year: bool = False) -> str:
    """The span ``[start, end)`` in ``zone``: ``Fri 20 Nov 15:30\u201323:30 CET``, the end's
    day when it is another (``Fri 20 Nov 22:00 \u2013 Sat 21 Nov 06:00 CET``), the start's
    zone name too when a DST change lies between them, the start's year with ``year``."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    opening = f"{day_text(first.date(), year=year)} {first:%H:%M}"
    if first.tzname() != last.tzname():
        opening += f" {first.tzname()}"
    if first.date() == last.date():
        return f"{opening}{DASH}{last:%H:%M} {last.tzname()}"
    return f"{opening} {DASH} {day_text(last.date())} {last:%H:%M} {last.tzname()}"


def file_changed_text(policy: Policy, zone: tzinfo, now: datetime) -> str:
    """``policy file changed on 8 Dec 2026``: when the policy's file was last written (its
    modification time, the day in ``zone``; the year only when it is not now's)."""
    if policy.file_changed is None:
        return ""
    day = policy.file_changed.astimezone(zone).date()
    this_year = now.astimezone(zone).year
    changed = date_text(day, year=day.year != this_year)
    return words.tr("policy file changed on {date}").format(date=changed)


# --------------------------------------------------------------------------- countdowns


def countdown_text(cd: Countdown, *, seconds: bool = True, labelled: bool = False) -> str:
    """The countdown column: business time left (``52h 10m``), or the lateness once
    breached (``overdue 3h 05m``; the column's heading says business time), or why nothing
    counts: ``best effort``,
    ``no timed target`` (also when every clock of the ticket has stopped)."""
    if cd.state is ClockState.BREACHED and cd.left is not None:
        return overdue_text(-cd.left, seconds=seconds, labelled=labelled)
    if cd.left is not None and cd.state in _HOURS:
        return business_span(cd.left, seconds=seconds)
    said = {
        ClockState.BEST_EFFORT: BEST_EFFORT,
        ClockState.NO_TARGET: NO_TIMED_TARGET,
        ClockState.DONE: NO_TIMED_TARGET,
    }.get(cd.state)
    return words.tr(said) if said is not None else ""


def countdown_reason(cd: Countdown, calendar_zone: tzinfo | None, now: datetime) -> str:
    """Why a clock is not moving: ``closed until tomorrow 09:00 PST`` (in the calendar's
    zone, named), ``paused: awaiting customer``; a breached clock on a closed calendar too,
    since its lateness stands still as well."""
    if cd.state in (ClockState.WAITING, ClockState.BREACHED):
        if cd.resumes_at is None or calendar_zone is None:
            return words.tr("closed", "calendar") if cd.state is ClockState.WAITING else ""
        when = when_text(cd.resumes_at, calendar_zone, now, zone_name=True)
        return words.tr("closed until {when}").format(when=when)
    if cd.state is ClockState.PAUSED:
        if cd.paused_by:
            return words.tr("paused: {status}").format(status=status_label(cd.paused_by))
        return words.tr("paused")
    return ""


def countdown_line(
    cd: Countdown, calendar_zone: tzinfo | None, now: datetime, *, labelled: bool = False
) -> str:
    """The countdown and why its clock stands still, if it does: ``1h 00m · closed until
    09:00 PST`` (the reason in the zone of the clock's calendar); ``labelled`` where no
    heading says the lateness is business time (an export's cell)."""
    text = countdown_text(cd, labelled=labelled)
    reason = countdown_reason(cd, calendar_zone, now)
    return f"{text} \u00b7 {reason}" if reason and text else (text or reason)


def due_text(cd: Countdown, zone: tzinfo, now: datetime) -> str:
    """The due instant in the agent's time zone (:func:`when_text`)."""
    return when_text(cd.due, zone, now) if cd.due is not None else ""


def countdown_tip(cd: Countdown, zone: tzinfo, now: datetime, calendar: str = "") -> list[str]:
    """The lines of a countdown's tooltip: the due instant in full (and, once breached, how
    long ago by the wall clock), where the time is counted (``calendar``, such as ``ZITADEL
    business hours (Europe/Zurich)``) and how much of the target is used."""
    lines = []
    if cd.due is not None:
        due = words.tr("Due {when}").format(when=instant_text(cd.due, zone))
        if cd.state is ClockState.BREACHED and cd.overdue is not None:
            due += f", {ago_text(cd.overdue)}"
        lines.append(due)
    if cd.state is ClockState.BREACHED and cd.left is not None:
        lines.append(first_upper(overdue_text(-cd.left)))
    elif cd.left is not None and cd.state in _HOURS:
        lines.append(left_text(cd.left))
    if calendar:
        lines.append(words.tr("Counted on {calendar}").format(calendar=calendar))
    if cd.fraction is not None:
        lines.append(first_upper(percent_text(cd.fraction)))
    return lines


def left_text(left: timedelta, *, seconds: bool = True, labelled: bool = True) -> str:
    """``3h 05m left (business time)``: business time left before the target runs out
    (``3h 05m left`` under a heading that says business time)."""
    span = business_span(left, seconds=seconds)
    if labelled:
        return words.tr("{span} left (business time)").format(span=span)
    return words.tr("{span} left").format(span=span)


__all__ = [
    "BEST_EFFORT",
    "BUSINESS_TIME",
    "DASH",
    "HISTORY",
    "MONTHS",
    "NO_TIMED_TARGET",
    "NO_VALUE",
    "WALL_CLOCK",
    "WEEKDAYS",
    "ago_text",
    "business_duration",
    "business_span",
    "calendar_name",
    "countdown_line",
    "countdown_reason",
    "countdown_text",
    "countdown_tip",
    "counted_on_text",
    "date_text",
    "day_text",
    "day_time_text",
    "due_text",
    "file_changed_text",
    "format_duration",
    "format_span",
    "instant_text",
    "left_text",
    "month_text",
    "next_clock_text",
    "overdue_text",
    "percent_text",
    "span_text",
    "speaks_days",
    "target_text",
    "used_text",
    "weekday_text",
    "when_text",
]
