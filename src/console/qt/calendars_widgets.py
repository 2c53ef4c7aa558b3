"""Small widgets of the calendars dialog: labels, headed sections as in the detail pane, box
layouts and tree helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLayout,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.qt.detail_widgets import muted, plain_label

__all__ = [
    "Item",
    "Section",
    "children",
    "hbox",
    "muted",
    "plain_label",
    "scaled",
    "top_items",
    "tree",
    "vbox",
]


def scaled(widget: QWidget, scale: float, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setBold(bold)
    if scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    widget.setFont(font)


Item = QWidget | QLayout | tuple[QWidget | QLayout, int] | None
"""What a box layout holds: a widget or layout (with its stretch), or None for a stretch."""

Margins = tuple[int, int, int, int]


def _fill(layout: QBoxLayout, items: Iterable[Item], margins: Margins | None, spacing: int) -> None:
    if margins is not None:
        layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for item in items:
        if item is None:
            layout.addStretch(1)
            continue
        thing, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(thing, QLayout):
            layout.addLayout(thing, stretch)
        else:
            layout.addWidget(thing, stretch)


def vbox(
    owner: QWidget, *items: Item, margins: Margins = (0, 0, 0, 0), spacing: int = 0
) -> QVBoxLayout:
    """``owner``'s layout: ``items`` top to bottom."""
    layout = QVBoxLayout(owner)
    _fill(layout, items, margins, spacing)
    return layout


def hbox(*items: Item, spacing: int = 6) -> QHBoxLayout:
    """A layout of ``items`` left to right, to place in another."""
    layout = QHBoxLayout()
    _fill(layout, items, None, spacing)
    return layout


class Section(QWidget):
    """A small-caps heading over a body, with a rule above unless it comes ``first``; a
    subclass without ``body`` adds its own with :meth:`set_body`."""

    def __init__(self, title: str, body: QWidget | None, name: str, *, first: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self._layout = vbox(self, margins=(0, 0 if first else 8, 0, 0), spacing=5)
        if not first:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Plain)
            line.setForegroundRole(QPalette.ColorRole.Mid)
            self._layout.addWidget(line)
        self.heading = muted(plain_label(title.upper(), f"{name}Heading"))
        scaled(self.heading, 0.85, bold=True)
        font = self.heading.font()
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.heading.setFont(font)
        self._layout.addWidget(self.heading)
        if body is not None:
            self.set_body(body)

    def set_body(self, body: QWidget) -> None:
        self._layout.addWidget(body, 1)

    def set_title(self, title: str) -> None:
        self.heading.setText(title.upper())


def tree(columns: Sequence[str], name: str) -> QTreeWidget:
    """A read-only tree (or list) with one selection and alternating rows."""
    widget = QTreeWidget()
    widget.setObjectName(name)
    widget.setColumnCount(len(columns))
    widget.setHeaderLabels(list(columns))
    widget.setAlternatingRowColors(True)
    widget.setUniformRowHeights(True)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.header().setStretchLastSection(False)
    return widget


def top_items(widget: QTreeWidget) -> list[QTreeWidgetItem]:
    found = (widget.topLevelItem(i) for i in range(widget.topLevelItemCount()))
    return [item for item in found if item is not None]


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = (item.child(i) for i in range(item.childCount()))
    return [child for child in found if child is not None]
