"""The calendars dialog: each policy's calendars (hours, closed days, clock changes),
maintenance windows and readings, a due date calculator, and, for vendors whose calendars
take them, the company holiday periods a team lead edits.

The dialog never touches a database. Edits to the holiday periods are staged here; after
each one the dialog asks the main window (``count_moves``) how many open tickets' due
instants the staged periods would move, and the window answers later with
:meth:`CalendarsDialog.show_moves`. Saving hands the staged edit to the window (``save``),
which runs the services and then refreshes the dialog with :meth:`CalendarsDialog.set_periods`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, Qt, QTime, QTimeZone
from PySide6.QtGui import QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.calendar import WEEKDAYS, ClosedDay, clock_changes
from console.domain.errors import DomainError
from console.domain.model import HolidayPeriod, Metric
from console.domain.policy import CalendarDef, CompanyPeriod, MaintenanceWindow, Policy, Target

__all__ = [
    "COUNTING_TEXT",
    "EDIT_DENIED",
    "CalendarsDialog",
    "clock_changes",
    "closed_day_lines",
    "hours_text",
]

EDIT_DENIED = "Only team leads edit calendars"
COUNTING_TEXT = "counting…"
CLOCK_CHANGE_HORIZON = timedelta(days=365)
MAINTENANCE_HORIZON = timedelta(days=8)
LEFT_SHARE = (
    0.62  # of the dialog's width, for the calendars  # a weekly window always occurs within this
)

# Roles of the calendar tree's items.
_KIND_ROLE = Qt.ItemDataRole.UserRole
_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Columns of the calendar tree and of the holiday list.
CALENDAR_COLUMNS = ("Calendar", "Id", "Time zone", "Open", "Company\nholidays")
HOLIDAY_COLUMNS = ("First day", "Last day", "Days", "Reason", "")


# --------------------------------------------------------------------------- text helpers


def _day(value: date, *, year: bool = False) -> str:
    """``Fri 27 Nov`` (``Fri 27 Nov 2026`` with the year)."""
    text = f"{value:%a} {value.day} {value:%b}"
    return f"{text} {value.year}" if year else text


def _offset(value: timedelta | None) -> str:
    """``UTC-08:00``, ``UTC+05:30``, ``UTC+00:00``."""
    minutes = int((value or timedelta(0)).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _span(value: timedelta) -> str:
    """``1h``, ``30m``, ``1h30m`` for clock shifts."""
    minutes = abs(int(value.total_seconds())) // 60
    hours, minutes = divmod(minutes, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m")) if n) or "0m"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def hours_text(spec: Mapping[str, object]) -> str:
    """A calendar spec's weekly hours, compact: ``Mon-Fri 09:00-18:00``, ``Daily 24h``."""
    raw = spec.get("hours", {})
    hours: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    groups: list[tuple[list[str], tuple[str, ...]]] = []
    for day in WEEKDAYS:
        value = hours.get(day, [])
        intervals = tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()
        if groups and groups[-1][1] == intervals:
            groups[-1][0].append(day)
        else:
            groups.append(([day], intervals))
    parts = []
    for days, intervals in groups:
        if not intervals:
            continue
        if len(days) == 7:
            name = "Daily"
        elif len(days) == 1:
            name = days[0].capitalize()
        else:
            name = f"{days[0].capitalize()}-{days[-1].capitalize()}"
        shown = ["24h" if i.replace(" ", "") == "00:00-24:00" else i for i in intervals]
        parts.append(f"{name} {', '.join(shown)}")
    return "; ".join(parts) or "never open"


def closed_day_lines(days: Iterable[ClosedDay]) -> list[str]:
    """``Fri 27 Nov — Friday after Thanksgiving``, one line per day or per run of consecutive
    days closed for the same reason (first and last day joined by an en dash)."""
    runs: list[tuple[date, date, str]] = []
    open_runs: dict[str, int] = {}
    for closed in sorted(days, key=lambda c: (c.day, c.reason)):
        index = open_runs.get(closed.reason)
        if index is not None and runs[index][1] + timedelta(days=1) == closed.day:
            first, _, reason = runs[index]
            runs[index] = (first, closed.day, reason)
        elif index is None or runs[index][1] != closed.day:
            open_runs[closed.reason] = len(runs)
            runs.append((closed.day, closed.day, closed.reason))
    lines = []
    for first, last, reason in sorted(runs):
        when = _day(first) if first == last else f"{_day(first)} \u2013 {_day(last)}"
        lines.append(f"{when} — {reason}")
    return lines


def _clock_change_line(when: datetime, before: timedelta, after: timedelta, zone: tzinfo) -> str:
    """``Sun 14 Mar 2027 — UTC-07:00 (PDT): clocks go forward 1h at 02:00``."""
    local_after = when.astimezone(zone)
    local_before = (when - timedelta(seconds=1)).astimezone(zone) + timedelta(seconds=1)
    direction = "forward" if after > before else "back"
    name = local_after.tzname() or ""
    label = f"{_offset(after)} ({name})" if name and name[0] not in "+-" else _offset(after)
    return (
        f"{_day(local_after.date(), year=True)} — {label}: clocks go {direction} "
        f"{_span(after - before)} at {local_before:%H:%M}"
    )


def _due_text(due: datetime, zone: tzinfo) -> str:
    """``Due Mon 30 Nov 2026 09:30 PST (17:30 UTC)``."""
    local = due.astimezone(zone)
    text = f"Due {_day(local.date(), year=True)} {local:%H:%M} {local.tzname() or ''}".rstrip()
    if local.utcoffset() == timedelta(0) and (local.tzname() or "UTC") in ("UTC", "GMT", "Z"):
        return text
    utc = due.astimezone(UTC)
    moment = f"{utc:%H:%M}" if utc.date() == local.date() else f"{_day(utc.date())} {utc:%H:%M}"
    return f"{text} ({moment} UTC)"


def _company(periods: Iterable[HolidayPeriod]) -> list[CompanyPeriod]:
    return [CompanyPeriod(p.first, p.last, p.reason) for p in periods]


def _key(period: HolidayPeriod) -> tuple[date, date, str]:
    return (period.first, period.last, period.reason)


# --------------------------------------------------------------------------- small widgets


def _label(text: str = "", name: str = "", *, wrap: bool = False, select: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    if select:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _scaled(widget: QWidget, scale: float, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setBold(bold)
    if scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    widget.setFont(font)


def _heading(text: str, name: str = "") -> QLabel:
    label = _muted(_label(text.upper(), name))
    _scaled(label, 0.85, bold=True)
    font = label.font()
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    return label


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setForegroundRole(QPalette.ColorRole.Mid)
    return line


class _Section(QWidget):
    """A heading over a body, as in the detail pane."""

    def __init__(self, title: str, body: QWidget, name: str, *, first: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0 if first else 8, 0, 0)
        layout.setSpacing(5)
        if not first:
            layout.addWidget(_rule())
        self.heading = _heading(title, f"{name}Heading")
        layout.addWidget(self.heading)
        layout.addWidget(body, 1)


def _top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    found = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in found if item is not None]


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = (item.child(i) for i in range(item.childCount()))
    return [child for child in found if child is not None]


def _tree(columns: Sequence[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setColumnCount(len(columns))
    tree.setHeaderLabels(list(columns))
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setStretchLastSection(False)
    return tree


# --------------------------------------------------------------------------- staging


@dataclass
class _Staging:
    """One policy's unsaved holiday edits and the state of its move count."""

    added: list[HolidayPeriod] = field(default_factory=list)
    removed: list[HolidayPeriod] = field(default_factory=list)
    latest: int = 0  # the request number of the latest count asked for
    pending: list[int] = field(default_factory=list)  # requests not answered yet, oldest first
    count: int | None = None
    saving: bool = False

    @property
    def dirty(self) -> bool:
        return bool(self.added or self.removed)


# --------------------------------------------------------------------------- the dialog


class CalendarsDialog(QDialog):
    """Each policy's calendars, a due date calculator and (for leads) company holidays."""

    def __init__(
        self,
        policies: Mapping[str, Policy],
        periods: Sequence[HolidayPeriod],
        *,
        now: datetime,
        zone: tzinfo,
        can_edit: bool,
        count_moves: Callable[[str, list[CompanyPeriod]], None],
        save: Callable[[str, list[HolidayPeriod], list[HolidayPeriod]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not policies:
            raise ValueError("the calendars dialog needs at least one policy")
        self.setObjectName("calendarsDialog")
        self.setWindowTitle("Calendars and company holidays")
        self.resize(1000, 700)
        self._policies = dict(policies)
        self._periods: dict[str, list[HolidayPeriod]] = {}
        self._store_periods(periods)
        self._now = now
        self._zone = zone
        self._can_edit = can_edit
        self._count_moves = count_moves
        self._save = save
        self._staging: dict[str, _Staging] = {pid: _Staging() for pid in self._policies}
        self._requests = 0
        self._policy_id = next(iter(self._policies))

        # ---- header: the policy chooser
        self.policy_chooser = QComboBox()
        self.policy_chooser.setObjectName("policyChooser")
        for pid, policy in self._policies.items():
            self.policy_chooser.addItem(f"{policy.vendor} — {policy.name}", pid)
        self.policy_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.policy_subtitle = _muted(_label("", "policySubtitle", select=True))
        chooser_caption = _label("Policy")
        _scaled(chooser_caption, 1.0, bold=True)
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(chooser_caption)
        header.addWidget(self.policy_chooser)
        header.addWidget(self.policy_subtitle, 1)

        # ---- left: calendars and maintenance windows
        self.calendar_tree = _tree(CALENDAR_COLUMNS, "calendarTree")
        self.calendar_tree.setUniformRowHeights(False)
        head = self.calendar_tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(CALENDAR_COLUMNS)):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.calendar_hint = _muted(
            _label("Expand a calendar for its closed days and clock changes.", "calendarHint")
        )
        _scaled(self.calendar_hint, 0.9)
        calendars_body = QWidget()
        calendars_layout = QVBoxLayout(calendars_body)
        calendars_layout.setContentsMargins(0, 0, 0, 0)
        calendars_layout.setSpacing(4)
        calendars_layout.addWidget(self.calendar_tree, 1)
        calendars_layout.addWidget(self.calendar_hint)

        self.maintenance_box = QWidget()
        self.maintenance_box.setObjectName("maintenanceBox")
        self._maintenance_layout = QVBoxLayout(self.maintenance_box)
        self._maintenance_layout.setContentsMargins(0, 0, 0, 0)
        self._maintenance_layout.setSpacing(4)
        self._maintenance_labels: list[QLabel] = []

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(_Section("Calendars", calendars_body, "calendarsSection", first=True))
        self.maintenance_section = _Section(
            "Maintenance windows", self.maintenance_box, "maintenanceSection"
        )
        left_layout.addWidget(self.maintenance_section, 0)
        left_layout.setStretch(0, 1)

        # ---- right: calculator, company holidays, readings
        calculator = self._build_calculator()
        holidays = self._build_holidays()
        self.readings_box = QWidget()
        self.readings_box.setObjectName("readingsBox")
        self._readings_layout = QVBoxLayout(self.readings_box)
        self._readings_layout.setContentsMargins(0, 0, 4, 0)
        self._readings_layout.setSpacing(6)
        self._reading_labels: list[QLabel] = []
        self._readings_layout.addStretch(1)
        readings_scroll = QScrollArea()
        readings_scroll.setObjectName("readingsScroll")
        readings_scroll.setWidgetResizable(True)
        readings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        readings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        readings_scroll.setWidget(self.readings_box)
        self.readings_section = _Section("Policy readings", readings_scroll, "readingsSection")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(
            _Section("Due date calculator", calculator, "calcSection", first=True)
        )
        self.holiday_section = _Section("Company holiday periods", holidays, "holidaySection")
        right_layout.addWidget(self.holiday_section, 0)
        right_layout.addWidget(self.readings_section, 1)

        self._splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("calendarsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 8)
        splitter.setStretchFactor(1, 5)
        self._split_done = False

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("dialogButtons")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        self.policy_chooser.currentIndexChanged.connect(self._policy_changed)
        self._show_policy()

    # ------------------------------------------------------------ Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._split_done:
            # Once laid out: the calendars get the larger share, the right column the rest.
            self._split_done = True
            total = sum(self._splitter.sizes())
            left = round(total * LEFT_SHARE)
            self._splitter.setSizes([left, total - left])

    # ------------------------------------------------------------ building

    def _build_calculator(self) -> QWidget:
        box = QWidget()
        box.setObjectName("calculatorBox")
        self.calc_plan = QComboBox()
        self.calc_plan.setObjectName("calcPlan")
        self.calc_severity = QComboBox()
        self.calc_severity.setObjectName("calcSeverity")
        self.calc_metric = QComboBox()
        self.calc_metric.setObjectName("calcMetric")
        for combo in (self.calc_plan, self.calc_severity, self.calc_metric):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.calc_start = QDateTimeEdit()
        self.calc_start.setObjectName("calcStart")
        # The edit shows wall time in the agent's zone; UTC keeps Qt from applying any DST.
        self.calc_start.setTimeZone(QTimeZone.utc())
        self.calc_start.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.calc_start.setCalendarPopup(True)
        self.calc_start.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.calc_zone = _muted(_label("", "calcZone"))
        now_button = QToolButton()
        now_button.setObjectName("calcNow")
        now_button.setText("Now")
        now_button.setToolTip("Start at the time the dialog was opened")
        now_button.clicked.connect(lambda: self.set_start(self._now))
        start_row = QHBoxLayout()
        start_row.setSpacing(6)
        start_row.addWidget(self.calc_start, 1)
        start_row.addWidget(self.calc_zone)
        start_row.addWidget(now_button)

        self.calc_result = _label("", "calcResult", wrap=True, select=True)
        _scaled(self.calc_result, 1.1, bold=True)
        self.calc_note = _muted(_label("", "calcNote", wrap=True))
        _scaled(self.calc_note, 0.9)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_muted(_label("Plan")), self.calc_plan)
        form.addRow(_muted(_label("Severity")), self.calc_severity)
        form.addRow(_muted(_label("Metric")), self.calc_metric)
        form.addRow(_muted(_label("Start")), start_row)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(self.calc_result)
        layout.addWidget(self.calc_note)

        self.calc_plan.currentIndexChanged.connect(lambda _: self._recompute())
        self.calc_severity.currentIndexChanged.connect(lambda _: self._recompute())
        self.calc_metric.currentIndexChanged.connect(lambda _: self._recompute())
        self.calc_start.dateTimeChanged.connect(lambda _: self._recompute())
        self.set_start(self._now)
        return box

    def _build_holidays(self) -> QWidget:
        box = QWidget()
        box.setObjectName("holidayBox")
        self.holiday_list = _tree(HOLIDAY_COLUMNS, "holidayList")
        self.holiday_list.setRootIsDecorated(False)
        head = self.holiday_list.header()
        for column in (0, 1, 2, 4):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        rows = self.holiday_list.fontMetrics().height() + 4
        self.holiday_list.setFixedHeight(rows * 7)

        today = self._now.astimezone(self._zone).date()
        self.holiday_first = QDateEdit(QDate(today.year, today.month, today.day))
        self.holiday_first.setObjectName("holidayFirst")
        self.holiday_last = QDateEdit(QDate(today.year, today.month, today.day))
        self.holiday_last.setObjectName("holidayLast")
        for edit in (self.holiday_first, self.holiday_last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        self.holiday_reason = QLineEdit()
        self.holiday_reason.setObjectName("holidayReason")
        self.holiday_reason.setPlaceholderText("As announced, e.g. Winter break")
        self.holiday_add = QPushButton("Add")
        self.holiday_add.setObjectName("holidayAdd")
        self.holiday_remove = QPushButton("Remove")
        self.holiday_remove.setObjectName("holidayRemove")
        self.holiday_revert = QPushButton("Revert")
        self.holiday_revert.setObjectName("holidayRevert")
        self.holiday_revert.setToolTip("Discard the unsaved changes")
        self.holiday_save = QPushButton("Save")
        self.holiday_save.setObjectName("holidaySave")
        self.holiday_save.setDefault(False)
        self.holiday_save.setAutoDefault(False)
        for button in (self.holiday_add, self.holiday_remove, self.holiday_revert):
            button.setAutoDefault(False)
        self.moves_label = _label("", "movesLabel", wrap=True)
        self.holiday_status = _muted(_label("", "holidayStatus", wrap=True))
        _scaled(self.holiday_status, 0.9)
        self.holiday_status.hide()

        add_grid = QGridLayout()
        add_grid.setContentsMargins(0, 0, 0, 0)
        add_grid.setHorizontalSpacing(6)
        add_grid.setVerticalSpacing(6)
        add_grid.addWidget(_muted(_label("From")), 0, 0)
        dates = QHBoxLayout()
        dates.setSpacing(6)
        dates.addWidget(self.holiday_first, 1)
        dates.addWidget(_muted(_label("to")))
        dates.addWidget(self.holiday_last, 1)
        add_grid.addLayout(dates, 0, 1, 1, 2)
        add_grid.addWidget(_muted(_label("Reason")), 1, 0)
        add_grid.addWidget(self.holiday_reason, 1, 1)
        add_grid.addWidget(self.holiday_add, 1, 2)
        add_grid.setColumnStretch(1, 1)
        action_row = QHBoxLayout()
        action_row.setSpacing(6)
        action_row.addWidget(self.holiday_remove)
        action_row.addWidget(self.holiday_revert)
        action_row.addStretch(1)
        action_row.addWidget(self.holiday_save)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.holiday_list, 1)
        layout.addLayout(add_grid)
        layout.addLayout(action_row)
        layout.addWidget(self.moves_label)
        layout.addWidget(self.holiday_status)

        self.holiday_add.clicked.connect(self._add_period)
        self.holiday_remove.clicked.connect(self._remove_period)
        self.holiday_revert.clicked.connect(self._revert)
        self.holiday_save.clicked.connect(self._save_clicked)
        self.holiday_list.itemSelectionChanged.connect(self._update_buttons)
        self.holiday_reason.textChanged.connect(lambda _: self._update_buttons())
        self.holiday_first.dateChanged.connect(self._first_changed)
        self.holiday_last.dateChanged.connect(lambda _: self._update_buttons())

        if not self._can_edit:
            for widget in (
                self.holiday_first,
                self.holiday_last,
                self.holiday_reason,
                self.holiday_add,
                self.holiday_remove,
                self.holiday_revert,
                self.holiday_save,
            ):
                widget.setEnabled(False)
                widget.setToolTip(EDIT_DENIED)
            self._set_status(EDIT_DENIED)
        return box

    # ------------------------------------------------------------ public API

    @property
    def policy_id(self) -> str:
        """The policy shown."""
        return self._policy_id

    @property
    def last_request(self) -> int:
        """The number of the latest ``count_moves`` request (read it inside the callback to
        answer with ``show_moves(..., request=...)``)."""
        return self._requests

    def select_policy(self, policy_id: str) -> None:
        """Show ``policy_id`` (a key of the policies given)."""
        index = self.policy_chooser.findData(policy_id)
        if index < 0:
            raise KeyError(f"no policy {policy_id!r}")
        self.policy_chooser.setCurrentIndex(index)

    def staged_periods(self, policy_id: str | None = None) -> list[HolidayPeriod]:
        """The company holiday periods of a policy (the one shown) with the unsaved edits."""
        pid = policy_id or self._policy_id
        staging = self._staging[pid]
        kept = [p for p in self._periods.get(pid, []) if p not in staging.removed]
        return sorted([*kept, *staging.added], key=_key)

    def has_unsaved_changes(self) -> bool:
        return any(s.dirty for s in self._staging.values())

    def show_moves(self, policy_id: str, count: int, request: int | None = None) -> None:
        """The window's answer to ``count_moves``: how many open tickets' due instants the
        staged periods of ``policy_id`` would move. Answers come in the order asked; one for a
        request that has since been superseded (or for no request) is ignored. ``request``,
        when given, names the request answered (see :attr:`last_request`)."""
        staging = self._staging.get(policy_id)
        if staging is None or not staging.pending:
            return
        if request is None:
            answered = staging.pending.pop(0)
        elif request in staging.pending:
            answered = request
            staging.pending = [r for r in staging.pending if r > request]
        else:
            return
        if answered != staging.latest or not staging.dirty:
            return
        staging.count = count
        if policy_id == self._policy_id:
            self._show_moves_text()

    def set_periods(self, periods: Sequence[HolidayPeriod]) -> None:
        """The saved company holiday periods changed (after a save, or another lead's edit).
        Staged edits the new periods already contain are dropped; the others stay staged."""
        before = self._periods
        self._store_periods(periods)
        for pid, staging in self._staging.items():
            saved = self._periods.get(pid, [])
            if saved == before.get(pid, []) and not staging.saving:
                continue  # nothing changed for this policy: its count still holds
            saved_keys = {_key(p) for p in saved}
            staging.removed = [p for p in staging.removed if p in saved]
            staging.added = [p for p in staging.added if _key(p) not in saved_keys]
            staging.saving = False
            if staging.dirty:
                self._ask_moves(pid)
            else:
                staging.latest = self._next_request()  # answers on their way are stale
                staging.count = None
        self._set_status("" if self._can_edit else EDIT_DENIED)
        self._fill_calendars(self._policy)
        self._fill_holidays()
        self._recompute()

    def save_failed(self, policy_id: str, message: str) -> None:
        """The window could not save: keep the staged edits and say why."""
        staging = self._staging.get(policy_id)
        if staging is None:
            return
        staging.saving = False
        if policy_id == self._policy_id:
            self._update_buttons()
            self._set_status(f"Not saved: {message}")

    def start(self) -> datetime:
        """The calculator's start instant (the edit's wall time in the agent's zone)."""
        value = self.calc_start.dateTime()
        day, clock = value.date(), value.time()
        wall = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        # Through UTC and back: a wall time that does not exist moves to one that does.
        return wall.replace(tzinfo=self._zone).astimezone(UTC).astimezone(self._zone)

    def set_start(self, moment: datetime) -> None:
        """Set the calculator's start (shown in the agent's zone, to the minute)."""
        local = moment.astimezone(self._zone)
        self.calc_start.setDateTime(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute),
                QTimeZone.utc(),
            )
        )
        self._recompute()

    def due(self) -> datetime | None:
        """The calculator's due instant (None without a timed target)."""
        target = self._target()
        if target is None or not target.is_timed or target.calendar is None:
            return None
        assert target.duration is not None
        calendar = self._policy.calendar(target.calendar, _company(self.staged_periods()))
        return calendar.add(self.start(), target.duration)

    # ------------------------------------------------------------ policy

    @property
    def _policy(self) -> Policy:
        return self._policies[self._policy_id]

    def _store_periods(self, periods: Sequence[HolidayPeriod]) -> None:
        grouped: dict[str, list[HolidayPeriod]] = {}
        for period in periods:
            grouped.setdefault(period.policy_id, []).append(period)
        self._periods = {pid: sorted(found, key=_key) for pid, found in grouped.items()}

    def _policy_changed(self, index: int) -> None:
        pid = self.policy_chooser.itemData(index)
        if isinstance(pid, str) and pid in self._policies:
            self._policy_id = pid
            self._show_policy()

    def _show_policy(self) -> None:
        policy = self._policy
        parts = [policy.name, policy.source_file]
        if policy.effective:
            parts.append(f"effective {policy.effective}")
        self.policy_subtitle.setText(" · ".join(parts))
        self._fill_calendars(policy)
        self._fill_maintenance(policy)
        self._fill_readings(policy)
        self._fill_calculator_choices(policy)
        self.holiday_section.setVisible(policy.accepts_company_holidays)
        self._fill_holidays()
        self._recompute()

    # ------------------------------------------------------------ calendars

    def _fill_calendars(self, policy: Policy) -> None:
        tree = self.calendar_tree
        expanded = {str(i.data(0, _ID_ROLE)) for i in _top_items(tree) if i.isExpanded()}
        tree.clear()
        year = self._now.astimezone(self._zone).year
        saved = _company(self._periods.get(policy.id, []))
        for definition in policy.calendars.values():
            item = self._calendar_item(policy, definition, year, saved)
            tree.addTopLevelItem(item)
            for group in _children(item):
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
                for line in _children(group):
                    line.setFirstColumnSpanned(True)
            if definition.id in expanded:
                item.setExpanded(True)

    def _calendar_item(
        self, policy: Policy, definition: CalendarDef, year: int, saved: list[CompanyPeriod]
    ) -> QTreeWidgetItem:
        zone_name = str(definition.spec.get("timezone", definition.calendar.timezone))
        item = QTreeWidgetItem(
            [
                definition.label,
                definition.id,
                zone_name,
                hours_text(definition.spec),
                "close it" if definition.company_holidays else "—",
            ]
        )
        item.setData(0, _KIND_ROLE, "calendar")
        item.setData(0, _ID_ROLE, definition.id)
        tip = f"<p><b>{html.escape(definition.label)}</b> ({html.escape(definition.id)})</p>"
        if definition.source is not None:
            tip += (
                f"<p><i>{html.escape(definition.source.clause)}</i>: "
                f"“{html.escape(definition.source.quote)}”</p>"
            )
        item.setToolTip(0, tip)
        if definition.company_holidays:
            item.setToolTip(
                4, "The company holiday periods kept in the console close this calendar too"
            )
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)

        calendar = policy.calendar(definition.id, saved)
        days = calendar.closed_days(date(year, 1, 1), date(year, 12, 31))
        closed = closed_day_lines(days)
        count = len({c.day for c in days})
        group = QTreeWidgetItem(
            [f"Closed in {year}: {_plural(count, 'day', 'days')}" if closed else ""]
        )
        if not closed:
            group.setText(0, f"Closed in {year}: no days")
        group.setData(0, _KIND_ROLE, "closed")
        for line in closed:
            child = QTreeWidgetItem([line])
            child.setData(0, _KIND_ROLE, "closedDay")
            group.addChild(child)
        item.addChild(group)

        zone = definition.calendar.timezone
        changes = clock_changes(zone, self._now, self._now + CLOCK_CHANGE_HORIZON)
        dst = QTreeWidgetItem(
            [
                "Clock changes in the next 12 months"
                if changes
                else "Clock changes in the next 12 months: none"
            ]
        )
        dst.setData(0, _KIND_ROLE, "clockChanges")
        for when, before, after in changes:
            child = QTreeWidgetItem([_clock_change_line(when, before, after, zone)])
            child.setData(0, _KIND_ROLE, "clockChange")
            child.setToolTip(0, f"{when:%Y-%m-%d %H:%M:%S} UTC")
            dst.addChild(child)
        item.addChild(dst)
        for group_item in (group, dst):
            muted = QFont(group_item.font(0))
            muted.setItalic(True)
            group_item.setFont(0, muted)
        return item

    def calendar_item(self, calendar_id: str) -> QTreeWidgetItem | None:
        """The calendar tree's top-level item of ``calendar_id`` (for the policy shown)."""
        for item in _top_items(self.calendar_tree):
            if item.data(0, _ID_ROLE) == calendar_id:
                return item
        return None

    def detail_lines(self, calendar_id: str, kind: str) -> list[str]:
        """The lines under a calendar: ``"closed"`` days or ``"clockChanges"``."""
        item = self.calendar_item(calendar_id)
        if item is None:
            return []
        for group in _children(item):
            if group.data(0, _KIND_ROLE) == kind:
                return [line.text(0) for line in _children(group)]
        return []

    # ------------------------------------------------------------ maintenance, readings

    def _fill_maintenance(self, policy: Policy) -> None:
        windows = policy.maintenance_windows
        self.maintenance_section.setVisible(bool(windows))
        while len(self._maintenance_labels) < len(windows):
            label = _label("", f"maintenance_{len(self._maintenance_labels)}", wrap=True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._maintenance_labels.append(label)
            self._maintenance_layout.addWidget(label)
        for label, window in zip(self._maintenance_labels, windows, strict=False):
            label.setText(self._maintenance_text(window))
            label.setToolTip(
                f"<p><i>{html.escape(window.source.clause)}</i>: "
                f"“{html.escape(window.source.quote)}”</p>"
            )
            label.show()
        for label in self._maintenance_labels[len(windows) :]:
            label.hide()

    def _maintenance_text(self, window: MaintenanceWindow) -> str:
        where = f"{window.region} ({window.servers})" if window.servers else window.region
        now = self._now
        upcoming = [
            (a, b) for a, b in window.occurrences(now, now + MAINTENANCE_HORIZON) if b > now
        ]
        if upcoming:
            start, end = upcoming[0]
            mine = start.astimezone(self._zone)
            state = "in progress until" if start <= now else "next"
            if start <= now:
                when = f"{end:%H:%M} {end.tzname()}"
            else:
                when = f"{_day(start.date())} {start:%H:%M}-{end:%H:%M} {start.tzname()}"
            yours = f"{_day(mine.date())} {mine:%H:%M} {mine.tzname()}"
            next_text = f"{state} {when} ({yours} your time)"
        else:
            next_text = "no occurrence soon"
        return (
            f"<b>{html.escape(where)}</b>: {html.escape(window.describe())}"
            f"<br><span>— {html.escape(next_text)}</span>"
        )

    def _fill_readings(self, policy: Policy) -> None:
        readings = policy.readings
        self.readings_section.setVisible(bool(readings))
        while len(self._reading_labels) < len(readings):
            label = QLabel()
            label.setObjectName("reading")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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

    def reading_labels(self) -> list[QLabel]:
        """The labels of the shown policy's readings."""
        return self._reading_labels[: len(self._policy.readings)]

    def maintenance_labels(self) -> list[QLabel]:
        """The labels of the shown policy's maintenance windows."""
        return self._maintenance_labels[: len(self._policy.maintenance_windows)]

    # ------------------------------------------------------------ calculator

    def _fill_calculator_choices(self, policy: Policy) -> None:
        with (
            QSignalBlocker(self.calc_plan),
            QSignalBlocker(self.calc_severity),
            QSignalBlocker(self.calc_metric),
        ):
            self._fill_choices(policy)

    def _fill_choices(self, policy: Policy) -> None:
        previous_metric = self.calc_metric.currentData()
        self.calc_plan.clear()
        for plan in policy.plans.values():
            self.calc_plan.addItem(plan.name, plan.id)
        self.calc_severity.clear()
        for severity in policy.severities:
            self.calc_severity.addItem(severity.name, severity.level)
            self.calc_severity.setItemData(
                self.calc_severity.count() - 1, severity.description, Qt.ItemDataRole.ToolTipRole
            )
        self.calc_metric.clear()
        timed = {t.metric for t in policy.targets if t.is_timed}
        for metric in Metric:
            if metric is Metric.ESCALATION_RESPONSE:
                for urgent in (False, True):
                    if any(e.urgent == urgent for e in policy.escalations):
                        name = f"{metric.label} ({'urgent' if urgent else 'not urgent'})"
                        self.calc_metric.addItem(name, f"{metric.value}:{int(urgent)}")
            elif metric in timed:
                self.calc_metric.addItem(metric.label, f"{metric.value}:0")
        index = self.calc_metric.findData(previous_metric)
        self.calc_metric.setCurrentIndex(max(index, 0))

    def _target(self) -> Target | None:
        plan = self.calc_plan.currentData()
        level = self.calc_severity.currentData()
        choice = self.calc_metric.currentData()
        if not isinstance(plan, str) or not isinstance(level, int) or not isinstance(choice, str):
            return None
        value, _, urgent = choice.partition(":")
        return self._policy.target(plan, level, Metric(value), urgent=urgent == "1")

    def _recompute(self) -> None:
        start = self.start()
        self.calc_zone.setText(start.tzname() or "")
        self.calc_zone.setToolTip(str(getattr(self._zone, "key", self._zone)))
        target = self._target()
        note = ""
        if self.calc_metric.count() == 0:
            result = "no timed target"
            note = "This policy sets no timed target."
        elif target is None:
            result = "no timed target"
            note = "The plan sets no target for this severity and metric."
        elif not target.is_timed:
            result = target.describe()
        else:
            try:
                due = self.due()
            except (DomainError, ValueError) as error:
                result, note = "no due date", str(error)
            else:
                assert due is not None
                result = f"{_due_text(due, self._zone)} — {target.describe()}"
                assert target.calendar is not None
                definition = self._policy.calendars[target.calendar]
                note = f"Counted on {definition.label} ({definition.calendar.timezone})."
                if definition.company_holidays and self._staging[self._policy_id].dirty:
                    note += " Includes the unsaved company holiday changes."
        if target is not None and target.source is not None:
            tip = (
                f"<p><i>{html.escape(target.source.clause)}</i>: "
                f"“{html.escape(target.source.quote)}”</p>"
            )
        else:
            tip = ""
        self.calc_result.setText(result)
        self.calc_result.setToolTip(tip)
        self.calc_note.setText(note)
        self.calc_note.setVisible(bool(note))

    # ------------------------------------------------------------ company holidays

    def _fill_holidays(self) -> None:
        staging = self._staging[self._policy_id]
        tree = self.holiday_list
        selected = self._selected_period()
        tree.clear()
        rows = sorted(
            [*self._periods.get(self._policy_id, []), *staging.added],
            key=_key,
        )
        for period in rows:
            days = (period.last - period.first).days + 1
            state = ""
            if period in staging.added:
                state = "new"
            elif period in staging.removed:
                state = "removed"
            item = QTreeWidgetItem(
                [f"{d.day} {d:%b %Y}" for d in (period.first, period.last)]
                + [str(days), period.reason, state]
            )
            item.setData(0, _KIND_ROLE, period)
            item.setToolTip(0, _day(period.first, year=True))
            item.setToolTip(1, _day(period.last, year=True))
            item.setToolTip(3, period.reason)
            if state:
                font = QFont(item.font(0))
                font.setItalic(state == "new")
                font.setStrikeOut(state == "removed")
                for column in range(len(HOLIDAY_COLUMNS)):
                    item.setFont(column, font)
            tree.addTopLevelItem(item)
            if period == selected:
                item.setSelected(True)
        if not rows:
            empty = QTreeWidgetItem(["No company holiday periods"])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            tree.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        title = "Company holiday periods"
        if staging.dirty:
            title += " — unsaved changes"
        self.holiday_section.heading.setText(title.upper())
        self._show_moves_text()
        self._update_buttons()

    def _selected_period(self) -> HolidayPeriod | None:
        items = self.holiday_list.selectedItems()
        if not items:
            return None
        value = items[0].data(0, _KIND_ROLE)
        return value if isinstance(value, HolidayPeriod) else None

    def _first_changed(self, value: QDate) -> None:
        if self.holiday_last.date() < value:
            self.holiday_last.setDate(value)
        self._update_buttons()

    def _new_period(self) -> tuple[HolidayPeriod | None, str]:
        first, last = self.holiday_first.date(), self.holiday_last.date()
        reason = self.holiday_reason.text().strip()
        if last < first:
            return None, "The last day is before the first"
        if not reason:
            return None, "Give the reason, as announced"
        period = HolidayPeriod(
            None,
            self._policy_id,
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
            reason,
        )
        if any(_key(p) == _key(period) for p in self.staged_periods()):
            return None, "This period is already listed"
        return period, ""

    def _update_buttons(self) -> None:
        if not self._can_edit:
            return
        staging = self._staging[self._policy_id]
        period, problem = self._new_period()
        self.holiday_add.setEnabled(period is not None)
        self.holiday_add.setToolTip(problem or "Stage this period (saved with Save)")
        selected = self._selected_period()
        restoring = selected is not None and selected in staging.removed
        self.holiday_remove.setText("Restore" if restoring else "Remove")
        self.holiday_remove.setEnabled(selected is not None)
        self.holiday_remove.setToolTip(
            "Keep this period" if restoring else "Stage removing the selected period"
        )
        self.holiday_revert.setEnabled(staging.dirty and not staging.saving)
        self.holiday_save.setEnabled(staging.dirty and not staging.saving)
        self.holiday_save.setToolTip(
            "Save the changes and recompute the due instants"
            if staging.dirty
            else "No unsaved changes"
        )

    def _add_period(self) -> None:
        period, _ = self._new_period()
        if period is None or not self._can_edit:
            return
        self._staging[self._policy_id].added.append(period)
        self.holiday_reason.clear()
        self._staged()

    def _remove_period(self) -> None:
        period = self._selected_period()
        if period is None or not self._can_edit:
            return
        staging = self._staging[self._policy_id]
        if period in staging.added:
            staging.added.remove(period)
        elif period in staging.removed:
            staging.removed.remove(period)
        else:
            staging.removed.append(period)
        self._staged()

    def _revert(self) -> None:
        staging = self._staging[self._policy_id]
        staging.added.clear()
        staging.removed.clear()
        self._staged()

    def _staged(self) -> None:
        """After a staged change: ask for the move count, refresh the list and calculator."""
        self._set_status("")
        staging = self._staging[self._policy_id]
        if staging.dirty:
            self._ask_moves(self._policy_id)
        else:
            staging.latest = self._next_request()  # answers still on their way are stale
            staging.count = None
        self._fill_holidays()
        self._recompute()

    def _set_status(self, text: str) -> None:
        self.holiday_status.setText(text)
        self.holiday_status.setVisible(bool(text))

    def _next_request(self) -> int:
        self._requests += 1
        return self._requests

    def _ask_moves(self, policy_id: str) -> None:
        staging = self._staging[policy_id]
        request = self._next_request()
        staging.latest = request
        staging.pending.append(request)
        staging.count = None
        if policy_id == self._policy_id:
            self._show_moves_text()
        self._count_moves(policy_id, _company(self.staged_periods(policy_id)))

    def _show_moves_text(self) -> None:
        staging = self._staging[self._policy_id]
        if not staging.dirty:
            text = ""
        elif staging.count is None:
            text = COUNTING_TEXT
        else:
            tickets = _plural(staging.count, "open ticket's", "open tickets'")
            noun = "due instant" if staging.count == 1 else "due instants"
            text = f"Moves {tickets} {noun}"
        self.moves_label.setText(text)
        self.moves_label.setToolTip(
            "How many open tickets' due instants the unsaved periods would move" if text else ""
        )

    def _save_clicked(self) -> None:
        staging = self._staging[self._policy_id]
        if not self._can_edit or not staging.dirty or staging.saving:
            return
        staging.saving = True
        self._set_status("Saving…")
        self._update_buttons()
        try:
            self._save(self._policy_id, list(staging.added), list(staging.removed))
        except Exception:
            staging.saving = False
            self._set_status("")
            self._update_buttons()
            raise
