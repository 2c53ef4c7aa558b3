"""The dispatcher: every request answers once, on the UI thread, through its own pending
result; a newer query supersedes an older one; and every way a request can fail reaches
the window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.cli_errors import log_file
from console.domain.errors import NotFoundError
from console.domain.model import Presence, Role
from console.domain.rules import MAX_TEXT
from console.qt.dispatcher import Failure
from console.services import commands as c
from console.services.views import Detail, Query
from consoles import NOW, Console, demo_database


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dispatcher")


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path) -> Iterator[Console]:
    made = Console(qtbot, demo_database(tmp_path, tickets=120, seed=8), FakeTime(NOW))
    yield made
    made.close()


def test_a_query_answers_once_with_its_snapshot(qtbot: QtBot, console: Console) -> None:
    key = console.window.model.rows[0].key
    pending = console.dispatcher.ask(Detail(key))
    answers: list[Any] = []
    pending.finished.connect(answers.append)
    pending.failed.connect(answers.append)
    console.settle()
    assert [a.row.key for a in answers] == [key]
    assert pending.done and pending.result is answers[0]


def test_a_newer_query_on_the_same_topic_supersedes_the_older(
    qtbot: QtBot, console: Console
) -> None:
    rows = console.window.model.rows
    answers: list[str] = []
    older = console.dispatcher.ask(Detail(rows[0].key))
    newer = console.dispatcher.ask(Detail(rows[1].key))
    for pending in (older, newer):
        pending.finished.connect(lambda detail: answers.append(detail.row.key))
        pending.failed.connect(lambda failure: answers.append(failure.message))
    console.settle()
    assert answers == [rows[1].key]
    assert older.superseded and not older.done


def test_a_failing_command_shows_a_dialog_naming_why(qtbot: QtBot, console: Console) -> None:
    """An agent's attempt at a lead's action: the command fails in its handler and the
    window says why."""
    window = console.window
    assert window.agents[console.me].role is Role.AGENT
    row = window.model.rows[0]
    window.actions_.send(c.ChangeSeverity(((row.key, row.ticket.version),), 1, "Urgent"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "failureDialog") is not None)
    dialog = window.findChild(QMessageBox, "failureDialog")
    assert dialog is not None and "is for team leads" in dialog.text()


def test_a_failing_query_shows_in_the_status_bar(qtbot: QtBot, console: Console) -> None:
    window = console.window
    window.ask(Detail("NOPE-1"), window.show_detail, "Ticket NOPE-1")
    console.settle()
    assert "Ticket NOPE-1 could not be loaded: no ticket 'NOPE-1'" in (
        window.statusBar().currentMessage()
    )


class Broken(Query[int]):
    """A query whose reading fails the way a bug would."""

    def read(self, uow: Any, book: Any, now: Any) -> int:
        raise RuntimeError("the disk caught fire")


@pytest.mark.allow_log("Broken failed")
def test_an_unexpected_error_is_logged_and_still_reaches_whoever_asked(
    qtbot: QtBot, console: Console
) -> None:
    failures: list[Failure] = []
    pending = console.dispatcher.ask(Broken())
    pending.failed.connect(failures.append)
    console.settle()
    assert [f.message for f in failures] == [
        f"Broken failed: the disk caught fire. The details are in {log_file()}"
    ]
    assert isinstance(failures[0].error, RuntimeError)


def test_a_command_refused_offline_fails_after_its_caller_connected(
    qtbot: QtBot, console: Console
) -> None:
    console.dispatcher.online = False
    row = console.window.model.rows[0]
    pending = console.dispatcher.send(c.AddNote(row.key, row.ticket.version, "x"))
    failures: list[Failure] = []
    pending.failed.connect(failures.append)  # connected after send: still told
    console.settle()
    assert len(failures) == 1 and failures[0].offline
    console.window.actions_.send(c.AddNote(row.key, row.ticket.version, "x"))
    console.settle()
    assert "cannot be reached" in console.window.statusBar().currentMessage()


@pytest.mark.allow_log("following the change feed failed")
def test_a_failure_following_the_feed_reaches_the_status_bar(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work nobody asked for (following the change feed) fails: it is logged and the status
    bar says so."""
    dispatcher = console.dispatcher

    def broken(changes: Any) -> Any:
        raise RuntimeError("bad change")

    monkeypatch.setattr(dispatcher, "_update", broken)
    dispatcher.start_following()
    qtbot.wait(200)
    row = console.window.model.rows[0]
    dispatcher.send(c.AddNote(row.key, row.ticket.version, "wakes the follower"))
    qtbot.waitUntil(
        lambda: "Live updates failed: bad change" in console.window.statusBar().currentMessage(),
        timeout=10_000,
    )


def test_not_found_is_a_domain_failure_not_offline(qtbot: QtBot, console: Console) -> None:
    failures: list[Failure] = []
    pending = console.dispatcher.ask(Detail("NOPE-2"))
    pending.failed.connect(failures.append)
    console.settle()
    assert isinstance(failures[0].error, NotFoundError) and not failures[0].offline
    assert console.dispatcher.online


def test_a_request_after_stop_is_quietly_dropped(qtbot: QtBot, console: Console) -> None:
    """A dialog's timer may still ask while the console closes: nothing runs, nothing
    raises, and nobody is told anything."""
    console.dispatcher.stop()
    pending = console.dispatcher.ask(Detail(console.window.model.rows[0].key))
    assert pending.superseded and not pending.done


def test_a_presence_change_reloads_every_row_on_the_new_calendars(
    qtbot: QtBot, console: Console
) -> None:
    """Naming a presence changes the calendar of every Laioutr row, moved or not: the feed
    reloads all rows, each counting down on the 24 / 5 of the new presences."""
    lead = next(a.name for a in console.window.agents.values() if a.role is Role.LEAD)
    with console.dispatcher.uow(write=False) as uow:
        cursor = uow.changes.latest()
    console.dispatcher.actor = lead
    pending = console.dispatcher.send(c.SetPresences("laioutr", (Presence("DE", "BY"),)))
    console.settle()
    assert pending.done and pending.failure is None
    with console.dispatcher.uow(write=False) as uow:
        changes = uow.changes.since(cursor)
    update = console.dispatcher._update(changes)
    assert update.reload and "presence" in update.entities
    laioutr = [r for r in update.rows if r.customer.policy_id == "laioutr"]
    assert laioutr and all(r.policy.presences == (Presence("DE", "BY"),) for r in laioutr)
    epiphany = datetime(2027, 1, 6, 11, 0, tzinfo=UTC)  # noon in Bavaria, a Wednesday
    counting = [r.calendar for r in laioutr if r.ticket.summary.calendar == "24x5"]
    assert counting and not any(c is None or c.is_open(epiphany) for c in counting)


def test_a_file_deleted_under_a_running_console_shows_in_the_banner(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Given a console following its SQLite file, when the file is deleted, then the red
    banner says the database file is missing, and no empty database takes its place."""
    folder = tmp_path / "data"
    folder.mkdir()
    console = Console(qtbot, demo_database(folder, tickets=40, seed=2), FakeTime(NOW))
    try:
        console.dispatcher.start_following()
        qtbot.wait(200)
        for leftover in folder.glob("console.sqlite3*"):
            leftover.unlink()
        banner = console.window.banner
        qtbot.waitUntil(lambda: banner.isVisibleTo(console.window), timeout=10_000)
        assert "console.sqlite3 cannot be opened: it does not exist" in banner.text()
        assert list(folder.iterdir()) == []
    finally:
        console.close()


def test_a_full_disk_refuses_the_change_and_keeps_the_console_online(
    qtbot: QtBot, console: Console
) -> None:
    """Given a database that cannot grow (SQLite's page limit stands in for a full disk),
    when an agent adds a note, then the window says the disk is full and nothing was saved,
    and the console stays online."""
    from sqlalchemy import event

    @event.listens_for(console.database.write_engine, "connect")
    def no_room(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    row = console.window.model.rows[0]
    console.window.actions_.send(c.AddNote(row.key, row.ticket.version, "x" * MAX_TEXT))
    qtbot.waitUntil(lambda: console.window.findChild(QMessageBox, "failureDialog") is not None)
    dialog = console.window.findChild(QMessageBox, "failureDialog")
    assert dialog is not None and "full" in dialog.text() and "nothing was saved" in dialog.text()
    assert console.dispatcher.online and not console.window.banner.isVisibleTo(console.window)
