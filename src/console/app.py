"""Wiring: builds the application object and the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from console import __version__
from console.qt.main_window import MainWindow


def run_gui(argv: Sequence[str]) -> int:
    """Open the console window and run the event loop until it closes; the exit status."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Support Console")
    app.setOrganizationName("support-console")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    return app.exec()
