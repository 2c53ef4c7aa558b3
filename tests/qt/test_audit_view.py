"""History (the audit view): its table model, the dialog's queries through a real dispatcher
on a demo database, answers, failures and superseded answers, and CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.domain.model import Agent, AuditFilter, EventKind, Role, TicketEvent
from console.domain.policy import load_policies
from console.qt.audit_view import (
    COL_ACTOR,
    COL_AT,
    COL_DETAILS,
    COL_KIND,
    COL_TICKET,
    DEBOUNCE_MS,
    HEADERS,
    ROW_ROLE,
    SORT_ROLE,
    AuditDialog,
    AuditTableModel,
    day_bounds,
)
from console.qt.dispatcher import Dispatcher, Pending
from console.services import views
from console.services.audit import AUDIT_LIMIT, CSV_COLUMNS, AuditRow
from console.services.event_text import event_words
from console.services.tickets import PolicyBook
from console.services.views import Agents, Audit, Query
from consoles import demo_database, settle

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")

AGENTS = [
    Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"),
    Agent("lee.park", "Lee Park", Role.LEAD, "APAC", "Asia/Seoul"),
    Agent("claire.dubois", "Claire Dubois", Role.LEAD, "EMEA", "Europe/Zurich"),
]


def event(kind: EventKind, minutes_ago: int, actor: str | None, **data: Any) -> TicketEvent:
    return TicketEvent(kind, NOW - timedelta(minutes=minutes_ago), data, actor)


def sample_rows() -> list[AuditRow]:
    """Newest first, as services.audit.load_audit returns them."""
    rows = [
        AuditRow("ZIT-10", event(EventKind.NOTE, 5, "ana.ortiz", text="Called, «ça marche»")),
        AuditRow(
            "ZIT-9",
            event(
                EventKind.SEVERITY_CHANGED,
                20,
                "lee.park",
                **{"from": 2, "to": 1, "reason": "Outage", "customer_notified": True},
            ),
        ),
        AuditRow("L0-3", event(EventKind.STATUS_CHANGED, 60, "ana.ortiz", status="on_hold")),
        AuditRow("ZIT-9", event(EventKind.ASSIGNED, 90, "claire.dubois", assignee="ana.ortiz")),
        AuditRow("L0-3", event(EventKind.ESCALATED, 200, None, urgent=True)),
        AuditRow("ZIT-10", event(EventKind.RESPONDED, 300, "ghost.user")),
        AuditRow("L0-3", event(EventKind.CREATED, 1440, None, severity=2)),
    ]
    assert [r.event.at for r in rows] == sorted((r.event.at for r in rows), reverse=True)
    return rows


def column(model: AuditTableModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


class RecordingDispatcher(Dispatcher):
    """A dispatcher that keeps the audit filters asked and the pending results handed out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[AuditFilter] = []
        self.pendings: list[Pending[Any]] = []

    def ask(self, query: Query[Any]) -> Pending[Any]:
        pending = super().ask(query)
        if isinstance(query, Audit):
            self.asked.append(query.filter)
            self.pendings.append(pending)
        return pending


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """60 demo tickets made at NOW: some 150 events in the last week, 300 in all."""
    return demo_database(tmp_path_factory.mktemp("audit"), tickets=60, seed=5)


@pytest.fixture
def dispatcher(demo_url: str) -> Iterator[RecordingDispatcher]:
    database = Database.open(demo_url)
    made = RecordingDispatcher(
        database, PolicyBook(load_policies()), FakeTime(NOW), actor="ana.ortiz"
    )
    yield made
    made.stop()
    database.dispose()


@pytest.fixture
def agents(dispatcher: Dispatcher) -> list[Agent]:
    return Agents().run(dispatcher.uow(write=False), dispatcher.book)


@pytest.fixture
def view(qtbot: QtBot, dispatcher: RecordingDispatcher, agents: list[Agent]) -> AuditDialog:
    """The dialog, its first answer shown."""
    made = AuditDialog(agents, ZURICH, dispatcher, now=lambda: NOW)
    qtbot.addWidget(made)
    settle(qtbot, dispatcher)
    return made


def stored(dispatcher: Dispatcher, audit_filter: AuditFilter) -> list[AuditRow]:
    """What the database holds for ``audit_filter``, read directly."""
    return list(Audit(audit_filter).run(dispatcher.uow(write=False), dispatcher.book).rows)


def wait_for_answer(qtbot: QtBot, view: AuditDialog, dispatcher: Dispatcher) -> None:
    qtbot.waitUntil(lambda: not view.timer.isActive(), timeout=2000)
    settle(qtbot, dispatcher)


# ---------------------------------------------------------------------- model


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = AuditTableModel(ZURICH, {a.name: a.display_name for a in AGENTS})
    qtmodeltester.check(model)  # empty
    model.set_rows(sample_rows())
    qtmodeltester.check(model)  # watches what follows as it happens
    for col in range(len(HEADERS)):
        model.sort(col, Qt.SortOrder.DescendingOrder)
        model.sort(col, Qt.SortOrder.AscendingOrder)
    model.set_zone(NEW_YORK)
    model.set_people({})
    model.set_rows(sample_rows()[:3])
    model.set_rows([])


def test_model_shows_zone_names_and_words() -> None:
    model = AuditTableModel(ZURICH)
    model.set_rows(sample_rows())
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == list(HEADERS)
    assert model.index(0, COL_AT).data() == "Fri 20 Nov 2026 15:25 CET"
    assert model.index(0, COL_AT).data(Qt.ItemDataRole.ToolTipRole) == (
        "Fri 20 Nov 2026 15:25:00 CET\nFri 20 Nov 2026 14:25:00 UTC"
    )
    assert model.index(0, COL_TICKET).data() == "ZIT-10"
    assert model.index(1, COL_KIND).data() == "severity changed"
    assert model.index(1, COL_DETAILS).data() == "S2 → S1; reason: Outage; customer notified"
    assert column(model, COL_ACTOR)[:2] == ["ana.ortiz", "lee.park"]  # no names known yet
    assert model.index(3, COL_DETAILS).data() == "ana.ortiz"

    model.set_people({a.name: a.display_name for a in AGENTS})
    actors = column(model, COL_ACTOR)
    assert actors == [
        "Ana Ortiz",
        "Lee Park",
        "Ana Ortiz",
        "Claire Dubois",
        "system (automated)",
        "ghost.user",  # not an agent any more: the login
        "system (automated)",
    ]
    assert model.index(1, COL_ACTOR).data(Qt.ItemDataRole.ToolTipRole) == "lee.park"
    assert model.index(5, COL_ACTOR).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(2, COL_DETAILS).data() == "on hold"  # a status in words
    assert model.index(3, COL_DETAILS).data() == "Ana Ortiz"  # the assignee by name
    assert model.index(4, COL_DETAILS).data() == "urgent"
    assert model.index(5, COL_DETAILS).data() == ""  # a response without text
    assert model.index(5, COL_DETAILS).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(6, COL_DETAILS).data() == "S2"
    assert model.index(0, COL_DETAILS).data(Qt.ItemDataRole.ToolTipRole) == ("Called, «ça marche»")
    assert model.index(4, COL_ACTOR).data(Qt.ItemDataRole.ForegroundRole) is not None

    model.set_zone(NEW_YORK)
    assert model.index(0, COL_AT).data() == "Fri 20 Nov 2026 09:25 EST"
    assert model.index(0, 0).data(ROW_ROLE) is model.rows[0]
    assert model.index(0, COL_AT).data(SORT_ROLE) == (NOW - timedelta(minutes=5)).timestamp()


def test_model_sorts_by_column_and_keeps_persistent_indexes() -> None:
    rows = sample_rows()
    model = AuditTableModel(ZURICH, {a.name: a.display_name for a in AGENTS})
    model.set_rows(rows)
    held = QPersistentModelIndex(model.index(1, COL_KIND))  # ZIT-9, severity changed
    model.sort(COL_TICKET, Qt.SortOrder.AscendingOrder)
    # ZIT-9 before ZIT-10 (numbers, not text); equal keys keep the given order, newest first.
    assert column(model, COL_TICKET) == ["L0-3"] * 3 + ["ZIT-9"] * 2 + ["ZIT-10"] * 2
    assert [r.event.kind for r in model.rows[:3]] == [
        EventKind.STATUS_CHANGED,
        EventKind.ESCALATED,
        EventKind.CREATED,
    ]
    assert held.isValid() and held.row() == 3 and held.data() == "severity changed"

    model.sort(COL_AT, Qt.SortOrder.AscendingOrder)
    assert list(model.rows) == rows[::-1]
    model.sort(COL_ACTOR, Qt.SortOrder.DescendingOrder)
    assert column(model, COL_ACTOR)[:2] == ["system (automated)"] * 2
    assert column(model, COL_ACTOR)[-1] == "Ana Ortiz"
    model.sort(-1)
    assert list(model.rows) == rows
    values = column(model, COL_TICKET, SORT_ROLE)
    assert values[1] < values[0]  # ZIT-9 sorts before ZIT-10 through the role as well
    assert not model.index(0, 0).parent().isValid()
    assert model.rowCount(model.index(0, 0)) == 0 and model.data(QModelIndex()) is None


# ---------------------------------------------------------------------- dialog


def test_first_query_is_the_last_week_in_the_agents_zone(
    qtbot: QtBot, dispatcher: RecordingDispatcher, agents: list[Agent]
) -> None:
    dialog = AuditDialog(agents, ZURICH, dispatcher, now=lambda: NOW)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "auditDialog"
    assert dialog.timer.objectName() == "auditQueryTimer"
    # Friday 20 November in Zurich: Saturday 14th 00:00 CET up to Saturday 21st 00:00 CET.
    last_week = AuditFilter(
        since=datetime(2026, 11, 13, 23, 0, tzinfo=UTC),
        until=datetime(2026, 11, 20, 23, 0, tzinfo=UTC),
    )
    assert dispatcher.asked == [last_week]  # at once, not after a pause
    assert dialog.count_label.text() == "Loading…"
    assert not dialog.export_button.isEnabled()

    settle(qtbot, dispatcher)
    rows = stored(dispatcher, last_week)
    assert len(rows) > 100
    assert list(dialog.model.rows) == rows
    assert dialog.count_label.text() == f"{len(rows)} events"
    assert dialog.export_button.isEnabled() and dialog.limit_label.isHidden()
    names = {a.name: a.display_name for a in agents}
    shown = dialog.table.model().index(0, COL_ACTOR).data()
    assert shown == event_words(rows[0].event, names).who


def test_filters_send_one_debounced_query(
    qtbot: QtBot, view: AuditDialog, dispatcher: RecordingDispatcher, agents: list[Agent]
) -> None:
    asked, someone = dispatcher.asked, agents[1].name
    qtbot.keyClicks(view.key_edit, "zit-9")  # five changes, one query
    assert len(asked) == 1 and view.timer.isActive()
    assert not view.export_button.isEnabled()  # the rows shown no longer match the filters
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    qtbot.wait(DEBOUNCE_MS + 100)
    assert len(asked) == 2
    assert asked[-1].key == "ZIT-9" and asked[-1].actor is None and asked[-1].kinds is None

    view.agent_combo.setCurrentIndex(view.agent_combo.findData(someone))
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(EventKind.SEVERITY_CHANGED.value))
    view.any_date.setChecked(True)
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=2000)
    assert asked[-1] == AuditFilter(
        key="ZIT-9", actor=someone, kinds=frozenset({EventKind.SEVERITY_CHANGED})
    )
    assert not view.from_edit.isEnabled() and not view.to_edit.isEnabled()

    view.agent_combo.setCurrentIndex(0)  # "Anyone"
    view.kind_combo.setCurrentIndex(0)  # "Any kind"
    assert view.agent_combo.currentText() == "Anyone"
    assert view.kind_combo.currentText() == "Any kind"
    qtbot.waitUntil(lambda: len(asked) == 4, timeout=2000)
    assert asked[-1] == AuditFilter(key="ZIT-9")
    view.refresh()  # a refresh asks at once, the same again
    assert len(asked) == 5 and asked[-1] == asked[-2]
    settle(qtbot, dispatcher)
    assert view.count_label.text() == "No events"


def test_answers_fill_the_table(
    qtbot: QtBot, view: AuditDialog, dispatcher: RecordingDispatcher
) -> None:
    key = view.model.rows[0].key
    view.key_edit.setText(key.lower())
    view.any_date.setChecked(True)
    wait_for_answer(qtbot, view, dispatcher)
    rows = stored(dispatcher, AuditFilter(key=key))
    assert dispatcher.asked[-1] == AuditFilter(key=key)
    assert list(view.model.rows) == rows and {r.key for r in rows} == {key}
    assert view.model.rowCount() == len(rows) == view.table.model().rowCount()
    assert view.count_label.text() == (f"{len(rows)} events" if len(rows) > 1 else "1 event")
    assert view.table.model().index(0, COL_TICKET).data() == key
    assert view.export_button.isEnabled()

    view.key_edit.setText("")
    assert not view.export_button.isEnabled()
    assert view.model.rowCount() == len(rows)  # kept until the answer arrives
    wait_for_answer(qtbot, view, dispatcher)
    assert view.model.rowCount() > len(rows) and view.export_button.isEnabled()


def test_a_superseded_answer_never_paints(
    qtbot: QtBot, view: AuditDialog, dispatcher: RecordingDispatcher
) -> None:
    keys = list(dict.fromkeys(r.key for r in view.model.rows))[:2]
    painted: list[set[str]] = []
    view.model.modelReset.connect(lambda: painted.append({r.key for r in view.model.rows}))

    view.key_edit.setText(keys[0])
    view.refresh()  # asks for the first ticket ...
    view.key_edit.setText(keys[1])
    view.refresh()  # ... and, before that answer is in, for the second
    settle(qtbot, dispatcher)

    older, newer = dispatcher.pendings[-2:]
    assert older.superseded and not older.done and newer.done
    assert painted == [{keys[1]}]
    assert view.count_label.text().endswith("events") or view.count_label.text() == "1 event"
    assert view.export_button.isEnabled()


def test_a_failing_query_shows_in_the_dialog(
    qtbot: QtBot,
    view: AuditDialog,
    dispatcher: RecordingDispatcher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> list[AuditRow]:
        raise ValueError("the events are being rebuilt")

    monkeypatch.setattr(views, "load_audit", refuse)
    view.refresh()
    settle(qtbot, dispatcher)
    assert view.count_label.text() == "Could not load the history: the events are being rebuilt"
    assert view.model.rowCount() == 0 and view.limit_label.isHidden()
    assert not view.export_button.isEnabled()

    monkeypatch.undo()
    view.refresh()
    settle(qtbot, dispatcher)
    assert view.model.rowCount() > 0 and view.count_label.text().endswith(" events")
    assert view.export_button.isEnabled()


def test_count_uses_separators_and_notes_the_limit(view: AuditDialog) -> None:
    row = view.model.rows[0]
    view.show_rows([row] * 1234)
    assert view.count_label.text() == "1,234 events"
    assert view.limit_label.isHidden()
    view.show_rows([row] * AUDIT_LIMIT)
    assert view.count_label.text() == "10,000 events"
    assert not view.limit_label.isHidden() and "10,000" in view.limit_label.text()
    view.show_rows([])
    assert view.count_label.text() == "No events" and view.limit_label.isHidden()
    assert not view.export_button.isEnabled()


def test_export_writes_the_rows_shown_as_csv(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    view: AuditDialog,
) -> None:
    view.table.sortByColumn(COL_TICKET, Qt.SortOrder.AscendingOrder)
    target = tmp_path / "audit.csv"
    offered: list[str] = []

    def save_as(*args: Any, **kwargs: Any) -> tuple[str, str]:
        offered.append(args[1])
        offered.append(args[2])
        return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)

    assert view.windowTitle() == "History"
    assert offered and offered[0] == "Export the history"
    assert offered[1].endswith("history_20261114-20261120.csv")
    with target.open(encoding="utf-8", newline="") as stream:
        lines = list(csv.reader(stream))
    rows = view.model.rows
    assert lines[0] == list(CSV_COLUMNS)
    assert len(lines) == 1 + len(rows)
    assert [line[1] for line in lines[1:]] == [r.key for r in rows]  # as shown
    for line, row in zip(lines[1:], rows, strict=True):
        words = event_words(row.event, view.model.people)
        assert line == [
            row.event.at.isoformat(),
            row.key,
            row.event.actor or "",
            words.who,
            row.event.kind.value,
            words.details,
        ]
    note = next(line for line in lines if line[4] == "note")
    assert note[3] in set(view.model.people.values()) and note[5]
    assert view.status_label.text() == f"Exported {len(rows)} events to audit.csv"


def test_export_cancelled_or_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: AuditDialog
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not view.export_csv() and view.status_label.text() == ""

    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a: warnings.append(text)
    )
    missing = tmp_path / "no such folder" / "audit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    assert not view.export_csv()
    assert view.status_label.text().startswith("Export failed: No such file or directory")
    assert len(warnings) == 1 and str(missing) in warnings[0]
    assert not missing.exists()


def test_double_click_names_the_ticket(qtbot: QtBot, view: AuditDialog) -> None:
    key = view.model.rows[2].key
    with qtbot.waitSignal(view.ticket_activated, timeout=1000) as signal:
        view.table.doubleClicked.emit(view.model.index(2, COL_KIND))
    assert signal.args == [key]


# ---------------------------------------------------------------------- days and zones


def test_day_bounds_around_the_dst_changes() -> None:
    # Sunday 25 October 2026 has 25 hours in Zurich (CEST -> CET at 03:00).
    since, until = day_bounds(date(2026, 10, 25), date(2026, 10, 25), ZURICH)
    assert since == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert until == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert until - since == timedelta(hours=25)
    # A week ending on that day: from CEST midnight to CET midnight.
    since, until = day_bounds(date(2026, 10, 19), date(2026, 10, 25), ZURICH)
    assert since == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    assert until - since == timedelta(days=7, hours=1)
    # Sunday 29 March 2026 has 23 hours (CET -> CEST at 02:00).
    since, until = day_bounds(date(2026, 3, 29), date(2026, 3, 29), ZURICH)
    assert (since, until - since) == (datetime(2026, 3, 28, 23, tzinfo=UTC), timedelta(hours=23))
    # Where midnight does not exist the day starts at the change: Santiago, 6 September 2026,
    # 00:00 -04 becomes 01:00 -03.
    santiago = ZoneInfo("America/Santiago")
    since, _ = day_bounds(date(2026, 9, 6), date(2026, 9, 6), santiago)
    assert since == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert since.astimezone(santiago).hour == 1
    assert day_bounds(date(2026, 1, 1), date(2026, 1, 1), UTC) == (
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 2, tzinfo=UTC),
    )


def test_dialog_days_become_utc_instants_across_dst(
    qtbot: QtBot, view: AuditDialog, dispatcher: RecordingDispatcher
) -> None:
    asked = dispatcher.asked
    view.set_days(date(2026, 10, 24), date(2026, 10, 25))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    assert asked[-1] == AuditFilter(
        since=datetime(2026, 10, 23, 22, 0, tzinfo=UTC),  # Sat 00:00 CEST
        until=datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # Mon 00:00 CET
    )
    for bound in (asked[-1].since, asked[-1].until):
        assert bound is not None and bound.tzinfo is UTC

    # A to-day before the from-day pulls the from-day along: never an empty range.
    view.to_edit.setDate(view.to_edit.date().addDays(-5))
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=2000)
    assert asked[-1].since == datetime(2026, 10, 19, 22, 0, tzinfo=UTC)  # Tue 20th 00:00 CEST
    assert asked[-1].until == datetime(2026, 10, 20, 22, 0, tzinfo=UTC)


def test_an_event_at_the_edges_of_the_range(
    qtbot: QtBot, view: AuditDialog, dispatcher: RecordingDispatcher
) -> None:
    """The range is [since, until): the first instant of the from-day is in, the first
    instant after the to-day is out (checked as the repository applies it)."""
    asked = dispatcher.asked
    view.set_days(date(2026, 10, 25), date(2026, 10, 25))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    wanted = asked[-1]
    assert wanted.since is not None and wanted.until is not None

    def inside(at: datetime) -> bool:
        return wanted.since <= at < wanted.until  # type: ignore[operator]

    assert inside(datetime(2026, 10, 25, 0, 0, tzinfo=ZURICH))
    assert inside(datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZURICH))  # the second 02:30
    assert inside(datetime(2026, 10, 25, 23, 59, 59, tzinfo=ZURICH))
    assert not inside(datetime(2026, 10, 26, 0, 0, tzinfo=ZURICH))
    assert not inside(datetime(2026, 10, 24, 23, 59, 59, tzinfo=ZURICH))
