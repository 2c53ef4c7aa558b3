"""The calendars dialog on a real dispatcher and demo database: each policy's calendars,
closed days and clock changes, the due date calculator, and the lead's staged edits of the
presences and the company holiday periods: their move count, their save as one command and
what is saved read again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.domain.calendar import clock_changes
from console.domain.model import HolidayPeriod, Presence, Role
from console.domain.policy import CompanyPeriod, load_policies
from console.qt.calendars_view import EDIT_DENIED, CalendarsDialog
from console.qt.dispatcher import Pending
from console.services.calendar_texts import COUNTING_TEXT
from console.services.commands import Command, EditHolidayPeriods, SetPresences
from console.services.views import HolidayMoves, HolidayPeriods, PresenceMoves, Presences, Query
from consoles import demo_database, settle
from dialog_backend import Backend

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 20 Nov 06:30 in Los Angeles
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
# The demo's one company holiday period.
WINTER = HolidayPeriod(
    1, "laioutr", date(2026, 12, 24), date(2027, 1, 1), "Company winter break", 1
)
OFFSITE = CompanyPeriod(date(2026, 11, 23), date(2026, 11, 27), "Team offsite")


class Traffic:
    """What a dialog asks and sends through the dispatcher."""

    def __init__(self, backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queries: list[Query[Any]] = []
        self.commands: list[Command] = []
        ask, send = backend.dispatcher.ask, backend.dispatcher.send

        def spy_ask(query: Query[Any]) -> Pending[Any]:
            self.queries.append(query)
            return ask(query)

        def spy_send(command: Command) -> Pending[Any]:
            self.commands.append(command)
            return send(command)

        monkeypatch.setattr(backend.dispatcher, "ask", spy_ask)
        monkeypatch.setattr(backend.dispatcher, "send", spy_send)

    def moves(self) -> list[HolidayMoves]:
        return [q for q in self.queries if isinstance(q, HolidayMoves)]

    def presence_moves(self) -> list[PresenceMoves]:
        return [q for q in self.queries if isinstance(q, PresenceMoves)]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo database the tests of this module only read."""
    return demo_database(tmp_path_factory.mktemp("calendars"), tickets=300, seed=7)


@pytest.fixture
def reader(qtbot: QtBot, demo_url: str) -> Iterator[Backend]:
    made = Backend(demo_url, FakeTime(NOW))
    yield made
    made.close()


@pytest.fixture
def own_url(tmp_path: Path) -> str:
    """A demo database of the test's own, to write to."""
    return demo_database(tmp_path, tickets=300, seed=7)


@pytest.fixture
def lead(qtbot: QtBot, own_url: str) -> Iterator[Backend]:
    made = Backend(own_url, FakeTime(NOW))
    made.dispatcher.actor = made.person(Role.LEAD).name
    yield made
    made.close()


def make(
    qtbot: QtBot, backend: Backend, *, can_edit: bool = True, policy: str = "layer0"
) -> CalendarsDialog:
    dialog = CalendarsDialog(
        load_policies(),
        [],
        now=NOW,
        zone=LOS_ANGELES,
        can_edit=can_edit,
        dispatcher=backend.dispatcher,
    )
    qtbot.addWidget(dialog)
    dialog.select_policy(policy)
    settle(qtbot, backend.dispatcher)
    return dialog


def top_items(dialog: CalendarsDialog) -> list[QTreeWidgetItem]:
    tree = dialog.calendar_tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in items if item is not None]


def choose(dialog: CalendarsDialog, plan: str, level: int, metric: str) -> None:
    calculator = dialog.calculator
    for combo, value in (
        (calculator.plan_choice, plan),
        (calculator.severity_choice, level),
        (calculator.metric_choice, metric),
    ):
        index = combo.findData(value)
        assert index >= 0, value
        combo.setCurrentIndex(index)


def select_period(dialog: CalendarsDialog, period: HolidayPeriod) -> None:
    tree = dialog.holidays.period_list
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == period:
            tree.setCurrentItem(item)
            return
    raise LookupError(period)


def stage(dialog: CalendarsDialog, period: CompanyPeriod) -> None:
    holidays = dialog.holidays
    holidays.first_edit.setDate(QDate(period.first.year, period.first.month, period.first.day))
    holidays.last_edit.setDate(QDate(period.last.year, period.last.month, period.last.day))
    holidays.reason_edit.setText(period.reason)
    assert holidays.add_button.isEnabled(), holidays.add_button.toolTip()
    holidays.add_button.click()


def holiday_rows(dialog: CalendarsDialog) -> list[tuple[str, str, str]]:
    tree = dialog.holidays.period_list
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [(i.text(0), i.text(3), i.text(4)) for i in items if i is not None]


def company(*periods: HolidayPeriod | CompanyPeriod) -> tuple[CompanyPeriod, ...]:
    return tuple(CompanyPeriod(p.first, p.last, p.reason) for p in periods)


# --------------------------------------------------------------------------- calendars


def test_switching_policies_shows_their_calendars(qtbot: QtBot, reader: Backend) -> None:
    dialog = make(qtbot, reader)
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


def test_the_subtitle_says_when_the_policy_file_changed_and_shows_no_hash(
    qtbot: QtBot, reader: Backend
) -> None:
    """Given the Layer0 policy, whose file is named after a digest of its document, when the
    dialog shows it, then the subtitle names the policy, the date its document takes effect
    and the day its file last changed ("8 Dec" style), and nothing that looks like a hash."""
    dialog = make(qtbot, reader)
    policy = load_policies()["layer0"]
    assert policy.file_changed is not None
    day = policy.file_changed.astimezone(LOS_ANGELES).date()
    same_year = day.year == NOW.astimezone(LOS_ANGELES).year
    changed = f"{day.day} {day:%b}" + ("" if same_year else f" {day.year}")
    assert dialog.policy_subtitle.text() == (
        f"{policy.name} \u00b7 effective August 2020 \u00b7 policy file changed on {changed}"
    )
    assert not re.search(r"[0-9a-f]{8,}", dialog.policy_subtitle.text())
    assert policy.source_file not in dialog.policy_subtitle.text()


def test_closed_days_of_the_year_include_the_saved_company_periods(
    qtbot: QtBot, reader: Backend
) -> None:
    dialog = make(qtbot, reader)
    closed = dialog.detail_lines("business-hours", "closed")
    assert "Fri 27 Nov — Friday after Thanksgiving" in closed
    assert "Thu 26 Nov — Thanksgiving Day" in closed
    assert closed[0] == "Thu 1 Jan — New Year's Day"
    assert dialog.detail_lines("24x7", "closed") == []
    item = dialog.calendar_item("business-hours")
    assert item is not None
    group = item.child(0)
    assert group is not None and group.text(0) == "Closed in 2026: 11 days"

    dialog.select_policy("laioutr")  # the period read from the database closes 24 / 5
    closed = dialog.detail_lines("24x5", "closed")
    assert "Thu 24 Dec \u2013 Thu 31 Dec — Company winter break" in closed
    assert "Sat 3 Oct — German Unity Day" in closed


def test_clock_changes_of_the_next_twelve_months(qtbot: QtBot, reader: Backend) -> None:
    dialog = make(qtbot, reader)
    assert dialog.detail_lines("business-hours", "clockChanges") == [
        "Sun 14 Mar 2027 — UTC-07:00 (PDT): clocks go forward 1h at 02:00",
        "Sun 7 Nov 2027 — UTC-08:00 (PST): clocks go back 1h at 02:00",
    ]
    item = dialog.calendar_item("business-hours")
    assert item is not None and item.child(1) is not None
    change = item.child(1).child(0)
    assert change is not None and change.toolTip(0) == "Sun 14 Mar 2027 10:00 UTC"
    changes = clock_changes(LOS_ANGELES, NOW, datetime(2027, 11, 20, tzinfo=UTC))
    assert [when for when, _, _ in changes] == [
        datetime(2027, 3, 14, 10, tzinfo=UTC),
        datetime(2027, 11, 7, 9, tzinfo=UTC),
    ]


def test_maintenance_windows_and_readings(qtbot: QtBot, reader: Backend) -> None:
    dialog = make(qtbot, reader, policy="liveperson")
    assert dialog.maintenance_section.isVisibleTo(dialog)
    texts = [label.text() for label in dialog.maintenance_labels()]
    assert len(texts) == 3
    assert "every Sun 03:00\u201307:00 America/New_York" in texts[0]
    assert "next Sun 22 Nov 03:00\u201307:00 EST (Sun 22 Nov 00:00 PST your time)" in texts[0]
    readings = dialog.reading_labels()
    assert readings and all(label.toolTip() for label in readings)
    assert "maintenance windows" in readings[-1].text()

    dialog.select_policy("layer0")
    assert not dialog.maintenance_section.isVisibleTo(dialog)
    assert len(dialog.reading_labels()) == len(load_policies()["layer0"].readings)


# --------------------------------------------------------------------------- calculator


def test_calculator_counts_business_hours_over_thanksgiving(qtbot: QtBot, reader: Backend) -> None:
    dialog = make(qtbot, reader)
    result = dialog.calculator.result_label
    choose(dialog, "enterprise", 2, "initial_response:0")
    dialog.set_start(datetime(2026, 11, 25, 17, 30, tzinfo=LOS_ANGELES))
    assert dialog.start() == datetime(2026, 11, 25, 17, 30, tzinfo=LOS_ANGELES)
    assert result.text() == (
        "Due Mon 30 Nov 2026 09:30 PST (17:30 UTC) — 1 business hour on Layer0 business hours"
    )
    assert dialog.due() == datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert "6. Levels of Production Support" in result.toolTip()

    # Live: editing the start (wall time in the agent's zone) updates the result.
    dialog.calculator.start_edit.setDateTime(
        QDateTime(QDate(2026, 11, 25), QTime(10, 0), QTimeZone.utc())
    )
    assert result.text().startswith("Due Wed 25 Nov 2026 11:00 PST (19:00 UTC)")
    choose(dialog, "enterprise", 1, "initial_response:0")
    assert result.text() == (
        "Due Wed 25 Nov 2026 10:30 PST (18:30 UTC) — 30 business minutes on Layer0 24x7x365"
    )


def test_calculator_says_best_effort_and_offers_only_timed_metrics(
    qtbot: QtBot, reader: Backend
) -> None:
    dialog = make(qtbot, reader, policy="zitadel")
    metric = dialog.calculator.metric_choice
    metrics = [metric.itemData(i) for i in range(metric.count())]
    assert metrics == ["initial_response:0", "escalation_response:0", "escalation_response:1"]
    choose(dialog, "default", 2, "initial_response:0")
    assert dialog.calculator.result_label.text() == "best effort"
    assert dialog.due() is None

    dialog.select_policy("layer0")
    choose(dialog, "developer", 1, "initial_response:0")
    assert dialog.calculator.result_label.text().startswith(("no timed target", "best effort"))


# --------------------------------------------------------------------------- company holidays


def test_holiday_editor_is_only_for_policies_that_take_company_holidays(
    qtbot: QtBot, reader: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(reader, monkeypatch)
    dialog = make(qtbot, reader)
    assert traffic.queries == [HolidayPeriods(), Presences()]  # read once, when it opened
    for policy_id, policy in load_policies().items():
        dialog.select_policy(policy_id)
        shown = dialog.holidays.isVisibleTo(dialog)
        assert shown == (policy_id == "laioutr") == policy.accepts_company_holidays
        assert dialog.presences.isVisibleTo(dialog) == shown
    dialog.select_policy("laioutr")
    assert holiday_rows(dialog) == [("24 Dec 2026", "Company winter break", "")]
    assert dialog.staged_periods() == [WINTER]
    assert dialog.holidays.moves_label.text() == ""
    assert not dialog.holidays.save_button.isEnabled()


def test_staged_edits_count_their_moves_and_the_latest_count_wins(
    qtbot: QtBot, reader: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(reader, monkeypatch)
    dialog = make(qtbot, reader, policy="laioutr")
    holidays = dialog.holidays
    assert not holidays.add_button.isEnabled()  # no reason yet
    stage(dialog, OFFSITE)
    assert traffic.moves() == [HolidayMoves("laioutr", company(OFFSITE, WINTER))]
    assert holidays.moves_label.text() == COUNTING_TEXT
    assert ("23 Nov 2026", "Team offsite", "new") in holiday_rows(dialog)
    settle(qtbot, reader.dispatcher)
    moved = reader.read(traffic.moves()[-1])
    noun = "open ticket's due instant" if moved == 1 else "open tickets' due instants"
    assert holidays.moves_label.text() == f"Moves {moved} {noun}" and moved > 0

    # Two edits in a row: only the count of the latest staged periods is shown.
    select_period(dialog, WINTER)
    holidays.remove_button.click()
    assert ("24 Dec 2026", "Company winter break", "removed") in holiday_rows(dialog)
    select_period(dialog, WINTER)
    assert holidays.remove_button.text() == "Restore"
    holidays.remove_button.click()
    assert holidays.moves_label.text() == COUNTING_TEXT
    first, second = traffic.moves()[-2:]
    assert (first.periods, second.periods) == (company(OFFSITE), company(OFFSITE, WINTER))
    shown: list[str] = []
    monkeypatch.setattr(holidays.moves_label, "setText", lambda text: shown.append(text))
    settle(qtbot, reader.dispatcher)
    assert shown == [f"Moves {moved} {noun}"]  # never the count of the removal

    holidays.reason_edit.setText("Team offsite")  # the same period again is refused
    assert not holidays.add_button.isEnabled()
    assert holidays.add_button.toolTip() == "This period is already listed"
    holidays.revert_button.click()
    assert not dialog.has_unsaved_changes()
    assert len(traffic.moves()) == 3  # nothing to count


def test_a_leads_save_is_one_command_and_the_periods_are_read_again(
    qtbot: QtBot, lead: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(lead, monkeypatch)
    dialog = make(qtbot, lead, policy="laioutr")
    read: list[list[HolidayPeriod]] = []
    dialog.periodsChanged.connect(read.append)
    holidays = dialog.holidays
    stage(dialog, OFFSITE)
    select_period(dialog, WINTER)
    holidays.remove_button.click()
    settle(qtbot, lead.dispatcher)
    assert holidays.save_button.isEnabled()
    moved = lead.read(HolidayMoves("laioutr", company(OFFSITE)))

    holidays.save_button.click()
    assert traffic.commands == [
        EditHolidayPeriods(
            "laioutr",
            (HolidayPeriod(None, "laioutr", OFFSITE.first, OFFSITE.last, OFFSITE.reason),),
            (WINTER,),
        )
    ]
    assert holidays.status_label.text() == "Saving…"
    assert not holidays.save_button.isEnabled() and not holidays.revert_button.isEnabled()
    queries = len(traffic.queries)

    settle(qtbot, lead.dispatcher)
    assert traffic.queries[queries:] == [HolidayPeriods()]  # read again after the save
    saved = lead.read(HolidayPeriods())
    assert [(p.first, p.last, p.reason) for p in saved] == [
        (OFFSITE.first, OFFSITE.last, OFFSITE.reason)
    ]
    assert read == [saved] and dialog.staged_periods() == saved
    assert not dialog.has_unsaved_changes()
    assert holiday_rows(dialog) == [("23 Nov 2026", "Team offsite", "")]
    assert holidays.moves_label.text() == ""
    noun = "due instant" if moved == 1 else "due instants"
    assert holidays.status_label.text() == f"Saved; {moved} {noun} moved"
    assert "Mon 23 Nov \u2013 Fri 27 Nov — Team offsite" in dialog.detail_lines("24x5", "closed")
    assert len(traffic.commands) == 1


def test_a_refused_save_keeps_the_edits_and_says_why(
    qtbot: QtBot, lead: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window thought the person a lead; the database knows better."""
    lead.dispatcher.actor = lead.person(Role.AGENT).name
    traffic = Traffic(lead, monkeypatch)
    dialog = make(qtbot, lead, policy="laioutr")
    stage(dialog, OFFSITE)
    settle(qtbot, lead.dispatcher)
    dialog.holidays.save_button.click()
    settle(qtbot, lead.dispatcher)
    assert len(traffic.commands) == 1
    status = dialog.holidays.status_label.text()
    assert status.startswith("Not saved: ") and "lead" in status
    assert dialog.has_unsaved_changes() and dialog.holidays.save_button.isEnabled()
    assert lead.read(HolidayPeriods()) == [WINTER]


def test_staged_periods_feed_the_calculator(qtbot: QtBot, reader: Backend) -> None:
    dialog = make(qtbot, reader, policy="laioutr")
    choose(dialog, "standard", 3, "initial_response:0")
    assert dialog.calculator.result_label.text().endswith("— 12 business hours on Laioutr 24 / 5")
    dialog.set_start(datetime(2026, 11, 24, 9, 0, tzinfo=LOS_ANGELES))
    before = dialog.due()
    stage(dialog, OFFSITE)
    after = dialog.due()
    assert before is not None and after is not None and after > before
    assert "unsaved" in dialog.calculator.note_label.text()
    settle(qtbot, reader.dispatcher)


@pytest.mark.parametrize("policy", ["laioutr", "layer0"])
def test_agents_cannot_edit(
    qtbot: QtBot, reader: Backend, monkeypatch: pytest.MonkeyPatch, policy: str
) -> None:
    traffic = Traffic(reader, monkeypatch)
    dialog = make(qtbot, reader, can_edit=False, policy=policy)
    dialog.select_policy("laioutr")
    holidays = dialog.holidays
    for widget in (
        holidays.first_edit,
        holidays.last_edit,
        holidays.reason_edit,
        holidays.add_button,
        holidays.remove_button,
        holidays.revert_button,
        holidays.save_button,
    ):
        assert not widget.isEnabled(), widget.objectName()
        assert widget.toolTip() == EDIT_DENIED
    assert holidays.status_label.text() == EDIT_DENIED
    holidays.reason_edit.setText("Team offsite")
    holidays.add_button.click()
    holidays.save_button.click()
    assert traffic.moves() == [] and traffic.commands == []
    assert len(holiday_rows(dialog)) == 1  # the period is still shown


def test_another_leads_edit_keeps_the_staged_ones(
    qtbot: QtBot, lead: Backend, own_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(lead, monkeypatch)
    dialog = make(qtbot, lead, policy="laioutr")
    stage(dialog, OFFSITE)
    settle(qtbot, lead.dispatcher)

    other = Backend(own_url, FakeTime(NOW))
    try:
        other.dispatcher.actor = other.person(Role.LEAD).name
        easter = HolidayPeriod(None, "laioutr", date(2027, 3, 29), date(2027, 4, 2), "Easter")
        pending = other.dispatcher.send(EditHolidayPeriods("laioutr", (easter,), (WINTER,)))
        with qtbot.waitSignal(pending.finished, timeout=10_000):
            pass
    finally:
        other.close()

    dialog.reload_periods()
    settle(qtbot, lead.dispatcher)
    saved = lead.read(HolidayPeriods())
    assert [p.reason for p in dialog.staged_periods()] == ["Team offsite", "Easter"]
    assert [p.reason for p in saved] == ["Easter"]
    assert traffic.moves()[-1] == HolidayMoves("laioutr", company(OFFSITE, *saved))
    moved = lead.read(traffic.moves()[-1])
    assert dialog.holidays.moves_label.text().startswith(f"Moves {moved} ")
    assert ("29 Mar 2027", "Easter", "") in holiday_rows(dialog)


# --------------------------------------------------------------------------- presences

BAVARIA = Presence("DE", "BY")


def presence_rows(dialog: CalendarsDialog) -> list[tuple[str, str, str]]:
    tree = dialog.presences.presence_list
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [(i.text(0), i.text(1), i.text(2)) for i in items if i is not None]


def stage_presence(dialog: CalendarsDialog, country: str, region: str | None = None) -> None:
    presences = dialog.presences
    presences.choose(country, region)
    assert presences.add_button.isEnabled(), presences.add_button.toolTip()
    presences.add_button.click()


def test_without_presences_the_policy_files_holidays_are_in_force(
    qtbot: QtBot, reader: Backend
) -> None:
    dialog = make(qtbot, reader, policy="laioutr")
    presences = dialog.presences
    assert presences.isVisibleTo(dialog)
    assert presences.in_force_label.text() == ("In force: DE (Germany), the policy file's default")
    assert presence_rows(dialog) == [("None named: the policy file's (DE) apply", "", "")]
    assert dialog.staged_presences() == ()
    closed = dialog.detail_lines("24x5", "closed")
    assert "Sat 3 Oct — German Unity Day" in closed
    assert not any("Epiphany" in line for line in closed)
    assert not presences.save_button.isEnabled() and not presences.revert_button.isEnabled()
    # The choices are the holidays package's; Germany first, the whole country.
    assert presences.country_choice.currentData() == "DE"
    assert presences.subdivision_choice.currentText() == "whole country"
    presences.choose("AT", "9")
    assert presences.subdivision_choice.currentText() == "9 — Wien"
    assert presences.add_button.isEnabled()
    assert presences.add_button.toolTip() == "Stage this presence (saved with Save)"
    stage_presence(dialog, "AT", "9")
    assert not presences.add_button.isEnabled()  # listed now
    assert presences.add_button.toolTip() == "AT-9 is already listed"
    settle(qtbot, reader.dispatcher)


def test_staged_presences_count_their_moves_and_feed_the_calculator(
    qtbot: QtBot, reader: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(reader, monkeypatch)
    dialog = make(qtbot, reader, policy="laioutr")
    choose(dialog, "standard", 3, "initial_response:0")
    # Tue 5 Jan 2027 18:00 in Berlin + 12 h: Wed 06:00, or Thu 06:00 over Bavaria's Epiphany.
    dialog.set_start(datetime(2027, 1, 5, 17, 0, tzinfo=UTC))
    assert dialog.due() == datetime(2027, 1, 6, 5, 0, tzinfo=UTC)

    stage_presence(dialog, "DE", "BY")
    assert traffic.presence_moves() == [PresenceMoves("laioutr", (BAVARIA,))]
    assert dialog.presences.moves_label.text() == COUNTING_TEXT
    assert presence_rows(dialog) == [("DE-BY", "Bayern, Germany", "new")]
    assert dialog.staged_presences() == (BAVARIA,) and dialog.has_unsaved_changes()
    assert dialog.due() == datetime(2027, 1, 7, 5, 0, tzinfo=UTC)
    assert "unsaved presence changes" in dialog.calculator.note_label.text()
    settle(qtbot, reader.dispatcher)
    moved = reader.read(PresenceMoves("laioutr", (BAVARIA,)))
    assert dialog.presences.moves_label.text().startswith(f"Moves {moved} ")
    # The saved presences still close the calendar list, until saved.
    assert not any("Epiphany" in line for line in dialog.detail_lines("24x5", "closed"))

    dialog.presences.revert_button.click()
    assert dialog.staged_presences() == () and not dialog.has_unsaved_changes()
    assert dialog.due() == datetime(2027, 1, 6, 5, 0, tzinfo=UTC)
    assert traffic.commands == []


def test_a_leads_presences_are_saved_in_one_command_and_read_again(
    qtbot: QtBot, lead: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(lead, monkeypatch)
    dialog = make(qtbot, lead, policy="laioutr")
    read: list[object] = []
    dialog.presencesChanged.connect(read.append)
    stage_presence(dialog, "DE", "BY")
    stage_presence(dialog, "AT", "9")
    settle(qtbot, lead.dispatcher)
    moved = lead.read(PresenceMoves("laioutr", dialog.staged_presences()))
    queries = len(traffic.queries)

    dialog.presences.save_button.click()
    assert traffic.commands == [SetPresences("laioutr", (Presence("AT", "9"), BAVARIA), seen=())]
    assert dialog.presences.status_label.text() == "Saving…"
    assert not dialog.presences.save_button.isEnabled()
    settle(qtbot, lead.dispatcher)
    assert traffic.queries[queries:] == [Presences()]  # read again after the save
    saved = lead.read(Presences())
    assert [p.presence.code for p in saved] == ["AT-9", "DE-BY"]
    assert read == [saved] and not dialog.has_unsaved_changes()
    assert dialog.presences.in_force_label.text() == (
        "In force: AT-9 (Wien, Austria), DE-BY (Bayern, Germany)"
    )
    assert presence_rows(dialog) == [
        ("AT-9", "Wien, Austria", ""),
        ("DE-BY", "Bayern, Germany", ""),
    ]
    noun = "due instant" if moved == 1 else "due instants"
    assert dialog.presences.status_label.text() == f"Saved; {moved} {noun} moved"
    closed = dialog.detail_lines("24x5", "closed")
    assert "Tue 6 Jan — Epiphany" in closed and "Tue 8 Dec — Immaculate Conception" in closed

    # Removing them all gives back the policy file's.
    for presence in (Presence("AT", "9"), BAVARIA):
        select_presence(dialog, presence)
        dialog.presences.remove_button.click()
    assert [r[2] for r in presence_rows(dialog)] == ["removed", "removed"]
    dialog.presences.save_button.click()
    settle(qtbot, lead.dispatcher)
    assert traffic.commands[-1] == SetPresences("laioutr", (), seen=(Presence("AT", "9"), BAVARIA))
    assert lead.read(Presences()) == []
    assert dialog.presences.in_force_label.text().endswith("the policy file's default")


def select_presence(dialog: CalendarsDialog, presence: Presence) -> None:
    tree = dialog.presences.presence_list
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == presence:
            tree.setCurrentItem(item)
            return
    raise LookupError(presence)


def test_a_refused_presence_save_keeps_the_edits_and_says_why(qtbot: QtBot, lead: Backend) -> None:
    lead.dispatcher.actor = lead.person(Role.AGENT).name  # the database knows better
    dialog = make(qtbot, lead, policy="laioutr")
    stage_presence(dialog, "DE", "BY")
    settle(qtbot, lead.dispatcher)
    dialog.presences.save_button.click()
    settle(qtbot, lead.dispatcher)
    status = dialog.presences.status_label.text()
    assert status.startswith("Not saved: Editing calendars is for team leads")
    assert dialog.has_unsaved_changes() and dialog.presences.save_button.isEnabled()
    assert lead.read(Presences()) == []


def test_another_leads_presences_meanwhile_refuse_the_save_and_are_shown(
    qtbot: QtBot, lead: Backend, own_url: str
) -> None:
    dialog = make(qtbot, lead, policy="laioutr")
    stage_presence(dialog, "DE", "BY")
    settle(qtbot, lead.dispatcher)

    other = Backend(own_url, FakeTime(NOW))
    try:
        other.dispatcher.actor = other.person(Role.LEAD).name
        pending = other.dispatcher.send(SetPresences("laioutr", (Presence("AT", "9"),)))
        with qtbot.waitSignal(pending.finished, timeout=10_000):
            pass
    finally:
        other.close()

    dialog.presences.save_button.click()
    settle(qtbot, lead.dispatcher)
    assert dialog.presences.status_label.text() == (
        "Not saved: Laioutr's presences were changed by someone else (they are now AT-9); "
        "nothing was saved"
    )
    # Read again: theirs are saved, this lead's edit is staged over them.
    assert presence_rows(dialog) == [
        ("AT-9", "Wien, Austria", ""),
        ("DE-BY", "Bayern, Germany", "new"),
    ]
    assert dialog.presences.in_force_label.text() == "In force: AT-9 (Wien, Austria)"
    dialog.presences.save_button.click()
    settle(qtbot, lead.dispatcher)
    assert [p.presence.code for p in lead.read(Presences())] == ["AT-9", "DE-BY"]


def test_agents_cannot_edit_presences(
    qtbot: QtBot, reader: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic(reader, monkeypatch)
    dialog = make(qtbot, reader, can_edit=False, policy="laioutr")
    presences = dialog.presences
    for widget in (
        presences.country_choice,
        presences.subdivision_choice,
        presences.add_button,
        presences.remove_button,
        presences.revert_button,
        presences.save_button,
    ):
        assert not widget.isEnabled(), widget.objectName()
        assert widget.toolTip() == EDIT_DENIED
    presences.add_button.click()
    presences.save_button.click()
    assert traffic.presence_moves() == [] and traffic.commands == []
    assert presences.in_force_label.text().startswith("In force: DE (Germany)")
