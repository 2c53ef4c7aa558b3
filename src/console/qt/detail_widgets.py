"""The parts of the detail pane: small label helpers, the state colours and one clock's row
(the conversation's are in :mod:`console.qt.conversation`). They show texts computed outside
``qt/`` (:mod:`console.services.clock_text`) and compute none themselves."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Metric
from console.domain.policy import Reading
from console.qt import theme
from console.services.clock_text import ClockText
from console.services.labels import metric_label

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
    """The colours of the warning levels in the scheme of a palette (lighter shades on a
    dark one, see :mod:`console.qt.theme`): ``ok`` below the first threshold, ``warnings``
    from the first threshold to the last, ``breached`` past due."""

    scheme: theme.Colours

    @classmethod
    def of(cls, palette: QPalette) -> StateColours:
        return cls(theme.colours(palette))

    @property
    def ok(self) -> QColor:
        return self.scheme.ok

    @property
    def warnings(self) -> tuple[QColor, ...]:
        return self.scheme.warnings

    @property
    def breached(self) -> QColor:
        return self.scheme.alarm

    def of_level(self, level: int, thresholds: int) -> QColor:
        """The colour of ``level`` (as ``Countdown.level``) with ``thresholds`` thresholds."""
        if level > thresholds:
            return self.breached
        if level <= 0:
            return self.ok
        # The levels spread over the shades, the first threshold's lightest.
        step = (len(self.warnings) - 1) / max(1, thresholds - 1)
        return self.warnings[min(len(self.warnings) - 1, round((level - 1) * step))]

    def ink_on(self, fill: QColor) -> QColor:
        """Text on a fill of one of these colours (a progress bar's)."""
        return self.scheme.ink_on(fill)


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
        # In a narrow pane the name and the target wrap: the time left is never cut.
        self.name = bold(plain_label(metric_label(metric), f"clockName_{key}", wrap=True))
        self.cycle = muted(plain_label("", f"clockCycle_{key}"))
        self.target = muted(plain_label("", f"clockTarget_{key}", wrap=True))
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
        self.due = muted(plain_label("", f"clockDue_{key}", wrap=True))
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
        grid.addLayout(top, 0, 0, 1, 2)
        # The time left beside its bar, which gives way: in a narrow pane nothing is cut.
        grid.addWidget(self.progress, 1, 0)
        grid.addWidget(self.left, 1, 1)
        grid.addWidget(self.state, 2, 0, 1, 2)
        grid.addWidget(self.due, 3, 0, 1, 2)
        grid.addWidget(self.history, 4, 0, 1, 2)
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
        text = colours.ink_on(colour)
        paint(self.progress, {role.Highlight: colour, role.HighlightedText: text})
        paint(self.left, {role.WindowText: colour} if self.level > 0 else {})
        paint(self.state, {role.WindowText: colours.breached} if self.breached else {})


__all__ = [
    "ClockRow",
    "StateColours",
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
