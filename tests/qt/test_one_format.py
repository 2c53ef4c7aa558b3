"""One way to write time, everywhere: the queue, the detail pane, the handover board (and its
exports) and History of one demo database are rendered, and every text that looks like a
date, an instant, a lateness or a target is checked against the one format.

These tests fail when a view formats on its own again: a zero-padded day ("08 Dec"), a
weekday with a time but no date ("Mon 10:45", which reads as last week's and next week's
Monday alike), an ISO or month-first date, a lateness without its measure, a business
duration in days, a calendar by its id, a second label for "no timed target", or the old
name of History.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import ALL_EVENTS
from console.domain.policy import load_policies
from console.domain.sla import ClockState
from console.qt.audit_view import AuditTableModel
from console.qt.detail import DetailPane
from console.qt.handover_model import BoardModel
from console.qt.queue_model import TicketTableModel
from console.services.audit import load_audit
from console.services.demo import load_demo
from console.services.handover import HandoverBoard, load_board
from console.services.handover_export import board_table, write_html
from console.services.handover_texts import handover_text
from console.services.queue import load_detail, load_rows
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # Fri 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = "|".join(WEEKDAYS)
_MONTH = "|".join(MONTHS)

# The one format: "8 Dec", "Tue 8 Dec", "Tue 8 Dec 2026": a day without a leading zero, the
# month abbreviated after it, a weekday in front that is that date's, a year after it.
A_DATE = re.compile(rf"(?:\b({_DAY}) )?(?<![\d.:])(\d{{1,2}}) ({_MONTH})\b(?: (\d{{4}})\b)?")
WRONG = {
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a date with slashes": re.compile(r"\b(?!24/[57]\b)\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),
    "a month before its day": re.compile(rf"\b(?:{_MONTH}) \d{{1,2}}(?![\d:])"),
    "a weekday with a time and no date": re.compile(rf"(?<!last )\b(?:{_DAY}) \d{{1,2}}:\d{{2}}"),
    "a lateness counting up": re.compile(r"\+\d+[dhm]\b"),
    "a lateness without its measure": re.compile(
        r"\boverdue\b(?! \d+(?:h \d{2}m|m(?: \d{2}s)?) \(business time\))"
    ),
    "a lateness by a second measure": re.compile(r"\bbreached by\b"),
    "business time in days": re.compile(r"\b\d+d\b(?! \d+h (?:ago \(wall clock\)|closed|paused))"),
    "a target on a calendar id": re.compile(
        r"\bon (?:business-hours|business-days|extended-hours|24x5|24x7)\b"
    ),
    "a second label for no timed target": re.compile(r"\bno target\b"),
    "the old name of History": re.compile(r"(?i)\baudit trail\b"),
}


# Where the heading says business time (the countdown columns, the detail pane's clocks), a
# lateness reads "overdue 3h 05m": the heading is its measure.
MEASURED_BY_HEADING = ("[Countdown]", "clockLeft_")
_UNLABELLED = re.compile(r"\boverdue \d+(?:h \d{2}m|m(?: \d{2}s)?)(?! \()")


def _measured(item: Shown) -> bool:
    return any(mark in item.where for mark in MEASURED_BY_HEADING) and bool(
        _UNLABELLED.search(item.text)
    )


@dataclass
class Shown:
    """A text a view shows, and where."""

    where: str
    text: str


def problems(shown: Iterable[Shown]) -> list[str]:
    """Every text that breaks the one format, with where it is shown and why."""
    found = []
    for item in shown:
        for why, pattern in WRONG.items():
            match = pattern.search(item.text)
            if match and why == "a lateness without its measure" and _measured(item):
                continue
            if match:
                found.append(f"{item.where}: {why}: {match[0]!r} in {item.text!r}")
        for match in A_DATE.finditer(item.text):
            weekday, day, month, year = match.groups()
            if day.startswith("0"):
                found.append(f"{item.where}: a zero-padded day: {match[0]!r} in {item.text!r}")
                continue
            on = date(int(year) if year else NOW.year, MONTHS.index(month) + 1, int(day))
            if weekday and WEEKDAYS[on.weekday()] != weekday:
                found.append(f"{item.where}: the weekday is not the date's: {match[0]!r}")
    return found


def model_texts(model: QAbstractItemModel, name: str) -> Iterator[Shown]:
    """Every display text and tooltip of a table or tree model."""

    def walk(parent: QModelIndex) -> Iterator[Shown]:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str) and value:
                        header = model.headerData(column, Qt.Orientation.Horizontal)
                        yield Shown(f"{name} [{header}]", value)
            first = model.index(row, 0, parent)
            if model.rowCount(first):
                yield from walk(first)

    yield from walk(QModelIndex())


def widget_texts(widget: QWidget, name: str) -> Iterator[Shown]:
    """Every label's and button's text and every widget's tooltip under ``widget``."""
    for child in [widget, *widget.findChildren(QWidget)]:
        where = f"{name} {child.objectName() or type(child).__name__}"
        if isinstance(child, QLabel | QAbstractButton) and child.text():
            yield Shown(where, child.text())
        if child.toolTip():
            yield Shown(f"{where} (tooltip)", child.toolTip())


@dataclass
class Demo:
    store: FakeStore
    book: PolicyBook
    names: dict[str, str]

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, now=FakeTime(NOW))


@pytest.fixture(scope="module")
def demo() -> Demo:
    book = PolicyBook(load_policies())
    store = FakeStore()
    load_demo(FakeUnitOfWork(store, now=FakeTime(NOW)), book, tickets=300, seed=7, now=NOW)
    names = {agent.name: agent.display_name for agent in store.agents.values()}
    return Demo(store, book, names)


@pytest.fixture(scope="module")
def board(demo: Demo) -> HandoverBoard:
    start = NOW.replace(hour=NOW.hour - 2)  # breaches and resumes on either side of now
    found: HandoverBoard = within(demo.uow(), load_board, demo.book, start, NOW.replace(hour=23))
    return found


def test_the_queue_writes_time_one_way(demo: Demo) -> None:
    rows = within(demo.uow(), load_rows, demo.book)
    model = TicketTableModel(NOW, ZURICH, people=demo.names)
    model.set_rows(rows)
    states = {model.countdown_of(r).state for r in rows}
    assert {ClockState.BREACHED, ClockState.RUNNING, ClockState.WAITING} <= states
    shown = list(model_texts(model, "queue"))
    assert any(s.text.startswith(("yesterday ", "earlier today ")) for s in shown)  # past
    assert any(re.fullmatch(r"\d{2}:\d{2}", s.text) for s in shown)  # due later today
    assert problems(shown) == []
    assert "\u2014" not in {model.index(i, 1).data() for i in range(model.rowCount())}


def test_the_detail_pane_writes_time_one_way(qtbot: QtBot, demo: Demo) -> None:
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_agent_names(demo.names)
    uow = demo.uow()
    shown: list[Shown] = []
    seen: set[tuple[ClockState, bool]] = set()
    for key in sorted(demo.store.tickets):
        detail = within(uow, load_detail, demo.book, key)
        states = {(c.state, c.stopped_at is None) for c in detail.clocks(NOW)}
        if not detail.row.ticket.is_open or states <= seen:
            continue  # one ticket for each clock state, counting or stopped, is enough
        seen |= states
        pane.show_detail(detail, NOW, ZURICH)
        for explanation in pane.findChildren(QWidget, "clockExplanation"):
            explanation.set_expanded(True)  # type: ignore[attr-defined]
        shown += widget_texts(pane, key)
    assert {(ClockState.BREACHED, True), (ClockState.MET, False), (ClockState.RUNNING, True)} <= (
        seen
    )
    assert any("(wall clock)" in s.text for s in shown)
    assert problems(shown) == []


def test_the_handover_board_and_its_exports_write_time_one_way(
    demo: Demo, board: HandoverBoard
) -> None:
    model = BoardModel(ZURICH, NOW, demo.names)
    model.set_board(board)
    shown = list(model_texts(model, "board"))
    assert any(s.text.startswith("overdue ") for s in shown)
    last = handover_text(board.last, demo.names, ZURICH, NOW)
    shown.append(Shown("board banner", last))
    for line in board_table(board, ZURICH):
        shown += [Shown(f"CSV {name}", value) for name, value in line.items() if name != "title"]
    page = io.StringIO()
    write_html(board, ZURICH, page)
    text = re.sub(r"<(style|title)>.*?</\1>", "", page.getvalue(), flags=re.S)
    shown.append(Shown("HTML", re.sub(r"<[^>]+>", " ", text)))
    assert problems(shown) == []


def test_history_writes_time_one_way(demo: Demo) -> None:
    uow = demo.uow()
    with uow:
        rows = load_audit(uow, ALL_EVENTS)
    model = AuditTableModel(ZURICH, demo.names)
    model.set_rows(rows)
    shown = list(model_texts(model, "History"))
    assert any(re.match(rf"(?:{_DAY}) \d{{1,2}} (?:{_MONTH}) 2026 ", s.text) for s in shown)
    assert problems(shown) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("due Mon 10:45", "a weekday with a time and no date"),
        ("08 Dec 10:45", "a zero-padded day"),
        ("Fri 4 Dec 2026 15:02 CET", ""),
        ("last Mon 10:45", ""),
        ("2026-12-08 10:45", "an ISO date"),
        ("Dec 8 10:45", "a month before its day"),
        ("+4d 2h overdue", "a lateness counting up"),
        ("overdue 1h 20m", "a lateness without its measure"),
        ("overdue 1h 20m (business time)", ""),
        ("breached by 1d 8h", "a lateness by a second measure"),
        ("1d on business-hours", "business time in days"),
        ("4d 2h ago (wall clock)", ""),
        ("Sun 5 Dec 10:45", "the weekday is not the date's"),
        ("no target", "a second label for no timed target"),
        ("Audit trail", "the old name of History"),
    ],
)
def test_the_checks_catch_a_second_format(text: str, why: str) -> None:
    """The checks above are worth something only if they catch what they are for."""
    found = problems([Shown("here", text)])
    assert (why in found[0]) if why else found == [], found
