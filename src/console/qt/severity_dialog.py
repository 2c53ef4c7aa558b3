"""A lead changes a ticket's severity: every clock's current and new target, due instant and
state are shown before confirming (a preview computed by the domain, on the worker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.policy import Policy
from console.domain.sla import ClockChange, ClockState, SlaClock
from console.services.queue import QueueRow
from console.services.texts import format_span

COLUMNS = (
    "Clock",
    "Now: target",
    "Now: due",
    "Now: state",
    "After: target",
    "After: due",
    "After: state",
)


def _target(clock: SlaClock | None) -> str:
    if clock is None:
        return "—"
    return clock.target.describe() if clock.target is not None else "no target"


def _due(clock: SlaClock | None, zone: tzinfo) -> str:
    if clock is None or clock.due is None:
        return "—"
    return f"{clock.due.astimezone(zone):%a %d %b %H:%M %Z}"


def _state(clock: SlaClock | None) -> str:
    if clock is None:
        return "—"
    if clock.state is ClockState.BREACHED:
        return f"breached by {format_span(clock.overrun, seconds=False)}"
    remaining = clock.remaining
    if clock.state in (ClockState.RUNNING, ClockState.WAITING) and remaining is not None:
        return f"{clock.state.label}, {format_span(remaining, seconds=False)} left"
    return clock.state.label


class SeverityDialog(QDialog):
    """Choose the new severity, see the preview, give a reason (and confirm the notice)."""

    def __init__(
        self,
        rows: QueueRow | Sequence[QueueRow],
        zone: tzinfo,
        request_preview: Callable[[int], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.rows = [rows] if isinstance(rows, QueueRow) else list(rows)
        row = self.rows[0]
        self.bulk = len(self.rows) > 1
        self.setObjectName("severityDialog")
        keys = ", ".join(r.key for r in self.rows[:4]) + (" …" if len(self.rows) > 4 else "")
        self.setWindowTitle(f"Change the severity of {keys}")
        self.resize(1000 if self.bulk else 920, 440)
        self.row = row
        self.zone = zone
        self._request_preview = request_preview
        self._previews: dict[str, Sequence[ClockChange]] = {}
        self._preview_now: datetime | None = None
        policy: Policy = row.policy

        self.severity = QComboBox(self)
        self.severity.setObjectName("newSeverity")
        current_levels = {r.ticket.severity for r in self.rows}
        for severity in policy.severities:
            if current_levels != {severity.level}:
                self.severity.addItem(severity.name, severity.level)
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        self.reason.setEditable(True)
        self.reason.addItem("")
        for rule in policy.severity_rules:
            self.reason.addItem(rule.name)
        editor = self.reason.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("Why? Choose a rule of the policy or type")
        self.notified = QCheckBox(
            f"The customer was notified ({policy.vendor}'s policy requires it)", self
        )
        self.notified.setObjectName("customerNotified")
        self.needs_notice = policy.severity_change.notify_customer
        self.notified.setVisible(self.needs_notice)

        self.columns = ("Ticket", *COLUMNS) if self.bulk else COLUMNS
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setObjectName("previewTable")
        self.table.setHorizontalHeaderLabels(self.columns)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.status = QLabel("Computing the new deadlines…", self)
        self.status.setObjectName("previewStatus")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change severity")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        if self.bulk:
            counts = {
                level: sum(1 for r in self.rows if r.ticket.severity == level)
                for level in sorted(current_levels)
            }
            current = ", ".join(
                f"{policy.severity(level).name} ({n})" for level, n in counts.items()
            )
        else:
            current = policy.severity(row.ticket.severity).name
        form = QFormLayout()
        if self.bulk:
            form.addRow("Tickets", QLabel(f"{len(self.rows)} of {policy.vendor}", self))
        form.addRow("Current severity", QLabel(current, self))
        form.addRow("New severity", self.severity)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notified)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.severity.currentIndexChanged.connect(lambda _: self._ask())
        self.reason.currentTextChanged.connect(lambda _: self._validate())
        self.notified.toggled.connect(lambda _: self._validate())
        self._preview_for: int | None = None
        self._ask()

    def chosen(self) -> int:
        return int(self.severity.currentData())

    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    def _ask(self) -> None:
        self._preview_for = None
        self._previews = {}
        self.table.setRowCount(0)
        self.status.setText("Computing the new deadlines…")
        self._validate()
        if self.severity.count():
            self._request_preview(self.chosen())

    def show_preview(
        self, to: int, changes: Sequence[ClockChange], now: datetime, key: str | None = None
    ) -> None:
        """Take one ticket's preview (ignored when the lead has chosen another severity
        meanwhile); the table fills once every chosen ticket's preview has arrived."""
        if not self.severity.count() or to != self.chosen():
            return
        self._previews[key or self.row.key] = changes
        self._preview_now = now
        if any(r.key not in self._previews for r in self.rows):
            self.status.setText(
                f"Computing the new deadlines… ({len(self._previews)} of {len(self.rows)})"
            )
            return
        self._preview_for = to
        lines = [(r.key, change) for r in self.rows for change in self._previews[r.key]]
        self.table.setRowCount(len(lines))
        offset = 1 if self.bulk else 0
        for i, (ticket_key, change) in enumerate(lines):
            cells = (
                change.metric.label,
                _target(change.before),
                _due(change.before, self.zone),
                _state(change.before),
                _target(change.after),
                _due(change.after, self.zone),
                _state(change.after),
            )
            if self.bulk:
                self.table.setItem(i, 0, QTableWidgetItem(ticket_key))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 4 and cells[j] != cells[j - 3]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j + offset, item)
        self.status.setText(
            f"As of {now.astimezone(self.zone):%a %d %b %H:%M %Z}; changed "
            "values in bold. Breaches that already happened stay in the history."
        )
        self._validate()

    def _validate(self) -> None:
        problems = []
        if self._preview_for is None:
            problems.append("waiting for the preview")
        if not self.reason_text():
            problems.append("give a reason")
        if self.needs_notice and not self.notified.isChecked():
            problems.append("confirm the customer was notified")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        ok.setToolTip("; ".join(problems))
