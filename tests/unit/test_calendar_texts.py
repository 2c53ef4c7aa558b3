"""The calendars dialog without Qt: its texts, the staged company holiday edits and the due
date calculator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain.calendar import ClosedDay
from console.domain.model import HolidayPeriod
from console.domain.policy import CompanyPeriod, load_policies
from console.services.calendar_texts import (
    COUNTING_TEXT,
    calendar_rows,
    clock_change_line,
    closed_day_lines,
    due_line,
    hours_text,
    maintenance_next_text,
    moves_text,
    offset_text,
)
from console.services.due_calculator import DueQuestion, metric_choices
from console.services.holiday_edits import HolidayEdits, PeriodState

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
WINTER = HolidayPeriod(1, "laioutr", date(2026, 12, 24), date(2026, 12, 31), "Winter break", 3)
SUMMER = HolidayPeriod(2, "laioutr", date(2026, 8, 3), date(2026, 8, 14), "Summer break", 1)
POLICIES = load_policies()


# --------------------------------------------------------------------------- texts


def test_hours_text_is_compact() -> None:
    assert hours_text(
        {"hours": {"mon": ["09:00-12:00", "13:00-17:00"], "sat": ["10:00-14:00"]}}
    ) == ("Mon 09:00-12:00, 13:00-17:00; Sat 10:00-14:00")
    week = {day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    assert hours_text({"hours": week}) == "Mon-Fri 24h"
    assert hours_text({"hours": {}}) == "never open"
    assert hours_text({}) == "never open"


def test_closed_days_run_together_by_reason() -> None:
    days = [
        ClosedDay(date(2026, 12, 24), "Winter break"),
        ClosedDay(date(2026, 12, 25), "Christmas Day"),
        ClosedDay(date(2026, 12, 25), "Winter break"),
        ClosedDay(date(2026, 12, 26), "Winter break"),
        ClosedDay(date(2026, 12, 28), "Winter break"),
    ]
    assert closed_day_lines(days) == [
        "Thu 24 Dec \u2013 Sat 26 Dec — Winter break",
        "Fri 25 Dec — Christmas Day",
        "Mon 28 Dec — Winter break",
    ]


def test_clock_changes_and_offsets() -> None:
    spring = datetime(2027, 3, 14, 10, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert clock_change_line(spring, -8 * hour, -7 * hour, LOS_ANGELES) == (
        "Sun 14 Mar 2027 — UTC-07:00 (PDT): clocks go forward 1h at 02:00"
    )
    lord_howe = ZoneInfo("Australia/Lord_Howe")  # moves by half an hour, named by offset
    autumn = datetime(2027, 4, 3, 15, tzinfo=UTC)
    assert clock_change_line(autumn, 11 * hour, 10.5 * hour, lord_howe) == (
        "Sun 4 Apr 2027 — UTC+10:30: clocks go back 30m at 02:00"
    )
    assert offset_text(None) == "UTC+00:00"
    assert offset_text(timedelta(hours=5, minutes=30)) == "UTC+05:30"


def test_due_lines_say_the_utc_time_and_its_day_when_it_differs() -> None:
    assert due_line(datetime(2026, 11, 30, 17, 30, tzinfo=UTC), LOS_ANGELES) == (
        "Due Mon 30 Nov 2026 09:30 PST (17:30 UTC)"
    )
    assert due_line(datetime(2026, 12, 1, 1, 30, tzinfo=UTC), LOS_ANGELES) == (
        "Due Mon 30 Nov 2026 17:30 PST (Tue 1 Dec 01:30 UTC)"
    )
    assert due_line(datetime(2026, 12, 1, 1, 30, tzinfo=UTC), UTC) == (
        "Due Tue 1 Dec 2026 01:30 UTC"
    )


def test_maintenance_windows_say_when_they_next_occur() -> None:
    window = POLICIES["liveperson"].maintenance_windows[0]
    assert maintenance_next_text(window, NOW, LOS_ANGELES) == (
        "next Sun 22 Nov 03:00\u201307:00 EST (Sun 22 Nov 00:00 PST your time)"
    )
    during = datetime(2026, 11, 22, 9, tzinfo=UTC)  # 04:00 in New York
    assert maintenance_next_text(window, during, LOS_ANGELES) == (
        "in progress until 07:00 EST (04:00 PST your time)"
    )


def test_moves_text() -> None:
    assert moves_text(None) == COUNTING_TEXT
    assert moves_text(1) == "Moves 1 open ticket's due instant"
    assert moves_text(0) == "Moves 0 open tickets' due instants"


def test_calendar_rows_name_each_calendar_with_its_closed_days() -> None:
    rows = calendar_rows(
        POLICIES["laioutr"], (CompanyPeriod(WINTER.first, WINTER.last, WINTER.reason),), NOW, 2026
    )
    assert [(r.id, r.zone, r.hours, r.company) for r in rows] == [
        ("24x7", "Europe/Berlin", "Daily 24h", "—"),
        ("24x5", "Europe/Berlin", "Mon-Fri 24h", "close it"),
    ]
    assert rows[0].closed == () and rows[0].closed_title == "Closed in 2026: no days"
    assert "Thu 24 Dec \u2013 Thu 31 Dec — Winter break" in rows[1].closed
    assert rows[1].changes_title == "Clock changes in the next 12 months"
    assert rows[1].changes[0] == (
        "Sun 28 Mar 2027 — UTC+02:00 (CEST): clocks go forward 1h at 02:00",
        "Sun 28 Mar 2027 01:00 UTC",
    )


# --------------------------------------------------------------------------- staged edits


def test_staging_adds_removes_restores_and_reverts() -> None:
    edits = HolidayEdits([WINTER, SUMMER])
    assert edits.staged("laioutr") == [SUMMER, WINTER] and not edits.has_unsaved()
    offsite, problem = edits.new_period("laioutr", date(2027, 1, 4), date(2027, 1, 8), " Offsite ")
    assert offsite is not None and problem == "" and offsite.reason == "Offsite"
    edits.add(offsite)
    edits.toggle(WINTER)
    assert edits.staged("laioutr") == [SUMMER, offsite]
    assert edits.rows("laioutr") == [
        (SUMMER, PeriodState.SAVED),
        (WINTER, PeriodState.REMOVED),
        (offsite, PeriodState.NEW),
    ]
    assert edits.company("laioutr", staged=False) == (
        CompanyPeriod(SUMMER.first, SUMMER.last, SUMMER.reason),
        CompanyPeriod(WINTER.first, WINTER.last, WINTER.reason),
    )
    assert edits.new_period("laioutr", offsite.first, offsite.last, "Offsite") == (
        None,
        "This period is already listed",
    )
    assert edits.new_period("laioutr", date(2027, 1, 8), date(2027, 1, 4), "x")[1] == (
        "The last day is before the first"
    )
    assert edits.new_period("laioutr", date(2027, 1, 4), date(2027, 1, 4), " ")[1] == (
        "Give the reason, as announced"
    )
    edits.toggle(WINTER)  # kept after all
    edits.toggle(offsite)  # a staged new period goes
    assert not edits.has_unsaved()
    edits.add(offsite)
    edits.revert("laioutr")
    assert not edits.has_unsaved() and edits.edits("laioutr").moves is None


def test_saved_periods_read_again_drop_the_edits_they_hold() -> None:
    edits = HolidayEdits([WINTER, SUMMER])
    easter, _ = edits.new_period("laioutr", date(2027, 3, 29), date(2027, 4, 2), "Easter")
    offsite, _ = edits.new_period("laioutr", date(2027, 1, 4), date(2027, 1, 8), "Offsite")
    assert easter is not None and offsite is not None
    edits.add(easter)
    edits.add(offsite)
    edits.toggle(SUMMER)
    edits.toggle(WINTER)
    edits.edits("laioutr").moves = 4
    edits.set_saved([WINTER, SUMMER])  # nothing changed: the count holds
    assert edits.edits("laioutr").moves == 4

    stored = HolidayPeriod(9, "laioutr", easter.first, easter.last, "Easter", 1)
    changed = HolidayPeriod(1, "laioutr", WINTER.first, WINTER.last, WINTER.reason, 4)
    edits.set_saved([changed, SUMMER, stored])  # another lead saved Easter, edited winter
    assert edits.edits("laioutr").added == [offsite]
    assert edits.edits("laioutr").removed == [SUMMER]  # the stale removal of winter dropped
    assert edits.edits("laioutr").moves is None
    assert edits.staged("laioutr") == [changed, offsite, stored]


# --------------------------------------------------------------------------- calculator


def test_metric_choices_are_the_timed_ones_and_escalations_by_urgency() -> None:
    assert metric_choices(POLICIES["zitadel"]) == [
        ("Initial response", "initial_response:0"),
        ("Escalation response (not urgent)", "escalation_response:0"),
        ("Escalation response (urgent)", "escalation_response:1"),
    ]


def test_due_answers() -> None:
    layer0 = POLICIES["layer0"]
    start = datetime(2026, 11, 25, 17, 30, tzinfo=LOS_ANGELES)
    question = DueQuestion(layer0, "enterprise", 2, "initial_response:0", start)
    answer = question.answer(LOS_ANGELES)
    assert answer.result == (
        "Due Mon 30 Nov 2026 09:30 PST (17:30 UTC) — 1 business hour on Layer0 business hours"
    )
    assert answer.note.startswith("Counted on Layer0 business hours (America/Los_Angeles)")
    assert "Levels of Production Support" in answer.tip
    assert DueQuestion(layer0, "enterprise", 2, None, start).answer(LOS_ANGELES).result == (
        "no timed target"
    )
    laioutr = POLICIES["laioutr"]
    staged = (CompanyPeriod(date(2026, 11, 26), date(2026, 11, 27), "Offsite"),)
    plain = DueQuestion(laioutr, "standard", 3, "initial_response:0", start)
    held = DueQuestion(laioutr, "standard", 3, "initial_response:0", start, staged)
    assert held.due() > plain.due()  # type: ignore[operator]
    assert held.answer(LOS_ANGELES, unsaved=True).note.endswith(
        "Includes the unsaved company holiday changes."
    )
    assert not plain.answer(LOS_ANGELES, unsaved=False).note.endswith("changes.")


@pytest.mark.parametrize("plan", ["default"])
def test_best_effort_has_no_due_instant(plan: str) -> None:
    question = DueQuestion(POLICIES["zitadel"], plan, 2, "initial_response:0", NOW)
    assert question.answer(UTC).result == "best effort" and question.due() is None
