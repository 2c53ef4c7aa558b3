"""The SLA report's bar chart without the painting: one bar per policy and metric, and where
each part of the chart goes for a given size (whole pixels, as the painter takes them).

The chart has a legend on top, a row per bar (label on the left, the bar on a 0-100 % axis,
its value after it) and the axis labels below; the thresholds of
:mod:`console.services.report_table` are marked on the axis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from console.services import words
from console.services.report import PolicyTotals, ReportLine, percent_text, totals
from console.services.report_table import (
    FAIR_PERCENT,
    GOOD_PERCENT,
    Tone,
    clocks_text,
    success_tone,
)

__all__ = [
    "AXIS_PERCENTS",
    "LEGEND",
    "THRESHOLDS",
    "Box",
    "ChartBar",
    "ChartGeometry",
    "chart_bars",
    "chart_geometry",
    "minimum_height",
    "preferred_height",
]

ROW = 26  # preferred height of a bar's row
MIN_ROW = 20
TOP = 30  # the legend
BOTTOM = 28  # the axis labels
MARGIN = 12
MIN_PLOT_WIDTH = 40
LABEL_PAD = 12  # after the longest label, and after the longest value

AXIS_PERCENTS = tuple(range(0, 101, 20))
THRESHOLDS = ((GOOD_PERCENT, Tone.GOOD), (FAIR_PERCENT, Tone.FAIR))
LEGEND = (
    (Tone.GOOD, f"≥ {GOOD_PERCENT} %"),
    (Tone.FAIR, f"{FAIR_PERCENT}\u2013{GOOD_PERCENT} %"),
    (Tone.POOR, f"< {FAIR_PERCENT} %"),
)


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar: a policy's clocks of one metric, all plans and severities together."""

    label: str
    met: int
    breached: int
    pending: int

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def percent(self) -> float | None:
        return 100 * self.met / self.decided if self.decided else None

    @property
    def tone(self) -> Tone | None:
        return success_tone(self.met, self.breached)

    @property
    def value_text(self) -> str:
        if not self.decided:
            return words.tr("none decided · %Ln pending", "", self.pending)
        return percent_text(self.met, self.breached)

    @property
    def count_text(self) -> str:
        """How many clocks the value rests on: ``"n = 311"`` ("" when none is decided)."""
        return f"n = {self.decided:,}" if self.decided else ""

    @property
    def tooltip(self) -> str:
        return f"{self.label}\n{clocks_text(self.met, self.breached, self.pending)}"

    @classmethod
    def of(cls, total: PolicyTotals) -> ChartBar:
        return cls(total.label, total.met, total.breached, total.pending)


def chart_bars(lines: Iterable[ReportLine]) -> tuple[ChartBar, ...]:
    """A bar per policy and metric, by vendor and then metric."""
    return tuple(ChartBar.of(t) for t in totals(lines, by_metric=True))


def preferred_height(bars: int) -> int:
    return TOP + max(bars, 3) * ROW + BOTTOM + 2 * MARGIN


def minimum_height(bars: int) -> int:
    return TOP + max(bars, 1) * MIN_ROW + BOTTOM + 2 * MARGIN


class Box(NamedTuple):
    """A rectangle in whole pixels: ``QRect(*box)``."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ChartGeometry:
    """Where the parts of a chart of ``bars`` rows go."""

    area: Box  # inside the margins: the legend on top, the rows, the axis labels
    plot: Box  # the axis: 0 % at its left edge, 100 % at its right
    label_width: int  # left of the plot
    value_width: int  # right of the plot
    row: float  # each bar's row, from the plot's top
    thickness: float  # of a bar

    def x_of(self, percent: float) -> float:
        return self.plot.left + self.plot.width * percent / 100

    def row_top(self, index: int) -> float:
        return self.plot.top + index * self.row

    def hit_box(self, index: int) -> Box:
        """The whole row of bar ``index``: its label, bar and value."""
        top = self.row_top(index)
        return Box(self.area.left, round(top), self.area.width, max(round(self.row), 1))


def chart_geometry(
    width: int, height: int, bars: int, label_advance: int, value_advance: int
) -> ChartGeometry:
    """The geometry of a ``width`` x ``height`` chart of ``bars`` (at least one) rows whose
    longest label and value take ``label_advance`` and ``value_advance`` pixels. The labels
    get at most 2/5 of the width and the values 1/3; a row is at most 1.4 times
    :data:`ROW` high, and the plot no higher than its rows."""
    area = Box(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)
    label_width = min(label_advance + LABEL_PAD, area.width * 2 // 5)
    value_width = min(value_advance + LABEL_PAD, area.width // 3)
    plot_height = max(area.height - TOP - BOTTOM, MIN_ROW)
    row = max(min(plot_height / bars, ROW * 1.4), 1.0)
    plot = Box(
        area.left + label_width,
        area.top + TOP,
        max(area.width - label_width - value_width, MIN_PLOT_WIDTH),
        round(row * bars),
    )
    thickness = max(min(row * 0.62, 20.0), 6.0)
    return ChartGeometry(area, plot, label_width, value_width, row, thickness)
