"""The SLA report in words: the table's columns (header, cell text, sort value, tip and tone
of each), the figures over every line for the summary, and the export file.

Nothing here needs Qt: the report dialog maps a :class:`Tone` to a colour. A success rate is
good at 95 % or more, fair from 80 %, poor below; the thresholds compare whole numbers
(``100 * met >= 95 * decided``), so a rate is never good by rounding. How to read the
figures: :mod:`console.services.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from operator import attrgetter
from pathlib import Path

from console.domain.model import Metric
from console.services import words
from console.services.labels import metric_label
from console.services.report import ReportLine, percent_text, write_report_csv
from console.services.texts import NO_VALUE, format_span

__all__ = [
    "COLUMNS",
    "FAIR_PERCENT",
    "GOOD_PERCENT",
    "HEADERS",
    "Column",
    "Figures",
    "Tone",
    "clocks_text",
    "duration_text",
    "plan_text",
    "report_file_name",
    "save_report_csv",
    "success_tone",
]

GOOD_PERCENT = 95  # good at or above
FAIR_PERCENT = 80  # fair at or above, poor below

_METRIC_ORDER = {metric: i for i, metric in enumerate(Metric)}


class Tone(Enum):
    """How a figure reads: the views give each tone its colour."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    QUIET = "quiet"  # nothing to see: a zero, no response yet


def success_tone(met: int, breached: int) -> Tone | None:
    """Good from 95 %, fair from 80 %, poor below; None when nothing is decided."""
    decided = met + breached
    if not decided:
        return None
    if 100 * met >= GOOD_PERCENT * decided:
        return Tone.GOOD
    if 100 * met >= FAIR_PERCENT * decided:
        return Tone.FAIR
    return Tone.POOR


def duration_text(value: timedelta | None) -> str:
    """A response time to the minute ("1h 57m"), or a dash without one."""
    return NO_VALUE if value is None else format_span(value, seconds=False)


def plan_text(plan: str) -> str:
    """A plan id in words: ``premium-partner`` is "Premium partner"."""
    said = plan.replace("-", " ").replace("_", " ")
    return said[:1].upper() + said[1:]


def clocks_text(met: int, breached: int, pending: int) -> str:
    """``16 met of 17 decided (1 breached); 2 pending``."""
    decided = met + breached
    text = words.tr("{met} met of {decided} decided ({breached} breached)").format(
        met=_number(met), decided=_number(decided), breached=_number(breached)
    )
    if pending:
        text += "; " + words.tr("{count} pending").format(count=_number(pending))
    return text


def _number(value: int) -> str:
    """A whole number with the thousands separated in the console's language ("1,234";
    German "1.234")."""
    return words.tr("%Ln", "a number", value)


# --------------------------------------------------------------------------- the columns


def _no_tip(line: ReportLine) -> str | None:
    return None


def _no_tone(line: ReportLine) -> Tone | None:
    return None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the report table: what its cells say and how they sort and read.
    ``header`` and ``header_tip`` are marked for translation: shown with words.tr(...)."""

    header: str
    text: Callable[[ReportLine], str]
    sort: Callable[[ReportLine], str | float]
    header_tip: str | None = None
    numeric: bool = False  # right-aligned
    tip: Callable[[ReportLine], str | None] = _no_tip
    tone: Callable[[ReportLine], Tone | None] = _no_tone
    bold: bool = False


def _count(header: str, name: str, header_tip: str, *, poor: bool = False) -> Column:
    """A column of whole numbers: quiet when zero (poor when not, with ``poor``)."""
    value: Callable[[ReportLine], int] = attrgetter(name)

    def tone(line: ReportLine) -> Tone | None:
        if not value(line):
            return Tone.QUIET
        return Tone.POOR if poor else None

    return Column(
        header,
        lambda line: _number(value(line)),
        lambda line: float(value(line)),
        header_tip,
        numeric=True,
        tone=tone,
    )


def _response(header: str, name: str, header_tip: str) -> Column:
    """A first response time: shown to the minute, sorted by seconds (none first)."""
    value: Callable[[ReportLine], timedelta | None] = attrgetter(name)

    def sort(line: ReportLine) -> float:
        found = value(line)
        return -1.0 if found is None else found.total_seconds()

    def tip(line: ReportLine) -> str | None:
        if line.metric is not Metric.INITIAL_RESPONSE:
            return None
        found = value(line)
        if found is None:
            return words.tr("No ticket in this line has had a response yet")
        return words.tr("Wall-clock time from submission to the first response: {span}").format(
            span=format_span(found)
        )

    def tone(line: ReportLine) -> Tone | None:
        return Tone.QUIET if line.median_first_response is None else None

    return Column(
        header,
        lambda line: duration_text(value(line)),
        sort,
        header_tip,
        numeric=True,
        tip=tip,
        tone=tone,
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        words.QT_TR_NOOP("Vendor"),
        attrgetter("vendor"),
        lambda line: line.vendor.casefold(),
        tip=lambda line: words.tr("Policy {policy}").format(policy=line.policy_id),
    ),
    Column(
        words.QT_TR_NOOP("Plan"),
        lambda line: plan_text(line.plan),
        attrgetter("plan"),
        tip=lambda line: words.tr("Plan {plan}").format(plan=line.plan),
    ),
    Column(
        words.QT_TR_NOOP("Severity"),
        attrgetter("severity_name"),
        lambda line: float(line.severity),
        words.QT_TR_NOOP("The ticket's current severity"),
        tip=lambda line: words.tr("Severity {level}: {name}").format(
            level=line.severity, name=line.severity_name
        ),
    ),
    Column(
        words.QT_TR_NOOP("Metric"),
        lambda line: metric_label(line.metric),
        lambda line: float(_METRIC_ORDER[line.metric]),
    ),
    _count(
        words.QT_TR_NOOP("Met"),
        "met",
        words.QT_TR_NOOP("Clocks stopped in time that never breached"),
    ),
    _count(
        words.QT_TR_NOOP("Breached"),
        "breached",
        words.QT_TR_NOOP(
            "Clocks whose target ran out in business time, now or earlier (under any severity)"
        ),
        poor=True,
    ),
    _count(
        words.QT_TR_NOOP("Pending"),
        "pending",
        words.QT_TR_NOOP("Clocks still running, waiting or paused: not counted in Success yet"),
    ),
    Column(
        words.QT_TR_NOOP("Success"),
        attrgetter("success_text"),
        lambda line: -1.0 if line.success is None else line.success,
        words.QT_TR_NOOP("Met ÷ (met + breached), rounded down"),
        numeric=True,
        tip=lambda line: clocks_text(line.met, line.breached, line.pending),
        tone=lambda line: success_tone(line.met, line.breached) or Tone.QUIET,
        bold=True,
    ),
    _response(
        words.QT_TR_NOOP("Median response"),
        "median_first_response",
        words.QT_TR_NOOP(
            "Median wall-clock time from submission to the first response (nearest rank)"
        ),
    ),
    _response(
        words.QT_TR_NOOP("P90 response"),
        "p90_first_response",
        words.QT_TR_NOOP("90th percentile of the time to the first response (nearest rank)"),
    ),
    _count(
        words.QT_TR_NOOP("Credit days"),
        "credit_days",
        words.QT_TR_NOOP("Service credit days earned by the customers (ZITADEL)"),
    ),
)
"""The table's columns, in order; the ``COL_*`` constants of the view index them."""

HEADERS = tuple(column.header for column in COLUMNS)


# --------------------------------------------------------------------------- the summary


@dataclass(frozen=True, slots=True)
class Figures:
    """Every line of a report added up."""

    met: int = 0
    breached: int = 0
    pending: int = 0
    credit_days: int = 0

    @classmethod
    def of(cls, lines: Iterable[ReportLine]) -> Figures:
        met = breached = pending = credit_days = 0
        for line in lines:
            met += line.met
            breached += line.breached
            pending += line.pending
            credit_days += line.credit_days
        return cls(met, breached, pending, credit_days)

    @property
    def clocks(self) -> int:
        return self.met + self.breached + self.pending

    @property
    def success_text(self) -> str:
        return percent_text(self.met, self.breached)

    @property
    def tone(self) -> Tone | None:
        return success_tone(self.met, self.breached)

    @property
    def credit_text(self) -> str:
        """``5 credit days`` (``1 credit day``)."""
        return words.tr("%Ln credit day(s)", "", self.credit_days)


# --------------------------------------------------------------------------- the file


def report_file_name(first: date, last: date) -> str:
    """``sla_report_20261022-20261120.csv`` (one date for a single day)."""
    days = f"{first:%Y%m%d}" if first == last else f"{first:%Y%m%d}-{last:%Y%m%d}"
    return f"sla_report_{days}.csv"


def save_report_csv(lines: Sequence[ReportLine], path: Path) -> int:
    """Write ``lines`` to ``path`` as CSV (see :func:`write_report_csv`); how many. Raises
    :class:`OSError` when the file cannot be written."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        return write_report_csv(lines, stream)
