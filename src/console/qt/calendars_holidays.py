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
    QPushButton,
    QTreeWidgetItem,
    QWidget,
)

from console.domain.model import HolidayPeriod
from console.qt.calendars_widgets import (
    Section,
    hbox,
    muted,
    plain_label,
    scaled,
    tree,
    vbox,
)
from console.qt.dispatcher import Dispatcher, Failure
from console.services.calendar_texts import moves_text, plural
from console.services.commands import EditHolidayPeriods
from console.services.holiday_edits import HolidayEdits, PeriodState
from console.services.texts import day_text
from console.services.views import HolidayMoves, HolidayPeriods

EDIT_DENIED = "Only team leads edit calendars"
HOLIDAY_COLUMNS = ("First day", "Last day", "Days", "Reason", "")
TITLE = "Company holiday periods"
PERIOD_ROLE = Qt.ItemDataRole.UserRole  # the HolidayPeriod of a row


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _list_day(day: date) -> str:
    """``24 Dec 2026``: :func:`day_text` without the weekday, which the narrow list leaves
    to the tooltip."""
    return day_text(day, year=True).partition(" ")[2]


class HolidayEditor(Section):
    """The periods of the policy shown; a lead stages, reverts and saves edits."""

    stagedChanged = Signal()  # the staged periods of the policy shown changed  # noqa: N815
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
        super().__init__(TITLE, None, "holidaySection")
        self._edits = edits
        self._dispatcher = dispatcher
        self._policy_id = policy_id
        self._can_edit = can_edit
        self._counting = policy_id  # the policy of the latest count asked for
        self._saving: str | None = None  # the policy whose edit is being saved
        self.set_body(self._build(today))
        if not can_edit:
            self._deny()
        self._fill()

    # ------------------------------------------------------------------ building

    def _build(self, today: date) -> QWidget:
        box = QWidget()
        box.setObjectName("holidayBox")
        self.period_list = tree(HOLIDAY_COLUMNS, "holidayList")
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
            edit.setDisplayFormat("ddd d MMM yyyy")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("holidayReason")
        self.reason_edit.setPlaceholderText("As announced, e.g. Winter break")
        self.add_button = self._button("Add", "holidayAdd")
        self.remove_button = self._button("Remove", "holidayRemove")
        self.revert_button = self._button("Revert", "holidayRevert")
        self.revert_button.setToolTip("Discard the unsaved changes")
        self.save_button = self._button("Save", "holidaySave")
        self.moves_label = plain_label("", "movesLabel", wrap=True)
        self.status_label = muted(plain_label("", "holidayStatus", wrap=True))
        scaled(self.status_label, 0.9)
        self.status_label.hide()

        add_grid = QGridLayout()
        add_grid.setContentsMargins(0, 0, 0, 0)
        add_grid.setHorizontalSpacing(6)
        add_grid.setVerticalSpacing(6)
        add_grid.addWidget(muted(plain_label("From")), 0, 0)
        dates = hbox((self.first_edit, 1), muted(plain_label("to")), (self.last_edit, 1))
        add_grid.addLayout(dates, 0, 1, 1, 2)
        add_grid.addWidget(muted(plain_label("Reason")), 1, 0)
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

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def _deny(self) -> None:
        for widget in (
            self.first_edit,
            self.last_edit,
            self.reason_edit,
            self.add_button,
            self.remove_button,
            self.revert_button,
            self.save_button,
        ):
            widget.setEnabled(False)
            widget.setToolTip(EDIT_DENIED)
        self._set_status(EDIT_DENIED)

    # ------------------------------------------------------------------ public API

    def show_policy(self, policy_id: str) -> None:
        """List ``policy_id``'s periods and edits (its count asked again when not known)."""
        self._policy_id = policy_id
        edits = self._edits.edits(policy_id)
        if edits.dirty and edits.moves is None:
            self._ask_moves()
        self._fill()

    def reload(self) -> None:
        """Read the saved periods again."""
        pending = self._dispatcher.ask(HolidayPeriods())
        pending.finished.connect(self.set_periods)
        pending.failed.connect(self._load_failed)

    def set_periods(self, periods: Sequence[HolidayPeriod]) -> None:
        """The saved periods as they are now (read after a save or another lead's edit):
        staged edits they already hold are dropped, the others stay staged."""
        self._edits.set_saved(periods, saving=self._saving)
        self._saving = None
        edits = self._edits.edits(self._policy_id)
        if edits.dirty and edits.moves is None:
            self._ask_moves()
        self._fill()
        self.periodsChanged.emit(list(periods))

    # ------------------------------------------------------------------ the list

    def _fill(self) -> None:
        edits = self._edits.edits(self._policy_id)
        selected = self._selected_period()
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
            empty = QTreeWidgetItem(["No company holiday periods"])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.period_list.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.set_title(f"{TITLE} — unsaved changes" if edits.dirty else TITLE)
        self._show_moves()
        self._update_buttons()

    def _selected_period(self) -> HolidayPeriod | None:
        items = self.period_list.selectedItems()
        if not items:
            return None
        value = items[0].data(0, PERIOD_ROLE)
        return value if isinstance(value, HolidayPeriod) else None

    def _first_changed(self, value: QDate) -> None:
        if self.last_edit.date() < value:
            self.last_edit.setDate(value)
        self._update_buttons()

    def _new_period(self) -> tuple[HolidayPeriod | None, str]:
        return self._edits.new_period(
            self._policy_id,
            _pydate(self.first_edit.date()),
            _pydate(self.last_edit.date()),
            self.reason_edit.text(),
        )

    def _update_buttons(self) -> None:
        if not self._can_edit:
            return
        edits = self._edits.edits(self._policy_id)
        period, problem = self._new_period()
        self.add_button.setEnabled(period is not None)
        self.add_button.setToolTip(problem or "Stage this period (saved with Save)")
        selected = self._selected_period()
        restoring = selected is not None and selected in edits.removed
        self.remove_button.setText("Restore" if restoring else "Remove")
        self.remove_button.setEnabled(selected is not None)
        self.remove_button.setToolTip(
            "Keep this period" if restoring else "Stage removing the selected period"
        )
        idle = self._saving is None
        self.revert_button.setEnabled(edits.dirty and idle)
        self.save_button.setEnabled(edits.dirty and idle)
        self.save_button.setToolTip(
            "Save the changes and recompute the due instants"
            if edits.dirty
            else "No unsaved changes"
        )

    # ------------------------------------------------------------------ staging

    def _add_period(self) -> None:
        period, _ = self._new_period()
        if period is None or not self._can_edit:
            return
        self._edits.add(period)
        self.reason_edit.clear()
        self._staged()

    def _remove_period(self) -> None:
        period = self._selected_period()
        if period is None or not self._can_edit:
            return
        self._edits.toggle(period)
        self._staged()

    def _revert(self) -> None:
        self._edits.revert(self._policy_id)
        self._staged()

    def _staged(self) -> None:
        """After a staged change: count its moves, list it, tell the dialog."""
        self._set_status("")
        if self._edits.edits(self._policy_id).dirty:
            self._ask_moves()
        self._fill()
        self.stagedChanged.emit()

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    # ------------------------------------------------------------------ the dispatcher

    def _ask_moves(self) -> None:
        policy_id = self._policy_id
        self._edits.edits(policy_id).moves = None
        self._counting = policy_id
        pending = self._dispatcher.ask(HolidayMoves(policy_id, self._edits.company(policy_id)))
        pending.finished.connect(self._moves_counted)
        pending.failed.connect(self._moves_failed)

    def _moves_counted(self, count: int) -> None:
        # Only the latest count asked for answers (the dispatcher supersedes older ones).
        self._edits.edits(self._counting).moves = count
        if self._counting == self._policy_id:
            self._show_moves()

    def _moves_failed(self, failure: Failure) -> None:
        if self._counting == self._policy_id:
            self.moves_label.setText(f"Could not count the moved due instants: {failure.message}")

    def _show_moves(self) -> None:
        edits = self._edits.edits(self._policy_id)
        text = moves_text(edits.moves) if edits.dirty else ""
        self.moves_label.setText(text)
        self.moves_label.setToolTip(
            "How many open tickets' due instants the unsaved periods would move" if text else ""
        )

    def _save_clicked(self) -> None:
        edits = self._edits.edits(self._policy_id)
        if not self._can_edit or not edits.dirty or self._saving is not None:
            return
        self._saving = self._policy_id
        self._set_status("Saving…")
        self._update_buttons()
        command = EditHolidayPeriods(self._policy_id, tuple(edits.added), tuple(edits.removed))
        pending = self._dispatcher.send(command)
        pending.finished.connect(self._saved)
        pending.failed.connect(self._save_failed)

    def _saved(self, moved: int) -> None:
        self._set_status(f"Saved; {plural(moved, 'due instant', 'due instants')} moved")
        self.reload()

    def _save_failed(self, failure: Failure) -> None:
        self._saving = None
        self._update_buttons()
        self._set_status(f"Not saved: {failure.message}")

    def _load_failed(self, failure: Failure) -> None:
        self._saving = None
        self._update_buttons()
        self._set_status(f"Could not read the company holiday periods: {failure.message}")
