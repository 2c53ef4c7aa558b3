"""Policy files read and validated into :class:`Policy` objects, and customers' overrides.

The file format is documented in ``policies/README.md``. Loading either returns a
whole :class:`Policy` or raises :class:`PolicyError` listing every problem found as
``file: key.path: message``; nothing half-read escapes.
"""

from __future__ import annotations

import hashlib
import threading
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from console.domain.calendar import WEEKDAYS, BusinessCalendar
from console.domain.errors import CalendarSpecError
from console.domain.model import Metric, Status
from console.domain.policy_fields import (
    Collector,
    ItemError,
    TableReader,
    as_bool,
    as_choice,
    as_clock_time,
    as_duration,
    as_int,
    as_list,
    as_table,
    as_text,
    as_texts,
    as_zone,
)
from console.domain.policy_model import (
    CalendarDef,
    Escalation,
    MaintenanceWindow,
    Plan,
    Policy,
    PolicyError,
    PolicyProblem,
    Reading,
    ServiceCredit,
    Severity,
    SeverityChange,
    SeverityRule,
    Source,
    Target,
    TargetKind,
    Waiver,
)

T = TypeVar("T")

_metric = as_choice(Metric)
_status = as_choice(Status)
_target_kind = as_choice(TargetKind)


def _metrics(value: object, path: str) -> frozenset[Metric]:
    items = as_list(value, path)
    if not items:
        raise ItemError(path, "expected at least one metric")
    return frozenset(_metric(item, f"{path}[{i}]") for i, item in enumerate(items))


# --------------------------------------------------------------------------- items


_CALENDAR_META = ("label", "clause", "quote", "company_holidays")


def _read_calendar(calendar_id: str, table: TableReader, *, need_source: bool) -> CalendarDef:
    label = table.get("label", as_text, default=calendar_id)
    source = table.source() if need_source else None
    if not need_source:
        table.optional("agreement", as_text)
    company = table.get("company_holidays", as_bool, default=False)
    spec = {k: v for k, v in table.data.items() if k not in (*_CALENDAR_META, "agreement")}
    try:
        calendar = BusinessCalendar.from_spec(spec)
    except CalendarSpecError as error:
        located = error.within(table.path)
        raise ItemError(located.path, located.message) from None
    table.seen.update(spec)
    table.finish()
    return CalendarDef(calendar_id, label, source, company, calendar, MappingProxyType(spec))


def _read_target(entry: TableReader, context: _Context, plan: str | None = None) -> Target:
    """A ``[[targets]]`` entry; with ``plan`` given, a customer's override of that plan."""
    source: Source | None = None
    agreement = None
    if plan is None:
        plan = entry.get("plan", as_text)
        if plan not in context.plans:
            raise ItemError(
                entry.at("plan"),
                f"{plan!r} is not a plan of this policy (plans: {', '.join(context.plans)})",
            )
        source = entry.source()
    else:
        agreement = entry.optional("agreement", as_text)
    severity = entry.get("severity", context.level)
    metric = entry.get("metric", _metric)
    if metric is Metric.ESCALATION_RESPONSE:
        raise ItemError(entry.at("metric"), "escalation targets go in [[escalations]]")
    kind = entry.get("kind", _target_kind, default=TargetKind.TIMED)
    in_days = _in_days(entry)
    duration, calendar, channel = _target_terms(entry, kind, context.calendars)
    entry.finish()
    return Target(
        plan, severity, metric, kind, duration, calendar, channel, source, agreement, in_days
    )


def _in_days(table: TableReader) -> bool:
    """Whether the file writes the duration in whole days (``"3d"``): the document speaks of
    business days there, and the console says so too."""
    value = table.data.get("duration")
    return isinstance(value, str) and value.strip()[:-1].isdigit() and value.strip()[-1:] == "d"


def _target_terms(
    table: TableReader, kind: TargetKind, calendars: Mapping[str, CalendarDef]
) -> tuple[timedelta | None, str | None, str | None]:
    duration = calendar = channel = None
    if kind is TargetKind.TIMED:
        duration = table.get("duration", as_duration)
        calendar = table.get("calendar", as_text)
    else:
        for key in ("duration",):
            if table.has(key):
                raise ItemError(table.at(key), f"a {kind.value} target has no duration")
        calendar = table.optional("calendar", as_text)
        channel = table.optional("channel", as_text)
    if calendar is not None and calendar not in calendars:
        raise ItemError(
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

    def plan_set(self, entry: TableReader) -> frozenset[str] | None:
        chosen = entry.optional("plans", as_texts)
        if chosen is None:
            return None
        for j, pid in enumerate(chosen):
            if pid not in self.plans:
                raise ItemError(
                    f"{entry.at('plans')}[{j}]",
                    f"{pid!r} is not a plan of this policy (plans: {', '.join(self.plans)})",
                )
        return frozenset(chosen)

    def level(self, value: object, path: str) -> int:
        level = as_int(value, path)
        if level not in self.levels:
            known = ", ".join(map(str, sorted(self.levels)))
            raise ItemError(path, f"{level} is not a severity level of this policy ({known})")
        return level


def _read_plan(pid: str, entry: TableReader) -> Plan:
    plan = Plan(
        pid,
        entry.get("name", as_text),
        entry.get("description", as_text, default=""),
        entry.source(),
        entry.get("customizable", as_bool, default=False),
    )
    entry.finish()
    return plan


def _read_severity(entry: TableReader) -> Severity:
    severity = Severity(
        entry.get("level", as_int),
        entry.get("name", as_text),
        entry.get("description", as_text),
        entry.get("examples", as_texts, default=()),
        entry.source(),
    )
    entry.finish()
    return severity


def _read_pause(table: TableReader, key: str) -> tuple[Metric, frozenset[Status]]:
    metric = _metric(key, table.at(key))
    values = table.get(key, as_list)
    return metric, frozenset(_status(v, f"{table.at(key)}[{j}]") for j, v in enumerate(values))


def _read_waiver(entry: TableReader) -> Waiver:
    waiver = Waiver(
        entry.get("id", as_text),
        entry.get("name", as_text),
        entry.get("metrics", _metrics),
        entry.source(),
    )
    entry.finish()
    return waiver


def _read_credit(entry: TableReader, context: _Context) -> ServiceCredit:
    credit = ServiceCredit(
        context.plan_set(entry),
        entry.get("metrics", _metrics),
        entry.get("per", as_duration),
        entry.get("credit_days", as_int),
        entry.source(),
    )
    if credit.credit_days <= 0:
        raise ItemError(entry.at("credit_days"), "must be at least 1")
    entry.finish()
    return credit


def _read_window(entry: TableReader) -> MaintenanceWindow:
    weekday = entry.get("weekday", as_text)
    if weekday not in WEEKDAYS:
        raise ItemError(entry.at("weekday"), f"{weekday!r} is not one of {', '.join(WEEKDAYS)}")
    window = MaintenanceWindow(
        entry.get("region", as_text),
        entry.get("servers", as_text, default=""),
        entry.get("timezone", as_zone),
        WEEKDAYS.index(weekday),
        entry.get("start", as_clock_time),
        entry.get("end", as_clock_time),
        entry.source(),
    )
    if window.start == window.end:
        raise ItemError(entry.at("end"), "the window is empty")
    entry.finish()
    return window


def _read_escalation(entry: TableReader, context: _Context) -> Escalation:
    urgent = entry.get("urgent", as_bool)
    chosen = context.plan_set(entry)
    in_days = _in_days(entry)
    duration, calendar, _ = _target_terms(entry, TargetKind.TIMED, context.calendars)
    source = entry.source()
    entry.finish()
    plan = "*" if chosen is None else ",".join(sorted(chosen))
    target = Target(
        plan,
        None,
        Metric.ESCALATION_RESPONSE,
        TargetKind.TIMED,
        duration,
        calendar,
        None,
        source,
        in_days=in_days,
    )
    return Escalation(urgent, chosen, target)


def _read_change(top: TableReader) -> SeverityChange:
    entry = TableReader(top.get("severity_change", as_table), "severity_change")
    change = SeverityChange(entry.get("notify_customer", as_bool), entry.source())
    entry.finish()
    return change


def _read_rule(entry: TableReader, context: _Context) -> SeverityRule:
    from_levels = entry.get("from", as_list)
    rule = SeverityRule(
        entry.get("id", as_text),
        entry.get("name", as_text),
        frozenset(context.level(v, f"{entry.at('from')}[{j}]") for j, v in enumerate(from_levels)),
        entry.optional("to", context.level),
        entry.source(),
    )
    if not rule.from_levels:
        raise ItemError(entry.at("from"), "expected at least one level")
    entry.finish()
    return rule


def _read_reading(entry: TableReader) -> Reading:
    reading = Reading(entry.get("topic", as_text), entry.get("text", as_text), entry.source())
    entry.finish()
    return reading


# --------------------------------------------------------------------------- files


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
    errors = Collector(file)
    top = TableReader(data, "")
    ident = errors.item(top.get, "id", as_text)
    if ident is not None and ident != stem:
        errors.add("id", f"{ident!r} must match the file name ({stem}.toml)")
    name = errors.item(top.get, "name", as_text)
    vendor = errors.item(top.get, "vendor", as_text)
    source_file = errors.item(top.get, "source", as_text)
    effective = errors.item(top.get, "effective", as_text, "") or ""
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
        table = errors.item(TableReader, top.raw("pauses"), "pauses")
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
    except ItemError as error:  # a problem outside any item (the top level itself)
        raise PolicyError([PolicyProblem(file, error.path, error.message)]) from None
    object.__setattr__(policy, "path", path)
    object.__setattr__(policy, "digest", hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    try:
        changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:  # read a moment ago, gone now: the policy stands, its date is unknown
        changed = None
    object.__setattr__(policy, "file_changed", changed)
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


def apply_overrides(policy: Policy, plan: str, overrides: Mapping[str, Any]) -> Policy:
    """``policy`` with a customer's overrides of ``plan`` (see :meth:`Policy.for_customer`)."""
    errors = Collector("overrides")
    try:
        plan_def = policy.plan(plan)
    except KeyError as error:
        raise PolicyError([PolicyProblem("overrides", "", str(error.args[0]))]) from None
    if not plan_def.customizable:
        message = f"plan {plan!r} of {policy.id} takes no customer overrides"
        raise PolicyError([PolicyProblem("overrides", "", message)])
    top = errors.item(TableReader, overrides, "")
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
