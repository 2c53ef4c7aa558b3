"""The shift handover board view over demo data: sections and counts, the window chooser and
stale answers, live countdowns without rebuilds, notes to hand over, and acknowledgement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from conftest import FakeClock
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import Handover
from console.domain.policy import load_policies
from console.domain.queue import LiveState
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
from console.services.demo import load_demo
from console.services.handover import DEFAULT_SHIFTS, HandoverBoard, Section, load_board
from console.services.handover_texts import UNASSIGNED
from console.services.texts import countdown_text, time_text
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
HOURS_8 = (NOW, NOW + timedelta(hours=8))
ME = "marcus.reed"
AUTHOR = "ana.ortiz"
DASH = "\u2013"  # the en dash between a window's ends


@dataclass
class Demo:
    """Demo data in a fake store: every section of an 8-hour board has tickets."""

    store: FakeStore
    book: PolicyBook
    names: dict[str, str]

    def board(self, start: datetime, end: datetime) -> HandoverBoard:
        return within(
            FakeUnitOfWork(self.store, clock=lambda: NOW), load_board, self.book, start, end
        )


@pytest.fixture(scope="module")
def demo() -> Demo:
    store = FakeStore()
    book = PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, clock=lambda: NOW), book, tickets=300, seed=7, now=NOW)
    names = {a.name: a.display_name for a in store.agents.values()}
    return Demo(store, book, names)


@pytest.fixture(scope="module")
def board(demo: Demo) -> HandoverBoard:
    found = demo.board(*HOURS_8)
    assert all(found.sections[s] for s in Section)  # the demo fills every section
    return found


@dataclass
class Window:
    """What the main window is asked to do."""

    clock: FakeClock = field(default_factory=lambda: FakeClock(NOW))
    requests: list[tuple[datetime, datetime]] = field(default_factory=list)
    hand_overs: list[tuple[datetime, datetime, str, dict[str, str]]] = field(default_factory=list)
    acknowledged: list[Handover] = field(default_factory=list)

    def request(self, start: datetime, end: datetime) -> None:
        self.requests.append((start, end))

    def hand_over(self, start: datetime, end: datetime, note: str, notes: dict[str, str]) -> None:
        self.hand_overs.append((start, end, note, notes))

    def acknowledge(self, handover: Handover) -> None:
        self.acknowledged.append(handover)


def make(qtbot: QtBot, demo: Demo, *, me: str | None = ME) -> tuple[HandoverView, Window]:
    window = Window()
    view = HandoverView(
        ZURICH,
        DEFAULT_SHIFTS,
        me,
        demo.names,
        window.request,
        window.hand_over,
        window.acknowledge,
        window.clock,
    )
    qtbot.addWidget(view)
    view.resize(1400, 800)
    return view, window


@pytest.fixture
def shown(qtbot: QtBot, demo: Demo, board: HandoverBoard) -> Iterator[tuple[HandoverView, Window]]:
    """A view shown with the 8-hour board it asked for."""
    view, window = make(qtbot, demo)
    view.show()
    assert window.requests == [HOURS_8]
    assert view.show_board(board)
    yield view, window


def handover(**changes: object) -> Handover:
    record = Handover(
        7,
        AUTHOR,
        datetime(2026, 11, 20, 14, 2, tzinfo=UTC),  # Fri 15:02 in Zurich
        NOW - timedelta(hours=8),
        NOW,
        "Quiet morning",
        {},
        version=1,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def cell(view: HandoverView, section: Section, row: int, column: int, role: int = 0) -> object:
    """A cell of a ticket row (role 0: DisplayRole)."""
    parent = view.model.section_index(section)
    return view.model.index(row, column, parent).data(role)


def column(view: HandoverView, section: Section, col: int) -> list[object]:
    return [cell(view, section, i, col) for i in range(len(view.model.rows(section)))]


# ---------------------------------------------------------------------- the model


def test_model_passes_qtmodeltester(
    qtmodeltester: ModelTester, demo: Demo, board: HandoverBoard
) -> None:
    model = BoardModel(ZURICH, NOW, demo.names)
    qtmodeltester.check(model)  # empty sections
    model.set_board(board)
    qtmodeltester.check(model)  # watches what follows as it happens
    model.set_now(NOW + timedelta(minutes=5))
    key = board.keys(Section.WILL_BREACH)[0]
    parent = model.section_index(Section.WILL_BREACH)
    assert model.setData(model.index(0, COL_NOTE, parent), "  Call at 9 ")
    assert model.notes() == {key: "Call at 9"}
    assert not model.setData(model.index(0, COL_KEY, parent), "nope")
    model.set_zone(LOS_ANGELES)
    model.set_people({})
    model.set_board(demo.board(NOW, NOW + timedelta(hours=2)))
    model.forget_edits({})
    model.set_board(None)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == list(HEADERS)


# ---------------------------------------------------------------------- the board


def test_first_show_asks_for_the_next_eight_hours(qtbot: QtBot, demo: Demo) -> None:
    view, window = make(qtbot, demo)
    assert view.objectName() == "handoverView"
    assert window.requests == []  # nothing is loaded for a view never shown
    view.show()
    assert window.requests == [HOURS_8]
    assert view.chosen_window == HOURS_8
    assert view.window_choice.currentText() == "Next 8 hours"
    assert view.window_label.text() == f"Fri 20 Nov 15:30{DASH}23:30 CET"
    assert view.status_label.text() == "Loading…"
    view.hide()
    view.show()
    assert window.requests == [HOURS_8]  # asked once; the refresh button asks again
    window.clock.now = NOW + timedelta(minutes=3)
    view.refresh_button.click()
    assert window.requests[-1] == (window.clock.now, window.clock.now + timedelta(hours=8))


def test_show_board_fills_the_sections(
    shown: tuple[HandoverView, Window], demo: Demo, board: HandoverBoard
) -> None:
    view, _ = shown
    model = view.model
    assert model.rowCount() == len(Section)
    for number, section in enumerate(Section):
        header = model.index(number, 0)
        count = len(board.sections[section])
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
            assert cell(view, section, i, COL_KEY, ROW_ROLE) is row
            assert cell(view, section, i, COL_TITLE) == ticket.title
            assert cell(view, section, i, COL_CUSTOMER) == row.row.customer.name
            owner = demo.names[ticket.assignee] if ticket.assignee else UNASSIGNED
            assert cell(view, section, i, COL_OWNER) == owner
            countdown = str(cell(view, section, i, COL_COUNTDOWN))
            assert countdown.startswith(countdown_text(row.row.countdown(NOW)))

    assert set(column(view, Section.UNASSIGNED, COL_OWNER)) == {UNASSIGNED}
    for i in range(len(board.sections[Section.BREACHED])):
        assert str(cell(view, Section.BREACHED, i, COL_COUNTDOWN)).endswith("overdue")
        red = cell(view, Section.BREACHED, i, COL_COUNTDOWN, Qt.ItemDataRole.ForegroundRole)
        assert isinstance(red, QColor) and red.red() > 200 and red.green() < 100
        assert cell(view, Section.BREACHED, i, COL_COUNTDOWN, STATE_ROLE) == LiveState.BREACHED
    for section in (Section.WILL_BREACH, Section.RESUMING):
        for i, row in enumerate(board.sections[section]):
            assert row.when is not None
            assert cell(view, section, i, COL_WHEN) == time_text(row.when, ZURICH, NOW)
    assert all("paused" in str(text) for text in column(view, Section.PAUSED, COL_COUNTDOWN))
    assert set(column(view, Section.PAUSED, COL_WHEN)) == {""}
    assert view.status_label.text() == "Updated 15:30 CET"


def test_window_chooser_asks_for_the_chosen_window(
    shown: tuple[HandoverView, Window], qtbot: QtBot
) -> None:
    view, window = shown
    choice = view.window_choice
    assert [choice.itemText(i).split()[0] for i in range(choice.count())] == [
        "Next",
        "EMEA",
        "AMER",
        "APAC",
    ]
    choice.setCurrentIndex(2)  # AMER: 15:00-23:00 Los Angeles
    amer = DEFAULT_SHIFTS[1].window(NOW)
    assert amer == (datetime(2026, 11, 20, 23, tzinfo=UTC), datetime(2026, 11, 21, 7, tzinfo=UTC))
    assert window.requests[-1] == amer
    assert view.window_label.text() == f"Sat 21 Nov 00:00{DASH}08:00 CET"
    assert view.hours_spin.isHidden()
    view.choose_shift("emea")  # over for today: tomorrow's
    emea = (datetime(2026, 11, 21, 6, tzinfo=UTC), datetime(2026, 11, 21, 14, tzinfo=UTC))
    assert window.requests[-1] == emea == view.chosen_window

    window.clock.now = later = NOW + timedelta(minutes=2)
    choice.setCurrentIndex(0)
    assert window.requests[-1] == (later, later + timedelta(hours=8))
    assert not view.hours_spin.isHidden()
    asked = len(window.requests)
    view.hours_spin.setValue(11)
    view.hours_spin.setValue(12)  # typing "12": one request once the number settles
    assert len(window.requests) == asked and view.hours_timer.isActive()
    qtbot.waitUntil(lambda: len(window.requests) == asked + 1, timeout=2000)
    assert not view.hours_timer.isActive()
    assert window.requests[-1] == (later, later + timedelta(hours=12))
    assert choice.currentText() == "Next 12 hours"
    view.choose_hours(1)
    assert window.requests[-1] == (later, later + timedelta(hours=1))
    assert choice.currentText() == "Next 1 hour"


def test_a_board_for_another_window_is_ignored(
    shown: tuple[HandoverView, Window], demo: Demo, board: HandoverBoard
) -> None:
    view, window = shown
    view.choose_shift("AMER")
    amer = window.requests[-1]
    assert not view.show_board(board)  # the 8-hour board, arriving late
    assert view.board is board  # still shown until the new one comes
    assert view.status_label.text() == "Loading…"
    amer_board = demo.board(*amer)
    assert view.show_board(amer_board)
    assert view.board is amer_board
    assert view.model.keys(Section.WILL_BREACH) == amer_board.keys(Section.WILL_BREACH)

    # "Next 8 hours" moves with the clock: a board from before the refresh is stale.
    view.choose_hours(8)
    window.clock.now = NOW + timedelta(minutes=1)
    view.refresh()
    assert not view.show_board(demo.board(*window.requests[-2]))
    assert view.board is amer_board
    assert view.show_board(demo.board(*window.requests[-1]))

    fresh, _ = make_unshown(view, demo)
    assert not fresh.show_board(board)  # nothing asked for yet
    assert fresh.board is None


def make_unshown(view: HandoverView, demo: Demo) -> tuple[HandoverView, Window]:
    window = Window()
    fresh = HandoverView(
        ZURICH,
        DEFAULT_SHIFTS,
        ME,
        demo.names,
        window.request,
        window.hand_over,
        window.acknowledge,
        window.clock,
        parent=view,
    )
    return fresh, window


def test_tick_moves_countdowns_without_rebuilding_rows(
    shown: tuple[HandoverView, Window], board: HandoverBoard
) -> None:
    view, _ = shown
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
        if r.row.countdown(NOW).state is LiveState.RUNNING
    ]
    assert running
    i, row = running[0]
    assert row.when is not None
    assert cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN, STATE_ROLE) == LiveState.RUNNING
    view.tick(row.when + timedelta(minutes=1))
    assert cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN) == "+1m 00s overdue"
    red = cell(view, Section.WILL_BREACH, i, COL_COUNTDOWN, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QColor) and red.red() > 200
    assert structure == []


# ---------------------------------------------------------------------- handing over


def shared_key(board: HandoverBoard) -> str:
    """A ticket that breaches during the window and resumes before: in two sections."""
    both = set(board.keys(Section.WILL_BREACH)) & set(board.keys(Section.RESUMING))
    assert both
    return sorted(both)[0]


def open_editor(view: HandoverView, qtbot: QtBot, key: str, section: Section) -> QLineEdit:
    index = view.note_index(key, section)
    assert index.isValid()
    view.tree.setCurrentIndex(index)
    view.tree.edit(index)
    editors = [e for e in view.tree.findChildren(QLineEdit, "noteEditor") if e.isVisible()]
    assert len(editors) == 1
    return editors[0]


def test_notes_typed_in_cells_and_the_overall_note_go_to_hand_over(
    shown: tuple[HandoverView, Window], qtbot: QtBot, board: HandoverBoard
) -> None:
    view, window = shown
    key = shared_key(board)
    editor = open_editor(view, qtbot, key, Section.WILL_BREACH)
    qtbot.keyClicks(editor, "Customer calls back at 16:00")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits once back in the event loop
    qtbot.waitUntil(lambda: bool(view.note_index(key, Section.WILL_BREACH).data()), timeout=2000)
    assert view.note_index(key, Section.RESUMING).data() == (
        "Customer calls back at 16:00"  # one note per ticket, shown in each section
    )
    other = board.keys(Section.BREACHED)[0]
    blank = board.keys(Section.PAUSED)[0]
    assert view.model.setData(view.note_index(blank), "   ")  # nothing to say: not sent
    editor = open_editor(view, qtbot, other, Section.BREACHED)
    qtbot.keyClicks(editor, "Escalated to engineering")  # still typing when handing over
    qtbot.keyClicks(view.note_edit, "Quiet evening ")
    assert "with 1 ticket note." in view.summary_label.text()  # the open editor's is not in
    assert view.hand_over_button.isEnabled()

    qtbot.mouseClick(view.hand_over_button, Qt.MouseButton.LeftButton)

    notes = {key: "Customer calls back at 16:00", other: "Escalated to engineering"}
    assert window.hand_overs == [(*HOURS_8, "Quiet evening", notes)]
    assert view.pending and not view.hand_over_button.isEnabled()
    assert view.hand_over_button.text() == "Handing over…"

    # Refused (the board comes back without a new handover): everything typed is kept.
    assert view.show_board(board)
    assert not view.pending and view.hand_over_button.isEnabled()
    assert view.notes() == notes and view.note_edit.toPlainText() == "Quiet evening "
    view.hand_over_button.click()
    assert len(window.hand_overs) == 2

    # Stored: the board comes back with it as the last handover, the form is cleared.
    mine = handover(id=8, author=ME, note="Quiet evening", ticket_notes=notes)
    assert view.show_board(replace(board, last=mine, notes=notes))
    assert view.note_edit.toPlainText() == ""
    assert view.model.edits() == {}
    assert view.notes() == notes  # now as the last handover's notes


def test_the_last_handovers_notes_are_carried_and_can_be_cleared(
    shown: tuple[HandoverView, Window], board: HandoverBoard
) -> None:
    view, window = shown
    key = board.keys(Section.BREACHED)[0]
    last = handover(ticket_notes={key: "Waiting on logs"})
    assert view.show_board(replace(board, last=last, notes={key: "Waiting on logs"}))
    index = view.note_index(key)
    assert index.data() == "Waiting on logs"
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "Ana Ortiz" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    assert view.notes() == {key: "Waiting on logs"}
    assert view.model.setData(index, "")
    view.hand_over_button.click()
    assert window.hand_overs == [(*HOURS_8, "", {})]


def test_typed_notes_and_the_selection_survive_a_refresh(
    shown: tuple[HandoverView, Window], demo: Demo, board: HandoverBoard
) -> None:
    view, window = shown
    key = board.keys(Section.UNASSIGNED)[3]
    index = view.note_index(key, Section.UNASSIGNED)
    assert view.model.setData(index, "VIP: take first")
    view.tree.setCurrentIndex(index.siblingAtColumn(COL_KEY))
    view.tree.collapse(view.model.section_index(Section.PAUSED))
    window.clock.now = NOW + timedelta(minutes=1)
    view.refresh()
    assert view.show_board(demo.board(*window.requests[-1]))
    assert view.note_index(key).data() == "VIP: take first"
    current = view.tree.currentIndex()
    assert current.data(ROW_ROLE).key == key and current.column() == COL_KEY
    assert section_of(current) is Section.UNASSIGNED
    assert not view.tree.isExpanded(view.model.section_index(Section.PAUSED))
    assert view.tree.isExpanded(view.model.section_index(Section.UNASSIGNED))


def test_hand_over_needs_to_know_who_i_am(qtbot: QtBot, demo: Demo, board: HandoverBoard) -> None:
    view, window = make(qtbot, demo, me=None)
    assert not view.hand_over_button.isEnabled()
    view.show()
    assert view.show_board(board)
    assert not view.hand_over_button.isEnabled()
    assert view.summary_label.text().startswith("Choose who you are")
    view.set_me(ME)
    assert view.hand_over_button.isEnabled()
    assert view.summary_label.text() == (
        f"Marcus Reed hands over Fri 20 Nov 15:30{DASH}23:30 CET with no ticket notes."
    )
    view.hand_over_button.click()
    assert window.hand_overs == [(*HOURS_8, "", {})]


def test_ticket_rows_open_the_ticket(shown: tuple[HandoverView, Window], qtbot: QtBot) -> None:
    view, _ = shown
    key_cell = view.model.index(0, COL_KEY, view.model.section_index(Section.WILL_BREACH))
    with qtbot.waitSignal(view.ticketActivated) as signal:
        view.tree.doubleClicked.emit(key_cell)
    assert signal.args == [key_cell.data()]
    with qtbot.assertNotEmitted(view.ticketActivated):
        view.tree.doubleClicked.emit(key_cell.siblingAtColumn(COL_NOTE))
        view.tree.doubleClicked.emit(view.model.section_index(Section.BREACHED))


# ---------------------------------------------------------------------- acknowledging


def test_acknowledge_button_follows_author_and_state(
    shown: tuple[HandoverView, Window], board: HandoverBoard
) -> None:
    view, window = shown
    button = view.acknowledge_button
    assert view.banner_text.text() == "No handover recorded yet"
    assert button.isHidden() and not button.isEnabled()
    assert view.banner.property("state") == "none"

    last = handover()
    assert view.show_board(replace(board, last=last))
    assert view.banner_text.text() == (
        "Last handover by Ana Ortiz at 15:02 CET — not acknowledged yet"
    )
    assert view.banner_note.text() == "“Quiet morning”"
    assert view.banner.property("state") == "pending"
    assert not button.isHidden() and button.isEnabled()
    button.click()
    assert window.acknowledged == [last]
    assert not button.isEnabled() and button.text() == "Acknowledging…" and view.pending
    button.click()
    assert window.acknowledged == [last]  # once

    assert view.show_board(replace(board, last=last))  # refused: it can be tried again
    assert button.isEnabled() and not view.pending

    view.set_me(AUTHOR)  # the author does not acknowledge their own handover
    assert not button.isEnabled()
    view.set_me(None)
    assert not button.isEnabled()
    view.set_me(ME)
    assert button.isEnabled()

    seen = replace(
        last, acknowledged_by=ME, acknowledged_at=datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    )
    assert view.show_board(replace(board, last=seen))
    assert view.banner_text.text() == (
        "Last handover by Ana Ortiz at 15:02 CET — acknowledged by Marcus Reed at 15:10 CET"
    )
    assert view.banner.property("state") == "done"
    assert button.isHidden() and not button.isEnabled()


def test_zone_and_names_can_change(shown: tuple[HandoverView, Window]) -> None:
    view, _ = shown
    view.set_zone(LOS_ANGELES)
    assert view.window_label.text() == f"Fri 20 Nov 06:30{DASH}14:30 PST"
    view.set_agents({})
    owners = column(view, Section.BREACHED, COL_OWNER)
    assert all("." in str(owner) or owner == UNASSIGNED for owner in owners)


def test_main_parts_have_object_names(shown: tuple[HandoverView, Window]) -> None:
    view, _ = shown
    names = {
        "windowChoice",
        "windowHours",
        "windowLabel",
        "refreshBoard",
        "boardStatus",
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
    found = {child.objectName() for child in view.findChildren(QWidget)}
    assert names <= found
