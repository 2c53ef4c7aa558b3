"""The window opens offscreen and says what it is."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.qt.main_window import MainWindow


def test_main_window_opens(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Support Console"
    placeholder = window.findChild(QLabel, "placeholder")
    assert placeholder is not None and "queue" in placeholder.text()
    assert not window.grab().isNull()
