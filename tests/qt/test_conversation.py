"""The conversation in the detail pane and the composer under it, driven through the window
with keys and clicks on a SQLite demo database: a public message waits out its undo window
and is recorded only then (its clock stops at that commit), Undo writes nothing and gives
the text back, a note is recorded at once and shown as internal, the thread reads in order
with "recorded, not sent" on what we said, and R / U lead to the composer."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QWidget,
)
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Channel, EventKind, Metric, Role, Status, Ticket
from console.domain.policy import load_policies
from console.qt.conversation import Composer, ComposerMode, ConversationView, MessageCard
from console.qt.settings import ConsoleSettings, SettingsDialog, SettingsStore
from console.services import commands as c
from console.services.conversation import Delivery, EventLine, Message, MessageKind
from console.services.handlers import handle
from console.services.tickets import PolicyBook
from console.services.views import Agents, Detail, DetailView
from consoles import Console, demo_database, fire

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")
BOOK = PolicyBook(load_policies())
REPLY = "We found the cause and are rolling out a fix."


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("conversation")
    demo_database(folder, tickets=200, seed=21)
    return folder / "console.sqlite3"


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the module's demo database of its own for each test."""
    copy = tmp_path / "console.sqlite3"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(NOW)


@pytest.fixture
def console(qtbot: QtBot, demo_url: str, clock: FakeTime) -> Iterator[Console]:
    made = Console(qtbot, demo_url, clock)
    made.window.resize(1500, 900)
    made.window.show()
    qtbot.waitExposed(made.window)
    yield made
    made.close()


def composer_of(console: Console) -> Composer:
    return console.window.detail_pane.composer


def conversation_of(console: Console) -> ConversationView:
    return console.window.detail_pane.conversation


def ticket(console: Console, key: str) -> Ticket:
    with SqlUnitOfWork(console.database, write=False) as uow:
        return uow.tickets.get(key)


def detail(console: Console, key: str, clock: FakeTime) -> DetailView:
    return Detail(key).run(SqlUnitOfWork(console.database, write=False, now=clock), BOOK)


def feed_position(console: Console) -> int:
    with SqlUnitOfWork(console.database, write=False) as uow:
        return uow.changes.latest()


def awaiting_response(console: Console, clock: FakeTime) -> str:
    """An open ticket in the window's queue whose initial response clock still runs."""
    for row in console.window.model.rows:
        if row.ticket.status is not Status.OPEN:
            continue
        clocks = detail(console, row.key, clock).clocks(clock())
        if any(
            k.metric is Metric.INITIAL_RESPONSE and k.stopped_at is None and k.is_counting
            for k in clocks
        ):
            return row.key
    raise LookupError("no ticket awaits its first response")


def open_ticket(console: Console, key: str) -> None:
    console.window.table.clearSelection()  # a click: this ticket alone
    assert console.window.select_key(key)
    console.settle()
    assert console.window.detail is not None and console.window.detail.row.key == key


def write(qtbot: QtBot, composer: Composer, text: str) -> None:
    composer.text.setFocus()
    qtbot.keyClicks(composer.text, text)


def ctrl_enter(qtbot: QtBot, composer: Composer) -> None:
    qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def person(console: Console, role: Role) -> str:
    agents = Agents().run(SqlUnitOfWork(console.database, write=False), BOOK)
    return next(a.name for a in agents if a.role is role)


# --------------------------------------------------------------------------- the undo window


def test_ctrl_enter_holds_a_reply_under_the_undo_bar_and_writes_nothing_yet(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    before, position = ticket(console, key).events, feed_position(console)

    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)

    bar = composer.findChild(QLabel, "undoLabel")
    assert bar is not None and composer.undo_bar.isVisible()
    assert composer.undo_bar.objectName() == "undoBar"
    assert re.fullmatch(r"Sending in (10|9) s", bar.text()), bar.text()
    assert composer.text.toPlainText() == ""
    console.settle()
    assert ticket(console, key).events == before and feed_position(console) == position


def test_undo_writes_nothing_and_gives_the_text_back(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    before, position = ticket(console, key).events, feed_position(console)
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)

    qtbot.mouseClick(composer.undo_button, Qt.MouseButton.LeftButton)
    assert composer.undo_button.objectName() == "undoButton"
    assert not composer.undo_bar.isVisible()
    assert composer.text.toPlainText() == REPLY and composer.mode is ComposerMode.REPLY
    clock.now += timedelta(seconds=30)
    fire(composer, "sendUndo")  # the window's end comes: nothing is left to send
    console.settle()
    assert ticket(console, key).events == before and feed_position(console) == position


def test_ctrl_z_while_the_bar_shows_undoes_the_send(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    before = ticket(console, key).events
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)
    assert composer.held is not None

    qtbot.keyClick(composer.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert composer.held is None and composer.text.toPlainText() == REPLY
    # Once the text is back, Ctrl+Z is the editor's own again.
    qtbot.keyClicks(composer.text, "!")
    qtbot.keyClick(composer.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert composer.text.toPlainText() == REPLY
    console.settle()
    assert ticket(console, key).events == before


def test_the_reply_is_recorded_when_the_window_ends_and_stops_the_clock_then(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    before = ticket(console, key).events
    write(qtbot, composer, f"  {REPLY}")
    qtbot.keyClick(composer.text, Qt.Key.Key_Return)  # a new line, not sending
    ctrl_enter(qtbot, composer)
    typed_at = clock()

    clock.now += timedelta(seconds=10)  # the window passes (on the fake clock)
    fire(composer, "sendUndo")
    assert not composer.undo_bar.isVisible()
    console.settle()

    after = ticket(console, key).events
    assert after[: len(before)] == before and len(after) == len(before) + 1
    reply = after[-1]
    assert reply.kind is EventKind.RESPONDED and reply.actor == console.me
    assert dict(reply.data) == {"text": REPLY}  # written here: no channel
    assert reply.at == clock() == typed_at + timedelta(seconds=10)
    initial = next(
        k
        for k in detail(console, key, clock).clocks(clock())
        if k.metric is Metric.INITIAL_RESPONSE
    )
    assert initial.stopped_at == reply.at


def test_without_an_undo_window_a_reply_is_recorded_at_once(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    console.window.apply_settings(replace(console.window.settings, send_delay_seconds=0))
    open_ticket(console, key)
    composer = composer_of(console)
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)
    assert not composer.undo_bar.isVisible()
    console.settle()
    assert ticket(console, key).events[-1].data["text"] == REPLY


def test_a_response_given_by_phone_is_recorded_with_its_summary(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    console.window.table.setFocus()
    qtbot.keyClick(console.window.table, Qt.Key.Key_R)  # Record response

    composer = composer_of(console)
    assert composer.text.hasFocus() and composer.mode is ComposerMode.REPLY
    assert composer.chosen_channel is Channel.PHONE
    assert composer.send_button.text() == "Record"
    before = len(ticket(console, key).events)
    qtbot.keyClick(console.window.table, Qt.Key.Key_R)  # a bare key press writes nothing
    console.settle()
    assert len(ticket(console, key).events) == before

    write(qtbot, composer, "Called Ana: workaround explained")
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    label = composer.findChild(QLabel, "undoLabel")
    assert label is not None and label.text().startswith("Recording in ")
    fire(composer, "sendUndo")
    console.settle()
    last = ticket(console, key).events[-1]
    assert last.kind is EventKind.RESPONDED
    assert dict(last.data) == {"text": "Called Ana: workaround explained", "channel": "phone"}


def test_u_writes_an_update_in_the_composer(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = next(r.key for r in console.window.model.rows if r.ticket.status is Status.OPEN)
    open_ticket(console, key)
    console.window.table.setFocus()
    qtbot.keyClick(console.window.table, Qt.Key.Key_U)
    composer = composer_of(console)
    assert composer.text.hasFocus() and composer.mode is ComposerMode.UPDATE
    write(qtbot, composer, "Fix deployed to staging")
    ctrl_enter(qtbot, composer)
    fire(composer, "sendUndo")
    console.settle()
    last = ticket(console, key).events[-1]
    assert last.kind is EventKind.UPDATE_SENT and last.data["text"] == "Fix deployed to staging"


def test_empty_text_cannot_be_sent(qtbot: QtBot, console: Console, clock: FakeTime) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    assert not composer.send_button.isEnabled()
    write(qtbot, composer, "   ")
    qtbot.keyClick(composer.text, Qt.Key.Key_Return)
    assert not composer.send_button.isEnabled()
    ctrl_enter(qtbot, composer)
    assert composer.held is None and not composer.undo_bar.isVisible()
    write(qtbot, composer, "x")
    assert composer.send_button.isEnabled()


def test_a_change_meanwhile_is_met_by_one_retry_on_the_new_version(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)
    lead = person(console, Role.LEAD)
    with SqlUnitOfWork(console.database, now=clock) as uow:  # someone else, meanwhile
        seen = uow.tickets.get(key, with_events=False)
    handle(
        c.AddNote(key, seen.version, "Customer called"),
        SqlUnitOfWork(console.database, now=clock),
        BOOK,
        lead,
    )

    clock.now += timedelta(seconds=10)
    fire(composer, "sendUndo")
    console.settle()
    console.settle()  # the retry
    events = ticket(console, key).events
    assert [e.kind for e in events[-2:]] == [EventKind.NOTE, EventKind.RESPONDED]
    assert events[-1].data["text"] == REPLY and events[-1].actor == console.me
    assert console.window.findChild(QMessageBox, "conflictDialog") is None


def test_a_refused_reply_comes_back_into_the_composer(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = next(r.key for r in console.window.model.rows if r.ticket.status is Status.OPEN)
    open_ticket(console, key)
    composer = composer_of(console)
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)
    me = console.me
    with SqlUnitOfWork(console.database, now=clock) as uow:  # resolved meanwhile
        seen = uow.tickets.get(key, with_events=False)
    handle(
        c.SetStatus(key, seen.version, Status.RESOLVED),
        SqlUnitOfWork(console.database, now=clock),
        BOOK,
        me,
    )
    before = ticket(console, key).events
    fire(composer, "sendUndo")
    console.settle()
    console.settle()
    qtbot.waitUntil(lambda: console.window.findChild(QMessageBox, "failureDialog") is not None)
    assert ticket(console, key).events == before
    assert composer.text.toPlainText() == REPLY and composer.mode is ComposerMode.REPLY


def test_drafts_stay_with_their_ticket(qtbot: QtBot, console: Console, clock: FakeTime) -> None:
    first, second = (r.key for r in console.window.model.rows[:2])
    open_ticket(console, first)
    composer = composer_of(console)
    write(qtbot, composer, "For the first ticket")
    open_ticket(console, second)
    assert composer.text.toPlainText() == ""
    ctrl_enter(qtbot, composer)  # nothing typed here: nothing held
    assert composer.held is None
    open_ticket(console, first)
    assert composer.text.toPlainText() == "For the first ticket"


def test_a_held_reply_keeps_its_ticket_when_another_is_shown(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    first = awaiting_response(console, clock)
    second = next(r.key for r in console.window.model.rows if r.key != first)
    open_ticket(console, first)
    composer = composer_of(console)
    write(qtbot, composer, REPLY)
    ctrl_enter(qtbot, composer)
    open_ticket(console, second)
    label = composer.findChild(QLabel, "undoLabel")
    assert label is not None and label.text().startswith(f"{first}: sending in ")
    fire(composer, "sendUndo")
    console.settle()
    assert ticket(console, first).events[-1].data.get("text") == REPLY
    assert ticket(console, second).events[-1].data.get("text") != REPLY


# --------------------------------------------------------------------------- notes


def test_a_note_is_recorded_at_once_and_shown_as_internal(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = awaiting_response(console, clock)
    open_ticket(console, key)
    composer = composer_of(console)
    qtbot.mouseClick(composer.mode_buttons[ComposerMode.NOTE], Qt.MouseButton.LeftButton)
    assert composer.send_button.text() == "Add note" and not composer.channel.isVisible()
    write(qtbot, composer, "Customer shared a HAR file")
    ctrl_enter(qtbot, composer)
    assert not composer.undo_bar.isVisible() and composer.held is None
    console.settle()
    last = ticket(console, key).events[-1]
    assert last.kind is EventKind.NOTE and last.data["text"] == "Customer shared a HAR file"

    open_ticket(console, key)  # read again (as the change feed has it read)
    card = conversation_of(console).entry_widgets()[-1]
    assert isinstance(card, MessageCard) and card.property("kind") == "note"
    assert card.text().startswith("INTERNAL NOTE · ")
    assert "Customer shared a HAR file" in card.text() and "not sent" not in card.text()
    # Internal notes do not wait: nothing of the note's initial response clock moved.
    initial = next(
        k
        for k in detail(console, key, clock).clocks(clock())
        if k.metric is Metric.INITIAL_RESPONSE
    )
    assert initial.stopped_at is None


# --------------------------------------------------------------------------- the thread


def test_the_thread_reads_in_order_with_replies_recorded_not_sent(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    key = next(
        r.key
        for r in console.window.model.rows
        if r.ticket.status is Status.OPEN and r.customer.policy_id == "zitadel"
    )
    lead, me = person(console, Role.LEAD), console.me
    start = max(e.at for e in ticket(console, key).events)

    def step(minutes: int, who: str, command: c.Command) -> None:
        clock.now = start + timedelta(minutes=minutes)
        handle(command, SqlUnitOfWork(console.database, now=clock), BOOK, who)

    step(
        1,
        me,
        c.RecordCustomerMessage(key, ticket(console, key).version, "It is down", Channel.EMAIL),
    )
    step(2, me, c.RecordResponse(key, ticket(console, key).version, "Looking into it"))
    seen = ticket(console, key)
    to = 4 if seen.severity != 4 else 3
    step(3, lead, c.ChangeSeverity(((key, seen.version),), to, "Workaround found"))
    clock.now += timedelta(minutes=1)
    open_ticket(console, key)

    view = conversation_of(console)
    widgets = view.entry_widgets()
    entries = [w.message if isinstance(w, MessageCard) else w for w in widgets]
    customer = next(
        i for i, e in enumerate(entries) if isinstance(e, Message) and e.text == "It is down"
    )
    assert isinstance(entries[customer + 1], Message) and isinstance(widgets[customer + 2], QLabel)
    said, reply, line = view.entry_texts()[customer : customer + 3]
    name = console.window.model.rows[console.window.model.row_of(key) or 0].customer.name
    assert said.startswith(f"{name} · by e-mail · ") and said.endswith("\nIt is down")
    assert reply.startswith("Reply · ") and "\nLooking into it\n" in reply
    assert reply.endswith("\nRecorded, not sent")
    assert "severity changed: S" in line and f"→ S{to}; reason: Workaround found" in line
    # times in the agent's zone (Europe/Zurich, an hour ahead of UTC in November)
    local = (start + timedelta(minutes=3)).astimezone(ZURICH)
    assert line.startswith(f"{local:%a} {local.day} {local:%b %H:%M} · ")
    # the newest at the bottom, scrolled to
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())


def test_the_query_gives_the_conversation_oldest_first(console: Console, clock: FakeTime) -> None:
    key = awaiting_response(console, clock)
    me = console.me
    base = max(e.at for e in ticket(console, key).events)
    clock.now = base + timedelta(minutes=5)
    handle(
        c.RecordCustomerMessage(key, ticket(console, key).version, "Still broken", Channel.PHONE),
        SqlUnitOfWork(console.database, now=clock),
        BOOK,
        me,
    )
    clock.now += timedelta(minutes=5)
    handle(
        c.SendUpdate(key, ticket(console, key).version, "Working on it"),
        SqlUnitOfWork(console.database, now=clock),
        BOOK,
        me,
    )
    thread = detail(console, key, clock).conversation
    assert [e.at for e in thread] == sorted(e.at for e in thread)
    assert isinstance(thread[0], EventLine) and thread[0].kind is EventKind.CREATED
    said, update = thread[-2:]
    names = {
        a.name: a.display_name
        for a in Agents().run(SqlUnitOfWork(console.database, write=False), BOOK)
    }
    assert isinstance(said, Message) and said.kind is MessageKind.CUSTOMER
    assert said.channel == "phone" and said.delivery is None and said.recorded_by == names[me]
    assert isinstance(update, Message) and update.kind is MessageKind.UPDATE
    assert update.author == names[me] and update.channel == ""
    assert update.delivery is Delivery.RECORDED and update.delivery.value == "recorded, not sent"


# --------------------------------------------------------------------------- looks and settings


def test_cards_read_in_light_and_dark_palettes(qtbot: QtBot) -> None:
    view = ConversationView()
    qtbot.addWidget(view)
    at = NOW
    thread = (
        Message(MessageKind.CUSTOMER, at, "Acme", "e-mail", "Hello"),
        Message(MessageKind.REPLY, at, "Ana Ortiz", "", "Hi", Delivery.RECORDED),
        Message(MessageKind.NOTE, at, "Ana Ortiz", "", "Internal"),
    )
    view.show_conversation("X-1", thread, ZURICH)
    cards = [w for w in view.entry_widgets() if isinstance(w, MessageCard)]
    fills = {card.message.kind: card.colours()[0].name() for card in cards}
    assert len(set(fills.values())) == 3  # customer, ours and internal look different
    for dark in (False, True):
        palette = QPalette(view.palette())
        if dark:
            for role, colour in (
                (QPalette.ColorRole.Base, "#1e1e1e"),
                (QPalette.ColorRole.Text, "#e6e6e6"),
                (QPalette.ColorRole.WindowText, "#e6e6e6"),
            ):
                palette.setColor(role, QColor(colour))
        view.setPalette(palette)
        text = palette.color(QPalette.ColorRole.Text)
        for card in cards:
            fill = card.colours()[0]
            assert abs(fill.lightness() - text.lightness()) > 120, (dark, card.message.kind)


def test_the_undo_window_is_a_setting(qtbot: QtBot, tmp_path: Path) -> None:
    assert ConsoleSettings(display_zone="UTC").send_delay_seconds == 10
    with pytest.raises(ValueError, match="send delay"):
        ConsoleSettings(display_zone="UTC", send_delay_seconds=-1)
    store = SettingsStore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    store.save(ConsoleSettings(display_zone="UTC", send_delay_seconds=0))
    assert store.load().send_delay_seconds == 0
    store.qsettings.setValue("messages/send_delay_seconds", "forever")
    assert store.load().send_delay_seconds == 10

    dialog = SettingsDialog(ConsoleSettings(display_zone="UTC", send_delay_seconds=5))
    qtbot.addWidget(dialog)
    spin = dialog.findChild(QSpinBox, "send_delay")
    assert spin is not None and spin.value() == 5
    spin.setValue(0)
    assert dialog.result_settings().send_delay_seconds == 0
    assert spin.text() == "Off: record at once"


def test_the_thread_follows_the_newest_entry_unless_the_agent_reads_further_up(
    qtbot: QtBot,
) -> None:
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.show()
    qtbot.waitExposed(view)

    def thread(count: int) -> tuple[Message, ...]:
        return tuple(
            Message(MessageKind.NOTE, NOW + timedelta(minutes=i), "Ana Ortiz", "", f"Note {i}")
            for i in range(count)
        )

    bar = view.verticalScrollBar()
    view.show_conversation("X-1", thread(30), ZURICH)
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    view.show_conversation("X-1", thread(31), ZURICH)  # one more: still at the bottom
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())

    bar.triggerAction(bar.SliderAction.SliderToMinimum)  # the agent reads the start
    view.show_conversation("X-1", thread(32), ZURICH)
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.wait(50)
    assert bar.value() == 0

    view.show_conversation("X-2", thread(5) + thread(40)[5:], ZURICH)  # another ticket
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0)


def test_the_conversation_takes_the_height_the_clocks_leave(
    qtbot: QtBot, console: Console, clock: FakeTime
) -> None:
    pane = console.window.detail_pane
    split = pane.findChild(QSplitter, "detailSplit")
    assert split is not None
    content = pane.findChild(QWidget, "detailContent")
    assert content is not None

    def fitted() -> bool:
        info, talk = split.sizes()
        bar = pane.findChild(QScrollArea, "detailScroll")
        assert bar is not None
        width = bar.width() - bar.verticalScrollBar().sizeHint().width()
        needed = max(90, content.heightForWidth(width), content.minimumSizeHint().height())
        return abs(info - min(needed, round((info + talk) * 0.45))) <= 1

    shares = []
    for key in (r.key for r in console.window.model.rows[:8]):
        open_ticket(console, key)
        qtbot.waitUntil(fitted)
        shares.append(split.sizes()[0] / sum(split.sizes()))
    assert min(shares) < max(shares)  # each ticket's own need


def test_a_card_opens_no_window_of_its_own(qtbot: QtBot) -> None:
    """Building a card shows none of its parts as a window, even for a moment (it would
    take the focus from the console's window)."""

    class Windows(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.shown: list[str] = []

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            shown = event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
            if shown and watched.isWindow():
                self.shown.append(watched.objectName())
            return False

    spy = Windows()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(spy)
    at = NOW
    try:
        for message in (
            Message(MessageKind.REPLY, at, "Ana Ortiz", "", "Hi", Delivery.RECORDED),
            Message(MessageKind.NOTE, at, "Ana Ortiz", "", "Internal", other="Visible: team"),
            Message(MessageKind.CUSTOMER, at, "Acme", "e-mail", "Hello", quoted="> earlier"),
        ):
            qtbot.addWidget(MessageCard(message, ZURICH))
    finally:
        app.removeEventFilter(spy)
    assert spy.shown == []
