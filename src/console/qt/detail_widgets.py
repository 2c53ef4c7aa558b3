"""The parts of the detail pane: small label helpers, the state colours, one clock's row and
the timeline. They show texts computed outside ``qt/`` (:mod:`console.services.clock_text`,
:mod:`console.services.event_text`) and compute none themselves."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Metric
from console.domain.policy import Reading
from console.services.clock_text import ClockText

# --------------------------------------------------------------------------- labels


def plain_label(
    text: str = "", name: str = "", *, wrap: bool = False, select: bool = False
) -> QLabel:
    """A label of plain text (never rich text), named ``name`` for tests and style sheets."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    if select:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def scaled(label: QLabel, scale: float, *, bold: bool = False) -> QLabel:
    """``label`` in a font ``scale`` times as large (bold, when asked)."""
    font = QFont(label.font())
    font.setBold(bold or font.bold())
    if scale != 1.0:
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        elif font.pixelSize() > 0:
            font.setPixelSize(round(font.pixelSize() * scale))
    label.setFont(font)
    return label


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    return scaled(label, scale, bold=True)


def set_text(label: QLabel, text: str) -> None:
    """Set ``text`` unless shown already (a tick changes few labels)."""
    if label.text() != text:
        label.setText(text)


def set_shown(widget: QWidget, shown: bool) -> None:
    if widget.isHidden() == shown:
        widget.setHidden(not shown)


def column(
    name: str = "", spacing: int = 0, *, indent: int = 0, top: int = 0
) -> tuple[QWidget, QVBoxLayout]:
    """A widget named ``name`` with a vertical layout: ``spacing`` between its children,
    ``indent`` on the left and ``top`` above, no other margin."""
    box = QWidget()
    if name:
        box.setObjectName(name)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(indent, top, 0, 0)
    layout.setSpacing(spacing)
    return box, layout


def rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setForegroundRole(QPalette.ColorRole.Mid)
    return line


def heading(text: str) -> QLabel:
    label = bold(muted(plain_label(text.upper())), 0.85)
    font = label.font()
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    return label


def paint(widget: QWidget, colours: Mapping[QPalette.ColorRole, QColor]) -> None:
    """Give ``widget`` these colours; every other role (all, when empty) is inherited."""
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, colour)
    widget.setPalette(palette)


def show_readings(
    labels: list[QLabel], readings: Sequence[Reading], add: Callable[[QLabel], None]
) -> None:
    """Show a policy's ``readings`` (topic and text, the clause and its quote as tooltip) in
    ``labels``, one each; labels are made (and handed to ``add``) as needed, the rest hidden."""
    while len(labels) < len(readings):
        label = QLabel()
        label.setObjectName("reading")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels.append(label)
        add(label)
    for label, reading in zip(labels, readings, strict=False):
        label.setText(f"<b>{html.escape(reading.topic)}</b>: {html.escape(reading.text)}")
        label.setToolTip(
            f"<p><b>{html.escape(reading.source.clause)}</b></p>"
            f"<p>“{html.escape(reading.source.quote)}”</p>"
        )
        label.show()
    for label in labels[len(readings) :]:
        label.hide()


# --------------------------------------------------------------------------- colours


@dataclass(frozen=True, slots=True)
class StateColours:
    """The colours of the warning levels, readable on the current palette (lighter shades on
    a dark one): ``ok`` below the first threshold, ``warnings`` from the first threshold to
    the last, ``breached`` past due."""

    ok: QColor
    warnings: tuple[QColor, ...]
    breached: QColor

    @classmethod
    def of(cls, palette: QPalette) -> StateColours:
        if palette.color(QPalette.ColorRole.Window).lightness() < 128:
            shades = ("#f0c24c", "#f59e42", "#f4805a")
            return cls(QColor("#5fc77a"), tuple(map(QColor, shades)), QColor("#ef6b6b"))
        shades = ("#a86400", "#c25400", "#d84315")
        return cls(QColor("#2e7d32"), tuple(map(QColor, shades)), QColor("#c62828"))

    def of_level(self, level: int, thresholds: int) -> QColor:
        """The colour of ``level`` (as ``Countdown.level``) with ``thresholds`` thresholds."""
        if level > thresholds:
            return self.breached
        if level <= 0:
            return self.ok
        # The levels spread over the shades, the first threshold's lightest.
        step = (len(self.warnings) - 1) / max(1, thresholds - 1)
        return self.warnings[min(len(self.warnings) - 1, round((level - 1) * step))]


# --------------------------------------------------------------------------- one clock


class ClockRow(QFrame):
    """The widgets of one metric's clock, updated in place."""

    def __init__(self, metric: Metric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock_metric = metric
        self.level = 0
        self.thresholds = -1  # how many thresholds ``level`` counts (none shown yet)
        self.breached = False
        self.setObjectName(f"clock_{metric.value}")
        key = metric.value
        self.name = bold(plain_label(metric.label, f"clockName_{key}"))
        self.cycle = muted(plain_label("", f"clockCycle_{key}"))
        self.target = muted(plain_label("", f"clockTarget_{key}"))
        self.left = bold(plain_label("", f"clockLeft_{key}"))
        self.left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress = QProgressBar()
        self.progress.setObjectName(f"clockProgress_{key}")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p %")
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress.setMaximumHeight(max(14, self.fontMetrics().height() + 4))
        self.progress.setProperty("level", 0)
        self.state = plain_label("", f"clockState_{key}", wrap=True, select=True)
        self.due = muted(plain_label("", f"clockDue_{key}"))
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        history = plain_label("", f"clockHistory_{key}", wrap=True, select=True)
        self.history = scaled(muted(history), 0.9)
        self.history.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name)
        top.addWidget(self.cycle)
        top.addWidget(self.target, 1)
        top.addWidget(self.left)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.progress, 1, 0, 1, 2)
        grid.addWidget(self.state, 2, 0)
        grid.addWidget(self.due, 2, 1)
        grid.addWidget(self.history, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def update_clock(self, text: ClockText, thresholds: int, colours: StateColours) -> None:
        """Show ``text``, coloured by its level of ``thresholds``; only changes are set."""
        set_text(self.cycle, text.cycle)
        set_shown(self.cycle, bool(text.cycle))
        set_text(self.target, text.target)
        percent = text.percent or 0
        if self.progress.value() != percent:
            self.progress.setValue(percent)
        set_shown(self.progress, text.percent is not None)
        if self.progress.toolTip() != text.used:
            self.progress.setToolTip(text.used)
        set_text(self.state, text.state)
        set_text(self.due, text.due)
        if self.due.toolTip() != text.due_in_full:
            self.due.setToolTip(text.due_in_full)
        set_text(self.left, text.left)
        set_text(self.history, text.history)
        set_shown(self.history, bool(text.history))
        if (text.level, thresholds, text.breached) != (self.level, self.thresholds, self.breached):
            self.level, self.thresholds, self.breached = text.level, thresholds, text.breached
            self.progress.setProperty("level", text.level)
            self.apply_colours(colours)

    def apply_colours(self, colours: StateColours) -> None:
        colour = colours.of_level(self.level, self.thresholds)
        role = QPalette.ColorRole
        text = QColor("#ffffff") if colour.lightness() < 140 else QColor("#1a1a1a")
        paint(self.progress, {role.Highlight: colour, role.HighlightedText: text})
        paint(self.left, {role.WindowText: colour} if self.level > 0 else {})
        paint(self.state, {role.WindowText: colours.breached} if self.breached else {})


# --------------------------------------------------------------------------- the timeline


@dataclass(frozen=True, slots=True)
class TimelineLine:
    text: str
    tooltip: str
    kind: str  # the event kind's value, as the item's UserRole data


class _PaddedDelegate(QStyledItemDelegate):
    """Rows with a little air above and below the text."""

    PADDING = 3

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * self.PADDING)


class Timeline(QListWidget):
    """The ticket's events as selectable, copyable lines, as tall as their content (the pane
    scrolls, not the list)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._heights: dict[int, int] = {}  # heightForWidth by width, until the items change
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAlternatingRowColors(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setItemDelegate(_PaddedDelegate(self))

    def set_lines(self, lines: Sequence[TimelineLine]) -> None:
        self.clear()
        for line in lines:
            item = QListWidgetItem(line.text)
            item.setToolTip(line.tooltip)
            item.setData(Qt.ItemDataRole.UserRole, line.kind)
            self.addItem(item)
        self._heights.clear()
        self.updateGeometry()

    def copy_selection(self) -> None:
        rows = sorted(self.selectedIndexes(), key=lambda index: index.row())
        text = "\n".join(str(index.data()) for index in rows)
        if text:
            QApplication.clipboard().setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
            self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        cached = self._heights.get(width)
        if cached is not None:
            return cached
        frame = 2 * self.frameWidth()
        inner = max(1, width - frame)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, inner, 10_000)
        delegate = self.itemDelegate()
        model = self.model()
        total = sum(
            delegate.sizeHint(option, model.index(row, 0)).height() for row in range(self.count())
        )
        height = frame + max(total, self.fontMetrics().height() + 6)
        self._heights[width] = height
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(200, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, self.heightForWidth(max(200, self.width())))


__all__ = [
    "ClockRow",
    "StateColours",
    "Timeline",
    "TimelineLine",
    "bold",
    "column",
    "heading",
    "muted",
    "paint",
    "plain_label",
    "rule",
    "scaled",
    "set_shown",
    "set_text",
    "show_readings",
]
