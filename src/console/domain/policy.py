"""Support policies: the files in ``policies/`` validated into typed, immutable objects.

The file format is documented in ``policies/README.md``. Loading either returns a
whole :class:`Policy` or raises :class:`PolicyError` listing every problem found as
``file: key.path: message``; nothing half-read escapes.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.domain.calendar import WEEKDAYS, BusinessCalendar
from console.domain.errors import CalendarSpecError, DomainError
from console.domain.model import Metric, Status

__all__ = [
    "CalendarDef",
    "CompanyPeriod",
    "Escalation",
    "MaintenanceWindow",
    "Plan",
    "Policy",
    "PolicyError",
    "Reading",
    "ServiceCredit",
    "Severity",
    "SeverityChange",
    "SeverityRule",
    "Source",
    "Target",
    "TargetKind",
    "Waiver",
    "check_quotes",
    "default_policy_dir",
    "format_duration",
    "load_policies",
    "load_policy",
    "parse_duration",
]

T = TypeVar("T")
P = ParamSpec("P")


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One problem in a policy file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else (f"{self.file}: {self.message}")
        )


class PolicyError(DomainError, ValueError):
    """A policy file (or a customer's overrides) could not be loaded; ``problems`` lists all."""

    def __init__(self, problems: Sequence[PolicyProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _ItemError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# --------------------------------------------------------------------------- durations

_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def parse_duration(text: str) -> timedelta:
    """``"1d"``, ``"4h"``, ``"1h30m"``: days of 24 hours, hours, minutes, largest first."""
    match = _DURATION_RE.match(text.strip()) if isinstance(text, str) else None
    if not match or not any(match.groups()):
        raise ValueError(f"{text!r} is not a duration like '30m', '4h', '1h30m' or '2d'")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def format_duration(value: timedelta) -> str:
    """The shortest spelling :func:`parse_duration` reads back (``"72h"`` is ``"3d"``)."""
    total = int(value.total_seconds()) // 60
    if total <= 0:
        return "0m"
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n)


# --------------------------------------------------------------------------- the objects


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item comes from: the document's section and a verbatim excerpt."""

    clause: str
    quote: str


class TargetKind(StrEnum):
    TIMED = "timed"
    BEST_EFFORT = "best_effort"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CompanyPeriod:
    """Company holidays announced by the vendor, kept in the database: days inclusive."""

    first: date
    last: date
    reason: str


@dataclass(frozen=True, slots=True)
class CalendarDef:
    id: str
    label: str
    source: Source | None
    company_holidays: bool
    calendar: BusinessCalendar
    spec: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    name: str
    description: str
    source: Source
    customizable: bool


@dataclass(frozen=True, slots=True)
class Severity:
    level: int
    name: str
    description: str
    examples: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class Target:
    """A plan's promise for one severity and metric (or for an escalation)."""

    plan: str
    severity: int | None  # None for an escalation target
    metric: Metric
    kind: TargetKind
    duration: timedelta | None
    calendar: str | None
    channel: str | None
    source: Source | None
    agreement: str | None = None  # set when a customer's override replaced the plan's target

    @property
    def is_timed(self) -> bool:
        return self.kind is TargetKind.TIMED

    def describe(self) -> str:
        if self.kind is TargetKind.TIMED:
            assert self.duration is not None
            return f"{format_duration(self.duration)} on {self.calendar}"
        if self.kind is TargetKind.BEST_EFFORT:
            return "best effort"
        return f"no timed target ({self.channel})" if self.channel else "no timed target"


@dataclass(frozen=True, slots=True)
class Waiver:
    id: str
    name: str
    metrics: frozenset[Metric]
    source: Source


@dataclass(frozen=True, slots=True)
class ServiceCredit:
    plans: frozenset[str] | None  # None: every plan
    metrics: frozenset[Metric]
    per: timedelta
    credit_days: int
    source: Source

    def applies(self, plan: str, metric: Metric) -> bool:
        return metric in self.metrics and (self.plans is None or plan in self.plans)

    def credits(self, overrun: timedelta) -> int:
        """Credits for ``overrun`` of business time over the objective: one per started ``per``."""
        if overrun <= timedelta(0):
            return 0
        return math.ceil(overrun / self.per)


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    region: str
    servers: str
    timezone: str
    weekday: int  # Monday is 0
    start: time
    end: time  # earlier than start: the window ends the next day
    source: Source

    def occurrences(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """Windows overlapping ``[a, b)``, as aware datetimes in the window's zone."""
        zone = ZoneInfo(self.timezone)
        day = a.astimezone(zone).date() - timedelta(days=7)
        last = b.astimezone(zone).date()
        out: list[tuple[datetime, datetime]] = []
        while day <= last:
            if day.weekday() == self.weekday:
                start = datetime.combine(day, self.start, zone)
                end_day = day + timedelta(days=1) if self.end <= self.start else day
                end = datetime.combine(end_day, self.end, zone)
                if start < b and end > a:
                    out.append((start, end))
            day += timedelta(days=1)
        return out

    def describe(self) -> str:
        day = WEEKDAYS[self.weekday].capitalize()
        return f"{day} {self.start:%H:%M}-{self.end:%H:%M} {self.timezone}"


@dataclass(frozen=True, slots=True)
class Escalation:
    urgent: bool
    plans: frozenset[str] | None
    target: Target


@dataclass(frozen=True, slots=True)
class SeverityChange:
    notify_customer: bool
    source: Source


@dataclass(frozen=True, slots=True)
class SeverityRule:
    id: str
    name: str
    from_levels: frozenset[int]
    to_level: int | None  # None: any less severe level
    source: Source


@dataclass(frozen=True, slots=True)
class Reading:
    topic: str
    text: str
    source: Source


@dataclass(frozen=True)
class Policy:
    """One vendor's support policy. Immutable; look-ups are cheap."""

    id: str
    name: str
    vendor: str
    source_file: str
    effective: str
    calendars: Mapping[str, CalendarDef]
    plans: Mapping[str, Plan]
    severities: tuple[Severity, ...]
    targets: tuple[Target, ...]
    pauses: Mapping[Metric, frozenset[Status]]
    waivers: tuple[Waiver, ...]
    service_credits: tuple[ServiceCredit, ...]
    maintenance_windows: tuple[MaintenanceWindow, ...]
    escalations: tuple[Escalation, ...]
    severity_change: SeverityChange
    severity_rules: tuple[SeverityRule, ...]
    readings: tuple[Reading, ...]
    path: Path | None = None
    digest: str = ""  # of the file's text: changes when the file does
    _index: Mapping[tuple[str, int, Metric], Target] = field(init=False, repr=False, compare=False)
    _calendar_cache: dict[tuple[str, tuple[CompanyPeriod, ...]], BusinessCalendar] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        index = {(t.plan, t.severity, t.metric): t for t in self.targets if t.severity is not None}
        object.__setattr__(self, "_index", MappingProxyType(index))

    # ------------------------------------------------------------ look-ups

    def severity(self, level: int) -> Severity:
        for severity in self.severities:
            if severity.level == level:
                return severity
        known = ", ".join(str(s.level) for s in self.severities)
        raise KeyError(f"{self.id} has no severity {level} (levels: {known})")

    def plan(self, plan_id: str) -> Plan:
        try:
            return self.plans[plan_id]
        except KeyError:
            known = ", ".join(self.plans)
            raise KeyError(f"{self.id} has no plan {plan_id!r} (plans: {known})") from None

    def target(
        self, plan: str, severity: int, metric: Metric, *, urgent: bool = False
    ) -> Target | None:
        """The plan's target for a severity and metric; None when the policy sets none.

        For ``escalation_response`` the escalation target (urgent or not) applies.
        """
        self.plan(plan)
        self.severity(severity)
        if metric is Metric.ESCALATION_RESPONSE:
            for escalation in self.escalations:
                if escalation.urgent == urgent and (
                    escalation.plans is None or plan in escalation.plans
                ):
                    return escalation.target
            return None
        return self._index.get((plan, severity, metric))

    def pauses_for(self, metric: Metric) -> frozenset[Status]:
        return self.pauses.get(metric, frozenset())

    def waiver(self, waiver_id: str) -> Waiver:
        for waiver in self.waivers:
            if waiver.id == waiver_id:
                return waiver
        raise KeyError(f"{self.id} has no waiver {waiver_id!r}")

    def service_credit(self, plan: str, metric: Metric) -> ServiceCredit | None:
        for credit in self.service_credits:
            if credit.applies(plan, metric):
                return credit
        return None

    def calendar(
        self, calendar_id: str, company_periods: Iterable[CompanyPeriod] = ()
    ) -> BusinessCalendar:
        """A calendar by id, closed on the company holiday periods when it accepts them."""
        definition = self.calendars[calendar_id]
        periods = tuple(sorted(set(company_periods), key=lambda p: (p.first, p.last, p.reason)))
        if not definition.company_holidays or not periods:
            return definition.calendar
        key = (calendar_id, periods)
        cached = self._calendar_cache.get(key)
        if cached is None:
            cached = definition.calendar.with_closed((p.first, p.last, p.reason) for p in periods)
            self._calendar_cache[key] = cached
        return cached

    @property
    def accepts_company_holidays(self) -> bool:
        return any(c.company_holidays for c in self.calendars.values())

    # ------------------------------------------------------------ customer overrides

    def for_customer(self, plan: str, overrides: Mapping[str, Any] | None) -> Policy:
        """This policy with a customer's overrides of ``plan`` applied (see policies/README.md).

        Raises :class:`PolicyError` (file ``overrides``) when the overrides are malformed or the
        plan does not allow them.
        """
        if not overrides:
            return self
        return _apply_overrides(self, plan, overrides)


# --------------------------------------------------------------------------- reading


class _Reader:
    """A table of a policy file being read: typed getters that know their key path."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise _ItemError(path or "(top level)", f"expected a table, got {_kind(data)}")
        self.data: Mapping[str, Any] = data
        self.path = path
        self.seen: set[str] = set()

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data[key]

    def get(self, key: str, convert: Callable[[Any, str], T], default: T | None = None) -> T:
        if key not in self.data:
            if default is None:
                raise _ItemError(self.at(key), "missing")
            return default
        self.seen.add(key)
        return convert(self.data[key], self.at(key))

    def optional(self, key: str, convert: Callable[[Any, str], T]) -> T | None:
        if key not in self.data:
            return None
        self.seen.add(key)
        return convert(self.data[key], self.at(key))

    def finish(self, allowed_extra: Iterable[str] = ()) -> None:
        extra = set(allowed_extra)
        for key in self.data:
            if key not in self.seen and key not in extra:
                known = ", ".join(sorted(self.seen | extra))
                raise _ItemError(self.at(key), f"unknown key (known here: {known})")

    def source(self) -> Source:
        return Source(self.get("clause", _text), self.get("quote", _text))


def _kind(value: object) -> str:
    return {
        dict: "a table",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _ItemError(path, f"expected a non-empty string, got {_kind(value)}")
    return value.strip()


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise _ItemError(path, f"expected true or false, got {_kind(value)}")
    return value


def _int(value: object, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _ItemError(path, f"expected an integer, got {_kind(value)}")
    return value


def _duration(value: object, path: str) -> timedelta:
    try:
        duration = parse_duration(_text(value, path))
    except ValueError as error:
        raise _ItemError(path, str(error)) from None
    if duration <= timedelta(0):
        raise _ItemError(path, "must be longer than zero")
    return duration


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _ItemError(path, f"expected an array, got {_kind(value)}")
    return value


def _texts(value: object, path: str) -> tuple[str, ...]:
    return tuple(_text(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path)))


def _choice(enum: type[StrEnum]) -> Callable[[object, str], Any]:
    def convert(value: object, path: str) -> Any:
        try:
            return enum(_text(value, path))
        except ValueError:
            known = ", ".join(e.value for e in enum)
            raise _ItemError(path, f"{value!r} is not one of: {known}") from None

    return convert


_metric = _choice(Metric)
_status = _choice(Status)
_target_kind = _choice(TargetKind)


def _metrics(value: object, path: str) -> frozenset[Metric]:
    items = _list(value, path)
    if not items:
        raise _ItemError(path, "expected at least one metric")
    return frozenset(_metric(item, f"{path}[{i}]") for i, item in enumerate(items))


def _clock_time(value: object, path: str) -> time:
    text = _text(value, path)
    try:
        if not re.fullmatch(r"\d{2}:\d{2}", text):
            raise ValueError
        return time.fromisoformat(text)
    except ValueError:
        raise _ItemError(path, f"{text!r} is not a time like '03:00'") from None


def _zone(value: object, path: str) -> str:
    name = _text(value, path)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _ItemError(path, f"{name!r} is not an IANA time zone") from None
    return name


class _Collector:
    """Gathers the problems of one file; each item is read on its own so all are reported."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[PolicyProblem] = []

    def item(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return read(*args, **kwargs)
        except _ItemError as error:
            self.problems.append(PolicyProblem(self.file, error.path, error.message))
            return None

    def add(self, path: str, message: str) -> None:
        self.problems.append(PolicyProblem(self.file, path, message))

    def each(self, reader: _Reader, key: str) -> Iterator[tuple[int, _Reader]]:
        """The tables of array ``key``, each as a reader (bad entries are reported and skipped)."""
        if not reader.has(key):
            return
        for i, data in enumerate(self.item(reader.get, key, _list) or []):
            table = self.item(_Reader, data, f"{reader.at(key)}[{i}]")
            if table is not None:
                yield i, table

    def tables(self, reader: _Reader, key: str) -> Iterator[tuple[str, _Reader]]:
        """The tables of table ``key`` by their keys (bad entries are reported and skipped)."""
        if not reader.has(key):
            return
        outer = self.item(_Reader, reader.raw(key), reader.at(key))
        for name, data in outer.data.items() if outer is not None else ():
            table = self.item(_Reader, data, outer.at(name))  # type: ignore[union-attr]
            if table is not None:
                yield name, table


_CALENDAR_META = ("label", "clause", "quote", "company_holidays")


def _read_calendar(calendar_id: str, table: _Reader, *, need_source: bool) -> CalendarDef:
    label = table.get("label", _text, default=calendar_id)
    source = table.source() if need_source else None
    if not need_source:
        table.optional("agreement", _text)
    company = table.get("company_holidays", _bool, default=False)
    spec = {k: v for k, v in table.data.items() if k not in (*_CALENDAR_META, "agreement")}
    try:
        calendar = BusinessCalendar.from_spec(spec)
    except CalendarSpecError as error:
        located = error.within(table.path)
        raise _ItemError(located.path, located.message) from None
    table.seen.update(spec)
    table.finish()
    return CalendarDef(calendar_id, label, source, company, calendar, MappingProxyType(spec))


def _read_target(entry: _Reader, context: _Context, plan: str | None = None) -> Target:
    """A ``[[targets]]`` entry; with ``plan`` given, a customer's override of that plan."""
    source: Source | None = None
    agreement = None
    if plan is None:
        plan = entry.get("plan", _text)
        if plan not in context.plans:
            raise _ItemError(
                entry.at("plan"),
                f"{plan!r} is not a plan of this policy (plans: {', '.join(context.plans)})",
            )
        source = entry.source()
    else:
        agreement = entry.optional("agreement", _text)
    severity = entry.get("severity", context.level)
    metric = entry.get("metric", _metric)
    if metric is Metric.ESCALATION_RESPONSE:
        raise _ItemError(entry.at("metric"), "escalation targets go in [[escalations]]")
    kind = entry.get("kind", _target_kind, default=TargetKind.TIMED)
    duration, calendar, channel = _target_terms(entry, kind, context.calendars)
    entry.finish()
    return Target(plan, severity, metric, kind, duration, calendar, channel, source, agreement)


def _target_terms(
    table: _Reader, kind: TargetKind, calendars: Mapping[str, CalendarDef]
) -> tuple[timedelta | None, str | None, str | None]:
    duration = calendar = channel = None
    if kind is TargetKind.TIMED:
        duration = table.get("duration", _duration)
        calendar = table.get("calendar", _text)
    else:
        for key in ("duration",):
            if table.has(key):
                raise _ItemError(table.at(key), f"a {kind.value} target has no duration")
        calendar = table.optional("calendar", _text)
        channel = table.optional("channel", _text)
    if calendar is not None and calendar not in calendars:
        raise _ItemError(
            table.at("calendar"),
            f"{calendar!r} is not a calendar of this policy (calendars: {', '.join(calendars)})",
        )
    return duration, calendar, channel


@dataclass(frozen=True, slots=True)
class _Context:
    """What items refer to: the plans, severity levels and calendars read so far."""

    plans: Mapping[str, Plan]
    levels: frozenset[int]
    calendars: Mapping[str, CalendarDef]

    def plan_set(self, entry: _Reader) -> frozenset[str] | None:
        chosen = entry.optional("plans", _texts)
        if chosen is None:
            return None
        for j, pid in enumerate(chosen):
            if pid not in self.plans:
                raise _ItemError(
                    f"{entry.at('plans')}[{j}]",
                    f"{pid!r} is not a plan of this policy (plans: {', '.join(self.plans)})",
                )
        return frozenset(chosen)

    def level(self, value: object, path: str) -> int:
        level = _int(value, path)
        if level not in self.levels:
            known = ", ".join(map(str, sorted(self.levels)))
            raise _ItemError(path, f"{level} is not a severity level of this policy ({known})")
        return level


def _read_plan(pid: str, entry: _Reader) -> Plan:
    plan = Plan(
        pid,
        entry.get("name", _text),
        entry.get("description", _text, default=""),
        entry.source(),
        entry.get("customizable", _bool, default=False),
    )
    entry.finish()
    return plan


def _read_severity(entry: _Reader) -> Severity:
    severity = Severity(
        entry.get("level", _int),
        entry.get("name", _text),
        entry.get("description", _text),
        entry.get("examples", _texts, default=()),
        entry.source(),
    )
    entry.finish()
    return severity


def _read_pause(table: _Reader, key: str) -> tuple[Metric, frozenset[Status]]:
    metric = _metric(key, table.at(key))
    values = table.get(key, _list)
    return metric, frozenset(_status(v, f"{table.at(key)}[{j}]") for j, v in enumerate(values))


def _read_waiver(entry: _Reader) -> Waiver:
    waiver = Waiver(
        entry.get("id", _text),
        entry.get("name", _text),
        entry.get("metrics", _metrics),
        entry.source(),
    )
    entry.finish()
    return waiver


def _read_credit(entry: _Reader, context: _Context) -> ServiceCredit:
    credit = ServiceCredit(
        context.plan_set(entry),
        entry.get("metrics", _metrics),
        entry.get("per", _duration),
        entry.get("credit_days", _int),
        entry.source(),
    )
    if credit.credit_days <= 0:
        raise _ItemError(entry.at("credit_days"), "must be at least 1")
    entry.finish()
    return credit


def _read_window(entry: _Reader) -> MaintenanceWindow:
    weekday = entry.get("weekday", _text)
    if weekday not in WEEKDAYS:
        raise _ItemError(entry.at("weekday"), f"{weekday!r} is not one of {', '.join(WEEKDAYS)}")
    window = MaintenanceWindow(
        entry.get("region", _text),
        entry.get("servers", _text, default=""),
        entry.get("timezone", _zone),
        WEEKDAYS.index(weekday),
        entry.get("start", _clock_time),
        entry.get("end", _clock_time),
        entry.source(),
    )
    if window.start == window.end:
        raise _ItemError(entry.at("end"), "the window is empty")
    entry.finish()
    return window


def _read_escalation(entry: _Reader, context: _Context) -> Escalation:
    urgent = entry.get("urgent", _bool)
    chosen = context.plan_set(entry)
    duration, calendar, _ = _target_terms(entry, TargetKind.TIMED, context.calendars)
    source = entry.source()
    entry.finish()
    plan = "*" if chosen is None else ",".join(sorted(chosen))
    target = Target(
        plan, None, Metric.ESCALATION_RESPONSE, TargetKind.TIMED, duration, calendar, None, source
    )
    return Escalation(urgent, chosen, target)


def _read_change(top: _Reader) -> SeverityChange:
    entry = _Reader(top.get("severity_change", _table), "severity_change")
    change = SeverityChange(entry.get("notify_customer", _bool), entry.source())
    entry.finish()
    return change


def _read_rule(entry: _Reader, context: _Context) -> SeverityRule:
    from_levels = entry.get("from", _list)
    rule = SeverityRule(
        entry.get("id", _text),
        entry.get("name", _text),
        frozenset(context.level(v, f"{entry.at('from')}[{j}]") for j, v in enumerate(from_levels)),
        entry.optional("to", context.level),
        entry.source(),
    )
    if not rule.from_levels:
        raise _ItemError(entry.at("from"), "expected at least one level")
    entry.finish()
    return rule


def _read_reading(entry: _Reader) -> Reading:
    reading = Reading(entry.get("topic", _text), entry.get("text", _text), entry.source())
    entry.finish()
    return reading


def _table(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _ItemError(path, f"expected a table, got {_kind(value)}")
    return value


_SECTIONS = (
    "calendars",
    "plans",
    "severities",
    "targets",
    "pauses",
    "waivers",
    "service_credits",
    "maintenance_windows",
    "escalations",
    "severity_change",
    "severity_rules",
    "readings",
)


def _read_policy(data: Mapping[str, Any], file: str, stem: str) -> Policy:
    errors = _Collector(file)
    top = _Reader(data, "")
    ident = errors.item(top.get, "id", _text)
    if ident is not None and ident != stem:
        errors.add("id", f"{ident!r} must match the file name ({stem}.toml)")
    name = errors.item(top.get, "name", _text)
    vendor = errors.item(top.get, "vendor", _text)
    source_file = errors.item(top.get, "source", _text)
    effective = errors.item(top.get, "effective", _text, "") or ""
    for required in ("calendars", "plans", "severities", "targets", "severity_change"):
        if not top.has(required):
            errors.add(required, "missing")

    calendars: dict[str, CalendarDef] = {}
    for cid, entry in errors.tables(top, "calendars"):
        definition = errors.item(_read_calendar, cid, entry, need_source=True)
        if definition is not None:
            calendars[cid] = definition
    plans: dict[str, Plan] = {}
    for pid, entry in errors.tables(top, "plans"):
        plan = errors.item(_read_plan, pid, entry)
        if plan is not None:
            plans[pid] = plan
    for key, found in (("calendars", calendars), ("plans", plans)):
        if top.has(key) and not found and not any(p.path.startswith(key) for p in errors.problems):
            errors.add(key, "expected at least one entry")

    severities: list[Severity] = []
    for i, entry in errors.each(top, "severities"):
        severity = errors.item(_read_severity, entry)
        if severity is not None:
            if severity.level != len(severities) + 1:
                errors.add(
                    f"severities[{i}].level",
                    f"expected {len(severities) + 1}: levels run 1, 2, 3... from the most severe",
                )
            severities.append(severity)
    context = _Context(plans, frozenset(s.level for s in severities), calendars)

    targets: list[Target] = []
    seen: dict[tuple[str, int | None, Metric], int] = {}
    for i, entry in errors.each(top, "targets"):
        target = errors.item(_read_target, entry, context)
        if target is not None:
            combination = (target.plan, target.severity, target.metric)
            if combination in seen:
                errors.add(
                    f"targets[{i}]",
                    f"repeats targets[{seen[combination]}] "
                    f"({target.plan}, severity {target.severity}, {target.metric})",
                )
            seen[combination] = i
            targets.append(target)

    pauses: dict[Metric, frozenset[Status]] = {}
    if top.has("pauses"):
        table = errors.item(_Reader, top.raw("pauses"), "pauses")
        for key in table.data if table is not None else ():
            pause = errors.item(_read_pause, table, key)  # type: ignore[arg-type]
            if pause is not None:
                pauses[pause[0]] = pause[1]

    waivers: list[Waiver] = []
    for i, entry in errors.each(top, "waivers"):
        waiver = errors.item(_read_waiver, entry)
        if waiver is not None:
            if waiver.id in {w.id for w in waivers}:
                errors.add(f"waivers[{i}].id", f"waiver {waiver.id!r} is defined twice")
            waivers.append(waiver)

    def collect(key: str, read: Callable[..., T], *extra: object) -> list[T]:
        found = (errors.item(read, entry, *extra) for _, entry in errors.each(top, key))
        return [item for item in found if item is not None]

    credits = collect("service_credits", _read_credit, context)
    windows = collect("maintenance_windows", _read_window)
    escalations = collect("escalations", _read_escalation, context)
    severity_change = errors.item(_read_change, top) if top.has("severity_change") else None
    rules = collect("severity_rules", _read_rule, context)
    readings = collect("readings", _read_reading)
    errors.item(top.finish, _SECTIONS)
    if errors.problems:
        raise PolicyError(errors.problems)
    assert ident and name and vendor and source_file and severity_change
    return Policy(
        ident,
        name,
        vendor,
        source_file,
        effective,
        MappingProxyType(calendars),
        MappingProxyType(plans),
        tuple(severities),
        tuple(targets),
        MappingProxyType(pauses),
        tuple(waivers),
        tuple(credits),
        tuple(windows),
        tuple(escalations),
        severity_change,
        tuple(rules),
        tuple(readings),
    )


def load_policy(path: Path) -> Policy:
    """Load and validate one policy file; :class:`PolicyError` lists every problem."""
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise PolicyError([PolicyProblem(file, "", f"cannot read: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise PolicyError(
            [PolicyProblem(file, "", f"not UTF-8 text ({error.reason} at byte {error.start})")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError([PolicyProblem(file, "", f"not valid TOML: {error}")]) from None
    try:
        policy = _read_policy(data, file, path.stem)
    except _ItemError as error:  # a problem outside any item (the top level itself)
        raise PolicyError([PolicyProblem(file, error.path, error.message)]) from None
    object.__setattr__(policy, "path", path)
    object.__setattr__(policy, "digest", hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    return policy


def _quotes(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "quote" and isinstance(item, str):
                yield where, item
            else:
                yield from _quotes(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _quotes(item, f"{path}[{i}]")


def _normalised(text: str) -> str:
    return " ".join(text.split())


def check_quotes(path: Path, source_file: str) -> list[PolicyProblem]:
    """Every ``quote`` of a policy file that is not verbatim in its source document.

    The document is ``sources/<source_file>`` beside the policy file; whitespace may differ.
    """
    document = path.parent / "sources" / source_file
    try:
        text = _normalised(document.read_text(encoding="utf-8"))
    except OSError:
        return [
            PolicyProblem(
                str(path),
                "source",
                f"{source_file!r} is not in {document.parent}, so the quotes cannot be checked",
            )
        ]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        PolicyProblem(str(path), where, f"not found verbatim in {source_file}: {quote!r}")
        for where, quote in _quotes(data, "")
        if _normalised(quote) not in text
    ]


def default_policy_dir() -> Path:
    """``policies/`` of the source tree this package runs from."""
    return Path(__file__).resolve().parents[3] / "policies"


_LOADED: dict[Path, dict[str, Policy]] = {}
_LOAD_LOCK = threading.Lock()


def load_policies(directory: Path | None = None) -> dict[str, Policy]:
    """Every ``*.toml`` policy of ``directory`` by id (cached per directory).

    Raises :class:`PolicyError` with the problems of every file that does not load.
    """
    folder = (directory or default_policy_dir()).resolve()
    with _LOAD_LOCK:
        if folder in _LOADED:
            return _LOADED[folder]
        files = sorted(folder.glob("*.toml"))
        if not files:
            raise PolicyError([PolicyProblem(str(folder), "", "no policy files (*.toml) here")])
        policies: dict[str, Policy] = {}
        problems: list[PolicyProblem] = []
        for path in files:
            try:
                policy = load_policy(path)
            except PolicyError as error:
                problems.extend(error.problems)
                continue
            policies[policy.id] = policy
        if problems:
            raise PolicyError(problems)
        _LOADED[folder] = policies
        return policies


# --------------------------------------------------------------------------- overrides


def _apply_overrides(policy: Policy, plan: str, overrides: Mapping[str, Any]) -> Policy:
    errors = _Collector("overrides")
    try:
        plan_def = policy.plan(plan)
    except KeyError as error:
        raise PolicyError([PolicyProblem("overrides", "", str(error.args[0]))]) from None
    if not plan_def.customizable:
        message = f"plan {plan!r} of {policy.id} takes no customer overrides"
        raise PolicyError([PolicyProblem("overrides", "", message)])
    top = errors.item(_Reader, overrides, "")
    if top is None:
        raise PolicyError(errors.problems)
    calendars = dict(policy.calendars)
    for cid, entry in errors.tables(top, "calendars"):
        definition = errors.item(_read_calendar, cid, entry, need_source=False)
        if definition is not None:
            calendars[cid] = definition
    context = _Context({plan: plan_def}, frozenset(s.level for s in policy.severities), calendars)
    replaced: dict[tuple[int | None, Metric], Target] = {}
    for _, entry in errors.each(top, "targets"):
        target = errors.item(_read_target, entry, context, plan)
        if target is not None:
            replaced[(target.severity, target.metric)] = target
    errors.item(top.finish, ("calendars", "targets"))
    if errors.problems:
        raise PolicyError(errors.problems)
    targets = tuple(
        replaced.pop((t.severity, t.metric), t) if t.plan == plan else t for t in policy.targets
    ) + tuple(replaced.values())
    return replace(policy, calendars=MappingProxyType(calendars), targets=targets)
