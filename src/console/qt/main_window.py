"""The main window. It holds the queue once the database layer exists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from console import __version__


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Support Console")
        self.resize(1200, 760)
        placeholder = QLabel(
            "<h2>Support Console</h2>"
            "<p>The ticket queue appears here once a database is connected.</p>"
        )
        placeholder.setObjectName("placeholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setTextFormat(Qt.TextFormat.RichText)
        self.setCentralWidget(placeholder)
        self.statusBar().showMessage(f"Support Console {__version__}")
