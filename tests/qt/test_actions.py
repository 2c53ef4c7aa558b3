"""The window's actions as the user meets them: every entry of the menus and the toolbar has
an icon, a shortcut and a tooltip naming it; the Status button opens its menu from its face;
Help lists every shortcut from the actions themselves and names the versions; controls that
show no text have an accessible name; a warned row says so in words as well as in colour."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSplitterHandle,
    QTextEdit,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

import console
from conftest import FakeTime
from console.domain.queue import ClockState
from console.qt.actions import (
    action_name,
    plain_text,
    reachable_actions,
    shortcut_text,
    tooltip_text,
)
from console.qt.help_dialogs import ELSEWHERE, About, shortcut_rows
from console.qt.icons import ICON_PROPERTY, ICONS
from console.qt.main_window import MainWindow
from console.qt.queue_model import COL_COUNTDOWN, COL_KEY, ROW_ROLE
from console.qt.ticket_actions import STATUS_KEYS
from console.services.queue import QueueRow
from consoles import NOW, Console, demo_database

# The deliberate exceptions to "every action has a shortcut", and why.
NO_SHORTCUT = {
    "status": "a submenu: its statuses have S, O … S, C, so S alone starts theirs",
    "about": "nobody needs About at speed; desktops give it no key either",
}

# The actions every console has (the mail entries show only where the database keeps mail).
EXPECTED = {
    "quit",
    "show_details",
    "new_ticket",
    "take",
    "assign",
    "respond",
    "update",
    "status",
    *(f"status_{status.value}" for status in STATUS_KEYS),
    "escalate",
    "severity",
    "rca",
    "waive",
    "note",
    "find",
    "save_search",
    "rename_search",
    "delete_search",
    "reload",
    "calendars",
    "history",
    "report",
    "handover",
    "triage",
    "mail_settings",
    "settings",
    "shortcuts",
    "about",
}


@pytest.fixture
def console_(qtbot: QtBot, tmp_path: Path) -> Iterator[Console]:
    made = Console(qtbot, demo_database(tmp_path, tickets=60, seed=2), FakeTime(NOW))
    yield made
    made.close()


@pytest.fixture
def window(console_: Console) -> MainWindow:
    return console_.window


def test_every_action_of_the_menus_and_toolbar_has_an_icon_a_shortcut_and_a_tooltip(
    window: MainWindow,
) -> None:
    reachable = reachable_actions(window)
    names = [action_name(found.action) for found in reachable]
    assert len(names) == len(set(names))
    assert set(names) == EXPECTED
    for found in reachable:
        action, name = found.action, action_name(found.action)
        assert action.objectName() == f"action_{name}"
        assert not action.icon().isNull(), name
        assert action.property(ICON_PROPERTY) == name and name in ICONS
        if name in NO_SHORTCUT:
            assert action.shortcut().isEmpty(), f"{name} has a shortcut after all: drop it here"
            continue
        assert not action.shortcut().isEmpty(), f"{name} has no shortcut"
        keys = shortcut_text(action.shortcut())
        # Triage's entry counts what waits ("Triage (3)…"); its tooltip does not.
        words = plain_text(action.text()).split(" (")[0]
        assert action.toolTip() == f"{words} ({keys})"


def test_the_tooltips_read_like_the_menus() -> None:
    from PySide6.QtGui import QKeySequence

    assert tooltip_text("Record response", QKeySequence("R")) == "Record response (R)"
    assert tooltip_text("Assign…", QKeySequence("A")) == "Assign (A)"
    assert tooltip_text("&Quit", QKeySequence("Ctrl+Q")) == "Quit (Ctrl+Q)"
    assert tooltip_text("Set status", QKeySequence("S, R")) == "Set status (S, R)"
    assert tooltip_text("About Support Console", QKeySequence()) == "About Support Console"


def test_no_two_actions_share_a_shortcut_or_start_one_another(window: MainWindow) -> None:
    """Qt runs neither of two actions with the same keys, and waits after the first key of
    a two-key shortcut: S alone could not be a shortcut beside S, R."""
    taken: dict[tuple[int, ...], str] = {}
    owners = [(action_name(f.action), f.action.shortcuts()) for f in reachable_actions(window)]
    owners += [(b.objectName(), [b.shortcut()]) for b in window.findChildren(QAbstractButton)]
    for name, sequences in owners:
        for sequence in sequences:
            if sequence.isEmpty():
                continue
            keys = tuple(sequence[i].toCombined() for i in range(sequence.count()))
            assert keys not in taken, f"{name} and {taken[keys]}"
            taken[keys] = name
    for keys, name in taken.items():
        for other, other_name in taken.items():
            if len(other) > len(keys):
                assert other[: len(keys)] != keys, f"{name} starts {other_name}"


def test_the_status_tooltip_names_every_status_key(window: MainWindow) -> None:
    status = window.findChild(QAction, "action_status")
    assert status is not None
    assert status.toolTip().startswith("Set status (S, then ")
    for status_value, letter in STATUS_KEYS.items():
        entry = window.findChild(QAction, f"action_status_{status_value.value}")
        assert entry is not None and shortcut_text(entry.shortcut()) == f"S, {letter}"
        assert letter in status.toolTip()


def test_the_status_button_opens_its_menu_on_a_click_on_its_face(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)
    button = window.findChild(QToolButton, "statusButton")
    status = window.findChild(QAction, "action_status")
    assert button is not None and status is not None
    assert button.popupMode() is QToolButton.ToolButtonPopupMode.InstantPopup
    assert button.defaultAction() is status and button.text() == "Status"
    menu = status.menu()
    assert isinstance(menu, QMenu)
    shown: list[bool] = []

    def look_and_close() -> None:
        shown.append(menu.isVisible())
        menu.close()

    QTimer.singleShot(50, look_and_close)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [True]
    assert [a.text() for a in menu.actions()] == [s.label.capitalize() for s in STATUS_KEYS]


def test_the_menus_show_the_shortcuts(window: MainWindow) -> None:
    assert not QApplication.testAttribute(
        Qt.ApplicationAttribute.AA_DontShowShortcutsInContextMenus
    )
    titles = [plain_text(a.text()) for a in window.menuBar().actions()]
    assert titles == ["File", "Ticket", "Queue", "View", "Console", "Help"]


def test_reload_reloads_the_board_while_it_is_shown(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    reloaded: list[str] = []
    monkeypatch.setattr(window, "load", lambda: reloaded.append("queue"))
    monkeypatch.setattr(window.handover, "refresh", lambda: reloaded.append("board"))
    reload = window.findChild(QAction, "action_reload")
    assert reload is not None and shortcut_text(reload.shortcut()) == "F5"
    reload.trigger()
    window.tabs.setCurrentWidget(window.handover)
    reload.trigger()
    assert reloaded[0] == "queue" and reloaded[-1] == "board"


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    quit_ = window.findChild(QAction, "action_quit")
    assert quit_ is not None and quit_.shortcut().toString() == "Ctrl+Q"
    quit_.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_save_search_waits_for_words_to_save(window: MainWindow) -> None:
    save = window.findChild(QAction, "action_save_search")
    assert save is not None and not save.isEnabled()
    assert not window.save_search_button.isEnabled()
    window.search.setText("login")
    assert save.isEnabled() and window.save_search_button.isEnabled()
    save.trigger()
    assert window.saved_searches() == ["login"]
    window.search.setText("  ")
    assert not save.isEnabled()


def test_rename_and_delete_act_on_the_chosen_saved_search_only(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    rename = window.sidebar.rename_action
    delete = window.sidebar.delete_action
    assert not rename.isEnabled() and not delete.isEnabled()  # All open is chosen
    window.searches.add("login", "Sign-in")
    queue = next(q for q in window.sidebar.queues() if q.argument == "login")
    window.sidebar.select(queue)
    assert rename.isEnabled() and delete.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Logins", True)))
    rename.trigger()
    assert [s.name for s in window.searches.items] == ["Logins"]
    delete.trigger()
    assert window.searches.items == ()
    assert not rename.isEnabled()


# --------------------------------------------------------------------------- Help


def test_keyboard_shortcuts_lists_every_shortcut_of_the_actions(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = window.show_shortcuts()
    listed = dialog.rows()
    expected = [
        (
            " ▸ ".join(f.where),
            plain_text(f.action.text()).removesuffix(" (0)"),  # Triage's count
            shortcut_text(f.action.shortcut()),
        )
        for f in reachable_actions(window)
        if f.action.isVisible() and not f.action.shortcut().isEmpty()
    ]
    assert expected and all(row in listed for row in expected)
    keys = {row[2] for row in listed}
    assert {"Ctrl+Q", "R", "S, R", "Ctrl+Shift+H", "F1"} <= keys
    # Actions outside the menus that have keys too: the composer's Undo send.
    assert (ELSEWHERE, "Undo send", "Ctrl+Z") in listed
    assert len(listed) == len(set(listed))  # each clock's Copy once
    assert ("Console", "Triage", "Ctrl+Shift+T") in listed
    dialog.close()


def test_keyboard_shortcuts_reads_the_actions_not_a_list(window: MainWindow) -> None:
    from console.qt.actions import make_action

    menu = window.findChild(QMenu, "statusMenu")
    assert menu is not None
    menu.addAction(make_action(window, "note", "Another entry", "Ctrl+Alt+J"))
    assert ("Ticket ▸ Set status", "Another entry", "Ctrl+Alt+J") in shortcut_rows(window)
    hidden = window.findChild(QAction, "action_history")
    assert hidden is not None
    hidden.setVisible(False)  # a hidden entry's keys do nothing: not listed
    assert all(row[1] != "History" for row in shortcut_rows(window))


def test_about_names_the_versions_the_database_and_its_schema(
    qtbot: QtBot, console_: Console
) -> None:
    window = console_.window
    dialog = window.show_about()
    text = dialog.text()
    for version in (console.__version__, qVersion(), PySide6.__version__):
        assert version in text
    assert platform.python_version() in text
    assert console_.database.url.split("///")[-1] in text
    qtbot.waitUntil(lambda: "reading" not in dialog.text())
    assert console_.database.current_revision() == console_.database.head_revision()
    assert f"Schema revision</td><td nowrap>&nbsp;&nbsp;{console_.database.head_revision()}" in (
        dialog.text()
    )
    assert not dialog.iconPixmap().isNull()
    dialog.close()


def test_about_leaves_the_password_out() -> None:
    about = About.of("postgresql://ana:s3cret@db.example.com/support")
    assert "s3cret" not in about.html()
    assert "postgresql://ana:***@db.example.com/support" in about.html()
    assert about.schema == "reading…"


# --------------------------------------------------------------------------- accessibility


def _is_internal(widget: QWidget) -> bool:
    """Qt's own parts: named qt_..., a line edit's clear button, a combo box's popup list,
    the hidden first handle of a splitter."""
    if isinstance(widget, QSplitterHandle):
        return widget.isHidden()
    parent = widget.parentWidget()
    grandparent = parent.parentWidget() if parent is not None else None
    return (
        widget.objectName().startswith("qt_")
        or isinstance(widget, QHeaderView)
        or (isinstance(widget, QToolButton) and isinstance(parent, QLineEdit))
        or (isinstance(widget, QAbstractItemView) and isinstance(grandparent, QComboBox))
    )


def test_every_control_without_text_has_an_accessible_name(
    console_: Console, window: MainWindow
) -> None:
    window.table.selectRow(0)
    console_.settle()  # the detail pane, with its clocks and conversation
    kinds = (
        QLineEdit,
        QAbstractItemView,
        QComboBox,
        QPlainTextEdit,
        QTextEdit,
        QSplitterHandle,
        QAbstractButton,
        QAbstractSpinBox,
        QScrollArea,
    )
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or _is_internal(widget):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.strip()):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == []
    assert window.search.accessibleName() == "Search tickets"
    assert window.table.accessibleName() == "Tickets"
    assert window.sidebar.accessibleName() == "Queues"


def test_a_warned_or_breached_row_says_so_beyond_its_tint(window: MainWindow) -> None:
    model = window.model
    said: dict[str, set[str | None]] = {"breached": set(), "warned": set(), "quiet": set()}
    for position in range(model.rowCount()):
        cell = model.index(position, COL_COUNTDOWN)
        row = cell.data(ROW_ROLE)
        assert isinstance(row, QueueRow)
        countdown = model.countdown_of(row)
        level = countdown.level(window.settings.thresholds)
        description = cell.data(Qt.ItemDataRole.AccessibleDescriptionRole)
        icon = cell.data(Qt.ItemDataRole.DecorationRole)
        assert icon is not None  # a blank one when quiet: the texts line up
        if countdown.state is ClockState.BREACHED:
            said["breached"].add(description)
        elif level > 0:
            assert description == f"Warning: {countdown.fraction:.0%} of the target used"
            said["warned"].add(description)
        else:
            assert description is None
            said["quiet"].add(description)
        # The tint's other columns carry no description of their own: once is enough.
        assert (
            model.index(position, COL_KEY).data(Qt.ItemDataRole.AccessibleDescriptionRole) is None
        )
    assert said["breached"] == {"Breached: past its due instant"}
    assert said["warned"] and said["quiet"] == {None}
    assert model.data(QModelIndex(), Qt.ItemDataRole.DecorationRole) is None


def test_s_then_a_letter_sets_the_status(
    qtbot: QtBot, console_: Console, window: MainWindow
) -> None:
    window.table.selectRow(0)
    console_.settle()
    row = window.selected_rows()[0]
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.table.setFocus()
    pressed: list[str] = []
    on_hold = window.findChild(QAction, "action_status_on_hold")
    assert on_hold is not None
    on_hold.triggered.connect(lambda: pressed.append("on hold"))
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_S)
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_H)
    assert pressed == ["on hold"]
    console_.settle()
    qtbot.waitUntil(lambda: "saved" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == f"Set status: {row.key} saved"
