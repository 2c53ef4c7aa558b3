"""The queue tab's layout and what of it is kept between sessions.

The detail pane is open while a ticket is selected and the agent has not hidden it (View ▸
Show details, :data:`SHOW_DETAILS_SHORTCUT`); otherwise it is closed to a narrow rail and
the table takes the room. The splitter's sizes (and the open pane's width), the table's
columns (:mod:`console.qt.queue_columns`) and the window's geometry are stored in the
user's settings file under ``layout/``, beside the settings of :mod:`console.qt.settings`;
a stored value that cannot be read leaves the default.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.qt import icons
from console.qt.actions import set_shortcut, shortcut_text
from console.qt.queue_columns import QueueColumns
from console.qt.timers import named_timer

__all__ = [
    "KEY_COLUMNS",
    "KEY_DETAILS_SHOWN",
    "KEY_DETAIL_WIDTH",
    "KEY_SPLITTER",
    "KEY_WINDOW",
    "LAYOUT_VERSION",
    "SHOW_DETAILS_SHORTCUT",
    "DetailDock",
    "QueueLayout",
]

LAYOUT_VERSION = 1  # a stored layout of another version is not read
KEY_VERSION = "layout/version"
KEY_COLUMNS = "layout/queue_columns"
KEY_SPLITTER = "layout/queue_splitter"
KEY_DETAIL_WIDTH = "layout/detail_width"
KEY_DETAILS_SHOWN = "layout/details_shown"
KEY_WINDOW = "layout/window_geometry"
# Ctrl+D would do, but it is the usual Bookmark / Save key, which Save search may take.
SHOW_DETAILS_SHORTCUT = "Ctrl+I"

PANE_MINIMUM = 380  # px: the clocks, the conversation and the composer need no less
RAIL_WIDTH = 24  # px: the closed pane
SIDEBAR_MINIMUM = 150  # px: the queue names, elided
SAVE_DELAY_MS = 1_000  # a drag of a splitter or a column is stored once it ends


class DetailDock(QWidget):
    """The detail pane, or while it is closed, a narrow rail with a button that opens it
    (greyed while no ticket is selected: there is nothing to show)."""

    def __init__(self, pane: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailDock")
        self.pane = pane
        pane.setMinimumWidth(PANE_MINIMUM)
        self.rail = QWidget(self)
        self.rail.setObjectName("detailRail")
        self.rail.setFixedWidth(RAIL_WIDTH)
        self.rail_button = QToolButton(self.rail)
        self.rail_button.setObjectName("showDetailsButton")
        self.rail_button.setAutoRaise(True)
        self.rail_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.rail_button.setAccessibleName(self.tr("Show details"))
        self.rail_button.setToolTip(
            self.tr("Show details: the selected ticket's clocks and conversation")
        )
        rail_layout = QVBoxLayout(self.rail)
        rail_layout.setContentsMargins(0, 4, 0, 4)
        rail_layout.addWidget(self.rail_button, 0, Qt.AlignmentFlag.AlignHCenter)
        rail_layout.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(pane, 1)
        self._open = True
        self.rail.hide()

    @property
    def is_open(self) -> bool:
        return self._open

    def set_open(self, open_: bool) -> None:
        self._open = open_
        self.rail.setVisible(not open_)
        self.pane.setVisible(open_)
        if open_:
            self.setMinimumWidth(PANE_MINIMUM)
            self.setMaximumWidth(16_777_215)  # QWIDGETSIZE_MAX
        else:
            self.setFixedWidth(RAIL_WIDTH)

    def say_why_closed(self, ticket: bool) -> None:
        """The rail's button opens the pane when a ticket is selected (the agent hid it)."""
        self.rail_button.setEnabled(ticket)
        self.rail_button.setToolTip(
            self.tr("Show details ({shortcut})").format(
                shortcut=shortcut_text(QKeySequence(SHOW_DETAILS_SHORTCUT))
            )
            if ticket
            else self.tr("Select a ticket to see its clocks and history")
        )


class QueueLayout(QObject):
    """The queue tab's layout in ``window``: ``splitter`` holds the sidebar, the table's
    column and ``dock``; ``table`` is the ticket table. Stored in ``storage`` (None: not
    kept). :attr:`details_action` is View ▸ Show details."""

    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        table: QTableView,
        dock: DetailDock,
        sidebar: QAbstractScrollArea,
        storage: QSettings | None,
    ) -> None:
        super().__init__(window)
        self.window, self.splitter, self.dock, self.sidebar = window, splitter, dock, sidebar
        self.storage = storage
        self.table = table
        self.ticket = False  # a ticket is selected (and shown in the pane)
        self.detail_width: int | None = None  # the open pane's width (None: by the window)
        self._sized = False  # the splitter has its first sizes
        self.columns = QueueColumns(table, self._table_room)
        self._columns_kept = False  # the columns are as the agent left them
        # A narrow queue list elides its entries rather than scroll sideways.
        sidebar.setMinimumWidth(min(sidebar.minimumWidth(), SIDEBAR_MINIMUM))
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter.setChildrenCollapsible(False)

        self.details_action = QAction(self.tr("Show &details"), window)
        self.details_action.setObjectName("action_show_details")
        self.details_action.setCheckable(True)
        self.details_action.setChecked(True)
        icons.set_icon(self.details_action, "show_details")
        set_shortcut(self.details_action, SHOW_DETAILS_SHORTCUT)
        self.details_action.toggled.connect(self._details_toggled)
        window.addAction(self.details_action)  # its shortcut works with the menu bar hidden
        dock.rail_button.clicked.connect(lambda: self.details_action.setChecked(True))

        self.save_timer = named_timer(
            self, "layoutSave", SAVE_DELAY_MS, self.save, single_shot=True
        )
        self.columns.changed.connect(self.save_timer.start)
        splitter.splitterMoved.connect(self._splitter_moved)
        window.installEventFilter(self)
        self._follow()

    # ------------------------------------------------------------------ the detail pane

    def show_ticket(self, shown: bool) -> None:
        """A ticket is now shown (``shown``) or none is selected: open or close the pane."""
        self.ticket = shown
        self._follow()

    @property
    def details_open(self) -> bool:
        return self.dock.is_open

    def _details_toggled(self, _: bool) -> None:
        self._follow()
        self.save_timer.start()

    def _follow(self) -> None:
        """Open or close the pane as the selection and the agent's choice say."""
        open_ = self.ticket and self.details_action.isChecked()
        self.dock.say_why_closed(self.ticket)
        if open_ == self.dock.is_open:
            return
        sizes = self.splitter.sizes()
        if not open_ and self.dock.is_open and sizes[2] > RAIL_WIDTH:
            self.detail_width = sizes[2]
        self.dock.set_open(open_)
        if not self._sized or sum(sizes) <= 0:
            return
        width = self._open_width(sum(sizes)) if open_ else RAIL_WIDTH
        sizes[1] = max(0, sizes[1] + sizes[2] - width)
        sizes[2] = width
        self.splitter.setSizes(sizes)

    def _open_width(self, total: int) -> int:
        """The open pane's width: as the agent left it, else about a quarter of the window
        (between the pane's minimum and 560 px)."""
        if self.detail_width is not None:
            return max(PANE_MINIMUM, self.detail_width)
        return max(PANE_MINIMUM, min(560, round(total * 0.26)))

    def _splitter_moved(self, _: int, __: int) -> None:
        if self.dock.is_open:
            self.detail_width = self.splitter.sizes()[2]
        self.save_timer.start()

    def default_sizes(self, total: int) -> list[int]:
        """The splitter's sizes in a window ``total`` pixels wide before the agent moved
        anything: the queue list as wide as its entries need (less in a small window), the
        pane open or closed, the table the rest."""
        preferred = getattr(self.sidebar, "preferred_width", SIDEBAR_MINIMUM)
        sidebar = min(preferred, max(190, round(total * 0.17)))
        pane = self._open_width(total) if self.dock.is_open else RAIL_WIDTH
        return [sidebar, max(0, total - sidebar - pane), pane]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The first sizes once the window has its size (restored, or the default).
        if watched is self.window and event.type() == QEvent.Type.Show and not self._sized:
            self._size_splitter()
        return False

    def _size_splitter(self) -> None:
        self._sized = True
        stored = self._read(KEY_SPLITTER)
        total = sum(self.splitter.sizes()) or self.splitter.width()
        if isinstance(stored, QByteArray) and self.splitter.restoreState(stored):
            sizes = self.splitter.sizes()
            if not self.dock.is_open and sizes[2] != RAIL_WIDTH:
                sizes[1] += sizes[2] - RAIL_WIDTH
                sizes[2] = RAIL_WIDTH
                self.splitter.setSizes(sizes)
        else:
            self.splitter.setSizes(self.default_sizes(total))
        if not self._columns_kept:
            self.columns.apply_defaults()  # now that the room is known

    def _table_room(self) -> int | None:
        """How wide the table's viewport is beside the open detail pane (None before the
        window is first shown)."""
        if not self._sized:
            return None
        sizes = self.splitter.sizes()
        if not self.dock.is_open:
            total = sum(sizes)
            sizes[1] -= self._open_width(total) - RAIL_WIDTH
        scroll_bar = self.table.verticalScrollBar().sizeHint().width()
        return sizes[1] - 2 * self.table.frameWidth() - scroll_bar

    # ------------------------------------------------------------------ the View menu

    def view_menu(self, parent: QWidget) -> QMenu:
        """View: Show details and the column chooser."""
        menu = QMenu(self.tr("&View"), parent)
        menu.setObjectName("viewMenu")
        menu.addAction(self.details_action)
        menu.addMenu(self.columns.chooser(menu))
        return menu

    # ------------------------------------------------------------------ kept between sessions

    def _read(self, key: str) -> object:
        if self.storage is None or self.storage.value(KEY_VERSION) not in (
            LAYOUT_VERSION,
            str(LAYOUT_VERSION),
        ):
            return None
        try:
            return self.storage.value(key)
        except Exception:  # a value Qt cannot turn into Python: as if missing
            return None

    def restore(self) -> None:
        """The layout the agent left: columns, whether details are shown, the pane's width
        and the window's geometry (the splitter's sizes once the window is shown)."""
        columns = self._read(KEY_COLUMNS)
        state = columns if isinstance(columns, QByteArray) else QByteArray()
        self._columns_kept = self.columns.restore(state)
        shown = self._read(KEY_DETAILS_SHOWN)
        if shown is not None:
            self.details_action.setChecked(shown not in (False, "false", 0, "0"))
        width = self._read(KEY_DETAIL_WIDTH)
        try:
            self.detail_width = int(width) if width is not None else None  # type: ignore[call-overload]
        except (TypeError, ValueError):
            self.detail_width = None
        geometry = self._read(KEY_WINDOW)
        if isinstance(geometry, QByteArray):
            self.window.restoreGeometry(geometry)
        self.save_timer.stop()  # restoring is no change to store

    def save(self) -> None:
        """Store the layout as it is now."""
        self.save_timer.stop()
        if self.storage is None:
            return
        sizes = self.splitter.sizes()
        if self.dock.is_open and sizes[2] > RAIL_WIDTH:
            self.detail_width = sizes[2]
        storage = self.storage
        storage.setValue(KEY_VERSION, LAYOUT_VERSION)
        storage.setValue(KEY_COLUMNS, self.columns.state())
        if self._sized:
            storage.setValue(KEY_SPLITTER, self.splitter.saveState())
        storage.setValue(KEY_DETAILS_SHOWN, self.details_action.isChecked())
        if self.detail_width is not None:
            storage.setValue(KEY_DETAIL_WIDTH, self.detail_width)
        storage.setValue(KEY_WINDOW, self.window.saveGeometry())
        storage.sync()
