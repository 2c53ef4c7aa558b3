"""The search box's reach beyond the queue shown, and the way from it to the results.

A search filters the queue shown. When that queue has no match, or lacks the ticket whose
key was typed, the console shows All open instead and says so under the box, with a button
back (clearing the search goes back too); when other queues hold more matches, the line
under the box counts them, with a button that shows them. Enter in the box, or Tab out of
it, lands on the table with a result selected: the ticket whose key was typed, else the
first. What the line says is decided in :mod:`console.services.search`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QWidget

from console.qt.queue_model import QueueFilterProxy
from console.qt.sidebar import QueueSidebar
from console.services.queues import QUEUE_ALL, Queue
from console.services.search import SearchNote, SearchReach, search_note, search_reach

__all__ = ["SearchScope"]


class SearchScope(QWidget):
    """The line under the search box (hidden while it has nothing to say) and what moves
    between queues for a search. ``me`` is the console's person (queues such as My open
    depend on it)."""

    def __init__(
        self,
        box: QLineEdit,
        table: QTableView,
        sidebar: QueueSidebar,
        proxy: QueueFilterProxy,
        me: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchScope")
        self.box, self.table, self.sidebar, self.proxy = box, table, sidebar, proxy
        self._me = me
        # The queue the agent was in when a search moved the console to All open: a button
        # and clearing the search go back to it. Forgotten when the agent picks a queue.
        self.widened_from: Queue | None = None
        self._moving = False  # the console, not the agent, is choosing a queue

        self.said: SearchNote | None = None  # what the line says now
        # One label: the words, then the way on as a link (in the theme's link colour,
        # reachable with the keyboard too).
        self.label = QLabel(self)
        self.label.setObjectName("searchNote")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.linkActivated.connect(lambda _: self._go_to_target())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 0, 0)
        layout.addWidget(self.label, 1)
        self.hide()

        # Tab from the box lands on the results (not on the Save search button), with one
        # selected; Tab in the table leaves it instead of walking its cells.
        QWidget.setTabOrder(box, table)
        table.setTabKeyNavigation(False)
        table.installEventFilter(self)

    # ------------------------------------------------------------------ the window's calls

    def searched(self) -> None:
        """The search text was applied to the queue shown: move to All open if that queue
        lacks what was searched for (back where the agent was when it is cleared), and say
        where the other matches are."""
        text = self.box.text()
        if not text.strip():
            back, self.widened_from = self.widened_from, None
            if back is not None and self.proxy.queue == QUEUE_ALL:
                self._choose(back)
            self._say_now()
            return
        reach = self._reach()
        if reach.widens:
            self.widened_from = self.widened_from or self.proxy.queue
            self._choose(QUEUE_ALL)
        self._say_now()

    def queue_chosen(self) -> None:
        """A queue was chosen: by the agent (a search no longer goes back to where it came
        from), or by this object (nothing to do: it says what it has to say itself)."""
        if self._moving:
            return
        self.widened_from = None
        self._say_now()

    def go_to_results(self) -> None:
        """Enter in the search box: the table, with the ticket whose key was typed selected,
        or else the first result."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._select_result(keep=False)

    # ------------------------------------------------------------------ Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.table
            and event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        ):
            self._select_result(keep=True)
        return False

    # ------------------------------------------------------------------ internals

    def _reach(self, queue: Queue | None = None) -> SearchReach:
        """What the search finds in ``queue`` (the queue shown unless given)."""
        model = self.proxy.source()
        queue = queue if queue is not None else self.proxy.queue
        return search_reach(model.rows, self.box.text(), queue, self._me(), model.now)

    def _say_now(self) -> None:
        """Say what the search in the box finds, here and where the console came from."""
        if not self.box.text().strip():
            self._say(None)
            return
        origin = self._reach(self.widened_from) if self.widened_from is not None else None
        self._say(search_note(self._reach(), origin))

    def _choose(self, queue: Queue) -> None:
        self._moving = True
        try:
            self.sidebar.select(queue)
        finally:
            self._moving = False

    def _go_to_target(self) -> None:
        target = self.said.target if self.said is not None else None
        if target is None:
            return
        if target == QUEUE_ALL:
            # Shown at the agent's request: clearing the search still goes back.
            self.widened_from = self.widened_from or self.proxy.queue
        else:
            self.widened_from = None
        self._choose(target)
        self._say_now()

    def _say(self, note: SearchNote | None) -> None:
        self.said = note
        if note is None:
            self.hide()
            return
        text = html.escape(note.text)
        if note.action is not None:
            text += f" \u2014 <a href='queue'>{html.escape(note.action)}</a>"
        self.label.setText(text)
        target = note.target
        self.label.setToolTip(
            self.tr("Show the queue {queue}").format(queue=target.label)
            if target is not None
            else ""
        )
        self.show()

    def _select_result(self, *, keep: bool) -> None:
        """Select the ticket whose key was typed if shown, else the first row; with
        ``keep``, a selection there is already is kept."""
        selection = self.table.selectionModel()
        if keep and selection.hasSelection():
            return
        if self.proxy.rowCount() == 0:
            return
        row = 0
        key = self._reach().key if self.box.text().strip() else None
        model = self.proxy.source()
        position = model.row_of(key) if key is not None else None
        if position is not None:
            found = self.proxy.mapFromSource(model.index(position, 0))
            if found.isValid():
                row = found.row()
        self.table.selectRow(row)
        self.table.scrollTo(self.proxy.index(row, 0))
