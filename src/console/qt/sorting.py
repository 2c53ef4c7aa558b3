"""Table models that keep their rows in a Python list (History, the report): the rows as
given, the rows as shown, a stable sort by column that keeps persistent indexes on their
rows, and the colours of the theme in effect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from console.qt import theme

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


def horizontal_header(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """``headerData`` of a model whose columns are named by ``headers``: the name, for the
    display role of a horizontal header; else nothing."""
    horizontal = orientation is Qt.Orientation.Horizontal
    if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(headers):
        return headers[section]
    return None


class ListTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` in ``columns`` columns; subclasses give :meth:`sort_value`."""

    columns = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._given: list[R] = []
        self._rows: list[R] = []
        self._positions: list[int] = []  # for each shown row, its place in _given
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.colours = theme.colours()  # of the theme in effect: see restyle

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.columns

    def row_at(self, index: Index) -> R | None:
        """The row an index points at, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row, kept in the current sort order."""
        self.beginResetModel()
        self._given = list(rows)
        self._resort()
        self.endResetModel()

    @property
    def rows(self) -> Sequence[R]:
        """The rows in the order shown."""
        return self._rows

    def restyle(self) -> None:
        """Take the colours of the theme in effect (after a switch): views repaint the
        text and background colours of every row."""
        scheme = theme.colours()
        if scheme is self.colours:
            return
        self.colours = scheme
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, self.columns - 1),
                [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole],
            )

    def sort_value(self, row: R, column: int) -> Any:
        raise NotImplementedError

    def _resort(self) -> None:
        positions = list(range(len(self._given)))
        column = self._sort_column
        if 0 <= column < self.columns:
            values = [self.sort_value(row, column) for row in self._given]
            descending = self._sort_order is Qt.SortOrder.DescendingOrder
            # reverse=True keeps equal values in the given order, as ascending does.
            positions.sort(key=values.__getitem__, reverse=descending)
        self._positions = positions
        self._rows = [self._given[i] for i in positions]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (equal values keep the given order); -1: the given order."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [self._positions[i.row()] if i.isValid() else -1 for i in persistent]
        self._sort_column = column
        self._sort_order = order
        self._resort()
        where = {position: row for row, position in enumerate(self._positions)}
        moved = [
            self.index(where[position], index.column()) if position >= 0 else QModelIndex()
            for position, index in zip(before, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
