"""The due date calculator of the calendars dialog: a plan, severity, metric and start
instant chosen, the due instant shown (computed by :mod:`console.services.due_calculator`,
with the policy's staged company holiday periods and presences)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from console.domain.policy import Policy
from console.qt.calendars_widgets import hbox, muted, plain_label, scaled, vbox
from console.services.due_calculator import DueQuestion, metric_choices
from console.services.holiday_edits import HolidayEdits
from console.services.presence_edits import PresenceEdits


class DueCalculator(QWidget):
    """When a clock of the policy shown, started at the instant chosen (wall time in
    ``zone``), would be due; ``now`` is the instant the "Now" button sets."""

    def __init__(
        self,
        policy: Policy,
        edits: HolidayEdits,
        presences: PresenceEdits,
        *,
        now: datetime,
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calculatorBox")
        self._policy = policy
        self._edits = edits
        self._presences = presences
        self._now = now
        self._zone = zone
        self.plan_choice = self._combo("calcPlan")
        self.severity_choice = self._combo("calcSeverity")
        self.metric_choice = self._combo("calcMetric")

        self.start_edit = QDateTimeEdit()
        self.start_edit.setObjectName("calcStart")
        # The edit shows wall time in the agent's zone; UTC keeps Qt from applying any DST.
        self.start_edit.setTimeZone(QTimeZone.utc())
        #: A display format of Qt: ddd weekday, d day, MMM month, yyyy year, HH hour, mm minute
        self.start_edit.setDisplayFormat(self.tr("ddd d MMM yyyy  HH:mm"))
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.zone_label = muted(plain_label("", "calcZone"))
        now_button = QToolButton()
        now_button.setObjectName("calcNow")
        now_button.setText(self.tr("Now"))
        now_button.setToolTip(self.tr("Start at the time the dialog was opened"))
        now_button.clicked.connect(self._start_now)
        start_row = hbox((self.start_edit, 1), self.zone_label, now_button)

        self.result_label = plain_label("", "calcResult", wrap=True, select=True)
        scaled(self.result_label, 1.1, bold=True)
        self.note_label = muted(plain_label("", "calcNote", wrap=True))
        scaled(self.note_label, 0.9)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(muted(plain_label(self.tr("Plan"))), self.plan_choice)
        form.addRow(muted(plain_label(self.tr("Severity"))), self.severity_choice)
        form.addRow(muted(plain_label(self.tr("Metric"))), self.metric_choice)
        form.addRow(muted(plain_label(self.tr("Start"))), start_row)

        layout = vbox(self, form, spacing=6)
        layout.addSpacing(4)
        layout.addWidget(self.result_label)
        layout.addWidget(self.note_label)

        for combo in (self.plan_choice, self.severity_choice, self.metric_choice):
            combo.currentIndexChanged.connect(self.recompute)
        self.start_edit.dateTimeChanged.connect(self.recompute)
        self.set_policy(policy)
        self.set_start(now)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return combo

    # ------------------------------------------------------------------ public API

    def set_policy(self, policy: Policy) -> None:
        """Offer ``policy``'s plans, severities and timed metrics (the metric chosen stays
        when the policy has it too)."""
        self._policy = policy
        with (
            QSignalBlocker(self.plan_choice),
            QSignalBlocker(self.severity_choice),
            QSignalBlocker(self.metric_choice),
        ):
            previous_metric = self.metric_choice.currentData()
            self.plan_choice.clear()
            for plan in policy.plans.values():
                self.plan_choice.addItem(plan.name, plan.id)
            self.severity_choice.clear()
            for severity in policy.severities:
                self.severity_choice.addItem(severity.name, severity.level)
                self.severity_choice.setItemData(
                    self.severity_choice.count() - 1,
                    severity.description,
                    Qt.ItemDataRole.ToolTipRole,
                )
            self.metric_choice.clear()
            for label, choice in metric_choices(policy):
                self.metric_choice.addItem(label, choice)
            index = self.metric_choice.findData(previous_metric)
            self.metric_choice.setCurrentIndex(max(index, 0))
        self.recompute()

    def start(self) -> datetime:
        """The start instant (the edit's wall time in the agent's zone)."""
        value = self.start_edit.dateTime()
        day, clock = value.date(), value.time()
        wall = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        # Through UTC and back: a wall time that does not exist moves to one that does.
        return wall.replace(tzinfo=self._zone).astimezone(UTC).astimezone(self._zone)

    def set_start(self, moment: datetime) -> None:
        """Set the start (shown in the agent's zone, to the minute)."""
        local = moment.astimezone(self._zone)
        self.start_edit.setDateTime(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute),
                QTimeZone.utc(),
            )
        )
        self.recompute()

    def question(self) -> DueQuestion | None:
        """What the choices ask (None while they are incomplete)."""
        plan = self.plan_choice.currentData()
        level = self.severity_choice.currentData()
        choice = self.metric_choice.currentData()
        if not isinstance(plan, str) or not isinstance(level, int):
            return None
        return DueQuestion(
            self._policy,
            plan,
            level,
            choice if isinstance(choice, str) else None,
            self.start(),
            self._edits.company(self._policy.id),
            self._presences.staged(self._policy.id),
        )

    def due(self) -> datetime | None:
        """The due instant (None without a timed target)."""
        question = self.question()
        return None if question is None else question.due()

    def recompute(self) -> None:
        """Show the answer for the choices and the policy's staged holiday periods and
        presences."""
        start = self.start()
        self.zone_label.setText(start.tzname() or "")
        self.zone_label.setToolTip(str(getattr(self._zone, "key", self._zone)))
        question = self.question()
        if question is None:
            return
        answer = question.answer(
            self._zone,
            unsaved=self._edits.edits(self._policy.id).dirty,
            unsaved_presences=self._presences.edits(self._policy.id).dirty,
        )
        self.result_label.setText(answer.result)
        self.result_label.setToolTip(answer.tip)
        self.note_label.setText(answer.note)
        self.note_label.setVisible(bool(answer.note))

    def _start_now(self) -> None:
        self.set_start(self._now)
