"""The SLA compliance report: a table of met, breached and pending clocks per policy, plan,
severity and metric, a bar chart of the success rate per policy and metric, and CSV export.

The dialog never reads the database. When the days change it asks ``query(since, until)``
(after a short pause, so stepping through dates sends one query) and the window answers
later with :meth:`ReportDialog.show_report`; an answer for a range that is no longer current
is ignored. Days are chosen in the agent's zone and sent as UTC instants ``[since, until)``,
as in the audit trail. How to read the figures: :mod:`console.services.report`.

The chart is painted with QPainter (PySide6 Essentials has no QtCharts). A bar is green at
95 % or more, amber from 80 %, red below; the thresholds compare whole numbers
(``100 * met >= 95 * decided``), so a bar is never green by rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Metric
from console.qt.audit_view import day_bounds, zone_name
from console.qt.sorting import StableSortMixin
from console.services.report import (
    PolicyTotals,
    ReportLine,
    percent_text,
    totals,
    write_report_csv,
)
from console.services.texts import format_span

Index = QModelIndex | QPersistentModelIndex

(
    COL_VENDOR,
    COL_PLAN,
    COL_SEVERITY,
    COL_METRIC,
    COL_MET,
    COL_BREACHED,
    COL_PENDING,
    COL_SUCCESS,
    COL_MEDIAN,
    COL_P90,
    COL_CREDITS,
) = range(11)
HEADERS = (
    "Vendor",
    "Plan",
    "Severity",
    "Metric",
    "Met",
    "Breached",
    "Pending",
    "Success",
    "Median response",
    "P90 response",
    "Credit days",
)
_NUMERIC = frozenset(
    {COL_MET, COL_BREACHED, COL_PENDING, COL_SUCCESS, COL_MEDIAN, COL_P90, COL_CREDITS}
)
_HEADER_TIPS = {
    COL_SEVERITY: "The ticket's current severity",
    COL_MET: "Clocks stopped in time that never breached",
    COL_BREACHED: "Clocks with a breach in their history (under any severity)",
    COL_PENDING: "Clocks still running, waiting or paused: not counted in Success yet",
    COL_SUCCESS: "Met ÷ (met + breached), rounded down",
    COL_MEDIAN: "Median wall-clock time from submission to the first response (nearest rank)",
    COL_P90: "90th percentile of the time to the first response (nearest rank)",
    COL_CREDITS: "Service credit days earned by the customers (ZITADEL)",
}

LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the ReportLine
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a str or float that orders the column

DEBOUNCE_MS = 250
DEFAULT_DAYS = 30  # the dialog opens on the last 30 days, today included

GOOD_PERCENT = 95  # green at or above
FAIR_PERCENT = 80  # amber at or above, red below
GOOD = QColor("#2e7d32")
FAIR = QColor("#f29d00")
POOR = QColor("#c62828")
_QUIET = QColor(128, 128, 128)
_ERROR_TEXT = "#c62828"
_METRIC_ORDER = {metric: i for i, metric in enumerate(Metric)}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def success_colour(met: int, breached: int) -> QColor | None:
    """Green from 95 %, amber from 80 %, red below; None when nothing is decided."""
    decided = met + breached
    if not decided:
        return None
    if 100 * met >= GOOD_PERCENT * decided:
        return GOOD
    if 100 * met >= FAIR_PERCENT * decided:
        return FAIR
    return POOR


def duration_text(value: timedelta | None) -> str:
    return "—" if value is None else format_span(value, seconds=False)


def projection_text(plan: str) -> str:
    """A plan id in words: ``premium-partner`` is "Premium partner"."""
    words = plan.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def clocks_text(met: int, breached: int, pending: int) -> str:
    decided = met + breached
    text = f"{met:,} met of {decided:,} decided ({breached:,} breached)"
    if pending:
        text += f"; {pending:,} pending"
    return text


# --------------------------------------------------------------------------- the table


class ReportTableModel(StableSortMixin):
    """Report lines with COL_* columns; :data:`SORT_ROLE` gives each cell's sort value.
    ``sort()`` orders the rows itself; column -1 is the order given (the service's)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._given: list[ReportLine] = []
        self._rows: list[ReportLine] = []
        self._positions: list[int] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == SORT_ROLE:
            return self._sort_value(line, column)
        if role == LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(line, column)
        if role == Qt.ItemDataRole.FontRole and column == COL_SUCCESS:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def set_lines(self, lines: Sequence[ReportLine]) -> None:
        """Replace every line, kept in the current sort order."""
        self.beginResetModel()
        self._given = list(lines)
        self._resort()
        self.endResetModel()

    @property
    def lines(self) -> Sequence[ReportLine]:
        """The lines in the order shown."""
        return self._rows

    def _display(self, line: ReportLine, column: int) -> str:
        if column == COL_VENDOR:
            return line.vendor
        if column == COL_PLAN:
            return projection_text(line.plan)
        if column == COL_SEVERITY:
            return line.severity_name
        if column == COL_METRIC:
            return line.metric.label
        if column == COL_MET:
            return f"{line.met:,}"
        if column == COL_BREACHED:
            return f"{line.breached:,}"
        if column == COL_PENDING:
            return f"{line.pending:,}"
        if column == COL_SUCCESS:
            return line.success_text
        if column == COL_MEDIAN:
            return duration_text(line.median_first_response)
        if column == COL_P90:
            return duration_text(line.p90_first_response)
        if column == COL_CREDITS:
            return f"{line.credit_days:,}"
        return ""

    def _sort_value(self, line: ReportLine, column: int) -> str | float:
        if column == COL_VENDOR:
            return line.vendor.casefold()
        if column == COL_PLAN:
            return line.plan
        if column == COL_SEVERITY:
            return float(line.severity)
        if column == COL_METRIC:
            return float(_METRIC_ORDER[line.metric])
        if column == COL_MET:
            return float(line.met)
        if column == COL_BREACHED:
            return float(line.breached)
        if column == COL_PENDING:
            return float(line.pending)
        if column == COL_SUCCESS:
            return -1.0 if line.success is None else line.success
        if column in (COL_MEDIAN, COL_P90):
            value = line.median_first_response if column == COL_MEDIAN else line.p90_first_response
            return -1.0 if value is None else value.total_seconds()
        if column == COL_CREDITS:
            return float(line.credit_days)
        return ""

    def _tooltip(self, line: ReportLine, column: int) -> str | None:
        if column == COL_VENDOR:
            return f"Policy {line.policy_id}"
        if column == COL_PLAN:
            return f"Plan {line.plan}"
        if column == COL_SEVERITY:
            return f"Severity {line.severity}: {line.severity_name}"
        if column == COL_SUCCESS:
            return clocks_text(line.met, line.breached, line.pending)
        if column in (COL_MEDIAN, COL_P90) and line.metric is Metric.INITIAL_RESPONSE:
            value = line.median_first_response if column == COL_MEDIAN else line.p90_first_response
            if value is None:
                return "No ticket in this line has had a response yet"
            return f"Wall-clock time from submission to the first response: {value}"
        return None

    def _foreground(self, line: ReportLine, column: int) -> QColor | None:
        if column == COL_SUCCESS:
            return success_colour(line.met, line.breached) or _QUIET
        if column == COL_BREACHED and line.breached:
            return POOR
        quiet = {
            COL_MET: line.met,
            COL_BREACHED: line.breached,
            COL_PENDING: line.pending,
            COL_CREDITS: line.credit_days,
        }
        if column in quiet and not quiet[column]:
            return _QUIET
        if column in (COL_MEDIAN, COL_P90) and line.median_first_response is None:
            return _QUIET
        return None

    def _resort(self) -> None:
        positions = list(range(len(self._given)))
        column = self._sort_column
        if 0 <= column < len(HEADERS):
            values = [self._sort_value(line, column) for line in self._given]
            descending = self._sort_order is Qt.SortOrder.DescendingOrder
            positions.sort(key=values.__getitem__, reverse=descending)
        self._positions = positions
        self._rows = [self._given[i] for i in positions]


def _alignment(column: int) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


# --------------------------------------------------------------------------- the chart


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
    def colour(self) -> QColor | None:
        return success_colour(self.met, self.breached)

    @property
    def value_text(self) -> str:
        if not self.decided:
            return f"none decided · {self.pending:,} pending"
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


class SuccessChart(QWidget):
    """Horizontal bars of the success rate per policy · metric on a 0-100 % axis, with the
    95 % and 80 % thresholds marked. Painted with QPainter in the palette's colours."""

    ROW = 26  # preferred height of a bar's row
    MIN_ROW = 20
    TOP = 30  # the legend
    BOTTOM = 28  # the axis labels
    MARGIN = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setAccessibleName("Success per policy and metric")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._bars: tuple[ChartBar, ...] = ()
        self._message = "Loading…"
        self._bar_rects: list[tuple[QRect, ChartBar]] = []

    # ------------------------------------------------------------------ content

    @property
    def bars(self) -> tuple[ChartBar, ...]:
        return self._bars

    @property
    def message(self) -> str:
        """What the chart says instead of bars ("" when it has bars)."""
        return "" if self._bars else self._message

    def set_lines(self, lines: Sequence[ReportLine]) -> None:
        self._bars = tuple(ChartBar.of(t) for t in totals(lines, by_metric=True))
        self._message = "No clock with a timed target in these days"
        self._changed()

    def set_message(self, message: str) -> None:
        """Show a message instead of the bars (loading, a failure)."""
        self._bars = ()
        self._message = message
        self._changed()

    def _changed(self) -> None:
        self.setAccessibleDescription(
            "; ".join(f"{bar.label}: {bar.value_text}" for bar in self._bars) or self._message
        )
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ geometry

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = max(len(self._bars), 3)
        return QSize(720, self.TOP + rows * self.ROW + self.BOTTOM + 2 * self.MARGIN)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        rows = max(len(self._bars), 1)
        return QSize(360, self.TOP + rows * self.MIN_ROW + self.BOTTOM + 2 * self.MARGIN)

    @property
    def hit_areas(self) -> tuple[tuple[QRect, ChartBar], ...]:
        """Each bar's row (label, bar and value) as last painted."""
        return tuple(self._bar_rects)

    def bar_at(self, point: QPoint) -> ChartBar | None:
        """The bar whose row is under ``point`` (as last painted)."""
        for rect, bar in self._bar_rects:
            if rect.contains(point):
                return bar
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is not None:
                QToolTip.showText(event.globalPos(), bar.tooltip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
            self._bar_rects = []
            if not self._bars:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
                return
            self._paint_chart(painter, palette)
        finally:
            painter.end()

    def _paint_chart(self, painter: QPainter, palette: QPalette) -> None:
        metrics = self.fontMetrics()
        text = palette.color(QPalette.ColorRole.Text)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = QColor(quiet)
        grid.setAlpha(70)
        area = self.rect().adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)

        self._paint_legend(painter, area, text)

        label_width = min(
            max(metrics.horizontalAdvance(bar.label) for bar in self._bars) + 12,
            area.width() * 2 // 5,
        )
        gap = metrics.horizontalAdvance("  ")
        value_width = max(
            metrics.horizontalAdvance(bar.value_text)
            + (gap + metrics.horizontalAdvance(bar.count_text) if bar.decided else 0)
            for bar in self._bars
        )
        value_width = min(value_width + 12, area.width() // 3)
        plot = QRect(
            area.left() + label_width,
            area.top() + self.TOP,
            max(area.width() - label_width - value_width, 40),
            max(area.height() - self.TOP - self.BOTTOM, self.MIN_ROW),
        )
        row = max(min(plot.height() / len(self._bars), self.ROW * 1.4), 1.0)
        plot.setHeight(round(row * len(self._bars)))

        def x_of(percent: float) -> float:
            return plot.left() + plot.width() * percent / 100

        # Grid and axis: 0-100 % in steps of 20, the thresholds dashed.
        painter.setFont(self.font())
        for percent in range(0, 101, 20):
            x = x_of(percent)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(round(x), plot.top(), round(x), plot.bottom())
            painter.setPen(quiet)
            label = f"{percent} %"
            width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRectF(x - width / 2 - 2, plot.bottom() + 4, width + 4, metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        painter.drawLine(plot.left(), plot.top(), plot.left(), plot.bottom())
        for percent, colour in ((GOOD_PERCENT, GOOD), (FAIR_PERCENT, FAIR)):
            pen = QPen(colour, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            x = round(x_of(percent))
            painter.drawLine(x, plot.top(), x, plot.bottom())

        # The bars, each labelled on the left and with its value at its end.
        thickness = max(min(row * 0.62, 20.0), 6.0)
        for i, bar in enumerate(self._bars):
            top = plot.top() + i * row
            centre = top + row / 2
            self._bar_rects.append(
                (QRect(area.left(), round(top), area.width(), max(round(row), 1)), bar)
            )
            painter.setPen(text)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 12)
            painter.drawText(
                QRectF(area.left(), top, label_width - 10, row),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            share = bar.percent
            fill = bar.colour
            if share is None or fill is None:
                painter.setPen(quiet)
                painter.drawText(
                    QRectF(plot.left() + 6, top, plot.width() + value_width, row),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    bar.value_text,
                )
                continue
            length = plot.width() * share / 100
            rect = QRectF(plot.left() + 1, centre - thickness / 2, max(length - 1, 2.0), thickness)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(fill))
            painter.drawRoundedRect(rect, 2.5, 2.5)
            value_left = rect.right() + 6
            backdrop = metrics.horizontalAdvance(bar.value_text) + gap
            backdrop += metrics.horizontalAdvance(bar.count_text)
            painter.fillRect(  # the threshold lines pass behind the figures, not through them
                QRectF(
                    value_left - 3, centre - metrics.height() / 2, backdrop + 6, metrics.height()
                ),
                palette.color(QPalette.ColorRole.Base),
            )
            painter.setPen(text)
            painter.drawText(
                QRectF(value_left, top, value_width + 4, row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.value_text,
            )
            painter.setPen(quiet)
            painter.drawText(
                QRectF(value_left + metrics.horizontalAdvance(bar.value_text) + gap, top, 200, row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.count_text,
            )
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_legend(self, painter: QPainter, area: QRect, text: QColor) -> None:
        metrics = self.fontMetrics()
        title = QFont(self.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(text)
        caption = "Success per policy · metric"
        painter.drawText(
            QRect(area.left(), area.top(), area.width(), metrics.height() + 4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            caption,
        )
        painter.setFont(self.font())
        entries = (
            (GOOD, f"≥ {GOOD_PERCENT} %"),
            (FAIR, f"{FAIR_PERCENT}\u2013{GOOD_PERCENT} %"),
            (POOR, f"< {FAIR_PERCENT} %"),
        )
        swatch = metrics.height() - 4
        widths = [swatch + 6 + metrics.horizontalAdvance(label) + 16 for _, label in entries]
        x = area.right() - sum(widths)
        y = area.top() + 2
        for (colour, label), width in zip(entries, widths, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour))
            painter.drawRoundedRect(QRectF(x, y + 2, swatch, swatch), 2, 2)
            painter.setPen(text)
            painter.drawText(
                QRect(x + swatch + 6, y, width, metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            x += width
        painter.setBrush(Qt.BrushStyle.NoBrush)


# --------------------------------------------------------------------------- the dialog


class ReportDialog(QDialog):
    """The SLA compliance report for the tickets submitted on the chosen days (in ``zone``).
    Ask-and-answer: changed days call ``query(since, until)`` after :data:`DEBOUNCE_MS`; the
    window answers with :meth:`show_report` (or :meth:`show_failure`)."""

    def __init__(
        self,
        zone: tzinfo,
        query: Callable[[datetime, datetime], None],
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle("SLA compliance report")
        self.resize(1280, 780)
        self.zone = zone
        self._query = query
        self._now = now
        self._sent: tuple[datetime, datetime] | None = None
        self._answered = False

        self.model = ReportTableModel(self)
        self.timer = QTimer(self)
        self.timer.setObjectName("reportQueryTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._send)

        self._build()
        self._connect()
        self.schedule()  # the first query leaves once the window has had a chance to wire up

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        today = self._now().astimezone(self.zone).date()
        self.from_edit = self._date_edit("reportFrom", today - timedelta(days=DEFAULT_DAYS - 1))
        self.to_edit = self._date_edit("reportTo", today)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("reportRefresh")
        self.refresh_button.setToolTip("Compute again for the same days (F5)")
        self.refresh_button.setShortcut("F5")

        filters = QHBoxLayout()
        filters.setSpacing(6)
        intro = QLabel("Tickets submitted", self)
        filters.addWidget(intro)
        for text, widget in (("&from", self.from_edit), ("&to", self.to_edit)):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        zone_label = QLabel(f"({zone_name(self.zone)})", self)
        zone_label.setObjectName("reportZone")
        zone_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        filters.addWidget(zone_label)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)

        self.summary_label = QLabel("Loading…", self)
        self.summary_label.setObjectName("reportSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setStyleSheet("font-size: 15px;")

        self.chart = SuccessChart(self)
        chart_frame = QFrame(self)
        chart_frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(chart_frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.chart)

        self.table = QTableView(self)
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.table.fontMetrics()
        widths = {
            COL_VENDOR: metrics.horizontalAdvance("LivePerson") + 24,
            COL_PLAN: metrics.horizontalAdvance("Premium partner") + 24,
            COL_SEVERITY: 230,
            COL_METRIC: metrics.horizontalAdvance("Escalation response") + 24,
            COL_SUCCESS: metrics.horizontalAdvance("100.0 %") + 32,
            COL_MEDIAN: metrics.horizontalAdvance("Median response") + 20,
            COL_P90: metrics.horizontalAdvance("P90 response") + 20,
            COL_CREDITS: metrics.horizontalAdvance("Credit days") + 20,
        }
        for column in (COL_MET, COL_BREACHED, COL_PENDING):
            widths[column] = metrics.horizontalAdvance("Breached") + 20
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_SEVERITY, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("reportSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(chart_frame)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._splitter_moved = False  # once the user drags it, answers leave it where it is
        self._chart_frame = chart_frame

        self.note_label = QLabel(
            "Success = met ÷ (met + breached); pending clocks are left out. A breach under an "
            "earlier severity counts. Severity is the ticket's current one.",
            self,
        )
        self.note_label.setObjectName("reportNote")
        self.note_label.setWordWrap(True)
        self.note_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("reportStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("reportExport")
        self.export_button.setToolTip("Save the lines shown, in this order, as CSV")
        self.export_button.setEnabled(False)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("reportClose")
        for button in (self.refresh_button, self.export_button, self.close_button):
            button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setToolTip(f"A day in {zone_name(self.zone)} (both days included)")
        return edit

    def _connect(self) -> None:
        self.from_edit.dateChanged.connect(self._from_changed)
        self.to_edit.dateChanged.connect(self._to_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.close_button.clicked.connect(self.reject)
        self.splitter.splitterMoved.connect(self._user_moved_splitter)

    # ------------------------------------------------------------------ days

    def current_range(self) -> tuple[datetime, datetime]:
        """``[since, until)`` in UTC for the days chosen."""
        return day_bounds(_pydate(self.from_edit.date()), _pydate(self.to_edit.date()), self.zone)

    @property
    def pending_range(self) -> tuple[datetime, datetime] | None:
        """The range last sent to ``query``: only answers for it are shown."""
        return self._sent

    def set_days(self, first: date, last: date) -> None:
        """Choose the days (``last`` before ``first`` is moved to it)."""
        self.from_edit.setDate(_qdate(first))
        self.to_edit.setDate(_qdate(max(first, last)))

    def schedule(self) -> None:
        """The days changed: ask once the changes pause."""
        self.export_button.setEnabled(False)
        self.timer.start()

    def refresh(self) -> None:
        """Ask now, for the same days."""
        self._send(force=True)

    def _send(self, force: bool = False) -> None:
        self.timer.stop()
        wanted = self.current_range()
        if wanted == self._sent and not force:
            self._update_export()
            return
        self._sent = wanted
        self._answered = False
        self.summary_label.setText("<span style='color: gray'>Computing the clocks…</span>")
        self.chart.set_message("Loading…")
        self._update_export()
        self._query(*wanted)

    def _from_changed(self, day: QDate) -> None:
        if self.to_edit.date() < day:
            self.to_edit.setDate(day)
        self.schedule()

    def _to_changed(self, day: QDate) -> None:
        if self.from_edit.date() > day:
            self.from_edit.setDate(day)
        self.schedule()

    # ------------------------------------------------------------------ answers

    def show_report(self, since: datetime, until: datetime, lines: Sequence[ReportLine]) -> bool:
        """Show the answer to ``query(since, until)``; False (nothing shown) when the days have
        changed since."""
        if (since, until) != self._sent:
            return False
        self._answered = True
        self.model.set_lines(lines)
        self.table.scrollToTop()
        self.chart.set_lines(lines)
        self._fit_chart()
        self.summary_label.setText(self._summary(lines))
        self._update_export()
        return True

    def show_failure(self, since: datetime, until: datetime, message: str) -> bool:
        """The query for ``[since, until)`` failed; False when it is no longer current."""
        if (since, until) != self._sent:
            return False
        self._answered = True
        self.model.set_lines([])
        self.chart.set_message("No report")
        self.summary_label.setText(
            f"<span style='color: {_ERROR_TEXT}'>Could not compute the report: "
            f"{_escape(message)}</span>"
        )
        self._update_export()
        return True

    def _user_moved_splitter(self, _position: int, _index: int) -> None:
        self._splitter_moved = True

    def _fit_chart(self) -> None:
        """Give the chart the height its bars want (up to 55 % of the room), the table the rest,
        unless the user has placed the splitter."""
        total = sum(self.splitter.sizes())
        if self._splitter_moved or total <= 0:
            return
        frame = self._chart_frame
        margins = frame.contentsMargins().top() + frame.contentsMargins().bottom()
        wanted = self.chart.sizeHint().height() + margins + 2 * frame.frameWidth()
        chart = max(min(wanted, total * 55 // 100), frame.minimumSizeHint().height())
        self.splitter.setSizes([chart, max(total - chart, 0)])

    def _summary(self, lines: Sequence[ReportLine]) -> str:
        met = sum(line.met for line in lines)
        breached = sum(line.breached for line in lines)
        pending = sum(line.pending for line in lines)
        credits = sum(line.credit_days for line in lines)
        at = self._now().astimezone(self.zone)
        when = f"<span style='color: gray'>· clocks as of {at:%d %b %H:%M %Z}</span>"
        if not met + breached + pending:
            return f"No clock with a timed target on these days {when}"
        colour = success_colour(met, breached)
        success = percent_text(met, breached)
        if colour is not None:
            success = f"<b style='color: {colour.name()}'>{success}</b>"
        parts = [
            f"Success {success}",
            f"<b>{met:,}</b> met",
            f"<b style='color: {POOR.name()}'>{breached:,}</b> breached"
            if breached
            else "<b>0</b> breached",
            f"<b>{pending:,}</b> pending",
        ]
        if credits:
            parts.append(f"<b>{credits:,}</b> credit day{'s' if credits != 1 else ''}")
        return " &nbsp;·&nbsp; ".join(parts) + f" &nbsp;{when}"

    def _update_export(self) -> None:
        ready = self._answered and not self.timer.isActive() and bool(self.model.lines)
        self.export_button.setEnabled(ready)

    # ------------------------------------------------------------------ export

    def suggested_file_name(self) -> str:
        first = _pydate(self.from_edit.date())
        last = _pydate(self.to_edit.date())
        days = f"{first:%Y%m%d}" if first == last else f"{first:%Y%m%d}-{last:%Y%m%d}"
        return f"sla_report_{days}.csv"

    def export_csv(self) -> bool:
        """Ask for a file and write the lines shown there as CSV; whether it was written."""
        lines = list(self.model.lines)
        suggested = str(Path.home() / self.suggested_file_name())
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the SLA report", suggested, "CSV files (*.csv);;All files (*)"
        )
        if not path:
            return False
        try:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                count = write_report_csv(lines, stream)
        except OSError as error:
            reason = error.strerror or str(error)
            self._set_status(f"Export failed: {reason}", error=True)
            QMessageBox.warning(
                self, "Export failed", f"The report could not be written to\n{path}\n\n{reason}"
            )
            return False
        noun = "line" if count == 1 else "lines"
        self._set_status(f"Exported {count:,} {noun} to {Path(path).name}")
        self.status_label.setToolTip(f"Exported {count:,} {noun} to {path}")
        return True

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setStyleSheet(f"color: {_ERROR_TEXT};" if error else "")
        self.status_label.setText(text)
        self.status_label.setToolTip(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
