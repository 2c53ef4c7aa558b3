"""The shift handover board view on a SQLite demo database, through a real dispatcher: sections
and counts, the window chooser and superseded boards, live countdowns without rebuilds, notes
to hand over, acknowledgement, handovers made on other consoles, and failures shown."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Handover
from console.domain.policy import load_policies
from console.domain.queue import ClockState
from console.qt import theme
from console.qt.dispatcher import Dispatcher, Pending
from console.qt.handover_model import (
    COL_COUNTDOWN,
    COL_CUSTOMER,
    COL_KEY,
    COL_NOTE,
    COL_OWNER,
    COL_TITLE,
    COL_WHEN,
    COUNT_ROLE,
    HEADERS,
    ROW_ROLE,
    STATE_ROLE,
    BoardModel,
    section_of,
)
from console.qt.handover_view import HandoverView
from console.services.commands import AcknowledgeHandover, Command, HandOver
from console.services.handover import DEFAULT_SHIFTS, HandoverBoard, Section
from console.services.handover_texts import UNASSIGNED
from console.services.texts import countdown_text, when_text
from console.services.tickets import PolicyBook
from console.services.views import Agents, Board, Query
from consoles import NOW, demo_database, settle
from history import acknowledge, hand_over

T = TypeVar("T")

ZURICH = ZoneInfo("Europe/Zurich")  # NOW is Fri 15:30 there
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
HOURS_8 = (NOW, NOW + timedelta(hours=8))
ME = "marcus.reed"
AUTHOR = "ana.ortiz"
DASH = "\u2013"  # the en dash between a window's ends


class RecordingDispatcher(Dispatcher):
    """The console's dispatcher, noting every query asked and command sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[Query[Any]] = []
        self.sent: list[Command] = []

    def ask(self, query: Query[T]) -> Pending[T]:
        self.asked.append(query)
        return super().ask(query)

    def send(self, command: Command) -> Pending[Any]:
        self.sent.append(command)
        return super().send(command)

    def windows(self) -> list[tuple[datetime, datetime]]:
        """The windows of the boards asked for, in order."""
        return [(q.start, q.end) for q in self.asked if isinstance(q, Board)]


@dataclass
class Desk:
    """A handover view on its own copy of the demo database, with its dispatcher and clock."""

    qtbot: QtBot
    database: Database
    book: PolicyBook
    clock: FakeTime
    dispatcher: RecordingDispatcher
    names: dict[str, str]

    def view(self, me: str | None = ME) -> HandoverView:
        view = HandoverView(ZURICH, DEFAULT_SHIFTS, me, self.names, self.dispatcher, now=self.clock)
        self.qtbot.addWidget(view)
        view.resize(1400, 800)
        return view

    def settle(self) -> None:
        settle(self.qtbot, self.dispatcher)

    def board(self, start: datetime, end: datetime) -> HandoverBoard:
        """The board as the database has it now."""
        return Board(start, end).run(self.uow(write=False), self.book)

    def uow(self, *, write: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database, write=write, now=self.clock)

    def hand_over_elsewhere(self, note: str = "Quiet morning", **notes: str) -> Handover:
        """A handover by AUTHOR of the eight hours before now, from another console."""
        stored: Handover = hand_over(self.uow(), AUTHOR, NOW - timedelta(hours=8), NOW, note, notes)
        return stored


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data (300 tickets), made once: every section of an 8-hour board has tickets."""
    folder = tmp_path_factory.mktemp("handover")
    demo_database(folder, tickets=300, seed=7)
    return folder / "console.sqlite3"


@pytest.fixture
def desk(qtbot: QtBot, demo_file: Path, tmp_path: Path) -> Iterator[Desk]:
    copy = tmp_path / "console.sqlite3"
    shutil.copyfile(demo_file, copy)
    database = Database.open(f"sqlite:///{copy}")
    book = PolicyBook(load_policies())
    clock = FakeTime(NOW)
    dispatcher = RecordingDispatcher(database, book, clock, actor=ME)
    agents = Agents().run(SqlUnitOfWork(database, write=False), book)
    names = {a.name: a.display_name for a in agents}
    yield Desk(qtbot, database, book, clock, dispatcher, names)
    dispatcher.stop()
    database.dispose()


@pytest.fixture
def shown(desk: Desk) -> HandoverView:
    """A view shown, with the 8-hour board it asked for."""
    view = desk.view()
    view.show()
    desk.settle()
    assert desk.dispatcher.windows() == [HOURS_8]
    assert view.board is not None and (view.board.start, view.board.end) == HOURS_8
    return view


def cell(view: HandoverView, section: Section, row: int, column: int, role: int = 0) -> object:
    """A cell of a ticket row (role 0: DisplayRole)."""
    parent = view.model.section_index(section)
    return view.model.index(row, column, parent).data(role)


def column(view: HandoverView, section: Section, col: int) -> list[object]:
    return [cell(view, section, i, col) for i in range(len(view.model.rows(section)))]


def failure_dialog(view: HandoverView) -> QMessageBox:
    dialog = view.findChild(QMessageBox, "failureDialog")
    assert isinstance(dialog, QMessageBox) and dialog.isVisible()
    return dialog


# ---------------------------------------------------------------------- the model


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester, desk: Desk) -> None:
    board = desk.board(*HOURS_8)
    model = BoardModel(ZURICH, NOW, desk.names)
    qtmodeltester.check(model)  # empty sections
    model.set_board(board)
    qtmodeltester.check(model)  # watches what follows as it happens
    model.set_now(NOW + timedelta(minutes=5))
    model.set_now(NOW + timedelta(hours=12))  # the next day: the When column changes too
    key = board.keys(Section.WILL_BREACH)[0]
    parent = model.section_index(Section.WILL_BREACH)
    assert model.setData(model.index(0, COL_NOTE, parent), "  Call at 9 ")
    assert model.notes() == {key: "Call at 9"}
    assert not model.setData(model.index(0, COL_KEY, parent), "nope")
    model.set_zone(LOS_ANGELES)
    model.set_people({})
    model.set_board(desk.board(NOW, NOW + timedelta(hours=2)))
    model.forget_edits({key: "Call at 9"})
    assert model.edits() == {}
    model.set_board(None)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == list(HEADERS)


# ---------------------------------------------------------------------- the board


def test_first_show_asks_for_the_next_eight_hours(desk: Desk) -> None:
    view = desk.view()
    assert view.objectName() == "handoverView"
    assert desk.dispatcher.asked == []  # nothing is loaded for a view never shown
    view.show()
    assert desk.dispatcher.windows() == [HOURS_8]
    assert view.chosen_window == HOURS_8
    assert view.window_choice.currentText() == "Next 8 hours"
    assert view.window_label.text() == f"Fri 20 Nov 15:30{DASH}23:30 CET"
    assert view.status_label.text() == "Loading…"
    desk.settle()
    assert view.status_label.text() == "Updated 15:30 CET"
    view.hide()
    view.show()
    assert desk.dispatcher.windows() == [HOURS_8]  # asked once; the refresh button asks again
    desk.clock.now = NOW + timedelta(minutes=3)
    view.refresh_button.click()
    assert desk.dispatcher.windows()[-1] == (desk.clock.now, desk.clock.now + timedelta(hours=8))


def test_the_board_fills_the_sections(desk: Desk, shown: HandoverView) -> None:
    view, board = shown, desk.board(*HOURS_8)
    model = view.model
    assert model.rowCount() == len(Section)
    for number, section in enumerate(Section):
        header = model.index(number, 0)
        count = len(board.sections[section])
        assert count  # the demo fills every section
        assert section_of(header) is section
        assert header.data(COUNT_ROLE) == count
        assert header.data() == f"{section.heading} ({count})"
        assert model.rowCount(header) == count
        assert model.keys(section) == board.keys(section)
        assert column(view, section, COL_KEY) == board.keys(section)
        assert view.tree.isFirstColumnSpanned(number, QModelIndex())
        assert view.tree.isExpanded(header)
        for i, row in enumerate(board.sections[section]):
            ticket = row.row.ticket
            assert cell(view, section, i, COL_KEY, ROW_ROLE) == row
            assert cell(view, section, i, COL_TITLE) == ticket.title
            assert cell(view, section, i, COL_CUSTOMER) == row.row.customer.name
            owner = desk.names[ticket.assignee] if ticket.assignee else UNASSIGNED
            assert cell(view, section, i, COL_OWNER) == owner
            countdown = str(cell(view, section, i, COL_COUNTDOWN))
            assert countdown.startswith(countdown_text(row.row.countdown(NOW)))

    assert set(column(view, Section.UNASSIGNED, COL_OWNER)) == {UNASSIGNED}
    for i in range(len(board.sections[Section.BREACHED])):
        assert str(cell(view, Section.BREACHED, i, COL_COUNTDOWN)).startswith("overdue ")
        red = cell(view, Section.BREACHED, i, COL_COUNTDOWN, Qt.ItemDataRole.ForegroundRole)
        assert red == theme.colours().alarm
        assert cell(view, Section.BREACHED, i, COL_COUNTDOWN, STATE_ROLE) == ClockState.BREACHED
    for section in (Section.WILL_BREACH, Section.RESUMING):
        for i, row in enumerate(board.sections[section]):
            assert row.when is not None
            assert cell(view, section, i, COL_WHEN) == when_text(row.when, ZURICH, NOW)
    waiting = [str(t) for t in column(view, Section.RESUMING, COL_COUNTDOWN)]
    assert all(" \u00b7 closed until " in text for text in waiting)
    assert all("paused" in str(text) for text in column(view, Section.PAUSED, COL_COUNTDOWN))
    assert set(column(view, Section.PAUSED, COL_WHEN)) == {""}
    assert view.banner_text.text() == "No handover recorded yet"
    assert view.error_label.isHidden()


def test_window_chooser_asks_for_the_chosen_window(
    desk: Desk, shown: HandoverView, qtbot: QtBot
) -> None:
    view, windows = shown, desk.dispatcher.windows
    choice = view.window_choice
    assert [choice.itemText(i).split()[0] for i in range(choice.count())] == [
        "Next",
        "EMEA",
        "AMER",
        "APAC",
    ]
    choice.setCurrentIndex(2)  # AMER: 15:00-23:00 Los Angeles
    amer = DEFAULT_SHIFTS[1].window(NOW)
    assert windows()[-1] == amer == view.chosen_window
    assert view.window_label.text() == f"Sat 21 Nov 00:00{DASH}08:00 CET"
    assert view.hours_spin.isHidden()
    desk.settle()
    assert view.board is not None and (view.board.start, view.board.end) == amer
    view.choose_shift("emea")  # over for today: tomorrow's
    emea = DEFAULT_SHIFTS[0].window(NOW)
    assert emea[0].astimezone(ZURICH).day == 21
    assert windows()[-1] == emea == view.chosen_window

    desk.clock.now = later = NOW + timedelta(minutes=2)
    choice.setCurrentIndex(0)
    assert windows()[-1] == (later, later + timedelta(hours=8))
    assert not view.hours_spin.isHidden()
    asked = len(windows())
    view.hours_spin.setValue(11)
    view.hours_spin.setValue(12)  # typing "12": one request once the number settles
    assert len(windows()) == asked and view.hours_timer.isActive()
    qtbot.waitUntil(lambda: len(windows()) == asked + 1, timeout=2000)
    assert not view.hours_timer.isActive()
    assert windows()[-1] == (later, later + timedelta(hours=12))
    assert choice.currentText() == "Next 12 hours"
    view.choose_hours(1)
    assert windows()[-1] == (later, later + timedelta(hours=1))
    assert choice.currentText() == "Next 1 hour"
    desk.settle()
    assert view.board is not None and (view.board.start, view.board.end) == windows()[-1]


def test_a_superseded_board_never_paints(desk: Desk, shown: HandoverView) -> None:
    """Choosing windows faster than boards come back shows the last one chosen only."""
    view = shown
    painted: list[tuple[datetime, datetime]] = []
    view.model.modelReset.connect(
        lambda: painted.append((view.board.start, view.board.end)) if view.board else None
    )
    view.choose_shift("AMER")
    view.choose_shift("APAC")
    view.choose_shift("EMEA")
    assert view.status_label.text() == "Loading…"
    desk.settle()
    emea = DEFAULT_SHIFTS[0].window(NOW)
    assert desk.dispatcher.windows()[-3:] == [
        DEFAULT_SHIFTS[1].window(NOW),
        DEFAULT_SHIFTS[2].window(NOW),
        emea,
    ]
    assert painted == [emea]
    assert view.model.keys(Section.WILL_BREACH) == desk.board(*emea).keys(Section.WILL_BREACH)
    assert view.status_label.text() == "Updated 15:30 CET"


def test_a_board_that_cannot_be_loaded_says_why(
    desk: Desk, shown: HandoverView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = shown
    shown_before = view.board

    def broken(*args: object) -> HandoverBoard:
        raise ValueError("the handover records are being migrated")

    monkeypatch.setattr(Board, "read", broken)
    view.refresh()
    desk.settle()
    assert view.error_label.isVisible()
    assert view.error_label.text() == (
        "The board could not be loaded: the handover records are being migrated"
    )
    assert view.status_label.text() == "Not loaded"
    assert view.board is shown_before  # the last board stays, said to be old

    monkeypatch.undo()
    view.refresh()
    desk.settle()
    assert view.error_label.isHidden() and view.status_label.text() == "Updated 15:30 CET"


def test_tick_moves_countdowns_without_rebuilding_rows(desk: Desk, shown: HandoverView) -> None:
    view, board = shown, desk.board(*HOURS_8)
    model = view.model
    structure: list[str] = []
    for signal in (
        model.modelReset,
        model.rowsInserted,
        model.rowsRemoved,
        model.layoutChanged,
        model.rowsMoved,
    ):
        signal.connect(lambda *_, name=str(signal): structure.append(name))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, roles=None: changed.append((top.column(), bottom.column()))
    )
    breached = model.rows(Section.BREACHED)
    before = column(view, Section.BREACHED, COL_COUNTDOWN)
    kept = QPersistentModelIndex(model.index(1, COL_KEY, model.section_index(Section.BREACHED)))

    view.tick(NOW + timedelta(minutes=10))

    assert structure == []
    assert changed and set(changed) == {(COL_COUNTDOWN, COL_COUNTDOWN)}
    after = column(view, Section.BREACHED, COL_COUNTDOWN)
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert model.rows(Section.BREACHED) is breached
    assert kept.isValid() and kept.row() == 1 and kept.data() == breached[1].key

    # A running clock due during the window turns red once its due instant has passed.
    running = [
        (i, r)
        for i, r in enumerate(board.sections[Section.WILL_BREACH])
        if r.row.countdown(NOW).state is ClockState.RUNNING
    ]
    assert running
    i, row = running[0]
    assert row.when is not None
    assert cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN, STATE_ROLE) == ClockState.RUNNING
    view.tick(row.when + timedelta(minutes=1))
    assert cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN) == "overdue 1m 00s"
    red = cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN, Qt.ItemDataRole.ForegroundRole)
    assert red == theme.colours().alarm
    assert structure == []


def test_past_midnight_the_instants_of_yesterday_name_their_day(
    desk: Desk, shown: HandoverView
) -> None:
    view = shown
    when = str(cell(view, Section.WILL_BREACH, 0, COL_WHEN))
    assert when[0].isdigit()  # "16:16": later today
    changed: list[int] = []
    view.model.dataChanged.connect(lambda top, bottom, roles=None: changed.append(top.column()))
    view.tick(NOW + timedelta(minutes=1))
    assert COL_WHEN not in changed
    view.tick(datetime(2026, 11, 21, 0, 5, tzinfo=ZURICH))
    assert COL_WHEN in changed
    assert cell(view, Section.WILL_BREACH, 0, COL_WHEN) == f"yesterday {when}"


# ---------------------------------------------------------------------- handing over


def shared_key(board: HandoverBoard) -> str:
    """A ticket that breaches during the window and resumes before: in two sections."""
    both = set(board.keys(Section.WILL_BREACH)) & set(board.keys(Section.RESUMING))
    assert both
    return sorted(both)[0]


def open_editor(view: HandoverView, key: str, section: Section) -> QLineEdit:
    index = view.note_index(key, section)
    assert index.isValid()
    view.tree.setCurrentIndex(index)
    view.tree.edit(index)
    editors = [e for e in view.tree.findChildren(QLineEdit, "noteEditor") if e.isVisible()]
    assert len(editors) == 1
    return editors[0]


def test_notes_typed_in_cells_and_the_overall_note_are_handed_over(
    desk: Desk, shown: HandoverView, qtbot: QtBot
) -> None:
    view, board = shown, desk.board(*HOURS_8)
    key = shared_key(board)
    editor = open_editor(view, key, Section.WILL_BREACH)
    qtbot.keyClicks(editor, "Customer calls back at 16:00")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits once back in the event loop
    qtbot.waitUntil(lambda: bool(view.note_index(key, Section.WILL_BREACH).data()), timeout=2000)
    assert view.note_index(key, Section.RESUMING).data() == (
        "Customer calls back at 16:00"  # one note per ticket, shown in each section
    )
    other = board.keys(Section.BREACHED)[0]
    blank = board.keys(Section.PAUSED)[0]
    assert view.model.setData(view.note_index(blank), "   ")  # nothing to say: not sent
    editor = open_editor(view, other, Section.BREACHED)
    qtbot.keyClicks(editor, "Escalated to engineering")  # still typing when handing over
    qtbot.keyClicks(view.note_edit, "Quiet evening ")
    assert "with 1 ticket note." in view.summary_label.text()  # the open editor's is not in
    assert view.hand_over_button.isEnabled()

    qtbot.mouseClick(view.hand_over_button, Qt.MouseButton.LeftButton)

    notes = {key: "Customer calls back at 16:00", other: "Escalated to engineering"}
    assert desk.dispatcher.sent == [HandOver(*HOURS_8, "Quiet evening", notes)]
    assert not view.hand_over_button.isEnabled()  # once
    assert view.hand_over_button.text() == "Handing over…"
    desk.settle()

    # Stored, and the board asked for again shows it as the last handover.
    latest = desk.board(*HOURS_8).last
    assert latest is not None and latest.author == ME and dict(latest.ticket_notes) == notes
    assert desk.dispatcher.windows() == [HOURS_8, HOURS_8]
    assert view.board is not None and view.board.last == latest
    assert view.banner_text.text() == (
        "Last handover by Marcus Reed, 15:30 \u2014 not acknowledged yet"
    )
    assert view.banner_note.text() == "\u201cQuiet evening\u201d"
    assert view.note_edit.toPlainText() == "" and view.model.edits() == {}
    assert view.notes() == notes  # now as the last handover's notes
    assert view.hand_over_button.isEnabled() and view.hand_over_button.text() == "Hand over"
    assert not view.acknowledge_button.isEnabled()  # my own


def test_a_refused_hand_over_shows_why_and_keeps_what_was_typed(
    desk: Desk, shown: HandoverView, qtbot: QtBot
) -> None:
    view, board = shown, desk.board(*HOURS_8)
    key = board.keys(Section.UNASSIGNED)[0]
    assert view.model.setData(view.note_index(key), "VIP: take first")
    qtbot.keyClicks(view.note_edit, "Quiet evening")
    desk.dispatcher.online = False  # the database cannot be reached

    view.hand_over_button.click()
    desk.settle()

    assert "cannot be reached" in failure_dialog(view).text()
    assert desk.board(*HOURS_8).last is None  # nothing stored
    assert desk.dispatcher.windows() == [HOURS_8, HOURS_8]  # the board asked for again
    assert view.notes() == {key: "VIP: take first"}
    assert view.note_edit.toPlainText() == "Quiet evening"
    assert view.hand_over_button.isEnabled()  # it can be tried again
    failure_dialog(view).accept()

    desk.dispatcher.online = True
    view.hand_over_button.click()
    desk.settle()
    assert desk.dispatcher.sent[-1] == HandOver(*HOURS_8, "Quiet evening", {key: "VIP: take first"})
    assert view.board is not None and view.board.last is not None
    assert view.notes() == {key: "VIP: take first"} and view.model.edits() == {}


def test_the_last_handovers_notes_are_carried_and_can_be_cleared(
    desk: Desk, shown: HandoverView
) -> None:
    view = shown
    key = desk.board(*HOURS_8).keys(Section.BREACHED)[0]
    desk.hand_over_elsewhere(**{key: "Waiting on logs"})
    view.refresh()
    desk.settle()
    index = view.note_index(key)
    assert index.data() == "Waiting on logs"
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "Ana Ortiz" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    assert view.notes() == {key: "Waiting on logs"}
    assert view.model.setData(index, "")
    view.hand_over_button.click()
    assert desk.dispatcher.sent == [HandOver(*HOURS_8, "", {})]


def test_typed_notes_and_the_selection_survive_a_refresh(desk: Desk, shown: HandoverView) -> None:
    view = shown
    key = desk.board(*HOURS_8).keys(Section.UNASSIGNED)[3]
    index = view.note_index(key, Section.UNASSIGNED)
    assert view.model.setData(index, "VIP: take first")
    view.tree.setCurrentIndex(index.siblingAtColumn(COL_KEY))
    view.tree.collapse(view.model.section_index(Section.PAUSED))
    desk.clock.now = NOW + timedelta(minutes=1)
    view.refresh()
    desk.settle()
    assert view.board is not None and view.board.start == desk.clock.now
    assert view.note_index(key).data() == "VIP: take first"
    current = view.tree.currentIndex()
    assert current.data(ROW_ROLE).key == key and current.column() == COL_KEY
    assert section_of(current) is Section.UNASSIGNED
    assert not view.tree.isExpanded(view.model.section_index(Section.PAUSED))
    assert view.tree.isExpanded(view.model.section_index(Section.UNASSIGNED))


def test_hand_over_needs_to_know_who_i_am(desk: Desk) -> None:
    view = desk.view(me=None)
    assert not view.hand_over_button.isEnabled()
    view.show()
    desk.settle()
    assert not view.hand_over_button.isEnabled()
    assert view.summary_label.text().startswith("Choose who you are")
    view.hand_over_button.click()
    assert desk.dispatcher.sent == []
    view.set_me(ME)
    assert view.hand_over_button.isEnabled()
    assert view.summary_label.text() == (
        f"Marcus Reed hands over Fri 20 Nov 15:30{DASH}23:30 CET with no ticket notes."
    )
    view.hand_over_button.click()
    assert desk.dispatcher.sent == [HandOver(*HOURS_8, "", {})]


def test_ticket_rows_open_the_ticket(shown: HandoverView, qtbot: QtBot) -> None:
    view = shown
    key_cell = view.model.index(0, COL_KEY, view.model.section_index(Section.WILL_BREACH))
    with qtbot.waitSignal(view.ticketActivated) as signal:
        view.tree.doubleClicked.emit(key_cell)
    assert signal.args == [key_cell.data()]
    with qtbot.assertNotEmitted(view.ticketActivated):
        view.tree.doubleClicked.emit(key_cell.siblingAtColumn(COL_NOTE))
        view.tree.doubleClicked.emit(view.model.section_index(Section.BREACHED))


# ---------------------------------------------------------------------- other consoles


def test_a_refresh_shows_the_handover_made_on_another_console(
    desk: Desk, shown: HandoverView
) -> None:
    """What the main window does when the change feed reports a handover."""
    view = shown
    button = view.acknowledge_button
    assert view.banner.property("state") == "none"
    assert button.isHidden() and not button.isEnabled()

    desk.hand_over_elsewhere()
    view.refresh()
    desk.settle()

    assert view.banner_text.text() == (
        "Last handover by Ana Ortiz, 15:30 \u2014 not acknowledged yet"
    )
    assert view.banner_note.text() == "\u201cQuiet morning\u201d"
    assert view.banner.property("state") == "pending"
    assert f"For Fri 20 Nov 07:30{DASH}15:30 CET; 0 ticket notes" == view.banner.toolTip()
    assert not button.isHidden() and button.isEnabled()


def test_acknowledging_follows_the_author_and_the_state(
    desk: Desk, shown: HandoverView, qtbot: QtBot
) -> None:
    view = shown
    button = view.acknowledge_button
    stored = desk.hand_over_elsewhere()
    view.refresh()
    desk.settle()
    view.set_me(AUTHOR)  # the author does not acknowledge their own handover
    assert not button.isEnabled()
    assert "Someone else" in button.toolTip()
    view.set_me(None)
    assert not button.isEnabled()
    view.set_me(ME)
    assert button.isEnabled()

    desk.clock.now = NOW + timedelta(minutes=4)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert stored.id is not None
    assert desk.dispatcher.sent == [AcknowledgeHandover(stored.id, stored.version)]
    assert not button.isEnabled() and button.text() == "Acknowledging…"
    assert not view.hand_over_button.isEnabled()  # one command at a time
    desk.settle()

    assert view.banner_text.text() == (
        "Last handover by Ana Ortiz, earlier today 15:30 \u2014 acknowledged by Marcus Reed, 15:34"
    )
    assert view.banner.property("state") == "done"
    assert button.isHidden() and not button.isEnabled() and button.text() == "Acknowledge"


def test_acknowledging_a_handover_someone_acknowledged_meanwhile_says_so(
    desk: Desk, shown: HandoverView
) -> None:
    view = shown
    stored = desk.hand_over_elsewhere()
    view.refresh()
    desk.settle()
    acknowledge(desk.uow(), stored, "priya.nair")  # on another console, before this one

    view.acknowledge_button.click()
    desk.settle()

    assert "was changed by someone else" in failure_dialog(view).text()
    assert "acknowledged by Priya Nair" in view.banner_text.text()  # the board asked again
    assert view.acknowledge_button.isHidden()


# ---------------------------------------------------------------------- the rest


def test_zone_and_names_can_change(desk: Desk, shown: HandoverView) -> None:
    view = shown
    view.set_zone(LOS_ANGELES)
    assert view.window_label.text() == f"Fri 20 Nov 06:30{DASH}14:30 PST"
    assert "06:30" in view.summary_label.text()
    view.set_agents({})
    owners = column(view, Section.BREACHED, COL_OWNER)
    assert all("." in str(owner) or owner == UNASSIGNED for owner in owners)
    assert view.summary_label.text().startswith(f"{ME} hands over")


def test_main_parts_have_object_names(shown: HandoverView) -> None:
    names = {
        "windowChoice",
        "windowHours",
        "windowLabel",
        "refreshBoard",
        "boardStatus",
        "boardError",
        "lastHandover",
        "lastHandoverText",
        "lastHandoverNote",
        "acknowledgeButton",
        "boardTree",
        "handoverForm",
        "handoverNote",
        "handoverSummary",
        "handOverButton",
    }
    found = {child.objectName() for child in shown.findChildren(QWidget)}
    assert names <= found
