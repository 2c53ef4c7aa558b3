"""The queue list on the left: the standard queues, saved searches (renamed and deleted
from their context menu or the Queue menu, through :attr:`QueueSidebar.rename_action` and
:attr:`QueueSidebar.delete_action`) and one queue per policy, each with its count and icon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QListWidget, QListWidgetItem, QMenu, QWidget

from console.qt import icons
from console.qt.actions import make_action
from console.qt.saved_searches import SavedSearches
from console.services.queues import (
    STANDARD_QUEUES,
    DueIndex,
    Queue,
    QueueCounts,
    QueueFilter,
    policy_queue,
    search_queue,
)

QUEUE_ROLE = Qt.ItemDataRole.UserRole + 10


class QueueSidebar(QListWidget):
    """Emits ``queueChosen(Queue)`` when the user picks a queue."""

    queueChosen = Signal(object)  # noqa: N815

    def __init__(self, searches: SavedSearches, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueList")
        self.setAccessibleName(self.tr("Queues"))
        self.searches = searches
        self.rename_action = make_action(
            self, "rename_search", self.tr("Rename saved search…"), "F2", self.rename_current
        )
        self.delete_action = make_action(
            self,
            "delete_search",
            self.tr("Delete saved search"),
            "Ctrl+Shift+D",
            self.delete_current,
        )
        # Icons as tall as a line of text.
        side = self.fontMetrics().height()
        self.setIconSize(QSize(side, side))
        # Wide enough for the longest standard queue with a six-digit count, and its icon.
        widest = max(
            self.fontMetrics().horizontalAdvance(_counted(q.label, 100_000))
            for q in STANDARD_QUEUES
        )
        self.preferred_width = max(210, widest + side + 40)  # icon, padding, frame, scroll bar
        self.setMinimumWidth(self.preferred_width)
        self.setMaximumWidth(self.preferred_width + 120)
        for queue in STANDARD_QUEUES:
            self._add(queue)
        self._searches_heading = self._heading(self.tr("Saved searches"))
        self._policies_heading = self._heading(self.tr("Policies"))
        self._show_searches()
        searches.changed.connect(self._show_searches)
        self.currentItemChanged.connect(self._chosen)
        self._update_search_actions()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    # ------------------------------------------------------------------ entries

    def _add(self, queue: Queue, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(queue.label)
        item.setData(QUEUE_ROLE, queue)
        item.setIcon(icons.icon(_icon_name(queue)))
        if queue.kind is QueueFilter.SEARCH:
            item.setToolTip(
                self.tr("Search for “{text}” (right-click to rename or delete)").format(
                    text=queue.argument
                )
            )
        if row is None:
            self.addItem(item)
        else:
            self.insertItem(row, item)
        return item

    def _heading(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text.upper())
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setBold(True)
        item.setFont(font)
        self.addItem(item)
        return item

    def queues(self) -> list[Queue]:
        found = (self.item(i).data(QUEUE_ROLE) for i in range(self.count()))
        return [q for q in found if isinstance(q, Queue)]

    def add_policies(self, policies: set[tuple[str, str]]) -> None:
        """Add a queue for each (vendor, policy id) not listed yet, in name order."""
        present = set(self.queues())
        for vendor, policy_id in sorted(policies):
            queue = policy_queue(vendor, policy_id)
            if queue not in present:
                self._add(queue)
                present.add(queue)

    def _show_searches(self) -> None:
        """List the saved searches under their heading, keeping the current queue chosen."""
        current = self.current_queue()
        self.blockSignals(True)
        for i in reversed(range(self.count())):
            queue = self.item(i).data(QUEUE_ROLE)
            if isinstance(queue, Queue) and queue.kind is QueueFilter.SEARCH:
                self.takeItem(i)
        at = self.row(self._policies_heading)
        for offset, search in enumerate(self.searches.items):
            self._add(
                Queue(QueueFilter.SEARCH, f"\u201c{search.name}\u201d", search.text), at + offset
            )
        self.blockSignals(False)
        if current is not None and not self.select(current, by_argument=True):
            self.setCurrentRow(0)

    def current_queue(self) -> Queue | None:
        item = self.currentItem()
        queue = item.data(QUEUE_ROLE) if item is not None else None
        return queue if isinstance(queue, Queue) else None

    def select(self, queue: Queue, *, by_argument: bool = False) -> bool:
        for i in range(self.count()):
            found = self.item(i).data(QUEUE_ROLE)
            same = (
                isinstance(found, Queue)
                and found.kind is queue.kind
                and found.argument == queue.argument
                if by_argument
                else found == queue
            )
            if same:
                self.setCurrentRow(i)
                return True
        return False

    def _chosen(self, current: QListWidgetItem | None, _: object = None) -> None:
        queue = current.data(QUEUE_ROLE) if current is not None else None
        self._update_search_actions()
        if isinstance(queue, Queue):
            self.queueChosen.emit(queue)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Another theme: the entries' icons in its colours (see console.qt.icons).
        if event.type() == QEvent.Type.PaletteChange:
            for i in range(self.count()):
                queue = self.item(i).data(QUEUE_ROLE)
                if isinstance(queue, Queue):
                    self.item(i).setIcon(icons.icon(_icon_name(queue)))
        super().changeEvent(event)

    # ------------------------------------------------------------------ counts

    def refresh_counts(
        self,
        counts: QueueCounts,
        dues: DueIndex,
        now: datetime,
        shown: Callable[[Queue], int | None],
    ) -> None:
        """Each queue's label with its count (``shown`` counts what a saved search shows
        while it is the chosen queue)."""
        for i in range(self.count()):
            item = self.item(i)
            queue = item.data(QUEUE_ROLE)
            if not isinstance(queue, Queue):
                continue
            count = counts.count(queue, dues, now)
            if count is None:
                count = shown(queue)
            text = queue.label if count is None else _counted(queue.label, count)
            if item.text() != text:
                item.setText(text)

    # ------------------------------------------------------------------ saved searches

    def _update_search_actions(self) -> None:
        queue = self.current_queue()
        is_search = queue is not None and queue.kind is QueueFilter.SEARCH
        self.rename_action.setEnabled(is_search)
        self.delete_action.setEnabled(is_search)

    def _context_menu(self, position: QPoint) -> None:
        item = self.itemAt(position)
        queue = item.data(QUEUE_ROLE) if item is not None else None
        if item is None or not isinstance(queue, Queue) or queue.kind is not QueueFilter.SEARCH:
            return
        self.setCurrentItem(item)  # the menu's actions act on the chosen queue
        menu = QMenu(self)
        menu.addAction(self.rename_action)
        menu.addAction(self.delete_action)
        menu.exec(self.viewport().mapToGlobal(position))

    def rename_current(self) -> None:
        """Rename the chosen saved search (nothing when another queue is chosen)."""
        queue = self.current_queue()
        if queue is not None and queue.kind is QueueFilter.SEARCH:
            self.rename_search(queue)

    def delete_current(self) -> None:
        """Delete the chosen saved search (nothing when another queue is chosen)."""
        queue = self.current_queue()
        if queue is not None and queue.kind is QueueFilter.SEARCH:
            self.searches.remove(queue.argument)

    def rename_search(self, queue: Queue) -> None:
        saved = self.searches.find(queue.argument)
        if saved is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename saved search"), self.tr("Name:"), text=saved.name
        )
        if ok and name.strip():
            self.searches.rename(saved.text, name)


def _counted(label: str, count: int) -> str:
    """A queue's entry with its count: ``Breached  (1,204)``, the number in the locale's
    way."""
    return f"{label}  ({QLocale().toString(count)})"


def _icon_name(queue: Queue) -> str:
    return f"queue_{queue.kind.value}"


__all__ = ["QUEUE_ROLE", "QueueSidebar", "search_queue"]
