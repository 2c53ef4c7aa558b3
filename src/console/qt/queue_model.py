"""The ticket queue: a table model of queue rows and the proxy that picks a queue and filters.

The rows are kept in order by the source model itself (a list sort, fast for 100,000 rows);
the proxy only filters and hands header clicks to the source's :meth:`sort`. Sorting through
the proxy would call back into Python for every comparison. Because due instants change only
on events, the default order needs no re-sorting as time passes: each second the window asks
the model to refresh the countdown of the rows on screen, nothing else.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from functools import total_ordering
from operator import attrgetter, itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon, QPixmap

from console.domain.queue import DEFAULT_THRESHOLDS, ClockState, Countdown
from console.qt import icons, theme
from console.qt.sorting import horizontal_header
from console.services import words
from console.services.labels import status_label
from console.services.queue import QueueRow
from console.services.queues import QUEUE_ALL, DueIndex, Queue, QueueFilter, matches
from console.services.texts import (
    NO_VALUE,
    countdown_line,
    countdown_tip,
    counted_on_text,
    due_text,
    next_clock_text,
)

Index = QModelIndex | QPersistentModelIndex

COL_KEY, COL_COUNTDOWN, COL_DUE, COL_SEVERITY, COL_TITLE = range(5)
COL_CUSTOMER, COL_STATUS, COL_ASSIGNEE, COL_POLICY, COL_CLOCK = range(5, 10)
# The countdown is business time on the clock's own calendar: left, or overdue once breached.
# Marked for translation: shown with words.tr (as the header and the column chooser do).
COUNTDOWN_HEADING_TIP = words.QT_TR_NOOP(
    "Business time on the clock's own calendar: the time left, or how long overdue once "
    'breached ("overdue 3h 05m"); it stands still while the calendar is closed'
)
HEADERS = (
    words.QT_TR_NOOP("Key"),
    words.QT_TR_NOOP("Countdown"),
    words.QT_TR_NOOP("Due"),
    words.QT_TR_NOOP("Severity"),
    words.QT_TR_NOOP("Title"),
    words.QT_TR_NOOP("Customer"),
    words.QT_TR_NOOP("Status"),
    words.QT_TR_NOOP("Assignee"),
    words.QT_TR_NOOP("Policy · plan"),
    words.QT_TR_NOOP("Next clock"),
)
TIME_COLUMNS = (COL_COUNTDOWN, COL_DUE)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the QueueRow
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 2  # warning level (0 .. 4)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole.value)
_ROLES = frozenset(
    {
        _DISPLAY,
        _BACKGROUND,
        _FOREGROUND,
        _FONT,
        _ALIGNMENT,
        _TOOLTIP,
        _DECORATION,
        _DESCRIPTION,
        ROW_ROLE,
        LEVEL_ROLE,
    }
)
_LEFT_CENTRED = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)


_BLANK: list[QIcon] = []  # made once there is an application to make pixmaps


def _blank_icon() -> QIcon:
    if not _BLANK:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        _BLANK.append(QIcon(pixmap))
    return _BLANK[0]


_Span = QModelRoleDataSpan | QModelRoleData


def _slots(span: _Span) -> list[QModelRoleData]:
    """The role slots of a span (PySide6 indexes one, though its stubs say otherwise)."""
    if isinstance(span, QModelRoleData):
        return [span]
    slots: Any = span
    return [slots[i] for i in range(span.size())]


def _text_key(text: str) -> tuple[int, str]:
    return (0 if text else 1, text.casefold())


class TicketTableModel(QAbstractTableModel):
    """Queue rows with COL_* columns; the countdown columns depend on ``now`` (set_now)."""

    def __init__(
        self,
        now: datetime,
        zone: tzinfo,
        thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS,
        people: dict[str, str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []
        self._order: list[Any] = []  # sort keys parallel to _rows
        self._index: dict[str, int] = {}
        self._now = now
        self._zone = zone
        self._thresholds = thresholds
        self._people = people or {}
        self._bold: QFont | None = None
        # The row tints and text colours of the theme in effect (see restyle).
        self._colours = theme.colours()
        # The row the filter shows only because it is selected: drawn in grey.
        self.dimmed: str | None = None
        self._countdowns: dict[str, Countdown] = {}
        # The countdown and due texts at the model's now, per key: a tick computes them for
        # the rows on screen, and the repaint it causes reads them again.
        self._texts: dict[str, tuple[str, str]] = {}
        # What the time-dependent cells of a row show on screen: its warning level, state
        # and countdown and due texts, per key; kept when views are told of a change and
        # when a view reads a countdown to paint it.
        self._shown: dict[str, tuple[int, ClockState, str, str]] = {}
        # The due instants of the counting rows: which rows cross into "breached" or
        # "breaching soon" between two ticks, and how many are in each, are binary searches.
        self.dues = DueIndex()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # ------------------------------------------------------------------ Qt interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and section == COL_COUNTDOWN
            and orientation is Qt.Orientation.Horizontal
        ):
            return words.tr(COUNTDOWN_HEADING_TIP)
        name = horizontal_header(HEADERS, section, orientation, role)
        return words.tr(name) if name is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks each cell for about ten roles: the ones with nothing leave first,
        # and roles are compared with plain module constants (no Qt attribute lookups).
        if role not in _ROLES or not index.isValid():
            return None
        position = index.row()
        if not 0 <= position < len(self._rows):
            return None
        return self._value(self._rows[position], index.column(), role)

    def multiData(self, index: Index, roleDataSpan: _Span) -> None:  # noqa: N802, N803
        # A delegate asks each cell it paints for seven roles at once (QStyledItemDelegate):
        # one call from Qt for all of them, not one each.
        if not index.isValid():
            return
        position = index.row()
        if not 0 <= position < len(self._rows):
            return
        row = self._rows[position]
        column = index.column()
        value = self._value
        for slot in _slots(roleDataSpan):
            role = slot.role()
            if role in _ROLES:
                slot.setData(value(row, column, role))

    def _value(self, row: QueueRow, column: int, role: int) -> Any:
        """What the cell of ``row`` in ``column`` holds for ``role`` (one of _ROLES)."""
        if role == _DISPLAY:
            if column == COL_COUNTDOWN:
                # A view paints this row's countdown as it is now: the next tick compares
                # with what it painted, so a row just painted is not repainted whole.
                shown = self._shown_now(row)
                self._shown[row.ticket.key] = shown
                return shown[2]
            return self._display(row, column)
        if role == _BACKGROUND:
            return self._colours.tint(self.countdown_of(row).level(self._thresholds))
        if role == ROW_ROLE:
            return row
        if role == _FOREGROUND:
            if row.key == self.dimmed:  # shown only because it is selected (see the proxy)
                return self._colours.quiet
            if column not in TIME_COLUMNS:
                return None
            state = self.countdown_of(row).state
            if state is ClockState.BREACHED:
                return self._colours.alarm
            if state in (ClockState.WAITING, ClockState.PAUSED, ClockState.DONE):
                return self._colours.quiet
            return None
        if role == _FONT:
            if column == COL_COUNTDOWN and self.countdown_of(row).state is ClockState.BREACHED:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == _ALIGNMENT:
            return _LEFT_CENTRED if column in (COL_COUNTDOWN, COL_SEVERITY) else None
        if role == LEVEL_ROLE:
            return self.countdown_of(row).level(self._thresholds)
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        # A row's tint is not its only sign of a warning: the countdown cell has an icon
        # (and, for screen readers, words) for each warning level.
        if role == _DECORATION:
            return self._warning(row)[0] if column == COL_COUNTDOWN else None
        if role == _DESCRIPTION:
            return self._warning(row)[1] if column == COL_COUNTDOWN else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 is the queue order (time remaining)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keys = [self._rows[i.row()].key if i.isValid() else None for i in persistent]
        self._sort_column = column
        self._sort_order = order
        self._resort()
        moved = [
            self.index(self._index[key], index.column()) if key in self._index else QModelIndex()
            for key, index in zip(keys, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ content

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        """Replace every row (a fresh load)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._resort()
        self._countdowns.clear()
        self._texts.clear()
        self._shown.clear()
        self.dues.fill(self._rows)
        self.endResetModel()

    def apply_changes(self, rows: Iterable[QueueRow], removed: Iterable[str]) -> None:
        """Update only the rows that changed: in place when their place in the order holds,
        else moved; removed keys disappear; new keys are inserted in order."""
        for key in removed:
            self._remove(key)
        for row in rows:
            position = self._index.get(row.key)
            if position is not None:
                self.dues.discard(self._rows[position])
            self.dues.add(row)
            sort_key = self._sort_key(row)
            if position is not None and self._order[position] == sort_key:
                self._rows[position] = row
                self._forget(row.key)
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(HEADERS) - 1)
                )
                continue
            if position is not None:
                self._move(position, row, sort_key)
            else:
                self._insert(row, sort_key)

    def set_now(self, now: datetime) -> None:
        """Move the model's clock; countdowns are recomputed when next asked for."""
        self._now = now
        self._countdowns.clear()
        self._texts.clear()

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self._texts.clear()
        self._all_changed()

    def set_thresholds(self, thresholds: tuple[float, ...]) -> None:
        self._thresholds = thresholds
        self._all_changed()

    def restyle(self) -> None:
        """Take the colours of the theme in effect (after a switch): views repaint the row
        tints and text colours; the filter is not asked again."""
        scheme = theme.colours()
        if scheme is self._colours:
            return
        self._colours = scheme
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(HEADERS) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def set_people(self, people: dict[str, str]) -> None:
        self._people = people
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_ASSIGNEE), self.index(len(self._rows) - 1, COL_ASSIGNEE)
            )

    def refresh_time(self, source_rows: Iterable[int], *, force: bool = False) -> None:
        """Tell views which time-dependent cells of these rows changed (a tick): the
        countdown and due columns where what they show changed (most countdowns show minutes,
        so most ticks repaint a few cells), and the whole row where its warning level changed.
        What the rows showed is kept for the next tick, for these rows only: a row that
        leaves the screen is painted afresh by the view when it comes back, and is then
        told of whole once more.

        ``force``: the countdown and due cells of every one of these rows (rows that just
        joined a time-dependent queue, for the filter to look at them again); what the rows
        on screen showed is kept then."""
        last_column = len(HEADERS) - 1
        roles = [
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.AccessibleDescriptionRole,
            LEVEL_ROLE,
        ]
        whole: list[int] = []  # the warning level changed: the row's tint
        cells: list[int] = []  # the due column or the state (colour, font) changed too
        countdowns: list[int] = []  # only the countdown's text
        previous = self._shown
        if not force:
            self._shown = {}
        for row in sorted(set(source_rows)):
            queue_row = self._rows[row]
            shown = self._shown_now(queue_row)
            key = queue_row.ticket.key
            before = previous.get(key)
            self._shown[key] = shown
            if before is None or before[0] != shown[0]:
                whole.append(row)
            elif force or before[1] != shown[1] or before[3] != shown[3]:
                cells.append(row)
            elif before[2] != shown[2]:
                countdowns.append(row)
        for start, end in _ranges(whole):
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_column), roles)
        # Cell by cell: a view repaints exactly the cell it is told of, while for a range of
        # cells Qt repaints the column to its right as well.
        for row in cells:
            self.dataChanged.emit(
                self.index(row, COL_COUNTDOWN), self.index(row, COL_COUNTDOWN), roles
            )
            self.dataChanged.emit(self.index(row, COL_DUE), self.index(row, COL_DUE), roles)
        for row in countdowns:
            cell = self.index(row, COL_COUNTDOWN)
            self.dataChanged.emit(cell, cell, roles)

    @property
    def rows(self) -> Sequence[QueueRow]:
        return self._rows

    def touch(self, key: str | None) -> None:
        """Tell views (and a filter) that the row of ``key`` may read otherwise."""
        position = self.row_of(key) if key is not None else None
        if position is not None:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(position, 0), self.index(position, last))

    def row_of(self, key: str) -> int | None:
        return self._index.get(key)

    def countdown_of(self, row: QueueRow) -> Countdown:
        cached = self._countdowns.get(row.key)
        if cached is None:
            cached = row.countdown(self._now)
            self._countdowns[row.key] = cached
        return cached

    @property
    def now(self) -> datetime:
        return self._now

    # ------------------------------------------------------------------ internals

    def _shown_now(self, row: QueueRow) -> tuple[int, ClockState, str, str]:
        """What the row's time-dependent cells show at the model's now."""
        cd = self.countdown_of(row)
        countdown, due = self._time_texts(row, cd)
        return cd.level(self._thresholds), cd.state, countdown, due

    def _time_texts(self, row: QueueRow, cd: Countdown) -> tuple[str, str]:
        key = row.ticket.key
        texts = self._texts.get(key)
        if texts is None:
            zone = row.calendar.timezone if row.calendar is not None else None
            texts = (countdown_line(cd, zone, self._now), due_text(cd, self._zone, self._now))
            self._texts[key] = texts
        return texts

    def _forget(self, key: str) -> None:
        """Drop what is kept of the row of ``key`` (it changed, moved or left)."""
        self._countdowns.pop(key, None)
        self._texts.pop(key, None)
        self._shown.pop(key, None)

    def _display(self, row: QueueRow, column: int) -> str:
        ticket = row.ticket
        if column == COL_KEY:
            return ticket.key
        if column == COL_CUSTOMER:
            return row.customer.name
        if column == COL_POLICY:
            return f"{row.policy.vendor} · {row.customer.plan}"
        if column == COL_SEVERITY:
            return row.severity_name.split(":")[0]
        if column == COL_TITLE:
            return ticket.title
        if column == COL_STATUS:
            return status_label(ticket.status)
        if column == COL_ASSIGNEE:
            if ticket.assignee is None:
                return NO_VALUE
            return self._people.get(ticket.assignee, ticket.assignee)
        if column == COL_CLOCK:
            return next_clock_text(row.policy, ticket.summary)
        if column == COL_COUNTDOWN:
            return self._time_texts(row, self.countdown_of(row))[0]
        if column == COL_DUE:
            return self._time_texts(row, self.countdown_of(row))[1]
        return ""

    def _warning(self, row: QueueRow) -> tuple[QIcon, str | None]:
        """The countdown cell's icon and description: none below the first threshold (a
        blank icon, so that every countdown starts at the same place), one for the lower
        thresholds, one for the last, one once breached."""
        cd = self.countdown_of(row)
        level = cd.level(self._thresholds)
        if cd.state is ClockState.BREACHED:
            return icons.icon("state_breached"), self.tr("Breached: past its due instant")
        if level == 0 or cd.fraction is None:
            return _blank_icon(), None
        name = "state_last_warning" if level >= len(self._thresholds) else "state_warning"
        # As f"{fraction:.0%}" rounds it, without the sign: German writes "80 %".
        percent = f"{cd.fraction * 100:.0f}"
        return icons.icon(name), self.tr("Warning: {percent}% of the target used").format(
            percent=percent
        )

    def _tooltip(self, row: QueueRow, column: int) -> str | None:
        if column not in TIME_COLUMNS:
            if column == COL_SEVERITY:
                return row.severity_name
            return row.ticket.title if column in (COL_KEY, COL_TITLE, COL_CUSTOMER) else None
        cd = self.countdown_of(row)
        calendar = row.calendar
        counted_on = counted_on_text(
            row.policy, row.ticket.summary.calendar, calendar.timezone if calendar else None
        )
        return "\n".join(countdown_tip(cd, self._zone, self._now, counted_on)) or None

    def _sort_key(self, row: QueueRow) -> Any:
        column = self._sort_column
        if column < 0 or column in (COL_COUNTDOWN, COL_DUE):
            key: Any = row.order()
        elif column == COL_SEVERITY:
            key = ((0, row.ticket.severity), row.order())
        else:
            key = (_text_key(self._display(row, column)), row.order())
        descending = self._sort_order is Qt.SortOrder.DescendingOrder and column >= 0
        return _Descending(key) if descending else key

    def _resort(self) -> None:
        if self._sort_column < 0:  # the queue order, which rows carry (loads come in it)
            self._rows.sort(key=_queue_order)
            self._order = order = [r.sort_key for r in self._rows]
            # A queue order key ends with the ticket's key (100,000 rows at a load).
            self._index = {k[2]: i for i, k in enumerate(order)}
            return
        decorated = sorted(((self._sort_key(r), r) for r in self._rows), key=_first)
        self._rows = [r for _, r in decorated]
        self._order = [k for k, _ in decorated]
        self._index = {r.ticket.key: i for i, r in enumerate(self._rows)}

    def _reindex(self, start: int) -> None:
        for i in range(start, len(self._rows)):
            self._index[self._rows[i].key] = i

    def _all_changed(self) -> None:
        """Every cell of every row may show something else (another zone or thresholds)."""
        self._shown.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )

    def crossing(self, previous: datetime, now: datetime) -> list[int]:
        """Rows that joined "breached" or "breaching within 1 h" in ``(previous, now]``."""
        return [self._index[k] for k in self.dues.crossing(previous, now) if k in self._index]

    def _remove(self, key: str) -> None:
        position = self._index.pop(key, None)
        if position is None:
            return
        self.dues.discard(self._rows[position])
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        del self._order[position]
        self._forget(key)
        self._reindex(position)
        self.endRemoveRows()

    def _move(self, position: int, row: QueueRow, sort_key: Any) -> None:
        """Move a changed row to its new place as a removal and an insertion (a proxy handles
        those row by row, while a move makes it filter everything again); only the rows in
        between are re-indexed."""
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        del self._order[position]
        self.endRemoveRows()
        target = bisect_left(self._order, sort_key)
        self.beginInsertRows(QModelIndex(), target, target)
        self._rows.insert(target, row)
        self._order.insert(target, sort_key)
        self._forget(row.key)
        for i in range(min(position, target), max(position, target) + 1):
            self._index[self._rows[i].key] = i
        self.endInsertRows()

    def _insert(self, row: QueueRow, sort_key: Any) -> None:
        position = bisect_left(self._order, sort_key)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._order.insert(position, sort_key)
        self._reindex(position)
        self.endInsertRows()


_queue_order = attrgetter("sort_key")
_first = itemgetter(0)


@total_ordering
class _Descending:
    """A sort key in reverse, so that the order list stays ascending (and bisectable)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.key == other.key

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)

    __hash__ = None  # type: ignore[assignment]


def _ranges(rows: Sequence[int]) -> Iterable[tuple[int, int]]:
    start = previous = None
    for row in rows:
        if start is None:
            start = previous = row
        elif row == previous + 1:  # type: ignore[operator]
            previous = row
        else:
            yield start, previous  # type: ignore[misc]
            start = previous = row
    if start is not None:
        yield start, previous  # type: ignore[misc]


class QueueFilterProxy(QSortFilterProxyModel):
    """Shows the rows of the chosen queue that match the search text, and the ticket held
    (the one selected): it stays, dimmed, when an action or a change moves it out of the
    queue, until the selection moves on or another queue is chosen."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._queue = QUEUE_ALL
        self._me: str | None = None
        self._words: list[str] = []
        self._held: str | None = None
        # The instant the time-window queues ("Breached", "Breaching within 1 h") are judged
        # at; None: the source model's now. The window moves it on a slower cadence than the
        # countdowns tick (see MainWindow.tick), so rows join and leave those queues together.
        self._judged_at: datetime | None = None
        # Rows are re-filtered one by one when their data changes (a tick, an update, a due
        # instant crossed); the proxy never sorts (sort() goes to the source).
        self.setDynamicSortFilter(True)

    def source(self) -> TicketTableModel:
        model = self.sourceModel()
        assert isinstance(model, TicketTableModel)
        return model

    def set_queue(self, queue: Queue, me: str | None) -> None:
        self._begin_filter_change()
        self._queue = queue
        self._me = me
        self._held = None
        self.source().dimmed = None
        self._end_filter_change()

    def set_search(self, text: str) -> None:
        self._begin_filter_change()
        self._words = text.lower().split()
        self._held = None
        self.source().dimmed = None
        self._end_filter_change()

    def hold(self, key: str | None) -> None:
        """Keep ``key``'s row shown (None: none): the one selected. The row held before is
        filtered again by itself (it leaves if it no longer belongs)."""
        if key == self._held:
            return
        before, self._held = self._held, key
        model = self.source()
        if model.dimmed == before:
            model.dimmed = None
        model.touch(before)

    @property
    def held(self) -> str | None:
        return self._held

    def judge_at(self, instant: datetime | None) -> None:
        """Judge membership of the time-window queues at ``instant`` from now on (None: at
        the source model's now). Rows already filtered are not looked at again: the caller
        tells the model which rows crossed (:meth:`TicketTableModel.crossing`)."""
        self._judged_at = instant

    # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair around the change.
    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    @property
    def queue(self) -> Queue:
        return self._queue

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        # Asked for each of 100,000 rows after a load: "All open" with no search and no row
        # held answers at once.
        if self._held is None and not self._words and self._queue.kind is QueueFilter.ALL:
            return True
        model = self.source()
        row = model.rows[source_row]
        at = self._judged_at if self._judged_at is not None else model.now
        belongs = (not self._words or matches(row, self._words)) and self._queue.accepts(
            row, self._me, at
        )
        if row.key == self._held:
            model.dimmed = None if belongs else row.key
            return True
        return belongs

    def multiData(self, index: Index, roleDataSpan: _Span) -> None:  # noqa: N802, N803
        # Qt's proxy would ask the source one role at a time: all at once instead.
        self.source().multiData(self.mapToSource(index), roleDataSpan)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source keeps its rows in order; this proxy only filters.
        self.source().sort(column, order)
