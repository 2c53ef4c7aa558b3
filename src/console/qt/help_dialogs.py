"""The Help menu's dialogs: Keyboard shortcuts, read from the window's actions themselves
(what the menus show is what it lists), and About, with the versions of the console, Qt,
PySide6 and Python, the database (without its password) and its schema revision."""

from __future__ import annotations

import html
import platform
import re
from dataclasses import dataclass, replace

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import __version__
from console.adapters.database import describe
from console.qt.actions import plain_text, reachable_actions, shortcut_text
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.icons import application_icon
from console.services import words
from console.services.views import SchemaRevision

__all__ = ["About", "AboutDialog", "KeyboardShortcutsDialog", "shortcut_rows"]

# Marked for translation, shown with words.tr(...).
ELSEWHERE = words.QT_TR_NOOP("Elsewhere in the window")
ABOUT = words.QT_TR_NOOP("A desktop console for support teams working under contractual SLAs.")


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every visible action of ``window`` that has a shortcut: those
    of the menus and toolbars in menu order, then any other action of the window (the
    composer's Undo send, for one)."""
    rows: list[tuple[str, str, str]] = []
    listed: set[int] = set()
    toolbar = words.tr("Toolbar")
    for found in reachable_actions(window):
        action = found.action
        listed.add(id(action))
        if action.isVisible() and not action.shortcut().isEmpty():
            where = " ▸ ".join(found.where) if found.where != ("toolbar",) else toolbar
            rows.append((where, _what(action), _keys(action)))
    for action in window.findChildren(QAction):
        if id(action) in listed or action.shortcut().isEmpty() or not action.isVisible():
            continue
        listed.add(id(action))
        row = (words.tr(ELSEWHERE), _what(action), _keys(action))
        if row not in rows:  # each clock's timeline has its own Copy: one line says it
            rows.append(row)
    return rows


def _what(action: QAction) -> str:
    # Without a count the entry shows beside its name ("Triage (3)…").
    return re.sub(r" \(\d+\)$", "", plain_text(action.text()))


def _keys(action: QAction) -> str:
    separator = " " + words.tr("or", "between two shortcuts") + " "
    return separator.join(shortcut_text(s) for s in action.shortcuts())


class KeyboardShortcutsDialog(QDialog):
    """Every shortcut of ``window``, grouped by menu."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("keyboardShortcuts")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutList")
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        groups: dict[str, QTreeWidgetItem] = {}
        for where, what, keys in shortcut_rows(window):
            group = groups.get(where)
            if group is None:
                group = QTreeWidgetItem(self.tree, [where])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                groups[where] = group
            QTreeWidgetItem(group, [what, keys])
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setFocus()  # the list is read, not chosen from
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(480, 760)

    def rows(self) -> list[tuple[str, str, str]]:
        """(where, what, keys) as listed."""
        found: list[tuple[str, str, str]] = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            children = (group.child(j) for j in range(group.childCount()))
            found.extend((group.text(0), c.text(0), c.text(1)) for c in children if c is not None)
        return found


@dataclass(frozen=True, slots=True)
class About:
    """What Help ▸ About says."""

    version: str
    qt: str
    pyside: str
    python: str
    database: str
    schema: str

    @classmethod
    def of(cls, database_url: str, schema: str | None = None) -> About:
        """The versions running now, and the database ``database_url`` (its password left
        out); the schema revision "reading…" until it is known."""
        return cls(
            __version__,
            qVersion(),
            PySide6.__version__,
            platform.python_version(),
            describe(database_url),
            schema if schema is not None else words.tr("reading…"),
        )

    def html(self) -> str:
        rows = (
            ("Qt", self.qt),
            ("PySide6", self.pyside),
            ("Python", self.python),
            (words.tr("Database"), self.database),
            (words.tr("Schema revision"), self.schema),
        )
        table = "".join(
            f"<tr><td>{html.escape(k)}</td><td nowrap>&nbsp;&nbsp;{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return (
            f"<h3>Support Console {html.escape(self.version)}</h3>"
            f"<p>{html.escape(words.tr(ABOUT))}</p>"
            f"<table>{table}</table>"
        )


class AboutDialog(QMessageBox):
    """Help ▸ About: shown at once, the schema revision filled in when the database
    answers (through ``dispatcher``)."""

    def __init__(self, dispatcher: Dispatcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Support Console"))
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setIconPixmap(application_icon().pixmap(64, 64))
        self.setStandardButtons(QMessageBox.StandardButton.Close)
        # Room for a database path on one line (a message box keeps its text narrow).
        self.setStyleSheet("QLabel#qt_msgbox_label { min-width: 30em; }")
        self.facts = About.of(dispatcher.database.url)
        self.setText(self.facts.html())
        pending = dispatcher.ask(SchemaRevision())
        pending.finished.connect(self._show_revision)
        pending.failed.connect(self._revision_failed)

    def _show_revision(self, revision: str | None) -> None:
        self._set_schema(revision or self.tr("none"))

    def _revision_failed(self, failure: Failure) -> None:
        self._set_schema(self.tr("could not be read: {message}").format(message=failure.message))

    def _set_schema(self, schema: str) -> None:
        self.facts = replace(self.facts, schema=schema)
        self.setText(self.facts.html())
