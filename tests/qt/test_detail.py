"""The detail pane shows a ticket's clocks, customer, maintenance windows, readings and its
history as a conversation, and keeps its clocks current on tick without rebuilding widgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QScrollArea,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import EventKind, Metric, Status, TicketEvent
from console.domain.policy import load_policies
from console.domain.queue import DEFAULT_THRESHOLDS
from console.domain.sla import ClockState, SlaClock
from console.qt.detail import EMPTY_TEXT, DetailPane
from console.qt.detail_widgets import StateColours
from console.services.demo import load_demo
from console.services.queue import TicketDetail, load_detail
from console.services.texts import (
    ago_text,
    business_span,
    instant_text,
    overdue_text,
    target_text,
    when_text,
)
from console.services.tickets import PolicyBook
from consoles import Console, demo_database
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # a Friday afternoon
SUNDAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # ZITADEL closed, APAC maintenance on
MONDAY_OPEN = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

Test = Callable[[TicketDetail, tuple[SlaClock, ...]], bool]


@dataclass
class Demo:
    store: FakeStore
    book: PolicyBook
    details: list[TicketDetail]
    names: dict[str, str]

    def find(self, test: Test, now: datetime = NOW) -> TicketDetail:
        """The first open ticket (by key) whose clocks at ``now`` pass ``test``."""
        for detail in self.details:
            if detail.row.ticket.is_open and test(detail, detail.clocks(now)):
                return detail
        raise LookupError("no demo ticket fits")


@pytest.fixture(scope="module")
def demo() -> Demo:
    book = PolicyBook(load_policies())
    store = FakeStore()
    load_demo(FakeUnitOfWork(store, now=lambda: NOW), book, tickets=300, seed=28, now=NOW)
    uow = FakeUnitOfWork(store, now=lambda: NOW)
    details = [within(uow, load_detail, book, key) for key in sorted(store.tickets)]
    names = {agent.name: agent.display_name for agent in store.agents.values()}
    return Demo(store, book, details, names)


@pytest.fixture
def pane(qtbot: QtBot, demo: Demo) -> DetailPane:
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.resize(480, 900)
    widget.set_agent_names(demo.names)
    return widget


def label(pane: DetailPane, name: str) -> QLabel:
    found = pane.findChild(QLabel, name)
    assert found is not None, name
    return found


def text(pane: DetailPane, name: str) -> str:
    return label(pane, name).text()


def bar(pane: DetailPane, metric: Metric) -> QProgressBar:
    found = pane.findChild(QProgressBar, f"clockProgress_{metric.value}")
    assert found is not None
    return found


def clock_of(detail: TicketDetail, metric: Metric, now: datetime) -> SlaClock:
    return next(c for c in detail.clocks(now) if c.metric is metric)


def when(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def event_lines(pane: DetailPane) -> list[str]:
    """The conversation's lines of events other than messages, oldest first."""
    view = pane.conversation
    return [
        t
        for w, t in zip(view.entry_widgets(), view.entry_texts(), strict=True)
        if isinstance(w, QLabel)
    ]


def non_messages(detail: TicketDetail) -> list[TicketEvent]:
    """The events the conversation shows as lines, oldest first."""
    said = {EventKind.CUSTOMER_MESSAGE, EventKind.RESPONDED, EventKind.UPDATE_SENT, EventKind.NOTE}
    return sorted((e for e in detail.events if e.kind not in said), key=lambda e: e.at)


def highlight(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Highlight)


def is_counting_breach(clock: SlaClock) -> bool:
    return clock.state is ClockState.BREACHED and clock.stopped_at is None


# --------------------------------------------------------------------------- empty and header


def test_the_empty_state_invites_to_select_a_ticket(pane: DetailPane, demo: Demo) -> None:
    pane.show_detail(None, NOW, ZURICH)
    assert label(pane, "detailEmpty").isVisibleTo(pane)
    assert text(pane, "detailEmpty") == EMPTY_TEXT
    scroll = pane.findChild(QScrollArea, "detailScroll")
    assert scroll is not None and not scroll.isVisibleTo(pane)

    pane.show_detail(demo.details[0], NOW, ZURICH)
    assert scroll.isVisibleTo(pane) and not label(pane, "detailEmpty").isVisibleTo(pane)
    pane.show_detail(None, NOW, ZURICH)
    assert label(pane, "detailEmpty").isVisibleTo(pane) and pane.detail is None
    pane.tick(NOW + timedelta(seconds=1))  # nothing to refresh, no error


def test_the_header_names_ticket_customer_policy_severity_status_and_assignee(
    pane: DetailPane, demo: Demo
) -> None:
    detail = demo.find(lambda d, _: d.row.ticket.assignee is not None)
    pane.show_detail(detail, NOW, ZURICH)
    ticket, customer, policy = detail.row.ticket, detail.row.customer, detail.row.policy
    assert text(pane, "detailTitle") == f"{ticket.key}  {ticket.title}"
    assert label(pane, "detailTitle").wordWrap()
    assert text(pane, "detailSubtitle") == " · ".join(
        (
            customer.name,
            policy.vendor,
            policy.plans[customer.plan].name,
            policy.severity(ticket.severity).name,
            ticket.status.label,
            demo.names[ticket.assignee or ""],
        )
    )

    unassigned = demo.find(lambda d, _: d.row.ticket.assignee is None)
    pane.show_detail(unassigned, NOW, ZURICH)
    assert text(pane, "detailSubtitle").endswith(" · Unassigned")


# --------------------------------------------------------------------------- clocks


def test_a_breached_clock_is_full_red_and_says_by_how_much(pane: DetailPane, demo: Demo) -> None:
    """A breached clock that still counts: its lateness in business time, labelled, where
    the time left was; when it was due, with the wall-clock time since, labelled too."""
    detail = demo.find(lambda _, cs: any(is_counting_breach(c) for c in cs))
    clock = next(c for c in detail.clocks(NOW) if is_counting_breach(c))
    pane.show_detail(detail, NOW, ZURICH)
    key = clock.metric.value
    progress = bar(pane, clock.metric)
    assert progress.isVisibleTo(pane) and progress.value() == 100 and progress.text() == "100 %"
    assert progress.property("level") == len(DEFAULT_THRESHOLDS) + 1
    red = highlight(progress)
    assert red.red() > 150 and red.green() < 100 and red.blue() < 100
    assert clock.remaining is not None and clock.due is not None
    state = text(pane, f"clockState_{key}")
    assert state.startswith("breached")
    assert label(pane, f"clockState_{key}").palette().color(QPalette.ColorRole.WindowText) == red
    assert text(pane, f"clockLeft_{key}") == overdue_text(clock.remaining, labelled=False)
    # The clocks' heading names the measure of the lateness.
    assert any("business time" in w.text().lower() for w in pane.findChildren(QLabel))
    assert text(pane, f"clockDue_{key}") == (
        f"was due {when_text(clock.due, ZURICH, NOW)}, {ago_text(NOW - clock.due)}"
    )
    assert text(pane, f"clockDue_{key}").endswith(" ago (wall clock)")
    assert label(pane, f"clockDue_{key}").toolTip() == instant_text(clock.due, ZURICH)
    assert clock.target is not None
    assert text(pane, f"clockTarget_{key}") == target_text(clock.target, detail.row.policy)
    assert " business " in text(pane, f"clockTarget_{key}")


def test_service_credit_days_follow_the_breach(pane: DetailPane, demo: Demo) -> None:
    def credited(clock: SlaClock) -> bool:
        return is_counting_breach(clock) and clock.service_credit_days > 1

    detail = demo.find(lambda _, cs: any(credited(c) for c in cs))
    clock = next(c for c in detail.clocks(NOW) if c.service_credit_days > 1)
    pane.show_detail(detail, NOW, ZURICH)
    state = text(pane, f"clockState_{clock.metric.value}")
    assert state.startswith("breached")
    assert state.endswith(f" · {clock.service_credit_days} service-credit days")


def running(low: float, high: float) -> Callable[[SlaClock], bool]:
    """A running clock that has used ``[low, high)`` of its target."""

    def test(clock: SlaClock) -> bool:
        fraction = clock.fraction_used
        return clock.state is ClockState.RUNNING and fraction is not None and low <= fraction < high

    return test


def find_clock(demo: Demo, test: Callable[[SlaClock], bool]) -> tuple[TicketDetail, SlaClock]:
    detail = demo.find(lambda _, cs: any(test(c) for c in cs))
    return detail, next(c for c in detail.clocks(NOW) if test(c))


def test_clocks_take_the_queues_warning_levels(pane: DetailPane, demo: Demo) -> None:
    """With the default thresholds (50, 75 and 90 %), a clock at 75 to 90 % is at level 2:
    the second shade, on its bar and on the time left."""
    colours = StateColours.of(pane.palette())
    hot, clock = find_clock(demo, running(0.75, 0.9))
    pane.show_detail(hot, NOW, ZURICH)
    progress = bar(pane, clock.metric)
    assert clock.fraction_used is not None
    assert progress.value() == round(clock.fraction_used * 100)
    assert progress.text() == f"{progress.value()} %"
    assert progress.property("level") == 2
    orange = highlight(progress)
    assert orange == colours.warnings[1] and orange.red() > orange.green() > orange.blue()
    left = label(pane, f"clockLeft_{clock.metric.value}")
    assert left.palette().color(QPalette.ColorRole.WindowText) == orange
    assert clock.remaining is not None
    assert left.text() == f"{business_span(clock.remaining)} left"

    warm, clock = find_clock(demo, running(0.5, 0.75))
    pane.show_detail(warm, NOW, ZURICH)
    assert bar(pane, clock.metric).property("level") == 1
    assert highlight(bar(pane, clock.metric)) == colours.warnings[0]

    calm, clock = find_clock(demo, running(0.0, 0.5))
    pane.show_detail(calm, NOW, ZURICH)
    assert bar(pane, clock.metric).property("level") == 0
    green = highlight(bar(pane, clock.metric))
    assert green == colours.ok and green.green() > green.red() and green.green() > green.blue()
    left = label(pane, f"clockLeft_{clock.metric.value}")
    assert left.palette().color(QPalette.ColorRole.WindowText) != green  # not coloured


def test_the_users_thresholds_recolour_the_ticket_shown(pane: DetailPane, demo: Demo) -> None:
    colours = StateColours.of(pane.palette())
    detail, clock = find_clock(demo, running(0.2, 0.45))
    fraction = clock.fraction_used
    assert fraction is not None
    pane.show_detail(detail, NOW, ZURICH)
    progress = bar(pane, clock.metric)
    left = label(pane, f"clockLeft_{clock.metric.value}")
    assert progress.property("level") == 0  # below the default 50 %

    pane.set_thresholds((fraction / 4, fraction / 2, fraction - 0.01))  # all three crossed
    assert progress.property("level") == 3
    assert highlight(progress) == colours.warnings[2]
    assert left.palette().color(QPalette.ColorRole.WindowText) == colours.warnings[2]

    pane.set_thresholds((fraction / 2, fraction + 0.01, 0.99))
    assert progress.property("level") == 1
    assert highlight(progress) == colours.warnings[0]
    pane.tick(NOW + timedelta(seconds=1))  # kept on tick
    assert progress.property("level") == 1

    pane.set_thresholds((fraction - 0.01,))  # one threshold: its shade is the first
    assert progress.property("level") == 1 and highlight(progress) == colours.warnings[0]
    breached, late = find_clock(demo, is_counting_breach)
    pane.show_detail(breached, NOW, ZURICH)
    assert bar(pane, late.metric).property("level") == 2  # one threshold, then breached
    assert highlight(bar(pane, late.metric)) == colours.breached


def test_a_liveperson_clock_pauses_while_awaiting_the_customer(
    pane: DetailPane, demo: Demo
) -> None:
    def paused(clock: SlaClock) -> bool:
        return clock.state is ClockState.PAUSED and clock.paused_by is Status.AWAITING_CUSTOMER

    detail = demo.find(
        lambda d, cs: d.row.customer.policy_id == "liveperson" and any(paused(c) for c in cs)
    )
    clock = next(c for c in detail.clocks(NOW) if paused(c))
    pane.show_detail(detail, NOW, ZURICH)
    key = clock.metric.value
    assert text(pane, f"clockState_{key}") == "paused: awaiting customer"
    assert text(pane, f"clockDue_{key}") == ""
    assert clock.remaining is not None
    assert text(pane, f"clockLeft_{key}") == f"{business_span(clock.remaining)} left"


def test_a_zitadel_clock_waits_for_monday_and_runs_once_open(pane: DetailPane, demo: Demo) -> None:
    def waiting(clock: SlaClock) -> bool:
        return (
            clock.state is ClockState.WAITING
            and clock.target is not None
            and clock.target.calendar == "business-hours"
            and clock.due is not None
            and clock.due > MONDAY_OPEN + timedelta(hours=2)
        )

    detail = demo.find(
        lambda d, cs: d.row.customer.policy_id == "zitadel" and any(waiting(c) for c in cs),
        SUNDAY,
    )
    metric = next(c for c in detail.clocks(SUNDAY) if waiting(c)).metric
    key = metric.value
    pane.show_detail(detail, SUNDAY, ZURICH)
    assert text(pane, f"clockState_{key}") == "waiting: closed until tomorrow 08:00 CET"
    progress, state = bar(pane, metric), label(pane, f"clockState_{key}")
    before, left = progress.value(), text(pane, f"clockLeft_{key}")
    widgets = len(pane.findChildren(QWidget))

    pane.tick(MONDAY_OPEN - timedelta(seconds=1))
    assert state.text() == "waiting: closed until 08:00 CET"  # today, as in the queue
    assert progress.value() == before and text(pane, f"clockLeft_{key}") == left

    later = MONDAY_OPEN + timedelta(hours=1)
    pane.tick(later)
    assert bar(pane, metric) is progress and label(pane, f"clockState_{key}") is state
    assert state.text() == "running"
    assert progress.value() > before
    fraction = clock_of(detail, metric, later).fraction_used
    assert fraction is not None and progress.value() == round(fraction * 100)
    assert text(pane, f"clockLeft_{key}") != left
    assert len(pane.findChildren(QWidget)) == widgets


def test_the_due_instant_is_shown_in_the_agents_zone(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(lambda _, cs: any(c.state is ClockState.RUNNING for c in cs))
    clock = next(c for c in detail.clocks(NOW) if c.state is ClockState.RUNNING)
    assert clock.due is not None
    pane.show_detail(detail, NOW, LOS_ANGELES)
    due = text(pane, f"clockDue_{clock.metric.value}")
    assert due == f"due {when_text(clock.due, LOS_ANGELES, NOW)}"
    due_label = label(pane, f"clockDue_{clock.metric.value}")
    assert due_label.toolTip() == instant_text(clock.due, LOS_ANGELES)
    assert due_label.toolTip().endswith(" PST")

    tokyo = ZoneInfo("Asia/Tokyo")
    pane.set_zone(tokyo)
    assert due_label.text() == f"due {when_text(clock.due, tokyo, NOW)}"
    assert due_label.toolTip().endswith(" JST")
    created = non_messages(detail)[0]
    assert event_lines(pane)[0].startswith(when(created.at, tokyo))


def test_a_waived_laioutr_clock_gives_the_reason(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(
        lambda d, cs: (
            d.row.customer.policy_id == "laioutr" and any(c.state is ClockState.WAIVED for c in cs)
        )
    )
    clock = next(c for c in detail.clocks(NOW) if c.state is ClockState.WAIVED)
    pane.show_detail(detail, NOW, ZURICH)
    key = clock.metric.value
    assert clock.waiver is not None and clock.waiver_reason
    assert text(pane, f"clockState_{key}") == f"waived: {clock.waiver_reason}"
    assert bar(pane, clock.metric).isHidden()
    assert bar(pane, clock.metric).property("level") == 0
    assert text(pane, f"clockLeft_{key}") == "" and text(pane, f"clockDue_{key}") == ""
    assert any(
        line.endswith(f"waived: {clock.waiver.name}; reason: {clock.waiver_reason}")
        for line in event_lines(pane)
    )


def test_periodic_updates_show_their_cycle(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(
        lambda d, cs: (
            d.row.customer.policy_id == "liveperson"
            and d.row.ticket.severity == 1
            and any(c.metric is Metric.PERIODIC_UPDATE and c.cycle > 1 for c in cs)
        )
    )
    clock = clock_of(detail, Metric.PERIODIC_UPDATE, NOW)
    pane.show_detail(detail, NOW, ZURICH)
    cycle = label(pane, "clockCycle_periodic_update")
    assert cycle.isVisibleTo(pane) and cycle.text() == f"update #{clock.cycle}"
    assert text(pane, "clockTarget_periodic_update") == "2 business hours on LivePerson 24x7"
    assert not label(pane, "clockCycle_initial_response").isVisibleTo(pane)
    assert text(pane, "clockName_periodic_update") == "Periodic update"
    rows = [pane.findChild(QWidget, f"clock_{m.value}") for m in Metric]
    shown = [m for m, row in zip(Metric, rows, strict=True) if row and row.isVisibleTo(pane)]
    assert shown == [c.metric for c in detail.clocks(NOW)]


def test_earlier_breaches_stay_visible(pane: DetailPane, demo: Demo) -> None:
    def earlier(clock: SlaClock) -> bool:
        return clock.state is ClockState.MET and bool(clock.breaches)

    detail = demo.find(lambda _, cs: any(earlier(c) for c in cs))
    clock = next(c for c in detail.clocks(NOW) if earlier(c))
    breach = clock.breaches[0]
    pane.show_detail(detail, NOW, ZURICH)
    history = label(pane, f"clockHistory_{clock.metric.value}")
    assert history.isVisibleTo(pane)
    assert history.text().splitlines()[0] == (
        f"breached earlier: {when_text(breach.at, ZURICH, NOW)} under S{breach.severity}, "
        f"{overdue_text(breach.overrun, seconds=False)}"
    )
    assert clock.stopped_at is not None
    assert text(pane, f"clockState_{clock.metric.value}") == (
        f"met {when_text(clock.stopped_at, ZURICH, NOW)}"
    )


# --------------------------------------------------------------------------- the other sections


def test_the_customer_box(pane: DetailPane, demo: Demo) -> None:
    detail = demo.details[0]
    pane.show_detail(detail, NOW, ZURICH)
    customer, policy = detail.row.customer, detail.row.policy
    box = pane.findChild(QWidget, "customerBox")
    assert box is not None and box.isVisibleTo(pane)
    assert text(pane, "customerName") == customer.name
    assert text(pane, "customerRegion") == customer.region
    assert text(pane, "customerPlan").startswith(policy.plans[customer.plan].name)
    contact = label(pane, "customerContact")
    assert contact.text() == customer.escalation_contact
    assert contact.textInteractionFlags() & contact.textInteractionFlags().TextSelectableByMouse


def maintenance_lines(pane: DetailPane) -> list[QLabel]:
    box = pane.findChild(QWidget, "maintenanceBox")
    assert box is not None
    return [child for child in box.findChildren(QLabel) if child.isVisibleTo(pane) and child.text()]


def test_maintenance_windows_show_for_liveperson_only(pane: DetailPane, demo: Demo) -> None:
    liveperson = demo.find(lambda d, _: d.row.customer.policy_id == "liveperson")
    pane.show_detail(liveperson, NOW, ZURICH)
    box = pane.findChild(QWidget, "maintenanceBox")
    assert box is not None and box.isVisibleTo(pane)
    lines = [line.text() for line in maintenance_lines(pane)]
    assert lines == [
        "Europe (z2.le.liveperson.net): Sun 22 Nov 06:00\u201310:00 GMT",
        "North America (z1.le.liveperson.net): Sun 22 Nov 03:00\u201307:00 EST",
        "APAC (z3.le.liveperson.net): Sun 22 Nov 21:00 \u2013 Mon 23 Nov 02:00 AEST",
    ]

    pane.show_detail(liveperson, SUNDAY, ZURICH)
    apac = next(line for line in maintenance_lines(pane) if line.text().startswith("APAC"))
    assert apac.text() == (
        "APAC (z3.le.liveperson.net): Sun 22 Nov 21:00 \u2013 Mon 23 Nov 02:00 AEST — in progress"
    )
    assert apac.property("inProgress") is True and apac.font().bold()

    zitadel = demo.find(lambda d, _: d.row.customer.policy_id == "zitadel")
    pane.show_detail(zitadel, NOW, ZURICH)
    assert not box.isVisibleTo(pane)


def test_a_maintenance_window_starts_on_tick(pane: DetailPane, demo: Demo) -> None:
    liveperson = demo.find(lambda d, _: d.row.customer.policy_id == "liveperson")
    start = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # 21:00 in Brisbane

    def apac() -> QLabel:
        return next(line for line in maintenance_lines(pane) if line.text().startswith("APAC"))

    pane.show_detail(liveperson, start - timedelta(minutes=30), ZURICH)
    # North America's window (08:00-12:00 UTC) is on; APAC's is next
    flags = [line.property("inProgress") for line in maintenance_lines(pane)]
    assert flags[0] is True and not any(flags[1:])
    first = apac()
    pane.tick(start - timedelta(seconds=1))
    assert apac() is first and not first.property("inProgress")
    pane.tick(start + timedelta(seconds=1))
    assert apac().text() == (
        "APAC (z3.le.liveperson.net): Sun 22 Nov 21:00 \u2013 Mon 23 Nov 02:00 AEST — in progress"
    )
    pane.tick(datetime(2026, 11, 22, 12, 0, 1, tzinfo=UTC))  # North America's ends
    active = [line.text() for line in maintenance_lines(pane) if line.property("inProgress")]
    assert active == [apac().text()]


def test_policy_readings_are_listed_with_their_clause(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(lambda d, _: d.row.customer.policy_id == "zitadel")
    policy = detail.row.policy
    pane.show_detail(detail, NOW, ZURICH)
    box = pane.findChild(QWidget, "readingsBox")
    toggle = pane.findChild(QToolButton, "readingsToggle")
    assert box is not None and toggle is not None
    readings = [r for r in box.findChildren(QLabel, "reading") if not r.isHidden()]
    assert len(readings) == len(policy.readings) > 0
    for shown, reading in zip(readings, policy.readings, strict=True):
        assert reading.topic in shown.text()
        assert reading.source.clause in shown.toolTip()
    assert not readings[0].isVisibleTo(pane)
    toggle.click()
    assert readings[0].isVisibleTo(pane)
    toggle.click()
    assert not readings[0].isVisibleTo(pane)

    other = demo.find(lambda d, _: d.row.customer.policy_id == "laioutr")
    pane.show_detail(other, NOW, ZURICH)
    shown = [r.text() for r in box.findChildren(QLabel, "reading") if not r.isHidden()]
    assert len(shown) == len(other.row.policy.readings)
    assert all(r.topic in t for r, t in zip(other.row.policy.readings, shown, strict=True))


def test_the_conversation_lists_events_oldest_first_in_words(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(
        lambda d, _: (
            d.row.customer.policy_id == "zitadel"
            and any(e.kind is EventKind.SEVERITY_CHANGED for e in d.events)
            and any(e.kind is EventKind.ASSIGNED for e in d.events)
        )
    )
    pane.show_detail(detail, NOW, ZURICH)
    lines = event_lines(pane)
    events = non_messages(detail)
    assert len(lines) == len(events)
    assert len(pane.conversation.entry_widgets()) == len(detail.events)  # messages as cards
    for line, event in zip(lines, events, strict=True):
        assert line.startswith(when(event.at, ZURICH) + " · ")

    created = detail.events[0]
    assert created.actor is None  # the demo's tickets come in by mail
    assert lines[0] == (
        f"{when(created.at, ZURICH)} · system (automated) · created: "
        f"S{created.data['severity']}; status open"
    )
    change = next(e for e in events if e.kind is EventKind.SEVERITY_CHANGED)
    assert change.actor is not None
    assert "customer_notified" not in change.data  # the demo's are older than that field
    assert lines[events.index(change)] == (
        f"{when(change.at, ZURICH)} · {demo.names[change.actor]} · severity changed: "
        f"S{change.data['from']} → S{change.data['to']}; reason: {change.data['reason']}"
    )
    assigned = next(e for e in events if e.kind is EventKind.ASSIGNED)
    assert lines[events.index(assigned)].endswith(
        f" · assigned: {demo.names[assigned.data['assignee']]}"
    )


def test_names_given_later_show_on_the_ticket_shown(qtbot: QtBot, demo: Demo) -> None:
    pane = DetailPane()  # no names yet: logins
    qtbot.addWidget(pane)
    detail = demo.find(
        lambda d, _: (
            d.row.ticket.assignee is not None
            and any(e.kind is EventKind.ASSIGNED and e.actor for e in d.events)
        )
    )
    pane.show_detail(detail, NOW, ZURICH)
    assignee = detail.row.ticket.assignee
    assert assignee is not None
    assert text(pane, "detailSubtitle").endswith(f" · {assignee}")
    events = non_messages(detail)
    assigned = next(e for e in events if e.kind is EventKind.ASSIGNED and e.actor)
    assert assigned.actor is not None
    line = event_lines(pane)[events.index(assigned)]
    assert f" · {assigned.actor} · assigned: {assigned.data['assignee']}" in line

    pane.set_agent_names(demo.names)
    assert text(pane, "detailSubtitle").endswith(f" · {demo.names[assignee]}")
    line = event_lines(pane)[events.index(assigned)]
    who, whom = demo.names[assigned.actor], demo.names[assigned.data["assignee"]]
    assert f" · {who} · assigned: {whom}" in line
    assert assigned.actor not in line


# --------------------------------------------------------------------------- ticking and looks


def test_ticking_reuses_every_widget(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(lambda _, cs: any(c.state is ClockState.RUNNING for c in cs))
    pane.show_detail(detail, NOW, ZURICH)
    before = pane.findChildren(QWidget)
    bars = {metric: bar(pane, metric) for metric in Metric}
    for second in range(1, 121):
        pane.tick(NOW + timedelta(seconds=second))
    assert pane.findChildren(QWidget) == before
    assert all(bar(pane, metric) is bars[metric] for metric in Metric)


def test_a_dark_palette_gets_lighter_state_colours(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(lambda _, cs: any(is_counting_breach(c) for c in cs))
    metric = next(c for c in detail.clocks(NOW) if is_counting_breach(c)).metric
    pane.show_detail(detail, NOW, ZURICH)
    light = highlight(bar(pane, metric))
    dark = QPalette(pane.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1f1f1f"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
    ):
        dark.setColor(role, QColor(colour))
    pane.setPalette(dark)
    red = highlight(bar(pane, metric))
    assert red != light and red.lightness() > light.lightness()
    assert red.red() > red.green() and red.red() > red.blue()
    assert red == StateColours.of(dark).breached


def test_the_pane_renders(pane: DetailPane, demo: Demo) -> None:
    detail = demo.find(
        lambda d, cs: (
            d.row.customer.policy_id == "liveperson"
            and d.row.ticket.severity == 1
            and any(c.metric is Metric.PERIODIC_UPDATE for c in cs)
        )
    )
    pane.show_detail(detail, SUNDAY, ZURICH)
    image = pane.grab()
    assert not image.isNull() and (image.width(), image.height()) == (480, 900)
    assert image.save(str(Path("/tmp/detail.png")))


def test_each_clock_explains_itself_when_asked(qtbot: QtBot, tmp_path: Path) -> None:
    """Under every clock of the ticket shown, "Why here?" opens its timeline: rows for the
    spans that counted and those that did not, from the clock code's own explanation."""
    from console.qt.clock_explanation import ClockExplanationView
    from console.services.explain import explain_ticket

    console = Console(qtbot, demo_database(tmp_path, tickets=120, seed=3), FakeTime(NOW))
    try:
        window = console.window
        row = next(r for r in window.model.rows if r.ticket.next_due_at is not None)
        window.select_key(row.key)
        console.settle()
        detail = window.detail
        assert detail is not None
        explained = explain_ticket(detail.book, detail.row.customer, detail.events, NOW)
        assert explained
        for explanation in explained:
            view = window.findChild(
                ClockExplanationView, f"clockExplanation_{explanation.metric.value}"
            )
            assert view is not None and not view.isHidden()
            assert not view.is_expanded()
            view.set_expanded(True)
            assert view.is_expanded()
    finally:
        console.close()
