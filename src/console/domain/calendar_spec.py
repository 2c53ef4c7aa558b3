"""Calendar specs: the tables policy files describe calendars with, validated and normalised.

:func:`parse_spec` turns a spec into a :class:`CalendarSpec`, the identity of a calendar,
or raises :class:`CalendarSpecError` naming the key path of the first problem.
:func:`presence_named` and :func:`presence_rules` do the same for the presences a lead
names, whose public holidays replace those of a spec (:meth:`BusinessCalendar.with_presences`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
from dateutil.rrule import rrule, rruleset, rrulestr

from console.domain.errors import CalendarSpecError, PresenceError
from console.domain.model import Presence

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Holiday names are checked against this window, so that a misspelt name is an
# error rather than a filter that silently matches nothing.
_NAME_CHECK_YEARS = range(2000, 2041)

_INTERVAL_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
DEFAULT_RRULE_START = datetime(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """A local date on which a calendar is closed, and why."""

    day: date
    reason: str


@dataclass(frozen=True, slots=True)
class _HolidayRule:
    country: str
    subdiv: str | None
    names: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    shift_days: int
    observed: bool
    language: str | None
    label: str | None

    def _lookup(self, years: Iterable[int]) -> holidays_lib.HolidayBase:
        kwargs: dict[str, Any] = {
            "subdiv": self.subdiv,
            "years": list(years),
            "observed": self.observed,
            "language": self.language,
        }
        if self.categories is not None:
            kwargs["categories"] = self.categories
        return holidays_lib.country_holidays(self.country, **kwargs)

    def _matches(self, name: str, observed_names: Mapping[str, str]) -> str | None:
        """The listed name this holiday name stands for, or None."""
        if self.names is None:
            return name
        if name in self.names:
            return name
        return observed_names.get(name)

    def _observed_names(self, table: holidays_lib.HolidayBase) -> dict[str, str]:
        label = getattr(table, "observed_label", None)
        if not self.names or not self.observed or not isinstance(label, str) or "%s" not in label:
            return {}
        return {label % n: n for n in self.names}

    def closed_days(self, first: date, last: date) -> Iterator[ClosedDay]:
        """Closed days in ``[first, last]`` (both inclusive)."""
        shift = timedelta(days=self.shift_days)
        table = self._lookup(range(first.year - 1, last.year + 2))
        observed_names = self._observed_names(table)
        for day in sorted(table):
            shifted = day + shift
            if not first <= shifted <= last:
                continue
            for name in table.get_list(day):
                listed = self._matches(name, observed_names)
                if listed is None:
                    continue
                reason = self.label or (
                    listed if not self.shift_days else f"{listed} {self.shift_days:+d} d"
                )
                if name != listed:
                    reason = f"{reason} (observed)"
                yield ClosedDay(shifted, reason)


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    """A calendar spec, validated and normalised: the identity of a calendar."""

    timezone: str
    # Per weekday (Monday first), merged open intervals in minutes after local midnight.
    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: tuple[_HolidayRule, ...]
    closed: tuple[tuple[date, date, str], ...]
    rrules: tuple[str, ...]


def rule_zone(rule: rrule | rruleset) -> tzinfo | None:
    """The time zone an rrule's occurrences carry (None for floating rules)."""
    start: datetime | None = getattr(rule, "_dtstart", None)
    if start is None:
        inner = getattr(rule, "_rrule", [])
        start = getattr(inner[0], "_dtstart", None) if inner else None
    return start.tzinfo if start is not None else None


# --------------------------------------------------------------------------- parsing

_TOP_KEYS = ("timezone", "hours", "holidays", "closed", "rrule_closed")
_HOLIDAY_KEYS = (
    "country",
    "subdiv",
    "names",
    "categories",
    "shift_days",
    "observed",
    "language",
    "label",
)


def _check_keys(value: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
    for key in value:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise CalendarSpecError(where, f"unknown key (expected one of: {', '.join(allowed)})")


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CalendarSpecError(path, f"expected a table, got {type(value).__name__}")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise CalendarSpecError(path, f"expected a list, got {type(value).__name__}")
    return list(value)


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise CalendarSpecError(path, f"expected a string, got {type(value).__name__}")
    return value


def _parse_interval(text: object, path: str) -> tuple[int, int]:
    match = _INTERVAL_RE.match(_str(text, path))
    if not match:
        raise CalendarSpecError(path, f"{text!r} is not an interval like '09:00-18:00'")
    h0, m0, h1, m1 = (int(g) for g in match.groups())
    if h0 > 23 or m0 > 59:
        raise CalendarSpecError(path, f"{text!r}: start is not a time of day (00:00-23:59)")
    if h1 > 24 or m1 > 59 or (h1 == 24 and m1 != 0):
        raise CalendarSpecError(path, f"{text!r}: end is not a time of day (00:00-24:00)")
    start, end = h0 * 60 + m0, h1 * 60 + m1
    if end < start:
        raise CalendarSpecError(path, f"{text!r}: the interval ends before it starts")
    if end == start:
        raise CalendarSpecError(path, f"{text!r}: the interval is empty")
    return start, end


def _parse_week(value: object) -> tuple[tuple[tuple[int, int], ...], ...]:
    hours = _mapping(value, "hours")
    _check_keys(hours, WEEKDAYS, "hours")
    week: list[tuple[tuple[int, int], ...]] = []
    for day in WEEKDAYS:
        path = f"hours.{day}"
        intervals = [
            (_parse_interval(item, f"{path}[{i}]"), i)
            for i, item in enumerate(_list(hours.get(day, []), path))
        ]
        intervals.sort()
        merged: list[tuple[int, int]] = []
        for (start, end), i in intervals:
            if merged and start < merged[-1][1]:
                raise CalendarSpecError(f"{path}[{i}]", "overlaps another interval of the day")
            if merged and start == merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        week.append(tuple(merged))
    if not any(week):
        raise CalendarSpecError("hours", "the calendar is never open: give at least one interval")
    return tuple(week)


def _parse_date(value: object, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(_str(value, path))
    except ValueError:
        raise CalendarSpecError(path, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parse_closed(value: object) -> tuple[tuple[date, date, str], ...]:
    out: list[tuple[date, date, str]] = []
    for i, item in enumerate(_list(value, "closed")):
        path = f"closed[{i}]"
        if isinstance(item, Mapping):
            _check_keys(item, ("from", "to", "reason"), path)
            for key in ("from", "to"):
                if key not in item:
                    raise CalendarSpecError(f"{path}.{key}", "missing")
            first = _parse_date(item["from"], f"{path}.from")
            last = _parse_date(item["to"], f"{path}.to")
            if last < first:
                raise CalendarSpecError(f"{path}.to", f"{last} is before {first}")
            reason = _str(item.get("reason", "closed"), f"{path}.reason")
        else:
            first = last = _parse_date(item, path)
            reason = "closed"
        out.append((first, last, reason))
    return tuple(sorted(out))


def _str_list(value: object, path: str) -> tuple[str, ...]:
    items = _list(value, path)
    if not items:
        raise CalendarSpecError(path, "expected at least one entry")
    return tuple(_str(item, f"{path}[{i}]") for i, item in enumerate(items))


def _parse_holiday(value: object, path: str) -> _HolidayRule:
    item = _mapping(value, path)
    _check_keys(item, _HOLIDAY_KEYS, path)
    if "country" not in item:
        raise CalendarSpecError(f"{path}.country", "missing (an ISO 3166 code such as 'US')")
    country = _str(item["country"], f"{path}.country")
    subdiv = _str(item["subdiv"], f"{path}.subdiv") if "subdiv" in item else None
    names = _str_list(item["names"], f"{path}.names") if "names" in item else None
    categories = (
        _str_list(item["categories"], f"{path}.categories") if "categories" in item else None
    )
    shift = item.get("shift_days", 0)
    if not isinstance(shift, int) or isinstance(shift, bool):
        raise CalendarSpecError(f"{path}.shift_days", f"expected a whole number, got {shift!r}")
    observed = item.get("observed", True)
    if not isinstance(observed, bool):
        raise CalendarSpecError(f"{path}.observed", f"expected true or false, got {observed!r}")
    language = _str(item["language"], f"{path}.language") if "language" in item else None
    label = _str(item["label"], f"{path}.label") if "label" in item else None

    supported = holidays_lib.list_supported_countries()
    if country not in supported:
        raise CalendarSpecError(
            f"{path}.country",
            f"{country!r} is not a country the holidays "
            "package knows (use an ISO 3166 alpha-2 code)",
        )
    if subdiv is not None and subdiv not in supported[country]:
        raise CalendarSpecError(
            f"{path}.subdiv",
            f"{subdiv!r} is not a subdivision of {country} "
            f"(known: {', '.join(supported[country])})",
        )
    rule = _HolidayRule(country, subdiv, names, categories, shift, observed, language, label)
    try:
        table = rule._lookup(_NAME_CHECK_YEARS)
    except (NotImplementedError, ValueError) as error:
        key = "categories" if categories else ("language" if language else "country")
        raise CalendarSpecError(f"{path}.{key}", str(error)) from None
    if names is not None:
        known = {name for day in table for name in table.get_list(day)}
        for i, name in enumerate(names):
            if name not in known:
                raise CalendarSpecError(
                    f"{path}.names[{i}]",
                    f"{name!r} is not a holiday of {country}"
                    f"{'-' + subdiv if subdiv else ''} in the categories chosen "
                    f"(known: {', '.join(sorted(n for n in known if '(' not in n))})",
                )
    return rule


def _parse_rrule(value: object, path: str) -> str:
    text = _str(value, path)
    try:
        rule = rrulestr(text, dtstart=DEFAULT_RRULE_START, forceset=True)
        # Evaluate once: some mistakes only show when occurrences are generated.
        rule.after(DEFAULT_RRULE_START.replace(tzinfo=rule_zone(rule)))
    except (ValueError, TypeError, KeyError) as error:
        raise CalendarSpecError(path, f"{text!r} is not a valid RRULE: {error}") from None
    return text


def parse_spec(spec: Mapping[str, Any]) -> CalendarSpec:
    """Validate and normalise a spec; :class:`CalendarSpecError` names the first problem."""
    spec = _mapping(spec, "")
    _check_keys(spec, _TOP_KEYS, "")
    for key in ("timezone", "hours"):
        if key not in spec:
            raise CalendarSpecError(key, "missing")
    zone_name = _str(spec["timezone"], "timezone")
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarSpecError(
            "timezone", f"{zone_name!r} is not an IANA time zone (such as 'Europe/Zurich')"
        ) from None
    week = _parse_week(spec["hours"])
    rules = tuple(
        _parse_holiday(item, f"holidays[{i}]")
        for i, item in enumerate(_list(spec.get("holidays", []), "holidays"))
    )
    closed = _parse_closed(spec.get("closed", []))
    rrules = tuple(
        _parse_rrule(item, f"rrule_closed[{i}]")
        for i, item in enumerate(_list(spec.get("rrule_closed", []), "rrule_closed"))
    )
    return CalendarSpec(zone_name, week, rules, closed, rrules)


# --------------------------------------------------------------------------- presences


@cache
def _supported() -> Mapping[str, tuple[str, ...]]:
    """Country code -> subdivision codes, as the holidays package lists them (read once: it
    takes a fifth of a second)."""
    listed = holidays_lib.list_supported_countries(include_aliases=False)
    return MappingProxyType({country: tuple(subs) for country, subs in listed.items()})


def _words(name: str) -> str:
    """``UnitedStates`` -> ``United States`` (the registry names countries by class name)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


@cache
def presence_countries() -> tuple[tuple[str, str], ...]:
    """Every country a presence may name, as ``(code, name)`` in code order."""
    from holidays import registry

    names = {entry[1]: _words(entry[0]) for entry in registry.COUNTRIES.values()}
    return tuple((code, names.get(code, code)) for code in sorted(_supported()))


@cache
def presence_subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    """The subdivisions of ``country`` a presence may name, as ``(code, name)`` in the
    package's order; the name is the code where the package gives none. Empty for an unknown
    country or one without subdivisions."""
    codes = _supported().get(country, ())
    if not codes:
        return ()
    aliases: Mapping[str, str] = getattr(
        holidays_lib.country_holidays(country), "subdivisions_aliases", {}
    )
    names: dict[str, str] = {}
    for alias, code in aliases.items():
        names.setdefault(code, alias)
    return tuple((code, names.get(code, code)) for code in codes)


def check_presence(presence: Presence) -> Presence:
    """``presence`` spelt as the holidays package spells it (upper-case country; a
    subdivision given by its code in any case, or by a name the package knows, such as
    ``Wien`` for ``9`` of ``AT``). Raises :class:`PresenceError` naming what it does not know."""
    supported = _supported()
    country = presence.country.strip().upper()
    if country not in supported:
        raise PresenceError(
            f"unknown country {presence.country!r} (use an ISO 3166 alpha-2 code the "
            "holidays package knows, such as DE or AT)"
        )
    if presence.subdivision is None:
        return Presence(country)
    wanted = presence.subdivision.strip()
    codes = supported[country]
    for code in codes:
        if code.casefold() == wanted.casefold():
            return Presence(country, code)
    aliases: Mapping[str, str] = getattr(
        holidays_lib.country_holidays(country), "subdivisions_aliases", {}
    )
    for alias, code in aliases.items():
        if alias.casefold() == wanted.casefold():
            return Presence(country, code)
    known = f"known: {', '.join(codes)}" if codes else f"{country} has none"
    raise PresenceError(f"unknown subdivision {presence.subdivision!r} of {country} ({known})")


def presence_named(code: str) -> Presence:
    """The presence ``code`` names: ``DE``, ``DE-BY``, ``AT-9`` (see :func:`check_presence`).
    Raises :class:`PresenceError` naming what is unknown."""
    country, dash, subdivision = code.strip().partition("-")
    return check_presence(Presence(country, subdivision if dash else None))


def presence_rules(presences: Iterable[Presence]) -> tuple[_HolidayRule, ...]:
    """The holiday rules of ``presences``: every public holiday of each, observed days
    included, as a spec's ``holidays = [{ country = ..., subdiv = ... }]`` gives them; once
    each, a country before its subdivisions. Raises :class:`PresenceError` for an unknown one."""
    chosen = sorted({check_presence(p) for p in presences}, key=lambda p: p.order)
    return tuple(
        _HolidayRule(p.country, p.subdivision, None, None, 0, True, None, None) for p in chosen
    )


def presence_spec(presence: Presence) -> dict[str, str]:
    """The ``holidays`` entry of a calendar spec that closes on ``presence``'s holidays."""
    entry = {"country": presence.country}
    if presence.subdivision is not None:
        entry["subdiv"] = presence.subdivision
    return entry
