"""The ticket table's columns: default widths measured in the table's font, the title taking
the room the other columns leave (elided, never scrolled for), a chooser in the header's
context menu (the key and the countdown cannot be hidden), and a countdown shortened by whole
words when its column is too narrow for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import (
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from console.domain.queue import ClockState, Countdown
from console.qt.queue_model import (
    COL_ASSIGNEE,
    COL_CLOCK,
    COL_COUNTDOWN,
    COL_CUSTOMER,
    COL_DUE,
    COL_KEY,
    COL_POLICY,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    HEADERS,
)
from console.services import words
from console.services.texts import countdown_text

__all__ = [
    "ALWAYS_SHOWN",
    "HIDDEN_BY_DEFAULT",
    "SIZED_FOR",
    "QueueColumns",
    "WordElideDelegate",
    "elide_words",
]

ALWAYS_SHOWN = frozenset({COL_KEY, COL_COUNTDOWN})
# Shown from the chooser. With them the default columns would not fit beside the detail pane
# at 1,440 px: the sidebar lists the policies, the detail pane says which clock leads, and a
# status other than open is the reason a countdown gives for its paused clock.
HIDDEN_BY_DEFAULT = frozenset({COL_STATUS, COL_POLICY, COL_CLOCK})


def _breach_samples() -> tuple[str, ...]:
    """The countdowns of long breaches, as the countdown column writes them: weeks late by
    the wall clock, days of business time, a day's hours and minutes (written when asked,
    in the console's language)."""
    samples = (
        (timedelta(hours=99, minutes=59), timedelta(days=99, hours=23)),
        (timedelta(hours=23, minutes=59, seconds=59), timedelta(hours=23, minutes=59)),
    )
    return tuple(
        countdown_text(Countdown(ClockState.BREACHED, left=-late, overdue=overdue, fraction=9))
        for late, overdue in samples
    )


# The texts each column is as wide as by default (the widest of them); a longer one is
# shortened. Countdowns are measured in bold, as a breach is drawn: a long breach fits
# (_breach_samples, and an icon: ICON_COLUMNS).
SIZED_FOR: dict[int, tuple[str, ...]] = {
    COL_KEY: ("LTR-30000",),
    COL_DUE: ("30 Nov 23:59 CET",),
    COL_SEVERITY: ("Severity 3",),
    COL_CUSTOMER: ("Tidewater Bikes LLC",),
    COL_STATUS: ("awaiting customer",),
    COL_ASSIGNEE: ("Kenji Watanabe",),
    COL_POLICY: ("LivePerson · standard",),
    COL_CLOCK: ("Initial response (12h)",),
}
# Where the table is wide enough (a wide screen), these columns are as wide as their longer
# texts instead, while the title keeps at least TITLE_ROOMY_CHARS characters.
ROOMY: dict[int, tuple[str, ...]] = {
    COL_SEVERITY: ("Level 3 \u2013 Medium",),
    COL_CUSTOMER: ("Oakridge Finance Pty Ltd",),
}
# Columns whose cells may have a small icon before the text (the countdown's warning sign).
ICON_COLUMNS = frozenset({COL_COUNTDOWN})
TITLE_MIN_CHARS = 16  # the title never gets narrower than about this many characters
TITLE_ROOMY_CHARS = 40
_ELLIPSIS = "\u2026"


def elide_words(text: str, metrics: QFontMetricsF, width: float) -> str:
    """``text`` if it fits in ``width`` pixels, else as many of its leading words as fit
    followed by an ellipsis (a word is never cut, unless even the first does not fit)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    kept = text.split(" ")
    while len(kept) > 1:
        kept.pop()
        shorter = " ".join(kept).rstrip(" \u00b7:;,-\u2013") + _ELLIPSIS
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


def text_margin(widget: QWidget) -> int:
    """The room an item view's cell leaves around its text, both sides together."""
    style = widget.style()
    return 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1)


class WordElideDelegate(QStyledItemDelegate):
    """Draws a cell's text shortened by whole words when the column is too narrow."""

    def initStyleOption(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        widget = option.widget
        if not isinstance(widget, QWidget):
            return
        # Where the style will draw the text (beside an icon, if the cell has one), a pixel
        # to spare: it lays the text out in fractions of a pixel.
        rect = widget.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
        room = rect.width() - text_margin(widget) - 1
        text = option.text
        if text and room > 0:
            metrics = QFontMetricsF(option.font)
            option.text = elide_words(text, metrics, room)


class QueueColumns(QObject):
    """The columns of ``table`` (a view of the ticket table model): their defaults, which are
    shown, and the title fitted to the room left. ``changed`` after the agent changes them."""

    changed = Signal()

    def __init__(self, table: QTableView, room: Callable[[], int | None] = lambda: None) -> None:
        """``room`` tells how wide the table's viewport is beside the open detail pane
        (None: not known yet)."""
        super().__init__(table)
        self.table = table
        self._room = room
        header = self.header = table.horizontalHeader()
        header.setObjectName("ticketTableHeader")
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._context_menu)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Times are shortened by whole words ("3h 10m · paused…", never "paused: awai…").
        self._time_delegate = WordElideDelegate(table)
        for column in (COL_COUNTDOWN, COL_DUE):
            table.setItemDelegateForColumn(column, self._time_delegate)
        self._fitting = False
        self.apply_defaults()
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_: self.changed.emit())
        table.viewport().installEventFilter(self)

    # ------------------------------------------------------------------ defaults

    def default_widths(self, *, roomy: bool = False) -> dict[int, int]:
        """Each column's default width in the table's font (the title's is its least);
        ``roomy``: as on a wide screen."""
        metrics = self.table.fontMetrics()
        bold_font = QFont(self.table.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        margin = text_margin(self.table) + 2  # and a pixel to spare each side
        style = self.header.style()
        header_room = 2 * style.pixelMetric(
            QStyle.PixelMetric.PM_HeaderMargin, None, self.header
        ) + style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, self.header)
        header_metrics = self.header.fontMetrics()
        icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self.table)
        icon += 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        widths = {}
        for column, name in enumerate(HEADERS):
            measure = bold if column == COL_COUNTDOWN else metrics
            samples = SIZED_FOR.get(column, ()) + (ROOMY.get(column, ()) if roomy else ())
            if column == COL_COUNTDOWN:
                samples += _breach_samples()
            texts = max((measure.horizontalAdvance(t) for t in samples), default=0)
            if column in ICON_COLUMNS:
                texts += icon
            widths[column] = max(
                texts + margin, header_metrics.horizontalAdvance(words.tr(name)) + header_room
            )
        widths[COL_TITLE] = self.title_minimum()
        return widths

    def title_minimum(self) -> int:
        return self.table.fontMetrics().averageCharWidth() * TITLE_MIN_CHARS

    def apply_defaults(self) -> None:
        """The default columns: in the model's order, the default ones shown, each as wide as
        its usual text (its longer texts on a wide screen), the title taking the rest."""
        header = self.header
        for logical in range(header.count()):
            header.moveSection(header.visualIndex(logical), logical)
        widths = self.default_widths()
        room = self._room()
        if room is not None:
            roomy = self.default_widths(roomy=True)
            shown = [c for c in roomy if c != COL_TITLE and c not in HIDDEN_BY_DEFAULT]
            title = self.table.fontMetrics().averageCharWidth() * TITLE_ROOMY_CHARS
            if sum(roomy[c] for c in shown) + title <= room:
                widths = roomy
        for column, width in widths.items():
            header.resizeSection(column, width)
            header.setSectionHidden(column, column in HIDDEN_BY_DEFAULT)
        self._fix_modes()
        self.fit_title()

    def reset(self) -> None:
        """Back to the default columns (the chooser's last entry)."""
        self.apply_defaults()
        self.changed.emit()

    def _fix_modes(self) -> None:
        # The title is resized with the table, not by hand; the others by hand.
        for column in range(self.header.count()):
            mode = QHeaderView.ResizeMode.Interactive
            if column == COL_TITLE:
                mode = QHeaderView.ResizeMode.Fixed
            self.header.setSectionResizeMode(column, mode)
        for column in ALWAYS_SHOWN:
            self.header.setSectionHidden(column, False)

    # ------------------------------------------------------------------ shown or not

    def is_shown(self, column: int) -> bool:
        return not self.header.isSectionHidden(column)

    def set_shown(self, column: int, shown: bool) -> bool:
        """Show or hide ``column``; False (and nothing changes) for a column that is always
        shown."""
        if not shown and column in ALWAYS_SHOWN:
            return False
        if self.is_shown(column) == shown:
            return True
        self.header.setSectionHidden(column, not shown)
        if shown and column != COL_TITLE:
            least = self.default_widths()[column] // 2
            if self.header.sectionSize(column) < least:
                self.header.resizeSection(column, self.default_widths()[column])
        self.fit_title()
        self.changed.emit()
        return True

    def fill_menu(self, menu: QMenu) -> None:
        """``menu`` as the column chooser: a checkable entry per column in the order shown
        (the key and the countdown greyed, always shown), then Default columns."""
        menu.clear()
        header = self.header
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            action = menu.addAction(words.tr(HEADERS[column]))
            action.setObjectName(f"column_{column}")
            action.setCheckable(True)
            action.setChecked(self.is_shown(column))
            if column in ALWAYS_SHOWN:
                action.setEnabled(False)
                action.setToolTip(self.tr("Always shown"))
            action.toggled.connect(partial(self.set_shown, column))
        menu.addSeparator()
        reset = menu.addAction(self.tr("Default columns"))
        reset.setObjectName("column_defaults")
        reset.triggered.connect(self.reset)

    def chooser(self, parent: QWidget | None = None) -> QMenu:
        """A column chooser menu, filled afresh each time it opens."""
        menu = QMenu(self.tr("&Columns"), parent)
        menu.setObjectName("columnChooser")
        menu.aboutToShow.connect(partial(self.fill_menu, menu))
        self.fill_menu(menu)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.chooser(self.header)
        menu.exec(self.header.viewport().mapToGlobal(position))
        menu.deleteLater()

    # ------------------------------------------------------------------ the title's width

    def fit_title(self) -> None:
        """The title as wide as the room the shown columns leave, at least
        :data:`TITLE_MIN_CHARS` characters (a narrower table scrolls)."""
        header = self.header
        if header.isSectionHidden(COL_TITLE) or self._fitting:
            return
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != COL_TITLE and not header.isSectionHidden(c)
        )
        width = max(self.title_minimum(), self.table.viewport().width() - others)
        if header.sectionSize(COL_TITLE) != width:
            self._fitting = True
            try:
                header.resizeSection(COL_TITLE, width)
            finally:
                self._fitting = False

    def _section_resized(self, column: int, _: int, __: int) -> None:
        if column != COL_TITLE and not self._fitting:
            self.fit_title()
            self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_title()
        return False

    # ------------------------------------------------------------------ kept between sessions

    def state(self) -> QByteArray:
        return self.header.saveState()

    def restore(self, state: QByteArray) -> bool:
        """The columns as ``state`` (from :meth:`state`) left them: order, widths, which are
        shown. The table opens in queue order (most urgent first) whatever was sorted. False,
        and the defaults, when the state cannot be read."""
        header = self.header
        restored = bool(state) and header.restoreState(state) and header.count() == len(HEADERS)
        if not restored:
            self.apply_defaults()
            return False
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._fix_modes()
        self.fit_title()
        return True
