"""The last handover above the board: who handed over when, whether it was acknowledged, its
note, and the Acknowledge button (whether it can be pressed is the view's to say)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.domain.model import Handover
from console.services.handover_texts import handover_text, span_text

__all__ = ["LastHandoverBanner"]


class LastHandoverBanner(QFrame):
    """The last handover in words; its ``state`` property (none, pending or done) picks the
    accent of the style sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lastHandover")
        self.setProperty("state", "none")
        self.text = QLabel(self)
        self.text.setObjectName("lastHandoverText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLabel(self)
        self.note.setObjectName("lastHandoverNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge"), self)
        self.acknowledge_button.setObjectName("acknowledgeButton")
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.text)
        words.addWidget(self.note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 8)
        layout.addLayout(words, 1)
        layout.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_handover(
        self, last: Handover | None, names: Mapping[str, str], zone: tzinfo, now: datetime
    ) -> None:
        """Show ``last`` (None: no handover yet), names by login, instants in ``zone``."""
        self.text.setText(handover_text(last, names, zone, now))
        note = last.note if last is not None else ""
        self.note.setText(f"\u201c{note}\u201d" if note else "")
        self.note.setVisible(bool(note))
        if last is None:
            state = "none"
            self.setToolTip("")
        else:
            state = "done" if last.acknowledged_by is not None else "pending"
            window = span_text(last.window_start, last.window_end, zone)
            self.setToolTip(
                self.tr("For {window}; %n ticket note(s)", "", len(last.ticket_notes)).format(
                    window=window
                )
            )
        self.acknowledge_button.setVisible(last is not None and last.acknowledged_by is None)
        if self.property("state") != state:
            self.setProperty("state", state)
            self.style().unpolish(self)
            self.style().polish(self)
