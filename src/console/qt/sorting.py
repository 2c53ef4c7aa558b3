"""Sorting for table models that keep their rows in a Python list (the audit trail, the
report): a stable sort by column, persistent indexes following their rows."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class StableSortMixin(QAbstractTableModel):
    """Needs ``_positions`` (the given position of each shown row), ``_sort_column``,
    ``_sort_order`` and ``_resort()`` from the model."""

    _positions: list[int]
    _sort_column: int
    _sort_order: Qt.SortOrder

    def _resort(self) -> None:
        raise NotImplementedError

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
