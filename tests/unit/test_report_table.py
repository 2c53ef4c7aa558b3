"""The SLA report in words and the chart's geometry, without Qt: tones and thresholds, the
summary figures, the export file, and where the chart's parts go."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from console.domain.model import Metric
from console.services.report import ReportLine
from console.services.report_chart import (
    MARGIN,
    ROW,
    TOP,
    Box,
    ChartBar,
    chart_bars,
    chart_geometry,
    minimum_height,
    preferred_height,
)
from console.services.report_table import (
    COLUMNS,
    Figures,
    Tone,
    duration_text,
    plan_text,
    report_file_name,
    save_report_csv,
    success_tone,
)


def line(metric: Metric = Metric.INITIAL_RESPONSE, **counts: int) -> ReportLine:
    counts = {"met": 0, "breached": 0, **counts}
    return ReportLine("zitadel", "ZITADEL", "premium-partner", 2, "Sev 2", metric, **counts)


def test_success_tones_follow_the_thresholds_in_whole_numbers() -> None:
    assert success_tone(95, 5) is Tone.GOOD  # 95 % exactly
    assert success_tone(9_499, 501) is Tone.FAIR  # 94.99 %: never good by rounding
    assert success_tone(4, 1) is Tone.FAIR  # 80 % exactly
    assert success_tone(7_999, 2_001) is Tone.POOR
    assert success_tone(0, 0) is None


def test_texts_of_the_table() -> None:
    assert duration_text(None) == "—"
    assert duration_text(timedelta(hours=1, minutes=57, seconds=40)) == "1h 57m"
    assert duration_text(timedelta(seconds=40)) == "0m"
    assert plan_text("premium-partner") == "Premium partner"
    assert plan_text("enterprise_plus") == "Enterprise plus"
    assert [c.header for c in COLUMNS if c.numeric][:3] == ["Met", "Breached", "Pending"]


def test_count_columns_are_quiet_at_zero_and_breaches_poor() -> None:
    met, breached = COLUMNS[4], COLUMNS[5]
    assert (met.tone(line(met=0)), met.tone(line(met=3))) == (Tone.QUIET, None)
    assert (breached.tone(line(breached=0)), breached.tone(line(breached=1))) == (
        Tone.QUIET,
        Tone.POOR,
    )
    assert met.text(line(met=12_345)) == "12,345"


def test_figures_add_up_every_line() -> None:
    figures = Figures.of([line(met=16, breached=1, pending=2), line(met=3, credit_days=1)])
    assert figures == Figures(met=19, breached=1, pending=2, credit_days=1)
    assert figures.clocks == 22 and figures.success_text == "95.0 %"
    assert figures.tone is Tone.GOOD and figures.credit_text == "1 credit day"
    assert Figures.of([]).tone is None and Figures(credit_days=5).credit_text == "5 credit days"


def test_the_export_file(tmp_path: Path) -> None:
    assert report_file_name(date(2026, 10, 22), date(2026, 11, 20)) == (
        "sla_report_20261022-20261120.csv"
    )
    assert report_file_name(date(2026, 11, 20), date(2026, 11, 20)) == "sla_report_20261120.csv"
    target = tmp_path / "report.csv"
    assert save_report_csv([line(met=1), line(Metric.PERIODIC_UPDATE, breached=2)], target) == 2
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3
    with pytest.raises(OSError):
        save_report_csv([], tmp_path)


def test_chart_bars_add_up_plans_and_severities_per_metric() -> None:
    bars = chart_bars([line(met=3), line(breached=1, pending=2), line(Metric.PERIODIC_UPDATE)])
    assert bars == (
        ChartBar("ZITADEL · Initial response", 3, 1, 2),
        ChartBar("ZITADEL · Periodic update", 0, 0, 0),
    )
    assert bars[0].percent == 75.0 and bars[0].tone is Tone.POOR
    assert bars[0].count_text == "n = 4" and bars[1].count_text == ""


def test_chart_geometry() -> None:
    """Labels take at most 2/5 of the width, values 1/3; rows share the plot's height up
    to 1.4 times their preferred height; 0 % is the plot's left edge, 100 % its right."""
    geometry = chart_geometry(712, 400, 4, label_advance=150, value_advance=90)
    assert geometry.area == Box(MARGIN, MARGIN, 688, 376)
    assert (geometry.label_width, geometry.value_width) == (162, 102)
    assert geometry.row == ROW * 1.4
    assert geometry.plot == Box(MARGIN + 162, MARGIN + TOP, 688 - 162 - 102, round(ROW * 5.6))
    assert geometry.x_of(0) == geometry.plot.left
    assert geometry.x_of(100) == geometry.plot.left + geometry.plot.width
    assert geometry.hit_box(1) == Box(MARGIN, round(MARGIN + TOP + ROW * 1.4), 688, 36)
    assert geometry.thickness == 20.0

    narrow = chart_geometry(150, 120, 10, label_advance=400, value_advance=400)
    assert narrow.label_width == 126 * 2 // 5 and narrow.value_width == 126 // 3
    assert narrow.plot.width == 40  # never narrower
    assert narrow.row == pytest.approx(3.8) and narrow.thickness == 6.0  # bars still seen


def test_chart_heights() -> None:
    assert preferred_height(0) == preferred_height(3) < preferred_height(4)
    assert minimum_height(0) == minimum_height(1) < preferred_height(1)
