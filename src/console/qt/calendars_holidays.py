"""The company holiday periods of the calendars dialog: the saved periods of the policy
shown and, for a team lead, edits staged over them with the number of open tickets' due
instants they would move, saved in one ``EditHolidayPeriods`` command.

Everything goes through the dispatcher: the periods are read with :class:`HolidayPeriods`
(again after each save), the moves counted with :class:`HolidayMoves` after each staged
change (a newer count supersedes an older one still on its way), and the edit sent as a
command. The staging itself is :class:`console.services.holiday_edits.HolidayEdits`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QTreeWidgetItem,
    QWidget,
)

from console.domain.model import HolidayPeriod
from console.qt.calendars_editor import EDIT_DENIED, StagedEditor
from console.qt.calendars_widgets import (
    hbox,
    muted,
    plain_label,
    scaled,
    tree,
    vbox,
)
from console.qt.dispatcher import Dispatcher
from console.services import words
from console.services.commands import EditHolidayPeriods
from console.services.holiday_edits import HolidayEdits, PeriodState
from console.services.texts import date_text, day_text
from console.services.views import HolidayMoves, HolidayPeriods

HOLIDAY_COLUMNS = (
    words.QT_TR_NOOP("First day"),
    words.QT_TR_NOOP("Last day"),
    words.QT_TR_NOOP("Days"),
    words.QT_TR_NOOP("Reason"),
    "",
)
TITLE = words.QT_TR_NOOP("Company holiday periods")
PERIOD_ROLE = Qt.ItemDataRole.UserRole  # the HolidayPeriod of a row


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _list_day(day: date) -> str:
    """``24 Dec 2026``: the date without the weekday, which the narrow list leaves to the
    tooltip."""
    return date_text(day, year=True)


class HolidayEditor(StagedEditor):
    """The periods of the policy shown; a lead stages, reverts and saves edits."""

    noun = words.QT_TR_NOOP("periods")
    noun_one = words.QT_TR_NOOP("period")
    save_what = words.QT_TR_NOOP("changes")
    read_what = words.QT_TR_NOOP("the company holiday periods")
    periodsChanged = Signal(object)  # the saved periods, all policies, as just read  # noqa: N815

    def __init__(
        self,
        edits: HolidayEdits,
        dispatcher: Dispatcher,
        policy_id: str,
        *,
        today: date,
        can_edit: bool,
    ) -> None:
        super().__init__(
            words.tr(TITLE), "holidaySection", edits, dispatcher, policy_id, can_edit=can_edit
        )
        self._edits: HolidayEdits = edits
        self.set_body(self._build(today))
        if not can_edit:
            self._deny_edits()
        self._fill()

    # ------------------------------------------------------------------ building

    def _build(self, today: date) -> QWidget:
        box = QWidget()
        box.setObjectName("holidayBox")
        self.period_list = tree([words.tr(c) for c in HOLIDAY_COLUMNS], "holidayList")
        self.period_list.setRootIsDecorated(False)
        head = self.period_list.header()
        for column in (0, 1, 2, 4):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.period_list.setFixedHeight((self.period_list.fontMetrics().height() + 4) * 7)

        self.first_edit = QDateEdit(_qdate(today))
        self.first_edit.setObjectName("holidayFirst")
        self.last_edit = QDateEdit(_qdate(today))
        self.last_edit.setObjectName("holidayLast")
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            #: A display format of Qt: ddd weekday, d day, MMM month, yyyy year
            edit.setDisplayFormat(self.tr("ddd d MMM yyyy"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("holidayReason")
        self.reason_edit.setPlaceholderText(self.tr("As announced, e.g. Winter break"))
        self.add_button = self._button(self.tr("Add"), "holidayAdd")
        self.remove_button = self._button(self.tr("Remove"), "holidayRemove")
        self.revert_button = self._button(self.tr("Revert"), "holidayRevert")
        self.revert_button.setToolTip(self.tr("Discard the unsaved changes"))
        self.save_button = self._button(self.tr("Save"), "holidaySave")
        self.moves_label = plain_label("", "movesLabel", wrap=True)
        self.status_label = muted(plain_label("", "holidayStatus", wrap=True))
        scaled(self.status_label, 0.9)
        self.status_label.hide()

        add_grid = QGridLayout()
        add_grid.setContentsMargins(0, 0, 0, 0)
        add_grid.setHorizontalSpacing(6)
        add_grid.setVerticalSpacing(6)
        add_grid.addWidget(muted(plain_label(self.tr("From"))), 0, 0)
        dates = hbox((self.first_edit, 1), muted(plain_label(self.tr("to"))), (self.last_edit, 1))
        add_grid.addLayout(dates, 0, 1, 1, 2)
        add_grid.addWidget(muted(plain_label(self.tr("Reason"))), 1, 0)
        add_grid.addWidget(self.reason_edit, 1, 1)
        add_grid.addWidget(self.add_button, 1, 2)
        add_grid.setColumnStretch(1, 1)
        actions = hbox(self.remove_button, self.revert_button, None, self.save_button)
        vbox(
            box,
            (self.period_list, 1),
            add_grid,
            actions,
            self.moves_label,
            self.status_label,
            spacing=6,
        )

        self.add_button.clicked.connect(self._add_period)
        self.remove_button.clicked.connect(self._remove_period)
        self.revert_button.clicked.connect(self._revert)
        self.save_button.clicked.connect(self._save_clicked)
        self.period_list.itemSelectionChanged.connect(self._update_buttons)
        self.reason_edit.textChanged.connect(self._update_buttons)
        self.first_edit.dateChanged.connect(self._first_changed)
        self.last_edit.dateChanged.connect(self._update_buttons)
        return box

    def _deny_edits(self) -> None:
        editing = (self.first_edit, self.last_edit, self.reason_edit)
        self._deny((*editing, self.add_button, self.remove_button))
        self._deny((self.revert_button, self.save_button))
        self._set_status(words.tr(EDIT_DENIED))

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Read the saved periods again."""
        pending = self._dispatcher.ask(HolidayPeriods())
        pending.finished.connect(self.set_periods)
        pending.failed.connect(self._load_failed)

    def set_periods(self, periods: Sequence[HolidayPeriod]) -> None:
        """The saved periods as they are now (read after a save or another lead's edit):
        staged edits they already hold are dropped, the others stay staged."""
        self._edits.set_saved(periods, saving=self._saving)
        self._took_saved()
        self.periodsChanged.emit(list(periods))

    # ------------------------------------------------------------------ the list

    def _fill(self) -> None:
        edits = self._edits.edits(self._policy_id)
        selected = self._selected_item()
        self.period_list.clear()
        rows = self._edits.rows(self._policy_id)
        for period, state in rows:
            item = QTreeWidgetItem(
                [
                    _list_day(period.first),
                    _list_day(period.last),
                    str((period.last - period.first).days + 1),
                    period.reason,
                    state.value,
                ]
            )
            item.setData(0, PERIOD_ROLE, period)
            item.setToolTip(0, day_text(period.first, year=True))
            item.setToolTip(1, day_text(period.last, year=True))
            item.setToolTip(3, period.reason)
            if state is not PeriodState.SAVED:
                font = QFont(item.font(0))
                font.setItalic(state is PeriodState.NEW)
                font.setStrikeOut(state is PeriodState.REMOVED)
                for column in range(len(HOLIDAY_COLUMNS)):
                    item.setFont(column, font)
            self.period_list.addTopLevelItem(item)
            if period == selected:
                item.setSelected(True)
        if not rows:
            empty = QTreeWidgetItem([self.tr("No company holiday periods")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.period_list.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.set_title(
            self.tr("{title} — unsaved changes").format(title=words.tr(TITLE))
            if edits.dirty
            else words.tr(TITLE)
        )
        self._show_moves()
        self._update_buttons()

    def _selected_item(self) -> HolidayPeriod | None:
        items = self.period_list.selectedItems()
        if not items:
            return None
        value = items[0].data(0, PERIOD_ROLE)
        return value if isinstance(value, HolidayPeriod) else None

    def _first_changed(self, value: QDate) -> None:
        if self.last_edit.date() < value:
            self.last_edit.setDate(value)
        self._update_buttons()

    def _new_item(self) -> tuple[HolidayPeriod | None, str]:
        return self._edits.new_period(
            self._policy_id,
            _pydate(self.first_edit.date()),
            _pydate(self.last_edit.date()),
            self.reason_edit.text(),
        )

    # ------------------------------------------------------------------ staging

    def _add_period(self) -> None:
        period, _ = self._new_item()
        if period is None or not self._can_edit:
            return
        self._edits.add(period)
        self.reason_edit.clear()
        self._staged()

    def _remove_period(self) -> None:
        period = self._selected_item()
        if period is None or not self._can_edit:
            return
        self._edits.toggle(period)
        self._staged()

    def _moves_query(self, policy_id: str) -> HolidayMoves:
        return HolidayMoves(policy_id, self._edits.company(policy_id))

    def _save_clicked(self) -> None:
        edits = self._edits.edits(self._policy_id)
        if not self._can_edit or not edits.dirty or self._saving is not None:
            return
        added, removed = tuple(edits.added), tuple(edits.removed)
        self._start_saving(EditHolidayPeriods(self._policy_id, added, removed))
