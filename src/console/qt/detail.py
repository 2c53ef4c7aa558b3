"""The detail pane: one ticket's header, SLA clocks, customer, maintenance windows, policy
readings and history. Clocks are recomputed on :meth:`DetailPane.tick`, which only updates
the texts and bars that changed (it runs every second). What the pane shows is put into words
by services (:mod:`~console.services.clock_text`, :mod:`~console.services.event_text`,
:mod:`~console.services.maintenance`); its widgets are in :mod:`console.qt.detail_widgets`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Metric
from console.domain.policy import Policy
from console.domain.queue import DEFAULT_THRESHOLDS
from console.qt.detail_widgets import (
    ClockRow,
    StateColours,
    Timeline,
    TimelineLine,
    bold,
    column,
    heading,
    muted,
    paint,
    plain_label,
    rule,
    set_shown,
    set_text,
    show_readings,
)
from console.services.clock_text import clock_text
from console.services.event_text import event_words
from console.services.maintenance import NO_WINDOW_TEXT, MaintenanceOutlook, maintenance_outlook
from console.services.queue import TicketDetail
from console.services.texts import day_time_text, instant_text

__all__ = ["EMPTY_TEXT", "DetailPane"]

EMPTY_TEXT = "Select a ticket to see its clocks and history"


def _severity_name(policy: Policy, level: int) -> str:
    try:
        return policy.severity(level).name
    except KeyError:
        return f"S{level}"


def _plan_name(policy: Policy, plan: str) -> str:
    found = policy.plans.get(plan)
    return found.name if found is not None else plan


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
        self._thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
        self._colours = StateColours.of(self.palette())
        self._rows: dict[Metric, ClockRow] = {}
        self._maintenance: MaintenanceOutlook | None = None  # shown, and until when it holds

        self._stack = QStackedLayout(self)
        self._empty = muted(plain_label(EMPTY_TEXT, "detailEmpty", wrap=True))
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
        self._title = bold(plain_label("", "detailTitle", wrap=True, select=True), 1.3)
        self._subtitle = muted(plain_label("", "detailSubtitle", wrap=True, select=True))
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)

        # clocks
        clock_box, clock_layout = column("clockTable", 2)
        self._no_clocks = muted(plain_label("No SLA clock has started.", "clockNone"))
        clock_layout.addWidget(self._no_clocks)
        for metric in Metric:
            row = ClockRow(metric)
            row.hide()
            self._rows[metric] = row
            clock_layout.addWidget(row)
        self._add_section(layout, "SLA clocks", clock_box)

        # customer
        customer_box = QWidget()
        customer_box.setObjectName("customerBox")
        form = QFormLayout(customer_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._customer_name = plain_label("", "customerName", wrap=True, select=True)
        self._customer_region = plain_label("", "customerRegion", select=True)
        self._customer_plan = plain_label("", "customerPlan", wrap=True, select=True)
        self._customer_contact = plain_label("", "customerContact", wrap=True, select=True)
        self._customer_contact.setCursor(Qt.CursorShape.IBeamCursor)
        for caption, value in (
            ("Name", self._customer_name),
            ("Region", self._customer_region),
            ("Plan", self._customer_plan),
            ("24/7 escalation", self._customer_contact),
        ):
            form.addRow(muted(plain_label(caption)), value)
        self._add_section(layout, "Customer", customer_box)

        # maintenance windows
        maintenance_box, self._maintenance_layout = column("maintenanceBox", 3)
        self._maintenance_section = self._add_section(
            layout, "Maintenance windows (next 7 days)", maintenance_box
        )
        self._maintenance_labels: list[QLabel] = []

        # policy readings, collapsible
        readings_box, readings = column("readingsBox", 4)
        self._readings_toggle = QToolButton()
        self._readings_toggle.setObjectName("readingsToggle")
        self._readings_toggle.setCheckable(True)
        self._readings_toggle.setAutoRaise(True)
        self._readings_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._readings_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self._readings_toggle.toggled.connect(self._toggle_readings)
        self._readings_list, self._readings_layout = column("readingsList", 5, indent=18)
        self._readings_list.hide()
        self._reading_labels: list[QLabel] = []
        readings.addWidget(self._readings_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        readings.addWidget(self._readings_list)
        self._readings_section = self._add_section(layout, "Policy readings", readings_box)

        # timeline
        self._timeline = Timeline()
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
        self._maintenance = None
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
            self._maintenance = None
            self._refresh(self._now)

    def set_agent_names(self, names: Mapping[str, str]) -> None:
        """Display names by login, for everyone the pane shows: the assignee, and the
        actors and assignees of the timeline (a login without a name shows as itself)."""
        self._names = dict(names)
        if self._detail is not None:
            self._fill_header(self._detail)
            self._fill_timeline(self._detail)

    def set_thresholds(self, thresholds: tuple[float, ...]) -> None:
        """Colour the clocks by the user's warning ``thresholds`` (fractions of a target's
        business time, ascending), as the queue does (``Countdown.level``)."""
        self._thresholds = tuple(thresholds)
        if self._detail is not None:
            self._refresh(self._now)

    # ------------------------------------------------------------ Qt overrides

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if self._ready and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._colours = colours = StateColours.of(self.palette())
            for row in self._rows.values():
                row.apply_colours(colours)
            self._maintenance = None
            if self._detail is not None:
                self._refresh_maintenance(self._detail.row.policy, self._now)

    # ------------------------------------------------------------ filling

    def _add_section(self, layout: QVBoxLayout, title: str, body: QWidget) -> QWidget:
        section, inner = column(spacing=5, top=10)
        inner.addWidget(rule())
        inner.addWidget(heading(title))
        inner.addWidget(body)
        layout.addWidget(section)
        return section

    def _name(self, login: str | None) -> str:
        return self._names.get(login, login) if login else ""

    def _fill_header(self, detail: TicketDetail) -> None:
        ticket, customer, policy = detail.row.ticket, detail.row.customer, detail.row.policy
        set_text(self._title, f"{ticket.key}  {ticket.title}")
        parts = (
            customer.name,
            policy.vendor,
            _plan_name(policy, customer.plan),
            _severity_name(policy, ticket.severity),
            ticket.status.label,
            self._name(ticket.assignee) or "Unassigned",
        )
        set_text(self._subtitle, " · ".join(parts))

    def _fill_customer(self, detail: TicketDetail) -> None:
        customer, policy = detail.row.customer, detail.row.policy
        set_text(self._customer_name, customer.name)
        set_text(self._customer_region, customer.region or "—")
        set_text(self._customer_plan, f"{_plan_name(policy, customer.plan)} ({policy.vendor})")
        set_text(self._customer_contact, customer.escalation_contact or "—")

    def _fill_readings(self, policy: Policy) -> None:
        count = len(policy.readings)
        self._readings_toggle.setText(f"{count} reading{'s' if count != 1 else ''} of the policy")
        self._readings_section.setVisible(count > 0)
        show_readings(self._reading_labels, policy.readings, self._readings_layout.addWidget)

    def _toggle_readings(self, shown: bool) -> None:
        self._readings_list.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self._readings_toggle.setArrowType(arrow)

    def _fill_timeline(self, detail: TicketDetail) -> None:
        policy, zone, names = detail.row.policy, self._zone, self._names
        lines = []
        for event in sorted(detail.events, key=lambda e: e.at, reverse=True):
            words = event_words(event, names, policy)
            lines.append(
                TimelineLine(
                    f"{day_time_text(event.at, zone)} · {words.line}",
                    f"{instant_text(event.at, zone)} · {event.kind.value}",
                    event.kind.value,
                )
            )
        self._timeline.set_lines(lines)

    # ------------------------------------------------------------ per tick

    def _refresh(self, now: datetime) -> None:
        detail = self._detail
        assert detail is not None
        clocks = detail.clocks(now)
        shown = {clock.metric for clock in clocks}
        for metric, row in self._rows.items():
            set_shown(row, metric in shown)
        set_shown(self._no_clocks, not clocks)
        thresholds, count = self._thresholds, len(self._thresholds)
        for clock in clocks:
            text = clock_text(clock, self._zone, now, thresholds)
            self._rows[clock.metric].update_clock(text, count, self._colours)
        self._refresh_maintenance(detail.row.policy, now)

    def _refresh_maintenance(self, policy: Policy, now: datetime) -> None:
        windows = policy.maintenance_windows
        set_shown(self._maintenance_section, bool(windows))
        if not windows or (self._maintenance is not None and self._maintenance.holds_at(now)):
            return
        self._maintenance = outlook = maintenance_outlook(windows, now, self._zone)
        lines = outlook.lines
        while len(self._maintenance_labels) < max(1, len(lines)):
            name = f"maintenance_{len(self._maintenance_labels)}"
            label = plain_label("", name, wrap=True, select=True)
            self._maintenance_labels.append(label)
            self._maintenance_layout.addWidget(label)
        for label in self._maintenance_labels[len(lines) :]:
            label.hide()
        if not lines:
            self._show_maintenance(self._maintenance_labels[0], NO_WINDOW_TEXT, "", False)
        for label, line in zip(self._maintenance_labels, lines, strict=False):
            tooltip = (
                f"<p>{html.escape(line.in_your_zone)} in your time zone</p>"
                f"<p><i>{html.escape(line.clause)}</i>: “{html.escape(line.quote)}”</p>"
            )
            self._show_maintenance(label, line.text, tooltip, line.in_progress)

    def _show_maintenance(self, label: QLabel, text: str, tooltip: str, active: bool) -> None:
        label.setText(text)
        label.setToolTip(tooltip)
        label.setProperty("inProgress", active)
        font = QFont(self.font())
        font.setBold(active)
        label.setFont(font)
        colour = self._colours.warnings[0]
        paint(label, {QPalette.ColorRole.WindowText: colour} if active else {})
        label.show()
