"""The search box finds tickets in every queue: a key typed finds its ticket whatever queue
is shown, a queue without a match gives way to All open (and comes back when the search is
cleared), matches elsewhere are counted under the box with a way to them; Enter and Tab land
on the table with a result selected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.qt.main_window import MainWindow
from console.services.queue import QueueRow
from console.services.queues import (
    QUEUE_ALL,
    QUEUE_BREACHED,
    QUEUE_UNASSIGNED,
    Queue,
)
from consoles import NOW, Console, demo_database, fire


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return demo_database(tmp_path, tickets=300, seed=2)


@pytest.fixture
def console(qtbot: QtBot, demo_url: str) -> Iterator[Console]:
    made = Console(qtbot, demo_url, FakeTime(NOW))
    yield made
    made.close()


def search(window: MainWindow, text: str) -> None:
    """Type ``text`` into the search box and let the debounce run out."""
    window.search.setText(text)
    fire(window, "searchDebounce")


def choose(window: MainWindow, queue: Queue) -> None:
    assert window.sidebar.select(queue)
    assert window.proxy.queue == queue


def shown_keys(window: MainWindow) -> list[str]:
    return [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]


def note(window: MainWindow) -> str | None:
    """What the line under the search box says (None: it is hidden)."""
    scope = window.search_scope
    if not scope.isVisibleTo(window) or scope.said is None:
        return None
    assert scope.said.text in scope.label.text()
    return scope.said.text


def link(window: MainWindow) -> str | None:
    """The words of the line's link (None: no link)."""
    said = window.search_scope.said
    if note(window) is None or said is None or said.action is None:
        return None
    assert f">{said.action}</a>" in window.search_scope.label.text()
    return said.action


def follow_link(window: MainWindow) -> None:
    assert link(window) is not None
    window.search_scope.label.linkActivated.emit("queue")


def busiest_customer(window: MainWindow) -> str:
    return Counter(r.customer.name for r in window.model.rows).most_common(1)[0][0]


def assigned_ticket(window: MainWindow) -> QueueRow:
    return next(r for r in window.model.rows if r.ticket.assignee is not None)


def test_a_key_typed_in_another_queue_finds_its_ticket(console: Console) -> None:
    window = console.window
    ticket = assigned_ticket(window)
    choose(window, QUEUE_UNASSIGNED)

    # When the agent types the key of an assigned ticket while Unassigned is shown
    search(window, ticket.key.lower())

    # Then All open is shown with the ticket in it, and the line under the box says why
    assert window.proxy.queue == QUEUE_ALL
    assert window.sidebar.current_queue() == QUEUE_ALL
    assert ticket.key in shown_keys(window)
    assert note(window) == f"{ticket.key} is not in Unassigned: showing All open"
    assert link(window) == "back to Unassigned"

    # And clearing the search goes back to Unassigned
    search(window, "")
    assert window.proxy.queue == QUEUE_UNASSIGNED
    assert note(window) is None


def test_a_key_is_found_even_when_the_queue_has_other_matches(console: Console) -> None:
    """A ticket whose key is also in the title of one in the queue shown: still found."""
    window = console.window
    ticket = assigned_ticket(window)
    choose(window, QUEUE_UNASSIGNED)
    search(window, ticket.key)
    assert window.proxy.queue == QUEUE_ALL
    # The way back shows the queue as it is: no match in it.
    follow_link(window)
    assert window.proxy.queue == QUEUE_UNASSIGNED
    assert shown_keys(window) == []
    assert note(window) == "Nothing in Unassigned matches; 1 in All open"
    assert link(window) == "show them"
    search(window, "")  # the agent went back by hand: clearing stays there
    assert window.proxy.queue == QUEUE_UNASSIGNED


def test_matches_in_other_queues_are_counted_with_a_way_to_them(console: Console) -> None:
    window = console.window
    # A customer with tickets in Unassigned and assigned ones
    unassigned = Counter(r.customer.name for r in window.model.rows if r.ticket.assignee is None)
    everywhere = Counter(r.customer.name for r in window.model.rows)
    name = next(n for n in unassigned if everywhere[n] > unassigned[n])
    choose(window, QUEUE_UNASSIGNED)

    search(window, name)

    # The queue stays; the others are counted
    assert window.proxy.queue == QUEUE_UNASSIGNED
    assert window.proxy.rowCount() == unassigned[name]
    more = everywhere[name] - unassigned[name]
    assert note(window) == f"{more} more in All open"
    assert link(window) == "show them"

    # Show them: All open, with every match; clearing the search goes back
    follow_link(window)
    assert window.proxy.queue == QUEUE_ALL
    assert window.proxy.rowCount() == everywhere[name]
    said = f"{unassigned[name]} of {everywhere[name]} in Unassigned: showing All open"
    assert note(window) == said
    assert link(window) == "back to Unassigned"
    search(window, "")
    assert window.proxy.queue == QUEUE_UNASSIGNED


def test_a_queue_the_agent_chose_is_not_left_by_itself(console: Console) -> None:
    window = console.window
    rows = window.model.rows
    breached = {r.customer.name for r in rows if QUEUE_BREACHED.accepts(r, None, NOW)}
    name = next(r.customer.name for r in rows if r.customer.name not in breached)
    search(window, name)  # in All open
    assert window.proxy.queue == QUEUE_ALL
    assert note(window) is None  # every match is shown

    # When the agent then picks Breached, which has none of them, Breached stays
    choose(window, QUEUE_BREACHED)
    assert window.proxy.queue == QUEUE_BREACHED
    assert window.proxy.rowCount() == 0
    assert note(window) is not None and note(window).startswith("Nothing in Breached matches")
    assert link(window) == "show them"


def test_a_search_without_a_match_says_so(console: Console) -> None:
    window = console.window
    choose(window, QUEUE_UNASSIGNED)
    search(window, "no such ticket anywhere")
    assert window.proxy.queue == QUEUE_UNASSIGNED  # nowhere better to go
    assert note(window) == "No open ticket matches \u201cno such ticket anywhere\u201d"
    assert link(window) is None


def test_enter_selects_the_first_result_and_shows_it(qtbot: QtBot, console: Console) -> None:
    window = console.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    ticket = assigned_ticket(window)
    choose(window, QUEUE_UNASSIGNED)
    window.search.setFocus()

    # When the agent types a key and presses Enter at once (before the debounce)
    QTest.keyClicks(window.search, ticket.key)
    QTest.keyClick(window.search, Qt.Key.Key_Return)

    # Then the table has the focus and the ticket selected, shown in the detail pane
    assert window.table.hasFocus()
    assert window.selected_key() == ticket.key
    console.settle()
    assert window.detail is not None and window.detail.row.key == ticket.key
    assert window.layout_state.details_open
    assert window.table.hasFocus()  # still: showing the ticket took no focus

    # A word: the first result
    window.search.setFocus()
    window.search.setText(ticket.customer.name)
    QTest.keyClick(window.search, Qt.Key.Key_Enter)
    assert window.table.hasFocus()
    assert window.selected_key() == shown_keys(window)[0]


def test_tab_from_the_search_box_lands_on_a_selected_row(qtbot: QtBot, console: Console) -> None:
    window = console.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.search.setFocus()
    QTest.keyClicks(window.search, busiest_customer(window))
    fire(window, "searchDebounce")
    assert window.proxy.rowCount() > 1
    assert not window.table.selectionModel().hasSelection()

    QTest.keyClick(window.search, Qt.Key.Key_Tab)

    assert window.table.hasFocus()
    assert window.selected_key() == shown_keys(window)[0]
    console.settle()
    assert window.detail is not None

    # A row the agent selected stays selected when Tab comes back to the table
    window.table.selectRow(1)
    key = window.selected_key()
    window.search.setFocus()
    QTest.keyClick(window.search, Qt.Key.Key_Tab)
    assert window.table.hasFocus() and window.selected_key() == key
