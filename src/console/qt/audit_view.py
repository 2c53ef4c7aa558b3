"""History: who did what to which ticket, when; filtered, sorted and exported to CSV.

The dialog never reads the database. When its filters change it asks the dispatcher for
``Audit(filter)`` (after a short pause, so typing a key sends one query) and shows the answer,
or why there is none. A newer query supersedes an older one still on its way, which then
never answers, so whatever answers is the current filter's. Events are put into words by
:mod:`console.services.event_text`, as in the detail pane's timeline and the CSV export.

Days are chosen in the agent's zone and sent as UTC instants ``[since, until)``: from the
start of the first day up to the start of the day after the last, so a day across a DST
change is 23 or 25 hours long.

Like the queue, the table model keeps its rows in order itself (a list sort) instead of
sorting through a proxy, which would call back into Python for every comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Agent, AuditFilter, EventKind
from console.qt.dispatcher import Dispatcher, Failure, Pending
from console.qt.sorting import ListTableModel
from console.qt.theme import follow_palette, set_tone
from console.services import words
from console.services.audit import AUDIT_LIMIT, AuditRow, export_audit
from console.services.event_text import actor_text, details_text, is_automated, kind_label
from console.services.texts import HISTORY, instant_text
from console.services.views import Audit, AuditView

Index = QModelIndex | QPersistentModelIndex

COL_AT, COL_TICKET, COL_ACTOR, COL_KIND, COL_DETAILS = range(5)
HEADERS = (
    words.QT_TR_NOOP("When"),
    words.QT_TR_NOOP("Ticket"),
    words.QT_TR_NOOP("Who"),
    words.QT_TR_NOOP("What"),
    words.QT_TR_NOOP("Details"),
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the AuditRow
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a str or float that orders the column

DEBOUNCE_MS = 250
DEFAULT_DAYS = 7  # the dialog opens on the last week, today included


def zone_name(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant of a calendar day in a zone, in UTC.

    Where midnight does not exist (a DST change at 00:00) the day starts at the change: a
    nonexistent wall time with ``fold=0`` takes the offset before the change, which maps to
    that instant; an ambiguous midnight takes its first occurrence.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """``[since, until)`` in UTC covering the days ``first`` to ``last`` (inclusive)."""
    return start_of_day(first, zone), start_of_day(last + timedelta(days=1), zone)


def count_text(count: int) -> str:
    if count == 0:
        return words.tr("No events")
    return words.tr("%Ln event(s)", "", count)


def _ticket_sort_key(key: str) -> str:
    """``ZIT-9`` before ``ZIT-10``: the number zero-padded, as a plain string (comparable by
    views and proxies as well)."""
    prefix, dash, number = key.rpartition("-")
    if dash and number.isdigit():
        return f"{prefix.casefold()}-{int(number):012d}"
    return key.casefold()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class AuditTableModel(ListTableModel[AuditRow]):
    """Audit rows with COL_* columns: instants in ``zone``, events in words (people by display
    name from ``people``, login to display name); :data:`SORT_ROLE` gives each cell's sort
    value.

    ``sort()`` orders the rows itself; column -1 is the order they were given in (the service
    returns newest first).
    """

    columns = len(HEADERS)

    def __init__(
        self,
        zone: tzinfo = UTC,
        people: Mapping[str, str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._people = dict(people or {})

    # ------------------------------------------------------------------ Qt interface

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return words.tr(HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_AT:
            return self.tr("Times in {zone}").format(zone=zone_name(self._zone))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_ACTOR and is_automated(row.event):
                return self.colours.quiet
            return None
        if role == Qt.ItemDataRole.FontRole and column == COL_TICKET:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # ------------------------------------------------------------------ content

    def set_zone(self, zone: tzinfo) -> None:
        """Show instants in another zone (the order is the same)."""
        self._zone = zone
        self._column_changed(COL_AT)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_AT, COL_AT)

    def set_people(self, people: Mapping[str, str]) -> None:
        """Login → display name, for the Who column and assignees in the details."""
        self._people = dict(people)
        if self._sort_column in (COL_ACTOR, COL_DETAILS):
            self.sort(self._sort_column, self._sort_order)
        self._column_changed(COL_ACTOR)
        self._column_changed(COL_DETAILS)

    @property
    def zone(self) -> tzinfo:
        return self._zone

    @property
    def people(self) -> Mapping[str, str]:
        """Login to display name."""
        return self._people

    # ------------------------------------------------------------------ internals

    def _column_changed(self, column: int) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def _display(self, row: AuditRow, column: int) -> str:
        if column == COL_AT:
            return instant_text(row.event.at, self._zone)
        if column == COL_TICKET:
            return row.key
        if column == COL_ACTOR:
            return actor_text(row.event, self._people)
        if column == COL_KIND:
            return kind_label(row.event.kind)
        if column == COL_DETAILS:
            return details_text(row.event, self._people)
        return ""

    def sort_value(self, row: AuditRow, column: int) -> str | float:
        if column == COL_AT:
            return row.event.at.timestamp()
        if column == COL_TICKET:
            return _ticket_sort_key(row.key)
        return self._display(row, column).casefold()

    def _tooltip(self, row: AuditRow, column: int) -> str | None:
        event = row.event
        if column == COL_AT:
            in_zone = instant_text(event.at, self._zone, seconds=True)
            return f"{in_zone}\n{instant_text(event.at, UTC, seconds=True)}"
        if column == COL_ACTOR:
            if event.actor is None:
                return self.tr("Recorded by the console itself")
            return event.actor if self._people.get(event.actor) else None  # the login
        if column == COL_DETAILS:
            return details_text(event, self._people) or None  # all of it, when cut off
        return None


class AuditDialog(QDialog):
    """History, every event with its filters: a ticket key, an agent, a kind of event, and days
    in the agent's zone (or any date). It asks ``dispatcher`` for ``Audit(filter)`` at once,
    and after :data:`DEBOUNCE_MS` whenever the filters change, and shows the answer or the
    failure. Double-clicking a row emits :attr:`ticket_activated` with its key.
    """

    ticket_activated = Signal(str)

    def __init__(
        self,
        agents: Sequence[Agent],
        zone: tzinfo,
        dispatcher: Dispatcher,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime],
        limit: int = AUDIT_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("History"))
        self.resize(1000, 600)
        self.zone = zone
        self.limit = limit
        self._dispatcher = dispatcher
        self._now = now
        self._loading: Pending[AuditView] | None = None  # asked, not answered yet

        people = {agent.name: agent.display_name for agent in agents}
        self.model = AuditTableModel(zone, people, self)

        self.timer = QTimer(self)
        self.timer.setObjectName("auditQueryTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._send)

        self._build(agents)
        self._connect()
        self._send()

    # ------------------------------------------------------------------ layout

    def _build(self, agents: Sequence[Agent]) -> None:
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("auditKey")
        self.key_edit.setPlaceholderText(self.tr("Any ticket"))
        self.key_edit.setToolTip(self.tr("A ticket key, e.g. ZIT-1042 (Enter searches at once)"))
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.setFixedWidth(115)

        self.agent_combo = QComboBox(self)
        self.agent_combo.setObjectName("auditAgent")
        self.agent_combo.addItem(self.tr("Anyone"), None)
        for agent in sorted(agents, key=lambda a: a.display_name.casefold()):
            self.agent_combo.addItem(agent.display_name, agent.name)
            self.agent_combo.setItemData(
                self.agent_combo.count() - 1,
                f"{agent.name} · {agent.team}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.agent_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.agent_combo.setMinimumContentsLength(11)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("auditKind")
        self.kind_combo.addItem(self.tr("Any kind"), None)
        for kind in EventKind:
            label = kind_label(kind)
            self.kind_combo.addItem(label[:1].upper() + label[1:], kind.value)
        self.kind_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind_combo.setMinimumContentsLength(13)

        today = self._now().astimezone(self.zone).date()
        self.from_edit = self._date_edit("auditFrom", today - timedelta(days=DEFAULT_DAYS - 1))
        self.to_edit = self._date_edit("auditTo", today)
        self.any_date = QCheckBox(self.tr("Any date"), self)
        self.any_date.setObjectName("auditAnyDate")
        self.any_date.setToolTip(self.tr("Search the whole history (newest first)"))

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for text, widget in (
            (self.tr("&Ticket"), self.key_edit),
            (self.tr("&Who"), self.agent_combo),
            (self.tr("W&hat"), self.kind_combo),
            (self.tr("&From"), self.from_edit),
            (self.tr("t&o"), self.to_edit),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            if widget is self.agent_combo or widget is self.from_edit:
                filters.addSpacing(8)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addSpacing(6)
        filters.addWidget(self.any_date)
        filters.addStretch(1)

        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        follow_palette(self.table, self.model.restyle)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        widths = {
            COL_AT: metrics.horizontalAdvance("Wed 25 Nov 2026 02:30 CEST") + 24,
            COL_TICKET: metrics.horizontalAdvance("WWW-00000") + 24,
            COL_ACTOR: 150,
            COL_KIND: metrics.horizontalAdvance("escalation answered") + 24,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        header.setSortIndicator(COL_AT, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)

        self.count_label = QLabel(self.tr("Loading…"), self)
        self.count_label.setObjectName("auditCount")  # bold, in the style sheet
        self.limit_label = QLabel(
            self.tr(
                "Only the newest %Ln are shown: narrow the filters to see the rest.", "", self.limit
            ),
            self,
        )
        self.limit_label.setObjectName("auditLimitNote")
        set_tone(self.limit_label, "caution")
        self.limit_label.hide()
        self.zone_label = QLabel(self.tr("Times in {zone}").format(zone=zone_name(self.zone)), self)
        self.zone_label.setObjectName("auditZone")
        set_tone(self.zone_label, "quiet")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("auditStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long path or error never widens the dialog (the full text is in the tooltip).
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("auditRefresh")
        self.refresh_button.setToolTip(self.tr("Ask again with the same filters (F5)"))
        self.refresh_button.setShortcut("F5")
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setObjectName("auditExport")
        self.export_button.setToolTip(
            self.tr("Save the events shown, in this order, as CSV (UTC times)")
        )
        self.export_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("auditClose")
        for button in (self.refresh_button, self.export_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the key field searches, it does not close

        footer = QHBoxLayout()
        footer.setSpacing(12)
        footer.addWidget(self.count_label)
        footer.addWidget(self.limit_label)
        footer.addStretch(1)
        footer.addWidget(self.zone_label)

        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        layout.addLayout(buttons)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        #: A display format of Qt: d day, MMM month, yyyy year
        edit.setDisplayFormat(self.tr("d MMM yyyy"))
        edit.setToolTip(self.tr("A day in {zone}").format(zone=zone_name(self.zone)))
        return edit

    def _connect(self) -> None:
        self.key_edit.textChanged.connect(lambda _: self.schedule())
        self.key_edit.returnPressed.connect(self._send)
        self.agent_combo.currentIndexChanged.connect(lambda _: self.schedule())
        self.kind_combo.currentIndexChanged.connect(lambda _: self.schedule())
        self.from_edit.dateChanged.connect(self._from_changed)
        self.to_edit.dateChanged.connect(self._to_changed)
        self.any_date.toggled.connect(self._any_date_toggled)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.close_button.clicked.connect(self.reject)
        self.table.doubleClicked.connect(self._activated)

    # ------------------------------------------------------------------ filters

    def current_filter(self) -> AuditFilter:
        """The filter the widgets describe now."""
        key = self.key_edit.text().strip().upper() or None
        actor = self.agent_combo.currentData()
        kind = self.kind_combo.currentData()
        since = until = None
        if not self.any_date.isChecked():
            since, until = day_bounds(
                _pydate(self.from_edit.date()), _pydate(self.to_edit.date()), self.zone
            )
        return AuditFilter(
            key=key,
            actor=actor if isinstance(actor, str) else None,
            kinds=frozenset({EventKind(kind)}) if isinstance(kind, str) else None,
            since=since,
            until=until,
        )

    def set_days(self, first: date, last: date) -> None:
        """Choose the days shown (``last`` before ``first`` is moved to it)."""
        self.any_date.setChecked(False)
        self.from_edit.setDate(_qdate(first))
        self.to_edit.setDate(_qdate(max(first, last)))

    def schedule(self) -> None:
        """A filter changed: ask once the changes pause."""
        self.export_button.setEnabled(False)
        self.timer.start()

    def refresh(self) -> None:
        """Ask now, with the same filters."""
        self._send()

    @property
    def loading(self) -> bool:
        """A query is on its way (or about to leave): the rows shown may not match."""
        return self._loading is not None or self.timer.isActive()

    def _send(self) -> None:
        self.timer.stop()
        pending = self._dispatcher.ask(Audit(self.current_filter()))
        pending.finished.connect(self._answered)
        pending.failed.connect(self._failed)
        self._loading = pending
        self.count_label.setText(self.tr("Loading…"))
        set_tone(self.count_label, "quiet")
        self._update_export()

    def _from_changed(self, day: QDate) -> None:
        if self.to_edit.date() < day:
            self.to_edit.setDate(day)  # schedules too
        self.schedule()

    def _to_changed(self, day: QDate) -> None:
        if self.from_edit.date() > day:
            self.from_edit.setDate(day)
        self.schedule()

    def _any_date_toggled(self, checked: bool) -> None:
        self.from_edit.setEnabled(not checked)
        self.to_edit.setEnabled(not checked)
        self.schedule()

    # ------------------------------------------------------------------ answers

    def show_rows(self, rows: Sequence[AuditRow]) -> None:
        """Show ``rows`` (newest first) as the events of the current filters."""
        self.model.set_rows(rows)
        self.table.scrollToTop()
        count = len(rows)
        set_tone(self.count_label, None)
        self.count_label.setText(count_text(count))
        self.limit_label.setVisible(count >= self.limit)
        self._update_export()

    def show_failure(self, message: str) -> None:
        """No events to show, and why."""
        self.model.set_rows([])
        self.limit_label.hide()
        set_tone(self.count_label, "alarm")
        self.count_label.setText(
            self.tr("Could not load the history: {message}").format(message=message)
        )
        self._update_export()

    def _answered(self, view: AuditView) -> None:
        self._loading = None
        self.show_rows(view.rows)

    def _failed(self, failure: Failure) -> None:
        self._loading = None
        self.show_failure(failure.message)

    def _update_export(self) -> None:
        ready = not self.loading and bool(self.model.rows)
        self.export_button.setEnabled(ready)

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, AuditRow):
            self.ticket_activated.emit(row.key)

    # ------------------------------------------------------------------ export

    def suggested_file_name(self) -> str:
        audit_filter = self.current_filter()
        parts = [HISTORY.lower()]
        if audit_filter.key:
            parts.append(audit_filter.key)
        if audit_filter.since is not None and audit_filter.until is not None:
            first = _pydate(self.from_edit.date())
            last = _pydate(self.to_edit.date())
            parts.append(f"{first:%Y%m%d}" if first == last else f"{first:%Y%m%d}-{last:%Y%m%d}")
        return "_".join(parts) + ".csv"

    def export_csv(self) -> bool:
        """Ask for a file and write the events shown there as CSV; whether it was written."""
        rows = list(self.model.rows)
        suggested = str(Path.home() / self.suggested_file_name())
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the history"),
            suggested,
            self.tr("CSV files (*.csv);;All files (*)"),
        )
        if not path:
            return False
        try:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                count = export_audit(rows, stream, self.model.people)
        except OSError as error:
            reason = error.strerror or str(error)
            self._set_status(self.tr("Export failed: {reason}").format(reason=reason), error=True)
            QMessageBox.warning(
                self,
                self.tr("Export failed"),
                self.tr("The history could not be written to\n{path}\n\n{reason}").format(
                    path=path, reason=reason
                ),
            )
            return False
        exported = (
            self.tr("Exported %Ln event(s) to {file}", "", count)
            if count
            else self.tr("Exported no events to {file}")
        )
        self._set_status(exported.format(file=Path(path).name))
        self.status_label.setToolTip(exported.format(file=path))
        return True

    def _set_status(self, text: str, *, error: bool = False) -> None:
        set_tone(self.status_label, "alarm" if error else None)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
