"""The policy model: a vendor's support policy as typed, immutable objects.

:mod:`console.domain.policy_reader` builds them from the files in ``policies/``;
:mod:`console.domain.policy` is where the rest of the code imports them from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from console.domain.calendar import WEEKDAYS, BusinessCalendar
from console.domain.calendar_spec import presence_spec
from console.domain.errors import DomainError
from console.domain.model import Metric, Presence, Status

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
    in_days: bool = False  # the file writes the duration in days: the document speaks of days

    @property
    def is_timed(self) -> bool:
        return self.kind is TargetKind.TIMED


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
    """One vendor's support policy. Immutable; look-ups are cheap.

    ``presences`` are those a lead named (:meth:`with_presences`): their public holidays
    close the calendars that take company holidays instead of the holidays the file names.
    Empty for the policy as read, whose calendars close on the file's holidays (the default).
    """

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
    file_changed: datetime | None = field(default=None, compare=False)  # the file's mtime, UTC
    presences: tuple[Presence, ...] = ()
    _index: Mapping[tuple[str, int, Metric], Target] = field(init=False, repr=False, compare=False)
    _calendar_cache: dict[tuple[str, tuple[CompanyPeriod, ...]], BusinessCalendar] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    # The policy this one was made from by with_presences (None: made otherwise), and the
    # policies made from this one, by presences.
    _plain: Policy | None = field(init=False, repr=False, compare=False, default=None)
    _by_presences: dict[tuple[Presence, ...], Policy] = field(
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

    def with_presences(self, presences: Iterable[Presence]) -> Policy:
        """This policy with the public holidays of ``presences`` (observed days included)
        closing the calendars that take company holidays, instead of the holidays those
        calendars' specs name; the policy as read when ``presences`` is empty or none of its
        calendars takes company holidays. Made once per presences (with its own calendar
        cache), so this is cheap to call again.

        Raises :class:`PresenceError` for a presence the holidays package does not know.
        """
        plain = self._plain or self
        chosen = tuple(sorted(set(presences), key=lambda p: p.order))
        if not chosen or not plain.accepts_company_holidays:
            return plain
        found = plain._by_presences.get(chosen)
        if found is None:
            entries = [presence_spec(p) for p in chosen]
            calendars = {
                cid: replace(
                    definition,
                    calendar=definition.calendar.with_presences(chosen),
                    spec=MappingProxyType({**definition.spec, "holidays": entries}),
                )
                if definition.company_holidays
                else definition
                for cid, definition in plain.calendars.items()
            }
            found = replace(plain, calendars=MappingProxyType(calendars), presences=chosen)
            object.__setattr__(found, "_plain", plain)
            plain._by_presences[chosen] = found
        return found

    # ------------------------------------------------------------ customer overrides

    def for_customer(self, plan: str, overrides: Mapping[str, Any] | None) -> Policy:
        """This policy with a customer's overrides of ``plan`` applied (see policies/README.md).

        Raises :class:`PolicyError` (file ``overrides``) when the overrides are malformed or the
        plan does not allow them.
        """
        if not overrides:
            return self
        # Imported here because the reader builds policies and so imports this module.
        from console.domain.policy_reader import apply_overrides

        return apply_overrides(self, plan, overrides)
