"""The console window on a real database: loading, selecting, acting, live sync, offline."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import EventKind, Status
from console.domain.policy import load_policies
from console.domain.queue import ClockState
from console.qt import theme
from console.qt.dispatcher import Dispatcher
from console.qt.main_window import MainWindow
from console.qt.queue_model import COL_COUNTDOWN, ROW_ROLE
from console.qt.settings import ConsoleSettings
from console.services.offers import offered_actions
from console.services.tickets import PolicyBook
from consoles import Console, demo_database

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return demo_database(tmp_path, tickets=300, seed=2)


@pytest.fixture
def consoles(qtbot: QtBot, demo_url: str) -> Iterator[list[Console]]:
    made: list[Console] = []
    yield made
    for console in made:
        console.close()


def test_the_queue_loads_in_time_remaining_order(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    assert window.proxy.rowCount() == len(window.model.rows) > 0
    first = window.proxy.index(0, 0).data(ROW_ROLE)
    assert window.model.countdown_of(first).state is ClockState.BREACHED
    labels = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert any(text.startswith("All open  (") for text in labels)
    assert any(text.startswith("ZITADEL  (") for text in labels)
    assert "open" in window.count_label.text()


def test_selecting_a_row_fills_the_detail_pane(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    window.table.selectRow(0)
    console.settle()
    assert window.detail is not None and window.detail.row.key == window.selected_key()
    row = window.selected_rows()[0]
    me = window.agents[console.me]
    enabled = {name for name, action in window.ticket_actions.items() if action.isEnabled()}
    assert enabled == offered_actions(row, me.name, me.role)
    assert {"note", "respond"} <= enabled


def test_a_ticket_offers_only_the_actions_its_policy_has(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    """LivePerson has no escalation and no waiver; Laioutr has waivers; ZITADEL escalations;
    a lead may change severities, an agent not."""
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window

    def offered(prefix: str) -> set[str]:
        key = next(
            r.key
            for r in window.model.rows
            if r.key.startswith(prefix) and r.ticket.assignee in (None, console.me)
        )
        window.select_key(key)
        return {n for n, a in window.ticket_actions.items() if a.isEnabled()}

    assert not {"escalate", "waive", "severity"} & offered("LP-")
    assert "waive" in offered("LTR-")
    assert "escalate" in offered("ZIT-")
    lead = Console(qtbot, demo_url, FakeTime(NOW), me="claire.dubois")
    consoles.append(lead)
    key = next(r.key for r in lead.window.model.rows if r.key.startswith("ZIT-"))
    lead.window.select_key(key)
    assert lead.window.ticket_actions["severity"].isEnabled()


def test_the_countdown_moves_and_a_breach_counts_up(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    clock = FakeTime(NOW)
    console = Console(qtbot, demo_url, clock)
    consoles.append(console)
    window = console.window
    window.show()
    qtbot.waitExposed(window)
    running = next(
        r for r in window.model.rows if window.model.countdown_of(r).state is ClockState.RUNNING
    )
    window.select_key(running.key)
    position = window.model.row_of(running.key)
    assert position is not None
    index = window.model.index(position, COL_COUNTDOWN)
    before = index.data()
    clock.now = NOW + timedelta(seconds=30)
    window.tick()
    assert index.data() != before
    assert running.ticket.next_due_at is not None
    clock.now = running.ticket.next_due_at + timedelta(minutes=2)
    window.tick()
    assert "overdue" in index.data()


def test_taking_a_ticket_through_the_ui_writes_an_event(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    window.select_key(next(r.key for r in window.model.rows if r.ticket.assignee is None))
    key = window.selected_key()
    assert key is not None
    window.ticket_actions["take"].trigger()
    console.settle()
    with SqlUnitOfWork(console.database, write=False) as uow:
        ticket = uow.tickets.get(key)
    assert ticket.assignee == console.me
    assert ticket.events[-1].kind is EventKind.ASSIGNED and ticket.events[-1].actor == console.me


@pytest.mark.parametrize(
    ("action", "kind", "answers"),
    [  # Record response and Send update lead to the composer (tests/qt/test_conversation.py)
        ("status_awaiting_customer", EventKind.STATUS_CHANGED, {}),
        ("escalate", EventKind.ESCALATED, {"getItem": ("Urgent", True)}),
        ("rca", EventKind.RCA_DELIVERED, {}),
        ("note", EventKind.NOTE, {"getMultiLineText": ("Called the customer", True)}),
    ],
)
def test_actions_through_the_ui_write_the_right_events(
    qtbot: QtBot,
    demo_url: str,
    consoles: list[Console],
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    kind: EventKind,
    answers: dict[str, tuple[str, bool]],
) -> None:
    from PySide6.QtWidgets import QInputDialog

    for name, answer in answers.items():
        monkeypatch.setattr(QInputDialog, name, staticmethod(lambda *a, answer=answer, **k: answer))
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    me = window.agents[console.me]
    key = next(
        r.key
        for r in window.model.rows
        if r.ticket.status is Status.OPEN
        and (action.startswith("status_") or action in offered_actions(r, me.name, me.role))
    )
    window.select_key(key)
    trigger = (
        window.findChild(QAction, f"action_{action}")
        if action.startswith("status_")
        else window.ticket_actions[action]
    )
    assert trigger is not None
    trigger.trigger()
    console.settle()
    with SqlUnitOfWork(console.database, write=False) as uow:
        last = uow.tickets.get(key).events[-1]
    assert last.kind is kind and last.actor == console.me
    if kind is EventKind.ESCALATED:
        assert last.data["urgent"] is True
    if kind is EventKind.STATUS_CHANGED:
        assert last.data["status"] == "awaiting_customer"
    if kind is EventKind.NOTE:
        assert last.data["text"] == "Called the customer"


def test_a_waiver_needs_a_reason_and_is_recorded(
    qtbot: QtBot, demo_url: str, consoles: list[Console], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    me = console.window.dispatcher.actor
    key = next(  # an agent waives only its own ticket or nobody's
        r.key
        for r in window.model.rows
        if r.key.startswith("LTR-") and not r.ticket.waivers and r.ticket.assignee in (None, me)
    )
    window.select_key(key)
    name = window.model.rows[window.model.row_of(key)].policy.waivers[0].name  # type: ignore[index]
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (name, True)))
    monkeypatch.setattr(
        QInputDialog,
        "getText",
        staticmethod(lambda *a, **k: ("Outage already on the status page", True)),
    )
    window.ticket_actions["waive"].trigger()
    console.settle()
    with SqlUnitOfWork(console.database, write=False) as uow:
        ticket = uow.tickets.get(key)
    assert ticket.events[-1].kind is EventKind.WAIVED
    assert ticket.events[-1].data["reason"] == "Outage already on the status page"
    assert ticket.waivers


def test_a_stale_write_shows_both_versions(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    me = window.agents[console.me]
    key = [r.key for r in window.model.rows if "rca" in offered_actions(r, me.name, me.role)][3]
    window.select_key(key)
    with SqlUnitOfWork(console.database) as uow:  # someone else, meanwhile
        ticket = uow.tickets.get(key, with_events=False)
        uow.tickets.update(key, ticket.version, status=Status.ON_HOLD)
        uow.commit()
    window.ticket_actions["rca"].trigger()
    console.settle()
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "conflictDialog") is not None, timeout=5_000
    )
    box = window.findChild(QMessageBox, "conflictDialog")
    assert box is not None
    shown = f"{box.text()}\n{box.informativeText()}"
    assert "changed by someone else" in shown and "status: open → on hold" in shown
    # Retrying sends the same command on the new version, and it lands.
    retry = next(b for b in box.buttons() if b.text() == "Retry on the new version")
    retry.click()
    console.settle()
    with SqlUnitOfWork(console.database, write=False) as uow:
        ticket = uow.tickets.get(key)
    assert ticket.events[-1].kind is EventKind.RCA_DELIVERED
    assert ticket.events[-1].actor == console.me


def test_two_consoles_see_each_others_changes(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    first = Console(qtbot, demo_url, FakeTime(NOW))
    second = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.extend([first, second])
    second.dispatcher.start_following()
    qtbot.wait(300)
    me = first.window.agents[first.me]
    row = next(r for r in first.window.model.rows if "rca" in offered_actions(r, me.name, me.role))
    first.window.select_key(row.key)
    with qtbot.waitSignal(second.dispatcher.feedUpdated, timeout=10_000):
        first.window.ticket_actions["rca"].trigger()
    qtbot.waitUntil(
        lambda: (
            (position := second.window.model.row_of(row.key)) is None
            or second.window.model.rows[position].ticket.version > row.ticket.version
        ),
        timeout=5_000,
    )


def test_screenshot_command(demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "queue.png"
    result = subprocess.run(
        [sys.executable, "-m", "console", "--db", demo_url, "--screenshot", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={
            **__import__("os").environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 10_000
    assert QApplication.instance() is not None


def test_saved_searches_survive_a_restart(qtbot: QtBot, demo_url: str, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from console.qt.settings import SettingsStore

    store = SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    clock = FakeTime(NOW)
    windows = []
    for _ in range(2):
        database = Database.open(demo_url)
        backend = Dispatcher(database, PolicyBook(load_policies()), clock)
        window = MainWindow(
            backend, ConsoleSettings(display_zone="UTC"), clock, settings_store=store
        )
        qtbot.addWidget(window)
        windows.append((window, backend, database))
    first, second = windows[0][0], windows[1][0]
    first.search.setText("login")
    first.findChild(QPushButton, "saveSearch").click()
    third_backend = Dispatcher(windows[0][2], PolicyBook(load_policies()), clock)
    third = MainWindow(
        third_backend, ConsoleSettings(display_zone="UTC"), clock, settings_store=store
    )
    qtbot.addWidget(third)
    assert third.saved_searches() == ["login"]
    assert second.saved_searches() == []  # opened before the search was saved
    for window, backend, database in windows:
        window.close()
        backend.stop()
        database.dispose()
    third.close()
    third_backend.stop()


def test_history_and_calendars_open_with_data_from_the_backend(
    qtbot: QtBot, demo_url: str, consoles: list[Console], monkeypatch: pytest.MonkeyPatch
) -> None:
    """History lists events the backend loads; Calendars shows the stored company holiday
    period and counts due instants an edit would move."""
    from PySide6.QtWidgets import QTableView

    from console.domain.policy import CompanyPeriod
    from console.qt.audit_view import AuditDialog
    from console.qt.calendars_view import CalendarsDialog
    from console.services.views import HolidayMoves

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    seen: dict[str, object] = {}

    def history_exec(dialog: AuditDialog) -> int:
        table = dialog.findChild(QTableView, "auditTable")
        assert table is not None
        dialog.findChild(QCheckBox, "auditAnyDate").setChecked(True)
        qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=10_000)
        seen["events"] = table.model().rowCount()
        seen["title"] = dialog.windowTitle()
        return 0

    monkeypatch.setattr(AuditDialog, "exec", history_exec)
    history = window.findChild(QAction, "action_history")
    history.trigger()
    assert isinstance(seen["events"], int) and seen["events"] > 300
    # One name: the menu item opens a window of the same name.
    assert seen["title"] == history.text().removesuffix("\u2026") == "History"

    def calendars_exec(dialog: CalendarsDialog) -> int:
        dialog.select_policy("laioutr")
        qtbot.waitUntil(lambda: bool(dialog.staged_periods("laioutr")), timeout=10_000)
        seen["periods"] = dialog.staged_periods("laioutr")
        period = CompanyPeriod(NOW.date(), NOW.date(), "Offsite")
        pending = console.dispatcher.ask(HolidayMoves("laioutr", (period,)))
        with qtbot.waitSignal(pending.finished, timeout=10_000) as counted:
            pass
        seen["moved"] = counted.args[0]
        return 0

    monkeypatch.setattr(CalendarsDialog, "exec", calendars_exec)
    window.findChild(QAction, "action_calendars").trigger()
    assert seen["periods"] and isinstance(seen["moved"], int)


def test_the_sla_report_opens_with_figures_from_the_backend(
    qtbot: QtBot, demo_url: str, consoles: list[Console], monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.qt.report_view import ReportDialog

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    seen: dict[str, object] = {}

    def report_exec(dialog: ReportDialog) -> int:
        qtbot.waitUntil(lambda: bool(dialog.model.lines), timeout=15_000)
        seen["lines"] = list(dialog.model.lines)
        return 0

    monkeypatch.setattr(ReportDialog, "exec", report_exec)
    console.window.findChild(QAction, "action_report").trigger()
    lines = seen["lines"]
    assert isinstance(lines, list) and lines
    assert sum(line.met + line.breached + line.pending for line in lines) > 0


def test_every_queue_count_equals_the_rows_it_shows(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    """The sidebar's counts are kept row by row, not by filtering: after the load and after
    events arrive (taken, unassigned, paused, resolved), each queue's count is the number of
    rows it shows."""
    from dataclasses import replace

    from console.domain.model import QueueGroup
    from console.qt.sidebar import QUEUE_ROLE

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window

    def check() -> None:
        for i in range(window.sidebar.count()):
            item = window.sidebar.item(i)
            if item.data(QUEUE_ROLE) is None:
                continue  # a heading
            window.sidebar.setCurrentRow(i)
            label = item.text()
            if "(" in label:
                count = int(label.rsplit("(", 1)[1].rstrip(")").replace(",", ""))
                assert count == window.proxy.rowCount(), label

    check()
    rows = window.model.rows
    mine = next(r for r in rows if r.ticket.assignee == console.me)
    free = next(r for r in rows if r.ticket.assignee is None)
    running = next(r for r in rows if r.ticket.summary.kind is QueueGroup.DUE and r.ticket.assignee)
    paused_clock = replace(running.ticket.summary, kind=QueueGroup.PAUSED)
    window.apply_changes(
        [
            replace(mine, ticket=replace(mine.ticket, assignee=None, version=99)),
            replace(free, ticket=replace(free.ticket, assignee=console.me, version=99)),
            replace(
                running,
                ticket=replace(
                    running.ticket,
                    status=Status.AWAITING_CUSTOMER,
                    summary=paused_clock,
                    next_due_at=None,
                    version=99,
                ),
            ),
        ],
        [rows[-1].key],
    )
    window.tick()
    check()


def test_the_ticket_one_acted_on_stays_in_view_until_one_moves_on(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    """Taken from "Unassigned" with T, a ticket no longer belongs there: it stays selected,
    shown dimmed, and the detail pane keeps it; once another ticket is selected it leaves."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from console.services.queues import QUEUE_UNASSIGNED

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    window.sidebar.select(QUEUE_UNASSIGNED)
    assert window.proxy.rowCount() >= 2
    window.table.selectRow(0)
    key = window.selected_key()
    assert key is not None
    console.dispatcher.start_following()
    window.ticket_actions["take"].trigger()
    console.settle()
    position = window.model.row_of(key)
    assert position is not None
    qtbot.waitUntil(
        lambda: window.model.rows[position].ticket.assignee == console.me, timeout=20_000
    )
    assert window.selected_key() == key  # still selected, still shown
    index = window.proxy.mapFromSource(window.model.index(position, 0))
    assert index.isValid()
    grey = index.data(Qt.ItemDataRole.ForegroundRole)
    assert grey == theme.colours().quiet  # dimmed: it left the queue
    console.settle()
    assert window.detail is not None and window.detail.row.key == key

    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Down)  # move on
    assert window.selected_key() != key
    assert not window.proxy.mapFromSource(window.model.index(position, 0)).isValid()


def test_rca_delivered_says_which_clock_it_stops_and_asks_once(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    """On a ticket whose preliminary RCA clock runs, "RCA delivered" names the clock it
    stops and asks; Cancel writes nothing, confirming writes the event."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from console.domain.model import Metric
    from console.domain.sla import ClockState

    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    me = window.agents[console.me]
    for row in window.model.rows:
        if "rca" not in offered_actions(row, me.name, me.role):
            continue
        window.select_key(row.key)
        console.settle()
        detail = window.detail
        assert detail is not None
        if any(
            c.metric is Metric.PRELIMINARY_RCA
            and c.state in (ClockState.RUNNING, ClockState.WAITING, ClockState.PAUSED)
            for c in detail.clocks(NOW)
        ):
            break
    else:
        pytest.fail("no demo ticket with a counting RCA clock")
    key = row.key
    events_before = len(detail.events)
    said: list[str] = []

    def answer(cancel: bool) -> None:
        def handle() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(10, handle)
                return
            said.append(box.text())
            button = (
                box.button(QMessageBox.StandardButton.Cancel)
                if cancel
                else next(b for b in box.buttons() if b.text() == "RCA delivered")
            )
            button.click()

        QTimer.singleShot(0, handle)

    answer(cancel=True)
    window.ticket_actions["rca"].trigger()
    console.settle()
    assert "Stops Preliminary RCA" in said[0]
    with SqlUnitOfWork(console.database, write=False) as uow:
        assert len(uow.tickets.get(key).events) == events_before
    answer(cancel=False)
    window.ticket_actions["rca"].trigger()
    console.settle()
    with SqlUnitOfWork(console.database, write=False) as uow:
        assert uow.tickets.get(key).events[-1].kind is EventKind.RCA_DELIVERED
