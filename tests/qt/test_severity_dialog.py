"""The lead's severity dialog: the preview of every clock, the reason and the notice."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from conftest import FakeClock
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.policy import load_policies
from console.qt.severity_dialog import SeverityDialog
from console.services.demo import load_demo
from console.services.leads import preview_severity
from console.services.queue import load_rows
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def test_preview_reason_and_notice_gate_the_change(qtbot: QtBot) -> None:
    """Given a Layer0 enterprise ticket, the dialog shows every clock before and after, and
    the change is allowed only with the preview shown, a reason and the customer notified."""
    store = FakeStore()
    book = PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, clock=FakeClock(NOW)), book, tickets=200, seed=5, now=NOW)
    rows = within(FakeUnitOfWork(store, clock=FakeClock(NOW)), load_rows, book)
    row = next(
        r
        for r in rows
        if r.key.startswith("L0-") and r.customer.plan == "enterprise" and r.ticket.severity == 3
    )
    asked: list[int] = []
    dialog = SeverityDialog(row, ZoneInfo("America/Los_Angeles"), asked.append)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert asked == [dialog.chosen()] and not ok.isEnabled()
    assert dialog.notified.isVisibleTo(dialog)  # Layer0 must notify the customer

    changes = within(
        FakeUnitOfWork(store, clock=FakeClock(NOW)),
        preview_severity,
        book,
        row.key,
        dialog.chosen(),
        NOW,
    )
    dialog.show_preview(dialog.chosen(), changes, NOW)
    assert dialog.table.rowCount() == len(changes) >= 1
    assert dialog.table.item(0, 0).text() == "Initial response"
    assert dialog.table.item(0, 1).text() != dialog.table.item(0, 4).text()  # a new target
    assert not ok.isEnabled()
    dialog.reason.setCurrentText("Production deploys failing")
    assert not ok.isEnabled()
    dialog.notified.setChecked(True)
    assert ok.isEnabled()

    dialog.severity.setCurrentIndex(1 - dialog.severity.currentIndex())
    assert not ok.isEnabled() and dialog.table.rowCount() == 0  # a new preview is needed
    dialog.show_preview(99, changes, NOW)  # a late answer for another choice is ignored
    assert dialog.table.rowCount() == 0


def test_bulk_preview_waits_for_every_ticket(qtbot: QtBot) -> None:
    store = FakeStore()
    book = PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, clock=FakeClock(NOW)), book, tickets=200, seed=5, now=NOW)
    rows = [
        r
        for r in within(FakeUnitOfWork(store, clock=FakeClock(NOW)), load_rows, book)
        if r.key.startswith("ZIT-") and r.ticket.severity == 3
    ][:3]
    asked: list[int] = []
    dialog = SeverityDialog(rows, ZoneInfo("Europe/Zurich"), asked.append)
    qtbot.addWidget(dialog)
    assert dialog.bulk and dialog.table.columnCount() == 8
    to = dialog.chosen()
    previews = {
        r.key: within(
            FakeUnitOfWork(store, clock=FakeClock(NOW)), preview_severity, book, r.key, to, NOW
        )
        for r in rows
    }
    dialog.reason.setCurrentText("Workaround exists")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for i, row in enumerate(rows):
        assert not ok.isEnabled()
        dialog.show_preview(to, previews[row.key], NOW, row.key)
        assert dialog.table.rowCount() == (
            0 if i < len(rows) - 1 else sum(len(p) for p in previews.values())
        )
    assert ok.isEnabled()
    assert {dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())} == {
        r.key for r in rows
    }
