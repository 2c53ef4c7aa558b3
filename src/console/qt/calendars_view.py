"""The calendars dialog: each policy's calendars (hours, closed days, clock changes),
maintenance windows and readings, a due date calculator, and, for vendors whose calendars
take them, the presences whose public holidays close them and the company holiday periods,
both edited by a team lead.

The dialog reads and writes through the dispatcher only: it reads the saved holiday periods
and presences when it opens (showing the periods it was given meanwhile) and again after
each save, counts the due instants a staged edit would move, and saves an edit as one
``EditHolidayPeriods`` or ``SetPresences`` command (:mod:`console.qt.calendars_holidays`,
:mod:`console.qt.calendars_presences`). The texts are made in
:mod:`console.services.calendar_texts`, the calculator's answers in
:mod:`console.services.due_calculator`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTreeWidgetItem,
    QWidget,
)

from console.domain.model import HolidayPeriod, PolicyPresence, Presence
from console.domain.policy import Policy
from console.qt.calendars_calculator import DueCalculator
from console.qt.calendars_editor import EDIT_DENIED
from console.qt.calendars_holidays import HolidayEditor
from console.qt.calendars_presences import PresenceEditor
from console.qt.calendars_widgets import (
    Section,
    children,
    hbox,
    muted,
    plain_label,
    scaled,
    top_items,
    tree,
    vbox,
)
from console.qt.dispatcher import Dispatcher
from console.services import words
from console.services.calendar_texts import (
    CalendarRow,
    calendar_rows,
    maintenance_next_text,
    policy_subtitle,
    source_tip,
    weekly_text,
)
from console.services.holiday_edits import HolidayEdits
from console.services.presence_edits import PresenceEdits
from console.services.texts import NO_VALUE

__all__ = ["EDIT_DENIED", "CalendarsDialog"]

LEFT_SHARE = 0.62  # of the dialog's width, for the calendars

# Roles of the calendar tree's items.
_KIND_ROLE = Qt.ItemDataRole.UserRole
_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CALENDAR_COLUMNS = (
    words.QT_TR_NOOP("Calendar"),
    words.QT_TR_NOOP("Id"),
    words.QT_TR_NOOP("Time zone"),
    words.QT_TR_NOOP("Open"),
    words.QT_TR_NOOP("Company\nholidays"),
)


def _rich_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CalendarsDialog(QDialog):
    """Each policy's calendars, a due date calculator and (for leads) presences and company
    holidays. ``periods`` are the saved holiday periods known when it opens; ``now`` the
    instant its calculator starts at and its readings are of."""

    periodsChanged = Signal(object)  # the saved holiday periods, as just read  # noqa: N815
    presencesChanged = Signal(object)  # the saved presences, as just read  # noqa: N815

    def __init__(
        self,
        policies: Mapping[str, Policy],
        periods: Sequence[HolidayPeriod],
        *,
        now: datetime,
        zone: tzinfo,
        can_edit: bool,
        dispatcher: Dispatcher,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not policies:
            raise ValueError("the calendars dialog needs at least one policy")
        self.setObjectName("calendarsDialog")
        self.setWindowTitle(self.tr("Calendars and company holidays"))
        self.resize(1000, 700)
        self._policies = dict(policies)
        self._now = now
        self._zone = zone
        self._policy_id = next(iter(self._policies))
        self._edits = HolidayEdits(periods)
        self._presence_edits = PresenceEdits()

        # ---- header: the policy chooser
        self.policy_chooser = QComboBox()
        self.policy_chooser.setObjectName("policyChooser")
        for pid, policy in self._policies.items():
            self.policy_chooser.addItem(f"{policy.vendor} — {policy.name}", pid)
        self.policy_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.policy_subtitle = muted(plain_label("", "policySubtitle", select=True))
        chooser_caption = plain_label(self.tr("Policy"))
        scaled(chooser_caption, 1.0, bold=True)
        header = hbox(chooser_caption, self.policy_chooser, (self.policy_subtitle, 1), spacing=10)

        # ---- left: calendars and maintenance windows; right: calculator, holidays, readings
        self.calculator = DueCalculator(
            self._policy, self._edits, self._presence_edits, now=now, zone=zone
        )
        self.presences = PresenceEditor(
            self._presence_edits,
            dispatcher,
            self._policies,
            self._policy_id,
            can_edit=can_edit,
        )
        self.holidays = HolidayEditor(
            self._edits,
            dispatcher,
            self._policy_id,
            today=now.astimezone(zone).date(),
            can_edit=can_edit,
        )
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.setObjectName("calendarsSplitter")
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self._build_left())
        self._splitter.addWidget(self._build_right())
        self._splitter.setStretchFactor(0, 8)
        self._splitter.setStretchFactor(1, 5)
        self._split_done = False

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("dialogButtons")
        buttons.rejected.connect(self.reject)

        vbox(self, header, (self._splitter, 1), buttons, margins=(14, 12, 14, 10), spacing=10)

        self.policy_chooser.currentIndexChanged.connect(self._policy_changed)
        self.holidays.stagedChanged.connect(self.calculator.recompute)
        self.holidays.periodsChanged.connect(self._periods_read)
        self.presences.stagedChanged.connect(self.calculator.recompute)
        self.presences.presencesChanged.connect(self._presences_read)
        self._show_policy()
        self.holidays.reload()
        self.presences.reload()

    # ------------------------------------------------------------ building

    def _build_left(self) -> QWidget:
        self.calendar_tree = tree([words.tr(c) for c in CALENDAR_COLUMNS], "calendarTree")
        self.calendar_tree.setUniformRowHeights(False)
        head = self.calendar_tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(CALENDAR_COLUMNS)):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.calendar_hint = muted(
            plain_label(
                self.tr("Expand a calendar for its closed days and clock changes."), "calendarHint"
            )
        )
        scaled(self.calendar_hint, 0.9)
        calendars_body = QWidget()
        vbox(calendars_body, (self.calendar_tree, 1), self.calendar_hint, spacing=4)

        self.maintenance_box = QWidget()
        self.maintenance_box.setObjectName("maintenanceBox")
        self._maintenance_layout = vbox(self.maintenance_box, spacing=4)
        self._maintenance_labels: list[QLabel] = []
        self.maintenance_section = Section(
            self.tr("Maintenance windows"), self.maintenance_box, "maintenanceSection"
        )

        left = QWidget()
        calendars = Section(self.tr("Calendars"), calendars_body, "calendarsSection", first=True)
        vbox(
            left,
            (calendars, 1),
            self.presences,
            self.maintenance_section,
            margins=(0, 0, 8, 0),
        )
        return left

    def _build_right(self) -> QWidget:
        self.readings_box = QWidget()
        self.readings_box.setObjectName("readingsBox")
        self._readings_layout = vbox(self.readings_box, None, margins=(0, 0, 4, 0), spacing=6)
        self._reading_labels: list[QLabel] = []
        readings_scroll = QScrollArea()
        readings_scroll.setObjectName("readingsScroll")
        readings_scroll.setWidgetResizable(True)
        readings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        readings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        readings_scroll.setWidget(self.readings_box)
        self.readings_section = Section(
            self.tr("Policy readings"), readings_scroll, "readingsSection"
        )

        right = QWidget()
        calculator = Section(
            self.tr("Due date calculator"), self.calculator, "calcSection", first=True
        )
        vbox(right, calculator, self.holidays, (self.readings_section, 1), margins=(8, 0, 0, 0))
        return right

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._split_done:
            # Once laid out: the calendars get the larger share, the right column the rest.
            self._split_done = True
            total = sum(self._splitter.sizes())
            left = round(total * LEFT_SHARE)
            self._splitter.setSizes([left, total - left])

    # ------------------------------------------------------------ public API

    @property
    def policy_id(self) -> str:
        """The policy shown."""
        return self._policy_id

    def select_policy(self, policy_id: str) -> None:
        """Show ``policy_id`` (a key of the policies given)."""
        index = self.policy_chooser.findData(policy_id)
        if index < 0:
            raise KeyError(f"no policy {policy_id!r}")
        self.policy_chooser.setCurrentIndex(index)

    def staged_periods(self, policy_id: str | None = None) -> list[HolidayPeriod]:
        """The company holiday periods of a policy (the one shown) with the unsaved edits."""
        return self._edits.staged(policy_id or self._policy_id)

    def staged_presences(self, policy_id: str | None = None) -> tuple[Presence, ...]:
        """The presences of a policy (the one shown) with the unsaved edits; none: the policy
        file's holidays apply."""
        return self._presence_edits.staged(policy_id or self._policy_id)

    def has_unsaved_changes(self) -> bool:
        return self._edits.has_unsaved() or self._presence_edits.has_unsaved()

    def reload_presences(self) -> None:
        """Read the saved presences again (another lead may have changed them)."""
        self.presences.reload()

    def reload_periods(self) -> None:
        """Read the saved holiday periods again (another lead may have changed them)."""
        self.holidays.reload()

    def set_periods(self, periods: Sequence[HolidayPeriod]) -> None:
        """The saved company holiday periods as they are now. Staged edits the new periods
        already contain are dropped; the others stay staged."""
        self.holidays.set_periods(periods)

    def start(self) -> datetime:
        """The calculator's start instant (the edit's wall time in the agent's zone)."""
        return self.calculator.start()

    def set_start(self, moment: datetime) -> None:
        self.calculator.set_start(moment)

    def due(self) -> datetime | None:
        """The calculator's due instant (None without a timed target)."""
        return self.calculator.due()

    def calendar_item(self, calendar_id: str) -> QTreeWidgetItem | None:
        """The calendar tree's top-level item of ``calendar_id`` (for the policy shown)."""
        for item in top_items(self.calendar_tree):
            if item.data(0, _ID_ROLE) == calendar_id:
                return item
        return None

    def detail_lines(self, calendar_id: str, kind: str) -> list[str]:
        """The lines under a calendar: ``"closed"`` days or ``"clockChanges"``."""
        item = self.calendar_item(calendar_id)
        if item is None:
            return []
        for group in children(item):
            if group.data(0, _KIND_ROLE) == kind:
                return [line.text(0) for line in children(group)]
        return []

    def reading_labels(self) -> list[QLabel]:
        """The labels of the shown policy's readings."""
        return self._reading_labels[: len(self._policy.readings)]

    def maintenance_labels(self) -> list[QLabel]:
        """The labels of the shown policy's maintenance windows."""
        return self._maintenance_labels[: len(self._policy.maintenance_windows)]

    # ------------------------------------------------------------ policy

    @property
    def _policy(self) -> Policy:
        return self._policies[self._policy_id]

    def _policy_changed(self, index: int) -> None:
        pid = self.policy_chooser.itemData(index)
        if isinstance(pid, str) and pid in self._policies:
            self._policy_id = pid
            self._show_policy()

    def _show_policy(self) -> None:
        policy = self._policy
        self.policy_subtitle.setText(policy_subtitle(policy, self._zone, self._now))
        self._fill_calendars()
        self._fill_maintenance()
        self._fill_readings()
        self.holidays.setVisible(policy.accepts_company_holidays)
        self.holidays.show_policy(policy.id)
        self.presences.setVisible(policy.accepts_company_holidays)
        self.presences.show_policy(policy.id)
        self.calculator.set_policy(policy)

    def _periods_read(self, periods: list[HolidayPeriod]) -> None:
        self._fill_calendars()
        self.calculator.recompute()
        self.periodsChanged.emit(periods)

    def _presences_read(self, stored: list[PolicyPresence]) -> None:
        self._fill_calendars()
        self.calculator.recompute()
        self.presencesChanged.emit(stored)

    # ------------------------------------------------------------ calendars

    def _fill_calendars(self) -> None:
        policy = self._policy
        expanded = {
            str(i.data(0, _ID_ROLE)) for i in top_items(self.calendar_tree) if i.isExpanded()
        }
        self.calendar_tree.clear()
        year = self._now.astimezone(self._zone).year
        saved = self._edits.company(policy.id, staged=False)
        named = policy.with_presences(self._presence_edits.saved(policy.id))
        for row in calendar_rows(named, saved, self._now, year):
            item = self._calendar_item(row)
            self.calendar_tree.addTopLevelItem(item)
            for group in children(item):
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
                for line in children(group):
                    line.setFirstColumnSpanned(True)
            if row.id in expanded:
                item.setExpanded(True)

    def _calendar_item(self, row: CalendarRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem([row.label, row.id, row.zone, row.hours, row.company])
        item.setData(0, _KIND_ROLE, "calendar")
        item.setData(0, _ID_ROLE, row.id)
        item.setToolTip(0, row.tip)
        if row.company != NO_VALUE:
            item.setToolTip(
                4,
                self.tr(
                    "The company holiday periods kept in the console close this calendar too, and "
                    "it closes on the public holidays of the presences"
                ),
            )
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        closed = self._group(item, row.closed_title, "closed")
        for line in row.closed:
            self._line(closed, line, "closedDay")
        changes = self._group(item, row.changes_title, "clockChanges")
        for line, utc in row.changes:
            self._line(changes, line, "clockChange").setToolTip(0, utc)
        return item

    def _group(self, parent: QTreeWidgetItem, title: str, kind: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem([title])
        group.setData(0, _KIND_ROLE, kind)
        font = QFont(group.font(0))
        font.setItalic(True)
        group.setFont(0, font)
        parent.addChild(group)
        return group

    def _line(self, group: QTreeWidgetItem, text: str, kind: str) -> QTreeWidgetItem:
        line = QTreeWidgetItem([text])
        line.setData(0, _KIND_ROLE, kind)
        group.addChild(line)
        return line

    # ------------------------------------------------------------ maintenance, readings

    def _fill_maintenance(self) -> None:
        windows = self._policy.maintenance_windows
        self.maintenance_section.setVisible(bool(windows))
        while len(self._maintenance_labels) < len(windows):
            label = _rich_label(f"maintenance_{len(self._maintenance_labels)}")
            self._maintenance_labels.append(label)
            self._maintenance_layout.addWidget(label)
        for label, window in zip(self._maintenance_labels, windows, strict=False):
            where = f"{window.region} ({window.servers})" if window.servers else window.region
            next_text = maintenance_next_text(window, self._now, self._zone)
            label.setText(
                f"<b>{html.escape(where)}</b>: {html.escape(weekly_text(window))}"
                f"<br><span>— {html.escape(next_text)}</span>"
            )
            label.setToolTip(source_tip(window.source.clause, window.source.quote))
            label.show()
        for label in self._maintenance_labels[len(windows) :]:
            label.hide()

    def _fill_readings(self) -> None:
        readings = self._policy.readings
        self.readings_section.setVisible(bool(readings))
        while len(self._reading_labels) < len(readings):
            label = _rich_label("reading")
            self._reading_labels.append(label)
            self._readings_layout.insertWidget(self._readings_layout.count() - 1, label)
        for label, reading in zip(self._reading_labels, readings, strict=False):
            label.setText(f"<b>{html.escape(reading.topic)}</b>: {html.escape(reading.text)}")
            label.setToolTip(
                f"<p><b>{html.escape(reading.source.clause)}</b></p>"
                f"<p>“{html.escape(reading.source.quote)}”</p>"
            )
            label.show()
        for label in self._reading_labels[len(readings) :]:
            label.hide()
