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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from console.adapters.repository import UnitOfWork
from console.domain.model import Customer, Metric, Outcome, TicketEvent
from console.domain.outcomes import clock_outcome, severity_at
from console.domain.sla import first_response
from console.services.labels import metric_label
from console.services.tickets import PolicyBook, stale_bases

__all__ = [
    "CSV_COLUMNS",
    "Outcome",
    "PolicyTotals",
    "ReportLine",
    "nearest_rank",
    "percent_text",
    "sla_report",
    "sla_report_from_histories",
    "success_percent",
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
_BATCH = 1_000


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


def success_percent(met: int, breached: int, decimals: int = 2) -> str | None:
    """Success in per cent with ``decimals`` decimals, rounded down (``"94.11"``); None with
    nothing decided."""
    return _percent_floor(met, breached, decimals) if met + breached else None


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
    # The median and 90th percentile as the database ranked them (else from responses).
    ranks: tuple[timedelta, ...] | None = None

    def add(self, result: Outcome, clocks: int = 1) -> None:
        if result is Outcome.MET:
            self.met += clocks
        elif result is Outcome.BREACHED:
            self.breached += clocks
        else:
            self.pending += clocks


_Key = tuple[str, str, int, Metric]  # policy, plan, severity, metric


class _Tally:
    """The report's groups as they are added up (and taken away)."""

    def __init__(self, book: PolicyBook, customers: Mapping[str, Customer]) -> None:
        self.book = book
        self.customers = customers
        self.groups: dict[_Key, _Group] = {}
        self.names: dict[_Key, tuple[str, str]] = {}

    def group(self, customer_name: str, severity: int, metric: Metric) -> _Group:
        customer = self.customers[customer_name]
        key = (customer.policy_id, customer.plan, severity, metric)
        found = self.groups.get(key)
        if found is None:
            policy = self.book.policy_for(customer)
            found = self.groups[key] = _Group()
            self.names[key] = (policy.vendor, policy.severity(severity).name)
        return found

    def add_history(self, customer: Customer, events: Sequence[TicketEvent], now: datetime) -> None:
        """A ticket's clocks at ``now``, computed from its history."""
        if not events:
            return
        policy = self.book.policy_for(customer)
        severity = severity_at(events, now, policy)
        responded = first_response(events, now)
        for clock in self.book.clocks(customer, events, now):
            result = clock_outcome(clock)
            if result is None:
                continue
            group = self.group(customer.name, severity, clock.metric)
            group.add(result)
            group.credit_days += clock.service_credit_days
            if (
                clock.metric is Metric.INITIAL_RESPONSE
                and clock.stopped_at is not None
                and clock.stopped_at == responded
            ):
                group.responses.append(clock.stopped_at - clock.started_at)

    def lines(self) -> list[ReportLine]:
        lines = [
            _line(key, self.names[key], group)
            for key, group in self.groups.items()
            if group.met or group.breached or group.pending
        ]
        lines.sort(key=_sort_key)
        return lines


def _aware(name: str, value: datetime) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} {value!r} is naive: instants must carry a time zone")


def _check_range(since: datetime, until: datetime, now: datetime) -> None:
    for name, value in (("since", since), ("until", until), ("now", now)):
        _aware(name, value)
    if until < since:
        raise ValueError(f"the range ends ({until:%Y-%m-%d %H:%M}) before it starts ({since})")


Progress = Callable[[int, int], None]


def _add_histories(
    uow: UnitOfWork, tally: _Tally, keys: Sequence[str], now: datetime, progress: Progress | None
) -> None:
    """Add the tickets ``keys`` computed from their histories, in batches."""
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        tickets = uow.tickets.list(open_only=False, keys=chunk)
        histories = uow.tickets.events_of(chunk)
        for ticket in tickets:
            tally.add_history(tally.customers[ticket.customer], histories[ticket.key], now)
        if progress is not None:
            progress(min(start + _BATCH, len(keys)), len(keys))


def sla_report_from_histories(
    uow: UnitOfWork,
    book: PolicyBook,
    since: datetime,
    until: datetime,
    now: datetime,
    progress: Progress | None = None,
) -> list[ReportLine]:
    """:func:`sla_report` computed from every ticket's whole history, ignoring the stored
    outcomes: slower (every history is read), and the reference the stored outcomes are
    checked against."""
    _check_range(since, until, now)
    tally = _Tally(book, {c.name: c for c in uow.customers.list()})
    keys = [t.key for t in uow.tickets.list(open_only=False) if since <= t.submitted_at < until]
    _add_histories(uow, tally, keys, now, progress)
    return tally.lines()


def sla_report(
    uow: UnitOfWork,
    book: PolicyBook,
    since: datetime,
    until: datetime,
    now: datetime,
    progress: Progress | None = None,
) -> list[ReportLine]:
    """The report's lines for the tickets submitted in ``[since, until)``, their clocks at
    ``now`` (see the module's docstring for how to read them). Sorted by vendor, plan,
    severity and metric (in :class:`Metric` order). Reads inside the open ``uow``; ``book``
    holds the stored company holiday periods.

    The figures come from the stored clock outcomes, counted by the database; only the
    tickets whose outcomes cannot be read at ``now`` (none stored yet, a policy file changed
    since, credits growing past a due instant) are computed from their histories, the same
    way :func:`sla_report_from_histories` computes every ticket. ``progress`` is told
    ``(done, total)`` as those are computed.
    """
    _check_range(since, until, now)
    customers = {c.name: c for c in uow.customers.list()}
    tally = _Tally(book, customers)
    counts = uow.tickets.outcome_counts(since, until, now)
    stale = stale_bases(counts, customers, book)
    sizes: dict[tuple[str, str, int], int] = {}
    for count in counts:
        if count.responses and count.customer in customers:
            owner = customers[count.customer]
            line = (owner.policy_id, owner.plan, count.severity)
            sizes[line] = sizes.get(line, 0) + count.responses
        if (count.customer, count.basis) in stale:
            continue
        group = tally.group(count.customer, count.severity, count.metric)
        group.met += count.met
        group.breached += count.breached
        group.pending += count.pending
        group.credit_days += count.credit_days
    unsettled = uow.tickets.unsettled_outcomes(since, until, now, stale)
    # Take away what the unsettled tickets' stored rows added (those on a stale basis were
    # never added), then add them computed from their histories.
    touched: set[tuple[str, str, int]] = set()
    for customer, basis, rows in uow.tickets.outcomes_of(unsettled).values():
        for row in rows:
            if row.response is not None and customer in customers:
                owner = customers[customer]
                touched.add((owner.policy_id, owner.plan, row.severity))
            if (customer, basis) in stale:
                continue
            group = tally.group(customer, row.severity, row.metric)
            group.add(row.at(now), -1)
            if not (row.grows and row.due is not None and now > row.due):
                group.credit_days -= row.credit_days
    _add_histories(uow, tally, unsettled, now, progress)
    _growing_credits(uow, tally, since, until, now, set(unsettled))
    # The lines' sizes count every stored time by the customer's plan now: right unless a
    # basis is stale (a plan changed), when every line is ranked from its times instead.
    _first_responses(uow, tally, since, until, stale, unsettled, touched, None if stale else sizes)
    return tally.lines()


def _growing_credits(
    uow: UnitOfWork,
    tally: _Tally,
    since: datetime,
    until: datetime,
    now: datetime,
    unsettled: set[str],
) -> None:
    """The service credits at ``now`` of the stored clocks whose credits grow and that ran
    past their due instant (the database counted none for them): computed from their
    tickets' histories. Everything else stored of those tickets stands."""
    growing: dict[str, list[tuple[str, int, Metric]]] = {}
    for key, customer, severity, metric in uow.tickets.growing_outcomes(since, until, now):
        if key not in unsettled:  # those were computed whole from their histories
            growing.setdefault(key, []).append((customer, severity, metric))
    keys = sorted(growing)
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        histories = uow.tickets.events_of(chunk)
        for key in chunk:
            customer = growing[key][0][0]
            clocks = {
                c.metric: c
                for c in tally.book.clocks(tally.customers[customer], histories[key], now)
            }
            for name, severity, metric in growing[key]:
                clock = clocks.get(metric)
                if clock is not None:
                    tally.group(name, severity, metric).credit_days += clock.service_credit_days


def _first_responses(
    uow: UnitOfWork,
    tally: _Tally,
    since: datetime,
    until: datetime,
    stale: set[tuple[str, str]],
    unsettled: Sequence[str],
    touched: set[tuple[str, str, int]],
    sizes: Mapping[tuple[str, str, int], int] | None,
) -> None:
    """The median and 90th percentile of each line's times to first response: ranked by
    the database where every stored time of the line stands; else (a line ``touched`` by
    unsettled tickets' stored times, one with times computed from histories, or every line
    when a basis is stale) from the line's stored times that stand and those computed."""
    ranks = uow.tickets.outcome_ranks(since, until, _PERCENTS, sizes)
    affected = set(touched)
    affected.update(
        (key[0], key[1], key[2])
        for key, group in tally.groups.items()
        if key[3] is Metric.INITIAL_RESPONSE and group.responses
    )
    if stale:
        affected.update(ranks)
    for line, values in ranks.items():
        if line not in affected:
            group = tally.groups.get((*line, Metric.INITIAL_RESPONSE))
            if group is not None:
                group.ranks = values
    stored = uow.tickets.outcome_responses(
        since, until, sorted(affected), excluded=unsettled, stale=stale
    )
    for line, times in stored.items():
        group = tally.groups.get((*line, Metric.INITIAL_RESPONSE))
        if group is not None:
            group.responses.extend(times)


_PERCENTS = (50, 90)


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
        median_first_response=(
            group.ranks[0] if group.ranks is not None else nearest_rank(group.responses, 50)
        ),
        p90_first_response=(
            group.ranks[1] if group.ranks is not None else nearest_rank(group.responses, 90)
        ),
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
