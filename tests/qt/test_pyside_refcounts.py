"""A guard against a PySide6 defect: in 6.12.0, emitting a Python-declared signal or reading
a None back from Qt took a reference from True or None each time, so a console that ticks
every second crashed after a few hours ("deallocating None"). The dependency excludes that
version; this test fails if a version with the same defect is installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    number = Signal(int)
    anything = Signal(object)


def test_signals_and_none_keep_their_references(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.anything.connect(received.append)
    item = QListWidgetItem("queue")
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(2_000):
        emitter.number.emit(1)
        emitter.anything.emit(None)
        item.data(1000)
    received.clear()
    # Other threads and caches move these counts a little; a leak moves them by thousands.
    assert abs(sys.getrefcount(True) - true_before) < 200
    assert abs(sys.getrefcount(None) - none_before) < 200
