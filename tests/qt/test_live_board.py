"""The handover board follows the change feed: what one console does shows on another
console's board, without Refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.domain.model import Role
from console.services import commands as c
from console.services.handover import Section
from consoles import NOW, Console, demo_database, fire


@pytest.fixture
def two(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Console, Console]]:
    url = demo_database(tmp_path, tickets=150, seed=12)
    first = Console(qtbot, url, FakeTime(NOW))
    people = sorted(first.window.agents.values(), key=lambda a: a.name)
    other = next(a.name for a in people if a.name != first.me and a.role is Role.AGENT)
    second = Console(qtbot, url, FakeTime(NOW), me=other)
    for console in (first, second):
        console.window.tabs.setCurrentWidget(console.window.handover)
        console.window.handover.refresh()
        console.dispatcher.start_following()
    qtbot.waitUntil(lambda: first.window.handover.board is not None, timeout=10_000)
    qtbot.waitUntil(lambda: second.window.handover.board is not None, timeout=10_000)
    yield first, second
    first.close()
    second.close()


def test_a_handover_and_its_acknowledgement_show_on_the_other_board(
    qtbot: QtBot, two: tuple[Console, Console]
) -> None:
    first, second = two
    start = NOW
    first.dispatcher.send(c.HandOver(start, start + timedelta(hours=8), "Watch ZIT-1"))
    qtbot.waitUntil(
        lambda: (
            (board := second.window.handover.board) is not None
            and board.last is not None
            and board.last.author == first.me
        ),
        timeout=10_000,
    )
    last = second.window.handover.board.last  # type: ignore[union-attr]
    assert last is not None and last.acknowledged_by is None
    second.dispatcher.send(c.AcknowledgeHandover(last.id, last.version))  # type: ignore[arg-type]
    qtbot.waitUntil(
        lambda: (
            (board := first.window.handover.board) is not None
            and board.last is not None
            and board.last.acknowledged_by == second.me
        ),
        timeout=10_000,
    )


def test_an_assignment_in_one_console_leaves_the_other_boards_unassigned_section(
    qtbot: QtBot, two: tuple[Console, Console]
) -> None:
    first, second = two
    board = second.window.handover.board
    assert board is not None
    key = board.keys(Section.UNASSIGNED)[0]
    row = next(r for r in first.window.model.rows if r.key == key)
    first.dispatcher.send(c.AssignTicket(key, row.ticket.version, first.me))
    qtbot.waitUntil(
        lambda: key not in second.window.handover.board.keys(Section.UNASSIGNED),  # type: ignore[union-attr]
        timeout=10_000,
    )


def test_a_steady_stream_of_changes_does_not_postpone_the_board(
    qtbot: QtBot, two: tuple[Console, Console], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh is throttled, not debounced: a change while the timer runs does not
    start it again (so changes more often than every 3 s still refresh the board)."""
    from console.qt.dispatcher import FeedUpdate

    window = two[1].window
    window.board_timer.stop()
    starts: list[int] = []
    original = window.board_timer.start
    monkeypatch.setattr(window.board_timer, "start", lambda: (starts.append(1), original()))
    for _ in range(5):
        window.apply_feed(FeedUpdate(entities=frozenset({"ticket"})))
    assert starts == [1] and window.board_timer.isActive()


def test_a_hidden_board_is_brought_up_to_date_when_shown(
    qtbot: QtBot, two: tuple[Console, Console]
) -> None:
    first, second = two
    second.window.tabs.setCurrentIndex(0)  # the queue: the board is hidden
    board = second.window.handover.board
    assert board is not None
    key = board.keys(Section.UNASSIGNED)[0]
    row = next(r for r in first.window.model.rows if r.key == key)
    first.dispatcher.send(c.AssignTicket(key, row.ticket.version, first.me))
    qtbot.waitUntil(lambda: second.window.board_timer.isActive(), timeout=10_000)
    second.window.board_timer.stop()
    fire(second.window, "boardRefresh")  # its time comes while the board is hidden
    second.settle()
    assert key in second.window.handover.board.keys(Section.UNASSIGNED)  # type: ignore[union-attr]
    second.window.tabs.setCurrentWidget(second.window.handover)
    qtbot.waitUntil(
        lambda: key not in second.window.handover.board.keys(Section.UNASSIGNED),  # type: ignore[union-attr]
        timeout=10_000,
    )
