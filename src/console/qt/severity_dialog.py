"""A lead changes a ticket's severity: every clock's current and new target, due instant and
state are shown before confirming. The dialog asks the dispatcher for each selected ticket's
:class:`SeverityPreview` (computed by the domain, off the UI thread); choosing another
severity asks again, and the newer question supersedes the older one still on its way. The
caller reads :meth:`SeverityDialog.chosen`, :meth:`SeverityDialog.reason_text` and
``notified`` after ``exec()`` and sends the ``ChangeSeverity`` command itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

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
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.theme import set_tone
from console.services import words
from console.services.queue import QueueRow
from console.services.severity_table import PREVIEW_COLUMNS, preview_cells
from console.services.texts import when_text
from console.services.views import SeverityPreview, SeverityPreviewView

COMPUTING_TEXT = words.QT_TR_NOOP("Computing the new deadlines…")


KEEPS_START_TEXT = words.QT_TR_NOOP(
    "Each clock keeps its start: the new severity's target counts from when the clock "
    "started, so a higher severity can breach a clock at once (the customer has waited "
    "since then). The preview below shows it before you confirm."
)


class SeverityDialog(QDialog):
    """Choose the new severity, see the preview, give a reason (and confirm the notice)."""

    def __init__(
        self,
        rows: QueueRow | Sequence[QueueRow],
        zone: tzinfo,
        dispatcher: Dispatcher,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.rows = [rows] if isinstance(rows, QueueRow) else list(rows)
        row = self.rows[0]
        self.bulk = len(self.rows) > 1
        self.setObjectName("severityDialog")
        keys = ", ".join(r.key for r in self.rows[:4]) + (" …" if len(self.rows) > 4 else "")
        self.setWindowTitle(self.tr("Change the severity of {keys}").format(keys=keys))
        self.resize(1000 if self.bulk else 920, 440)
        self.row = row
        self.zone = zone
        self._dispatcher = dispatcher
        self._previews: dict[str, SeverityPreviewView] = {}
        self._failure: Failure | None = None
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
            editor.setPlaceholderText(self.tr("Why? Choose a rule of the policy or type"))
        self.notified = QCheckBox(
            self.tr("The customer was notified ({vendor}'s policy requires it)").format(
                vendor=policy.vendor
            ),
            self,
        )
        self.notified.setObjectName("customerNotified")
        self.needs_notice = policy.severity_change.notify_customer
        self.notified.setVisible(self.needs_notice)

        preview = tuple(words.tr(column) for column in PREVIEW_COLUMNS)
        self.columns = (self.tr("Ticket"), *preview) if self.bulk else preview
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setObjectName("previewTable")
        self.table.setHorizontalHeaderLabels(self.columns)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(words.tr(COMPUTING_TEXT), self)
        self.status.setObjectName("previewStatus")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change severity"))
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
            form.addRow(
                self.tr("Tickets"),
                QLabel(
                    self.tr("{count} of {vendor}").format(
                        count=len(self.rows), vendor=policy.vendor
                    ),
                    self,
                ),
            )
        form.addRow(self.tr("Current severity"), QLabel(current, self))
        form.addRow(self.tr("New severity"), self.severity)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.keeps_start = QLabel(words.tr(KEEPS_START_TEXT), self)
        self.keeps_start.setObjectName("keepsStart")
        self.keeps_start.setWordWrap(True)
        layout.addWidget(self.keeps_start)
        layout.addWidget(self.notified)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.severity.currentIndexChanged.connect(self._ask)
        self.reason.currentTextChanged.connect(self._validate)
        self.notified.toggled.connect(self._validate)
        self._ask()

    def chosen(self) -> int:
        return int(self.severity.currentData())

    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    @property
    def failure(self) -> Failure | None:
        """Why a preview of the severity chosen could not be computed (None: it could)."""
        return self._failure

    def _ask(self) -> None:
        self._previews = {}
        self._failure = None
        self.table.setRowCount(0)
        self._set_status(words.tr(COMPUTING_TEXT))
        self._validate()
        if not self.severity.count():
            return
        to = self.chosen()
        for row in self.changing():
            pending = self._dispatcher.ask(SeverityPreview(row.key, to))
            pending.finished.connect(self._preview_arrived)
            pending.failed.connect(self._preview_failed)

    def changing(self) -> list[QueueRow]:
        """The chosen tickets the change moves: those already at the new severity are left
        out (and the preview says so)."""
        if not self.severity.count():
            return []
        to = self.chosen()
        return [r for r in self.rows if r.ticket.severity != to]

    def _left_out(self) -> str:
        """What the preview says of the tickets left out ("" when none is)."""
        if not self.severity.count():
            return ""
        kept = {r.key for r in self.changing()}
        out = [r.key for r in self.rows if r.key not in kept]
        if not out:
            return ""
        return " " + self.tr("Left out, already at {severity}: {keys}.").format(
            severity=self.severity.currentText(), keys=", ".join(out)
        )

    def _complete(self) -> bool:
        changing = self.changing()
        return (
            self._failure is None
            and bool(changing)
            and all(r.key in self._previews for r in changing)
        )

    def _preview_arrived(self, view: SeverityPreviewView) -> None:
        """One ticket's preview; the table fills once every chosen ticket's has arrived."""
        self._previews[view.key] = view
        if self._failure is not None:
            return
        if not self._complete():
            self._set_status(
                self.tr("{computing} ({done} of {total})").format(
                    computing=words.tr(COMPUTING_TEXT),
                    done=len(self._previews),
                    total=len(self.changing()),
                )
            )
            return
        lines = [(r, change) for r in self.changing() for change in self._previews[r.key].changes]
        self.table.setRowCount(len(lines))
        offset = 1 if self.bulk else 0
        for i, (row, change) in enumerate(lines):
            cells = preview_cells(change, row.policy, self.zone, view.now)
            if self.bulk:
                self.table.setItem(i, 0, QTableWidgetItem(row.key))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 4 and cells[j] != cells[j - 3]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j + offset, item)
        as_of = when_text(view.now, self.zone, view.now, zone_name=True)
        self._set_status(
            self.tr(
                "As of {time}; changed values in bold. "
                "Breaches that already happened stay in the history."
            ).format(time=as_of)
            + self._left_out()
        )
        self._validate()

    def _preview_failed(self, failure: Failure) -> None:
        self._failure = failure
        self.table.setRowCount(0)
        self._set_status(
            self.tr("Could not compute the new deadlines: {message}").format(
                message=failure.message
            ),
            error=True,
        )
        self._validate()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        set_tone(self.status, "alarm" if error else None)
        self.status.setText(text)

    def _validate(self) -> None:
        problems = []
        if self._failure is not None:
            problems.append(self.tr("the preview could not be computed"))
        elif self.severity.count() and not self.changing():
            problems.append(self.tr("every chosen ticket is at this severity already"))
        elif not self._complete():
            problems.append(self.tr("waiting for the preview"))
        if not self.reason_text():
            problems.append(self.tr("give a reason"))
        if self.needs_notice and not self.notified.isChecked():
            problems.append(self.tr("confirm the customer was notified"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        ok.setToolTip("; ".join(problems))
