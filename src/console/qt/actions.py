"""The window's actions as the user meets them: each with its icon (:mod:`console.qt.icons`),
its shortcut, and a tooltip that names the shortcut ("Record response (R)"); and the list of
every action the menus and toolbars reach, which the Keyboard shortcuts dialog reads (so it
never disagrees with the menus)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from console.qt import icons

__all__ = [
    "Reachable",
    "action_name",
    "make_action",
    "plain_text",
    "reachable_actions",
    "set_shortcut",
    "shortcut_text",
    "tooltip_text",
]

Shortcut = str | QKeySequence | QKeySequence.StandardKey


def shortcut_text(sequence: QKeySequence) -> str:
    """A shortcut as the menus show it on this platform (``Ctrl+Shift+H``, ``S, R``)."""
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def plain_text(text: str) -> str:
    """An action's text without its mnemonic marks and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def tooltip_text(text: str, shortcut: QKeySequence) -> str:
    """``Record response (R)``: what the action does, and its key."""
    plain = plain_text(text)
    return f"{plain} ({shortcut_text(shortcut)})" if not shortcut.isEmpty() else plain


def set_shortcut(action: QAction, shortcut: Shortcut) -> None:
    """Give ``action`` its shortcut and a tooltip that names it."""
    action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tooltip_text(action.text(), action.shortcut()))


def make_action(
    parent: QObject,
    name: str,
    text: str,
    shortcut: Shortcut,
    triggered: Callable[[], object] | None = None,
    *,
    icon: str | None = None,
) -> QAction:
    """An action ``action_<name>`` with the icon ``icon`` (default: ``name``), ``shortcut``
    and the tooltip that names it, calling ``triggered``."""
    action = QAction(text, parent)
    action.setObjectName(f"action_{name}")
    icons.set_icon(action, icon or name)
    set_shortcut(action, shortcut)
    if triggered is not None:
        action.triggered.connect(triggered)
    return action


# Menus of choices rather than actions (a tick per column): no icon or key of their own.
OPTION_MENUS = frozenset({"columnChooser"})


def action_name(action: QAction) -> str:
    """``take`` for ``action_take``: the name its icon and its tests know it by."""
    return action.objectName().removeprefix("action_")


@dataclass(frozen=True, slots=True)
class Reachable:
    """An action and where the user finds it: ``("Ticket",)``, ``("Ticket", "Set status")``
    or ``("toolbar",)`` for one only on a toolbar."""

    action: QAction
    where: tuple[str, ...]


def reachable_actions(window: QMainWindow) -> list[Reachable]:
    """Every action of ``window``'s menus (submenus included, each once, in menu order),
    then those only on its toolbars; not the menus' own titles, nor separators."""
    found: list[Reachable] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: tuple[str, ...]) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            submenu = action.menu()
            if id(action) not in seen and action.objectName():
                seen.add(id(action))
                found.append(Reachable(action, where))
            if isinstance(submenu, QMenu) and submenu.objectName() not in OPTION_MENUS:
                walk(submenu, (*where, plain_text(submenu.title())))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, (plain_text(menu.title()),))
    for toolbar in window.findChildren(QToolBar):
        for action in toolbar.actions():
            if not action.isSeparator() and id(action) not in seen:
                seen.add(id(action))
                found.append(Reachable(action, ("toolbar",)))
    return found
