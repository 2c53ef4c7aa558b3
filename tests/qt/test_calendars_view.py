"""The calendars dialog: each policy's calendars, closed days and clock changes, the due date
calculator, and the lead's staged company holiday edits with their move count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from console.domain.model import HolidayPeriod
from console.domain.policy import CompanyPeriod, load_policies
from console.qt.calendars_view import (
    COUNTING_TEXT,
    EDIT_DENIED,
    CalendarsDialog,
    clock_changes,
    hours_text,
)

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 20 Nov 06:30 in Los Angeles
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
WINTER = HolidayPeriod(1, "laioutr", date(2026, 12, 24), date(2026, 12, 31), "Winter break", 3)
SUMMER = HolidayPeriod(2, "laioutr", date(2026, 8, 3), date(2026, 8, 14), "Summer break", 1)
PERIODS = [WINTER, SUMMER]


@dataclass
class Window:
    """What the main window is asked to do."""

    moves: list[tuple[str, list[CompanyPeriod]]] = field(default_factory=list)
    saves: list[tuple[str, list[HolidayPeriod], list[HolidayPeriod]]] = field(default_factory=list)

    def count_moves(self, policy_id: str, periods: list[CompanyPeriod]) -> None:
        self.moves.append((policy_id, periods))

    def save(
        self, policy_id: str, added: list[HolidayPeriod], removed: list[HolidayPeriod]
    ) -> None:
        self.saves.append((policy_id, added, removed))


def make(
    qtbot: QtBot, *, can_edit: bool = True, policy: str = "layer0"
) -> tuple[CalendarsDialog, Window]:
    window = Window()
    dialog = CalendarsDialog(
        load_policies(),
        PERIODS,
        now=NOW,
        zone=LOS_ANGELES,
        can_edit=can_edit,
        count_moves=window.count_moves,
        save=window.save,
    )
    qtbot.addWidget(dialog)
    dialog.select_policy(policy)
    return dialog, window


def top_items(dialog: CalendarsDialog) -> list[QTreeWidgetItem]:
    tree = dialog.calendar_tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in items if item is not None]


def choose(dialog: CalendarsDialog, plan: str, level: int, metric: str) -> None:
    for combo, value in (
        (dialog.calc_plan, plan),
        (dialog.calc_severity, level),
        (dialog.calc_metric, metric),
    ):
        index = combo.findData(value)
        assert index >= 0, value
        combo.setCurrentIndex(index)


def select_period(dialog: CalendarsDialog, period: HolidayPeriod) -> None:
    tree = dialog.holiday_list
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == period:
            tree.setCurrentItem(item)
            return
    raise LookupError(period)


def holiday_rows(dialog: CalendarsDialog) -> list[tuple[str, str, str]]:
    tree = dialog.holiday_list
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [(i.text(0), i.text(3), i.text(4)) for i in items if i is not None]


# --------------------------------------------------------------------------- calendars


def test_switching_policies_shows_their_calendars(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot)
    assert dialog.objectName() == "calendarsDialog"
    assert dialog.findChild(QWidget, "policyChooser") is dialog.policy_chooser
    rows = {item.text(1): item for item in top_items(dialog)}
    assert list(rows) == ["24x7", "business-hours", "business-days"]
    hours = rows["business-hours"]
    assert hours.text(0) == "Business Hours"
    assert hours.text(2) == "America/Los_Angeles"
    assert hours.text(3) == "Mon-Fri 09:00-18:00"
    assert hours.text(4) == "—"
    assert rows["24x7"].text(3) == "Daily 24h"
    assert "Levels of Production Support" in rows["24x7"].toolTip(0)

    index = dialog.policy_chooser.findData("laioutr")
    dialog.policy_chooser.setCurrentIndex(index)  # as the user does
    assert dialog.policy_id == "laioutr"
    rows = {item.text(1): item for item in top_items(dialog)}
    assert list(rows) == ["24x7", "24x5"]
    assert rows["24x5"].text(2) == "Europe/Berlin"
    assert rows["24x5"].text(3) == "Mon-Fri 24h"
    assert rows["24x5"].text(4) == "close it"
    assert "Laioutr" in dialog.policy_chooser.currentText()


def test_closed_days_of_the_year(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot)
    closed = dialog.detail_lines("business-hours", "closed")
    assert "Fri 27 Nov — Friday after Thanksgiving" in closed
    assert "Thu 26 Nov — Thanksgiving Day" in closed
    assert closed[0] == "Thu 1 Jan — New Year's Day"
    assert dialog.detail_lines("24x7", "closed") == []
    item = dialog.calendar_item("business-hours")
    assert item is not None
    group = item.child(0)
    assert group is not None and group.text(0) == "Closed in 2026: 11 days"

    dialog.select_policy("laioutr")  # the saved company periods close 24 / 5, as runs of days
    closed = dialog.detail_lines("24x5", "closed")
    assert "Thu 24 Dec \u2013 Thu 31 Dec — Winter break" in closed
    assert "Sat 3 Oct — German Unity Day" in closed


def test_clock_changes_of_the_next_twelve_months(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot)
    assert dialog.detail_lines("business-hours", "clockChanges") == [
        "Sun 14 Mar 2027 — UTC-07:00 (PDT): clocks go forward 1h at 02:00",
        "Sun 7 Nov 2027 — UTC-08:00 (PST): clocks go back 1h at 02:00",
    ]
    changes = clock_changes(LOS_ANGELES, NOW, datetime(2027, 11, 20, tzinfo=UTC))
    assert [when for when, _, _ in changes] == [
        datetime(2027, 3, 14, 10, tzinfo=UTC),
        datetime(2027, 11, 7, 9, tzinfo=UTC),
    ]
    assert clock_changes(ZoneInfo("Asia/Tokyo"), NOW, datetime(2027, 11, 20, tzinfo=UTC)) == []


def test_hours_text_is_compact() -> None:
    assert hours_text(
        {"hours": {"mon": ["09:00-12:00", "13:00-17:00"], "sat": ["10:00-14:00"]}}
    ) == ("Mon 09:00-12:00, 13:00-17:00; Sat 10:00-14:00")
    assert hours_text({"hours": {}}) == "never open"


# --------------------------------------------------------------------------- the rest of a policy


def test_maintenance_windows_and_readings(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot, policy="liveperson")
    assert dialog.maintenance_section.isVisibleTo(dialog)
    texts = [label.text() for label in dialog.maintenance_labels()]
    assert len(texts) == 3
    assert "Sun 03:00-07:00 America/New_York" in texts[0]
    assert "next Sun 22 Nov 03:00-07:00 EST" in texts[0]
    readings = dialog.reading_labels()
    assert readings and all(label.toolTip() for label in readings)
    assert "maintenance windows" in readings[-1].text()

    dialog.select_policy("layer0")
    assert not dialog.maintenance_section.isVisibleTo(dialog)
    assert len(dialog.reading_labels()) == len(load_policies()["layer0"].readings)


# --------------------------------------------------------------------------- calculator


def test_calculator_counts_business_hours_over_thanksgiving(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot)
    choose(dialog, "enterprise", 2, "initial_response:0")
    dialog.set_start(datetime(2026, 11, 25, 17, 30, tzinfo=LOS_ANGELES))
    assert dialog.start() == datetime(2026, 11, 25, 17, 30, tzinfo=LOS_ANGELES)
    assert dialog.calc_result.text() == (
        "Due Mon 30 Nov 2026 09:30 PST (17:30 UTC) — 1h on business-hours"
    )
    assert dialog.due() == datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert "6. Levels of Production Support" in dialog.calc_result.toolTip()

    # Live: editing the start (wall time in the agent's zone) updates the result.
    dialog.calc_start.setDateTime(QDateTime(QDate(2026, 11, 25), QTime(10, 0), QTimeZone.utc()))
    assert dialog.calc_result.text().startswith("Due Wed 25 Nov 2026 11:00 PST (19:00 UTC)")
    choose(dialog, "enterprise", 1, "initial_response:0")
    assert dialog.calc_result.text() == ("Due Wed 25 Nov 2026 10:30 PST (18:30 UTC) — 30m on 24x7")


def test_calculator_says_best_effort_and_offers_only_timed_metrics(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot, policy="zitadel")
    metrics = [dialog.calc_metric.itemData(i) for i in range(dialog.calc_metric.count())]
    assert metrics == ["initial_response:0", "escalation_response:0", "escalation_response:1"]
    choose(dialog, "default", 2, "initial_response:0")
    assert dialog.calc_result.text() == "best effort"
    assert dialog.due() is None

    dialog.select_policy("layer0")
    choose(dialog, "developer", 1, "initial_response:0")
    assert dialog.calc_result.text().startswith(("no timed target", "best effort"))


# --------------------------------------------------------------------------- company holidays


def test_holiday_editor_is_only_for_policies_that_take_company_holidays(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot)
    for policy_id, policy in load_policies().items():
        dialog.select_policy(policy_id)
        shown = dialog.holiday_section.isVisibleTo(dialog)
        assert shown == (policy_id == "laioutr") == policy.accepts_company_holidays
    dialog.select_policy("laioutr")
    assert holiday_rows(dialog) == [
        ("3 Aug 2026", "Summer break", ""),
        ("24 Dec 2026", "Winter break", ""),
    ]
    assert dialog.moves_label.text() == ""
    assert not dialog.holiday_save.isEnabled()


def test_staged_edits_count_moves_and_save(qtbot: QtBot) -> None:
    dialog, window = make(qtbot, policy="laioutr")
    assert not dialog.holiday_add.isEnabled()  # no reason yet
    dialog.holiday_first.setDate(QDate(2027, 1, 4))
    dialog.holiday_last.setDate(QDate(2027, 1, 8))
    dialog.holiday_reason.setText("Team offsite")
    assert dialog.holiday_add.isEnabled()
    dialog.holiday_add.click()

    offsite = CompanyPeriod(date(2027, 1, 4), date(2027, 1, 8), "Team offsite")
    summer = CompanyPeriod(SUMMER.first, SUMMER.last, SUMMER.reason)
    winter = CompanyPeriod(WINTER.first, WINTER.last, WINTER.reason)
    assert window.moves == [("laioutr", [summer, winter, offsite])]
    assert dialog.moves_label.text() == COUNTING_TEXT
    assert ("4 Jan 2027", "Team offsite", "new") in holiday_rows(dialog)
    dialog.show_moves("laioutr", 3)
    assert dialog.moves_label.text() == "Moves 3 open tickets' due instants"

    # Stage removing both breaks, then keep the summer one: each edit is a new request, and
    # answers to the earlier ones (they arrive in order) are stale.
    select_period(dialog, WINTER)
    dialog.holiday_remove.click()
    assert window.moves[-1] == ("laioutr", [summer, offsite])
    assert ("24 Dec 2026", "Winter break", "removed") in holiday_rows(dialog)
    select_period(dialog, SUMMER)
    dialog.holiday_remove.click()
    assert window.moves[-1] == ("laioutr", [offsite])
    select_period(dialog, SUMMER)
    assert dialog.holiday_remove.text() == "Restore"
    dialog.holiday_remove.click()
    assert window.moves[-1] == ("laioutr", [summer, offsite])
    assert len(window.moves) == 4
    dialog.holiday_reason.setText("Team offsite")  # the same period again is refused
    assert not dialog.holiday_add.isEnabled()
    assert dialog.holiday_add.toolTip() == "This period is already listed"
    dialog.holiday_add.click()
    assert len(window.moves) == 4
    assert dialog.moves_label.text() == COUNTING_TEXT
    dialog.show_moves("layer0", 9)  # another policy's answer
    dialog.show_moves("laioutr", 3)  # late answers to the second and third requests
    dialog.show_moves("laioutr", 2)
    assert dialog.moves_label.text() == COUNTING_TEXT
    dialog.show_moves("laioutr", 1)
    assert dialog.moves_label.text() == "Moves 1 open ticket's due instant"
    dialog.show_moves("laioutr", 7)  # nothing asked
    assert dialog.moves_label.text() == "Moves 1 open ticket's due instant"

    assert dialog.holiday_save.isEnabled()
    dialog.holiday_save.click()
    assert len(window.saves) == 1
    policy_id, added, removed = window.saves[0]
    assert policy_id == "laioutr"
    assert [(p.id, p.first, p.last, p.reason) for p in added] == [
        (None, offsite.first, offsite.last, "Team offsite")
    ]
    assert removed == [WINTER]
    assert not dialog.holiday_save.isEnabled()  # saving

    saved = HolidayPeriod(7, "laioutr", offsite.first, offsite.last, "Team offsite", 1)
    dialog.set_periods([SUMMER, saved])
    assert not dialog.has_unsaved_changes()
    assert dialog.moves_label.text() == ""
    assert holiday_rows(dialog) == [
        ("3 Aug 2026", "Summer break", ""),
        ("4 Jan 2027", "Team offsite", ""),
    ]
    dialog.show_moves("laioutr", 5)  # nothing pending any more
    assert dialog.moves_label.text() == ""


def test_answers_may_name_their_request(qtbot: QtBot) -> None:
    requests: list[int] = []
    dialog = CalendarsDialog(
        load_policies(),
        PERIODS,
        now=NOW,
        zone=LOS_ANGELES,
        can_edit=True,
        count_moves=lambda _pid, _periods: requests.append(dialog.last_request),
        save=lambda _pid, _added, _removed: None,
    )
    qtbot.addWidget(dialog)
    dialog.select_policy("laioutr")
    select_period(dialog, SUMMER)
    dialog.holiday_remove.click()
    select_period(dialog, WINTER)
    dialog.holiday_remove.click()
    first, second = requests
    dialog.show_moves("laioutr", 4, request=second)
    assert dialog.moves_label.text() == "Moves 4 open tickets' due instants"
    dialog.show_moves("laioutr", 8, request=first)  # already superseded
    assert dialog.moves_label.text() == "Moves 4 open tickets' due instants"

    select_period(dialog, WINTER)
    assert dialog.holiday_remove.text() == "Restore"
    dialog.holiday_revert.click()
    assert not dialog.has_unsaved_changes() and dialog.moves_label.text() == ""


def test_staged_periods_feed_the_calculator(qtbot: QtBot) -> None:
    dialog, _ = make(qtbot, policy="laioutr")
    choose(dialog, "standard", 3, "initial_response:0")
    assert dialog.calc_result.text().endswith("— 12h on 24x5")
    start = datetime(2027, 1, 5, 9, 0, tzinfo=LOS_ANGELES)
    dialog.set_start(start)
    before = dialog.due()
    dialog.holiday_first.setDate(QDate(2027, 1, 4))
    dialog.holiday_last.setDate(QDate(2027, 1, 8))
    dialog.holiday_reason.setText("Team offsite")
    dialog.holiday_add.click()
    after = dialog.due()
    assert before is not None and after is not None and after > before
    assert "unsaved" in dialog.calc_note.text()


@pytest.mark.parametrize("policy", ["laioutr", "layer0"])
def test_agents_cannot_edit(qtbot: QtBot, policy: str) -> None:
    dialog, window = make(qtbot, can_edit=False, policy=policy)
    dialog.select_policy("laioutr")
    for widget in (
        dialog.holiday_first,
        dialog.holiday_last,
        dialog.holiday_reason,
        dialog.holiday_add,
        dialog.holiday_remove,
        dialog.holiday_revert,
        dialog.holiday_save,
    ):
        assert not widget.isEnabled(), widget.objectName()
        assert widget.toolTip() == EDIT_DENIED
    dialog.holiday_reason.setText("Team offsite")
    dialog.holiday_add.click()
    dialog.holiday_save.click()
    assert window.moves == [] and window.saves == []
    assert len(holiday_rows(dialog)) == 2  # the periods are still shown


def test_another_leads_edit_keeps_the_staged_ones(qtbot: QtBot) -> None:
    dialog, window = make(qtbot, policy="laioutr")
    select_period(dialog, SUMMER)
    dialog.holiday_remove.click()
    dialog.show_moves("laioutr", 2)
    easter = HolidayPeriod(9, "laioutr", date(2027, 3, 29), date(2027, 4, 2), "Easter week", 1)
    dialog.set_periods([*PERIODS, easter])
    assert dialog.staged_periods() == [WINTER, easter]
    staged = [CompanyPeriod(p.first, p.last, p.reason) for p in (WINTER, easter)]
    assert window.moves[-1] == ("laioutr", staged)
    assert dialog.moves_label.text() == COUNTING_TEXT  # the old count no longer holds
    assert ("29 Mar 2027", "Easter week", "") in holiday_rows(dialog)
