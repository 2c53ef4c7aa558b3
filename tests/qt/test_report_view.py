"""The SLA report view: its table model, queries on date changes, stale answers, the chart
and CSV export."""

from __future__ import annotations

import csv
import re
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

from console.domain.model import Metric
from console.qt.report_view import (
    COL_BREACHED,
    COL_CREDITS,
    COL_MEDIAN,
    COL_MET,
    COL_METRIC,
    COL_P90,
    COL_PENDING,
    COL_PLAN,
    COL_SEVERITY,
    COL_SUCCESS,
    COL_VENDOR,
    FAIR,
    GOOD,
    HEADERS,
    LINE_ROLE,
    POOR,
    SORT_ROLE,
    ChartBar,
    ReportDialog,
    ReportTableModel,
    SuccessChart,
    success_colour,
)
from console.services.report import CSV_COLUMNS, ReportLine

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")

Asked = list[tuple[datetime, datetime]]


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


def plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def dialog(qtbot: QtBot) -> tuple[ReportDialog, Asked]:
    asked: Asked = []
    view = ReportDialog(ZURICH, lambda since, until: asked.append((since, until)), now=lambda: NOW)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=2000)  # the first query, debounced
    return view, asked


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
    assert column(model, COL_CREDITS)[-1] == "5"
    assert column(model, COL_SUCCESS, Qt.ItemDataRole.ForegroundRole)[:3] == [FAIR, GOOD, FAIR]
    assert model.index(4, COL_SUCCESS).data(Qt.ItemDataRole.ForegroundRole) == POOR
    assert model.index(0, COL_BREACHED).data(Qt.ItemDataRole.ForegroundRole) == POOR
    tip = model.index(0, COL_SUCCESS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "16 met of 17 decided (1 breached); 2 pending"
    assert model.index(0, COL_SEVERITY).data(Qt.ItemDataRole.ToolTipRole) == (
        "Severity 1: Severity 1"
    )
    assert model.index(0, 0).data(LINE_ROLE) is model.lines[0]
    alignment = model.index(0, COL_MET).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


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


def test_success_colours_follow_the_thresholds() -> None:
    assert success_colour(95, 5) == GOOD  # 95 % exactly
    assert success_colour(9_499, 501) == FAIR  # 94.99 %
    assert success_colour(4, 1) == FAIR  # 80 % exactly
    assert success_colour(7_999, 2_001) == POOR
    assert success_colour(0, 0) is None


# ---------------------------------------------------------------------- dialog


def test_opens_on_the_last_30_days_in_the_zone(dialog: tuple[ReportDialog, Asked]) -> None:
    view, asked = dialog
    assert view.objectName() == "reportDialog"
    assert view.from_edit.date().toPython() == date(2026, 10, 22)
    assert view.to_edit.date().toPython() == date(2026, 11, 20)
    # 22 October is still summer time in Zurich (UTC+2); 21 November is winter time (UTC+1).
    assert asked == [
        (datetime(2026, 10, 21, 22, tzinfo=UTC), datetime(2026, 11, 20, 23, tzinfo=UTC))
    ]
    assert view.pending_range == asked[0]
    assert not view.export_button.isEnabled()


def test_changing_the_days_asks_once(qtbot: QtBot, dialog: tuple[ReportDialog, Asked]) -> None:
    view, asked = dialog
    view.from_edit.setDate(view.from_edit.date().addDays(1))
    view.from_edit.setDate(view.from_edit.date().addDays(1))
    view.to_edit.setDate(view.to_edit.date().addDays(-1))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    qtbot.wait(300)
    assert len(asked) == 2  # the three changes went as one query
    assert asked[-1] == (
        datetime(2026, 10, 23, 22, tzinfo=UTC),
        datetime(2026, 11, 19, 23, tzinfo=UTC),
    )
    # A "to" before "from" moves "from" along: a single day.
    view.to_edit.setDate(view.from_edit.date().addDays(-3))
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=2000)
    since, until = asked[-1]
    assert until - since == timedelta(days=1)
    view.refresh()  # asks again at once, same days
    assert asked[-1] == asked[-2] and len(asked) == 4


def test_stale_answers_are_ignored(qtbot: QtBot, dialog: tuple[ReportDialog, Asked]) -> None:
    view, asked = dialog
    old = asked[-1]
    view.set_days(date(2026, 11, 1), date(2026, 11, 15))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2000)
    assert not view.show_report(*old, sample_lines())  # the answer to the first query
    assert view.model.rowCount() == 0
    assert view.chart.message == "Loading…"
    assert not view.show_failure(*old, "gone")

    assert view.show_report(*asked[-1], sample_lines())
    assert view.model.rowCount() == 5
    assert view.export_button.isEnabled()
    summary = plain(view.summary_label.text())
    assert summary == (
        "Success 89.3 % · 42 met · 5 breached · 5 pending · 5 credit days "
        "· clocks as of 20 Nov 15:30 CET"
    )  # 42 / 47 = 89.36…

    view.refresh()
    assert view.show_failure(*asked[-1], "database <gone>")
    assert "database &lt;gone&gt;" in view.summary_label.text()
    assert view.model.rowCount() == 0 and not view.export_button.isEnabled()


def test_chart_is_drawn_per_policy_and_metric(
    qtbot: QtBot, dialog: tuple[ReportDialog, Asked]
) -> None:
    view, asked = dialog
    chart = view.findChild(SuccessChart, "reportChart")
    assert chart is view.chart
    view.show_report(*asked[-1], sample_lines())
    assert chart.bars == (
        ChartBar("Layer0 · Initial response", 16, 1, 2),
        ChartBar("LivePerson · Initial response", 19, 1, 0),
        ChartBar("LivePerson · Periodic update", 4, 1, 3),  # two lines, one has none decided
        ChartBar("ZITADEL · Initial response", 3, 2, 0),
    )
    assert [bar.colour for bar in chart.bars] == [FAIR, GOOD, FAIR, POOR]
    assert [bar.value_text for bar in chart.bars] == ["94.1 %", "95.0 %", "80.0 %", "60.0 %"]
    assert chart.message == ""
    assert "LivePerson · Initial response: 95.0 %" in chart.accessibleDescription()

    view.show()
    qtbot.waitExposed(view)
    image = chart.grab().toImage()
    assert not image.isNull()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert {GOOD.name(), FAIR.name(), POOR.name()} <= colours  # the bars are painted

    # Hovering a bar's row names it and its counts.
    first_row = chart.hit_areas[0][0]
    assert chart.bar_at(first_row.center()) == chart.bars[0]
    assert chart.bar_at(QPoint(-5, -5)) is None
    assert "16 met of 17 decided" in chart.bars[0].tooltip

    view.show_report(*asked[-1], [])
    assert len(chart.bars) == 0 and "No clock" in chart.message


def test_a_line_with_nothing_decided_gets_no_bar_colour() -> None:
    chart = SuccessChart()
    pending = report_line("Moboom", "premium-partner", 1, Metric.INITIAL_RESPONSE, pending=4)
    chart.set_lines([pending])
    (bar,) = chart.bars
    assert bar.colour is None and bar.percent is None
    assert bar.value_text == "none decided · 4 pending"
    chart.resize(600, 200)
    assert not chart.grab().isNull()  # paints its text without a bar


def test_export_writes_the_lines_shown(
    qtbot: QtBot,
    dialog: tuple[ReportDialog, Asked],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view, asked = dialog
    view.show_report(*asked[-1], sample_lines())
    view.table.sortByColumn(COL_SUCCESS, Qt.SortOrder.DescendingOrder)
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
    assert [row[CSV_COLUMNS.index("success_pct")] for row in rows[1:]] == [
        "95.00",
        "94.11",
        "80.00",
        "60.00",
        "",
    ]
    first = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert first["vendor"] == "Layer0" and first["metric"] == "initial_response"
    assert (first["median_first_response_s"], first["p90_first_response_s"]) == ("720", "7020")
    assert view.status_label.text() == "Exported 5 lines to report.csv"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not view.export_csv()  # cancelled

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path), ""))
    assert not view.export_csv()  # a directory: the error is shown, nothing raised
    assert warnings and view.status_label.text().startswith("Export failed")
