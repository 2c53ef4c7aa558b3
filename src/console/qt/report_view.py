"""The SLA compliance report: a table of met, breached and pending clocks per policy, plan,
severity and metric, a bar chart of the success rate per policy and metric, and CSV export.

The dialog asks the dispatcher for the :class:`Report` of the chosen days (after a short
pause, so stepping through dates sends one query); a newer question supersedes an older one
still on its way, so only the latest answer is ever shown. Days are chosen in the agent's
zone and sent as UTC instants ``[since, until)``, as in History. While open, the
report follows other consoles: the window calls :meth:`ReportDialog.refresh`, and the
figures shown stay until the new ones replace them. The columns, tones and summary figures
are in :mod:`console.services.report_table`; how to read them in
:mod:`console.services.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.qt import theme
from console.qt.audit_view import day_bounds, zone_name
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.report_chart import SuccessChart
from console.qt.sorting import ListTableModel
from console.qt.theme import follow_palette, set_tone
from console.services import words
from console.services.report import ReportLine
from console.services.report_table import (
    COLUMNS,
    Column,
    Figures,
    report_file_name,
    save_report_csv,
)
from console.services.texts import when_text
from console.services.views import Report, ReportView

Index = QModelIndex | QPersistentModelIndex

(
    COL_VENDOR,
    COL_PLAN,
    COL_SEVERITY,
    COL_METRIC,
    COL_MET,
    COL_BREACHED,
    COL_PENDING,
    COL_SUCCESS,
    COL_MEDIAN,
    COL_P90,
    COL_CREDITS,
) = range(len(COLUMNS))

LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the ReportLine
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a str or float that orders the column

DEBOUNCE_MS = 250
DEFAULT_DAYS = 30  # the dialog opens on the last 30 days, today included

LineKey = tuple[str, str, int, str]


def _line_key(line: ReportLine) -> LineKey:
    return (line.policy_id, line.plan, line.severity, line.metric.value)


def _alignment(column: Column) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


def _bold(column: Column) -> QFont | None:
    if not column.bold:
        return None
    font = QFont()
    font.setBold(True)
    return font


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


# --------------------------------------------------------------------------- the table


_CELLS: dict[int, Callable[[Column, ReportLine], Any]] = {
    Qt.ItemDataRole.DisplayRole: lambda column, line: column.text(line),
    SORT_ROLE: lambda column, line: column.sort(line),
    Qt.ItemDataRole.ToolTipRole: lambda column, line: column.tip(line),
    Qt.ItemDataRole.TextAlignmentRole: lambda column, line: _alignment(column),
    Qt.ItemDataRole.FontRole: lambda column, line: _bold(column),
    LINE_ROLE: lambda column, line: line,
}
"""What a cell gives for each role it answers."""


class ReportTableModel(ListTableModel[ReportLine]):
    """Report lines with the columns of :data:`COLUMNS`; :data:`SORT_ROLE` gives each cell's
    sort value. ``sort()`` orders the rows itself; column -1 is the order given (the
    service's)."""

    columns = len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        header: dict[int, Any] = {
            Qt.ItemDataRole.DisplayRole: words.tr(column.header),
            Qt.ItemDataRole.ToolTipRole: words.tr(column.header_tip) if column.header_tip else None,
            Qt.ItemDataRole.TextAlignmentRole: _alignment(column),
        }
        return header.get(role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column, line = COLUMNS[index.column()], self._rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            tone = column.tone(line)
            return None if tone is None else self.colours.tone(tone)
        cell = _CELLS.get(role)
        if cell is None:
            return None
        return cell(column, line)

    def set_lines(self, lines: Sequence[ReportLine]) -> None:
        """Replace every line, kept in the current sort order."""
        self.set_rows(lines)

    @property
    def lines(self) -> Sequence[ReportLine]:
        """The lines in the order shown."""
        return self.rows

    def sort_value(self, row: ReportLine, column: int) -> Any:
        return COLUMNS[column].sort(row)


# --------------------------------------------------------------------------- the dialog


class _ProgressRelay(QObject):
    """Carries the report's progress from the thread that reads to the window's thread."""

    advanced = Signal(int, int)

    def tell(self, done: int, total: int) -> None:
        """Called by the thread that reads; a window closed meanwhile hears nothing (its
        relay is gone, and the report goes on to its end unheard)."""
        with suppress(RuntimeError):  # the relay was deleted with its window
            self.advanced.emit(done, total)


class ReportDialog(QDialog):
    """The SLA compliance report for the tickets submitted on the chosen days (in ``zone``),
    read through ``dispatcher``; ``now`` gives the day it opens on and the "as of" time."""

    def __init__(
        self,
        zone: tzinfo,
        dispatcher: Dispatcher,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(self.tr("SLA compliance report"))
        self.resize(1280, 780)
        self.zone = zone
        self._dispatcher = dispatcher
        self._now = now
        self._shown: ReportView | None = None
        self._summary_failure: str | None = None  # why the report shown could not be made

        self.model = ReportTableModel(self)
        self.timer = QTimer(self)
        self.timer.setObjectName("reportQueryTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)

        self._build()
        self._connect()
        follow_palette(self, self._restyle)
        self.refresh()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        today = self._now().astimezone(self.zone).date()
        self.from_edit = self._date_edit("reportFrom", today - timedelta(days=DEFAULT_DAYS - 1))
        self.to_edit = self._date_edit("reportTo", today)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("reportRefresh")
        self.refresh_button.setToolTip(self.tr("Compute again for the same days (F5)"))
        self.refresh_button.setShortcut("F5")

        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(QLabel(self.tr("Tickets submitted"), self))
        for text, widget in ((self.tr("&from"), self.from_edit), (self.tr("&to"), self.to_edit)):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        zone_label = QLabel(f"({zone_name(self.zone)})", self)
        zone_label.setObjectName("reportZone")
        zone_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        filters.addWidget(zone_label)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)

        self.summary_label = QLabel(self.tr("Loading…"), self)
        self.summary_label.setObjectName("reportSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)  # 15 px: the style sheet

        self.chart = SuccessChart(self)
        self._chart_frame = QFrame(self)
        self._chart_frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(self._chart_frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.chart)

        self.table = self._build_table()
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("reportSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._chart_frame)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._splitter_moved = False  # once the user drags it, answers leave it where it is

        self.note_label = QLabel(
            self.tr(
                "Success = met ÷ (met + breached); pending clocks are left out. A breach under "
                "an earlier severity counts. Severity is the ticket's current one."
            ),
            self,
        )
        self.note_label.setObjectName("reportNote")
        self.note_label.setWordWrap(True)
        self.note_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        # While a report is computed: busy, then how many tickets of how many when some
        # are computed from their histories (the window stays usable meanwhile).
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("reportProgress")
        self.progress_bar.setAccessibleName(self.tr("Report progress"))
        # Wide enough for its text ("100000 of 100000 tickets") with room on either side.
        sample = self.tr("%v of %m tickets").replace("%v", "100000").replace("%m", "100000")
        self.progress_bar.setMinimumWidth(self.fontMetrics().horizontalAdvance(sample) + 40)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self._latest: object = None
        self._relay = _ProgressRelay(self)
        self._relay.advanced.connect(self._advanced)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("reportStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setObjectName("reportExport")
        self.export_button.setToolTip(self.tr("Save the lines shown, in this order, as CSV"))
        self.export_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("reportClose")
        for button in (self.refresh_button, self.export_button, self.close_button):
            button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_bar)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("reportTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        advance = table.fontMetrics().horizontalAdvance
        widths = {
            COL_VENDOR: advance("LivePerson") + 24,
            COL_PLAN: advance("Premium partner") + 24,
            COL_SEVERITY: 230,
            COL_METRIC: advance("Escalation response") + 24,
            COL_SUCCESS: advance("100.0 %") + 32,
            COL_MEDIAN: advance("Median response") + 20,
            COL_P90: advance("P90 response") + 20,
            COL_CREDITS: advance("Credit days") + 20,
        }
        for column in (COL_MET, COL_BREACHED, COL_PENDING):
            widths[column] = advance("Breached") + 20
        for column, width in widths.items():
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_SEVERITY, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        return table

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        #: A display format of Qt: d day, MMM month, yyyy year
        edit.setDisplayFormat(self.tr("d MMM yyyy"))
        edit.setToolTip(
            self.tr("A day in {zone} (both days included)").format(zone=zone_name(self.zone))
        )
        return edit

    def _connect(self) -> None:
        self.from_edit.dateChanged.connect(self._from_changed)
        self.to_edit.dateChanged.connect(self._to_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.close_button.clicked.connect(self.reject)
        self.splitter.splitterMoved.connect(self._user_moved_splitter)

    # ------------------------------------------------------------------ days

    def current_range(self) -> tuple[datetime, datetime]:
        """``[since, until)`` in UTC for the days chosen."""
        return day_bounds(_pydate(self.from_edit.date()), _pydate(self.to_edit.date()), self.zone)

    @property
    def report(self) -> ReportView | None:
        """The report shown (None before the first answer and after a failure)."""
        return self._shown

    def set_days(self, first: date, last: date) -> None:
        """Choose the days (``last`` before ``first`` is moved to it)."""
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        last = max(first, last)
        self.to_edit.setDate(QDate(last.year, last.month, last.day))

    def schedule(self) -> None:
        """The days changed: ask once the changes pause."""
        self.timer.start()
        self._update_export()

    def refresh(self) -> None:
        """Ask now for the days chosen. The figures shown stay until the answer replaces
        them when they are of the same days (the window calls this when other consoles
        change tickets); other days' figures give way to "Computing…" at once."""
        self.timer.stop()
        since, until = self.current_range()
        if not self._showing(since, until):
            self._summary_failure = None
            self.summary_label.setText(self._quiet(self.tr("Computing the clocks…")))
            self.chart.set_message(self.tr("Loading…"))
        self.progress_bar.setRange(0, 0)  # busy until the counts come
        self.progress_bar.setFormat(self.tr("Computing…"))
        self.progress_bar.show()
        pending = self._dispatcher.ask(Report(since, until, self._relay.tell))
        pending.finished.connect(self._show_report)
        pending.failed.connect(self._show_failure)
        self._latest = pending
        pending.finished.connect(lambda _answer, asked=pending: self._done(asked))
        pending.failed.connect(lambda _failure, asked=pending: self._done(asked))
        self._update_export()

    def _advanced(self, done: int, total: int) -> None:
        """Tickets computed from their histories so far (of ``total``)."""
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(self.tr("%v of %m tickets"))

    def _done(self, asked: object) -> None:
        if asked is self._latest:  # not an older answer while a newer one is on its way
            self.progress_bar.hide()

    def _showing(self, since: datetime, until: datetime) -> bool:
        shown = self._shown
        return shown is not None and (shown.since, shown.until) == (since, until)

    def _from_changed(self, day: QDate) -> None:
        if self.to_edit.date() < day:
            self.to_edit.setDate(day)
        self.schedule()

    def _to_changed(self, day: QDate) -> None:
        if self.from_edit.date() > day:
            self.from_edit.setDate(day)
        self.schedule()

    # ------------------------------------------------------------------ answers

    def _show_report(self, view: ReportView) -> None:
        same_days = self._showing(view.since, view.until)
        selected = self._selected_keys()
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_lines(view.lines)
        if same_days:  # a refresh: the reader keeps their place
            self._select(selected)
            self.table.verticalScrollBar().setValue(scrolled)
        else:
            self.table.scrollToTop()
        self.chart.set_lines(view.lines)
        self._fit_chart()
        self.summary_label.setText(self._summary(view.lines))
        self._shown = view
        self._update_export()

    def _show_failure(self, failure: Failure) -> None:
        self._shown = None
        self.model.set_lines([])
        self.chart.set_message(self.tr("No report"))
        self._summary_failure = failure.message
        self.summary_label.setText(self._failure_text(failure.message))
        self._update_export()

    def _selected_keys(self) -> set[LineKey]:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        return {_line_key(self.model.lines[index.row()]) for index in rows}

    def _select(self, keys: set[LineKey]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row, line in enumerate(self.model.lines):
            if _line_key(line) in keys:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        if not selection.isEmpty():
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _user_moved_splitter(self, _position: int, _index: int) -> None:
        self._splitter_moved = True

    def _fit_chart(self) -> None:
        """Give the chart the height its bars want (up to 55 % of the room), the table the rest,
        unless the user has placed the splitter."""
        total = sum(self.splitter.sizes())
        if self._splitter_moved or total <= 0:
            return
        frame = self._chart_frame
        margins = frame.contentsMargins().top() + frame.contentsMargins().bottom()
        wanted = self.chart.sizeHint().height() + margins + 2 * frame.frameWidth()
        chart = max(min(wanted, total * 55 // 100), frame.minimumSizeHint().height())
        self.splitter.setSizes([chart, max(total - chart, 0)])

    def _summary(self, lines: Sequence[ReportLine]) -> str:
        figures = Figures.of(lines)
        now = self._now()
        scheme = theme.colours(self.palette())
        as_of = when_text(now, self.zone, now, zone_name=True)
        when = self._quiet("· " + self.tr("clocks as of {time}").format(time=as_of))
        if not figures.clocks:
            return self.tr("No clock with a timed target on these days {when}").format(when=when)
        success = figures.success_text
        if figures.tone is not None:
            success = f"<b style='color: {scheme.tone(figures.tone).name()}'>{success}</b>"
        number = QLocale().toString
        breached = f"<b>{number(figures.breached)}</b>"
        if figures.breached:
            breached = f"<b style='color: {scheme.alarm.name()}'>{number(figures.breached)}</b>"
        parts = [
            self.tr("Success {rate}").format(rate=success),
            self.tr("{count} met").format(count=f"<b>{number(figures.met)}</b>"),
            self.tr("{count} breached").format(count=breached),
            self.tr("{count} pending").format(count=f"<b>{number(figures.pending)}</b>"),
        ]
        if figures.credit_days:
            count, _, rest = figures.credit_text.partition(" ")
            parts.append(f"<b>{count}</b> {rest}")
        return " &nbsp;·&nbsp; ".join(parts) + f" &nbsp;{when}"

    def _quiet(self, text: str) -> str:
        colour = theme.colours(self.palette()).quiet.name()
        return f"<span style='color: {colour}'>{_escape(text)}</span>"

    def _failure_text(self, message: str) -> str:
        colour = theme.colours(self.palette()).alarm.name()
        said = self.tr("Could not compute the report: {message}").format(message=_escape(message))
        return f"<span style='color: {colour}'>{said}</span>"

    def _restyle(self) -> None:
        """The theme changed: the table's colours, and the summary's (rich text, coloured
        when written)."""
        self.model.restyle()
        if self._shown is not None:
            self.summary_label.setText(self._summary(self._shown.lines))
        elif self._summary_failure is not None:
            self.summary_label.setText(self._failure_text(self._summary_failure))
        else:
            self.summary_label.setText(self._quiet("Computing the clocks…"))

    def _update_export(self) -> None:
        """Export writes the lines shown: only when they are of the days chosen."""
        ready = self._showing(*self.current_range()) and bool(self.model.lines)
        self.export_button.setEnabled(ready)

    # ------------------------------------------------------------------ export

    def suggested_file_name(self) -> str:
        return report_file_name(_pydate(self.from_edit.date()), _pydate(self.to_edit.date()))

    def export_csv(self) -> bool:
        """Ask for a file and write the lines shown there as CSV; whether it was written."""
        lines = list(self.model.lines)
        suggested = str(Path.home() / self.suggested_file_name())
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the SLA report"),
            suggested,
            self.tr("CSV files (*.csv);;All files (*)"),
        )
        if not path:
            return False
        try:
            count = save_report_csv(lines, Path(path))
        except OSError as error:
            reason = error.strerror or str(error)
            self._set_status(self.tr("Export failed: {reason}").format(reason=reason), error=True)
            QMessageBox.warning(
                self,
                self.tr("Export failed"),
                self.tr("The report could not be written to\n{path}\n\n{reason}").format(
                    path=path, reason=reason
                ),
            )
            return False
        self._set_status(
            self.tr("Exported %Ln line(s) to {file}", "", count).format(file=Path(path).name)
        )
        self.status_label.setToolTip(
            self.tr("Exported %Ln line(s) to {file}", "", count).format(file=path)
        )
        return True

    def _set_status(self, text: str, *, error: bool = False) -> None:
        set_tone(self.status_label, "alarm" if error else None)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
