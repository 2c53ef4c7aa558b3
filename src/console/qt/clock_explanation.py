"""Why a clock stands where it does, as an expandable timeline under the clock.

:class:`ClockExplanationView` shows one clock's explanation
(:class:`console.domain.explain.ClockExplanation`): a "Why here?" toggle with a one-line
summary, and (once expanded) the timeline of each cycle, a row per span or event. A track
down the middle draws the clock: a green bar where time counted (red once over the target),
a thin grey line where it was closed, a dotted one where it was paused, and a dot for each
event. The words come from :mod:`console.services.explain`; the colours from the palette
(and :class:`StateColours`, which reads it), so light and dark themes both read well.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.explain import ClockExplanation
from console.domain.policy import Policy
from console.qt.detail_widgets import StateColours, muted, plain_label, set_shown
from console.services import words
from console.services.explain import CycleRows, ExplanationRow, explanation_rows

__all__ = ["TOGGLE_TEXT", "ClockExplanationView"]

TOGGLE_TEXT = words.QT_TR_NOOP("Why here?")
KIND_ROLE = Qt.ItemDataRole.UserRole  # a row's kind (ExplanationRow.kind, or "cycle")
CYCLE = "cycle"
COL_WHEN, COL_TRACK, COL_LENGTH, COL_TEXT = range(4)
TRACK_WIDTH = 22
MAX_VISIBLE_ROWS = 18  # taller timelines scroll inside the view

_QUIET = frozenset({"closed", "paused"})  # spans that did not count: muted text
_ALARM = frozenset({"target_ran_out", "breached"})  # events in the breached colour


class _TrackDelegate(QStyledItemDelegate):
    """Draws each row: muted text for spans that did not count, the breached colour for
    where the target ran out, and the track column as one continuous timeline."""

    def initStyleOption(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        kind = _kind(index)
        palette = option.palette
        role = QPalette.ColorRole.Text
        if kind in _QUIET:
            palette.setColor(role, palette.color(QPalette.ColorRole.PlaceholderText))
        elif kind in _ALARM and index.column() == COL_TEXT:
            palette.setColor(role, StateColours.of(palette).breached)
        if kind == CYCLE or (kind in _ALARM and index.column() == COL_TEXT):
            font = option.font
            font.setBold(True)
            option.font = font

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if index.column() != COL_TRACK:
            super().paint(painter, option, index)
            return
        kind = _kind(index)
        if kind is None or kind == CYCLE:
            return
        # The row's background (selection, alternate colour) as for any cell, then the track.
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        self._track(painter, option, index, str(kind))

    def _track(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        kind: str,
    ) -> None:
        rect = QRectF(option.rect)
        palette: QPalette = option.palette
        colours = StateColours.of(palette)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        x = rect.center().x()
        top, bottom = rect.top(), rect.bottom() + 1
        first = index.row() == 0
        last = index.row() == index.model().rowCount(index.parent()) - 1
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if kind in ("counted", "over_target"):
            colour = colours.breached if kind == "over_target" else colours.ok
            painter.fillRect(QRectF(x - 3, top, 6, bottom - top), colour)
        elif kind == "closed":
            painter.fillRect(QRectF(x - 1, top, 2, bottom - top), _faded(quiet, 150))
        elif kind == "paused":
            pen = QPen(quiet, 2, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        else:
            # An event: the thin line through it (not above the first, nor below the last),
            # and a dot in the colour of what happened.
            line = _faded(quiet, 110)
            middle = rect.center().y()
            if not first:
                painter.fillRect(QRectF(x - 0.5, top, 1, middle - top), line)
            if not last:
                painter.fillRect(QRectF(x - 0.5, middle, 1, bottom - middle), line)
            fill = {
                "target_ran_out": colours.breached,
                "breached": colours.breached,
                "severity_changed": palette.color(QPalette.ColorRole.Highlight),
                "now": palette.color(QPalette.ColorRole.Text),
            }.get(kind)
            radius = 4.5
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1.2))
            painter.setBrush(QBrush(fill) if fill is not None else QBrush(palette.base()))
            if kind == "target_ran_out":
                painter.setPen(QPen(colours.breached, 1.2))
                diamond = [
                    QPointF(x, middle - radius - 1),
                    QPointF(x + radius + 1, middle),
                    QPointF(x, middle + radius + 1),
                    QPointF(x - radius - 1, middle),
                ]
                painter.drawPolygon(diamond)
            else:
                painter.drawEllipse(QPointF(x, middle), radius, radius)
        painter.restore()

    def sizeHint(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        tree = self.parent()
        width = 0
        if isinstance(tree, QTreeView):
            if index.column() == COL_TEXT:
                width = tree.columnWidth(COL_TEXT)
            elif _kind(index) == CYCLE:
                width = tree.viewport().width() - tree.indentation()  # spans every column
        if width > 0:
            # Qt's view asks without a height, and the style wraps only within a valid
            # rectangle: give it the column's width, so a long text takes two lines.
            wrapped = QStyleOptionViewItem(option)
            wrapped.rect = QRect(0, 0, width, 10_000)
            size = super().sizeHint(wrapped, index)
        else:
            size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 4)


def _kind(index: QModelIndex | QPersistentModelIndex) -> object:
    """The kind of the row ``index`` is in (kept on its first column)."""
    model = index.model()
    return model.index(index.row(), COL_WHEN, index.parent()).data(KIND_ROLE) if model else None


def _faded(colour: QColor, alpha: int) -> QColor:
    faded = QColor(colour)
    faded.setAlpha(alpha)
    return faded


class _Timeline(QTreeWidget):
    """The rows, as tall as they are (up to :data:`MAX_VISIBLE_ROWS`, then it scrolls)."""

    # Set before __init__ ends, since Qt may lay out before: the height the layout was last
    # told, and whether the rows are being measured.
    _hinted = -1
    _measuring = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockExplanationTree")
        self.setAccessibleName("Clock timeline")
        self.setColumnCount(4)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(_TrackDelegate(self))
        header = self.header()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(8)
        header.setSectionResizeMode(COL_WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TRACK, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_LENGTH, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(COL_TRACK, TRACK_WIDTH)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setSizePolicy(policy)
        self.itemExpanded.connect(self.updateGeometry)
        self.itemCollapsed.connect(self.updateGeometry)
        # A wrapped row's height follows its column's width: lay the rows out again then.
        header.sectionResized.connect(self._relayout)
        copy = QAction(self.tr("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def selected_text(self) -> str:
        """The selected rows, a line each in the order shown: when, how long, what."""
        chosen = {id(item) for item in self.selectedItems()}
        lines = []
        for item in self.visible_items():
            if id(item) in chosen:
                cells = [item.text(c) for c in (COL_WHEN, COL_LENGTH, COL_TEXT)]
                lines.append("  ".join(cell for cell in cells if cell))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QApplication.clipboard().setText(text)

    def _relayout(self) -> None:
        self.scheduleDelayedItemsLayout()
        self.updateGeometry()

    def visible_items(self) -> list[QTreeWidgetItem]:
        """The rows shown: every top-level one, and the children of those expanded."""
        found: list[QTreeWidgetItem] = []
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is None:
                continue
            found.append(item)
            if item.isExpanded():
                children = (item.child(j) for j in range(item.childCount()))
                found.extend(child for child in children if child is not None)
        return found

    def content_height(self) -> int:
        """The height of the rows shown (up to :data:`MAX_VISIBLE_ROWS`) and the frame. Rows
        wrap their text, so their heights follow the width: as laid out now."""
        heights = [self.rowHeight(self.indexFromItem(item)) for item in self.visible_items()]
        fallback = self.fontMetrics().height() + 6
        shown = [h or fallback for h in heights[:MAX_VISIBLE_ROWS]] or [fallback]
        return sum(shown) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        self.executeDelayedItemsLayout()
        return QSize(super().sizeHint().width(), self.content_height())

    def updateGeometries(self) -> None:  # noqa: N802 (Qt's name)
        # Called once the rows are laid out: a new width may have changed their heights.
        super().updateGeometries()
        if self._measuring:  # measuring lays the rows out, which comes back here
            return
        self._measuring = True
        try:
            height = self.content_height()
        finally:
            self._measuring = False
        if height != self._hinted:
            self._hinted = height
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(160, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


class ClockExplanationView(QWidget):
    """One clock's explanation: collapsed to a "Why here?" toggle and a summary line, or
    expanded to the timeline of each cycle (the current one open, earlier ones closed).

    An explanation is a snapshot at its ``now``: whoever shows it computes a new one when the
    ticket changes or the timeline is opened (``expandedChanged``), not on every tick."""

    expandedChanged = Signal(bool)  # the user opened (True) or closed the timeline  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockExplanation")
        self._explanation: ClockExplanation | None = None
        self._zone: tzinfo | None = None

        self.toggle = QToolButton()
        self.toggle.setObjectName("clockExplanationToggle")
        self.toggle.setText(words.tr(TOGGLE_TEXT))
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolTip(self.tr("What counted toward the target, what did not and why"))
        self.toggle.toggled.connect(self._on_toggled)
        self.summary = muted(plain_label("", "clockExplanationSummary", wrap=True))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = _Timeline()
        self.tree.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.toggle)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        layout.addStretch(1)  # given more height than it needs, it keeps to the top

    # ----------------------------------------------------------------- public

    def show_explanation(
        self, explanation: ClockExplanation | None, zone: tzinfo, policy: Policy
    ) -> None:
        """Show ``explanation`` (None: nothing) of a clock under ``policy``, instants in
        ``zone``. Whether the timeline is expanded stays as the user left it; the cycles open
        are the current one."""
        self._explanation, self._zone = explanation, zone
        self.tree.clear()
        set_shown(self.toggle, explanation is not None)
        if explanation is None:
            self.summary.setText("")
            self.tree.hide()
            return
        cycles = explanation_rows(explanation, zone, policy)
        self.summary.setText(cycles[-1].summary if cycles else "")
        several = len(cycles) > 1
        self.tree.setRootIsDecorated(several)
        for cycle in cycles:
            items = self._row_items(cycle.rows)
            if several:
                parent = self._cycle_item(cycle)
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)  # once in the tree: a property of the view
                parent.addChildren(items)
                parent.setExpanded(cycle.current)
            else:
                self.tree.addTopLevelItems(items)
        self.tree.updateGeometry()
        set_shown(self.tree, self.is_expanded())

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    @property
    def explanation(self) -> ClockExplanation | None:
        return self._explanation

    # ----------------------------------------------------------------- parts

    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        set_shown(self.tree, expanded and self._explanation is not None)
        self.expandedChanged.emit(expanded)

    @staticmethod
    def _row_items(rows: Sequence[ExplanationRow]) -> list[QTreeWidgetItem]:
        """A row per line; each starts at its time, with its day when that changes."""
        items = []
        day = ""
        for row in rows:
            when = row.time if row.day == day else f"{row.day} {row.time}"
            day = row.day
            item = QTreeWidgetItem([when, "", row.length, row.text])
            item.setData(COL_WHEN, KIND_ROLE, row.kind)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            item.setTextAlignment(COL_WHEN, right)
            item.setTextAlignment(COL_LENGTH, right)
            tip = f"{row.text}\n{row.tooltip}"
            for column in range(4):
                item.setToolTip(column, tip)
            items.append(item)
        return items

    @staticmethod
    def _cycle_item(cycle: CycleRows) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"{cycle.title} \u00b7 {cycle.outcome} \u00b7 {cycle.summary}"])
        item.setData(COL_WHEN, KIND_ROLE, CYCLE)
        item.setToolTip(COL_WHEN, f"{cycle.title}: {cycle.outcome}\n{cycle.summary}")
        return item

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.tree.viewport().update()
