"""The detail pane: one ticket's header, SLA clocks, customer, maintenance windows and policy
readings above, and its conversation with the composer below, taking the rest of the height.
Clocks are recomputed on :meth:`DetailPane.tick`, which only updates the texts and bars that
changed (it runs every second). What the pane shows is put into words by services
(:mod:`~console.services.clock_text`, :mod:`~console.services.conversation`,
:mod:`~console.services.maintenance`); its widgets are in :mod:`console.qt.detail_widgets` and
:mod:`console.qt.conversation`."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Channel, ClockState, EventKind, Metric, TicketEvent
from console.domain.policy import Policy
from console.domain.queue import DEFAULT_THRESHOLDS
from console.qt.clock_explanation import ClockExplanationView
from console.qt.conversation import Composer, ConversationView
from console.qt.detail_widgets import (
    ClockRow,
    StateColours,
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
from console.qt.timers import named_timer
from console.services import words
from console.services.clock_text import clock_text
from console.services.conversation import Conversation, conversation_of
from console.services.explain import explain_ticket
from console.services.labels import status_label
from console.services.maintenance import NO_WINDOW_TEXT, MaintenanceOutlook, maintenance_outlook
from console.services.queue import QueueRow, TicketDetail
from console.services.views import DetailView

__all__ = ["EMPTY_TEXT", "DetailPane"]

# Shown with words.tr: a constant is made at import, before the language is chosen.
EMPTY_TEXT = words.QT_TR_NOOP("Select a ticket to see its clocks and history")


def _severity_name(policy: Policy, level: int) -> str:
    try:
        return policy.severity(level).name
    except KeyError:
        return f"S{level}"


def _plan_name(policy: Policy, plan: str) -> str:
    found = policy.plans.get(plan)
    return found.name if found is not None else plan


def _has_periodic_update(row: QueueRow) -> bool:
    """The ticket's plan and severity have a periodic update target (an update re-arms it)."""
    try:
        target = row.policy.target(row.customer.plan, row.ticket.severity, Metric.PERIODIC_UPDATE)
    except KeyError:
        return False
    return target is not None


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
        self._explanations: dict[Metric, ClockExplanationView] = {}
        self._maintenance: MaintenanceOutlook | None = None  # shown, and until when it holds

        self._stack = QStackedLayout(self)
        self._empty = muted(plain_label(words.tr(EMPTY_TEXT), "detailEmpty", wrap=True))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        self._stack.addWidget(self._empty)

        # The header stays; below it the clocks and the rest scroll above the conversation,
        # which takes the remaining height (the agent moves the split).
        self._body = QWidget()
        self._body.setObjectName("detailBody")
        self._stack.addWidget(self._body)
        outer = QVBoxLayout(self._body)
        outer.setContentsMargins(14, 12, 14, 10)
        outer.setSpacing(2)
        self._title = bold(plain_label("", "detailTitle", wrap=True, select=True), 1.3)
        self._subtitle = muted(plain_label("", "detailSubtitle", wrap=True, select=True))
        outer.addWidget(self._title)
        outer.addWidget(self._subtitle)
        self._split = QSplitter(Qt.Orientation.Vertical)
        self._split.setObjectName("detailSplit")
        self._split.setChildrenCollapsible(False)
        outer.addWidget(self._split, 1)

        self._scroll = QScrollArea()
        self._scroll.setObjectName("detailScroll")
        self._scroll.setAccessibleName(self.tr("Ticket details"))
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setMinimumHeight(90)
        self._info = content = QWidget()
        content.setObjectName("detailContent")
        self._scroll.setWidget(content)
        self._split.addWidget(self._scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 8)
        layout.setSpacing(6)

        # clocks
        clock_box, clock_layout = column("clockTable", 2)
        self._no_clocks = muted(plain_label(self.tr("No SLA clock has started."), "clockNone"))
        clock_layout.addWidget(self._no_clocks)
        for metric in Metric:
            row = ClockRow(metric)
            row.hide()
            self._rows[metric] = row
            clock_layout.addWidget(row)
            # Why the clock stands where it does: collapsed under its row until asked.
            why = ClockExplanationView()
            why.setObjectName(f"clockExplanation_{metric.value}")
            why.hide()
            why.expandedChanged.connect(self._explain)
            self._explanations[metric] = why
            clock_layout.addWidget(why)
        self._add_section(layout, self.tr("SLA clocks · business time"), clock_box)

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
            (self.tr("Name"), self._customer_name),
            (self.tr("Region"), self._customer_region),
            (self.tr("Plan"), self._customer_plan),
            (self.tr("24/7 escalation"), self._customer_contact),
        ):
            form.addRow(muted(plain_label(caption)), value)
        self._add_section(layout, self.tr("Customer"), customer_box)

        # maintenance windows
        maintenance_box, self._maintenance_layout = column("maintenanceBox", 3)
        self._maintenance_section = self._add_section(
            layout, self.tr("Maintenance windows (next 7 days)"), maintenance_box
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
        self._readings_section = self._add_section(layout, self.tr("Policy readings"), readings_box)

        layout.addStretch(1)

        # the conversation and the composer
        self._talk, talk_layout = column("conversationSection", 5)
        talk_layout.addWidget(rule())
        talk_layout.addWidget(heading(self.tr("Conversation")))
        self.conversation = ConversationView()
        self.conversation.setMinimumHeight(120)
        talk_layout.addWidget(self.conversation, 1)
        self.composer = Composer()
        talk_layout.addWidget(self.composer)
        self._split.addWidget(self._talk)
        self._split.handle(1).setAccessibleName(self.tr("Resize the conversation"))
        # The clocks and the rest get the height they need, up to a share of the pane
        # (:meth:`_fit_split`), or what the agent gave them; the conversation the rest.
        self._split.setStretchFactor(0, 0)
        self._split.setStretchFactor(1, 1)
        self._info_height: int | None = None  # set by the agent moving the split
        self._split.splitterMoved.connect(self._split_moved)
        # Once the layouts have settled (the widths, hence the wrapped lines, are known), and
        # again whenever what the clocks and the rest need changes (their layout asks).
        self._fit_timer = named_timer(self, "detailFit", 0, self._fit_split, single_shot=True)
        self._info.installEventFilter(self)

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
            self.composer.show_ticket(None)
            self._stack.setCurrentWidget(self._empty)
            return
        self._fill_header(detail)
        self._fill_customer(detail)
        self._fill_readings(detail.row.policy)
        self._fill_conversation(detail)
        row = detail.row
        self.composer.show_ticket(
            row.key,
            row.ticket.version,
            awaiting_response=any(
                c.metric is Metric.INITIAL_RESPONSE
                and c.stopped_at is None
                and c.state is not ClockState.WAIVED
                for c in detail.clocks(now)
            ),
            periodic_update=_has_periodic_update(row),
            channel=_answer_by(detail.events),
        )
        self._maintenance = None
        self._refresh(now)
        self._explain()
        self._stack.setCurrentWidget(self._body)
        self._fit_timer.start()
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
            self._fill_conversation(self._detail)
            self._maintenance = None
            self._refresh(self._now)

    def set_agent_names(self, names: Mapping[str, str]) -> None:
        """Display names by login, for everyone the pane shows: the assignee, and the
        people of the conversation (a login without a name shows as itself; a conversation
        read with its names keeps those)."""
        self._names = dict(names)
        if self._detail is not None:
            self._fill_header(self._detail)
            self._fill_conversation(self._detail)

    def set_thresholds(self, thresholds: tuple[float, ...]) -> None:
        """Colour the clocks by the user's warning ``thresholds`` (fractions of a target's
        business time, ascending), as the queue does (``Countdown.level``)."""
        self._thresholds = tuple(thresholds)
        if self._detail is not None:
            self._refresh(self._now)

    # ------------------------------------------------------------ Qt overrides

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._ready:
            self._fit_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._info and event.type() == QEvent.Type.LayoutRequest:
            self._fit_timer.start()
        return False

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

    # ------------------------------------------------------------ the split

    INFO_SHARE = 0.45  # of the split's height, at most, for the clocks and the rest

    def _fit_split(self) -> None:
        """Give the clocks, customer, maintenance and readings the height they need, up to
        :data:`INFO_SHARE` of the split (or the height the agent chose), the conversation
        and composer the rest."""
        total = sum(self._split.sizes())
        if total <= 0:
            return
        # Nested layouts settle one event-loop pass at a time: settle them all first.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        content = self._info
        # Measured as wide as it is beside a scroll bar: the height at which it needs none
        # whether or not one shows while the split moves (a line to spare at most).
        width = self._scroll.width() - self._scroll.verticalScrollBar().sizeHint().width()
        # As QScrollArea sizes its widget: never below the minimum its layout asks.
        needed = max(content.heightForWidth(width), content.minimumSizeHint().height())
        top = self._info_height or min(needed, round(total * self.INFO_SHARE))
        talk = self._talk.minimumSizeHint().height()
        top = max(self._scroll.minimumHeight(), min(top, total - talk))
        if self._split.sizes()[0] != top:
            self._split.setSizes([top, total - top])

    def _split_moved(self, position: int, _: int) -> None:
        self._info_height = self._split.sizes()[0]

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
            status_label(ticket.status),
            self._name(ticket.assignee) or self.tr("Unassigned"),
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
        self._readings_toggle.setText(self.tr("%n reading(s) of the policy", "", count))
        self._readings_section.setVisible(count > 0)
        show_readings(self._reading_labels, policy.readings, self._readings_layout.addWidget)

    def _toggle_readings(self, shown: bool) -> None:
        self._readings_list.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self._readings_toggle.setArrowType(arrow)

    def _fill_conversation(self, detail: TicketDetail) -> None:
        self.conversation.show_conversation(detail.row.key, self._conversation(detail), self._zone)

    def _conversation(self, detail: TicketDetail) -> Conversation:
        """The conversation the query read with the detail; one made here, with the names
        the pane knows, for a detail read without it."""
        if isinstance(detail, DetailView):
            return detail.conversation
        customer = detail.row.customer
        return conversation_of(
            detail.events,
            self._names,
            detail.row.policy,
            customer=customer.name,
            clocks=lambda events, at: detail.book.clocks(customer, events, at),
        )

    def _explain(self, *_: object) -> None:
        """Each shown clock's explanation, as of now (a snapshot: made again when the ticket
        is shown or an explanation is opened, not every tick)."""
        detail = self._detail
        if detail is None:
            return
        explained = {
            e.metric: e
            for e in explain_ticket(detail.book, detail.row.customer, detail.events, self._now)
        }
        for metric, view in self._explanations.items():
            explanation = explained.get(metric)
            set_shown(view, explanation is not None)
            view.show_explanation(explanation, self._zone, detail.row.policy)

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
            text = clock_text(clock, self._zone, now, thresholds, policy=detail.row.policy)
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
            in_your_zone = self.tr("{time} in your time zone").format(time=line.in_your_zone)
            quoted = self.tr("{clause}: “{quote}”").format(
                clause=f"<i>{html.escape(line.clause)}</i>", quote=html.escape(line.quote)
            )
            tooltip = f"<p>{html.escape(in_your_zone)}</p><p>{quoted}</p>"
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


def _answer_by(events: Sequence[TicketEvent]) -> Channel | None:
    """E-mail when the customer last wrote by e-mail (a reply goes back the same way)."""
    for event in reversed(events):
        if event.kind in (EventKind.CUSTOMER_MESSAGE, EventKind.CREATED) and event.invalid is None:
            said = event.data.get("channel")
            if said is not None:
                return Channel.EMAIL if said == Channel.EMAIL.value else None
            if event.kind is EventKind.CUSTOMER_MESSAGE:
                return None
    return None
