"""The SLA compliance report: how many clocks met or breached their targets, per policy,
plan, severity and metric, for the tickets submitted in a date range.

How the figures read
--------------------

* **Which tickets.** Every ticket submitted in ``[since, until)`` (its ``submitted_at``),
  open or closed. Its clocks are computed at ``now`` from its whole history up to ``now``,
  exactly as the queue computes them (:meth:`PolicyBook.clocks`, company holidays included).
* **Which clocks.** Only clocks held to a timed target: running, waiting, paused, met or
  breached. Waived clocks, best-effort targets and metrics without a target are left out,
  except that a clock breached under an earlier severity's timed target still counts as
  breached when the ticket's current severity sets no timed target.
* **Met, breached, pending.** A clock is *breached* when its history holds a breach
  (:attr:`SlaClock.ever_breached`): a breach under an earlier severity counts even when the
  clock then met the target of the severity it was changed to. It is *met* when it stopped
  in time and never breached. Clocks still running, waiting or paused without a breach are
  *pending*: neither met nor breached yet (a later report may count them either way).
* **Success** is ``met / (met + breached)``; pending clocks are not in it. With no clock
  decided it is ``None`` (shown as "—"). Percentages are rounded *down* (99.96 % shows as
  99.9 %), so a figure never reads as meeting a threshold it misses.
* **Periodic updates and escalations** are counted once per ticket: the clock as it stands
  (its latest cycle), breached if any of its cycles breached.
* **Severity** is the ticket's current one (at ``now``): a ticket raised as Severity 1 and
  lowered to Severity 3 is reported, with all its clocks, under Severity 3.
* **Plan** is the customer's current plan.
* **First response times** (median and 90th percentile) are wall-clock times from submission
  to the first non-automated response, for the ``initial_response`` clocks counted in the line
  that a response stopped. A clock stopped because the ticket was resolved before anyone
  responded is met (or breached), but it has no response time. Both percentiles are
  *nearest-rank*: the smallest time with at least p % of the times at or below it, so each is
  a time that actually occurred (the median of four is the second).
* **Credit days** add up the service credits of the line's clocks
  (:attr:`SlaClock.service_credit_days`; only ZITADEL grants them: a day per started
  15 minutes over the objective).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import TextIO

from console.adapters.repository import UnitOfWork
from console.domain.model import EventKind, Metric, TicketEvent
from console.domain.policy import Policy
from console.domain.sla import ClockState, SlaClock, first_response
from console.services.labels import metric_label
from console.services.tickets import PolicyBook

__all__ = [
    "CSV_COLUMNS",
    "Outcome",
    "PolicyTotals",
    "ReportLine",
    "nearest_rank",
    "outcome",
    "percent_text",
    "sla_report",
    "success_rate",
    "totals",
    "write_report_csv",
]

CSV_COLUMNS = (
    "policy",
    "vendor",
    "plan",
    "severity",
    "severity_name",
    "metric",
    "met",
    "breached",
    "pending",
    "success_pct",
    "median_first_response_s",
    "p90_first_response_s",
    "credit_days",
)

_METRIC_ORDER = {metric: i for i, metric in enumerate(Metric)}
_PENDING_STATES = frozenset({ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED})
_BATCH = 1_000


class Outcome(Enum):
    MET = "met"
    BREACHED = "breached"
    PENDING = "pending"


def outcome(clock: SlaClock) -> Outcome | None:
    """How a clock counts in the report; None when it is not held to a timed target."""
    if clock.state is ClockState.WAIVED:
        return None
    if clock.ever_breached or clock.state is ClockState.BREACHED:
        return Outcome.BREACHED
    if clock.state is ClockState.MET:
        return Outcome.MET
    if clock.state in _PENDING_STATES:
        return Outcome.PENDING
    return None  # best effort, or no target


def success_rate(met: int, breached: int) -> float | None:
    """``met / (met + breached)``, a fraction from 0 to 1; None when nothing is decided."""
    decided = met + breached
    return met / decided if decided else None


def _percent_floor(met: int, breached: int, decimals: int) -> str:
    """``100 * met / (met + breached)`` rounded down, in integer arithmetic (no 94.999…)."""
    decided = met + breached
    scale = 10**decimals
    units = (met * 100 * scale) // decided
    if not decimals:
        return str(units)
    return f"{units // scale}.{units % scale:0{decimals}d}"


def percent_text(met: int, breached: int) -> str:
    """Success as shown: ``"94.1 %"`` (rounded down), or ``"—"`` with nothing decided."""
    if met + breached == 0:
        return "—"
    return f"{_percent_floor(met, breached, 1)} %"


def nearest_rank(values: Sequence[timedelta], percent: int) -> timedelta | None:
    """The nearest-rank percentile: the value at rank ``ceil(percent / 100 * n)`` of the sorted
    values (at least the first); None for no values."""
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100], not {percent}")
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ReportLine:
    """One policy, plan, (current) severity and metric: how its clocks stand."""

    policy_id: str
    vendor: str
    plan: str
    severity: int
    severity_name: str
    metric: Metric
    met: int
    breached: int
    pending: int = 0
    median_first_response: timedelta | None = None
    p90_first_response: timedelta | None = None
    credit_days: int = 0

    @property
    def success(self) -> float | None:
        """``met / (met + breached)`` as a fraction (0.941 is 94.1 %); None if none decided."""
        return success_rate(self.met, self.breached)

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def clocks(self) -> int:
        """Every clock counted in the line, pending ones included."""
        return self.met + self.breached + self.pending

    @property
    def success_text(self) -> str:
        return percent_text(self.met, self.breached)


@dataclass(frozen=True)
class PolicyTotals:
    """A policy's lines added up (all plans and severities), or one metric's of them."""

    policy_id: str
    vendor: str
    metric: Metric | None
    met: int
    breached: int
    pending: int
    credit_days: int

    @property
    def success(self) -> float | None:
        return success_rate(self.met, self.breached)

    @property
    def success_text(self) -> str:
        return percent_text(self.met, self.breached)

    @property
    def label(self) -> str:
        """``"ZITADEL"`` or ``"ZITADEL · Initial response"``."""
        if self.metric is None:
            return self.vendor
        return f"{self.vendor} · {metric_label(self.metric)}"


def _sort_key(line: ReportLine) -> tuple[str, str, str, int, int]:
    return (
        line.vendor.casefold(),
        line.policy_id,
        line.plan,
        line.severity,
        _METRIC_ORDER[line.metric],
    )


def totals(lines: Iterable[ReportLine], *, by_metric: bool = False) -> list[PolicyTotals]:
    """Per policy (and per metric with ``by_metric``): met, breached, pending and credit days
    summed over the lines, in the lines' order (vendor, then metric)."""
    sums: dict[tuple[str, Metric | None], list[int]] = {}
    vendors: dict[str, str] = {}
    for line in sorted(lines, key=_sort_key):
        key = (line.policy_id, line.metric if by_metric else None)
        counts = sums.setdefault(key, [0, 0, 0, 0])
        counts[0] += line.met
        counts[1] += line.breached
        counts[2] += line.pending
        counts[3] += line.credit_days
        vendors[line.policy_id] = line.vendor
    result = [
        PolicyTotals(policy_id, vendors[policy_id], metric, *counts)
        for (policy_id, metric), counts in sums.items()
    ]
    result.sort(
        key=lambda t: (
            t.vendor.casefold(),
            t.policy_id,
            -1 if t.metric is None else _METRIC_ORDER[t.metric],
        )
    )
    return result


# --------------------------------------------------------------------------- the report


@dataclass
class _Group:
    met: int = 0
    breached: int = 0
    pending: int = 0
    credit_days: int = 0
    responses: list[timedelta] = field(default_factory=list)


def _aware(name: str, value: datetime) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} {value!r} is naive: instants must carry a time zone")


def _severity_at(events: Sequence[TicketEvent], now: datetime, policy: Policy) -> int:
    """The ticket's severity at ``now``: the created one, changed by each severity change
    to a level the policy has (the clocks read a history the same way)."""
    ordered = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    if not ordered:  # ``now`` before the submission: the severity it was raised with
        ordered = sorted(events, key=lambda e: e.at)[:1]
    levels = {s.level for s in policy.severities}
    level = ordered[0].data.get("severity")
    for event in ordered[1:]:
        if event.kind is EventKind.SEVERITY_CHANGED and event.data.get("to") in levels:
            level = event.data["to"]
    return int(level) if level in levels else min(levels)


def sla_report(
    uow: UnitOfWork, book: PolicyBook, since: datetime, until: datetime, now: datetime
) -> list[ReportLine]:
    """The report's lines for the tickets submitted in ``[since, until)``, their clocks at
    ``now`` (see the module's docstring for how to read them). Sorted by vendor, plan,
    severity and metric (in :class:`Metric` order). Reads inside the open ``uow``; ``book``
    holds the stored company holiday periods.
    """
    for name, value in (("since", since), ("until", until), ("now", now)):
        _aware(name, value)
    if until < since:
        raise ValueError(f"the range ends ({until:%Y-%m-%d %H:%M}) before it starts ({since})")
    groups: dict[tuple[str, str, int, Metric], _Group] = {}
    names: dict[tuple[str, str, int, Metric], tuple[str, str]] = {}
    customers = {c.name: c for c in uow.customers.list()}
    tickets = [t for t in uow.tickets.list(open_only=False) if since <= t.submitted_at < until]
    for start in range(0, len(tickets), _BATCH):
        chunk = tickets[start : start + _BATCH]
        histories = uow.tickets.events_of(t.key for t in chunk)
        for ticket in chunk:
            customer = customers[ticket.customer]
            events = histories[ticket.key]
            if not events:
                continue
            policy = book.policy_for(customer)
            severity = _severity_at(events, now, policy)
            responded = first_response(events, now)
            for clock in book.clocks(customer, events, now):
                result = outcome(clock)
                if result is None:
                    continue
                key = (customer.policy_id, customer.plan, severity, clock.metric)
                group = groups.get(key)
                if group is None:
                    group = groups[key] = _Group()
                    names[key] = (policy.vendor, policy.severity(severity).name)
                if result is Outcome.MET:
                    group.met += 1
                elif result is Outcome.BREACHED:
                    group.breached += 1
                else:
                    group.pending += 1
                group.credit_days += clock.service_credit_days
                if (
                    clock.metric is Metric.INITIAL_RESPONSE
                    and clock.stopped_at is not None
                    and clock.stopped_at == responded
                ):
                    group.responses.append(clock.stopped_at - clock.started_at)
    lines = [_line(key, names[key], group) for key, group in groups.items()]
    lines.sort(key=_sort_key)
    return lines


def _line(key: tuple[str, str, int, Metric], names: tuple[str, str], group: _Group) -> ReportLine:
    policy_id, plan, severity, metric = key
    vendor, severity_name = names
    return ReportLine(
        policy_id=policy_id,
        vendor=vendor,
        plan=plan,
        severity=severity,
        severity_name=severity_name,
        metric=metric,
        met=group.met,
        breached=group.breached,
        pending=group.pending,
        median_first_response=nearest_rank(group.responses, 50),
        p90_first_response=nearest_rank(group.responses, 90),
        credit_days=group.credit_days,
    )


# --------------------------------------------------------------------------- CSV


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else str(int(value.total_seconds()))


def write_report_csv(lines: Iterable[ReportLine], stream: TextIO) -> int:
    """Write the lines as CSV with :data:`CSV_COLUMNS` (success in per cent with two decimals,
    rounded down, empty when nothing is decided; response times in whole seconds, empty
    without responses); how many lines."""
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for line in lines:
        success = _percent_floor(line.met, line.breached, 2) if line.decided else ""
        writer.writerow(
            (
                line.policy_id,
                line.vendor,
                line.plan,
                line.severity,
                line.severity_name,
                line.metric.value,
                line.met,
                line.breached,
                line.pending,
                success,
                _seconds(line.median_first_response),
                _seconds(line.p90_first_response),
                line.credit_days,
            )
        )
        count += 1
    return count
