"""The detail pane: one ticket's header, SLA clocks, customer, maintenance windows, policy
readings and history. Clocks are recomputed on :meth:`DetailPane.tick`, which only updates
the texts and bars that changed (it runs every second)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import EventKind, Metric, Status, TicketEvent
from console.domain.policy import MaintenanceWindow, Policy
from console.domain.sla import Breach, ClockState, SlaClock
from console.services.queue import TicketDetail
from console.services.texts import format_span

__all__ = ["EMPTY_TEXT", "WARNING_FRACTION", "DetailPane", "describe_event"]

EMPTY_TEXT = "Select a ticket to see its clocks and history"
WARNING_FRACTION = 0.75
MAINTENANCE_HORIZON = timedelta(days=7)
_RECURRING = {Metric.PERIODIC_UPDATE: "update", Metric.ESCALATION_RESPONSE: "escalation"}


# --------------------------------------------------------------------------- text helpers


def _day_time(moment: datetime, zone: tzinfo) -> str:
    """``Fri 20 Nov 14:32``."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _with_zone(moment: datetime, zone: tzinfo) -> str:
    """``Mon 23 Nov 09:30 CET``."""
    local = moment.astimezone(zone)
    return f"{_day_time(local, zone)} {local.tzname()}"


def _near(moment: datetime, zone: tzinfo, now: datetime, *, tz_name: bool = False) -> str:
    """``Mon 09:00`` within a week of ``now``, else ``Mon 30 Nov 09:00``."""
    local = moment.astimezone(zone)
    if abs((local.date() - now.astimezone(zone).date()).days) > 6:
        text = _day_time(local, zone)
    else:
        text = f"{local:%a %H:%M}"
    return f"{text} {local.tzname()}" if tz_name else text


def _severity_name(policy: Policy, level: int) -> str:
    try:
        return policy.severity(level).name
    except KeyError:
        return f"S{level}"


def _plan_name(policy: Policy, plan: str) -> str:
    found = policy.plans.get(plan)
    return found.name if found is not None else plan


def _status_label(value: object) -> str:
    try:
        return Status(str(value)).label
    except ValueError:
        return str(value)


def describe_event(
    event: TicketEvent, policy: Policy, names: Mapping[str, str] | None = None
) -> str:
    """What an event did, in words: ``severity changed from S1 to S3: <reason>``."""
    data, names = event.data, names or {}
    kind = event.kind
    if kind is EventKind.CREATED:
        return f"created ({_severity_name(policy, int(data.get('severity', 0)))})"
    if kind is EventKind.RESPONDED:
        return "automated response" if data.get("automated") else "responded"
    if kind is EventKind.UPDATE_SENT:
        return "update sent"
    if kind is EventKind.STATUS_CHANGED:
        return f"status changed to {_status_label(data.get('status'))}"
    if kind is EventKind.SEVERITY_CHANGED:
        text = f"severity changed from S{data.get('from')} to S{data.get('to')}"
        reason = str(data.get("reason") or "")
        return f"{text}: {reason}" if reason else text
    if kind is EventKind.ASSIGNED:
        assignee = data.get("assignee")
        return f"assigned to {names.get(assignee, assignee)}" if assignee else "unassigned"
    if kind is EventKind.ESCALATED:
        return "escalated (urgent)" if data.get("urgent") else "escalated"
    if kind is EventKind.ESCALATION_ANSWERED:
        return "escalation answered"
    if kind is EventKind.RCA_DELIVERED:
        return "RCA delivered"
    if kind is EventKind.WAIVED:
        waiver_id = str(data.get("waiver", ""))
        try:
            name = policy.waiver(waiver_id).name
        except KeyError:
            name = waiver_id
        reason = str(data.get("reason") or "")
        return f"waived ({name}): {reason}" if reason else f"waived ({name})"
    if kind is EventKind.NOTE:
        return f"note: {data.get('text', '')}"
    return str(kind).replace("_", " ")


def _state_text(clock: SlaClock, zone: tzinfo, now: datetime) -> str:
    state = clock.state
    if state is ClockState.RUNNING:
        return "running"
    if state is ClockState.WAITING:
        if clock.resumes_at is None or clock.calendar is None:
            return "waiting: closed"
        until = _near(clock.resumes_at, clock.calendar.timezone, now, tz_name=True)
        return f"waiting: closed until {until}"
    if state is ClockState.PAUSED:
        return f"paused: {clock.paused_by.label}" if clock.paused_by else "paused"
    if state is ClockState.MET:
        return f"met at {_near(clock.stopped_at, zone, now)}" if clock.stopped_at else "met"
    if state is ClockState.BREACHED:
        remaining = clock.remaining
        text = f"breached by {format_span(remaining)}" if remaining is not None else "breached"
        days = clock.service_credit_days
        if days > 0:
            text += f" · {days} service-credit day{'s' if days != 1 else ''}"
        return text
    if state is ClockState.WAIVED:
        reason = clock.waiver_reason or (clock.waiver.name if clock.waiver else "")
        return f"waived: {reason}" if reason else "waived"
    if state is ClockState.BEST_EFFORT:
        return "best effort"
    return "no timed target"


def _earlier_breaches(clock: SlaClock) -> Sequence[Breach]:
    """Breaches before the current one: earlier cycles or severities (the last is current
    while the clock is breached)."""
    return clock.breaches[:-1] if clock.state is ClockState.BREACHED else clock.breaches


def _history_text(clock: SlaClock, zone: tzinfo) -> str:
    noun = _RECURRING.get(clock.metric)
    lines = []
    for breach in _earlier_breaches(clock):
        line = (
            f"breached earlier: {_day_time(breach.at, zone)} under S{breach.severity}"
            f" by {format_span(breach.overrun, seconds=False)}"
        )
        if noun and breach.cycle != clock.cycle:
            line += f" ({noun} #{breach.cycle})"
        lines.append(line)
    return "\n".join(lines)


def _level(clock: SlaClock) -> str:
    """``breached``, ``warning``, ``ok`` or ``idle`` (no timed target): the colour to show."""
    if clock.state is ClockState.BREACHED:
        return "breached"
    fraction = clock.fraction_used
    if fraction is None:
        return "idle"
    if clock.state is not ClockState.MET and fraction >= WARNING_FRACTION:
        return "warning"
    return "ok"


# --------------------------------------------------------------------------- colours


@dataclass(frozen=True, slots=True)
class _Colours:
    """State colours readable on the current palette (lighter shades on a dark one)."""

    breached: QColor
    warning: QColor
    ok: QColor

    @classmethod
    def of(cls, palette: QPalette) -> _Colours:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        if dark:
            return cls(QColor("#ef6b6b"), QColor("#f0b44c"), QColor("#5fc77a"))
        return cls(QColor("#c62828"), QColor("#a86400"), QColor("#2e7d32"))

    def get(self, level: str) -> QColor | None:
        return {"breached": self.breached, "warning": self.warning, "ok": self.ok}.get(level)


def _paint(widget: QWidget, colours: Mapping[QPalette.ColorRole, QColor]) -> None:
    """Give ``widget`` these colours; every other role (all, when empty) is inherited."""
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, colour)
    widget.setPalette(palette)


def _muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        elif font.pixelSize() > 0:
            font.setPixelSize(round(font.pixelSize() * scale))
    label.setFont(font)
    return label


def _small(label: QLabel) -> QLabel:
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def _label(text: str = "", name: str = "", *, wrap: bool = False, select: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    if select:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setForegroundRole(QPalette.ColorRole.Mid)
    return line


def _heading(text: str) -> QLabel:
    label = _bold(_muted(_label(text.upper())), 0.85)
    font = label.font()
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    label.setFont(font)
    return label


# --------------------------------------------------------------------------- one clock


class _ClockRow(QFrame):
    """The widgets of one metric's clock, updated in place."""

    def __init__(self, metric: Metric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock_metric = metric
        self.level = "idle"
        self.setObjectName(f"clock_{metric.value}")
        key = metric.value
        self.name = _bold(_label(metric.label, f"clockName_{key}"))
        self.cycle = _muted(_label("", f"clockCycle_{key}"))
        self.target = _muted(_label("", f"clockTarget_{key}"))
        self.left = _bold(_label("", f"clockLeft_{key}"))
        self.left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress = QProgressBar()
        self.progress.setObjectName(f"clockProgress_{key}")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p %")
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress.setMaximumHeight(max(14, self.fontMetrics().height() + 4))
        self.progress.setProperty("level", "idle")
        self.state = _label("", f"clockState_{key}", wrap=True, select=True)
        self.due = _muted(_label("", f"clockDue_{key}"))
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.history = _small(_muted(_label("", f"clockHistory_{key}", wrap=True, select=True)))
        self.history.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name)
        top.addWidget(self.cycle)
        top.addWidget(self.target, 1)
        top.addWidget(self.left)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.progress, 1, 0, 1, 2)
        grid.addWidget(self.state, 2, 0)
        grid.addWidget(self.due, 2, 1)
        grid.addWidget(self.history, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def update_clock(self, clock: SlaClock, now: datetime, zone: tzinfo, colours: _Colours) -> None:
        """Show ``clock`` at ``now``; only changed values are set."""
        noun = _RECURRING.get(clock.metric)
        show_cycle = clock.metric is Metric.PERIODIC_UPDATE or (
            noun is not None and clock.cycle > 1
        )
        cycle = f"{noun} #{clock.cycle}" if noun and show_cycle else ""
        _set_text(self.cycle, cycle)
        if self.cycle.isHidden() == bool(cycle):
            self.cycle.setHidden(not cycle)
        target = clock.target
        _set_text(self.target, target.describe() if target is not None else "no target")
        fraction = clock.fraction_used
        percent = 0 if fraction is None else max(0, min(100, round(fraction * 100)))
        if self.progress.value() != percent:
            self.progress.setValue(percent)
        if self.progress.isHidden() != (fraction is None):
            self.progress.setHidden(fraction is None)
        if fraction is not None and target is not None and target.duration is not None:
            tip = (
                f"{round(fraction * 100)} % of the target used: "
                f"{format_span(clock.used, seconds=False)} of "
                f"{format_span(target.duration, seconds=False)} business time"
            )
        else:
            tip = ""
        if self.progress.toolTip() != tip:
            self.progress.setToolTip(tip)
        _set_text(self.state, _state_text(clock, zone, now))
        _set_text(self.due, self._due_text(clock, zone))
        _set_text(self.left, self._left_text(clock, now))
        history = _history_text(clock, zone)
        _set_text(self.history, history)
        if self.history.isHidden() == bool(history):
            self.history.setHidden(not history)
        level = _level(clock)
        if level != self.level:
            self.level = level
            self.progress.setProperty("level", level)
            self.apply_colours(colours)

    def apply_colours(self, colours: _Colours) -> None:
        colour = colours.get(self.level)
        role = QPalette.ColorRole
        if colour is None:
            _paint(self.progress, {})
        else:
            text = QColor("#ffffff") if colour.lightness() < 140 else QColor("#1a1a1a")
            _paint(self.progress, {role.Highlight: colour, role.HighlightedText: text})
        _paint(self.left, {role.WindowText: colour} if colour and self.level != "ok" else {})
        breached = self.level == "breached"
        _paint(self.state, {role.WindowText: colours.breached} if breached else {})

    @staticmethod
    def _due_text(clock: SlaClock, zone: tzinfo) -> str:
        if clock.due is None or clock.state in (ClockState.MET, ClockState.WAIVED):
            return ""
        prefix = "was due" if clock.state is ClockState.BREACHED else "due"
        return f"{prefix} {_with_zone(clock.due, zone)}"

    @staticmethod
    def _left_text(clock: SlaClock, now: datetime) -> str:
        remaining = clock.remaining
        if clock.state is ClockState.BREACHED:
            if clock.stopped_at is None and clock.due is not None:
                return f"+{format_span(now - clock.due)} overdue"
            return ""
        if remaining is not None and clock.state in (
            ClockState.RUNNING,
            ClockState.WAITING,
            ClockState.PAUSED,
        ):
            return f"{format_span(remaining)} left"
        return ""


# --------------------------------------------------------------------------- the pane


class DetailPane(QWidget):
    """One ticket's detail; :meth:`tick` keeps its clocks current."""

    _ready = False  # set once the widgets exist (Qt may send events before)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self._detail: TicketDetail | None = None
        self._now = datetime.now(UTC)
        self._zone: tzinfo = UTC
        self._names: dict[str, str] = {}
        self._colours = _Colours.of(self.palette())
        self._rows: dict[Metric, _ClockRow] = {}
        self._maintenance_valid: tuple[datetime, datetime] | None = None

        self._stack = QStackedLayout(self)
        self._empty = _muted(_label(EMPTY_TEXT, "detailEmpty", wrap=True))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        self._stack.addWidget(self._empty)

        self._scroll = QScrollArea()
        self._scroll.setObjectName("detailScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("detailContent")
        self._scroll.setWidget(content)
        self._stack.addWidget(self._scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)

        # header
        self._title = _bold(_label("", "detailTitle", wrap=True, select=True), 1.3)
        self._subtitle = _muted(_label("", "detailSubtitle", wrap=True, select=True))
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)

        # clocks
        self._clock_box = QWidget()
        self._clock_box.setObjectName("clockTable")
        self._clock_layout = QVBoxLayout(self._clock_box)
        self._clock_layout.setContentsMargins(0, 0, 0, 0)
        self._clock_layout.setSpacing(2)
        self._no_clocks = _muted(_label("No SLA clock has started.", "clockNone"))
        self._clock_layout.addWidget(self._no_clocks)
        for metric in Metric:
            row = _ClockRow(metric)
            row.hide()
            self._rows[metric] = row
            self._clock_layout.addWidget(row)
        self._add_section(layout, "SLA clocks", self._clock_box)

        # customer
        self._customer_box = QWidget()
        self._customer_box.setObjectName("customerBox")
        form = QFormLayout(self._customer_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._customer_name = _label("", "customerName", wrap=True, select=True)
        self._customer_region = _label("", "customerRegion", select=True)
        self._customer_plan = _label("", "customerPlan", wrap=True, select=True)
        self._customer_contact = _label("", "customerContact", wrap=True, select=True)
        self._customer_contact.setCursor(Qt.CursorShape.IBeamCursor)
        for caption, value in (
            ("Name", self._customer_name),
            ("Region", self._customer_region),
            ("Plan", self._customer_plan),
            ("24/7 escalation", self._customer_contact),
        ):
            form.addRow(_muted(_label(caption)), value)
        self._add_section(layout, "Customer", self._customer_box)

        # maintenance windows
        self._maintenance_box = QWidget()
        self._maintenance_box.setObjectName("maintenanceBox")
        self._maintenance_layout = QVBoxLayout(self._maintenance_box)
        self._maintenance_layout.setContentsMargins(0, 0, 0, 0)
        self._maintenance_layout.setSpacing(3)
        self._maintenance_section = self._add_section(
            layout, "Maintenance windows (next 7 days)", self._maintenance_box
        )
        self._maintenance_labels: list[QLabel] = []

        # policy readings, collapsible
        self._readings_box = QWidget()
        self._readings_box.setObjectName("readingsBox")
        readings = QVBoxLayout(self._readings_box)
        readings.setContentsMargins(0, 0, 0, 0)
        readings.setSpacing(4)
        self._readings_toggle = QToolButton()
        self._readings_toggle.setObjectName("readingsToggle")
        self._readings_toggle.setCheckable(True)
        self._readings_toggle.setAutoRaise(True)
        self._readings_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._readings_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self._readings_toggle.toggled.connect(self._toggle_readings)
        self._readings_list = QWidget()
        self._readings_list.setObjectName("readingsList")
        self._readings_layout = QVBoxLayout(self._readings_list)
        self._readings_layout.setContentsMargins(18, 0, 0, 0)
        self._readings_layout.setSpacing(5)
        self._readings_list.hide()
        self._reading_labels: list[QLabel] = []
        readings.addWidget(self._readings_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        readings.addWidget(self._readings_list)
        self._readings_section = self._add_section(layout, "Policy readings", self._readings_box)

        # timeline
        self._timeline = _Timeline()
        self._timeline.setObjectName("timeline")
        self._add_section(layout, "Timeline (newest first)", self._timeline)
        layout.addStretch(1)

        self._stack.setCurrentWidget(self._empty)
        self._ready = True

    # ------------------------------------------------------------ public API

    @property
    def detail(self) -> TicketDetail | None:
        return self._detail

    def show_detail(self, detail: TicketDetail | None, now: datetime, zone: tzinfo) -> None:
        """Show ``detail`` at ``now`` in the agent's ``zone`` (None: the empty state)."""
        previous = self._detail
        self._detail, self._now, self._zone = detail, now, zone
        if detail is None:
            self._stack.setCurrentWidget(self._empty)
            return
        self._fill_header(detail)
        self._fill_customer(detail)
        self._fill_readings(detail.row.policy)
        self._fill_timeline(detail)
        self._maintenance_valid = None
        self._refresh(now)
        self._stack.setCurrentWidget(self._scroll)
        if previous is None or previous.row.key != detail.row.key:
            self._scroll.verticalScrollBar().setValue(0)

    def tick(self, now: datetime) -> None:
        """Recompute the clocks for ``now`` and update the values that changed."""
        self._now = now
        if self._detail is not None:
            self._refresh(now)

    def set_zone(self, zone: tzinfo) -> None:
        """Show times in the agent's ``zone``."""
        self._zone = zone
        if self._detail is not None:
            self._fill_timeline(self._detail)
            self._maintenance_valid = None
            self._refresh(self._now)

    def set_agent_names(self, names: Mapping[str, str]) -> None:
        """Display names by login, for the assignee and the timeline's actors."""
        self._names = dict(names)
        if self._detail is not None:
            self._fill_header(self._detail)
            self._fill_timeline(self._detail)

    def progress_bar(self, metric: Metric) -> QProgressBar:
        """The progress bar of ``metric``'s clock (hidden when the ticket has no such clock)."""
        return self._rows[metric].progress

    # ------------------------------------------------------------ Qt overrides

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if self._ready and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._colours = colours = _Colours.of(self.palette())
            for row in self._rows.values():
                row.apply_colours(colours)
            self._maintenance_valid = None
            if self._detail is not None:
                self._refresh_maintenance(self._detail.row.policy, self._now)

    # ------------------------------------------------------------ filling

    def _add_section(self, layout: QVBoxLayout, title: str, body: QWidget) -> QWidget:
        section = QWidget()
        inner = QVBoxLayout(section)
        inner.setContentsMargins(0, 10, 0, 0)
        inner.setSpacing(5)
        inner.addWidget(_rule())
        inner.addWidget(_heading(title))
        inner.addWidget(body)
        layout.addWidget(section)
        return section

    def _name(self, login: str | None) -> str:
        return self._names.get(login, login) if login else ""

    def _fill_header(self, detail: TicketDetail) -> None:
        ticket, customer, policy = detail.row.ticket, detail.row.customer, detail.row.policy
        _set_text(self._title, f"{ticket.key}  {ticket.title}")
        parts = (
            customer.name,
            policy.vendor,
            _plan_name(policy, customer.plan),
            _severity_name(policy, ticket.severity),
            ticket.status.label,
            self._name(ticket.assignee) or "Unassigned",
        )
        _set_text(self._subtitle, " · ".join(parts))

    def _fill_customer(self, detail: TicketDetail) -> None:
        customer, policy = detail.row.customer, detail.row.policy
        _set_text(self._customer_name, customer.name)
        _set_text(self._customer_region, customer.region or "—")
        _set_text(self._customer_plan, f"{_plan_name(policy, customer.plan)} ({policy.vendor})")
        _set_text(self._customer_contact, customer.escalation_contact or "—")

    def _fill_readings(self, policy: Policy) -> None:
        count = len(policy.readings)
        self._readings_toggle.setText(f"{count} reading{'s' if count != 1 else ''} of the policy")
        self._readings_section.setVisible(count > 0)
        while len(self._reading_labels) < count:
            label = QLabel()
            label.setObjectName("reading")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._reading_labels.append(label)
            self._readings_layout.addWidget(label)
        for label, reading in zip(self._reading_labels, policy.readings, strict=False):
            label.setText(f"<b>{html.escape(reading.topic)}</b>: {html.escape(reading.text)}")
            label.setToolTip(
                f"<p><b>{html.escape(reading.source.clause)}</b></p>"
                f"<p>“{html.escape(reading.source.quote)}”</p>"
            )
            label.show()
        for label in self._reading_labels[count:]:
            label.hide()

    def _toggle_readings(self, shown: bool) -> None:
        self._readings_list.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self._readings_toggle.setArrowType(arrow)

    def _fill_timeline(self, detail: TicketDetail) -> None:
        policy, zone = detail.row.policy, self._zone
        lines = []
        for event in sorted(detail.events, key=lambda e: e.at, reverse=True):
            parts = [_day_time(event.at, zone)]
            if event.actor:
                parts.append(self._name(event.actor))
            parts.append(describe_event(event, policy, self._names))
            lines.append((" · ".join(parts), event))
        self._timeline.set_lines(lines, zone)

    # ------------------------------------------------------------ per tick

    def _refresh(self, now: datetime) -> None:
        detail = self._detail
        assert detail is not None
        clocks = detail.clocks(now)
        shown = {clock.metric for clock in clocks}
        for metric, row in self._rows.items():
            if row.isHidden() == (metric in shown):
                row.setHidden(metric not in shown)
        if self._no_clocks.isHidden() == (not clocks):
            self._no_clocks.setHidden(bool(clocks))
        for clock in clocks:
            self._rows[clock.metric].update_clock(clock, now, self._zone, self._colours)
        self._refresh_maintenance(detail.row.policy, now)

    def _refresh_maintenance(self, policy: Policy, now: datetime) -> None:
        windows = policy.maintenance_windows
        if self._maintenance_section.isHidden() == bool(windows):
            self._maintenance_section.setHidden(not windows)
        if not windows:
            return
        valid = self._maintenance_valid
        if valid is not None and valid[0] <= now < valid[1]:
            return
        found: list[tuple[datetime, datetime, MaintenanceWindow]] = []
        for window in windows:
            found.extend(
                (a, b, window) for a, b in window.occurrences(now, now + MAINTENANCE_HORIZON)
            )
        found.sort(key=lambda item: (item[0], item[2].region))
        # Valid until a window starts or ends, or the next one comes within the horizon.
        changes = [t for a, b, _ in found for t in (a, b) if t > now]
        horizon = now + MAINTENANCE_HORIZON
        later = [
            a - MAINTENANCE_HORIZON
            for window in windows
            for a, _ in window.occurrences(horizon, horizon + MAINTENANCE_HORIZON)
            if a >= horizon
        ]
        until = min([*changes, *later], default=now + timedelta(hours=1))
        self._maintenance_valid = (now, until)

        while len(self._maintenance_labels) < max(1, len(found)):
            label = _label(
                "", f"maintenance_{len(self._maintenance_labels)}", wrap=True, select=True
            )
            self._maintenance_labels.append(label)
            self._maintenance_layout.addWidget(label)
        for label in self._maintenance_labels[len(found) :]:
            label.hide()
        if not found:
            first = self._maintenance_labels[0]
            first.setText("No maintenance window in the next 7 days.")
            first.setToolTip("")
            first.setFont(self.font())
            first.setProperty("inProgress", False)
            _paint(first, {})
            first.show()
            return
        for label, (start, end, window) in zip(self._maintenance_labels, found, strict=False):
            active = start <= now < end
            where = f"{window.region} ({window.servers})" if window.servers else window.region
            text = f"{where}: {_day_time(start, start.tzinfo or UTC)}-{end:%H:%M} {start.tzname()}"
            if active:
                text += " — in progress"
            label.setText(text)
            label.setProperty("inProgress", active)
            font = QFont(self.font())
            font.setBold(active)
            label.setFont(font)
            _paint(label, {QPalette.ColorRole.WindowText: self._colours.warning} if active else {})
            label.setToolTip(
                f"<p>{html.escape(_with_zone(start, self._zone))} to "
                f"{html.escape(_with_zone(end, self._zone))} in your time zone</p>"
                f"<p><i>{html.escape(window.source.clause)}</i>: "
                f"“{html.escape(window.source.quote)}”</p>"
            )
            label.show()


class _PaddedDelegate(QStyledItemDelegate):
    """Rows with a little air above and below the text."""

    PADDING = 3

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * self.PADDING)


class _Timeline(QListWidget):
    """The ticket's events as selectable, copyable lines, as tall as their content (the pane
    scrolls, not the list)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._heights: dict[int, int] = {}  # heightForWidth by width, until the items change
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAlternatingRowColors(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setItemDelegate(_PaddedDelegate(self))

    def set_lines(self, lines: Sequence[tuple[str, TicketEvent]], zone: tzinfo) -> None:
        self.clear()
        for text, event in lines:
            item = QListWidgetItem(text)
            item.setToolTip(f"{_with_zone(event.at, zone)} · {event.kind.value}")
            item.setData(Qt.ItemDataRole.UserRole, event.kind.value)
            self.addItem(item)
        self._heights.clear()
        self.updateGeometry()

    def copy_selection(self) -> None:
        rows = sorted(self.selectedIndexes(), key=lambda index: index.row())
        text = "\n".join(str(index.data()) for index in rows)
        if text:
            QApplication.clipboard().setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
            self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        cached = self._heights.get(width)
        if cached is not None:
            return cached
        frame = 2 * self.frameWidth()
        inner = max(1, width - frame)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, inner, 10_000)
        delegate = self.itemDelegate()
        model = self.model()
        total = sum(
            delegate.sizeHint(option, model.index(row, 0)).height() for row in range(self.count())
        )
        height = frame + max(total, self.fontMetrics().height() + 6)
        self._heights[width] = height
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(200, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, self.heightForWidth(max(200, self.width())))
