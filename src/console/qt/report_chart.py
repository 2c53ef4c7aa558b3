"""The SLA report's chart: horizontal bars of the success rate per policy and metric, painted
with QPainter (PySide6 Essentials has no QtCharts) in the palette's colours and the bars'
colours of its scheme (:mod:`console.qt.theme`). The bars and their geometry are computed in
:mod:`console.services.report_chart`; here they are measured and painted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from console.qt import theme
from console.services.report import ReportLine
from console.services.report_chart import (
    AXIS_PERCENTS,
    LEGEND,
    THRESHOLDS,
    ChartBar,
    ChartGeometry,
    chart_bars,
    chart_geometry,
    minimum_height,
    preferred_height,
)
from console.services.report_table import Tone

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SuccessChart(QWidget):
    """Horizontal bars of the success rate per policy · metric on a 0-100 % axis, with the
    95 % and 80 % thresholds marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setAccessibleName(self.tr("Success per policy and metric"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._bars: tuple[ChartBar, ...] = ()
        self._message = self.tr("Loading…")
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
        self._bars = chart_bars(lines)
        self._message = self.tr("No clock with a timed target in these days")
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
        return QSize(720, preferred_height(len(self._bars)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, minimum_height(len(self._bars)))

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

    def _geometry(self, metrics: QFontMetrics) -> ChartGeometry:
        gap = metrics.horizontalAdvance("  ")
        labels = max(metrics.horizontalAdvance(bar.label) for bar in self._bars)
        values = max(
            metrics.horizontalAdvance(bar.value_text)
            + (gap + metrics.horizontalAdvance(bar.count_text) if bar.decided else 0)
            for bar in self._bars
        )
        return chart_geometry(self.width(), self.height(), len(self._bars), labels, values)

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
        geometry = self._geometry(metrics)
        area = QRect(*geometry.area)
        self._paint_legend(painter, area, text, theme.colours(palette).bars)
        self._paint_axis(painter, geometry, palette)
        for i, bar in enumerate(self._bars):
            self._bar_rects.append((QRect(*geometry.hit_box(i)), bar))
            self._paint_bar(painter, geometry, i, bar, palette)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_axis(self, painter: QPainter, geometry: ChartGeometry, palette: QPalette) -> None:
        """The grid and axis, 0-100 % in steps of 20, and the thresholds dashed."""
        metrics = self.fontMetrics()
        plot = QRect(*geometry.plot)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = theme.colours(palette).grid
        painter.setFont(self.font())
        for percent in AXIS_PERCENTS:
            x = geometry.x_of(percent)
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
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1))
        painter.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        painter.drawLine(plot.left(), plot.top(), plot.left(), plot.bottom())
        bars = theme.colours(palette).bars
        for percent, tone in THRESHOLDS:
            painter.setPen(QPen(bars[tone], 1, Qt.PenStyle.DashLine))
            x = round(geometry.x_of(percent))
            painter.drawLine(x, plot.top(), x, plot.bottom())

    def _paint_bar(
        self,
        painter: QPainter,
        geometry: ChartGeometry,
        index: int,
        bar: ChartBar,
        palette: QPalette,
    ) -> None:
        """One bar, labelled on the left and with its value at its end."""
        metrics = self.fontMetrics()
        text = palette.color(QPalette.ColorRole.Text)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        left, label_width = geometry.area.left, geometry.label_width
        plot, row = geometry.plot, geometry.row
        top = geometry.row_top(index)
        centre = top + row / 2
        painter.setPen(text)
        label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 12)
        painter.drawText(QRectF(left, top, label_width - 10, row), _RIGHT, label)
        share = bar.percent
        fill = None if bar.tone is None else theme.colours(palette).bars[bar.tone]
        if share is None or fill is None:
            painter.setPen(quiet)
            value_box = QRectF(plot.left + 6, top, plot.width + geometry.value_width, row)
            painter.drawText(value_box, _LEFT, bar.value_text)
            return
        thickness = geometry.thickness
        length = plot.width * share / 100
        rect = QRectF(plot.left + 1, centre - thickness / 2, max(length - 1, 2.0), thickness)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, 2.5, 2.5)
        value_left = rect.right() + 6
        value_advance = metrics.horizontalAdvance(bar.value_text)
        gap = metrics.horizontalAdvance("  ")
        backdrop = value_advance + gap + metrics.horizontalAdvance(bar.count_text)
        painter.fillRect(  # the threshold lines pass behind the figures, not through them
            QRectF(value_left - 3, centre - metrics.height() / 2, backdrop + 6, metrics.height()),
            palette.color(QPalette.ColorRole.Base),
        )
        painter.setPen(text)
        painter.drawText(
            QRectF(value_left, top, geometry.value_width + 4, row), _LEFT, bar.value_text
        )
        painter.setPen(quiet)
        painter.drawText(
            QRectF(value_left + value_advance + gap, top, 200, row), _LEFT, bar.count_text
        )

    def _paint_legend(
        self, painter: QPainter, area: QRect, text: QColor, bars: Mapping[Tone, QColor]
    ) -> None:
        metrics = self.fontMetrics()
        title = QFont(self.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(text)
        caption = self.tr("Success per policy · metric")
        painter.drawText(
            QRect(area.left(), area.top(), area.width(), metrics.height() + 4), _LEFT, caption
        )
        painter.setFont(self.font())
        swatch = metrics.height() - 4
        widths = [swatch + 6 + metrics.horizontalAdvance(label) + 16 for _, label in LEGEND]
        x = area.right() - sum(widths)
        y = area.top() + 2
        for (tone, label), width in zip(LEGEND, widths, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(bars[tone]))
            painter.drawRoundedRect(QRectF(x, y + 2, swatch, swatch), 2, 2)
            painter.setPen(text)
            painter.drawText(QRect(x + swatch + 6, y, width, metrics.height()), _LEFT, label)
            x += width
        painter.setBrush(Qt.BrushStyle.NoBrush)
