"""The lead's severity dialog, asking a real dispatcher on a demo database: the preview of
every clock, the reason and the notice, bulk previews, and a preview that fails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.qt.dispatcher import Pending
from console.qt.severity_dialog import SeverityDialog
from console.services.queue import QueueRow
from console.services.severity_table import preview_cells
from console.services.views import Query, QueueRows, SeverityPreview
from consoles import demo_database, settle
from dialog_backend import Backend

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return demo_database(tmp_path_factory.mktemp("severity"), tickets=200, seed=5)


@pytest.fixture
def backend(qtbot: QtBot, demo_url: str) -> Iterator[Backend]:
    made = Backend(demo_url, FakeTime(NOW))
    yield made
    made.close()


@pytest.fixture
def asked(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> list[Pending[Any]]:
    """Every query the dialog asks the dispatcher, as the pending answer it got."""
    pendings: list[Pending[Any]] = []
    ask = backend.dispatcher.ask

    def spy(query: Query[Any]) -> Pending[Any]:
        pending = ask(query)
        pendings.append(pending)
        return pending

    monkeypatch.setattr(backend.dispatcher, "ask", spy)
    return pendings


def ok_button(dialog: SeverityDialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def texts(dialog: SeverityDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def layer0_enterprise(backend: Backend) -> QueueRow:
    return next(
        r
        for r in backend.read(QueueRows())
        if r.key.startswith("L0-") and r.customer.plan == "enterprise" and r.ticket.severity == 3
    )


def test_preview_reason_and_notice_gate_the_change(
    qtbot: QtBot, backend: Backend, asked: list[Pending[Any]]
) -> None:
    """Given a Layer0 enterprise ticket, the dialog shows every clock before and after, and
    the change is allowed only with the preview shown, a reason and the customer notified."""
    row = layer0_enterprise(backend)
    dialog = SeverityDialog(row, LOS_ANGELES, backend.dispatcher)
    qtbot.addWidget(dialog)
    ok = ok_button(dialog)
    assert [p.request for p in asked] == [SeverityPreview(row.key, dialog.chosen())]
    assert not ok.isEnabled() and dialog.table.rowCount() == 0
    assert dialog.notified.isVisibleTo(dialog)  # Layer0 must notify the customer
    keeps_start = dialog.findChild(QLabel, "keepsStart")
    assert keeps_start is not None and keeps_start.isVisibleTo(dialog)
    assert "keeps its start" in keeps_start.text() and "breach" in keeps_start.text()

    settle(qtbot, backend.dispatcher)
    preview = backend.read(SeverityPreview(row.key, dialog.chosen()))
    assert texts(dialog) == [
        list(preview_cells(c, row.policy, LOS_ANGELES, NOW)) for c in preview.changes
    ]
    assert dialog.table.rowCount() >= 1
    assert dialog.table.item(0, 0).text() == "Initial response"
    assert dialog.table.item(0, 1).text() != dialog.table.item(0, 4).text()  # a new target
    assert dialog.table.item(0, 4).font().bold()
    assert dialog.status.text().startswith("As of 06:30 PST; changed values in bold")
    assert not ok.isEnabled()
    dialog.reason.setCurrentText("Production deploys failing")
    assert not ok.isEnabled()
    dialog.notified.setChecked(True)
    assert ok.isEnabled()
    assert (dialog.reason_text(), dialog.notified.isChecked()) == (
        "Production deploys failing",
        True,
    )

    dialog.severity.setCurrentIndex(1 - dialog.severity.currentIndex())
    assert not ok.isEnabled() and dialog.table.rowCount() == 0  # a new preview is needed
    assert asked[-1].request == SeverityPreview(row.key, dialog.chosen())
    settle(qtbot, backend.dispatcher)
    assert ok.isEnabled() and dialog.table.rowCount() >= 1


def test_a_newer_choice_supersedes_the_preview_on_its_way(
    qtbot: QtBot, backend: Backend, asked: list[Pending[Any]]
) -> None:
    row = layer0_enterprise(backend)
    dialog = SeverityDialog(row, LOS_ANGELES, backend.dispatcher)
    qtbot.addWidget(dialog)
    dialog.severity.setCurrentIndex(1)  # before the first preview came
    settle(qtbot, backend.dispatcher)
    first, second = asked
    assert first.superseded and second.done
    preview = backend.read(SeverityPreview(row.key, dialog.chosen()))
    assert texts(dialog) == [
        list(preview_cells(c, row.policy, LOS_ANGELES, NOW)) for c in preview.changes
    ]


def test_bulk_preview_waits_for_every_ticket(
    qtbot: QtBot, backend: Backend, asked: list[Pending[Any]]
) -> None:
    rows = [
        r for r in backend.read(QueueRows()) if r.key.startswith("ZIT-") and r.ticket.severity == 3
    ][:3]
    dialog = SeverityDialog(rows, ZoneInfo("Europe/Zurich"), backend.dispatcher)
    qtbot.addWidget(dialog)
    assert dialog.bulk and dialog.table.columnCount() == 8
    to = dialog.chosen()
    assert [p.request for p in asked] == [SeverityPreview(r.key, to) for r in rows]
    after_first: list[tuple[int, str, bool]] = []
    ok = ok_button(dialog)
    asked[0].finished.connect(
        lambda _: after_first.append(
            (dialog.table.rowCount(), dialog.status.text(), ok.isEnabled())
        )
    )
    dialog.reason.setCurrentText("Workaround exists")

    settle(qtbot, backend.dispatcher)
    assert after_first == [(0, "Computing the new deadlines… (1 of 3)", False)]
    previews = [backend.read(SeverityPreview(r.key, to)) for r in rows]
    assert dialog.table.rowCount() == sum(len(p.changes) for p in previews)
    assert {dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())} == {
        r.key for r in rows
    }
    assert ok.isEnabled()


def test_a_failed_preview_says_so_and_keeps_ok_disabled(
    qtbot: QtBot, backend: Backend, asked: list[Pending[Any]]
) -> None:
    """One of the tickets is gone from the database: the preview fails, the dialog says
    why, and the change cannot be confirmed, whatever the lead chooses."""
    rows = [r for r in backend.read(QueueRows()) if r.key.startswith("ZIT-")][:2]
    gone = replace(rows[1], ticket=replace(rows[1].ticket, key="ZIT-99999"))
    dialog = SeverityDialog([rows[0], gone], ZoneInfo("Europe/Zurich"), backend.dispatcher)
    qtbot.addWidget(dialog)
    dialog.reason.setCurrentText("Workaround exists")
    dialog.notified.setChecked(True)

    settle(qtbot, backend.dispatcher)
    assert asked[1].failure is not None
    message = asked[1].failure.message
    assert "ZIT-99999" in message
    assert dialog.status.text() == f"Could not compute the new deadlines: {message}"
    assert dialog.failure is asked[1].failure
    assert dialog.table.rowCount() == 0
    ok = ok_button(dialog)
    assert not ok.isEnabled()
    assert "the preview could not be computed" in ok.toolTip()

    levels = [dialog.severity.itemData(i) for i in range(dialog.severity.count())]
    held = {rows[0].ticket.severity, gone.ticket.severity}
    other = next(
        i
        for i, level in enumerate(levels)
        if level not in held and i != dialog.severity.currentIndex()
    )
    dialog.severity.setCurrentIndex(other)  # asks again (both tickets move): fails again
    assert dialog.failure is None and dialog.status.text().startswith("Computing")
    settle(qtbot, backend.dispatcher)
    assert dialog.failure is not None and not ok.isEnabled()


def test_a_bulk_change_leaves_out_tickets_at_the_new_severity_and_says_so(
    qtbot: QtBot, backend: Backend
) -> None:
    rows = [r for r in backend.read(QueueRows()) if r.key.startswith("ZIT-")]
    at = rows[0].ticket.severity
    other = next(r for r in rows if r.ticket.severity != at)
    dialog = SeverityDialog([rows[0], other], ZoneInfo("Europe/Zurich"), backend.dispatcher)
    qtbot.addWidget(dialog)
    dialog.severity.setCurrentIndex(dialog.severity.findData(at))
    dialog.reason.setCurrentText("Workaround exists")
    dialog.notified.setChecked(True)
    settle(qtbot, backend.dispatcher)
    assert [r.key for r in dialog.changing()] == [other.key]
    assert f"Left out, already at {dialog.severity.currentText()}: {rows[0].key}." in (
        dialog.status.text()
    )
    assert {dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())} == {other.key}
    assert ok_button(dialog).isEnabled()
