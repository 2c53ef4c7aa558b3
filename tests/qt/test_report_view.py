"""The SLA report view: its table model and chart, and the dialog asking a real dispatcher on
a demo database: the days it asks for, failures, live refreshes without flicker, stale
answers, and CSV export."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.cli_errors import log_file
from console.domain.model import Metric
from console.qt import theme
from console.qt.report_chart import SuccessChart
from console.qt.report_view import (
    COL_BREACHED,
    COL_MEDIAN,
    COL_MET,
    COL_METRIC,
    COL_P90,
    COL_PENDING,
    COL_PLAN,
    COL_SEVERITY,
    COL_SUCCESS,
    COL_VENDOR,
    LINE_ROLE,
    SORT_ROLE,
    ReportDialog,
    ReportTableModel,
)
from console.services.report import CSV_COLUMNS, ReportLine
from console.services.report_chart import ChartBar
from console.services.report_table import HEADERS, Figures, Tone
from console.services.views import Query, Report
from consoles import demo_database, settle
from dialog_backend import Backend

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
LAST_30_DAYS = (datetime(2026, 10, 21, 22, tzinfo=UTC), datetime(2026, 11, 20, 23, tzinfo=UTC))


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def report_line(vendor: str, plan: str, severity: int, metric: Metric, **counts: Any) -> ReportLine:
    values: dict[str, Any] = {
        "policy_id": vendor.casefold(),
        "vendor": vendor,
        "plan": plan,
        "severity": severity,
        "severity_name": f"Severity {severity}",
        "metric": metric,
        "met": 0,
        "breached": 0,
        **counts,
    }
    return ReportLine(**values)


def sample_lines() -> list[ReportLine]:
    """In the service's order: vendor, plan, severity, metric."""
    ir, pu = Metric.INITIAL_RESPONSE, Metric.PERIODIC_UPDATE
    return [
        report_line(
            "Layer0",
            "enterprise",
            1,
            ir,
            met=16,
            breached=1,
            pending=2,
            median_first_response=minutes(12),
            p90_first_response=minutes(117),
        ),
        report_line("LivePerson", "standard", 1, ir, met=19, breached=1),  # exactly 95 %
        report_line("LivePerson", "standard", 1, pu, met=4, breached=1),  # 80 %: amber
        report_line("LivePerson", "standard", 2, pu, pending=3),  # nothing decided
        report_line(
            "ZITADEL",
            "premium-partner",
            2,
            ir,
            met=3,
            breached=2,
            median_first_response=timedelta(days=1, hours=2),
            p90_first_response=timedelta(days=2, hours=4),
            credit_days=5,
        ),
    ]


def column(model: ReportTableModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def line_key(line: ReportLine) -> tuple[str, str, int, Metric]:
    return (line.policy_id, line.plan, line.severity, line.metric)


def plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return demo_database(tmp_path_factory.mktemp("report"), tickets=300, seed=7)


@pytest.fixture
def backend(qtbot: QtBot, demo_url: str) -> Iterator[Backend]:
    made = Backend(demo_url, FakeTime(NOW))
    yield made
    made.close()


@pytest.fixture
def asked(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> list[Query[Any]]:
    """Every query the dialog asks the dispatcher."""
    queries: list[Query[Any]] = []
    ask = backend.dispatcher.ask

    def spy(query: Query[Any]) -> Any:
        queries.append(query)
        return ask(query)

    monkeypatch.setattr(backend.dispatcher, "ask", spy)
    return queries


def open_report(qtbot: QtBot, backend: Backend) -> ReportDialog:
    view = ReportDialog(ZURICH, backend.dispatcher, now=backend.clock)
    qtbot.addWidget(view)
    settle(qtbot, backend.dispatcher)
    return view


# ---------------------------------------------------------------------- model


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = ReportTableModel()
    qtmodeltester.check(model)  # empty
    model.set_lines(sample_lines())
    qtmodeltester.check(model)  # watches what follows as it happens
    for col in range(len(HEADERS)):
        model.sort(col, Qt.SortOrder.DescendingOrder)
        model.sort(col, Qt.SortOrder.AscendingOrder)
    model.sort(-1)
    model.set_lines(sample_lines()[:2])
    model.set_lines([])


def test_model_shows_the_report_line_columns() -> None:
    model = ReportTableModel()
    model.set_lines(sample_lines())
    assert model.columnCount() == len(HEADERS) == 11
    assert model.headerData(COL_SUCCESS, Qt.Orientation.Horizontal) == "Success"
    tip = model.headerData(COL_PENDING, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Clocks still running")
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first == [
        "Layer0",
        "Enterprise",
        "Severity 1",
        "Initial response",
        "16",
        "1",
        "2",
        "94.1 %",  # 16 / 17 = 94.117…
        "12m",
        "1h 57m",
        "0",
    ]
    assert column(model, COL_SUCCESS) == ["94.1 %", "95.0 %", "80.0 %", "—", "60.0 %"]
    assert column(model, COL_PLAN)[-1] == "Premium partner"
    assert column(model, COL_METRIC)[2] == "Periodic update"
    assert column(model, COL_MEDIAN)[1:] == ["—", "—", "—", "1d 2h"]
    assert column(model, COL_P90)[-1] == "2d 4h"
    scheme = theme.colours()
    good, fair, poor = (scheme.tone(tone) for tone in (Tone.GOOD, Tone.FAIR, Tone.POOR))
    assert column(model, COL_SUCCESS, Qt.ItemDataRole.ForegroundRole)[:3] == [fair, good, fair]
    assert model.index(4, COL_SUCCESS).data(Qt.ItemDataRole.ForegroundRole) == poor
    assert model.index(0, COL_BREACHED).data(Qt.ItemDataRole.ForegroundRole) == poor
    assert model.index(1, COL_PENDING).data(Qt.ItemDataRole.ForegroundRole) is not None  # a 0
    assert model.index(0, COL_PENDING).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, COL_SUCCESS).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, COL_MET).data(Qt.ItemDataRole.FontRole) is None
    tip = model.index(0, COL_SUCCESS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "16 met of 17 decided (1 breached); 2 pending"
    assert model.index(0, COL_MEDIAN).data(Qt.ItemDataRole.ToolTipRole) == (
        "Wall-clock time from submission to the first response: 12m 00s"
    )
    assert model.index(0, COL_SEVERITY).data(Qt.ItemDataRole.ToolTipRole) == (
        "Severity 1: Severity 1"
    )
    assert model.index(0, 0).data(LINE_ROLE) is model.lines[0]
    alignment = model.index(0, COL_MET).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert model.index(0, COL_VENDOR).data(Qt.ItemDataRole.UserRole + 99) is None


def test_model_sorts_by_success_and_back() -> None:
    model = ReportTableModel()
    model.set_lines(sample_lines())
    model.sort(COL_SUCCESS, Qt.SortOrder.DescendingOrder)
    assert column(model, COL_SUCCESS) == ["95.0 %", "94.1 %", "80.0 %", "60.0 %", "—"]
    model.sort(COL_PENDING)
    assert column(model, COL_PENDING, SORT_ROLE) == [0.0, 0.0, 0.0, 2.0, 3.0]
    model.sort(COL_VENDOR)
    assert [line.vendor for line in model.lines][:2] == ["Layer0", "LivePerson"]
    model.sort(-1)
    assert list(model.lines) == sample_lines()
    model.sort(COL_MET, Qt.SortOrder.DescendingOrder)
    model.set_lines(sample_lines())  # new lines keep the chosen order
    assert column(model, COL_MET) == ["19", "16", "4", "3", "0"]


# ---------------------------------------------------------------------- chart


def test_chart_is_drawn_per_policy_and_metric(qtbot: QtBot) -> None:
    chart = SuccessChart()
    qtbot.addWidget(chart)
    chart.set_lines(sample_lines())
    assert chart.bars == (
        ChartBar("Layer0 · Initial response", 16, 1, 2),
        ChartBar("LivePerson · Initial response", 19, 1, 0),
        ChartBar("LivePerson · Periodic update", 4, 1, 3),  # two lines, one has none decided
        ChartBar("ZITADEL · Initial response", 3, 2, 0),
    )
    assert [bar.value_text for bar in chart.bars] == ["94.1 %", "95.0 %", "80.0 %", "60.0 %"]
    assert chart.message == ""
    assert "LivePerson · Initial response: 95.0 %" in chart.accessibleDescription()

    chart.resize(900, chart.sizeHint().height())
    chart.show()
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    assert not image.isNull()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    bars = theme.colours(chart.palette()).bars
    assert {bars[tone].name() for tone in (Tone.GOOD, Tone.FAIR, Tone.POOR)} <= colours

    # Hovering a bar's row names it and its counts.
    first_row = chart.hit_areas[0][0]
    assert chart.bar_at(first_row.center()) == chart.bars[0]
    assert chart.bar_at(QPoint(-5, -5)) is None
    assert "16 met of 17 decided" in chart.bars[0].tooltip

    chart.set_lines([])
    assert len(chart.bars) == 0 and "No clock" in chart.message


def test_a_line_with_nothing_decided_gets_no_bar_colour(qtbot: QtBot) -> None:
    chart = SuccessChart()
    qtbot.addWidget(chart)
    pending = report_line("Moboom", "premium-partner", 1, Metric.INITIAL_RESPONSE, pending=4)
    chart.set_lines([pending])
    (bar,) = chart.bars
    assert bar.tone is None and bar.percent is None
    assert bar.value_text == "none decided · 4 pending"
    chart.resize(600, 200)
    assert not chart.grab().isNull()  # paints its text without a bar


# ---------------------------------------------------------------------- the dialog


def test_opens_on_the_last_30_days_and_shows_their_report(
    qtbot: QtBot, backend: Backend, asked: list[Query[Any]]
) -> None:
    view = open_report(qtbot, backend)
    assert view.objectName() == "reportDialog"
    assert view.from_edit.date().toPython() == date(2026, 10, 22)
    assert view.to_edit.date().toPython() == date(2026, 11, 20)
    # 22 October is still summer time in Zurich (UTC+2); 21 November is winter time (UTC+1).
    assert asked == [Report(*LAST_30_DAYS)]
    expected = backend.read(Report(*LAST_30_DAYS))
    assert view.report == expected
    assert list(view.model.lines) == list(expected.lines) and expected.lines
    assert view.chart.bars and view.export_button.isEnabled()
    figures = Figures.of(expected.lines)
    summary = plain(view.summary_label.text())
    assert summary.startswith(f"Success {figures.success_text} · {figures.met:,} met · ")
    assert summary.endswith("· clocks as of 15:30 CET")


def test_changing_the_days_asks_once(
    qtbot: QtBot, backend: Backend, asked: list[Query[Any]]
) -> None:
    view = open_report(qtbot, backend)
    view.from_edit.setDate(view.from_edit.date().addDays(1))
    view.from_edit.setDate(view.from_edit.date().addDays(1))
    view.to_edit.setDate(view.to_edit.date().addDays(-1))
    assert not view.export_button.isEnabled()  # the lines shown are of other days now
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    qtbot.wait(300)
    assert len(asked) == 2  # the three changes went as one query
    assert asked[-1] == Report(
        datetime(2026, 10, 23, 22, tzinfo=UTC), datetime(2026, 11, 19, 23, tzinfo=UTC)
    )
    settle(qtbot, backend.dispatcher)
    assert view.report == backend.read(asked[-1]) and view.export_button.isEnabled()
    # A "to" before "from" moves "from" along: a single day.
    view.to_edit.setDate(view.from_edit.date().addDays(-3))
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=2000)
    query = asked[-1]
    assert isinstance(query, Report) and query.until - query.since == timedelta(days=1)


@pytest.mark.allow_log("Report failed", logger="console.qt.dispatcher")
def test_a_failing_report_query_shows_in_the_dialog(
    qtbot: QtBot, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_report(qtbot, backend)
    assert view.model.rowCount() > 0

    def broken(*args: object) -> list[ReportLine]:
        raise RuntimeError("disk I/O <error>")

    monkeypatch.setattr("console.services.views.sla_report", broken)
    view.refresh()
    settle(qtbot, backend.dispatcher)
    assert plain(view.summary_label.text()) == (
        "Could not compute the report: Report failed: disk I/O &lt;error&gt;. "
        f"The details are in {log_file()}"
    )
    assert view.model.rowCount() == 0 and view.report is None
    assert view.chart.message == "No report"
    assert not view.export_button.isEnabled()

    monkeypatch.undo()  # the database is back: the next refresh shows the figures again
    view.refresh()
    assert view.chart.message == "Loading…"
    settle(qtbot, backend.dispatcher)
    assert view.model.rowCount() > 0 and view.export_button.isEnabled()


def test_refresh_asks_the_same_days_again_and_shows_the_new_figures_without_flicker(
    qtbot: QtBot, backend: Backend, asked: list[Query[Any]]
) -> None:
    """The window refreshes an open report when other consoles change tickets: the figures
    shown stay (and the reader's selection and place) until the new ones replace them."""
    view = open_report(qtbot, backend)
    view.resize(1280, 780)
    before = list(view.model.lines)
    bars = view.chart.bars
    view.table.selectRow(3)
    chosen = view.model.lines[3]
    summaries: list[str] = []
    resets: list[list[ReportLine]] = []
    view.model.modelReset.connect(lambda: resets.append(list(view.model.lines)))

    backend.clock.now = NOW + timedelta(days=3)  # pending clocks breach meanwhile
    view.refresh()
    summaries.append(view.summary_label.text())
    assert asked == [Report(*LAST_30_DAYS)] * 2
    assert list(view.model.lines) == before and view.chart.bars == bars  # nothing blanked
    assert "Computing" not in summaries[0] and view.export_button.isEnabled()

    settle(qtbot, backend.dispatcher)
    after = backend.read(Report(*LAST_30_DAYS))
    assert resets == [list(after.lines)]  # one change, straight to the new figures
    assert Figures.of(after.lines).breached > Figures.of(before).breached
    assert list(view.model.lines) == list(after.lines)
    assert view.summary_label.text() != summaries[0]
    selected = view.table.selectionModel().selectedRows()
    assert [line_key(view.model.lines[i.row()]) for i in selected] == [line_key(chosen)]


def test_a_stale_answer_never_paints(
    qtbot: QtBot, backend: Backend, asked: list[Query[Any]]
) -> None:
    """Asked twice quickly, the dialog shows only the second answer, even when the first was
    computed first."""
    view = open_report(qtbot, backend)
    shown: list[list[ReportLine]] = []
    view.model.modelReset.connect(lambda: shown.append(list(view.model.lines)))
    view.set_days(date(2026, 11, 19), date(2026, 11, 19))
    view.refresh()
    time.sleep(0.5)  # the first answer is ready, not yet handed over
    view.set_days(date(2026, 11, 1), date(2026, 11, 15))
    view.refresh()
    first, second = asked[-2:]
    assert backend.read(first).lines != backend.read(second).lines

    settle(qtbot, backend.dispatcher)
    assert shown == [list(backend.read(second).lines)]
    assert view.report == backend.read(second)


def test_export_writes_the_lines_shown(
    qtbot: QtBot, backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_report(qtbot, backend)
    view.table.sortByColumn(COL_SUCCESS, Qt.SortOrder.DescendingOrder)
    shown = list(view.model.lines)
    target = tmp_path / "report.csv"
    offered: list[str] = []

    def save_name(*args: Any, **kwargs: Any) -> tuple[str, str]:
        offered.append(args[2])
        return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert offered[0].endswith("sla_report_20261022-20261120.csv")
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0]) == CSV_COLUMNS
    keys = [
        (row[CSV_COLUMNS.index("policy")], row[CSV_COLUMNS.index("plan")], int(row[3]), row[5])
        for row in rows[1:]
    ]
    assert keys == [(x.policy_id, x.plan, x.severity, x.metric.value) for x in shown]
    noun = "line" if len(shown) == 1 else "lines"
    assert view.status_label.text() == f"Exported {len(shown)} {noun} to report.csv"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not view.export_csv()  # cancelled

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path), ""))
    assert not view.export_csv()  # a directory: the error is shown, nothing raised
    assert warnings and view.status_label.text().startswith("Export failed")


def test_tickets_computed_from_their_histories_show_progress(qtbot: QtBot, tmp_path: Path) -> None:
    """Without stored outcomes (a database from before they were kept) every ticket is
    computed from its history: the bar is busy at once, then counts the tickets, and goes
    when the figures come; they are those of the stored outcomes."""
    from sqlalchemy import create_engine

    url = demo_database(tmp_path, tickets=1_500, seed=3)
    first = Backend(url, FakeTime(NOW))
    try:
        expected = first.read(Report(*LAST_30_DAYS))
    finally:
        first.close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM clock_outcomes")
        connection.exec_driver_sql("UPDATE tickets SET outcomes_at = NULL")
    engine.dispose()
    backend = Backend(url, FakeTime(NOW))
    try:
        view = ReportDialog(ZURICH, backend.dispatcher, now=backend.clock)
        qtbot.addWidget(view)
        steps: list[tuple[int, int]] = []
        view._relay.advanced.connect(lambda done, total: steps.append((done, total)))
        assert not view.progress_bar.isHidden()
        assert view.progress_bar.maximum() == 0  # busy before the first count
        settle(qtbot, backend.dispatcher)
        assert view.report == expected
        assert len(steps) >= 2
        total = steps[-1][1]
        assert steps[-1] == (total, total) and total > 1_000
        assert [done for done, _ in steps] == sorted(done for done, _ in steps)
        assert view.progress_bar.isHidden()
    finally:
        backend.close()


def test_the_progress_bar_is_wide_enough_for_its_text(qtbot: QtBot, backend: Backend) -> None:
    view = open_report(qtbot, backend)
    view._advanced(99_999, 100_000)
    text = view.progress_bar.text()
    assert text == "99999 of 100000 tickets"
    assert view.progress_bar.minimumWidth() > view.fontMetrics().horizontalAdvance(text)


def test_progress_told_after_the_window_closed_is_dropped(qtbot: QtBot, backend: Backend) -> None:
    view = open_report(qtbot, backend)
    tell = view._relay.tell
    view.deleteLater()
    qtbot.waitUntil(lambda: not _alive(view), timeout=2000)
    tell(1, 2)  # as the reading thread would, after the window went: no error


def _alive(view: ReportDialog) -> bool:
    from shiboken6 import isValid

    return bool(isValid(view))
